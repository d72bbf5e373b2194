"""The Python API: the command line's questions, asked from Python (docs/api.md).

    import alliances

    facts = alliances.open()                  # the shipped fact base (or a directory)
    rows = facts.members("CSTO", as_of="2008")
    rows[0].state, rows[0].status, rows[0].sources[0].quote
    pandas.DataFrame(rows.to_dicts())

Every method asks the same function the command of the same name asks (answers/asking.py
and the query layer behind it), with the same options under their Python names (`as_of`,
`known_at`, `source`, `status`, `all`, `each_year`, `basis`), and gives Rows: typed rows,
the notes the command line prints on standard error, and `to_dicts()`, whose dicts are the
command's `--format json` rows. Nothing here prints, and nothing imports pandas.

The stable surface is `__all__`; every other name (and every module whose name starts
with `_`) may change.
"""

from __future__ import annotations

import os
from typing import Any

from ..answers.asking import OptionError
from ..answers.query import EmptyName, NameNotFound
from ..facts.load import DataError
from ._rows import ROW_TYPES, Citation, DyadRow, PanelRow, Row, Rows, make_row

__all__ = ["open", "Alliances", "Rows", "Row", "Citation", "PanelRow", "DyadRow",
           "ROW_TYPES", "OptionError", "NameNotFound", "EmptyName", "DataError"]

# The options' names in error messages: as they are spelled in Python.
_NAMES = {"as_of": "as_of", "known_at": "known_at", "status": "status", "basis": "basis",
          "each_year": "each_year", "before": "before", "after": "after", "only": "only",
          "source": "source"}
PANELS = ("state-year", "dyad-year")

Status = str | list[str] | None


def open(data: str | os.PathLike | None = None, *, strict: bool = False) -> Alliances:  # noqa: A001
    """The fact base in `data` (a directory laid out as `alliances init` makes it), or the
    shipped one. With strict=True, data that `alliances check` would reject (a quote not in
    its article) raises DataError, as `--strict` refuses; else `problems` lists it."""
    return Alliances(data, strict=strict)


class Alliances:
    """One fact base, and the questions the command line asks of it."""

    def __init__(self, data: str | os.PathLike | None = None, *, strict: bool = False):
        from ..facts.paths import default_data_dir, resolve_data_dir
        from ..facts.store import load

        self.data_dir = resolve_data_dir(os.fspath(data) if data is not None
                                         else default_data_dir())
        self._fb = load(self.data_dir)
        if strict and self._fb.problems:
            file, line, message = self._fb.problems[0]
            raise DataError(file, line, f"{message}; refusing unverified data (strict=True):"
                                        " run `alliances check`")

    def __repr__(self) -> str:
        fb = self._fb
        return (f"<alliances {self.data_dir}: {len(fb.sources)} articles, {len(fb.blocs)} "
                f"blocs, {len(fb.entities)} states and entities>")

    @property
    def problems(self) -> list[tuple[str, int, str]]:
        """What `alliances check` would reject: (file, line, message), empty when verified."""
        return list(self._fb.problems)

    # -- the questions about one name ---------------------------------------------
    def _one_name(self, command: str, name: str, as_of, status, all_, each_year, known_at,
                  source, basis) -> Rows:
        from ..answers import asking

        fb = self._fb
        wanted_basis = asking.bases(basis, "basis")
        wanted = asking.statuses(status, all_, asking.RELATION_OF[command], "status")
        chosen = asking.filters(fb, source, known_at, _NAMES)
        period, each = asking.periods(as_of, each_year, _NAMES)
        ident = asking.resolve(fb, name, asking.KIND_OF[command])
        answer = asking.one_name(fb, command, ident, period, each, wanted, chosen)
        return self._rows(command, answer, wanted_basis)

    def members(self, bloc: str, *, as_of: str | None = None, status: Status = None,
                all: bool = False, each_year: bool = False, known_at: str | None = None,
                source: str | None = None, basis: Status = None) -> Rows:
        """Who held which status in a bloc (`alliances members`): by default the members
        at the latest date the articles speak of; `as_of` a date or an interval
        (`2008`, `2005..2014`, `2005/2014`), `each_year` one answer per year of it."""
        return self._one_name("members", bloc, as_of, status, all, each_year, known_at,
                              source, basis)

    def recognizes(self, entity: str, *, as_of: str | None = None, status: Status = None,
                   all: bool = False, each_year: bool = False, known_at: str | None = None,
                   source: str | None = None, basis: Status = None) -> Rows:
        """The states that recognise an entity (`alliances recognizes`), every date by
        default."""
        return self._one_name("recognizes", entity, as_of, status, all, each_year, known_at,
                              source, basis)

    def recognitions(self, state: str, *, as_of: str | None = None, status: Status = None,
                     all: bool = False, each_year: bool = False, known_at: str | None = None,
                     source: str | None = None, basis: Status = None) -> Rows:
        """What a state recognises (`alliances recognitions`)."""
        return self._one_name("recognitions", state, as_of, status, all, each_year,
                              known_at, source, basis)

    def memberships(self, state: str, *, as_of: str | None = None, status: Status = None,
                    all: bool = False, each_year: bool = False, known_at: str | None = None,
                    source: str | None = None, basis: Status = None) -> Rows:
        """Every bloc a state belongs to (`alliances memberships`)."""
        return self._one_name("memberships", state, as_of, status, all, each_year,
                              known_at, source, basis)

    # -- pairs --------------------------------------------------------------------
    def _pair(self, command: str, a: str, b: str, as_of, status, all_, known_at, source,
              basis) -> Rows:
        from ..answers import asking

        fb = self._fb
        wanted_basis = asking.bases(basis, "basis")
        chosen = asking.filters(fb, source, known_at, _NAMES)
        wanted = asking.statuses(status, all_, "membership", "status")
        answer, _, _ = asking.pair(fb, command, a, b, as_of, chosen, wanted, _NAMES)
        return self._rows(command, answer, wanted_basis)

    def compare(self, bloc_a: str, bloc_b: str, *, as_of: str | None = None,
                status: Status = None, all: bool = False, known_at: str | None = None,
                source: str | None = None, basis: Status = None) -> Rows:
        """Members of both blocs, of the first only, of the second only."""
        return self._pair("compare", bloc_a, bloc_b, as_of, status, all, known_at, source,
                          basis)

    def shared(self, state_a: str, state_b: str, *, as_of: str | None = None,
               status: Status = None, all: bool = False, known_at: str | None = None,
               source: str | None = None, basis: Status = None) -> Rows:
        """The blocs two states both belong to, with each one's status."""
        return self._pair("shared", state_a, state_b, as_of, status, all, known_at, source,
                          basis)

    # -- events, changes, reasons -------------------------------------------------
    def timeline(self, name: str, *, known_at: str | None = None,
                 source: str | None = None) -> Rows:
        """Every dated event for a bloc, a state or an entity, in date order."""
        from ..answers import asking

        chosen = asking.filters(self._fb, source, known_at, _NAMES)
        answer, _ = asking.timeline(self._fb, name, chosen)
        return self._rows("timeline", answer)

    def changes(self, name: str, before: str, after: str, *, all: bool = False,
                known_at: str | None = None, source: str | None = None,
                basis: Status = None) -> Rows:
        """What changed for a bloc or a recognised entity between two dates (`alliances
        changes NAME --from BEFORE --to AFTER`); all=True also lists the unchanged."""
        from ..answers import asking

        wanted_basis = asking.bases(basis, "basis")
        chosen = asking.filters(self._fb, source, known_at, _NAMES)
        answer, *_ = asking.changes(self._fb, name, before, after, all, chosen, _NAMES)
        return self._rows("changes", answer, wanted_basis)

    def explain(self, state: str, name: str, *, as_of: str | None = None,
                known_at: str | None = None, source: str | None = None) -> Rows:
        """Why the row of `state` in a bloc or about an entity says what it says."""
        from ..answers import asking

        chosen = asking.filters(self._fb, source, known_at, _NAMES)
        answer, _, _ = asking.explain(self._fb, state, name, as_of, chosen, _NAMES)
        return self._rows("explain", answer)

    def disputes(self, *, known_at: str | None = None, source: str | None = None) -> Rows:
        """Where the articles disagree, or a later one omits what an earlier one stated."""
        from ..answers import asking
        from ..answers.query import disputes

        return self._rows("disputes", disputes(self._fb, asking.filters(
            self._fb, source, known_at, _NAMES)))

    def crosscheck(self, path: str | os.PathLike, *, only: Status = None) -> Rows:
        """The articles against a Correlates of War IGO state-year file, cell by cell;
        `info` holds the counts (agree, disagree, silent, skipped) and the COW IGOs."""
        from ..answers import asking

        answer, counts, columns = asking.crosscheck(self._fb, os.fspath(path), only, "only")
        return self._rows("crosscheck", answer, info={"counts": counts, "columns": columns})

    # -- the articles ---------------------------------------------------------------
    def claims(self, source: str) -> Rows:
        """Everything one article states, in the order it states it."""
        from ..answers import asking

        answer, _ = asking.claims(self._fb, source)
        return self._rows("claims", answer)

    def search(self, text: str) -> Rows:
        """Facts, names, quotes, notes and sentences that mention a text."""
        from ..answers import asking

        return self._rows("search", asking.search(self._fb, text))

    def blocs(self) -> Rows:
        from ..answers import asking

        return self._rows("blocs", asking.blocs(self._fb))

    def states(self) -> Rows:
        from ..answers import asking

        return self._rows("states", asking.states(self._fb))

    def sources(self) -> Rows:
        """The articles, oldest first."""
        from ..answers import asking

        return self._rows("sources", asking.sources(self._fb))

    def source_text(self, source: str) -> str:
        """One article's full text (`alliances source ID`)."""
        from ..answers.query import resolve
        from ..facts.paths import source_text

        return source_text(self._fb, self._fb.sources[resolve(self._fb, source, "source")])

    # -- the panels -----------------------------------------------------------------
    def panel(self, layout: str = "state-year") -> Rows:
        """The panel `alliances export --panel LAYOUT` writes: state-year (one row per state
        and year, each bloc's COW code) or dyad-year (one row per pair of states and year,
        1 where both are full members); PanelRow or DyadRow, `codes` by bloc id."""
        from ..answers.panel import DYAD_KEYS, PANEL_KEYS, dyad_panel, panel

        if layout not in PANELS:
            raise OptionError(f"unknown panel {layout!r} for layout: use {', '.join(PANELS)}")
        if layout == "state-year":
            columns, rows = panel(self._fb)
            blocs = columns[len(PANEL_KEYS):]
            return Rows(layout, [PanelRow(**{k: r[k] for k in PANEL_KEYS},
                                          codes={b: r[b] for b in blocs}, _keys=tuple(columns))
                                 for r in rows])
        columns, tuples = dyad_panel(self._fb)
        n = len(DYAD_KEYS)
        return Rows(layout, [DyadRow(**dict(zip(DYAD_KEYS, t[:n], strict=True)),
                                     codes=dict(zip(columns[n:], t[n:], strict=True)),
                                     _keys=tuple(columns)) for t in tuples])

    # -----------------------------------------------------------------------------------
    def _rows(self, kind: str, answer, wanted_basis: set[str] | None = None,
              info: dict[str, Any] | None = None) -> Rows:
        from ..answers.asking import by_basis

        rows = answer.rows if wanted_basis is None else by_basis(answer.rows, wanted_basis)
        return Rows(kind, [make_row(kind, r) for r in rows], answer.notes, info)

"""Typed rows: one frozen dataclass per row kind, made from the kind's one declaration
(output/fields.py), so a field added there is a field here; a Citation for each entry of
`sources`; Rows, the answer (rows and notes) with `to_dicts()` for pandas.

A row keeps which keys its answer gave (a field that applies only to some rows is absent
elsewhere, as in the JSON), so `to_dict()` gives back exactly the command line's JSON row.
"""

from __future__ import annotations

import dataclasses
import json
import keyword
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar, overload


def _plain(value: Any) -> Any:
    """A JSON-ready copy (tuples as lists, nested dicts copied)."""
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _attr(field: str) -> str:
    """A field's attribute name: its own, or `in_` for a Python keyword such as `in`."""
    return field + "_" if keyword.iskeyword(field) else field


class Record:
    """What rows and citations share: attribute access, `row["field"]`, `to_dict()`."""

    _keys: tuple[str, ...]
    FIELDS: ClassVar[tuple[str, ...]] = ()

    def to_dict(self) -> dict[str, Any]:
        """The row as the command line's `--format json` gives it (the same keys, in the
        same order; nested values copied)."""
        return {k: _plain(getattr(self, _attr(k))) for k in self._keys}

    def __getitem__(self, key: str) -> Any:
        """`row["in"]`: every field by its JSON name (a Python keyword is `row.in_`)."""
        if key not in self.FIELDS:
            raise KeyError(key)
        return getattr(self, _attr(key))

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, _attr(key)) if key in self._keys else default

    def keys(self) -> tuple[str, ...]:
        return self._keys


@dataclasses.dataclass(frozen=True, eq=True)
class Citation(Record):
    """One citation of a row: the article (`id`, its `date`, `url`), the verbatim `quote`,
    and what the article says of this row: its `status` (which may differ from the row's:
    a `recognizes` row also cites the articles that said `not-yet`) and its dating
    (`since`, `until`); `note` is the curator's; `group`, `membership_from` and
    `membership_basis` say, for a statement about a group ("the other members"), which
    group and whose list of its members."""

    id: str
    date: str
    quote: str
    status: str | None = None
    since: str | None = None
    until: str | None = None
    note: str | None = None
    url: str | None = None
    group: str | None = None
    membership_from: tuple[str, ...] | None = None
    membership_basis: str | None = None
    _keys: tuple[str, ...] = dataclasses.field(default=(), repr=False, compare=False)

    FIELDS: ClassVar[tuple[str, ...]] = (
        "id", "date", "quote", "status", "since", "until", "note", "url", "group",
        "membership_from", "membership_basis")

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Citation:
        values: dict[str, Any] = {k: (tuple(v) if isinstance(v, list) else v)
                                  for k, v in d.items()}
        return cls(**values, _keys=tuple(d))


@dataclasses.dataclass(frozen=True, eq=True)
class Row(Record):
    """The base of every row type: `KIND` names the row kind (fields.py), `FIELDS` its
    fields in their csv order."""

    _keys: tuple[str, ...] = dataclasses.field(default=(), repr=False, compare=False)

    KIND: ClassVar[str] = ""


def _row_type(kind) -> type[Row]:
    """The dataclass of one row kind: every JSON field (leading ones, `year` and `query`,
    and those that apply only to some rows default to None)."""
    names = [f for f in kind.fields if f not in kind.flat_only]
    spec: list[Any] = []
    for f in names:
        typ: Any = "tuple[Citation, ...]" if f == "sources" else Any
        spec.append((_attr(f), typ, dataclasses.field(default=None)))
    title = "".join(part.title() for part in kind.name.replace("-", "_").split("_"))
    cls = dataclasses.make_dataclass(
        f"{title}Row", spec, bases=(Row,), frozen=True, eq=True, kw_only=True,
        namespace={"KIND": kind.name, "FIELDS": tuple(names),
                   "__doc__": f"A row of `{kind.name}`: {kind.about}. Fields: "
                              f"{', '.join(names)} (docs/fields.md)."})
    cls.__module__ = "alliances.api"
    return cls


def _types() -> dict[str, type[Row]]:
    from ..output.fields import KINDS

    return {name: _row_type(kind) for name, kind in KINDS.items()}


ROW_TYPES: dict[str, type[Row]] = _types()


def make_row(kind: str, d: dict[str, Any]) -> Row:
    """The typed row of one answer row (a dict of the query layer)."""
    values = {_attr(k): v for k, v in d.items()}
    if "sources" in values:
        values["sources"] = tuple(Citation.from_dict(s) for s in values["sources"])
    return ROW_TYPES[kind](**values, _keys=tuple(d))


# -- the panels: one column per bloc, so a row holds its codes by bloc id --------------
@dataclasses.dataclass(frozen=True, eq=True)
class PanelRow(Row):
    """One state and year of the state-year panel (the Correlates of War IGO layout):
    `codes` maps each bloc id to its COW code (export.PANEL_DOC)."""

    ccode: int | None = None
    iso3: str | None = None
    state: str = ""
    state_id: str = ""
    year: int = 0
    codes: dict[str, int] = dataclasses.field(default_factory=dict, compare=True)
    _keys: tuple[str, ...] = dataclasses.field(default=(), repr=False, compare=False)

    KIND: ClassVar[str] = "state-year"
    FIELDS: ClassVar[tuple[str, ...]] = ("ccode", "iso3", "state", "state_id", "year", "codes")

    def to_dict(self) -> dict[str, Any]:
        """The row as `alliances export --panel state-year` writes it: one key per bloc."""
        return {"ccode": self.ccode, "iso3": self.iso3, "state": self.state,
                "state_id": self.state_id, "year": self.year, **self.codes}


@dataclasses.dataclass(frozen=True, eq=True)
class DyadRow(Row):
    """One pair of states and year of the dyad-year panel: `codes` maps each bloc id to 1
    where both are full members (export.DYAD_DOC)."""

    dyadid: int = 0
    ccode1: int = 0
    iso3_1: str | None = None
    state1: str = ""
    ccode2: int = 0
    iso3_2: str | None = None
    state2: str = ""
    year: int = 0
    codes: dict[str, int] = dataclasses.field(default_factory=dict, compare=True)
    _keys: tuple[str, ...] = dataclasses.field(default=(), repr=False, compare=False)

    KIND: ClassVar[str] = "dyad-year"
    FIELDS: ClassVar[tuple[str, ...]] = ("dyadid", "ccode1", "iso3_1", "state1", "ccode2",
                                         "iso3_2", "state2", "year", "codes")

    def to_dict(self) -> dict[str, Any]:
        """The row as `alliances export --panel dyad-year` writes it: one key per bloc."""
        head = {f: getattr(self, f) for f in self.FIELDS if f != "codes"}
        return {**head, **self.codes}


class Rows(Sequence):
    """An answer: its typed rows (a sequence), the notes the command line prints on
    standard error (`notes`: why it is empty, what it leaves out), and `to_dicts()`."""

    def __init__(self, kind: str, rows: list, notes: list[str] | tuple[str, ...] = (),
                 info: dict[str, Any] | None = None):
        self.kind = kind
        self._rows = tuple(rows)
        self.notes: tuple[str, ...] = tuple(notes)
        self.info: dict[str, Any] = info or {}

    @overload
    def __getitem__(self, i: int) -> Any: ...

    @overload
    def __getitem__(self, i: slice) -> tuple: ...

    def __getitem__(self, i):
        return self._rows[i]

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)

    def __repr__(self) -> str:
        return f"<Rows {self.kind}: {len(self._rows)} rows, {len(self.notes)} notes>"

    def to_dicts(self, flat: bool = False) -> list[dict[str, Any]]:
        """Plain dicts, one per row, for `pandas.DataFrame(rows.to_dicts())` or json.dumps:
        exactly the command line's `--format json` rows. With flat=True, as csv/tsv
        columns: `sources` the ids each with its statuses (`reuters-2008:member`), `quotes`
        their quotes joined by ` | `, lists joined by `;`, numbers and booleans kept."""
        plain = [r.to_dict() for r in self._rows]
        if not flat or not plain or self.kind not in ROW_TYPES:
            return plain
        from ..output.fields import KINDS, flat_fields
        from ..output.render import _flat

        kind = KINDS[self.kind]
        lead = tuple(f for f in kind.leading if any(f in r for r in plain))
        out = []
        for r in plain:
            row: dict[str, Any] = {}
            for f in flat_fields(kind, lead):
                v = r.get(f)
                row[f] = v if isinstance(v, (int, float, bool)) else _flat(r, f) or None
            out.append(row)
        return out

    def to_json(self) -> str:
        """The rows as one JSON array (as `--format json` prints them, not byte for byte)."""
        return json.dumps(self.to_dicts(), ensure_ascii=False)

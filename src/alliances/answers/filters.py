"""Which articles count (--source, --known-at), names resolved to ids, and the shape of
every answer: rows plus notes. Split from query.py, which re-exports every name.
"""

from __future__ import annotations

from typing import NamedTuple

from ..facts.dates import DateRange
from ..facts.model import FactBase, fold
from ..facts.names import closest
from ..facts.names import short_name as _short_of


class NameNotFound(LookupError):
    """An unknown name; the message carries "did you mean" suggestions."""


class EmptyName(ValueError):
    """An empty name or search text: a usage error, whatever the command."""


class Filters(NamedTuple):
    """Which articles count: one source (--source) and/or those published by --known-at."""

    source: str | None = None
    known_at: DateRange | None = None

    def admits(self, fb: FactBase, source_id: str) -> bool:
        if self.source is not None and source_id != self.source:
            return False
        if (self.known_at is not None
                and fb.sources[source_id].published.latest > self.known_at.latest):
            return False
        return True


NO_FILTER = Filters()


# -- names ---------------------------------------------------------------------------
KIND_WORD = {"bloc": "bloc", "entity": "state or entity", "source": "source"}


def resolve(fb: FactBase, name: str, kind: str) -> str:
    """The id that `name` (id, name or alias, any case) denotes, of the wanted kind."""
    if not name.strip():
        raise EmptyName(f"empty {KIND_WORD[kind]} name: give a name, alias or id")
    if kind == "source":
        if name in fb.sources:
            return name
        table = {fold(s): s for s in fb.sources}
        hit = table.get(fold(name))
        if hit:
            return hit
        candidates = list(fb.sources)
    else:
        named = fb.names.get(fold(name))
        if named and named[0] == kind:
            return named[1]
        if named:
            other = KIND_WORD[named[0]]
            raise NameNotFound(f"{name!r} is a {other}, not a {KIND_WORD[kind]}")
        candidates = sorted({n for n, (k, _) in fb.names.items() if k == kind})
        for _ident, item in (fb.blocs if kind == "bloc" else fb.entities).items():
            candidates.append(item.name)

    close = closest(fold(name), [fold(c) for c in candidates])
    pretty = []
    for c in close:
        ident = fb.names.get(c, (None, c))[1] if kind != "source" else c
        label = (fb.name_of(ident) if kind != "source" else ident)
        if kind == "bloc" and ident in fb.blocs:
            label = _short_of(fb.blocs[ident])
        if label not in pretty:
            pretty.append(label)
    hint = f"; did you mean {' or '.join(repr(p) for p in pretty)}?" if pretty else ""
    listing = {"bloc": "alliances blocs", "entity": "alliances states",
               "source": "alliances sources"}[kind]
    raise NameNotFound(f"unknown {KIND_WORD[kind]} {name!r}{hint} (see '{listing}')")


def resolve_any(fb: FactBase, name: str) -> tuple[str, str]:
    """(kind, id) of a bloc or entity name; suggestions come from both kinds."""
    if not name.strip():
        raise EmptyName("empty name: give a bloc or state name, alias or id")
    hit = fb.names.get(fold(name))
    if hit:
        return hit

    close = closest(fold(name), list(fb.names))
    labels = []
    for c in close:
        label = fb.name_of(fb.names[c][1])
        if label not in labels:
            labels.append(label)
    hint = f"; did you mean {' or '.join(repr(x) for x in labels)}?" if labels else ""
    raise NameNotFound(f"unknown bloc or state {name!r}{hint} (see 'alliances blocs', "
                       "'alliances states')")


# -- the questions -------------------------------------------------------------------
class Answer(NamedTuple):
    """Rows plus what the tool should say about them (why empty, what is hidden)."""

    rows: list[dict]
    notes: list[str]

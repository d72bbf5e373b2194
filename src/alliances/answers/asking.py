"""The questions as every interface asks them: the command line (cli/) and the Python API
(api/) both turn their option values into the query's arguments here, and both ask the
same function of query.py (one question, one answer).

Option values come as given (strings, lists of strings); a bad one raises OptionError,
whose message names the option as the caller spells it (`--as-of` on the command line,
`as_of` in Python): `names` maps each option to that spelling. Nothing here prints, and
nothing imports more than the question asked needs.
"""

from __future__ import annotations

from typing import Any

from ..facts.dates import DateError, DateRange, parse_period, years
from .query import Answer, Filters, resolve, resolve_any

# How the command line names each option in its messages (the API passes its own).
CLI_NAMES = {"as_of": "--as-of", "known_at": "--known-at", "status": "--status",
             "basis": "--basis", "each_year": "--each-year", "before": "--from",
             "after": "--to", "only": "--only", "source": "--source"}

BASES = ("stated", "bracketed", "possible", "disputed")
# The query.py function of each name-taking question (`recognizes` asks recognizers).
ASKS = {"members": "members", "recognizes": "recognizers", "recognitions": "recognitions",
        "memberships": "memberships"}
RELATION_OF = {"members": "membership", "memberships": "membership",
               "recognizes": "recognition", "recognitions": "recognition"}
KIND_OF = {"members": "bloc", "recognizes": "entity", "recognitions": "entity",
           "memberships": "entity"}


class OptionError(ValueError):
    """A bad option value (on the command line, a usage error: exit 2)."""


def period(value: str | None, option: str) -> DateRange | None:
    """A date or an interval (`2008`, `2005..2014`, `2005/2014`), or None when not given."""
    if value is None:
        return None
    try:
        return parse_period(value)
    except DateError as e:
        raise OptionError(f"invalid date for {option}: {e}") from None


def periods(as_of: str | None, each_year: bool, names: dict = CLI_NAMES):
    """The as-of period, and with each_year the list of its years (else None)."""
    p = period(as_of, names["as_of"])
    if not each_year:
        return p, None
    if p is None:
        raise OptionError(f"{names['each_year']} needs {names['as_of']} with an interval, "
                          "e.g. 2005..2014")
    try:
        return p, years(p)
    except DateError as e:
        raise OptionError(f"invalid date for {names['as_of']}: {e}") from None


def statuses(status: list[str] | str | None, include_all: bool,
             relation: str = "membership", option: str = "--status") -> set[str] | None:
    """status/all as a set of statuses (None: the question's default, the full tie)."""
    from ..facts.model import MEMBERSHIP_STATUSES, NOT_LISTED, RECOGNITION_STATUSES

    if include_all:
        return {"all"}
    if not status:
        return None
    if isinstance(status, str):
        status = [status]
    wanted = {s.strip() for item in status for s in item.split(",") if s.strip()}
    valid = (set(MEMBERSHIP_STATUSES) | {NOT_LISTED} if relation == "membership"
             else set(RECOGNITION_STATUSES)) | {"all"}
    bad = sorted(wanted - valid)
    if bad:
        raise OptionError(f"unknown status {bad[0]!r} for {option}: use "
                          f"{', '.join(sorted(valid))}")
    return wanted


def filters(fb, source: str | None, known_at: str | None,
            names: dict = CLI_NAMES) -> Filters:
    """Which articles count: one source (an empty one is an error, never "every source")
    and those published by known_at."""
    return Filters(resolve(fb, source, "source") if source is not None else None,
                   period(known_at, names["known_at"]))


def bases(basis: str | list[str] | None, option: str = "--basis") -> set[str] | None:
    """basis as a set (comma-separated or a list), None when not given."""
    if basis is None:
        return None
    text = basis if isinstance(basis, str) else ",".join(basis)
    wanted = {b.strip().lower() for b in text.split(",") if b.strip()}
    bad = sorted(wanted - set(BASES)) or ([] if wanted else [text])
    if bad:
        raise OptionError(f"unknown basis {bad[0]!r} for {option}: use {', '.join(BASES)}"
                          " (comma-separated)")
    return wanted


def by_basis(rows, wanted: set[str]):
    """The rows whose basis (either side's, for a pair) is one of those asked."""
    keys = ("basis", "basis_a", "basis_b", "basis_before", "basis_after")
    for r in rows:
        if any(r.get(k) in wanted for k in keys):
            yield r


def per_year(ask, each: list[DateRange]) -> Answer:
    """One question asked for each year, in one process: each year's rows, as a single-year
    call gives them, with the year in front."""
    rows: list[dict] = []
    notes: list[str] = []
    for p in each:
        answer = ask(p)
        rows.extend({"year": int(p.label), **r} for r in answer.rows)
        notes.extend(f"{p.label}: {n}" for n in answer.notes)
    return Answer(rows, notes)


# -- the questions -------------------------------------------------------------------
def one_name(fb, command: str, ident: str, when: DateRange | None,
             each: list[DateRange] | None, wanted: set[str] | None,
             chosen: Filters) -> Answer:
    """members, recognizes, recognitions, memberships for one resolved name: for the period,
    or for each of its years."""
    from . import query

    question = getattr(query, ASKS[command])
    if each:
        return per_year(lambda p: question(fb, ident, p, wanted, chosen), each)
    return question(fb, ident, when, wanted, chosen)


def pair(fb, command: str, a: str, b: str, as_of: str | None, chosen: Filters,
         wanted: set[str] | None, names: dict = CLI_NAMES) -> tuple[Answer, str, str]:
    """compare (two blocs) or shared (two states): the answer and the two ids."""
    from . import query

    kind = "bloc" if command == "compare" else "entity"
    ia, ib = resolve(fb, a, kind), resolve(fb, b, kind)
    return getattr(query, command)(fb, ia, ib, period(as_of, names["as_of"]), chosen,
                                   wanted), ia, ib


def changes(fb, name: str, before: str, after: str, include_all: bool, chosen: Filters,
            names: dict = CLI_NAMES):
    """What changed between two dates for a bloc or a recognised entity: (answer, ident,
    the two periods)."""
    from .query import changes as q

    kind, ident = resolve_any(fb, name)
    if kind == "entity" and fb.entities[ident].kind == "state":
        raise OptionError(f"{name!r} is a state: changes takes a bloc or a recognised "
                          "entity (try 'alliances timeline' for a state)")
    a, b = period(before, names["before"]), period(after, names["after"])
    if a is None or b is None:
        raise OptionError(f"changes needs {names['before']} and {names['after']}")
    if b.latest < a.earliest:
        raise OptionError(f"{names['after']} {after} is before {names['before']} {before}")
    return q(fb, kind, ident, a, b, include_all, chosen), ident, a, b


def explain(fb, state: str, name: str, as_of: str | None, chosen: Filters,
            names: dict = CLI_NAMES) -> tuple[Answer, str, str]:
    """Why one row says what it says: (answer, state id, bloc or entity id)."""
    from .explain import explain as q

    ident = resolve(fb, state, "entity")
    kind, obj = resolve_any(fb, name)
    if kind == "entity" and fb.entities[obj].kind == "state":
        raise OptionError(f"{name!r} is a state: explain takes a state and then a bloc or "
                          "a recognised entity")
    relation = "membership" if kind == "bloc" else "recognition"
    return q(fb, ident, obj, relation, period(as_of, names["as_of"]), chosen), ident, obj


def timeline(fb, name: str, chosen: Filters) -> tuple[Answer, str]:
    from .query import timeline as q

    kind, ident = resolve_any(fb, name)
    return q(fb, kind, ident, chosen), ident


def claims(fb, source: str) -> tuple[Answer, str]:
    """Everything one article states, in the order its text states it."""
    from ..facts.paths import source_text
    from .query import claims as q
    from .query import order_by_text

    sid = resolve(fb, source, "source")
    answer = q(fb, sid)
    return answer._replace(rows=order_by_text(answer.rows,
                                              source_text(fb, fb.sources[sid]))), sid


def search(fb, text: str) -> Answer:
    from ..facts.paths import source_text
    from .query import search as q

    return q(fb, text, {sid: source_text(fb, src) for sid, src in fb.sources.items()})


RESULTS = ("agree", "disagree", "silent")


def crosscheck(fb, path: str, only: str | list[str] | None, option: str = "--only"):
    """(answer, counts, COW columns): the rows of the results asked for (all by default)."""
    from .crosscheck import crosscheck as q

    text = only if isinstance(only, str) or only is None else ",".join(only)
    wanted = {w.strip().lower() for w in (text or "").split(",") if w.strip()}
    bad = sorted(wanted - set(RESULTS))
    if bad:
        raise OptionError(f"unknown result {bad[0]!r} for {option}: use agree, disagree, "
                          "silent")
    rows, counts, columns = q(fb, path, wanted or None)  # streamed: only what is shown kept
    return Answer(rows, []), counts, columns


# -- the fact base itself ------------------------------------------------------------
def blocs(fb) -> Answer:
    """The blocs, each citation saying what it supports (the bloc named, or formed)."""
    from .query import source_entry

    rows = []
    for b in fb.blocs.values():
        cites = [*((c, "named") for c in b.citations),
                 *([(b.formed_citation, "formed")] if b.formed_citation else [])]
        rows.append({"id": b.id, "name": b.name, "aliases": list(b.aliases), "kind": b.kind,
                     "formed": b.formed.label if b.formed else None,
                     "proposed": b.proposed,
                     "sources": [source_entry(fb, c, status=st) for c, st in cites]})
    return Answer(rows, [])


def states(fb) -> Answer:
    return Answer([{"id": e.id, "name": e.name, "aliases": list(e.aliases), "kind": e.kind,
                    "ccode": e.ccode, "iso3": e.iso3} for e in fb.entities.values()], [])


def source_row(s) -> dict[str, Any]:
    return {"id": s.id, "title": s.title, "publisher": s.publisher, "author": s.author,
            "published": s.published.label, "date_note": s.date_note, "file": s.file,
            "url": s.url, "retrieved_from": s.retrieved_from, "copy_note": s.copy_note}


def sources(fb) -> Answer:
    """The articles, oldest first."""
    return Answer([source_row(s) for s in sorted(fb.sources.values(), key=lambda s: (
        s.published.earliest, s.published.latest, s.id))], [])

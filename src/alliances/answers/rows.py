"""Rows and citations: a verdict as a row, a statement or roster as a citation, an article as
a `sources` entry. Split from query.py, which re-exports every name.
"""

from __future__ import annotations

from ..facts.dates import MAX, MIN, DateRange
from ..facts.model import NOT_LISTED, Citation, FactBase, Roster, Statement
from ..facts.names import short_name as _short_of
from .evaluate import Evidence, Verdict


# -- rows ----------------------------------------------------------------------------
def _day(d) -> str | None:
    """A day as ISO text; None for an open end (MIN, MAX) or no day at all."""
    return None if d is None or d in (MIN, MAX) else d.isoformat()


def source_entry(fb: FactBase, c: Citation, since: DateRange | None = None,
                 until: DateRange | None = None, note: str | None = None,
                 status: str | None = None) -> dict:
    """One entry of a row's `sources`: the article, its date, the quote, what the article
    says (its own status and dating), and the curator's note."""
    src = fb.sources[c.source]
    out: dict[str, str | None] = {"id": src.id, "date": src.published.label, "quote": c.quote}
    if src.url:
        out["url"] = src.url
    if status is not None:
        out["status"] = status
    if since is not None:
        out["since"] = since.label
    if until is not None:
        out["until"] = until.label
    if note or c.note:
        out["note"] = note or c.note
    return out


def cite(fb: FactBase, s: Statement) -> dict:
    out = source_entry(fb, s.citation, s.since, s.until, status=s.status)
    if s.via is not None:
        # expanded from a group statement: which group, and whose list of its members
        out["group"] = s.via[0]
        out["membership_from"] = list(s.via[1])
        out["membership_basis"] = s.via[2]
    return out


def _roster_cite(fb: FactBase, r: Roster) -> dict:
    # A complete list is cited by every key of a state it leaves out (at 1,000x, 2.2
    # million times for a list of every state's memberships): its entry is made once per
    # list and fact base. (The list is held with it, so its id is never another's.)
    memo = _ROSTER_CITES
    if memo.get("fb") != id(fb):
        memo.clear()
        memo["fb"] = id(fb)
    got = memo.get(id(r))
    if got is None or got[0] is not r:
        got = memo[id(r)] = (r, source_entry(
            fb, r.citation, note="complete list of members that omits this state",
            status=NOT_LISTED))
    return got[1]


_ROSTER_CITES: dict = {}


def evidence_cites(fb: FactBase, ev: Evidence) -> list[dict]:
    """Every admitted statement about the key, oldest article first, each with its dating."""
    items = [(s.stated.earliest, 0, s) for s in ev.statements]
    items += [(r.stated.earliest, 1, r) for r in ev.rosters]
    seen, out = set(), []
    for _, kind, x in sorted(items, key=lambda t: (t[0], t[1], t[2].citation.source)):
        key = (x.citation.source, x.citation.quote, kind, getattr(x, "status", None))
        if key in seen:
            continue
        seen.add(key)
        out.append(cite(fb, x) if kind == 0 else _roster_cite(fb, x))
    return out


def group_label(fb: FactBase, group) -> str:
    """A group statement's subject in words: "every state except Russia, Nicaragua"."""
    if group.everyone:
        head = "every state"
    else:
        head = f"the members of {short_name(fb, group.bloc)}"
    if group.exclude:
        return f"{head} except {', '.join(fb.name_of(e) for e in group.exclude)}"
    return head


def subject_name(fb: FactBase, s) -> str:
    if s.group is None:
        return fb.name_of(s.subject)
    return group_label(fb, s.group)


def _range_fields(prefix: str, r: DateRange | None) -> dict:
    if r is None:
        return {prefix: None, f"{prefix}_earliest": None, f"{prefix}_latest": None}
    return {prefix: r.label, f"{prefix}_earliest": _day(r.earliest),
            f"{prefix}_latest": _day(r.latest)}


def codes_of(fb: FactBase, state: str | None) -> dict:
    """A state's COW number and ISO alpha-3, for joining rows to other data sets."""
    e = fb.entities.get(state) if state else None
    return {"ccode": e.ccode if e else None, "iso3": e.iso3 if e else None}


def verdict_row(fb: FactBase, v: Verdict, cites: list | None = None) -> dict:
    """A verdict as the row every command and format shows. cites: its key's
    evidence_cites, when already made for another verdict of the key."""
    ev = v.evidence
    obj_key = "bloc" if ev.relation == "membership" else "entity"
    row = {
        "state": subject_name(fb, ev),
        obj_key: fb.name_of(ev.object),
        "status": v.status,
        "basis": v.basis,
        **_range_fields("since", v.since),
        **_range_fields("until", v.until),
        "as_of": v.period.label,
        "state_id": ev.subject if ev.group is None else None,
        f"{obj_key}_id": ev.object,
        **codes_of(fb, ev.subject if ev.group is None else None),
        "sources": evidence_cites(fb, ev) if cites is None else cites,
    }
    if v.disputed_with:
        row["disputed_with"] = list(v.disputed_with)
    if v.derived:
        row["derived"] = list(v.derived)
    if ev.group is not None:
        row["group"] = {"members_of": ev.group.bloc, "except": list(ev.group.exclude)}
    return row


# -- filters -------------------------------------------------------------------------
def short_name(fb: FactBase, bloc: str) -> str:
    return _short_of(fb.blocs[bloc])

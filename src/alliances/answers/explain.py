"""`alliances explain STATE BLOC|ENTITY`: why one row says what it says.

Read, never re-derived, from what evaluate.py recorded when it combined the evidence: the
Verdict (status, basis, bounds, the statuses it clashes with, its `derived` notes) and the
Episode of its status (the statements it was combined from, their bounds, the complete
lists that omit the state, the disputes). Each part of the row is one row here: status,
basis, since, until, disputed, derived, and one `combined` row per statement.
"""

from __future__ import annotations

from ..facts.dates import MAX, MIN
from .evaluate import verdicts
from .query import (
    ALL_TIME,
    NO_FILTER,
    Answer,
    Filters,
    _roster_cite,
    cite,
    evidence,
    group_statements,
    latest_stated,
    membership_evidence,
    subject_name,
)

BASIS_RULE = {
    "stated": "an admitted article places it in {period}",
    "possible": "no admitted article places it in {period}: it is only carried forward "
                "from what the articles state, or its start is uncertain there",
    "bracketed": "certain in {period} in every reading: between two reports of the same "
                 "spell, with no end or contrary report between them",
    "disputed": "admitted articles that cannot both be true meet in {period}",
}


def _day(d) -> str:
    return "open" if d in (MIN, MAX) else d.isoformat()


def explain(fb, state: str, obj: str, relation: str, period=None,
            filters: Filters = NO_FILTER) -> Answer:
    """The parts of every verdict about (state, obj) in the period, with their reasons."""
    if relation == "membership":
        evs = [ev for ev in membership_evidence(fb, state, filters) if ev.object == obj]
        if period is None:
            period = latest_stated([s for s in fb.for_objects([obj])
                                    if s.relation == "membership"
                                    and filters.admits(fb, s.citation.source)]) or ALL_TIME
    else:
        # the evidence `recognizes` and `recognitions` read: the state's own statements and
        # every group statement about the entity, expanded as they expand it (R8)
        stmts = [s for s in fb.for_subject(state) if s.relation == "recognition"
                 and s.object == obj]
        stmts += [s for s in group_statements(fb, "recognition") if s.object == obj]
        evs = [ev for ev in evidence(fb, stmts, (), filters) if ev.subject == state]
        period = period or ALL_TIME
    what = f"{fb.name_of(state)} and {fb.name_of(obj)}"
    if not evs:
        return Answer([], [f"no article (of those chosen) states anything about {what}"])
    rows = []
    for ev in evs:
        vs = verdicts(ev, period)
        if not vs:
            rows.append({"part": "status", "value": None, "why": (
                f"the articles' statements about {what} do not reach {period.label}: none "
                "holds then"), "sources": _combined(fb, ev)})
        for v in vs:
            rows.extend(_parts(fb, ev, v))
    return Answer(rows, [f"as of {period.label}"])


def _parts(fb, ev, v) -> list[dict]:
    e = v.episode  # the spell the verdict reads, not the first of its status
    claims = [cite(fb, s) for s in e.claims]
    rows = [{"part": "status", "value": v.status, "why": (
        f"{subject_name(fb, ev)} and {fb.name_of(ev.object)} in {v.period.label}: "
        + (f"{len(e.claims)} statement{'s' if len(e.claims) != 1 else ''} "
           f"say{'s' if len(e.claims) == 1 else ''} {v.status}"
           if e.claims else f"{len(e.rosters)} complete list(s) of the bloc leave the state out")),
        "sources": claims or [_roster_cite(fb, r) for r in e.rosters]}]
    why = BASIS_RULE[v.basis].format(period=v.period.label)
    if v.basis == "possible" and e.status != "not-listed":
        why += f"; last reported {e.last_certain.isoformat()}" if e.last_certain not in (
            MIN, MAX) else ""
    rows.append({"part": "basis", "value": v.basis, "why": why, "sources": claims})
    setters = [s for s in e.claims if s.since is not None]
    if e.status == "not-listed":
        rows.append({"part": "since", "value": None, "why": (
            f"between {_day(e.start_lo)} (after it was last listed) and {_day(e.start_hi)} (the "
            "first complete list that leaves it out)"),
            "sources": [_roster_cite(fb, r) for r in e.rosters[:1]]})
    else:
        rows.append({"part": "since", "value": v.since.label if v.since else None, "why": (
            "the days the readings of its start allow (the largest sets of these that can "
            "all be true together): "
            + "; ".join(f"{s.citation.source}: {s.since.label}" for s in setters)
            if setters else "no article bounds its start"
            + (f" (possible from {_day(e.carry_from)}, its first article)"
               if e.carry_from not in (MIN, MAX) else "")),
            "sources": [cite(fb, s) for s in setters]})
    enders = [s for s in e.claims if s.until is not None]
    rows.append({"part": "until", "value": v.until.label if v.until else None, "why": (
        "; ".join(f"{s.citation.source}: until {s.until.label}" for s in enders)
        if enders else (f"no article ends it; it may hold to {_day(e.end_hi)}"
                        if e.end_hi != MAX else "no article ends it, and none says otherwise")),
        "sources": [cite(fb, s) for s in enders]})
    for note in v.derived:
        rows.append({"part": "derived", "value": note, "why": "a bound taken from other "
                     "evidence (the bloc's formation, or a status that came before)",
                     "sources": []})
    for lo, hi, other, kind in e.disputes:
        if other in v.disputed_with or kind == "date":
            rows.append({"part": "disputed", "value": other, "why": (
                f"{kind}: statements that cannot all be true, {_day(lo)}..{_day(hi)}"),
                "sources": _combined(fb, ev)})
    for c in _combined(fb, ev):
        rows.append({"part": "combined", "value": c.get("status"), "why": (
            f"{c['id']} ({c['date']})"
            + (f", since {c['since']}" if c.get("since") else "")
            + (f", until {c['until']}" if c.get("until") else "")), "sources": [c]})
    return rows


def _combined(fb, ev) -> list[dict]:
    from .query import evidence_cites

    return evidence_cites(fb, ev)

"""The evaluation's spells as the views draw and store them: the timeline's rows with,
on each row's `spell`, the days the evaluation disputes it (`Episode.disputes`).

`alliances chart` and the sqlite export's `spells` table read a spell's bounds, stated
days and disputes from here, never from a date label or from `alliances disputes` rows:
a dispute is drawn over the days the readings disagree on, not over the whole spell.
"""

from __future__ import annotations


def disputes_of(fb, kind: str, ident: str, filters) -> dict:
    """{(state_id or "name:STATE", object_id, status, number): [[lo, hi, other, kind]]}:
    each spell's disputed days (ISO; null for an open end), from the same evidence the
    timeline of (kind, ident) reads."""
    from ..answers.query import _day, evidence

    if kind == "bloc":
        about = [s for s in fb.for_objects([ident]) if s.relation == "membership"]
        rosters = fb.rosters_for([ident])
    else:
        about = [*fb.for_subject(ident)] + [
            s for s in fb.for_objects([ident]) if s.relation == "recognition"]
        rosters = fb.rosters_for([s.object for s in about if s.relation == "membership"])
    out: dict = {}
    for ev in evidence(fb, about, rosters, filters):
        lane = lane_of(fb, ev)
        for e in ev.episodes:
            out[(lane, ev.object, e.status, e.spell)] = [
                [_day(d.lo), _day(d.hi), d.other, d.kind] for d in e.disputes]
    return out


def lane_of(fb, ev) -> str:
    """The lane a key's spells are in: its state's id, or "name:" and the label of a group
    subject (as chart.lanes keys a timeline's rows)."""
    from ..answers.query import subject_name

    return (ev.subject if ev.group is None else None) or f"name:{subject_name(fb, ev)}"


def timeline_rows(fb, kind: str, ident: str, filters, as_object: bool = False) -> list[dict]:
    """`alliances timeline`'s rows, each row's `spell` with its `disputes` (the days the
    evaluation disputes that spell, [lo, hi, other status, kind]). as_object: timeline's."""
    from ..answers.query import timeline

    rows = timeline(fb, kind, ident, filters, as_object=as_object).rows
    if rows and all("disputes" in r["spell"] for r in rows if "spell" in r):
        return rows  # the timeline already carries them
    days = disputes_of(fb, kind, ident, filters)
    for r in rows:
        sp = r.get("spell")
        if sp is None:
            continue
        lane = r["state_id"] or f"name:{r['state']}"
        r["spell"] = {**sp, "disputes": days.get((lane, r["object_id"], sp["status"],
                                                   sp["number"]), [])}
    return rows

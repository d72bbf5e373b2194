"""Who is in a bloc, where a state belongs, who recognises whom: the verdicts of one name
as rows, with the notes that say what is hidden, silent or not carried back.
Split from query.py, which re-exports every name.
"""

from __future__ import annotations

from ..facts.dates import DateRange
from ..facts.model import FactBase, fold
from .evaluate import ALL_TIME, PRIORITY, Evidence, Verdict, verdicts
from .filters import NO_FILTER, Answer, Filters
from .gathering import _admitted, evidence, group_statements, latest_stated, unexpanded_groups
from .rows import evidence_cites, short_name, subject_name, verdict_row

STATUS_ORDER = PRIORITY


def _sort(fb: FactBase, rows: list[dict], key: str) -> list[dict]:
    return sorted(rows, key=lambda r: (STATUS_ORDER.get(r["status"], 9), fold(r[key])))


SHOWN = {"membership": frozenset({"member"}), "recognition": frozenset({"recognizes"})}


def _wanted(statuses, relation: str):
    """The statuses a question shows (None: every one): by default only the full tie
    (member / recognizes); --status or --all for the rest."""
    if statuses is not None and "all" in statuses:
        return None
    return SHOWN[relation] if statuses is None else statuses


def _hidden_row(fb: FactBase, v: Verdict, key: str) -> dict:
    """What a note says of a row it does not show: its name, ids and status."""
    ev = v.evidence
    obj = "bloc" if ev.relation == "membership" else "entity"
    return {"state": subject_name(fb, ev), obj: fb.name_of(ev.object), "status": v.status,
            "state_id": ev.subject if ev.group is None else None, f"{obj}_id": ev.object}


def _hidden_note(hidden, key: str) -> list[str]:
    if not hidden:
        return []
    if len(hidden) > 12:
        names = f"{len(hidden)} rows ({_counts(hidden)})"
    else:
        names = ", ".join(f"{r[key]} ({r['status']})" for r in hidden)
    return [f"not shown: {names}; use --status or --all to include"]


def _counts(rows) -> str:
    counts: dict = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return ", ".join(f"{n} {st}" for st, n in counts.items())


def _silence_note(what: str, evs: list[Evidence], period: DateRange) -> list[str]:
    """Why nothing holds: no article speaks of it, or the period is before the first one."""
    if not evs:
        return [f"no article (of those chosen) speaks of {what}"]
    first = min(min(e.carry_from for e in ev.episodes) for ev in evs)
    dates = sorted({s.stated.label for ev in evs for s in ev.statements})
    if period.latest < first:
        return [f"the articles speak of {what} from {first.isoformat()} on, and never carry "
                f"a fact back before what they allow; {period.label} is earlier"]
    return [f"no article places anything about {what} in {period.label}; the articles speak "
            f"of it as of {', '.join(dates)}"]


def _not_carried_back(fb, evs, rows, period: DateRange, key: str) -> list[str]:
    """A partial answer says what it leaves out because no fact is carried back before
    the articles allow it: the keys the articles speak of only after the period."""
    answered = {r.get("state_id") if key == "state" else r.get(f"{key}_id") for r in rows}
    later = []
    for ev in evs:
        ident = ev.subject if key == "state" else ev.object
        if ident in answered or not ev.episodes:
            continue
        first = min(e.carry_from for e in ev.episodes)
        if first > period.latest:
            later.append((first, fb.name_of(ident)))
    if not later:
        return []
    later.sort()
    names = ", ".join(f"{n} (from {d.isoformat()})" for d, n in later[:8])
    more = f" and {len(later) - 8} more" if len(later) > 8 else ""
    return [f"not carried back to {period.label}: {names}{more}; the articles speak of "
            "them only later"]


def _answer(fb, evs, period, statuses, relation, key, what) -> Answer:
    every = [v for ev in evs for v in verdicts(ev, period)]
    wanted = _wanted(statuses, relation)
    # a hidden row is only named in a note: its citations are not built
    shown = [verdict_row(fb, v) for v in every if wanted is None or v.status in wanted]
    hidden = [_hidden_row(fb, v, key) for v in every
              if wanted is not None and v.status not in wanted]
    rows = shown + hidden
    notes = _hidden_note(hidden, key)
    if shown or hidden:
        notes += _not_carried_back(fb, evs, rows, period, key)
    if not shown and not hidden:
        notes += _silence_note(what, evs, period)
    elif not shown:
        want = set(statuses or SHOWN[relation])
        notes.append(f"none with status {', '.join(sorted(want))} in {period.label}; the "
                     f"articles place {_counts(hidden)} there")
        later = [e.carry_from for ev in evs for e in ev.episodes if e.status in want]
        after = [d for d in later if d > period.latest]
        if after:
            notes.append(f"the earliest day the articles allow for {' or '.join(sorted(want))} "
                         f"is {min(after).isoformat()}; no fact is carried back before what "
                         "the articles allow")
        elif not later:
            notes.append(f"no article names any state as {' or '.join(sorted(want))}")
    return Answer(_sort(fb, shown, key), notes)


def members(fb: FactBase, bloc: str, period: DateRange | None = None,
            statuses: set[str] | None = None, filters: Filters = NO_FILTER) -> Answer:
    """Who held which status in a bloc in a period (default: its latest article's date)."""
    stmts, _ = _admitted(fb, filters, fb.for_objects([bloc]))
    mine = [s for s in stmts if s.relation == "membership"]
    if period is None:
        period = latest_stated(mine)
        if period is None:
            return Answer([], [f"{fb.blocs[bloc].name}: no membership facts"
                               + (" from the chosen sources" if filters != NO_FILTER else "")])
    evs = evidence(fb, mine, fb.rosters_for([bloc]), filters)
    before = existence_notes(fb, bloc, period) + _coverage_note(fb, bloc, mine, period)
    answer = _answer(fb, evs, period, statuses, "membership", "state",
                     f"the members of {short_name(fb, bloc)}")
    if before:
        notes = [n for n in answer.notes if not n.startswith("no article places")]
        return Answer(answer.rows, notes + before)
    return answer


def _coverage_note(fb: FactBase, bloc: str, statements, period: DateRange) -> list[str]:
    """After the last article about the bloc nothing is stated, only carried: say when the
    articles speak of it ("available from ... to ...", as igoR says of an IGO)."""
    if not statements:
        return []
    first = min(s.stated.earliest for s in statements)
    last = max(s.stated.latest for s in statements)
    if period.earliest > last:
        return [f"{short_name(fb, bloc)}: the articles speak of its members from "
                f"{first.isoformat()} to {last.isoformat()}; {period.label} is later, so "
                "every row is only carried forward from them"]
    return []


def existence_notes(fb: FactBase, bloc: str, period: DateRange) -> list[str]:
    """Say so when the period is before the bloc was formed, or the bloc was only proposed."""
    b = fb.blocs[bloc]
    short = short_name(fb, bloc)
    out = []
    if b.formed is not None and period.latest < b.formed.earliest:
        src = b.formed_citation
        assert src is not None  # (a bloc's formation is read from its citation)
        out.append(f"{short}: formed {b.formed.label} per {src.source} "
                   f"(\u201c{src.quote}\u201d); {period.label} is before that")
    if b.proposed:
        out.append(f"{short}: a proposed bloc, still being negotiated per its sources")
    return out


def membership_evidence(fb: FactBase, state: str, filters: Filters) -> list[Evidence]:
    """The evidence about one state's membership of every bloc the articles tie it to."""
    stmts = [s for s in fb.for_subject(state) if s.relation == "membership"]
    blocs = list(dict.fromkeys(s.object for s in stmts))
    return evidence(fb, stmts, fb.rosters_for(blocs), filters)


def memberships(fb: FactBase, state: str, period: DateRange | None = None,
                statuses: set[str] | None = None, filters: Filters = NO_FILTER) -> Answer:
    """Every bloc the state belongs to; without a period, each bloc at its own latest date."""
    evs = membership_evidence(fb, state, filters)
    wanted = _wanted(statuses, "membership")
    rows: list[dict] = []
    hidden: list[dict] = []
    for ev in evs:
        p = period
        if p is None:
            of_bloc, _ = _admitted(fb, filters, fb.for_objects([ev.object]))
            p = latest_stated([s for s in of_bloc if s.relation == "membership"])
            assert p is not None  # (the evidence holds at least one of its statements)
        vs = verdicts(ev, p)
        # a hidden row is only named in a note: its citations are not built (as _answer)
        hidden.extend(_hidden_row(fb, v, "bloc") for v in vs
                      if wanted is not None and v.status not in wanted)
        vs = [v for v in vs if wanted is None or v.status in wanted]
        cites = evidence_cites(fb, ev) if len(vs) > 1 else None  # (once per key)
        rows.extend(verdict_row(fb, v, cites) for v in vs)
    shown = rows
    notes = _hidden_note(hidden, "bloc")
    if not shown and not hidden:
        notes += _silence_note(f"{fb.name_of(state)}'s memberships", evs,
                               period or ALL_TIME)
    return Answer(_sort(fb, shown, "bloc"), notes)


def recognizers(fb: FactBase, entity: str, period: DateRange | None = None,
                statuses: set[str] | None = None, filters: Filters = NO_FILTER) -> Answer:
    """States that recognise the entity; without a period, everything the articles say."""
    mine = [s for s in fb.for_objects([entity]) if s.relation == "recognition"]
    evs = evidence(fb, mine, (), filters)
    unexpanded = unexpanded_groups(fb, mine, filters)
    if not evs and fb.entities[entity].kind == "state":
        return Answer([], [f"the articles state no recognition of {fb.name_of(entity)}; to "
                           f"ask what {fb.name_of(entity)} recognises: alliances recognitions "
                           f"{fb.name_of(entity)!r}"])
    answer = _answer(fb, evs, period or ALL_TIME, statuses, "recognition", "state",
                     f"the recognition of {fb.name_of(entity)}")
    return Answer(answer.rows, [*answer.notes, *unexpanded])


def recognitions(fb: FactBase, state: str, period: DateRange | None = None,
                 statuses: set[str] | None = None, filters: Filters = NO_FILTER) -> Answer:
    """What one state recognises (and, with --all, what the articles say it does not)."""
    mine = [s for s in fb.for_subject(state) if s.relation == "recognition"]
    mine += group_statements(fb, "recognition")
    evs = [ev for ev in evidence(fb, mine, (), filters) if ev.subject == state]
    return _answer(fb, evs, period or ALL_TIME, statuses, "recognition", "entity",
                   f"recognition by {fb.name_of(state)}")

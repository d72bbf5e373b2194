"""Two names or two dates side by side: compare (two blocs), shared (two states) and
changes (one bloc or entity between two dates). Split from query.py, which re-exports
every name.
"""

from __future__ import annotations

from ..facts.dates import MIN, DateRange
from ..facts.model import BELONGS, ENDED, NOT_LISTED, STATUSES, FactBase, fold
from .evaluate import ALL_TIME, HELD, PRIORITY, Verdict, verdicts
from .filters import NO_FILTER, Answer, Filters
from .gathering import _admitted, evidence, latest_stated
from .rows import codes_of, short_name, verdict_row
from .standing import SHOWN, existence_notes, members, memberships


def _default_pair_period(fb, filters, a, b):
    stmts, _ = _admitted(fb, filters, fb.for_objects([a, b]))
    lasts = [latest_stated([s for s in stmts if s.relation == "membership" and s.object == x])
             for x in (a, b)]
    if None in lasts:
        return next(x for x in lasts if x is not None) if any(lasts) else ALL_TIME
    return min(lasts, key=lambda d: d.latest)


TIE = (*sorted(BELONGS), "associate", "observer")  # what puts a state "in" a bloc: compare, shared


def _side(rows: list[dict]) -> tuple[str, dict | None]:
    """Whether one state is in a bloc, from its verdicts there: "yes" (a tie: member,
    associate or observer), "no", or "undecided" (a tie disputed, or only possible beside
    a status that would exclude it); and the row that says so."""
    ties = [r for r in rows if r["status"] in TIE]
    others = [r for r in rows if r["status"] not in TIE]
    if not ties:
        return "no", (others[0] if others else None)
    best = ties[0]
    # in either way when the clash is between two ties (member or observer)
    if any(r["basis"] == "disputed" and set(r.get("disputed_with") or ()) - set(TIE)
           for r in ties) or (
            best["basis"] not in HELD and any(STATUSES[r["status"]].group == "tie"
                                               for r in others)):
        return "undecided", best
    return "yes", best


def _pairs(rows_a: dict, rows_b: dict, keys, labels: tuple[str, str], statuses):
    """compare's and shared's one rule, for two sides (two blocs, or two states) and the
    keys between them (states, or blocs), each side's rows per key as `members` or
    `memberships --all` gives them: each side is yes/no/undecided by `_side` (ties only);
    `in` is both, only one, undecided (either side undecided) or neither; a key is kept
    when --all, or when a side has a status asked for (by default: member). Yields (key,
    in, (side a, row), (side b, row), the citations of both)."""
    wanted = SHOWN["membership"] if statuses is None else statuses
    for key in keys:
        ka, kb = rows_a.get(key, []), rows_b.get(key, [])
        if not ("all" in wanted or any(r["status"] in wanted for r in (*ka, *kb))):
            continue
        (ia, ra), (ib, rb) = _side(ka), _side(kb)
        where = ("undecided" if "undecided" in (ia, ib)
                 else "both" if (ia, ib) == ("yes", "yes")
                 else f"only {labels[0]}" if ia == "yes"
                 else f"only {labels[1]}" if ib == "yes" else "neither")
        yield (key, where, (ia, ra), (ib, rb),
               _union([c for r in ka for c in r["sources"]],
                      [c for r in kb for c in r["sources"]]))


def compare(fb: FactBase, a: str, b: str, period: DateRange | None = None,
            filters: Filters = NO_FILTER, statuses: set[str] | None = None) -> Answer:
    """Who is in both blocs, in the first only, in the second only: each side read from
    what `members` answers for that bloc. `in` is decided by ties only (member, associate,
    observer), never by a negative status; a side whose tie is disputed, or only possible
    beside a status that excludes it, is undecided."""
    period = period or _default_pair_period(fb, filters, a, b)
    every: dict = {}
    for x in (a, b):
        side: dict = {}
        for r in members(fb, x, period, {"all"}, filters).rows:
            if r["state_id"]:
                side.setdefault(r["state_id"], []).append(r)
        every[x] = side
    short = {x: short_name(fb, x) for x in (a, b)}
    rows = []
    states = sorted(set(every[a]) | set(every[b]), key=lambda i: fold(fb.name_of(i)))
    for state, where, (ia, ra), (ib, rb), cites in _pairs(
            every[a], every[b], states, (short[a], short[b]), statuses):
        rows.append({
            "state": fb.name_of(state), "state_id": state, **codes_of(fb, state), "in": where,
            "in_a": ia, "in_b": ib,
            "bloc_a": short[a], "status_a": ra["status"] if ra else None,
            "basis_a": ra["basis"] if ra else None,
            "bloc_b": short[b], "status_b": rb["status"] if rb else None,
            "basis_b": rb["basis"] if rb else None,
            "as_of": period.label, "sources": cites,
        })
    order = {"both": 0, f"only {short[a]}": 1, f"only {short[b]}": 2, "undecided": 3,
             "neither": 4}
    rows.sort(key=lambda r: order[r["in"]])
    notes = existence_notes(fb, a, period) + existence_notes(fb, b, period)
    if any(r["in"] == "undecided" for r in rows):
        notes.append("undecided: "
                     + ", ".join(r["state"] for r in rows if r["in"] == "undecided")
                     + " (a tie disputed, or only possible beside a status that excludes "
                       "it; see in_a/in_b)")
    return Answer(rows, notes)


def _union(a: list[dict], b: list[dict]) -> list[dict]:
    out: list[dict] = []
    for c in (*a, *b):
        if c not in out:
            out.append(c)
    return out


def shared(fb: FactBase, a: str, b: str, period: DateRange | None = None,
           filters: Filters = NO_FILTER, statuses: set[str] | None = None) -> Answer:
    """The blocs both states are in: compare's rule (`_pairs`) with the sides the two
    states and the keys their blocs, each side read from what `memberships --all`
    answers for that state. By default the blocs where `in` is both (or undecided); with
    --status or --all every bloc either state has such a status in, with `in` saying
    which side is in."""
    every: dict = {}
    for x in (a, b):
        side: dict = {}
        for r in memberships(fb, x, period, {"all"}, filters).rows:
            side.setdefault(r["bloc_id"], []).append(r)
        every[x] = side
    names = (fb.name_of(a), fb.name_of(b))
    # the blocs both speak of first, then the others
    blocs = dict.fromkeys([*(k for k in every[a] if k in every[b]), *every[a], *every[b]])
    rows = []
    for bloc, where, (ia, ra), (ib, rb), cites in _pairs(every[a], every[b], blocs, names,
                                                         statuses):
        if statuses is None and where not in ("both", "undecided"):
            continue  # by default, what both are in
        rows.append({
            "bloc": fb.blocs[bloc].name, "bloc_id": bloc, "in": where, "in_a": ia, "in_b": ib,
            "state_a": names[0], "state_a_id": a, "status_a": ra["status"] if ra else None,
            "basis_a": ra["basis"] if ra else None,
            "state_b": names[1], "state_b_id": b, "status_b": rb["status"] if rb else None,
            "basis_b": rb["basis"] if rb else None,
            "as_of": (ra or rb or {}).get("as_of"), "sources": cites,
        })
    return Answer(rows, [])


def _primary(vs: list[Verdict], last: bool = False) -> Verdict | None:
    """A key's verdict for one side of a change: of the stated ones (else of all), the one
    that holds first in the period (`last`: the one that holds at its end), the strongest
    of those that start together."""
    if not vs:
        return None
    pool = [v for v in vs if v.basis in HELD] or vs

    def start(v):
        return v.episode.start_hi if v.episode is not None else MIN
    if last:
        return max(pool, key=lambda v: (start(v), -PRIORITY.get(v.status, 99)))
    return min(pool, key=lambda v: (start(v), PRIORITY.get(v.status, 99)))


def _inside(r: DateRange | None, before: DateRange, after: DateRange) -> bool:
    """Whether an article's date for a change lies inside the window (after `before`
    begins, by the end of `after`)."""
    return r is not None and r.earliest >= before.earliest and r.latest <= after.latest


def changes(fb: FactBase, kind: str, ident: str, before: DateRange, after: DateRange,
            include_all: bool = False, filters: Filters = NO_FILTER) -> Answer:
    """What changed in a bloc's membership (or an entity's recognition) between two dates,
    from the verdicts of both dates. `joined` (`recognized`, ...) and `withdrew` only where
    an admitted article places the start or end inside the window; otherwise `first
    attested` or `last attested`: not being spoken of is not a change."""
    if kind == "bloc":
        mine = [s for s in fb.for_objects([ident]) if s.relation == "membership"]
        evs = evidence(fb, mine, fb.rosters_for([ident]), filters)
    else:
        mine = [s for s in fb.for_objects([ident]) if s.relation == "recognition"]
        evs = evidence(fb, mine, (), filters)
    rows = []
    pairs = []
    for ev in evs:
        # statuses of one group (a tie, recognising or not) are one line of change; a
        # status that holds beside any other (partner, aspirant) is a line of its own
        vsa, vsb = verdicts(ev, before), verdicts(ev, after)
        for group in dict.fromkeys(STATUSES[v.status].group or v.status for v in vsa + vsb):
            def of(vs):  # (called within this iteration only)
                return [v for v in vs if (STATUSES[v.status].group or v.status) == group]  # noqa: B023
            pairs.append((_primary(of(vsa), last=True), _primary(of(vsb), last=True)))
    for va, vb in pairs:
        sa, sb = (va.status if va else None), (vb.status if vb else None)
        if sa == sb and not include_all:
            continue
        if va is None and vb is None:
            continue
        if sa == sb:
            change = "unchanged"
        elif vb is None:
            change = "last attested"
        elif sb == NOT_LISTED:
            change = "left out of a complete list"
        elif sb in ENDED.values() or va is None or sa != sb:
            placed = vb.episode.since if vb.episode is not None else None
            if _inside(placed, before, after):
                assert sb is not None  # (vb is not None here)
                change = (STATUSES[sb].start if va is None or sb in ENDED.values()
                          else f"{sa} \u2192 {sb}")
            elif va is None:
                change = "first attested"
            else:
                change = f"{sa} \u2192 {sb} (when, no article says)"
        either = vb if vb is not None else va
        assert either is not None  # (both None was skipped above)
        r0 = verdict_row(fb, either)
        ra = verdict_row(fb, va) if va else {}
        rb = verdict_row(fb, vb) if vb else {}
        rows.append({"state": r0["state"], "state_id": r0["state_id"], "change": change,
                     "status_before": sa, "basis_before": ra.get("basis"),
                     "status_after": sb, "basis_after": rb.get("basis"),
                     "before": before.label, "after": after.label,
                     "sources": _union(ra.get("sources", []), rb.get("sources", []))})
    rows.sort(key=lambda r: fold(r["state"]))
    notes = [] if rows else [f"no change the articles state between {before.label} and "
                             f"{after.label}"]
    return Answer(rows, notes)

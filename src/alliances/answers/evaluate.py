"""The one place that decides what the evidence says.

For each (relation, subject, object) the admitted statements (after --source and
--known-at) are combined once into *episodes*, one per status: the days all the articles
allow for when it started (their `since` bounds intersected, capped by every article that
already reports it, by the bloc's formation, and by a conflicting status reported before
it), the days it was certainly true, and how long it may be carried forward (until its
own `until`, or until a later admitted article says otherwise). A period then gets its
verdicts from the episodes alone, so every command and export gives the same answer.

Rules (the README's "Reading the answers" says them in words):
- a status holds in a period when the period meets its *possible span* (from the earliest
  start the evidence allows to the latest end it allows); a fact with no lower bound on its
  start is never carried before its first article;
- basis `stated` when an article places it in the period, `possible` when it is only
  carried forward (or its start is uncertain there), `disputed` when admitted articles that
  cannot both be true meet in the period;
- a state listed by an earlier article and left out of a later complete list is
  `not-listed` from that list on, and its earlier status is carried no further;
- statuses that exclude each other (member/observer/non-member/former-member/not-listed;
  recognizes against does-not-recognize/not-yet) never both hold on the same day: one that
  ends before the other starts bounds both, and certain overlap is a dispute.
"""

from __future__ import annotations

from datetime import timedelta

from ..facts.dates import MAX, MIN, DateRange, bounds
from ..facts.model import NOT_LISTED, Roster, Statement

DAY = timedelta(days=1)
ALL_TIME = DateRange(MIN, MAX, "all dates")

# Statuses that cannot hold together for one (subject, object): a tie and its absence.
TIES = frozenset({"member", "associate", "observer", "non-member", "former-member", NOT_LISTED})
LISTED = ("member", "observer", "associate")
POSITIVE, NEGATIVE = frozenset({"recognizes"}), frozenset({"does-not-recognize", "not-yet"})
# When several compatible or successive statuses hold in one period, the strongest first.
PRIORITY = {"member": 0, "associate": 1, "observer": 2, "partner": 3, "aspirant": 4,
            "proposed": 5, NOT_LISTED: 6, "former-member": 7, "non-member": 8,
            "recognizes": 0, "does-not-recognize": 1, "not-yet": 2}


def exclusive(a: str, b: str) -> bool:
    """Two statuses that cannot both be true of one (subject, object) on the same day."""
    if a == b:
        return False
    if a in TIES and b in TIES:
        return True
    return (a in POSITIVE and b in NEGATIVE) or (a in NEGATIVE and b in POSITIVE)


def _plus(d, days=1):
    return d if d in (MIN, MAX) else d + DAY * days


class Episode:
    """One status of one (relation, subject, object), with everything its evidence allows."""

    __slots__ = ("status", "claims", "rosters", "since", "until", "start_lo", "start_hi",
                 "carry_from", "end_hi", "last_certain", "disputes",
                 "derived")

    def __init__(self, status: str, claims: list[Statement]):
        self.status = status
        self.claims = claims
        self.rosters: list[Roster] = []      # complete lists that omit the state (not-listed)
        self.disputes: list[tuple] = []      # (lo, hi, other status, kind)
        self.derived: list[str] = []         # how a bound came from other evidence

    def cert(self):
        """The days it was certainly true (may be empty)."""
        return self.start_hi, self.last_certain

    def start_range(self) -> DateRange | None:
        """When it began, as all the evidence allows; None when no article bounds it."""
        if self.since is None and not self.derived:
            return None
        lo, hi = self.start_lo, self.start_hi
        if self.since is not None and (self.since.earliest, self.since.latest) == (lo, hi):
            return self.since
        return bounds(lo, hi)

    def possible(self):
        return self.carry_from, self.end_hi

    def stated_spans(self):
        """The days each article places it on, within what the evidence allows."""
        spans = [(r.stated.earliest, r.stated.latest) for r in self.rosters]
        if self.status != NOT_LISTED:
            for c in self.claims:
                if c.since is not None:
                    lo = self.start_hi
                elif c.until is not None:
                    lo = c.until.earliest
                else:
                    lo = c.stated.earliest
                hi = c.until.earliest if c.until is not None else c.stated.latest
                spans.append((lo, hi))
        lo_cap, hi_cap = self.possible()
        return [(max(lo, lo_cap), min(hi, hi_cap)) for lo, hi in spans
                if max(lo, lo_cap) <= min(hi, hi_cap)]


def _combine(ranges):
    """The days every range allows; (hull, False) when they cannot all be true."""
    out = None
    for r in ranges:
        out = r if out is None else out.intersect(r)
        if out is None:
            lo = min(x.earliest for x in ranges)
            hi = max(x.latest for x in ranges)
            return bounds(lo, hi), False
    return out, True


def _event(c: Statement) -> DateRange:
    """When a refusal (or a "not yet") was reported to hold: its own date where the article
    gives one, else the article's; an open lower bound is never carried before the article."""
    if c.since is None:
        return c.stated
    if c.since.earliest == MIN:
        hi = min(c.since.latest, c.stated.latest)
        return bounds(min(c.stated.earliest, hi), hi)
    return c.since


def _episode(status: str, claims: list[Statement], formed: DateRange | None) -> Episode:
    ep = Episode(status, claims)
    ok = True
    if status in NEGATIVE:
        # Not recognising is a standing position, reported at one or more dates: each
        # report is a day it held, and it held from the earliest of them.
        events = [_event(c) for c in claims]
        first = min(events, key=lambda r: (r.latest, r.earliest))
        since = first if any(c.since is not None for c in claims) else None
        lo, hi = min(r.earliest for r in events), min(r.latest for r in events)
    else:
        sinces = [c.since for c in claims if c.since is not None]
        since, ok = _combine(sinces) if sinces else (None, True)
        lo = since.earliest if since else MIN
        hi = since.latest if since else MAX
        for c in claims:
            # every article that reports it as already true caps its start
            if c.until is not None:
                hi = min(hi, c.until.latest)
            elif not c.forecast:
                hi = min(hi, c.stated.latest)
    past = any(c.until is not None and c.since is None for c in claims)
    if lo == MIN:
        # no lower bound anywhere in the text: never carried before its first article,
        # except a past spell ("was a member but withdrew in 1999"), which reaches back to
        # the bloc's formation where that is known
        carry = min(c.until.earliest if c.until is not None and c.since is None
                    else c.stated.earliest for c in claims)
        if past and formed is not None:
            carry = min(carry, formed.earliest)
    else:
        carry = lo
    if formed is not None and formed.earliest > lo:
        lo = formed.earliest
        if since is not None or past:
            ep.derived.append(f"not before the bloc's formation ({formed.label})")
    untils = [c.until for c in claims if c.until is not None]
    until, ok2 = _combine(untils) if untils else (None, True)
    ep.since, ep.until = since, until
    ep.start_lo, ep.start_hi = lo, max(hi, lo) if hi != MAX else hi
    ep.carry_from = max(carry, lo)
    ep.end_hi = until.latest if until else MAX
    ep.last_certain = max(c.until.earliest if c.until is not None else c.stated.earliest
                          for c in claims)
    if not (ok and ok2):
        ep.disputes.append((ep.carry_from, ep.end_hi, status, "date"))
    return ep


def _interact(a: Episode, b: Episode) -> None:
    """Two statuses that exclude each other: order them, or record that they clash."""
    (alo, ahi), (blo, bhi) = a.cert(), b.cert()
    lo, hi = max(alo, blo), min(ahi, bhi)
    # A status may change on a day: one certain until the day the other certainly starts is
    # a change, not a clash; any other overlap of certain days is.
    if alo <= ahi and blo <= bhi and lo <= hi and ahi != blo and bhi != alo:
        a.disputes.append((lo, hi, b.status, "status"))
        b.disputes.append((lo, hi, a.status, "status"))
        return
    first, then = (a, b) if a.last_certain <= b.start_hi else (b, a)
    if first.last_certain > then.start_hi:
        return  # neither is certainly before the other: both stay possible
    if then.start_hi < first.end_hi:
        first.end_hi = max(then.start_hi, first.carry_from)
    start = first.last_certain  # it may have changed on the last day it was reported
    if start > then.start_lo:
        then.start_lo = start
        then.derived.append(f"after {first.status} as last reported "
                            f"({first.last_certain.isoformat()})")
        if then.carry_from < start:
            then.carry_from = min(start, then.start_hi)


class Evidence:
    """Everything admitted about one (relation, subject, object), combined once."""

    __slots__ = ("relation", "subject", "object", "group", "episodes", "statements",
                 "rosters")

    def __init__(self, relation, subject, obj, group, episodes, statements, rosters):
        self.relation, self.subject, self.object, self.group = relation, subject, obj, group
        self.episodes = episodes       # one Episode per status
        self.statements = statements   # every admitted statement, for the citations
        self.rosters = rosters         # complete lists that omit the state


def combine(relation: str, subject: str, obj: str, group, statements: list[Statement],
            rosters: list[Roster], formed: DateRange | None) -> Evidence:
    """Combine the admitted statements (and the bloc's complete lists) of one key."""
    by_status: dict[str, list[Statement]] = {}
    for s in statements:
        by_status.setdefault(s.status, []).append(s)
    eps = [_episode(st, cl, formed if relation == "membership" else None)
           for st, cl in by_status.items()]
    for i, a in enumerate(eps):
        for b in eps[i + 1:]:
            if exclusive(a.status, b.status):
                _interact(a, b)
    omitting: list[Roster] = []
    listed = [e for e in eps if e.status in LISTED]
    ties = [e for e in eps if e.status in TIES]
    # Only when the latest word on the tie is a listing: a withdrawal or a stated
    # non-membership already explains why a later list leaves the state out.
    if (relation == "membership" and group is None and listed
            and max(ties, key=lambda e: e.last_certain).status in LISTED):
        last = max(e.last_certain for e in listed)
        omitting = sorted((r for r in rosters if r.bloc == obj and r.complete
                           and subject not in r.states and r.stated.earliest > last),
                          key=lambda r: r.stated.earliest)
        if omitting:
            first = omitting[0]
            nl = Episode(NOT_LISTED, [])
            nl.rosters = omitting
            nl.since = nl.until = None
            nl.start_lo, nl.start_hi = _plus(last), first.stated.latest
            nl.carry_from = first.stated.earliest
            nl.end_hi = MAX
            nl.last_certain = omitting[-1].stated.earliest
            for e in listed:
                e.end_hi = min(e.end_hi, max(first.stated.latest, e.carry_from))
            eps.append(nl)
    elif relation == "membership" and group is None and ties:
        # A withdrawal or a stated non-membership, then a complete list that leaves the
        # state out: the list confirms it, for its own date.
        latest = max(ties, key=lambda e: e.last_certain)
        if latest.status in ("former-member", "non-member"):
            latest.rosters = sorted((r for r in rosters if r.bloc == obj and r.complete
                                     and subject not in r.states
                                     and r.stated.earliest > latest.last_certain),
                                    key=lambda r: r.stated.earliest)
            omitting = latest.rosters
    return Evidence(relation, subject, obj, group, tuple(eps), tuple(statements),
                    tuple(omitting))


class Verdict:
    """What the evidence says of one key for one period: one status, one basis."""

    __slots__ = ("evidence", "status", "basis", "since", "until", "period", "disputed_with",
                 "derived")

    def __init__(self, evidence, status, basis, since, until, period, disputed_with, derived):
        self.evidence, self.status, self.basis = evidence, status, basis  # stated|possible|disputed
        self.since, self.until, self.period = since, until, period
        self.disputed_with = disputed_with   # the statuses it clashes with in the period
        self.derived = derived               # notes on bounds that come from other evidence


def _meets(span, period: DateRange) -> bool:
    lo, hi = span
    return lo <= hi and lo <= period.latest and period.earliest <= hi


def verdicts(ev: Evidence, period: DateRange) -> list[Verdict]:
    """The verdicts of one key for a period: nothing when the evidence rules it out."""
    cands = []
    for e in ev.episodes:
        if not _meets(e.possible(), period):
            continue
        clash = tuple(sorted({d[2] for d in e.disputes if _meets(d[:2], period)}))
        stated = any(_meets(s, period) for s in e.stated_spans())
        cands.append((e, "disputed" if clash else "stated" if stated else "possible", clash))
    if not cands:
        return []
    if any(b == "stated" for _, b, _ in cands) and not any(b == "disputed" for _, b, _ in cands):
        cands = [c for c in cands if c[1] == "stated"]
    cands.sort(key=lambda c: PRIORITY.get(c[0].status, 9))
    out, taken = [], []
    for e, basis, clash in cands:
        if basis == "stated" and any(exclusive(e.status, t) for t in taken):
            continue  # a stronger stated status that excludes this one already answers
        # (statuses that are only possible are alternatives: each is shown)
        taken.append(e.status)
        out.append(Verdict(ev, e.status, basis, e.start_range(), e.until, period, clash,
                           tuple(e.derived)))
    return out


def gather_each(statements, rosters, formed_of):
    """Group admitted statements by key and combine each once, yielding as it goes (order
    of first mention). "Not recognised by any state" ends when some state recognises, so
    the keys about an entity that such a statement names are combined together, last."""
    keyed: dict = {}
    for s in statements:
        keyed.setdefault((s.relation, s.subject, s.object, s.group), []).append(s)
    by_bloc: dict = {}
    for r in rosters:
        by_bloc.setdefault(r.bloc, []).append(r)
    together = {k[2] for k in keyed if k[0] == "recognition" and k[3] is not None
                and k[3].everyone}
    batch = []
    for (rel, subj, obj, grp), ss in keyed.items():
        ev = combine(rel, subj, obj, grp, ss, by_bloc.get(obj, ()),
                     formed_of(obj) if rel == "membership" else None)
        if rel == "recognition" and obj in together:
            batch.append(ev)
        else:
            yield ev
    for ev in batch:
        if ev.group is not None and ev.group.everyone:
            starts = [e.start_hi for other in batch if other.object == ev.object
                      and other is not ev for e in other.episodes if e.status in POSITIVE]
            for e in ev.episodes:
                if e.status in NEGATIVE and starts:
                    e.end_hi = max(min(e.end_hi, min(starts)), e.carry_from)
    yield from batch


def gather(statements, rosters, formed_of) -> list[Evidence]:
    """The evidence of every key at once (see gather_each)."""
    return list(gather_each(statements, rosters, formed_of))

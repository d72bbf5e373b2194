"""The one place that decides what the evidence says.

For each (relation, subject, object) the admitted statements (after --source and
--known-at, with group statements already expanded per state) are combined once into
*spells*: each a stretch of one status with its own start and end bounds and its own
citations. A period then gets its verdicts from the spells alone, so every command and
export gives the same answer.

How statements become spells follows docs/rules.md, "The semantics" (R1-R9), which names
the function of this module each rule lives in; in short:
- statements of one status are one spell unless an `until` separates them or a status that
  excludes it comes between (R4); a later report of an end with no return between is the
  same end, told differently;
- a spell's start (and end) is read as *readings*: the largest sets of its statements'
  constraints (each `since`, each cap at an end or an article's date, the bloc's
  formation) that can all be true together (R1, R2); the spell is disputed only on the
  days one reading holds it for certain and another rules it out (R3);
- statuses that exclude each other never hold on one day: one certainly before the other
  bounds it, a certain overlap is a dispute (R5), and a later report of an excluding
  status stops carrying forward (R6);
- not recognising is one verdict, a "not yet" after any recognition a dispute (R7);
- a complete list that omits a state whose latest earlier word is a listing says
  `not-listed` on its date (R4b); statuses outside a group hold beside any other.

A fact from an article whose date is known only within bounds is `stated` only in a period
that holds all its possible dates; elsewhere it is `possible`; between two reports of one
spell it is `bracketed`.
"""

from __future__ import annotations

import weakref
from datetime import date, timedelta
from typing import NamedTuple

from ..facts.dates import MAX, MIN, DateRange, bounds
from ..facts.model import BELONGS, ENDED, NOT_LISTED, STATUSES, Roster, Statement

DAY = timedelta(days=1)
# the roles a complete list gives (it speaks for members, observers, associates and dialogue
# partners at once: docs/curation.md, "Present-tense rosters"), and the ties it agrees with
LISTED = frozenset({"member", "observer", "associate", "dialogue-partner", "suspended"})
UNLISTED = frozenset({"former-member", "non-member"})
ALL_TIME = DateRange(MIN, MAX, "all dates")
POSITIVE = frozenset({"recognizes"})
NEGATIVE = frozenset({"does-not-recognize", "not-yet"})   # standing positions, reported
NOT_RECOGNIZING = frozenset({"withdrawn", *NEGATIVE})     # one answer: not recognising
SEEKING = frozenset({"aspirant", "proposed"})             # ended by joining
# When several compatible or successive statuses hold in one period, the strongest first.
PRIORITY = {k: v.rank for k, v in STATUSES.items()}


class Dispute(NamedTuple):
    """Days on which the readings of a key's evidence disagree about a spell."""

    lo: date
    hi: date
    other: str   # the status it clashes with (its own status for a dispute over dates)
    kind: str    # "date" | "status" | "omission"


class Reading(NamedTuple):
    """A largest set of constraints on one day (a spell's start or end) that can all be
    true together: the days they all allow, and which constraints they are (R2)."""

    lo: date
    hi: date
    members: frozenset[int]


def exclusive(a: str, b: str) -> bool:
    """Two statuses that cannot both be true of one (subject, object) on the same day: two
    of the "tie" group (of which `not-listed` excludes only the roles a list gives), or
    recognising against any of the statuses of not recognising."""
    if a == b:
        return False
    if NOT_LISTED in (a, b):
        # a complete list, which speaks for every role, that leaves the state out says it
        # has none then: it contradicts each role, and agrees with a former member and a
        # non-member (R4b)
        return (b if a == NOT_LISTED else a) in LISTED
    ga, gb = STATUSES[a].group, STATUSES[b].group
    if ga == "tie" and gb == "tie":
        return True
    return ga == gb == "recognition" and ((a in POSITIVE) != (b in POSITIVE))


def _plus(d, days=1):
    return d if d in (MIN, MAX) else d + DAY * days


class Episode:
    """One spell: one status of one (relation, subject, object) over one stretch of time,
    with everything its evidence allows."""

    __slots__ = ("status", "claims", "rosters", "since", "until", "start_lo", "start_hi",
                 "carry_from", "end_hi", "last_certain", "disputes", "derived", "spell",
                 "first_certain", "earliest_sure", "latest_sure", "reports")
    since: DateRange | None
    until: DateRange | None
    start_lo: date
    start_hi: date
    carry_from: date
    end_hi: date
    last_certain: date

    def __init__(self, status: str, claims: list[Statement]):
        self.status = status
        self.claims = claims
        self.rosters: list[Roster] = []      # complete lists that omit the state (not-listed)
        self.disputes: list[Dispute] = []
        self.derived: list[str] = []         # how a bound came from other evidence
        self.spell = 1                       # its number among the spells of its status
        self.reports: tuple | None = None    # _reports(), once its lists are set
        self.first_certain = MAX             # the earliest day some reading holds it certain
        # Its statements each give ranges of days that hold a day it certainly held:
        # earliest_sure is the first day by which it has certainly held once, latest_sure
        # the last day from which it certainly held once. A spell is one stretch, so of two
        # that exclude each other, one is certainly before the other when it certainly held
        # before a day the other certainly held, and never after (_before).
        self.earliest_sure, self.latest_sure = _report_span(claims)

    def cert(self):
        """The days it was certainly true in every reading (may be empty)."""
        return self.start_hi, self.last_certain

    def cert_any(self):
        """The days it was certainly true in some reading of its start (may be empty)."""
        return min(self.start_hi, self.first_certain), self.last_certain

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
        """What each article places it on: (lo, hi, certain). A certain span is days it
        held; an uncertain one is a single unknown day within (an article dated only
        within bounds), stated only by a period that holds it all."""
        spans = [(r.stated.earliest, r.stated.latest, r.stated.earliest == r.stated.latest)
                 for r in self.rosters]
        if self.status != NOT_LISTED:
            for c in self.claims:
                if c.via is not None and c.via[2] != "stated":
                    continue  # expanded from a membership the articles only allow
                if c.until is not None:
                    lo = self.start_hi if c.since is not None else c.until.earliest
                    spans.append((lo, c.until.earliest, True))
                elif c.since is not None and self.start_hi <= c.stated.earliest:
                    spans.append((self.start_hi, c.stated.earliest, True))
                else:
                    spans.append((c.stated.earliest, c.stated.latest,
                                  c.stated.earliest == c.stated.latest))
        lo_cap, hi_cap = self.possible()
        out = []
        for lo, hi, certain in spans:
            a, b = max(lo, lo_cap), min(hi, hi_cap)
            if a <= b:
                # an uncertain day keeps its whole range: cut, it would claim more certainty
                out.append((a, b, True) if certain else (lo, hi, False))
        return out


def _report_span(claims) -> tuple[date, date]:
    """(earliest_sure, latest_sure) of a spell (see Episode): each statement gives ranges
    that each hold a day the spell certainly held (its start, the end it reports, its
    article's date for the present tense)."""
    los, his = [], []
    for c in claims:
        cap = (c.until.latest if c.until is not None else
               MAX if c.forecast else c.stated.latest)
        spans = []
        if c.since is not None:
            spans.append((c.since.earliest, min(c.since.latest, cap)))
        if c.until is not None:
            spans.append((c.until.earliest, c.until.latest))
        elif not c.forecast:
            spans.append((c.stated.earliest, c.stated.latest))
        for lo, hi in spans:
            los.append(lo)
            his.append(hi)
    return (min(his) if his else MAX), (max(los) if los else MIN)


def readings(ranges: list[tuple[date, date]]) -> list[Reading]:
    """The readings of some constraints on one day (a spell's start, or its end): the
    largest sets of them that can all be true together, each with the days all of its
    members allow, earliest first (docs/rules.md, "Readings"). For ranges of days these
    are the largest sets that share a day; every such set shares the latest first day of
    its members, so trying each range's first day finds them all."""
    found: set[frozenset[int]] = set()
    for p in sorted({lo for lo, _ in ranges}):
        found.add(frozenset(i for i, (lo, hi) in enumerate(ranges) if lo <= p <= hi))
    out = []
    for c in found:
        if any(c < o for o in found):
            continue
        out.append(Reading(max(ranges[i][0] for i in c), min(ranges[i][1] for i in c), c))
    return sorted(out, key=lambda r: (r.lo, r.hi, sorted(r.members)))


def _bounded_below(r: Reading, cons, owners) -> bool:
    """Whether a statement's `since` in the reading (not only the bloc's formation) bounds
    it below."""
    return any(owners[i][1] == "since" and cons[i][0] != MIN for i in r.members)


def _disputed_days(rs) -> tuple[date, date] | None:
    """The days on which one reading holds a change for certain and another rules it out:
    after the latest day some reading allows and before the earliest another does."""
    if len(rs) < 2:
        return None
    lo, hi = min(r[1] for r in rs), max(r[0] for r in rs)
    return (lo, hi - DAY) if lo < hi else None


def _event(c: Statement) -> DateRange:
    """When a refusal (or a "not yet") was reported to hold: its own date where the article
    gives one, else the article's; an open lower bound is never carried before the article."""
    if c.since is None:
        if c.until is not None and c.until.latest < c.stated.earliest:
            # a past refusal ("were not recognized", no later than 2007): it held before
            # its end, not on the article's date
            return bounds(c.until.earliest if c.until.earliest != MIN else c.until.latest,
                          c.until.latest)
        return c.stated
    if c.since.earliest == MIN:
        hi = min(c.since.latest, c.stated.latest)
        if c.until is not None:
            hi = min(hi, c.until.latest)
        return bounds(min(c.stated.earliest, hi), hi)
    if c.until is not None and c.since.latest > c.until.latest:
        # a start bound that runs past the statement's own end: it began by the end
        return bounds(c.since.earliest, max(c.since.earliest, c.until.latest))
    return c.since


def _end_range(c: Statement) -> tuple[date, date]:
    """What one statement allows for the end of its spell: its `until`; a report in the
    present tense, or a start, says it had not ended before then."""
    if c.until is not None:
        # an end is never before its start
        lo = c.until.earliest
        if c.since is not None and c.since.earliest != MIN and c.since.earliest > lo:
            lo = min(c.since.earliest, c.until.latest)
        return lo, c.until.latest
    if c.since is not None and c.forecast:
        return c.since.earliest, MAX
    floor = c.stated.earliest if not c.forecast else MIN
    if c.since is not None and c.since.earliest != MIN:
        floor = max(floor, c.since.earliest) if floor != MIN else c.since.earliest
    return floor, MAX


def _start_atoms(claims, formed) -> tuple[list[tuple[date, date]], list[tuple[int, str]]]:
    """The constraints on a spell's start (R1, R2), each with the statement it comes from:
    a statement's `since`; its cap (no later than the end it reports or, in the present
    tense, its article's date: "already true then"); and the bloc's formation. A reading
    may keep a statement's cap and drop its `since` (E17: "joined in 1990" against "formed
    in 1992" disputes the date, not that the state joined)."""
    cons: list[tuple[date, date]] = []
    owners: list[tuple[int, str]] = []
    for i, c in enumerate(claims):
        if c.since is not None:
            cons.append((c.since.earliest, c.since.latest))
            owners.append((i, "since"))
        cap = (c.until.latest if c.until is not None else None if c.forecast
               else c.stated.latest)
        if cap is not None:
            cons.append((MIN, cap))
            owners.append((i, "cap"))
        elif c.since is None:
            cons.append((MIN, MAX))
            owners.append((i, "cap"))
    if formed is not None:
        cons.append((formed.earliest, MAX))
        owners.append((-1, "formed"))
    return cons, owners


def _combined_since(claims, owners, members) -> DateRange | None:
    """The sinces of one reading, intersected (keeping an article's own label)."""
    out = None
    # (in a canonical order, so that the order of the YAML never changes a label: of two
    # equal ranges, the one written more simply, "2008-09" before "[2008-09-01..2008-09-30]")
    sinces = sorted((claims[owners[i][0]].since for i in members
                     if owners[i][1] == "since"),
                    key=lambda r: (r.earliest, r.latest, len(r.label), r.label))
    for r in sinces:
        out = r if out is None else (out.intersect(r) or out)
    return out


def _episode(status: str, claims: list[Statement], formed: DateRange | None,
             first: bool = True) -> Episode:
    ep = Episode(status, claims)
    if status in NEGATIVE:
        # Not recognising is a standing position, reported at one or more dates: each
        # report is a day it held, and it held from the earliest of them.
        events = [_event(c) for c in claims]
        earliest = min(events, key=lambda r: (r.latest, r.earliest))
        since = earliest if any(c.since is not None for c in claims) else None
        lo, hi = min(r.earliest for r in events), min(r.latest for r in events)
        start_rs: list[Reading] = [Reading(lo, hi, frozenset())]
        start_window = None
        carry = lo if lo != MIN else min(c.stated.earliest for c in claims)
    else:
        # The readings of the start: the largest sets of the statements' constraints on
        # it (and the bloc's formation) that share a day.
        cons, owners = _start_atoms(claims, formed)
        start_rs = readings(cons)
        lo = min(r[0] for r in start_rs)
        hi = max(r[1] for r in start_rs)
        parts = [p for p in (_combined_since(claims, owners, r.members) for r in start_rs)
                 if p is not None]
        if not parts:
            since = None
        elif len(parts) == 1 or all(p == parts[0] for p in parts):
            since = parts[0]
        else:
            since = bounds(min(p.earliest for p in parts), max(p.latest for p in parts))
        start_window = _disputed_days(start_rs)
        if formed is not None and any(any(owners[i][1] == "formed" for i in r.members)
                                      and r.lo == formed.earliest for r in start_rs) and (
                since is not None or any(c.until is not None for c in claims)):
            ep.derived.append(f"not before the bloc's formation ({formed.label})")
        if all(c.since is None for c in claims):
            # no lower bound anywhere in the text: never carried before its first article,
            # except a past spell ("was a member but withdrew in 1999"), which reaches back
            # to the bloc's formation where that is known
            past = any(c.until is not None for c in claims)
            carry = min(c.until.earliest if c.until is not None else c.stated.earliest
                        for c in claims)
            if past and first and formed is not None:
                carry = min(carry, formed.earliest)
            carry = max(carry, lo)
        else:
            # each reading from its own first day; one with no first day ("by 1999") from
            # the first report, or from the day it certainly held by, the earlier
            # (a reading whose first day only the bloc's formation gives is not carried
            # back to the formation either)
            first_report = min(c.stated.earliest for c in claims)
            carry = min(r.lo if _bounded_below(r, cons, owners)
                        else max(r.lo, min(first_report, r.hi)) for r in start_rs)
    untils = [c for c in claims if c.until is not None]
    until: DateRange | None = None
    end_window = None
    end_rs: list[Reading] = []
    if untils and status not in NEGATIVE:
        # the readings of the end: each statement's `until` (or, in the present tense, not
        # ended before its article's date), and for each reported end, the status it ends
        # into already holding on that article's date (R1: "withdrew in 2012", said in
        # 2014, is over by 2014 even in a reading that takes another article's date)
        econs = [_end_range(c) for c in claims]
        eowner = list(range(len(claims)))
        for i, c in enumerate(claims):
            if c.until is not None and not c.forecast:
                econs.append((MIN, max(c.stated.latest, c.until.latest)))
                eowner.append(i)
        end_rs = readings(econs)
        ends = [r for r in end_rs
                if any(claims[eowner[i]].until is not None and i < len(claims)
                       for i in r.members)]
        end_rs = ends or end_rs
        ulo, uhi = min(r[0] for r in end_rs), max(r[1] for r in end_rs)
        labels = [u for r in end_rs for i in sorted(r.members)
                  if i < len(claims) and (u := claims[i].until) is not None]
        if len(end_rs) == 1:
            for u in labels:
                until = u if until is None else (until.intersect(u) or until)
            if until is not None and (until.earliest, until.latest) != (ulo, uhi):
                until = bounds(ulo, uhi)  # (an end no earlier than its start: R1)
        else:
            until = bounds(ulo, uhi)
        # (the status holds through its end's earliest day in a reading, and is over after
        # its latest: disputed from the day after one reading's latest end to another's
        # earliest)
        end_window = _disputed_days([Reading(_plus(r.lo), _plus(r.hi), r.members)
                                     for r in end_rs])
        last_certain = ulo
        end_hi = uhi
    else:
        for c in untils:  # a standing refusal that the article places before an end
            assert c.until is not None
            until = c.until if until is None else (until.intersect(c.until) or until)
        end_hi = until.latest if until is not None else MAX
        last_certain = max(c.until.earliest if c.until is not None else c.stated.earliest
                           for c in claims)
        if until is not None:
            last_certain = min(last_certain, until.latest)
    ep.since, ep.until = since, until
    ep.start_lo = lo
    ep.start_hi = max(hi, lo) if hi != MAX else hi
    ep.first_certain = min(r[1] for r in start_rs)
    ep.carry_from = carry
    ep.end_hi = end_hi
    ep.last_certain = last_certain
    if status not in NEGATIVE and not untils:
        ep.last_certain = max(c.stated.earliest for c in claims if not c.forecast) if any(
            not c.forecast for c in claims) else ep.start_hi
    if status not in NEGATIVE:
        # Readings that cannot all be true are disputed only on the days one holds the
        # status for certain and another rules it out (R3): a start that one reading has
        # and another has not, up to the last day some reading holds it (its last report,
        # or the latest end a reading allows); an end that one reading has and another
        # has not, from the first day some reading holds it begun.
        certain_to = max((r[0] for r in end_rs), default=ep.last_certain) if untils \
            else ep.last_certain
        if start_window is not None and start_window[0] <= min(start_window[1], certain_to):
            ep.disputes.append(Dispute(start_window[0], min(start_window[1], certain_to),
                                       status, "date"))
        if end_window is not None and max(end_window[0], ep.first_certain) <= end_window[1]:
            ep.disputes.append(Dispute(max(end_window[0], ep.first_certain), end_window[1],
                                       status, "date"))
    return ep


def _reports(e: Episode):
    """(the last day e is reported, each claim's days that hold a day it certainly held,
    its complete lists' dates) for _report_after: read from the spell's statements and
    lists alone, so computed once per spell (combine sets its lists first)."""
    got = e.reports
    if got is not None:
        return got
    last = e.last_certain
    for c in e.claims:
        if c.until is None and not c.forecast:
            last = max(last, c.stated.latest)
    for r in e.rosters:
        last = max(last, r.stated.latest)
    days: list[tuple[tuple[date, date], ...]] = []
    for c in e.claims:
        if c.forecast:
            continue
        if c.until is not None:
            if c.since is None or c.since.latest == MAX:
                continue  # a past spell: no day of it is certain but its end
            days.append(((c.since.latest, c.since.latest), (c.until.earliest, c.until.earliest)))
        elif c.since is not None:
            days.append(((c.since.latest, c.since.latest), (c.stated.earliest, c.stated.latest)))
        else:
            days.append(((c.stated.earliest, c.stated.latest),))
    lists = [(r.stated.earliest, r.stated.latest) for r in e.rosters]
    got = e.reports = (last, days, lists)
    return got


def _report_after(x: Episode, y: Episode) -> date | None:
    """The first day, certainly after every report of x, on which an article has y
    certainly holding: where x's carrying forward must stop ("a later status that excludes
    it ends the carry")."""
    last = _reports(x)[0]
    _, days_of, lists = _reports(y)
    best = None
    for days in days_of:
        for lo, hi in days:
            if lo > last and hi != MAX and (best is None or hi < best):
                best = hi
                break
    for lo, hi in lists:
        if lo > last and (best is None or hi < best):
            best = hi
    return best


def _before(a: Episode, b: Episode) -> bool:
    """Whether a spell is certainly before another that excludes it: it certainly held
    on or before a day the other certainly held, and the other never before it."""
    return a.earliest_sure <= b.latest_sure and not b.earliest_sure < a.latest_sure


def _interact(a: Episode, b: Episode) -> None:
    """Two spells of statuses that exclude each other: order them, or record a clash."""
    # neither is carried forward past a later report of the other
    for x, y in ((a, b), (a, b)[::-1]):
        cut = _report_after(x, y)
        if cut is not None:
            cut = max(cut, y.start_hi)  # a report of one reading cuts only there
        if cut is not None and cut < x.end_hi:
            x.end_hi = max(cut, x.carry_from, x.last_certain)
    if "recognizes" in (a.status, b.status) and {a.status, b.status} & NEGATIVE:
        rec, neg = (a, b) if a.status == "recognizes" else (b, a)
        if (rec.until is None or neg.status == "not-yet") and rec.start_hi < neg.last_certain:
            # a recognition no article ends, then a report that the state does not (or
            # has yet to) recognise; or any recognition before a "not yet", which says
            # none came before its date: not a change the articles state, but two
            # articles that cannot both be right, on the days between them
            lo = max(rec.start_hi, rec.carry_from)
            hi = neg.last_certain if rec.until is None else min(neg.last_certain,
                                                                 rec.last_certain)
            rec.disputes.append(Dispute(lo, hi, neg.status, "status"))
            neg.disputes.append(Dispute(lo, neg.last_certain, "recognizes", "status"))
            return
    (alo, ahi), (blo, bhi) = a.cert_any(), b.cert_any()
    lo, hi = max(alo, blo), min(ahi, bhi)
    # A status may change on a day: one certain until the day the other certainly starts is
    # a change, not a clash; any other overlap of certain days is.
    same_day = alo == ahi == blo == bhi
    one_report = same_day and any(x.citation == y.citation for x in a.claims for y in b.claims)
    change = (ahi == blo or bhi == alo) and not (same_day and not one_report)
    if alo <= ahi and blo <= bhi and lo <= hi and not change:
        a.disputes.append(Dispute(lo, hi, b.status, "status"))
        b.disputes.append(Dispute(lo, hi, a.status, "status"))
        return
    if _before(a, b):
        first, then = a, b
    elif _before(b, a):
        first, then = b, a
    else:
        return  # the order of their reports is unknown: neither bounds the other
    if then.start_hi < first.end_hi:
        first.end_hi = max(then.start_hi, first.carry_from)
    start = first.last_certain  # it may have changed on the last day it was reported
    if start > then.start_lo:
        then.start_lo = start
        then.derived.append(f"after {first.status} as last reported "
                            f"({first.last_certain.isoformat()})")
        if then.carry_from < start:
            then.carry_from = min(start, then.start_hi)


def _held_on(c: Statement):
    """A day the statement says its status held, to put statements in order: the first
    day it certainly held where the text gives one, else the earliest it allows."""
    if c.since is not None:
        last = min(c.since.latest, c.stated.latest)
        if c.until is None or last <= c.until.earliest:
            return last, 1
        return (c.since.earliest if c.since.earliest != MIN else last), 1
    if c.until is not None:
        return (c.until.earliest if c.until.earliest != MIN else c.until.latest), 0
    return c.stated.earliest, 1


def _restarts(c: Statement, end: DateRange) -> bool:
    """Whether a statement says the status holds again after a spell's end."""
    if c.since is not None:
        return c.since.earliest > end.latest
    return c.until is None and c.stated.earliest > end.latest


def _split(claims: list[Statement]) -> list[list[Statement]]:
    """One stretch of a status into spells: an end closes one, a return opens the next."""
    spells: list[list[Statement]] = []
    cur: list[Statement] = []
    end = None
    for c in claims:
        if cur and end is not None and _restarts(c, end):
            spells.append(cur)
            cur, end = [], None
        cur.append(c)
        if c.until is not None:
            end = c.until if end is None else (end.intersect(c.until) or end)
    if cur:
        spells.append(cur)
    return spells


def _runs(claims: list[Statement]) -> list[tuple[str, list[Statement]]]:
    """Statements of statuses that exclude each other, in date order, as runs of one
    status; an end reported again later (with no return between) rejoins its spell."""
    ordered = sorted(claims, key=lambda c: (_held_on(c), PRIORITY.get(c.status, 99),
                                            c.citation.line))
    runs: list[tuple[str, list[Statement]]] = []
    for c in ordered:
        # one spell of its status unless a status that excludes it came between (R4): a
        # withdrawal reported again after a refusal is the same withdrawal
        for k in range(len(runs) - 1, -1, -1):
            if runs[k][0] == c.status:
                runs[k][1].append(c)
                break
            if exclusive(runs[k][0], c.status):
                runs.append((c.status, [c]))
                break
        else:
            runs.append((c.status, [c]))
    i = 2
    while i < len(runs):
        status, cl = runs[i]
        if (runs[i - 2][0] == status and runs[i - 1][0] == ENDED.get(status)
                and all(c.until is not None and c.since is None for c in cl)):
            runs[i - 2][1].extend(cl)
            del runs[i]
            if i < len(runs) and runs[i][0] == runs[i - 1][0]:
                runs[i - 1][1].extend(runs[i][1])
                del runs[i]
            continue
        i += 1
    return runs


class Evidence:
    """Everything admitted about one (relation, subject, object), combined once."""

    __slots__ = ("relation", "subject", "object", "group", "episodes", "statements",
                 "rosters", "disputed", "kept", "__weakref__")

    def __init__(self, relation, subject, obj, group, episodes, statements, rosters,
                 disputed=None):
        self.relation, self.subject, self.object, self.group = relation, subject, obj, group
        self.episodes = episodes       # the spells, of every status
        self.statements = statements   # every admitted statement, for the citations
        self.rosters = rosters         # complete lists that omit the state
        # whether any spell has a dispute (`disputes` reads no other key's spells)
        self.disputed = (any(e.disputes for e in episodes) if disputed is None
                         else disputed)
        # where its spells are kept between runs (answers/kept.py): (store, key), or None
        self.kept = None


def _returned(d: Statement, base: str, statements: list[Statement]) -> bool:
    """Whether the article of a derived end also reports the ended status again after it."""
    if d.since is None:
        return False
    for c in statements:
        if c.citation.source != d.citation.source or c.status != base or c.until == d.since:
            continue
        if c.since is not None and c.since.earliest > d.since.latest:
            return True
        if c.since is None and c.until is None and not c.forecast:
            return True
    return False


def _at_exit(d: Statement, statements) -> Statement:
    """A derived end stated from the exit to the day before the return its article dates
    ("left in 1999, re-entered in 2006": out from 1999 to 2005), or at the exit alone
    when the article does not date the return ("left in 1999; today again a member")."""
    assert d.since is not None
    rets = [c.since.earliest for c in statements
            if c.citation.source == d.citation.source and c.since is not None
            and c.until != d.since and c.since.earliest > d.since.latest
            and c.since.earliest != MIN]
    if not rets:
        return d._replace(stated=d.since)
    day = max(d.since.latest, min(rets) - DAY)
    return d._replace(stated=bounds(day, day))


def _spells(relation, statements, formed) -> list[Episode]:
    """Every spell of one key, before they bound each other."""
    grouped: list[Statement] = []
    free: dict[str, list[Statement]] = {}
    for s in statements:
        if STATUSES[s.status].group is None:
            free.setdefault(s.status, []).append(s)
        else:
            grouped.append(s)
    stretches = _runs(grouped)
    # A status derived from an end ("withdrew in 1999": a former member from then) is
    # what its article says of the present unless the same article reports a return
    # ("but re-entered in 2006"): then it says only that the status began at the end.
    ended_by = {v: k for k, v in ENDED.items()}
    for i, (status, cl) in enumerate(stretches):
        base = ended_by.get(status)
        if not base:
            continue
        stretches[i] = (status, [_at_exit(c, grouped) if _returned(c, base, grouped) else c
                                 for c in cl])
    for status, cl in free.items():
        stretches.append((status, sorted(cl, key=lambda c: (_held_on(c), c.citation.line))))
    eps: list[Episode] = []
    count: dict[str, int] = {}
    for status, cl in stretches:
        for part in _split(cl):
            n = count[status] = count.get(status, 0) + 1
            ep = _episode(status, part, formed, first=n == 1)
            ep.spell = n
            eps.append(ep)
    return eps


def _omissions(subject: str, obj: str, statements: list[Statement],
               rosters: list[Roster]) -> tuple[list[Statement], dict, list[Roster]]:
    """The complete lists that leave the state out, as statements of `not-listed` for the
    dates of the lists (each one whose latest earlier word on the tie is that the state
    has a role a list gives: a withdrawal or a stated non-membership already explains why
    a later list leaves the state out, and a list of the same day as a listing is a
    dispute, below); and the lists that confirm a withdrawal or a non-membership, by the
    status they confirm."""
    ties = [c for c in statements if STATUSES[c.status].group == "tie"]
    made: list[Statement] = []
    confirming: dict[str, list[Roster]] = {}
    used: list[Roster] = []
    for r in sorted(rosters, key=lambda r: (r.stated.earliest, r.citation.line)):
        if r.bloc != obj or not r.complete or subject in r.states:
            continue
        before = [c for c in ties if _held_on(c)[0] < r.stated.earliest]
        if not before:
            continue
        latest = max(before, key=lambda c: (_held_on(c), PRIORITY.get(c.status, 99)))
        if latest.status in LISTED:
            made.append(Statement("membership", subject, obj, NOT_LISTED, None, None,
                                  r.stated, r.citation, roster=True))
            used.append(r)
        elif latest.status in ("former-member", "non-member"):
            confirming.setdefault(latest.status, []).append(r)
            used.append(r)
    return made, confirming, used


def combine(relation: str, subject: str, obj: str, group, statements: list[Statement],
            rosters: list[Roster], formed: DateRange | None) -> Evidence:
    """Combine the admitted statements (and the bloc's complete lists) of one key."""
    made: list[Statement] = []
    confirming: dict[str, list[Roster]] = {}
    omitting: list[Roster] = []
    if relation == "membership" and group is None:
        made, confirming, omitting = _omissions(subject, obj, statements, rosters)
    eps = _spells(relation, [*statements, *made],
                  formed if relation == "membership" else None)
    by_citation = {(r.citation.source, r.citation.line): r for r in rosters}
    for e in eps:
        if e.status == NOT_LISTED:
            e.rosters = [by_citation[(c.citation.source, c.citation.line)] for c in e.claims]
    for status, rs in confirming.items():
        # a withdrawal or a stated non-membership, then a complete list that leaves the
        # state out: the list confirms it, for its own date
        target = [e for e in eps if e.status == status]
        if target:
            latest = max(target, key=lambda e: e.last_certain)
            latest.rosters = sorted(rs, key=lambda r: r.stated.earliest)
    # A spell ends the spell before it of the same status (a return after an end).
    by_status: dict[str, list[Episode]] = {}
    for e in eps:
        by_status.setdefault(e.status, []).append(e)
    for same in by_status.values():
        same.sort(key=lambda e: e.start_hi)
        for prev, nxt in zip(same, same[1:], strict=False):
            if prev.until is not None and prev.until.earliest > nxt.start_lo:
                nxt.start_lo = prev.until.earliest
                nxt.derived.append(f"after the end of the spell before ({prev.until.label})")
                nxt.carry_from = max(nxt.carry_from, min(nxt.start_lo, nxt.start_hi))
    for i, a in enumerate(eps):
        for b in eps[i + 1:]:
            if exclusive(a.status, b.status):
                _interact(a, b)
    # Seeking to join, or a proposed accession, is not carried past a later report that
    # the state belongs to the bloc: the aspiration is fulfilled (R6)
    for x in eps:
        if x.status not in SEEKING:
            continue
        for y in eps:
            if y.status in BELONGS:
                cut = _report_after(x, y)
                if cut is not None:
                    cut = max(cut, y.start_hi)
                    if cut < x.end_hi:
                        x.end_hi = max(cut, x.carry_from, x.last_certain)
    listed = [e for e in eps if e.status in LISTED]
    if relation == "membership" and group is None and listed:
        last = max(e.last_certain for e in listed)
        same_day = [r for r in rosters if r.bloc == obj and r.complete
                    and subject not in r.states and r.stated.earliest <= last <= r.stated.latest]
        for r in same_day:  # a complete list of the day it is listed, without it
            for e in listed:
                if e.last_certain == last:
                    e.disputes.append(Dispute(r.stated.earliest, r.stated.latest,
                                              NOT_LISTED, "omission"))
    for e in eps:
        e.reports = None  # only the interactions above read them: not kept with the key
    return Evidence(relation, subject, obj, group, tuple(eps), tuple(statements),
                    tuple(omitting))


class Verdict:
    """What the evidence says of one key for one period: one status, one basis."""

    __slots__ = ("evidence", "status", "basis", "since", "until", "period", "disputed_with",
                 "derived", "episode")

    def __init__(self, evidence, status, basis, since, until, period, disputed_with, derived,
                 episode=None):
        self.evidence, self.status, self.basis = evidence, status, basis  # stated|possible|disputed
        self.since, self.until, self.period = since, until, period
        self.disputed_with = disputed_with   # the statuses it clashes with in the period
        self.derived = derived               # notes on bounds that come from other evidence
        self.episode = episode               # the spell it reads


def _meets(span, period: DateRange) -> bool:
    lo, hi = span[0], span[1]
    return lo <= hi and lo <= period.latest and period.earliest <= hi


def _states(span, period: DateRange) -> bool:
    """Whether a stated span places its status in the period."""
    lo, hi, certain = span
    if certain:
        return _meets((lo, hi), period)
    return period.earliest <= lo and hi <= period.latest


def verdicts(ev: Evidence, period: DateRange) -> list[Verdict]:
    """The verdicts of one key for a period: every spell that could hold in it, except one
    that a stated spell of a status excluding it rules out over the whole of the period."""
    return _verdicts(ev, period)[0]


def _breakpoints(ev: Evidence) -> tuple[list[date], list]:
    """Every day _verdicts compares a period's bounds with, sorted: each spell's possible
    days, certain days, disputes and stated spans (all fixed once the key is combined);
    and each spell's stated spans. Two periods with none of these days from the first's
    start to the second's end make every comparison alike, so they have the same verdicts
    (see verdict_runs)."""
    days: set[date] = set()
    spans = []
    for e in ev.episodes:
        days.update((e.carry_from, e.end_hi, e.start_hi, e.last_certain))
        for d in e.disputes:
            days.add(d[0])
            days.add(d[1])
        mine = e.stated_spans()
        spans.append(mine)
        for s in mine:
            days.add(s[0])
            days.add(s[1])
    return sorted(days), spans


def verdict_runs(ev: Evidence, periods: list[DateRange]):
    """The verdicts of one key for each of a list of periods in date order, none
    overlapping the next (a panel's years), computed once per run of periods that no
    breakpoint of the key separates: yields (start, stop, verdicts), where verdicts are
    those of periods[start] and every period of periods[start:stop] has the same ones but
    for their period (verdicts_each makes them). A key is evaluated about as many times as
    its evidence has dates in the periods, not once per period."""
    from bisect import bisect_left

    days, spans = _breakpoints(ev)
    i, n = 0, len(periods)
    while i < n:
        vs, labelled = _verdicts(ev, periods[i], spans)
        j = i + 1
        if not labelled:
            while j < n:
                k = bisect_left(days, periods[j - 1].earliest)
                if k < len(days) and days[k] <= periods[j].latest:
                    break
                j += 1
        yield i, j, vs
        i = j


def verdicts_each(ev: Evidence, periods: list[DateRange]):
    """verdicts(ev, p) for each p of periods (in date order, none overlapping the next),
    one list per period, each evaluated once per run (verdict_runs)."""
    for i, j, vs in verdict_runs(ev, periods):
        yield vs
        for p in periods[i + 1:j]:
            yield [Verdict(v.evidence, v.status, v.basis, v.since, v.until, p,
                           v.disputed_with, v.derived, v.episode) for v in vs]


def _verdicts(ev: Evidence, period: DateRange, spans=None) -> tuple[list[Verdict], bool]:
    """verdicts(), and whether a note of theirs names the period (then a run of periods
    cannot share them). spans: each spell's stated_spans(), when already read."""
    labelled = False
    cands = []
    for n, e in enumerate(ev.episodes):
        if not _meets(e.possible(), period):
            continue
        clash = tuple(sorted({d[2] for d in e.disputes if _meets(d[:2], period)}))
        stated = any(_states(s, period)
                     for s in (e.stated_spans() if spans is None else spans[n]))
        if clash:
            basis = "disputed"
        elif stated:
            basis = "stated"
        elif _meets(e.cert(), period):
            # certain in every reading, between the reports that bound it, with no end
            # or contrary report between them
            basis = "bracketed"
        else:
            basis = "possible"
        cands.append((e, basis, clash))
    if not cands:
        return [], labelled
    keep = []
    for e, basis, clash in cands:
        if basis == "possible":
            lo = max(period.earliest, e.carry_from)
            hi = min(period.latest, e.end_hi)
            if any(b2 in HELD and exclusive(e.status, o.status)
                   and o.cert()[0] <= lo and hi <= o.cert()[1]
                   for o, b2, _ in cands):
                continue  # certainly something else on every day it could hold here
        keep.append((e, basis, clash))
    keep.sort(key=lambda c: (PRIORITY.get(c[0].status, 99), c[0].start_hi))
    # One verdict per status: two spells of one status in a period read as one row, its
    # basis the strongest of theirs (a dispute of either spell is a dispute of the row).
    # The statuses of not recognising (withdrawn, does-not-recognize, not-yet) are one
    # answer to one question, so they are one row: the most specific status that could
    # hold, with the strongest basis among them.
    # A complete list's omission agrees with a stated absence of any role (a former member,
    # a non-member): where one is as well placed in the period, the omission adds no row
    # of its own, only a note on that row (R4b).
    agree = [(o.status, b) for o, b, _ in keep if o.status in UNLISTED]
    folded: dict = {}
    if agree:
        rest = []
        for e, basis, clash in keep:
            host = next((st for st, b in agree if BASIS_STRENGTH[b] >= BASIS_STRENGTH[basis]),
                        None) if e.status == NOT_LISTED and not clash else None
            if host is None:
                rest.append((e, basis, clash))
            else:
                folded.setdefault(host, []).extend(r.citation.source for r in e.rosters)
        keep = rest
    out: list = []
    seen: dict = {}
    for e, basis, clash in keep:
        key = "not-recognizing" if e.status in NOT_RECOGNIZING else e.status
        if key in seen:
            v = seen[key]
            v.basis = _stronger(v.basis, basis)
            v.disputed_with = tuple(sorted(set(v.disputed_with) | set(clash)))
            if e.status == v.status:
                # since and until stay those of one spell (the first in the period), so the
                # row never reads as one unbroken stretch (C3); the note names the other
                shown = e.start_range() or e.since
                if shown is None:
                    labelled, shown = True, period
                v.derived = (*v.derived, f"spell {e.spell} of {e.status} in this period too "
                                         f"(from {shown.label}"
                                         + (f", until {e.until.label})" if e.until else ")"))
            else:
                v.derived = (*v.derived, f"also {e.status} ({basis}) in this period")
            continue
        v = Verdict(ev, e.status, basis, e.start_range(), e.until, period, clash,
                    tuple(e.derived), e)
        seen[key] = v
        out.append(v)
    for host, ids in folded.items():
        v = seen[host]
        v.derived = (*v.derived, "also left out of a complete list ("
                     + ", ".join(dict.fromkeys(ids)) + ")")
    return out, labelled


BASIS_STRENGTH = {"possible": 0, "bracketed": 1, "stated": 2, "disputed": 3}
# what the articles place in a period, directly or between two reports of one spell
HELD = frozenset({"stated", "bracketed"})


def _stronger(a: str, b: str) -> str:
    """The stronger of two bases: a dispute over a stated, a stated over a possible."""
    return a if BASIS_STRENGTH[a] >= BASIS_STRENGTH[b] else b


# Keys combined by gather() in this process, by value (relation, subject, object, group,
# statements, lists, formation): a key asked for again in one run (a bloc's members for
# its group statements, then the same keys for `disputes` or for a state's memberships
# through `-`) is combined once. combine is a function of these alone, and its spells are
# not changed after it. A key is kept only while something else holds its evidence (a
# bloc's members, remembered by the query for its group statements; a panel's keys), so
# remembering never keeps what a streaming export has let go; at most REMEMBERED_KEYS.
_COMBINED: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
REMEMBERED_KEYS = 20_000


_LISTS: dict = {}  # a bloc's complete lists, one tuple shared by the keys of the bloc


def _combine_once(rel, subj, obj, grp, ss, rs, formed, remember: bool) -> Evidence:
    try:
        lists = tuple(rs)
        key = (rel, subj, obj, grp, tuple(ss), lists, formed)
        done = _COMBINED.get(key)
    except TypeError:  # an unhashable field: combine it without the memo
        return combine(rel, subj, obj, grp, ss, rs, formed)
    if done is None:
        done = combine(rel, subj, obj, grp, ss, rs, formed)
        if remember and len(_COMBINED) < REMEMBERED_KEYS:
            # the key holds what the evidence already holds (its statements) and one
            # tuple of lists per bloc, so remembering a key costs little beyond it
            lists = _LISTS.setdefault(lists, lists)
            _COMBINED[(rel, subj, obj, grp, done.statements, lists, formed)] = done
    return done


def _kept_or_combined(store, rel, subj, obj, grp, ss, rs, formed, remember) -> Evidence:
    """A key's evidence: read from the store (answers/kept.py) when it holds it, else
    combined (and kept there, when the store can key it). remember: as _combine_once;
    None for a key with expanded group statements, which is combined without the memo."""
    where = None if store is None or grp is not None else store.where(
        rel, subj, obj, ss, rs, formed)
    done = None if where is None else store.get(where, rel, subj, obj, ss, rs, formed)
    if done is None:
        done = (combine(rel, subj, obj, grp, ss, rs, formed) if remember is None else
                _combine_once(rel, subj, obj, grp, ss, rs, formed, remember))
        if where is not None:
            store.put(where, obj, done, ss, rs)
    # (what a panel keeps of the key is kept beside its spells; a key remembered from an
    # earlier run in the process keeps nothing of that run's store)
    done.kept = None if where is None else (store, where)
    return done


def gather_each(statements, rosters, formed_of, remember: bool = False, store=None):
    """Group admitted statements by key and combine each once, yielding as it goes (order
    of first mention). With remember (gather), the keys without an expanded group statement
    are kept for later calls in the process (_COMBINED); without, only looked up there, so
    a stream of keys (an export) is not held. With a store (answers/kept.py), a key is
    read from the spells kept by content when
    there, and kept when combined; so is one with expanded group statements (each known by
    the group statement it came from and the membership it was expanded from)."""
    keyed: dict = {}
    for s in statements:
        keyed.setdefault((s.relation, s.subject, s.object, s.group), []).append(s)
    by_bloc: dict = {}
    for r in rosters:
        by_bloc.setdefault(r.bloc, []).append(r)
    # Keys whose evidence differs only in the state (a group statement expanded over every
    # state: "only Nicaragua has followed") have the same spells: they are combined once.
    # The spells never read a statement's subject (a Statement's fields after relation and
    # subject are the key); a bloc's complete lists do, so whether each list names the
    # state is part of the key. Spells are not changed after combine. Only keys with an
    # expanded statement are remembered, so a stream of distinct keys is not held.
    same: dict = {}
    for (rel, subj, obj, grp), ss in keyed.items():
        rs = by_bloc.get(obj, ())
        formed = formed_of(obj) if rel == "membership" else None
        if all(s.via is None for s in ss):
            yield _kept_or_combined(store, rel, subj, obj, grp, ss, rs, formed, remember)
            continue
        key = (rel, obj, grp, tuple(subj in r.states for r in rs) if rel == "membership" else (),
               tuple(s[2:] for s in ss))
        done = same.get(key)
        if done is None:
            done = same[key] = _kept_or_combined(store, rel, subj, obj, grp, ss, rs, formed,
                                                 None)
            yield done
        else:
            yield Evidence(rel, subj, obj, grp, done.episodes, tuple(ss), done.rosters,
                           done.disputed)


def gather(statements, rosters, formed_of, store=None) -> list[Evidence]:
    """The evidence of every key at once (see gather_each)."""
    return list(gather_each(statements, rosters, formed_of, remember=True, store=store))

"""An independent oracle for the evaluation, written from docs/rules.md ("The semantics",
R1-R3) and not from the engine's code: for small generated fact bases about one state and
one entity (recognitions with loose and tight `since` bounds, articles dated to a day or to
a range, present-tense reports with no start), it decides by brute force, day by day, which
days the status is shown, which are disputed and which are certain in every reading, and the
engine (`answers.evaluate`) must agree on every day of the window.

The oracle enumerates every subset of the statements' start constraints, keeps the largest
consistent ones (the readings) by trying every day of a window, and classifies each day in
each reading; it never calls the engine's `readings` or `_disputed_days`.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliances.answers.evaluate import gather, verdicts
from alliances.facts.dates import MIN, DateRange, bounds
from alliances.facts.model import Citation, Statement

DAY0 = date(2001, 1, 1)
SPAN = 14          # articles and bounds fall on days 0..SPAN-1
LOW, HIGH = -3, SPAN + 3  # the days asked about, a margin either side
NEG = -10 ** 6     # "no lower bound" in the oracle's own arithmetic


def day(k: int) -> date:
    return DAY0 + timedelta(days=k)


def rng(lo: int | None, hi: int) -> DateRange:
    return bounds(MIN if lo is None else day(lo), day(hi))


# -- the generated fact bases ------------------------------------------------------------
@st.composite
def fact_bases(draw):
    """1-4 statements that Nicaragua recognises Zed, each from its own article."""
    out = []
    for i in range(draw(st.integers(1, 4))):
        t_lo = draw(st.integers(0, SPAN - 1))
        t_hi = draw(st.sampled_from([t_lo, min(SPAN - 1, t_lo + draw(st.integers(0, 3)))]))
        kind = draw(st.sampled_from(["none", "day", "range", "open"]))
        since = None
        if kind == "day":
            since = (d := draw(st.integers(0, t_hi)), d)
        elif kind == "range":
            a = draw(st.integers(0, t_hi))
            since = (a, draw(st.integers(a, t_hi)))
        elif kind == "open":
            since = (None, draw(st.integers(0, t_hi)))
        out.append({"id": f"a{i}", "t": (t_lo, t_hi), "since": since})
    return out


def statements(base) -> list[Statement]:
    out = []
    for n, s in enumerate(base):
        stated = rng(*s["t"])
        since = rng(*s["since"]) if s["since"] is not None else None
        cite = Citation(s["id"], f"quote {n}", None, "blocs.yaml", n + 1)
        out.append(Statement("recognition", "nicaragua", "zed", "recognizes", since, None,
                             stated, cite))
    return out


# -- the oracle (docs/rules.md R1-R3) ------------------------------------------------------
def constraints(s) -> list[tuple[tuple[int, int], str]]:
    """R1: what a statement says of its spell's start: its since, and its cap (no later
    than its article's latest day: a report in the present tense, already true then)."""
    out = []
    if s["since"] is not None:
        lo, hi = s["since"]
        out.append(((NEG if lo is None else lo, hi), "since"))
    out.append(((NEG, s["t"][1]), "cap"))
    return out


def oracle(base) -> dict[int, str]:
    """Each day's answer: 'none', 'possible', 'certain' or 'disputed'."""
    atoms = [a for s in base for a in constraints(s)]
    cons = [c for c, _ in atoms]
    days = range(NEG, NEG + 1)
    candidates = [NEG, *range(LOW - 12, HIGH + 12)]

    def allowed(subset):
        return [d for d in candidates if all(cons[i][0] <= d <= cons[i][1] for i in subset)]

    idx = range(len(cons))
    consistent = [set(c) for k in range(len(cons), 0, -1) for c in combinations(idx, k)
                  if allowed(c)]
    largest = [c for c in consistent if not any(c < o for o in consistent)]
    # R1 "never carried backward": a spell no statement bounds below starts, for what the
    # tool shows, at its first report
    no_start = all(s["since"] is None for s in base)
    first_report = (min(s["t"][0] for s in base), min(s["t"][1] for s in base))
    spans, shown_from = [], []
    for r in largest:
        ok = allowed(sorted(r))
        lo, hi = min(ok), max(ok)
        if no_start:
            lo, hi = first_report
            shown_from.append(lo)
        elif not any(atoms[i][1] == "since" and cons[i][0] != NEG for i in r):
            # no since bounds it below ("by day N", or only caps): shown from the first
            # report or N, the earlier
            shown_from.append(min(first_report[0], hi))
        else:
            shown_from.append(lo)
        spans.append((lo, hi))
    del days
    # R3: after its last report (the earliest day of the latest article that says it) a
    # spell no article ends is only carried forward
    last = max(s["t"][0] for s in base)
    out = {}
    for d in range(LOW, HIGH + 1):
        kinds = {"none" if d < lo else "certain" if hi <= d <= last else "possible"
                 for lo, hi in spans}
        if d < min(shown_from):
            out[d] = "none"  # R1: never carried back before what the articles allow
        elif kinds == {"certain"}:
            out[d] = "certain"
        elif kinds == {"none"}:
            out[d] = "none"
        elif {"certain", "none"} <= kinds:
            out[d] = "disputed"
        else:
            out[d] = "possible"
    return out


def engine(base) -> dict[int, tuple[str, str] | None]:
    ev = gather(statements(base), [], lambda bloc: None)
    assert len(ev) == 1
    out: dict[int, tuple[str, str] | None] = {}
    for d in range(LOW, HIGH + 1):
        vs = verdicts(ev[0], rng(d, d))
        assert len(vs) <= 1, "one verdict per status and day"
        out[d] = (vs[0].status, vs[0].basis) if vs else None
    return out


def agree(base) -> None:
    want, got = oracle(base), engine(base)
    reports = {s["t"][0] for s in base if s["t"][0] == s["t"][1]}
    for d in range(LOW, HIGH + 1):
        w, g = want[d], got[d]
        where = f"day {d} of {base}: oracle {w}, engine {g}"
        if w == "none":
            assert g is None, where
            continue
        assert g is not None and g[0] == "recognizes", where
        if w == "disputed":
            assert g[1] == "disputed", where
        else:
            assert g[1] != "disputed", where
        if w == "certain" and d in reports:
            assert g[1] == "stated", where   # an article dated that day says so


@settings(max_examples=2000, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(fact_bases())
def test_the_engine_agrees_with_the_oracle(base):
    agree(base)


# -- memberships: the bloc's formation and reported ends (R1: formation; R2 on the end) ----
@st.composite
def membership_bases(draw):
    """1-4 statements that Ardia is a member of the Pact, some reporting the end of its one
    spell (`until`), every present-tense report dated before every end; and perhaps the
    bloc's formation, itself a statement that can be outvoted."""
    ends = draw(st.integers(0, 2))
    out = []
    first_end = SPAN
    for _ in range(ends):
        w_lo = draw(st.integers(2, SPAN - 2))
        w_hi = draw(st.sampled_from([w_lo, min(SPAN - 1, w_lo + draw(st.integers(0, 4)))]))
        t = draw(st.integers(w_hi, SPAN - 1))
        out.append({"t": (t, t), "since": None, "until": (w_lo, w_hi)})
        first_end = min(first_end, w_lo)
    for s in out:
        # a start before every reported end, so that every statement is of one spell (a
        # start after an end would open a new one: R4); a lone end's own start may run
        # into it ("joined in 2011 ... has withdrawn", the end no earlier than the start)
        last = s["until"][1] if ends == 1 else first_end - 1
        if last >= 0 and draw(st.booleans()):
            a = draw(st.integers(0, last))
            s["since"] = (a, draw(st.integers(a, last)))
    for _ in range(draw(st.integers(1 if not ends else 0, 3))):
        t_lo = draw(st.integers(0, max(0, first_end - 1)))
        kind = draw(st.sampled_from(["none", "day", "range"]))
        since = None
        if kind == "day":
            since = (d := draw(st.integers(0, t_lo)), d)
        elif kind == "range":
            a = draw(st.integers(0, t_lo))
            since = (a, draw(st.integers(a, t_lo)))
        out.append({"t": (t_lo, t_lo), "since": since, "until": None})
    for i, s in enumerate(out):
        s["id"] = f"m{i}"
    formed = draw(st.sampled_from([None, draw(st.integers(0, SPAN - 1))]))
    return {"statements": out, "formed": formed}


def m_statements(base) -> list[Statement]:
    out = []
    for n, s in enumerate(base["statements"]):
        cite = Citation(s["id"], f"quote {n}", None, "blocs.yaml", n + 1)
        since = rng(*s["since"]) if s["since"] is not None else None
        until = rng(*s["until"]) if s["until"] is not None else None
        out.append(Statement("membership", "ardia", "pact", "member", since, until,
                             rng(*s["t"]), cite))
        if until is not None:  # what facts/validate.py writes beside it (R1)
            ended = until if since is None or since.earliest <= until.earliest else bounds(
                since.earliest, until.latest)
            out.append(Statement("membership", "ardia", "pact", "former-member", ended, None,
                                 rng(*s["t"]), cite))
    return out


def m_oracle(base) -> dict[int, str]:
    """Each day's answer for `member`, by R1-R3: readings of the start (each statement's
    since, no later than its end or its article's date; the formation) and of the end
    (each until, never before its statement's start; a present report says not ended
    before its date), each day classed in every pair of readings."""
    ss = base["statements"]
    big = HIGH + 40
    start, kinds_of = [], []
    for s in ss:
        if s["since"] is not None:
            start.append(s["since"])
            kinds_of.append("since")
        start.append((NEG, s["until"][1] if s["until"] is not None else s["t"][1]))
        kinds_of.append("cap")
    if base["formed"] is not None:
        start.append((base["formed"], big))
        kinds_of.append("formed")
    end = []
    for s in ss:
        if s["until"] is not None:
            lo = s["until"][0]
            if s["since"] is not None and s["since"][0] > lo:
                lo = min(s["since"][0], s["until"][1])
            end.append((lo, s["until"][1]))
        else:
            floor = s["t"][0]
            if s["since"] is not None:
                floor = max(floor, s["since"][0])
            end.append((floor, big))
    ended_by = [(NEG, s["t"][1]) for s in ss if s["until"] is not None]
    days = [NEG, *range(LOW - 12, big + 1)]

    def readings_of(cons, members=False):
        found = []
        for k in range(len(cons), 0, -1):
            for c in combinations(range(len(cons)), k):
                ok = [d for d in days if all(cons[i][0] <= d <= cons[i][1] for i in c)]
                if ok and not any(set(c) < f for f, _ in found):
                    found.append((set(c), (min(ok), max(ok))))
        return found if members else [r for _, r in found]

    raw = readings_of(start, members=True)
    starts = [r for _, r in raw]
    if all(s["since"] is None for s in ss):
        # R1: never carried before its first report (a past spell: its end, or formation)
        first = min(s["until"][0] if s["until"] is not None else s["t"][0] for s in ss)
        if any(s["until"] is not None for s in ss) and base["formed"] is not None:
            first = min(first, base["formed"])
        starts = [(max(first, lo) if lo != NEG else first, hi) for lo, hi in starts]
        shown_from = min(lo for lo, _ in starts)
    else:
        # a reading no since bounds below (only caps, or the formation) is shown from the
        # first report, or the day it certainly held by, the earlier
        first = min(s["t"][0] for s in ss)
        shown_from = min(lo if any(kinds_of[i] == "since" and start[i][0] != NEG for i in m)
                         else max(lo, min(first, hi)) for m, (lo, hi) in raw)
    has_end = any(s["until"] is not None for s in ss)
    # R1: each reported end also says the status it ends into held on its article's date
    if has_end:
        found = readings_of(end + ended_by, members=True)
        ends = [r for m, r in found if any(i < len(end) and ss[i]["until"] is not None
                                           for i in m)] or [r for _, r in found]
    else:
        ends = [(big, big)]
    last = max(s["t"][0] for s in ss if s["until"] is None) if not has_end else None
    # the readings of the derived former membership's start (R1: from the end each until
    # gives, never before its statement's start, reported on its article's date; not
    # before the bloc's formation)
    fcons = [e for s, e in zip(ss, end, strict=True) if s["until"] is not None] + ended_by
    if base["formed"] is not None:
        fcons.append((base["formed"], big))
    former = readings_of(fcons) if has_end else []
    out = {}
    for d in range(LOW, HIGH + 1):
        kinds = set()
        for lo, hi in starts:
            for wl, wh in ends:
                a = "certain" if d >= hi else "none" if d < lo else "possible"
                if has_end:
                    b = "certain" if d <= wl else "none" if d > wh else "possible"
                else:
                    b = "certain" if d <= last else "possible"
                kinds.add("none" if "none" in (a, b) else
                          "certain" if a == b == "certain" else "possible")
        out[d] = ("none" if d < shown_from or kinds == {"none"} else "certain"
                  if kinds == {"certain"} else "disputed" if {"certain", "none"} <= kinds
                  else "possible")
        # R5: only possible on a day the status its end derives (former-member) is certain
        # in every reading (from the latest end a reading allows to its last report)
        if has_end and out[d] == "possible":
            told = max(s["t"][0] for s in ss if s["until"] is not None)
            if all(hi <= d for _, hi in former) and d <= told:
                out[d] = "none"
    return out


def m_agree(base) -> None:
    formed = (rng(base["formed"], base["formed"]) if base["formed"] is not None else None)
    ev = gather(m_statements(base), [], lambda bloc: formed)
    want = m_oracle(base)
    for d in range(LOW, HIGH + 1):
        got = [v for e in ev for v in verdicts(e, rng(d, d)) if v.status == "member"]
        assert len(got) <= 1
        g = (got[0].status, got[0].basis) if got else None
        w = want[d]
        where = f"day {d} of {base}: oracle {w}, engine {g}"
        if w == "none":
            assert g is None, where
        else:
            assert g is not None, where
            assert (g[1] == "disputed") == (w == "disputed"), where


@settings(max_examples=1000, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(membership_bases())
def test_the_engine_agrees_with_the_oracle_on_formation_and_ends(base):
    m_agree(base)


def test_the_oracle_sees_two_exit_dates():
    # E2 in miniature: joined on day 1, out on day 6 by one article, in 10-12 by another
    base = {"formed": None, "statements": [
        {"id": "h", "t": (13, 13), "since": (1, 1), "until": (6, 12)},
        {"id": "w", "t": (7, 7), "since": None, "until": (6, 6)},
        {"id": "m", "t": (13, 13), "since": None, "until": (10, 12)}]}
    want = m_oracle(base)
    assert [want[d] for d in (0, 3, 7, 11, 13)] == ["none", "certain", "disputed",
                                                     "possible", "none"]
    m_agree(base)


def test_the_oracle_sees_the_nicaragua_dispute():
    # E1 in miniature: day 2 (and "still true" on day 3), "last month" up to day 4, day 5
    base = [{"id": "a", "t": (3, 3), "since": (2, 2)},
            {"id": "b", "t": (4, 4), "since": (0, 4)},
            {"id": "c", "t": (12, 12), "since": (5, 5)}]
    want = oracle(base)
    assert [want[d] for d in (1, 2, 4, 5)] == ["none", "disputed", "disputed", "certain"]
    agree(base)

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
def constraint(s) -> tuple[int, int]:
    """R1: the days a statement allows for the start: its since, and no later than its
    article's latest day (a report in the present tense: already true then)."""
    lo, hi = (s["since"] if s["since"] is not None else (None, HIGH + 10))
    lo = NEG if lo is None else lo
    return lo, min(hi, s["t"][1])


def oracle(base) -> dict[int, str]:
    """Each day's answer: 'none', 'possible', 'certain' or 'disputed'."""
    cons = [constraint(s) for s in base]
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
    spans = []
    for r in largest:
        ok = allowed(sorted(r))
        lo, hi = min(ok), max(ok)
        if no_start:
            lo, hi = first_report
        elif lo == NEG:
            # "by day N" with nothing earlier: shown from the first report or N, the earlier
            lo = min(first_report[0], hi)
        spans.append((lo, hi))
    del days
    out = {}
    for d in range(LOW, HIGH + 1):
        kinds = {"certain" if d >= hi else "none" if d < lo else "possible" for lo, hi in spans}
        if kinds == {"certain"}:
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


def test_the_oracle_sees_the_nicaragua_dispute():
    # E1 in miniature: day 2 (and "still true" on day 3), "last month" up to day 4, day 5
    base = [{"id": "a", "t": (3, 3), "since": (2, 2)},
            {"id": "b", "t": (4, 4), "since": (0, 4)},
            {"id": "c", "t": (12, 12), "since": (5, 5)}]
    want = oracle(base)
    assert [want[d] for d in (1, 2, 4, 5)] == ["none", "disputed", "disputed", "certain"]
    agree(base)

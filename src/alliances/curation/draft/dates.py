"""Dates in a sentence, resolved against the article's date into the widest bounds the words
allow."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ...facts.dates import DateRange, _month_length

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_NUM = r"(\d{1,3}|" + "|".join(NUMBERS) + r")"
_MONTH = "(" + "|".join(MONTHS) + ")"


# -- dates -----------------------------------------------------------------------------
def _month_range(y: int, m: int, first: int = 1, last: int | None = None):
    end = _month_length(y, m)
    return date(y, m, first), date(y, m, min(last or end, end))


def _prev_month(d: date) -> tuple[int, int]:
    return (d.year - 1, 12) if d.month == 1 else (d.year, d.month - 1)


def _recent_month(d: date, month: int) -> int:
    """The year of the latest `month` not after d (an article's "in August")."""
    return d.year if month <= d.month else d.year - 1


def _describe(lo: date, hi: date) -> str:
    if lo == hi:
        return f"{lo.day} {MONTHS[lo.month - 1]} {lo.year}"
    if (lo.day == 1 and hi.day == _month_length(hi.year, hi.month)):
        if (lo.year, lo.month) == (hi.year, hi.month):
            return f"{MONTHS[lo.month - 1]} {lo.year}"
        if lo.month == 1 and hi.month == 12:
            return f"{lo.year}" if lo.year == hi.year else f"{lo.year}-{hi.year}"
    return f"{_describe(lo, lo)} to {_describe(hi, hi)}"


class When:
    """A resolved date: its YAML value (a partial date or bounds), its range and a note."""

    def __init__(self, phrase: str, lo: date | None, hi: date | None, pub: DateRange,
                 how: str = "", value=None):
        self.phrase, self.lo, self.hi, self.pub = phrase, lo, hi, pub
        self.value = value if value is not None else _bounds_value(lo, hi)
        where = f"in an article of {pub.label}"
        if how:
            what = how
        elif lo and hi:
            what = _describe(lo, hi)
        elif lo:
            what = f"no earlier than {_describe(lo, lo)}"
        else:
            assert hi is not None  # (a phrase with neither bound comes with its `how`)
            what = f"no later than {_describe(hi, hi)}"
        self.note = f"'{phrase}' {where}: {what}."

    def range(self) -> DateRange:
        from ...facts.dates import MAX, MIN, bounds

        return bounds(self.lo or MIN, self.hi or MAX)


def _bounds_value(lo: date | None, hi: date | None):
    """The least precise YAML form that says exactly lo..hi (a partial date when it is one)."""
    if lo and hi:
        if lo == hi:
            return lo.isoformat()
        if lo.day == 1 and hi.day == _month_length(hi.year, hi.month):
            if (lo.year, lo.month) == (hi.year, hi.month):
                return f"{lo.year:04d}-{lo.month:02d}"
            if lo.year == hi.year and lo.month == 1 and hi.month == 12:
                return f"{lo.year:04d}"
    out = {}
    days = [(x, start) for x, start in ((lo, True), (hi, False)) if x]
    # a bound as a year or month only when every bound falls on such an edge
    for width in (4, 7, 10):
        if all(len(_short(x, start)) <= width for x, start in days):
            break
    if lo:
        out["not_before"] = _short(lo, True) if width < 10 else lo.isoformat()
    if hi:
        out["not_after"] = _short(hi, False) if width < 10 else hi.isoformat()
    return out


def _short(d: date, start: bool) -> str:
    """A bound as a year or month when it falls on that period's edge."""
    if start and d.month == 1 and d.day == 1:
        return f"{d.year:04d}"
    if not start and d.month == 12 and d.day == 31:
        return f"{d.year:04d}"
    if (start and d.day == 1) or (not start and d.day == _month_length(d.year, d.month)):
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def _over_pub(pub: DateRange, fn):
    """Resolve a relative phrase for the first and the last day the article may date from,
    and keep both readings (an article of 4 or 5 September: 'on Thursday' is either)."""
    days = {pub.earliest, pub.latest}
    out = [fn(d) for d in sorted(days)]
    out = [r for r in out if r is not None]
    if not out:
        return None
    los = [r[0] for r in out]
    his = [r[1] for r in out]
    lo = None if None in los else min(los)
    hi = None if None in his else max(his)
    return lo, hi


def date_phrases(sentence: str, pub: DateRange):
    """Every date phrase of a sentence: (start, end, When)."""
    if pub.earliest.year < 2 or pub.latest.year > 9000:
        return []
    found: list = []
    taken: list = []

    years_written = bool(re.search(r"\b(?:1[89]|20)\d\d\b", sentence))

    def add(m, lo_hi, how=""):
        if lo_hi is None:
            return
        if any(a < m.end() and m.start() < b for a, b in taken):
            return
        lo, hi = lo_hi
        if re.search(r"\bbefore\s+(?:the\s+|a\s+)?[^,.;:]{0,40}$",
                     s[max(0, m.start() - 45):m.start()], re.I) and hi:
            # "before Syria's decision on Tuesday": the fact came first, no later than it
            taken.append((m.start(), m.end()))
            found.append((m.start(), m.end(), When(m.group(0), None, hi, pub,
                                                   f"it came before, so no later than "
                                                   f"{_describe(hi, hi)}")))
            return
        if re.search(r"\b(?:after|following|since)\s+(?:the\s+|a\s+)?[^,.;:]{0,40}$",
                     s[max(0, m.start() - 45):m.start()], re.I) and not re.match(
                         r"(?:since|after)\b", m.group(0), re.I) and lo:
            # "following Russia's war with Georgia last year": the date of another event,
            # after which the fact came: no earlier than it
            taken.append((m.start(), m.end()))
            found.append((m.start(), m.end(), When(m.group(0), lo, None, pub,
                                                   f"it came after, so no earlier than "
                                                   f"{_describe(lo, lo)}")))
            return
        if lo and lo > pub.latest:   # a plan, not a report: drafts date only the past
            return
        if hi and hi > pub.latest:
            hi = pub.latest
        taken.append((m.start(), m.end()))
        found.append((m.start(), m.end(), When(m.group(0), lo, hi, pub, how)))

    s = sentence
    for m in re.finditer(r"\b(early|late|mid)[- ]last month\b", s, re.I):
        part = m.group(1).lower()
        add(m, _over_pub(pub, lambda d: _part_of_month(*_prev_month(d), part)))
    for m in re.finditer(r"\blast month\b", s, re.I):
        add(m, _over_pub(pub, lambda d: _month_range(*_prev_month(d))))
    for m in re.finditer(r"\bthis month\b", s, re.I):
        add(m, _over_pub(pub, lambda d: (date(d.year, d.month, 1), d)))
    for m in re.finditer(r"\blast week\b", s, re.I):
        def week(d):
            monday = d - timedelta(days=d.weekday() + 7)
            return monday, monday + timedelta(days=6)
        r = _over_pub(pub, week)
        add(m, r, f"the week of Monday {_describe(r[0], r[0])} to Sunday "
                  f"{_describe(r[1], r[1])}" if pub.earliest == pub.latest else "")
    for m in re.finditer(r"\bthis week\b", s, re.I):
        add(m, _over_pub(pub, lambda d: (d - timedelta(days=d.weekday()), d)))
    for m in re.finditer(r"\blast year\b", s, re.I):
        add(m, _over_pub(pub, lambda d: (date(d.year - 1, 1, 1), date(d.year - 1, 12, 31))))
    for m in re.finditer(_NUM + r" (day|week|month|year)s? (ago|since|earlier|before)\b",
                         s, re.I):
        n = _number(m.group(1))
        unit = m.group(2).lower()
        add(m, _over_pub(pub, lambda d: _ago(d, n, unit)),
            _ago_how(n, unit, pub))
    for m in re.finditer(r"\b(early|mid|late)?[- ]?(?:the )?(1\d\d|20\d)0s\b", s, re.I):
        decade = int(m.group(2)) * 10
        part = (m.group(1) or "").lower()
        lo, hi = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}.get(part, (0, 9))
        add(m, (date(decade + lo, 1, 1), date(decade + hi, 12, 31)),
            f"{decade + lo}-{decade + hi}" + (f" ('{part}' read as years {lo}-{hi} of the "
                                              "decade)" if part else ""))
    for m in re.finditer(r"\b(early|mid|late)[- ]" + _MONTH + r"(?:,? (\d{4}))?\b", s):
        month = MONTHS.index(m.group(2)) + 1
        y = int(m.group(3)) if m.group(3) else None
        add(m, _over_pub(pub, lambda d: _part_of_month(y or _recent_month(d, month), month,
                                                       m.group(1).lower())))
    for m in re.finditer(_MONTH + r" (\d{1,2})(?:, (\d{4}))?\b", s):
        month, day = MONTHS.index(m.group(1)) + 1, int(m.group(2))
        y = int(m.group(3)) if m.group(3) else None
        if y is None and years_written:
            continue  # "September 5, ... September 10, 2009": the year is not given
        add(m, _over_pub(pub, lambda d: _day(y or _recent_month(d, month), month, day)))
    for m in re.finditer(r"\b(\d{1,2}) " + _MONTH + r"(?: (\d{4}))?\b", s):
        month, day = MONTHS.index(m.group(2)) + 1, int(m.group(1))
        y = int(m.group(3)) if m.group(3) else None
        if y is None and years_written:
            continue
        add(m, _over_pub(pub, lambda d: _day(y or _recent_month(d, month), month, day)))
    for m in re.finditer(r"\b(?:in|since|by|until|from|during) " + _MONTH
                         + r"(?: (\d{4}))?\b", s):
        month = MONTHS.index(m.group(1)) + 1
        y = int(m.group(2)) if m.group(2) else None
        add(m, _over_pub(pub, lambda d: _month_range(y or _recent_month(d, month), month)))
    for m in re.finditer(r"\b(?:on |last )?(" + "|".join(WEEKDAYS) + r")\b", s):
        wd = WEEKDAYS.index(m.group(1))
        add(m, _over_pub(pub, lambda d: (d - timedelta(days=(d.weekday() - wd) % 7),) * 2),
            "")
    for m in re.finditer(r"\bafter the (\d{4})\b", s, re.I):
        add(m, (date(int(m.group(1)), 1, 1), None))
    for m in re.finditer(r"\b(?:in|since|by|until|during) (\d{4})\b", s, re.I):
        y = int(m.group(1))
        if 1 <= y <= 9999:
            add(m, (date(y, 1, 1), date(y, 12, 31)))
    for m in re.finditer(r"\brecently\b", s, re.I):
        add(m, (None, pub.latest), f"no later than the article's date, {pub.label}")
    return found


def _number(text: str) -> int:
    return int(text) if text.isdigit() else NUMBERS[text.lower()]


def _ago(d: date, n: int, unit: str):
    if unit == "day":
        c = d - timedelta(days=n)
        return c - timedelta(days=1), c + timedelta(days=1)
    if unit == "week":
        c = d - timedelta(days=7 * n)
        return c - timedelta(days=3), c + timedelta(days=3)
    if unit == "month":
        y, m = d.year, d.month - n
        while m < 1:
            y, m = y - 1, m + 12
        return _month_range(y, m)
    return date(d.year - n, 1, 1), date(d.year - n, 12, 31)


def _ago_how(n: int, unit: str, pub: DateRange) -> str:
    if unit == "day" and pub.earliest == pub.latest:
        c = pub.earliest - timedelta(days=n)
        return (f"{_describe(c, c)}, with a day either way for loose counting")
    if unit == "week":
        return "give or take three days"
    return ""


def _part_of_month(y: int, m: int, part: str):
    first, last = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}[part]
    return _month_range(y, m, first, last)


def _day(y: int, m: int, d: int):
    if not 1 <= d <= _month_length(y, m):
        return None
    one = date(y, m, d)
    return one, one



"""Partial and uncertain dates.

Articles date things loosely ("last month", "ten days since", "early 1990s"), so a date
here is never a single day: it is the set of days it could be, `DateRange(earliest,
latest)`, plus the text to show for it. A partial date "2008-08" covers 1-31 August; bounds
{not_before, not_after} cover everything between. Labels follow EDTF (the Library of
Congress's Extended Date/Time Format): "2008", "2008-08", "[2008-08-25..2008-08-27]",
"[..2008-09-04]" for "some day in this range".
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

MIN = date.min
MAX = date.max



class DateError(ValueError):
    """A date string that is not YYYY, YYYY-MM or YYYY-MM-DD, or names no real day."""


class DateRange(NamedTuple):
    """The days an event could have fallen on, inclusive at both ends."""

    earliest: date
    latest: date
    label: str
    # The partial dates its ends were written with ("2008-08", "2008-09-04"; None for an
    # open end), kept so that nothing has to parse the display label back.
    start: str | None = None
    end: str | None = None

    def overlaps(self, other: DateRange) -> bool:
        return self.earliest <= other.latest and other.earliest <= self.latest

    def intersect(self, other: DateRange) -> DateRange | None:
        """The days both allow, or None when they cannot both be true."""
        lo, hi = max(self.earliest, other.earliest), min(self.latest, other.latest)
        if lo > hi:
            return None
        if (lo, hi) == (self.earliest, self.latest):
            return self
        if (lo, hi) == (other.earliest, other.latest):
            return other
        return bounds(lo, hi)

    def __str__(self) -> str:
        return self.label


def _month_length(year: int, month: int) -> int:
    """Days in a month (calendar.monthrange without importing calendar at start-up)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def parse_partial(text: str) -> DateRange:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD into the whole period it names."""
    parts = text.strip().split("-") if isinstance(text, str) else []
    widths = [len(p) for p in parts]
    if not (parts and widths in ([4], [4, 2], [4, 2, 2])
            and all(p.isascii() and p.isdigit() for p in parts)):
        raise DateError(f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    label = "-".join(parts)
    y, mo, d = int(parts[0]), (parts + [None, None])[1], (parts + [None, None])[2]
    if y < 1:
        raise DateError(f"{text!r}: year must be 0001 or later")
    if mo is None:
        return DateRange(date(y, 1, 1), date(y, 12, 31), label, label, label)
    month = int(mo)
    if not 1 <= month <= 12:
        raise DateError(f"{text!r}: month must be 01-12")
    last = _month_length(y, month)
    if d is None:
        return DateRange(date(y, month, 1), date(y, month, last), label, label, label)
    day = int(d)
    if not 1 <= day <= last:
        raise DateError(f"{text!r}: day must be 01-{last:02d} in {y}-{month:02d}")
    one = date(y, month, day)
    return DateRange(one, one, label, label, label)


def bounds(earliest: date, latest: date, lo_label: str | None = None,
           hi_label: str | None = None) -> DateRange:
    """An uncertain date between two days; open ends use date.min / date.max."""
    lo = "" if earliest == MIN else (lo_label or earliest.isoformat())
    hi = "" if latest == MAX else (hi_label or latest.isoformat())
    if lo and lo == hi:
        return DateRange(earliest, latest, lo, lo, hi)  # one day, known exactly
    return DateRange(earliest, latest, f"[{lo}..{hi}]", lo or None, hi or None)


def parse_bounds(not_before: str | None, not_after: str | None) -> DateRange:
    """{not_before, not_after}: from the start of one partial date to the end of another."""
    lo = parse_partial(not_before) if not_before is not None else None
    hi = parse_partial(not_after) if not_after is not None else None
    if lo is None and hi is None:
        raise DateError("a bound needs not_before, not_after or both")
    earliest = lo.earliest if lo else MIN
    latest = hi.latest if hi else MAX
    if earliest > latest:
        raise DateError(f"not_before {not_before} is after not_after {not_after}")
    return bounds(earliest, latest, lo.label if lo else None, hi.label if hi else None)


def split_interval(text: str) -> tuple[str, str] | None:
    """The two ends of an interval, `A..B` or as EDTF writes it, `A/B` (an open end: empty,
    or EDTF's `..`: `../2008`, `2008/..`); None for a single date."""
    text = text.strip()
    if "/" in text:
        lo, _, hi = text.partition("/")
        if "/" in hi:
            raise DateError(f"{text!r} is not an interval: use A/B or A..B (2005/2014)")
        return ("" if lo == ".." else lo), ("" if hi == ".." else hi)
    if ".." in text:
        lo, _, hi = text.partition("..")
        return lo, hi
    return None


def parse_period(text: str) -> DateRange:
    """A query period: --as-of 2008 means the whole of 2008; an interval `2005..2014`
    (EDTF's `2005/2014`), `2008-08..2008-09`, `..2008` or `2008..` means every day
    between. Both spellings give the same period, labelled `A..B`."""
    ends = split_interval(text) if isinstance(text, str) else None
    if ends is None:
        return parse_partial(text)
    lo_text, hi_text = ends
    lo = parse_partial(lo_text) if lo_text else None
    hi = parse_partial(hi_text) if hi_text else None
    if lo is None and hi is None:
        raise DateError(f"{text!r} is not an interval: give a start, an end or both")
    earliest, latest = (lo.earliest if lo else MIN), (hi.latest if hi else MAX)
    if earliest > latest:
        raise DateError(f"{text!r}: the start is after the end")
    return DateRange(earliest, latest, f"{lo.label if lo else ''}..{hi.label if hi else ''}",
                     lo.label if lo else None, hi.label if hi else None)


def years(period: DateRange) -> list[DateRange]:
    """Each calendar year a (closed) period touches, as its own period."""
    if period.earliest == MIN or period.latest == MAX:
        raise DateError(f"{period.label!r}: --each-year needs a start and an end")
    return [parse_partial(f"{y:04d}") for y in range(period.earliest.year,
                                                      period.latest.year + 1)]

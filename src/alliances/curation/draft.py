"""`alliances draft SOURCE_ID`: propose candidate facts from one article, for review.

Pure: from an article's text, its publication date and the names a data directory knows,
`draft()` finds candidate statements by general wording rules and `to_yaml()` prints them
in blocs.yaml's own shapes (rosters, memberships, recognitions), each with the verbatim
sentence as its quote and a `# review:` comment saying which rule proposed it. Nothing is
written anywhere: a curator reads, trims and pastes.

How it reads a sentence. Every known name (entity and bloc names and aliases, and the
adjectives of entity names: Russian, Chinese, Abkhazian) is replaced by a token, so the
rules are patterns over tokens and a few words:

- lists of members after "comprises / includes / grouping / consists of", with "X-led",
  observers ("with X and Y holding an observer status") and unnamed trailing items ("and the
  four ex-Soviet republics") making the list incomplete; "X, Y -- all members of B";
  "X, a member of both B1 and B2"; "B -- X's favoured bloc"; "partners in B";
- withdrawal ("was a member but withdrew in 1999"), aspiration ("wants to join B", "pursues
  B entry"), partnership ("B and its partner, X", "association agreement with B"),
  non-membership ("B excludes X", "non-B members X"), observers, and any state named with a
  bloc the data marks as proposed;
- recognition: "X's recognition / X's lead in recognising" (X recognises), "X recognised",
  "followed suit", "followed X's lead", "joined X in recognising"; refusals ("stopped short
  of", "did not", "failed to", "refused", "has not recognised", "don't recognize",
  "unwillingness"), "have yet to" (not yet), and "were not recognized" with no agent (no
  state). A refusal whose subject is collective ("the ministers", "other members of B",
  "the SCO's unwillingness") is expanded to B's members as this same article lists them,
  less the states it says recognise; with no such list it proposes `members_of: B`.

Relative dates near the rule's words ("last month", "on Thursday", "last week", "ten days
since", "in 1999", "early 1990s", "late August", "recently") are resolved against the
publication date into the widest bounds the words allow, with a note saying how.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from ..facts.dates import DateRange, _month_length

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_NUM = r"(\d{1,3}|" + "|".join(NUMBERS) + r")"
_MONTH = "(" + "|".join(MONTHS) + ")"

TOKEN = re.compile(r"«(\d+)»")
# Words after which a named state can still be the subject of what follows.
_SUBJECT_BEFORE = {"and", "or", "as", "only", "even", "also", "then", "including", "like",
                   "that", "which", "while", "but", "both", "nor", "neither", "either",
                   "namely", "except", "besides", "course", "after", "before", "since", "when",
                   "because", "although", "though", "if", "until", "whereas"}
_PREPOSITIONS = {"in", "of", "to", "from", "with", "against", "on", "by", "for", "over", "at",
                 "into", "through", "about", "between", "toward", "towards", "under", "upon"}


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
        what = how or (_describe(lo, hi) if lo and hi else
                       f"no earlier than {_describe(lo, lo)}" if lo else
                       f"no later than {_describe(hi, hi)}")
        self.note = f"'{phrase}' {where}: {what}."

    def range(self) -> DateRange:
        from ..facts.dates import MAX, MIN, bounds

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

    def add(m, lo_hi, how=""):
        if lo_hi is None:
            return
        if any(a < m.end() and m.start() < b for a, b in taken):
            return
        lo, hi = lo_hi
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
        add(m, _over_pub(pub, lambda d: _day(y or _recent_month(d, month), month, day)))
    for m in re.finditer(r"\b(\d{1,2}) " + _MONTH + r"(?: (\d{4}))?\b", s):
        month, day = MONTHS.index(m.group(2)) + 1, int(m.group(1))
        y = int(m.group(3)) if m.group(3) else None
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


# -- names and sentences ---------------------------------------------------------------
def _demonyms(name: str) -> list[str]:
    """English adjectives of a place name by the common suffix rules (Russia -> Russian,
    China -> Chinese, Iran -> Iranian, Kazakhstan -> Kazakh, Afghanistan -> Afghan)."""
    out = []
    if name.endswith("a"):
        out += [name + "n", name[:-1] + "ese"]
    elif name.endswith("istan"):
        out += [name[:-5]]
    elif name.endswith("stan"):
        out += [name[:-4]]
    else:
        out += [name + "ian", name + "i"]
    return out


class Names:
    """The known names as one pattern: entity and bloc names and aliases, and adjectives."""

    def __init__(self, fb):
        self.kind: dict[str, tuple[str, str, bool]] = {}
        self.proper: set[str] = set()  # names the data capitalises: only a capital matches
        taken = set(fb.names)
        for e in fb.entities.values():
            for n in (e.name, *e.aliases):
                self.kind.setdefault(n.casefold(), ("entity", e.id, False))
        for b in fb.blocs.values():
            for n in (b.name, *b.aliases):
                self.kind.setdefault(n.casefold(), ("bloc", b.id, False))
        for item in (*fb.entities.values(), *fb.blocs.values()):
            for n in (item.name, *item.aliases):
                if n[:1].isupper():
                    self.proper.add(n.casefold())
        for e in fb.entities.values():
            for n in (e.name, *e.aliases):
                for adj in _demonyms(n):
                    if " ".join(adj.casefold().split()) not in taken:
                        self.kind.setdefault(adj.casefold(), ("entity", e.id, True))
                        self.proper.add(adj.casefold())
        words = sorted(self.kind, key=len, reverse=True)
        body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words if w.strip())
        self.pattern = re.compile(rf"(?<![\w])(?:{body})(?![\w])", re.I) if body else None

    def find(self, text: str):
        """(start, end, kind, id, adjective, possessive) for each proper-noun mention."""
        if self.pattern is None:
            return []
        out = []
        for m in self.pattern.finditer(text):
            word = m.group(0)
            key = " ".join(word.casefold().split())
            if key in self.proper and not word[0].isupper():
                continue  # "georgia" in lower case is not the state
            kind, ident, adj = self.kind[key]
            poss = bool(re.match(r"['’]s\b|s['’](?!\w)", text[m.end():m.end() + 3]))
            out.append((m.start(), m.end(), kind, ident, adj, poss))
        return out


class Sentence:
    __slots__ = ("start", "end", "text", "line", "tagged", "mentions", "dates")

    def __init__(self, text: str, start: int, end: int, line: int):
        self.start, self.end, self.line = start, end, line
        self.text = " ".join(text.split())


def sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets. A line break ends a sentence unless the line is long
    and stops mid-sentence (a paragraph broken by the archive: "met in Moscow in late" /
    "August and both..."); menus and headings stay one item a line."""
    paras: list[tuple[int, int]] = []
    pos = 0
    cur_start = None
    for line in text.splitlines(True):
        body = line.strip()
        begin = pos
        pos += len(line)
        if not body:
            continue
        if cur_start is None:
            cur_start = begin
        cur_end = begin + len(line.rstrip())
        # (a title or dateline is shorter than a dozen words)
        joins = len(body.split()) >= 12 and bool(re.search(r"(?:\b[a-z]+|,)$", body))
        if not joins:
            paras.append((cur_start, cur_end))
            cur_start = None
    if cur_start is not None:
        paras.append((cur_start, cur_end))
    out = []
    splitter = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z])")
    for a, b in paras:
        chunk = text[a:b]
        last = 0
        for m in splitter.finditer(chunk):
            prev = chunk[max(0, m.start() - 4):m.start() + 1]
            if re.search(r"\b(?:[A-Z]\.|Mr\.|Dr\.|St\.|U\.S\.)$", prev):
                continue  # "U.S. missile", "Mr. X": an abbreviation, not a full stop
            # keep a closing quote or bracket with the sentence it ends
            cut = m.start() + len(m.group(0)) - len(m.group(0).lstrip("\"”’)"))
            out.append((a + last, a + cut))
            last = m.end()
        out.append((a + last, b))
    result = []
    for s, e in out:
        piece = text[s:e]
        lead = len(piece) - len(piece.lstrip())
        s += lead
        piece = text[s:e].rstrip()
        if piece:
            result.append(Sentence(piece, s, s + len(piece), text.count("\n", 0, s) + 1))
    return result


def _tag(sent: Sentence, names: Names, pub: DateRange) -> None:
    """Replace each mention by «i» in `tagged`; keep the mentions and date phrases."""
    t = sent.text
    sent.mentions = names.find(t)
    parts, last = [], 0
    for i, (a, b, *_rest) in enumerate(sent.mentions):
        parts.append(t[last:a])
        parts.append(f"«{i}»")
        last = b
    parts.append(t[last:])
    sent.tagged = "".join(parts)
    sent.dates = date_phrases(t, pub)


# -- rules -------------------------------------------------------------------------------
class Draft:
    """Proposals for one article; `rows()` lists one candidate statement each."""

    def __init__(self, source_id: str, pub: DateRange, fb):
        self.source_id, self.pub, self.fb = source_id, pub, fb
        self.rosters: list[dict] = []
        self.memberships: list[dict] = []
        self.recognitions: list[dict] = []
        self.entities: dict[str, dict] = {}
        self._seen: set = set()

    def add(self, section: str, entry: dict, rule: str) -> None:
        key = (section, json.dumps(entry, sort_keys=True, default=str))
        if key in self._seen:
            return
        self._seen.add(key)
        entry["_rule"] = rule
        getattr(self, section).append(entry)

    def prune(self) -> None:
        """Drop a proposal that says nothing new: all its statements already proposed by
        another sentence, and no date of its own (the dated ones are kept, and first)."""
        for section in ("memberships", "recognitions"):
            entries = getattr(self, section)
            seen: set = set()
            keep = set()
            order = sorted(range(len(entries)),
                           key=lambda i: not ("since" in entries[i] or "until" in entries[i]))
            for i in order:
                mine = _expand(entries[i], "bloc" if section == "memberships" else "entity")
                if "since" in entries[i] or "until" in entries[i] or not mine <= seen:
                    keep.add(i)
                    seen |= mine
            setattr(self, section, [e for i, e in enumerate(entries) if i in keep])

    def triples(self) -> set[tuple[str, str, str]]:
        """(subject, object, status) of every proposal, as the coverage measure counts them."""
        out = set()
        for r in self.rosters:
            for key, status in (("members", "member"), ("observers", "observer")):
                for s in r.get(key, []):
                    out.add((s, r["bloc"], status))
        for section, obj in ((self.memberships, "bloc"), (self.recognitions, "entity")):
            for m in section:
                subjects = m["state"] if isinstance(m["state"], list) else [m["state"]]
                objects = m[obj] if isinstance(m[obj], list) else [m[obj]]
                for s in subjects:
                    if isinstance(s, dict):
                        if s.get("all_states"):
                            s = "*"
                        else:
                            continue  # members_of: a group is not a named state
                    for o in objects:
                        out.add((s, o, m["status"]))
        return out


def _expand(entry: dict, obj: str) -> set:
    states = entry["state"] if isinstance(entry["state"], list) else [entry["state"]]
    objects = entry[obj] if isinstance(entry[obj], list) else [entry[obj]]
    return {(json.dumps(s, sort_keys=True), o, entry["status"]) for s in states
            for o in objects}


def _ids(sent: Sentence, kind: str, lo: int = 0, hi: int | None = None, adj: bool = False):
    """Mention indexes of a kind in the tagged span [lo, hi)."""
    hi = len(sent.tagged) if hi is None else hi
    out = []
    for m in TOKEN.finditer(sent.tagged, lo, hi):
        i = int(m.group(1))
        mk = sent.mentions[i]
        if mk[2] == kind and (adj or not mk[4]):
            out.append((m.start(), m.end(), i))
    return out


_LIST_SEP = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)"
                       r"(?:the\s+[^«,.;()]{0,40}?\b(?:of|from)\s+)?")
_LIST_LEAD = re.compile(r"\s*:?\s*(?:the\s+(?:states|countries|nations|republics)\s+of\s+)?")
_UNNAMED = re.compile(r"\s*,?\s*(?:and|or|plus)\s+(?:the\s+)?(?:\d+|two|three|four|five|six|"
                      r"seven|eight|nine|ten|other|several|some|a few|various)\b", re.I)


def _take_list(sent: Sentence, pos: int, kind: str = "entity"):
    """Entity ids of a list starting at `pos` of the tagged text; (ids, end, unnamed_more)."""
    t = sent.tagged
    m = _LIST_LEAD.match(t, pos)
    pos = m.end() if m else pos
    ids, end = [], pos
    while True:
        m = TOKEN.match(t, pos)
        if not m:
            break
        mk = sent.mentions[int(m.group(1))]
        if mk[2] != kind or mk[4]:
            break
        if mk[3] not in ids:
            ids.append(mk[3])
        end = m.end()
        # "Russia-led": the leader's suffix is not the end of the list
        sep = _LIST_SEP.match(t, end)
        if not sep:
            break
        pos = sep.end()
    more = bool(_UNNAMED.match(t, end))
    return ids, end, more


def _eligible(sent: Sentence, tok_start: int, i: int) -> bool:
    """Whether a named state can be a clause's subject: not possessive, not an adjective,
    and not the object of a verb or preposition."""
    mk = sent.mentions[i]
    if mk[4] or mk[5]:
        return False
    before = sent.tagged[:tok_start].rstrip()
    if not before or before[-1] in ",;:–—-(\"“»" or before.endswith("--"):
        return True
    word = re.search(r"([A-Za-z]+)$", before)
    return bool(word) and word.group(1).lower() in _SUBJECT_BEFORE


def _nearest_date(sent: Sentence, at: int):
    """The date phrase nearest to raw offset `at`, outside relative clauses (", which ...")."""
    best = None
    for a, b, when in sent.dates:
        clause = sent.text.rfind(", which", 0, a), sent.text.rfind(", who", 0, a)
        rel = max(clause)
        if rel != -1 and rel > at and sent.text.find(",", rel + 2, a) == -1:
            continue
        if rel != -1 and rel < a and at < rel:
            continue
        d = 0 if a <= at <= b else min(abs(at - a), abs(at - b))
        if best is None or d < best[0]:
            best = (d, when)
    return best[1] if best else None


def _raw(sent: Sentence, tagged_pos: int) -> int:
    """Offset in the sentence's text of a position in its tagged form."""
    shift = 0
    for m in TOKEN.finditer(sent.tagged, 0, tagged_pos):
        mk = sent.mentions[int(m.group(1))]
        shift += (mk[1] - mk[0]) - (m.end() - m.start())
    return tagged_pos + shift


_ROSTER_VERB = re.compile(r"\b(comprises|comprising|comprised of|includes|including|included|"
                          r"grouping|groups|consists of|consisting of|made up of|"
                          r"brings together|bringing together|unites|uniting)\b", re.I)
_OBSERVERS = re.compile(r"\(?\s*with\s+(?P<list>.{1,200}?)\s+(?:holding|having|with|as|"
                        r"enjoying)\s+(?:an?\s+)?observer", re.I)


def _rosters(d: Draft, sent: Sentence) -> None:
    t = sent.tagged
    for b0, b1, bi in _ids(sent, "bloc"):
        bloc = sent.mentions[bi][3]
        if d.fb.blocs[bloc].proposed:
            continue
        # B [, which | -- which | (ALIAS) | also | currently] VERB LIST
        m = re.compile(r"(?:\s*\([^()]{0,30}\)|\s*«\d+»)?\s*(?:,|--|—|–)?\s*(?:which\s+|that\s+|"
                       r"also\s+|currently\s+|now\s+|still\s+)*").match(t, b1)
        v = _ROSTER_VERB.match(t, m.end())
        if not v:
            continue
        members, end, more = _take_list(sent, v.end())
        if len(members) < 2:
            continue
        # "The Russia-led B": a leader is a member
        lead = re.search(r"«(\d+)»-led\s*$", t[max(0, b0 - 40):b0])
        if lead and sent.mentions[int(lead.group(1))][2] == "entity":
            leader = sent.mentions[int(lead.group(1))][3]
            if leader not in members:
                members.insert(0, leader)
        entry = {"bloc": bloc, "members": members}
        obs = _OBSERVERS.match(t, end) or _OBSERVERS.match(t, end + 1)
        if obs:
            o_ids, _, _ = _take_list(sent, obs.start("list"))
            if o_ids:
                entry["observers"] = [o for o in o_ids if o not in members]
        partial = more or v.group(1).lower() in ("including", "included")
        if partial:
            entry["complete"] = False
        rule = f"the list after '{v.group(1)}'" + (" (it names only some: complete: false)"
                                                   if partial else "")
        if lead:
            rule += f"; {d.fb.name_of(entry['members'][0])} from '-led'"
        d.add("rosters", _cite(d, sent, entry), rule)
    # LIST -- all members of B  /  LIST, members of B
    for m in re.finditer(r"(?:--|—|–|,|\()\s*(?:all|both|each|the)?\s*(?:full\s+)?"
                         r"(?:members|member states) of (?:the )?«(\d+)»", t):
        bi = int(m.group(1))
        if sent.mentions[bi][2] != "bloc":
            continue
        head = t[:m.start()]
        toks = list(TOKEN.finditer(head))
        ids = _list_before(sent, head)
        if len(ids) >= 1 and toks:
            d.add("rosters", _cite(d, sent, {"bloc": sent.mentions[bi][3], "members": ids,
                                              "complete": False}),
                  "states named just before 'members of' (a partial list: complete: false)")


def _list_before(sent: Sentence, head: str) -> list[str]:
    """The run of entity tokens a text ends with: "China, Kazakhstan and Uzbekistan "."""
    ids: list[str] = []
    rest = head.rstrip()
    while True:
        m = re.search(r"«(\d+)»$", rest)
        if not m:
            break
        mk = sent.mentions[int(m.group(1))]
        if mk[2] != "entity" or mk[4] or mk[5]:
            break
        ids.insert(0, mk[3])
        rest = rest[:m.start()]
        sep = re.search(r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)$", rest)
        if not sep:
            break
        rest = rest[:sep.start()]
    return ids


def _cite(d: Draft, sent: Sentence, entry: dict, when_key: str | None = None,
          when=None, note: str | None = None) -> dict:
    out = dict(entry)
    if when is not None and when_key:
        out[when_key] = when.value
    out["source"] = d.source_id
    out["quote"] = sent.text
    notes = [n for n in (when.note if when is not None else None, note) if n]
    if notes:
        out["note"] = " ".join(notes)
    out["_line"] = sent.line
    return out


def _subject_before(sent: Sentence, pos: int, any_form: bool = False):
    """The nearest named state before tagged position `pos` (not possessive)."""
    found = None
    for a, b, i in _ids(sent, "entity", 0, pos, adj=any_form):
        if not sent.mentions[i][5]:
            found = sent.mentions[i][3]
    return found


_MEMBERSHIP_RULES = (
    # (pattern after which a bloc token follows, status, rule text)
    (r"\b(?:wants|want|wanted|seeks|seek|sought|hopes|hope|aspires|aspire|plans|plan|"
     r"applied|bid|bids|pushing|pushes|pressing|presses|eager)\s+(?:to\s+)?(?:join|"
     r"membership (?:in|of)|for membership (?:in|of))\s+(?:the\s+)?$", "aspirant",
     "'wants / seeks to join'"),
    (r"\b(?:pursues|pursue|pursuing|seeks|seeking)\s+(?:the\s+)?$", "aspirant@entry",
     "'pursues ... entry / membership'"),
    (r"\b(?:association|partnership|cooperation)\s+agreement\s+with\s+(?:the\s+)?$",
     "partner", "'association / partnership agreement with'"),
    (r"\bnon-$", "non-member@list", "'non-B members X'"),
    (r"\bpartners?\s+in\s+(?:the\s+)?$", "member@partners", "'partners in B'"),
    (r"\b(?:is|are|was|were|became|become|as)\s+(?:an?\s+)?observers?\s+(?:in|at|of|to)\s+"
     r"(?:the\s+)?$", "observer", "'observer in B'"),
    (r"\b(?:is|are|was|were|remains|became|become)\s+(?:a\s+|full\s+|founding\s+)*members?\s+"
     r"of\s+(?:the\s+)?$", "member", "'is a member of B'"),
    (r"\b(?:joined|joins|join)\s+(?:the\s+)?$", "member@joined", "'joined B'"),
)


# After an adjective of a place (Russian, Abkhazian), the words that make it a party.
_ACTOR = (r"\s+(?:President|Prime Minister|Foreign Minister|leader|leaders|side|government|"
          r"authorities|officials?|delegation|de facto)\b")


_GROUP_NOUN = (r"\bthe\s+(two|three|four|five|six)\s+(?:[\w-]+\s+){0,3}?(?:nations|republics|regions|"
               r"states|countries|provinces|entities|territories|enclaves)\b")


def _numbered(sent: Sentence, near):
    """'the two Caucasus nations': the entities named nearby, when there are that many."""
    m = re.search(_GROUP_NOUN, sent.text, re.I)
    if not m:
        return None
    ids = near()
    return (m.group(0), ids) if len(ids) == NUMBERS[m.group(1).lower()] else None


def _memberships(d: Draft, sent: Sentence, context_bloc: str | None, near=None) -> None:
    t = sent.tagged
    for b0, b1, bi in _ids(sent, "bloc"):
        bloc = sent.mentions[bi][3]
        head = t[:b0]
        for pattern, status, rule in _MEMBERSHIP_RULES:
            m = re.search(pattern, head, re.I)
            if not m:
                continue
            status, _, how = status.partition("@")
            at = _raw(sent, b0)
            if how == "entry":
                if not re.match(r"\s*(?:entry|membership|accession)\b", t[b1:]):
                    continue
                subj = _subject_before(sent, m.start())
                states = [subj] if subj else []
            elif how == "list":
                states, _, _ = _take_list(sent, re.match(r"\s*members?\s*", t[b1:]).end() + b1
                                          if re.match(r"\s*members?\b", t[b1:]) else b1)
            elif how == "partners":
                states = [sent.mentions[i][3] for a, b, i in
                          _ids(sent, "entity", max(0, m.start() - 80), m.start(), adj=True)
                          if not sent.mentions[i][5]]
            elif how == "joined":
                if re.search(r"\b(?:to|will|would|plans?|poised)\s+$", head[:m.start()] + " "):
                    continue
                subj = _subject_before(sent, m.start())
                states = [subj] if subj else []
            else:
                subj = _subject_before(sent, m.start())
                states = [subj] if subj else []
            states = [s for s in states if s]
            if not states:
                continue
            # dated only where the words date the tie itself ("recently signed an
            # association agreement", "joined in 2004"), not any date in the sentence
            when = _nearest_date(sent, at) if how in ("", "joined") else None
            key = "since" if status in ("member", "partner", "observer") and when else None
            d.add("memberships", _cite(d, sent, {"state": _one(states), "bloc": bloc,
                                                 "status": status},
                                       key, when if key else None), rule)
        # B excludes X (the bloc before the verb)
        m = re.match(r"\s*(?:excludes|excluded|excluding)\s+", t[b1:])
        if m:
            states, _, _ = _take_list(sent, b1 + m.end())
            if states:
                d.add("memberships", _cite(d, sent, {"state": _one(states), "bloc": bloc,
                                                     "status": "non-member"}),
                      "'B excludes X'")
        # B and its partner(s), X
        m = re.match(r"\s*and\s+its\s+partners?\s*,?\s*", t[b1:])
        if m:
            states, _, _ = _take_list(sent, b1 + m.end())
            if states:
                d.add("memberships", _cite(d, sent, {"state": _one(states), "bloc": bloc,
                                                     "status": "partner"}),
                      "'B and its partner, X'")
        # B -- X's favoured bloc
        m = re.match(r"\s*(?:--|—|–|,|\()\s*«(\d+)»['’]s\s+(?:[\w-]+\s+){0,3}(?:bloc|alliance|"
                     r"organi[sz]ation|grouping|union|club)\b", t[b1:])
        if m and sent.mentions[int(m.group(1))][2] == "entity":
            d.add("memberships", _cite(d, sent, {"state": sent.mentions[int(m.group(1))][3],
                                                 "bloc": bloc, "status": "member"}),
                  "'B -- X's bloc': X belongs to it")
        # X-led B (outside a list, which _rosters handles)
        m = re.search(r"«(\d+)»-led\s+(?:[\w-]+\s+){0,3}$", head)
        if m and sent.mentions[int(m.group(1))][2] == "entity":
            d.add("memberships", _cite(d, sent, {"state": sent.mentions[int(m.group(1))][3],
                                                 "bloc": bloc, "status": "member"}),
                  "'X-led B': the leader is a member")
        # A proposed bloc: every state named with it takes part in the proposal
        if d.fb.blocs[bloc].proposed:
            states = []
            for a, b, i in _ids(sent, "entity", adj=True):
                mk = sent.mentions[i]
                if mk[4] and not re.match(_ACTOR, t[b:]):
                    continue  # "Georgian territory": an adjective, not a party
                if mk[3] not in states:
                    states.append(mk[3])
            named = _numbered(sent, near) if near else None
            note = None
            if named:
                phrase, ids = named
                states += [i for i in ids if i not in states]
                note = (f"'{phrase}' read as {' and '.join(d.fb.name_of(i) for i in ids)}, "
                        "named nearby.")
            if states:
                when = _nearest_date(sent, _raw(sent, b0))
                d.add("memberships", _cite(d, sent, {"state": _one(states), "bloc": bloc,
                                                     "status": "proposed"},
                                           "since" if when else None, when, note),
                      f"named with {d.fb.blocs[bloc].name}, which the data marks as proposed")
    # X, a member of (both) the B1 and B2 -- and X was a member but withdrew (in 1999)
    for m in re.finditer(r"«(\d+)»,\s+(?:a|an|itself a)\s+(?:full\s+|founding\s+)?member of\s+"
                         r"(?:both\s+)?(?:the\s+)?«(\d+)»((?:\s*(?:,|and)\s*(?:the\s+)?«\d+»)*)",
                         t):
        subj = sent.mentions[int(m.group(1))]
        blocs = [sent.mentions[int(m.group(2))]] + [sent.mentions[int(x)] for x in
                                                     TOKEN.findall(m.group(3))]
        if subj[2] == "entity" and all(b[2] == "bloc" for b in blocs):
            d.add("memberships", _cite(d, sent, {"state": subj[3],
                                                 "bloc": _one([b[3] for b in blocs]),
                                                 "status": "member"}),
                  "'X, a member of B'")
    for m in re.finditer(r"«(\d+)»\s+(?:was|had been|used to be)\s+(?:a\s+|an\s+)?(?:founding\s+)?"
                         r"member(?:\s+of\s+(?:the\s+)?«(\d+)»)?[^.;]{0,40}?\b(?:withdrew|left|"
                         r"quit|pulled out)\b(?:\s+from\s+(?:the\s+)?«(\d+)»)?", t):
        subj = sent.mentions[int(m.group(1))]
        bi = m.group(2) or m.group(3)
        bloc = sent.mentions[int(bi)][3] if bi else context_bloc
        if subj[2] != "entity" or bloc is None or (bi and sent.mentions[int(bi)][2] != "bloc"):
            continue
        at = _raw(sent, m.end())
        when = _nearest_date(sent, at)
        note = None if bi else (f"The sentence names no bloc: {d.fb.name_of(bloc)} is the "
                                "bloc of the sentence before.")
        d.add("memberships", _cite(d, sent, {"state": subj[3], "bloc": bloc,
                                             "status": "member"},
                                   "until" if when else None, when, note),
              "'was a member but withdrew': member until the withdrawal")


def _one(ids: list[str]):
    return ids[0] if len(ids) == 1 else list(ids)


# recognition wording
_RECOG = r"recogni(?:[sz](?:e|es|ed|ing|ation)|tion)"
_REFUSE = re.compile(
    r"\b(?:stopped short of|stop short of|stops short of|did not|didn['’]t|do not|don['’]t|"
    r"does not|doesn['’]t|has not|have not|hasn['’]t|haven['’]t|had not|would not|will not|"
    r"won['’]t|failed to|fail to|fails to|refused to|refuse to|refuses to|declined to|"
    r"decline to|declines to|unwillingness to|unwilling to|reluctance to|reluctant to|"
    r"rejected|refused)\b", re.I)
_NOT_YET = re.compile(r"\b(?:has|have|had)\s+yet\s+to\b|\byet\s+to\s+" + _RECOG, re.I)
_PASSIVE_NO = re.compile(r"\b(?:were|was|are|is|have been|has been|remain|remains|remained)\s+"
                         r"(?:not|never)\s+(?:\w+ly\s+)?" + _RECOG + r"\b(?!\s+by\b)", re.I)
_POSITIVE = re.compile(r"\b(?:" + _RECOG + r"|follow(?:ed|s)? suit|followed\s+«\d+»['’]s\s+lead)"
                       r"\b", re.I)
_LEADER = re.compile(r"«(\d+)»['’]s?\s+(?:\w+\s+){0,2}?(?:lead|recognition|decision to "
                     + _RECOG + r"|move to " + _RECOG + r"|decisions, including the recognition)",
                     re.I)
_FOLLOWED = re.compile(r"\b(?:followed|joined|joining)\s+«(\d+)»(?:['’]s\s+lead|\s+in\s+"
                       + _RECOG + r")", re.I)
_COLLECTIVE = re.compile(r"\b(?:ministers|allies|members|leaders|countries|states|"
                         r"governments|partners|group|bloc|organi[sz]ation|alliance|"
                         r"heads of state)\b", re.I)


def _recognitions(d: Draft, sent: Sentence, objects: list[str], ctx, members) -> None:
    """Recognition candidates of one sentence. `objects` are the entities it (or, when it
    names none, its neighbour) speaks of; `ctx` gives the neighbouring bloc and date for a
    collective subject; `members(bloc)` the bloc's members in this article."""
    t, raw = sent.tagged, sent.text
    has_recog = re.search(_RECOG, raw, re.I)
    anaphora = re.search(r"\b(?:do so|done so|followed suit|follow(?:ed|s)? suit|followed "
                         r"«\d+»['’]s lead)\b", t, re.I)
    if not (has_recog or anaphora) or not objects:
        return
    objs = _one(objects)
    leaders = set()
    for m in _LEADER.finditer(t):
        mk = sent.mentions[int(m.group(1))]
        if mk[2] == "entity" and not mk[4] and mk[3] not in objects and (
                "lead" not in m.group(0) or has_recog):
            leaders.add(mk[3])
            when = None
            if "recognition" in m.group(0):
                # only a date inside the noun phrase: "X's recognition last month"
                at = _raw(sent, m.end())
                when = next((w for a, _b, w in sent.dates if at <= a <= at + 2), None)
            d.add("recognitions", _cite(d, sent, {"state": mk[3], "entity": objs,
                                                  "status": "recognizes"},
                                        "since" if when else None, when),
                  "'X's recognition / X's lead in recognising': X recognises")
    for m in _FOLLOWED.finditer(t):
        mk = sent.mentions[int(m.group(1))]
        if mk[2] == "entity" and mk[3] not in objects:
            leaders.add(mk[3])
            d.add("recognitions", _cite(d, sent, {"state": mk[3], "entity": objs,
                                                  "status": "recognizes"}),
                  "'followed / joined X in recognising': X recognises")
    # clauses: each cue with the states before it (after the previous cue)
    cues = []
    for m in _REFUSE.finditer(t):
        rest = t[m.end():m.end() + 90]
        if re.match(r"\s*(?:\w+\s+){0,5}?(?:" + _RECOG + r"|follow|back\s+\w+\s+in\s+"
                    + _RECOG + r")", rest, re.I) or m.group(0).lower().startswith(
                        ("unwilling", "reluctan", "stop")) and has_recog:
            cues.append((m.start(), m.end(), "does-not-recognize", m.group(0)))
    for m in _NOT_YET.finditer(t):
        cues.append((m.start(), m.end(), "not-yet", m.group(0)))
    for m in _PASSIVE_NO.finditer(t):
        cues.append((m.start(), m.end(), "all", m.group(0)))
    negative_spans = [(a, b) for a, b, *_ in cues]
    for m in _POSITIVE.finditer(t):
        if any(a <= m.start() <= b + 90 for a, b in negative_spans):
            continue  # "stopped short of recognizing": the cue's own verb
        before = t[max(0, m.start() - 12):m.start()]
        if re.search(r"\b(?:to|the|its|their|of)\s+$", before, re.I) and "suit" not in m.group(0):
            continue  # "planned to recognise", "the recognition of": no subject here
        cues.append((m.start(), m.end(), "recognizes", m.group(0)))
    cues.sort()
    prev_end = 0
    for a, b, status, word in cues:
        word = TOKEN.sub(lambda m: sent.text[sent.mentions[int(m.group(1))][0]:
                                             sent.mentions[int(m.group(1))][1]], word)
        subj = [sent.mentions[i][3] for s0, s1, i in _ids(sent, "entity", prev_end, a)
                if _eligible(sent, s0, i) and sent.mentions[i][3] not in objects]
        prev_end = b
        if status == "all":
            when = _nearest_date(sent, _raw(sent, a))
            d.add("recognitions", _cite(d, sent, {"state": {"all_states": True},
                                                  "entity": objs,
                                                  "status": "does-not-recognize"},
                                        "since" if when else None, when),
                  f"'{word}' with no one named: no state recognised them")
            continue
        when = _nearest_date(sent, _raw(sent, a))
        if status == "recognizes":
            subj = [s for s in subj if s]
            if not subj:
                continue
            if "suit" in word or re.search(r"follow", t[a:b + 20], re.I):
                # a follower: no earlier than the leader's date, no more precise
                if when is not None:
                    when = When(when.phrase, when.lo, None, d.pub,
                                f"it followed, so no earlier than {_describe(when.lo, when.lo)}"
                                if when.lo else "") if when.lo else None
            d.add("recognitions", _cite(d, sent, {"state": _one(subj), "entity": objs,
                                                  "status": "recognizes"},
                                        "since" if when else None, when),
                  f"'{word}' with the states named before it")
            continue
        if subj:
            d.add("recognitions", _cite(d, sent, {"state": _one(subj), "entity": objs,
                                                  "status": status},
                                        "since" if when else None, when),
                  f"'{word}' with the states named before it")
            continue
        # a collective subject: a bloc named before the cue, or the neighbours' bloc
        blocs = [sent.mentions[i][3] for s0, s1, i in _ids(sent, "bloc", 0, a)
                 if not d.fb.blocs[sent.mentions[i][3]].proposed]
        note_from = ""
        if blocs:
            bloc = blocs[-1]
        elif _COLLECTIVE.search(t[:a]) and ctx is not None:
            bloc, ctx_sent = ctx
            note_from = f"'{_COLLECTIVE.search(t[:a]).group(0)}' read as {d.fb.name_of(bloc)}'s, " \
                        "the bloc of the sentence nearest to it"
            if when is None and ctx_sent is not None:
                when = _nearest_date(ctx_sent, 0) if ctx_sent.dates else None
                if when is not None:
                    note_from += f" (dated by that sentence's '{when.phrase}')"
            note_from += "."
        else:
            continue
        listed, recognisers = members(bloc, objects)
        others = set()
        if re.search(r"\bother\s+(?:\w+\s+)?(?:members|allies|states|countries|partners)\b",
                     t[:a], re.I):
            # "other members of B ... don't recognize": not the states the sentence names
            others = {sent.mentions[i][3] for _x, _y, i in _ids(sent, "entity")
                      if sent.mentions[i][3] not in objects}
            leaders = leaders | others
        states = [s for s in listed if s not in recognisers and s not in leaders]
        if states:
            note = (f"The states are {d.fb.name_of(bloc)}'s members as this article lists "
                    "them" + (", less " + ", ".join(d.fb.name_of(r) for r in listed
                                                     if r in recognisers or r in leaders)
                              if len(states) < len(listed) else "") + ". " + note_from)
            d.add("recognitions", _cite(d, sent, {"state": _one(states), "entity": objs,
                                                  "status": status},
                                        "since" if when else None, when, note.strip()),
                  f"'{word}' said of {d.fb.name_of(bloc)} (its members in this article)")
        else:
            except_ = sorted(leaders or recognisers)
            group = {"members_of": bloc}
            if except_:
                group["except"] = except_
            d.add("recognitions", _cite(d, sent, {"state": group, "entity": objs,
                                                  "status": status},
                                        "since" if when else None, when,
                                        note_from or None),
                  f"'{word}' said of {d.fb.name_of(bloc)}, whose members this article does "
                  "not list: list the states instead if you can")


# -- candidates for new entities ----------------------------------------------------------
_STATE_NOUNS = (r"(?:president|prime minister|government|foreign minister|defen[cs]e minister|"
                r"ambassador|army|troops|parliament|capital|territory|border|borders|leader|"
                r"leadership|independence|sovereignty|embassy)")
_NOT_STATES = {"asia", "central asia", "eurasia", "europe", "africa", "america", "caucasus",
               "the caucasus", "media", "siberia", "scandinavia", "the west", "west", "east"}


def _new_entities(d: Draft, sent: Sentence, names: Names) -> None:
    raw = sent.text
    cap = r"((?:[A-Z][a-z]+(?:[- ](?:[A-Z][a-z]+|of|and))*?)(?:\s+Republic)?)"
    found = []
    for m in re.finditer(cap + r"['’]s\s+(?:\w+\s+)?" + _STATE_NOUNS + r"\b", raw):
        found.append((m.group(1), "named with 'X's president / government'"))
    for m in re.finditer(r"\b(?:President|Prime Minister|government|capital|territory|"
                         r"[Rr]epublic|borders?|invasion) of (?:the\s+)?" + cap, raw):
        found.append((m.group(1), "named as 'the president / government of X'"))
    for m in re.finditer(r"\b(?:in|to|from|with|through|into|against|and|border|borders)\s+"
                         r"(?:the\s+)?([A-Z][a-z]+(?:stan|ia|land|ine|ey)|[A-Z][a-z]+ Republic|"
                         r"United [A-Z][a-z]+)\b", raw):
        found.append((m.group(1), "a country-like name"))
    for name, why in found:
        name = name.strip()
        key = " ".join(name.casefold().split())
        if (not name or key in names.kind or key in d.fb.names or key in _NOT_STATES
                or name in MONTHS or name in WEEKDAYS or len(name) < 3
                or name.split()[0] in ("The", "A", "An", "President", "Prime")):
            continue
        ident = re.sub(r"[^a-z0-9]+", "-", key).strip("-")
        if ident and ident not in d.entities and ident not in d.fb.entities \
                and ident not in d.fb.blocs:
            d.entities[ident] = {"name": name, "why": why, "line": sent.line,
                                 "context": _around(raw, name)}


def _around(text: str, word: str, width: int = 60) -> str:
    i = text.find(word)
    lo, hi = max(0, i - width // 2), min(len(text), i + len(word) + width // 2)
    return ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")


# -- the whole article -------------------------------------------------------------------
def draft(text: str, published: DateRange, fb, source_id: str) -> Draft:
    """Candidate statements of one article, proposed from its wording alone."""
    names = Names(fb)
    d = Draft(source_id, published, fb)
    sents = sentences(text)
    for s in sents:
        _tag(s, names, published)
    bloc_at = [[sent.mentions[i][3] for _a, _b, i in _ids(sent, "bloc")
                if not fb.blocs[sent.mentions[i][3]].proposed] for sent in sents]
    def objects_near(k: int) -> list[str]:
        order = [k] + [j for off in range(1, 4) for j in (k - off, k + off)
                       if 0 <= j < len(sents)]
        for j in order:
            objs = []
            for _a, _b, i in _ids(sents[j], "entity"):
                ident = sents[j].mentions[i][3]
                if fb.entities[ident].kind != "state" and ident not in objs \
                        and not sents[j].mentions[i][4]:
                    objs.append(ident)
            if objs:
                return objs
        return []

    # memberships and rosters first: a collective refusal needs the article's own members
    for k, s in enumerate(sents):
        prev = next((bloc_at[j][0] for j in range(k - 1, max(-1, k - 4), -1) if bloc_at[j]),
                    None)
        _rosters(d, s)
        _memberships(d, s, prev, lambda k=k: objects_near(k))

    recognising: set[str] = set()

    def members(bloc: str, objects: list[str]):
        listed: list[str] = []
        for r in d.rosters:
            if r["bloc"] == bloc:
                listed += [m for m in r["members"] if m not in listed]
        for m in d.memberships:
            blocs = m["bloc"] if isinstance(m["bloc"], list) else [m["bloc"]]
            states = m["state"] if isinstance(m["state"], list) else [m["state"]]
            if bloc in blocs and m["status"] == "member" and "until" not in m:
                listed += [s for s in states if isinstance(s, str) and s not in listed]
        return listed, recognising

    def context(k: int):
        for off in range(1, 6):
            for j in (k - off, k + off):
                if 0 <= j < len(sents) and bloc_at[j]:
                    return bloc_at[j][0], sents[k - 1] if k > 0 else None
        return None

    # positive recognitions first (on a scratch draft), so that refusals leave out the
    # states this article says recognise
    scratch = Draft(source_id, published, fb)
    scratch.rosters, scratch.memberships = d.rosters, d.memberships
    for k, s in enumerate(sents):
        _recognitions(scratch, s, objects_near(k), context(k), members)
    for r in scratch.recognitions:
        if r["status"] == "recognizes" and not isinstance(r["state"], dict):
            recognising.update(r["state"] if isinstance(r["state"], list) else [r["state"]])
    for k, s in enumerate(sents):
        _recognitions(d, s, objects_near(k), context(k), members)
    for s in sents:
        _new_entities(d, s, names)
    d.prune()
    return d


# -- output ------------------------------------------------------------------------------
def _q(value) -> str:
    """A YAML double-quoted scalar: JSON's escapes, plus every non-printable character."""
    out = json.dumps(value, ensure_ascii=False)
    return "".join(c if c.isprintable() else (f"\\u{ord(c):04x}" if ord(c) < 0x10000
                                              else f"\\U{ord(c):08x}") for c in out)


def _id(value) -> str:
    return value if re.fullmatch(r"[a-z0-9][a-z0-9_-]*", value) else _q(value)


def _val(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_id(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = []
        for k, v in value.items():
            if isinstance(v, bool):
                inner.append(f"{k}: {'true' if v else 'false'}")
            elif k in ("not_before", "not_after"):
                inner.append(f"{k}: {_q(v)}")
            else:
                inner.append(f"{k}: {_val(v)}")
        return "{" + ", ".join(inner) + "}"
    return _id(value)


def _comment(text: str) -> str:
    from ..output.render import clean

    return clean(" ".join(str(text).split()))


ORDER = {"rosters": ("bloc", "source", "quote", "members", "observers", "complete", "note"),
         "memberships": ("state", "bloc", "status", "since", "until", "source", "quote",
                         "note"),
         "recognitions": ("state", "entity", "status", "since", "source", "quote", "note")}


def to_yaml(d: Draft, source, new_blocs: dict | None = None) -> str:
    """The proposals as blocs.yaml sections, each entry with a `# review:` comment; blocs
    the data lacks (`new_blocs`, from with_known_blocs) come first, cited by the article."""
    new_blocs = new_blocs or {}
    lines = [
        f"# Draft from source {source.id!r} ({_comment(source.title)}), published "
        f"{source.published.label}, by `alliances draft`.",
        "# Proposals only, written nowhere: review each entry against the article (the quote",
        "# is the whole sentence: trim it to the words that state the fact), fix or delete it,",
        "# then paste these sections into blocs.yaml and run `alliances check`.",
    ]
    for section in ("rosters", "memberships", "recognitions"):
        entries = getattr(d, section)
        if not entries:
            lines.append(f"{section}: []")
            continue
        lines.append(f"{section}:")
        for e in entries:
            lines.append(f"  # review (line {e['_line']}): {_comment(e['_rule'])}")
            first = True
            for key in ORDER[section]:
                if key not in e:
                    continue
                v = e[key]
                if key in ("source", "quote", "note"):
                    text = _q(v)
                elif key == "complete":
                    text = "true" if v else "false"
                elif key in ("since", "until"):
                    text = _q(v) if isinstance(v, str) else _val(v)
                else:
                    text = _val(v)
                lines.append(f"  {'- ' if first else '  '}{key}: {text}")
                first = False
    if new_blocs:
        used = {e["bloc"]: e for section in (d.rosters, d.memberships) for e in section}
        cited = [b for b in new_blocs.values() if b.id in used]
        if cited:
            lines.append("# Blocs the article names that the data does not have yet, with the "
                         "article's")
            lines.append("# sentence as their citation (review):")
            lines.append("blocs:")
            for b in cited:
                e = used[b.id]
                lines.append(f"  # review (line {e['_line']}): named by the article")
                lines.append(f"  {b.id}:")
                lines.append(f"    name: {_q(b.name)}")
                if b.aliases:
                    lines.append(f"    aliases: [{', '.join(_q(a) for a in b.aliases)}]")
                lines.append(f"    kind: {_q(b.kind)}")
                if b.cow:
                    lines.append(f"    cow: {_q(b.cow)}")
                lines.append("    cited:")
                lines.append(f"      - source: {_q(e['source'])}")
                lines.append(f"        quote: {_q(e['quote'])}")
    if d.entities:
        lines.append("# Names that look like states but are not in the data (review; to use one,")
        lines.append("# add it under entities: in blocs.yaml):")
        lines.append("# entities:")
        for ident, info in d.entities.items():
            lines.append(f"#   {_comment(ident)}: {{name: {_comment(_q(info['name']))}}}  "
                         f"# line {info['line']}, {_comment(info['why'])}: "
                         f"{_comment(_q(info['context']))}")
    return "\n".join(lines) + "\n"


def rows(d: Draft) -> list[dict]:
    """One row per candidate statement (for --format json)."""
    out = []
    for section, kind in (("rosters", None), ("memberships", "bloc"),
                          ("recognitions", "entity")):
        for e in getattr(d, section):
            base = {"section": section, "line": e["_line"], "rule": e["_rule"],
                    "quote": e["quote"], "note": e.get("note")}
            if section == "rosters":
                for key, status in (("members", "member"), ("observers", "observer")):
                    for s in e.get(key, []):
                        out.append({**base, "state": s, "object": e["bloc"], "status": status,
                                    "since": None, "until": None,
                                    "complete": e.get("complete", True)})
                continue
            states = e["state"] if isinstance(e["state"], list) else [e["state"]]
            objects = e[kind] if isinstance(e[kind], list) else [e[kind]]
            for s in states:
                for o in objects:
                    out.append({**base, "state": s, "object": o, "status": e["status"],
                                "since": e.get("since"), "until": e.get("until")})
    for ident, info in d.entities.items():
        out.append({"section": "entities", "line": info["line"], "rule": info["why"],
                    "quote": info["context"], "note": None, "state": ident,
                    "object": None, "status": "new-entity", "since": None, "until": None})
    return out


# -- measurement -------------------------------------------------------------------------
def curated(fb, source_id: str) -> set[tuple[str, str, str]]:
    """(subject, object, status) of every statement the data states from one article; a
    roster's members and observers count, `until`'s derived former-member does not, and a
    statement about every state counts as subject '*'."""
    out = set()
    for s in fb.statements:
        if s.citation.source != source_id or s.status == "former-member":
            continue
        subject = "*" if s.group is not None and s.group.everyone else s.subject
        if s.group is not None and not s.group.everyone:
            subject = f"members_of:{s.subject}"
        out.add((subject, s.object, s.status))
    return out


def with_known_blocs(fb, known):
    """The data's fact base, plus the blocs of `known` (the shipped data) that it lacks and
    whose names it does not use otherwise: a new fact base (alliances init) has no blocs
    until an article cites one, and the draft proposes that citation."""
    from ..facts.model import FactBase, fold

    extra = {}
    for b in known.blocs.values():
        keys = {fold(n) for n in (b.name, *b.aliases)}
        if b.id in fb.blocs or b.id in fb.entities or keys & set(fb.names):
            continue
        extra[b.id] = b._replace(formed=None, formed_citation=None, citations=())
    if not extra:
        return fb, {}
    view = FactBase(fb.data_dir, fb.sources, fb.entities, {**fb.blocs, **extra},
                    fb.statements, fb.rosters)
    view.names = {**fb.names, **{fold(n): ("bloc", b.id) for b in extra.values()
                                 for n in (b.name, *b.aliases)}}
    return view, extra


def names_only(fb):
    """The fact base with its facts removed: what a draft may use (names, blocs, sources)."""
    from ..facts.model import FactBase

    empty = FactBase(fb.data_dir, fb.sources, fb.entities, fb.blocs, [], [])
    empty.names = fb.names
    return empty


def coverage(fb) -> dict:
    """Draft every article as if the facts file were empty and compare with the curated
    statements: the share of curated (subject, object, status) the drafts propose, and the
    proposals a curator would reject (not curated for that article)."""
    from ..facts.paths import source_text

    blank = names_only(fb)
    per, found, total, rejected, proposed = {}, 0, 0, 0, 0
    for sid, src in sorted(fb.sources.items()):
        want = curated(fb, sid)
        got = draft(source_text(fb, src), src.published, blank, sid).triples()
        hit = want & got
        per[sid] = {"curated": len(want), "proposed": len(got), "found": len(hit),
                    "missed": sorted(want - got), "rejected": sorted(got - want)}
        found += len(hit)
        total += len(want)
        proposed += len(got)
        rejected += len(got - want)
    return {"curated": total, "found": found, "share": found / total if total else 1.0,
            "proposed": proposed, "rejected": rejected, "sources": per}

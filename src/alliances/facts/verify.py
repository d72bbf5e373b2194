"""`alliances check`: the fact base proves itself.

Everything the loader checks (strict YAML, fields, ids, statuses, dates), collected rather
than stopping at the first problem, plus what only the source texts can show: every quote
occurs in its article. Quotes are compared after normalising whitespace and typographic
quotes and dashes only; a changed letter, word or number fails, and the report shows the
nearest passage of the article so a curator can fix it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .load import DataError
from .model import BLOCS_FILE, SOURCES_FILE, STATUSES, Citation, FactBase
from .text import PLAIN

if TYPE_CHECKING:
    from .dates import DateRange



# PLAIN as (character, replacement) pairs: str.translate looks every character up in a
# dict (0.85 s for the 15 MB of articles at 1,000x); a replace per character that occurs
# is the same mapping (no replacement is itself a key) at C speed.
_PLAIN_PAIRS = tuple((chr(k), v) for k, v in PLAIN.items())


def found_as_written(quote: str, text: str) -> bool:
    """Whether a quote as written is in the text as written: then it is also in the text
    normalised, which is what verification asks. normalise maps characters one for one
    (PLAIN: one character to one, whichever branch) and then folds whitespace, so a
    substring stays a substring: its inner runs of whitespace fold as the text's do, and
    its ends are stripped. Only a quote not found so is normalised and searched again, and
    the article's text normalised for it (most quotes are copied exactly: at 1,000x, 181,389
    of 181,392 distinct quotes are found as written, and one article is normalised)."""
    return quote in text


def normalise(text: str) -> str:
    """Whitespace folded, typographic quotes and dashes made plain; nothing else."""
    if text.isascii():
        if "`" in text:
            text = text.replace("`", "'")
    else:
        for ch, plain in _PLAIN_PAIRS:
            if ch in text:
                text = text.replace(ch, plain)
    return " ".join(text.split())


NEAREST_GRAM = 8          # characters per shingle
NEAREST_MAX_QUOTE = 4096  # characters of a quote aligned (the rest is shown as is)


def nearest(haystack: str, needle: str) -> str:
    """The passage of `haystack` most like `needle`, for a helpful failure message.

    Linear: each 8-character shingle of the needle (its first NEAREST_MAX_QUOTE
    characters) is indexed once, each shingle of the haystack is looked up once, and the
    alignment that most of them agree on wins: O(len(haystack) + len(needle)) time and
    O(min(len(needle), NEAREST_MAX_QUOTE)) memory, where difflib's longest match was
    O(n*m) (a 1 MB article and a 20 KB quote did not finish in 180 s). With no shingle in
    common, the longest shared word is the anchor, and failing that the start."""
    if not needle or not haystack:
        return haystack[:len(needle)]
    probe = needle[:NEAREST_MAX_QUOTE]
    k = min(NEAREST_GRAM, len(probe))
    where: dict[str, int] = {}
    for i in range(len(probe) - k + 1):
        where.setdefault(probe[i:i + k], i)
    votes: dict[int, int] = {}
    get = where.get
    for j in range(len(haystack) - k + 1):
        at = get(haystack[j:j + k])
        if at is not None:
            offset = j - at
            votes[offset] = votes.get(offset, 0) + 1
    if votes:
        offset = max(votes, key=lambda o: (votes[o], -abs(o)))
    else:
        words = sorted(set(probe.split()), key=len, reverse=True)[:64]
        offset = 0
        for w in words:
            at = haystack.find(w)
            if at >= 0:
                offset = at - probe.find(w)
                break
    start = max(0, offset)
    return haystack[start:start + len(needle)]


def citations(fb: FactBase):
    """Every citation once (a fact that names several states is still one quote)."""
    seen = set()
    # (the statements of one fact share its citation: each object is looked at once)
    items = list({id(c): c for c in (s.citation for s in fb.statements)}.values())
    for b in fb.blocs.values():
        items.extend(b.citations)
        if b.formed_citation:
            items.append(b.formed_citation)
    for c in items:
        key = (c.file, c.line, c.source, c.quote)
        if key not in seen:
            seen.add(key)
            yield c


def verify(fb: FactBase, codes: bool | None = True,
           memo: dict[str, set[str]] | None = None,
           parts: list | None = None, cited: list | None = None) -> tuple[list[DataError], tuple]:
    """What only the article texts (and the ISO tables) can show about a built fact base:
    every text unchanged since it was added, every quote in its article, dates consistent,
    codes real (codes=None: only if pycountry is there, for a query's verification, which
    is about the data, not the installation). Returns the problems and, per text read, its
    cache signature entry with a CRC of the bytes verified (cache.py keeps an answer only
    while the texts are these).

    `memo` (cache.QuoteMemo's, or None) maps an article's sha256 to the quotes, as written,
    already found in exactly those bytes by this code: such a quote is not searched again,
    so an edit re-verifies only the quotes it touches (a new or changed quote, or every
    quote of a changed article, whose sha256 is new). The memo is updated in place to hold
    exactly the quotes verified now, per article.

    `parts`, when a list, receives the problems by kind, in the order they are returned:
    the articles', the quotes', the dates', the precision's and the codes' (PARTS).
    `cited`: list(citations(fb)), when the caller has it."""
    import hashlib
    import zlib

    from .paths import read_source

    problems: list[DataError] = []
    raws: dict[str, str | None] = {}      # article text as read, normalised on first need
    bodies: dict[str, str] = {}
    digests: dict[str, str] = {}
    entries = []
    for sid, src in fb.sources.items():
        try:
            text, raw, entry = read_source(fb, src)
        except DataError as e:
            raws[sid] = None
            problems.append(DataError(e.file, e.line, f"source {sid!r}: {e.message}"))
            entries.append(_failed(fb, src))  # restoring or fixing it is a change
            continue
        raws[sid] = text
        if entry is not None:
            entries.append((*entry, zlib.crc32(raw)))
        digest = digests[sid] = hashlib.sha256(raw).hexdigest()
        if src.sha256 is not None:
            if digest != src.sha256:
                problems.append(DataError(SOURCES_FILE, src.line, (
                    f"the text of source {sid!r} (sources/{src.file}) has changed since it was "
                    f"added: its sha256 is now {digest[:12]}…, not the recorded "
                    f"{src.sha256[:12]}…; restore the article as archived, or re-check every "
                    f"quote from it and record sha256: {digest}")))
    quotes_from = len(problems)
    known: dict[str, set[str]] = {} if memo is None else memo
    found: dict[str, set[str]] = {}
    for c in citations(fb) if cited is None else cited:
        raw_text = raws.get(c.source)
        if raw_text is None:
            continue
        digest = digests[c.source]
        now = found.get(digest)
        if now is None:
            now = found[digest] = set()
        if c.quote in now:
            continue
        if c.quote in known.get(digest, ()):
            now.add(c.quote)
            continue
        missing = _missing(c, raw_text, bodies)
        if missing is None:
            now.add(c.quote)
        else:
            problems.append(missing)
    if memo is not None:
        memo.clear()
        memo.update((d, q) for d, q in found.items() if q)
    cuts = [0, quotes_from, len(problems)]
    problems.extend(_dates(fb))
    cuts.append(len(problems))
    problems.extend(_precision(fb))
    cuts.append(len(problems))
    if codes is not False:
        problems.extend(_iso_codes(fb, required=bool(codes)))
    if parts is not None:
        cuts.append(len(problems))
        parts[:] = [problems[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
    return problems, tuple(entries)


# The kinds of problem verify() finds, in the order it reports them.
PARTS = ("articles", "quotes", "dates", "precision", "codes")


def _not_found(c: Citation, body: str, quote: str) -> DataError:
    near = nearest(body, quote)
    return DataError(c.file, c.line, (
        f"quote not found in source {c.source!r}: \u201c{c.quote}\u201d; nearest "
        f"passage: \u201c{near}\u201d (copy the exact words with `alliances quote "
        f"{c.source} ...`)"))


def verify_facts(fb: FactBase) -> list[list[DataError]]:
    """verify()'s quotes, dates and precision problems of fb's statements alone (the
    facts of a few edited items, with the sources, entities and blocs of the whole record,
    whose articles are unchanged since verify() last ran over it), by kind as PARTS[1:4]:
    what verify() reports for these statements, in its order."""
    from .paths import read_source

    quotes: list[DataError] = []
    raws: dict[str, str | None] = {}
    bodies: dict[str, str] = {}
    seen: set = set()
    for s in fb.statements:
        c = s.citation
        if (c.file, c.line, c.source, c.quote) in seen:
            continue
        seen.add((c.file, c.line, c.source, c.quote))
        if c.source not in raws:
            try:
                raws[c.source] = read_source(fb, fb.sources[c.source])[0]
            except DataError:  # reported as the article's problem (verify's first kind)
                raws[c.source] = None
        raw_text = raws[c.source]
        if raw_text is None:
            continue
        missing = _missing(c, raw_text, bodies)
        if missing is not None:
            quotes.append(missing)
    return [quotes, _dates(fb, blocs=False), _precision(fb, blocs=False)]


def _missing(c: Citation, raw_text: str, bodies: dict[str, str]) -> DataError | None:
    """None when a citation's quote is in its article (`raw_text`, as read), else the
    problem. Looked for as written first (found_as_written); only a quote not found so is
    normalised, and the article with it, once per article (`bodies`, by source id)."""
    if found_as_written(c.quote, raw_text):
        return None
    body = bodies.get(c.source)
    if body is None:
        body = bodies[c.source] = normalise(raw_text)
    quote = normalise(c.quote)
    return None if quote in body else _not_found(c, body, quote)


def _failed(fb: FactBase, src) -> tuple:
    """The cache signature entry of an article that could not be read: its stat if it is
    there (unreadable, too large, not UTF-8), else sizes of -1 for "missing"."""
    label = os.path.join("sources", src.file)
    try:
        st = os.stat(os.path.join(fb.data_dir, label))
    except (OSError, ValueError):
        return (label, -1, -1, -1, -1, 0)
    return (label, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns, 0)


def _iso_codes(fb: FactBase, required: bool = True) -> list[DataError]:
    """ISO 3166-1 codes that name no country, or alpha-3 and alpha-2 of two different ones
    (pycountry, the ISO tables as a package: imported here only, never by a query)."""
    if not any(e.iso3 or e.iso2 for e in fb.entities.values()):
        return []
    try:
        import pycountry
    except ImportError:  # a broken installation: check says so; a query carries on
        return [] if not required else [DataError(
            BLOCS_FILE, 0, "cannot verify the ISO codes: pycountry is not installed "
            "(pip install pycountry)")]

    out = []
    for e in fb.entities.values():
        a3 = pycountry.countries.get(alpha_3=e.iso3) if e.iso3 else None
        a2 = pycountry.countries.get(alpha_2=e.iso2) if e.iso2 else None
        if e.iso3 and a3 is None:
            out.append(DataError(BLOCS_FILE, e.line, f"codes of {e.id!r}: iso3 {e.iso3!r} is "
                                                     "not an ISO 3166-1 alpha-3 country code"))
        if e.iso2 and a2 is None:
            out.append(DataError(BLOCS_FILE, e.line, f"codes of {e.id!r}: iso2 {e.iso2!r} is "
                                                     "not an ISO 3166-1 alpha-2 country code"))
        if a3 is not None and a2 is not None and a3.alpha_2 != a2.alpha_2:
            out.append(DataError(BLOCS_FILE, e.line, f"codes of {e.id!r}: iso3 {e.iso3} is "
                                                     f"{a3.name}, but iso2 {e.iso2} is "
                                                     f"{a2.name}"))
    return out


def _dates(fb: FactBase, blocs: bool = True) -> list[DataError]:
    """A fact may not be dated after every article that states it, unless a forecast."""
    out = []
    for s in fb.statements:
        if s.forecast:
            continue
        for label, rng in (("since", s.since), ("until", s.until)):
            if rng is not None and s.status != "former-member" and rng.earliest > s.stated.latest:
                out.append(_after(s.citation, label, rng.label, s.stated.label))
    for b in fb.blocs.values() if blocs else ():
        if b.formed and b.formed_citation:
            pub = fb.sources[b.formed_citation.source].published
            if b.formed.earliest > pub.latest:
                out.append(_after(b.formed_citation, "formed", b.formed.label, pub.label))
    return out


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")


def _precision(fb: FactBase, blocs: bool = True) -> list[DataError]:
    """A date may be no more precise than its article allows: a year, month or day the
    quote does not name needs a `note` saying how it was derived ("last month" in an
    article of 2008-09-04 is 2008-08). An end at the article's own date needs none."""
    out, seen = [], set()
    # Only dated statements, each (citation, since, until) once: the statements of one
    # fact (a roster or a list of states) share them, and most carry no date at all.
    # A derived status (a former member, a withdrawn recognition) has no date of its own:
    # its start is the `until` written on the statement it comes from, checked there, and
    # may be narrowed by that statement's `since` ("joined in August 2001 but withdrew in
    # 2001": out from [2001-08-01..2001-12-31]), which no quote need name.
    dated = dict.fromkeys((s.citation, s.since, s.until) for s in fb.statements
                          if (s.since is not None or s.until is not None)
                          and STATUSES[s.status].written)
    items: list[tuple[Citation, tuple[tuple[str, DateRange | None], ...]]] = [
        (c, (("since", since), ("until", until))) for c, since, until in dated]
    items += [(cite, (("formed", b.formed),)) for b in (fb.blocs.values() if blocs else ())
              if (cite := b.formed_citation)]
    owns: dict[str, set[str]] = {}
    for c, dates in items:
        if c.note:
            continue
        own = owns.get(c.source)
        if own is None:
            published = fb.sources[c.source].published
            own = owns[c.source] = {published.label, published.earliest.isoformat(),
                                    published.latest.isoformat()}
        quote = c.quote.casefold()
        for what, rng in dates:
            if rng is None:
                continue
            for end in dict.fromkeys(e for e in (rng.start, rng.end) if e):
                if end in own or (c.file, c.line) in seen or _named(end, quote):
                    continue
                seen.add((c.file, c.line))  # one report per fact
                out.append(DataError(c.file, c.line, (
                    f"{what} {end} is more precise than its quote, which names no such "
                    f"{('year', 'month', 'day')[end.count('-')]}, and there is no note; write "
                    "the date as the article gives it, or add a note saying how it was "
                    "derived")))
    return out


def _named(end: str, quote: str) -> bool:
    """Whether the quote names the date at the precision it is written with."""
    import re

    parts = end.split("-")
    if len(parts) == 1:
        return parts[0].lstrip("0") in quote
    month = _MONTHS[int(parts[1]) - 1]
    if month not in quote and not re.search(rf"\b{month[:3]}\b", quote):
        return False
    return len(parts) == 2 or re.search(rf"\b0?{int(parts[2])}(st|nd|rd|th)?\b", quote) is not None


def _after(c: Citation, what: str, when: str, published: str) -> DataError:
    return DataError(c.file, c.line, f"{what} {when} is after the publication date {published} "
                                     f"of source {c.source!r} (mark it 'forecast: true' if it "
                                     "is a plan)")


def schema_text() -> str:
    """The JSON Schema of blocs.yaml, shipped in the package (or the checkout's schema/)."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for path in (os.path.join(here, "blocs.schema.json"),
                 os.path.join(here, "..", "..", "schema", "blocs.schema.json")):
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                return fh.read()
    raise DataError("blocs.schema.json", 0, "schema file missing from the installation")

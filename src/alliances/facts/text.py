"""What every layer needs of an article's text: typographic punctuation made plain, and
sentences. One table and one splitter, so that `check` (facts/verify.py), `search`
(answers/query.py), `quote` (curation/curate.py) and `draft` fold and cut alike."""

from __future__ import annotations

import re

# Typographic quotes, primes, guillemets and dashes as a curator types them; no-break
# spaces as spaces. Nothing else is changed.
PLAIN = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    "\u2033": '"', "\u00ab": '"', "\u00bb": '"', "\u2013": "-", "\u2014": "-",
    "\u2012": "-", "\u2015": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u00a0": " ", "\u202f": " ",
})

# A sentence ends at ., ! or ? (and a closing quote or bracket) before a capital or an
# opening bracket ("... Abkhazia. ( dpa )")...
_END = re.compile(r"(?<=[.!?])[\"\u201d\u2019)]?\s+(?=[\"\u201c(]?[A-Z]|\()")
# ...unless the full stop is an abbreviation's: "U.S. missile", "Mr. X".
_ABBREVIATION = re.compile(r"\b(?:[A-Z]\.|Mr\.|Dr\.|St\.|U\.S\.)$")


def sentence_spans(chunk: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one paragraph, a closing quote or bracket kept
    with the sentence it ends; the spans cover the chunk (whitespace between them
    excepted), the last running to its end."""
    out = []
    last = 0
    for m in _END.finditer(chunk):
        if _ABBREVIATION.search(chunk[max(0, m.start() - 4):m.start() + 1]):
            continue
        cut = m.start() + len(m.group(0)) - len(m.group(0).lstrip("\"\u201d\u2019)"))
        out.append((last, cut))
        last = m.end()
    out.append((last, len(chunk)))
    return out

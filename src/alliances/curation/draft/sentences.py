"""Sentences of an article, with the known names replaced by tokens."""

from __future__ import annotations

import re

from ...facts.dates import DateRange
from ...facts.text import sentence_spans
from .dates import date_phrases

TOKEN = re.compile(r"«(\d+)»")
# Words after which a named state can still be the subject of what follows.
_SUBJECT_BEFORE = {"and", "or", "as", "only", "even", "also", "then", "including", "like",
                   "that", "which", "while", "but", "both", "nor", "neither", "either",
                   "namely", "except", "besides", "course", "after", "before", "since", "when",
                   "because", "although", "though", "if", "until", "whereas"}
_PREPOSITIONS = {"in", "of", "to", "from", "with", "against", "on", "by", "for", "over", "at",
                 "into", "through", "about", "between", "toward", "towards", "under", "upon"}



# -- names and sentences ---------------------------------------------------------------
def _key(name: str) -> str:
    return " ".join(name.replace("’", "'").casefold().split())


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


_WORD = re.compile(r"\w+")


class Names:
    """The known names as one pattern: entity and bloc names and aliases, and adjectives."""

    def __init__(self, fb):
        self.kind: dict[str, tuple[str, str, bool]] = {}
        self.proper: set[str] = set()  # names the data capitalises: only a capital matches
        taken = set(fb.names)
        for e in fb.entities.values():
            for n in (e.name, *e.aliases):
                self.kind.setdefault(_key(n), ("entity", e.id, False))
        for b in fb.blocs.values():
            for n in (b.name, *b.aliases):
                self.kind.setdefault(_key(n), ("bloc", b.id, False))
        self.original: dict[str, str] = {}
        for item in (*fb.entities.values(), *fb.blocs.values()):
            for n in (item.name, *item.aliases):
                self.original.setdefault(_key(n), n)
                if n[:1].isupper():
                    self.proper.add(_key(n))
        for e in fb.entities.values():
            for n in (e.name, *e.aliases):
                for adj in _demonyms(n):
                    if " ".join(adj.casefold().split()) not in taken:
                        self.kind.setdefault(adj.casefold(), ("entity", e.id, True))
                        self.proper.add(adj.casefold())
        # looked up by runs of words (longest first), not by one alternation of every
        # name: linear in the text whatever the number of names
        self.longest = max((len(_WORD.findall(k)) for k in self.kind), default=0)

    def find(self, text: str):
        """(start, end, kind, id, adjective, possessive) for each proper-noun mention."""
        out: list[tuple] = []
        if not self.kind:
            return out
        words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        i, n = 0, len(words)
        while i < n:
            hit = None
            for k in range(min(self.longest, n - i), 0, -1):
                a, b = words[i][0], words[i + k - 1][1]
                for end in ((b + 1, b) if text[b:b + 1] == "." else (b,)):
                    word = text[a:end]
                    key = _key(word)
                    if key in self.kind:
                        hit = (a, end, k)
                        break
                if hit:
                    break
            if not hit:
                i += 1
                continue
            a, end, k = hit
            word = text[a:end]
            key = _key(word)
            i += k
            if key in self.proper and not word[0].isupper():
                continue  # "georgia" in lower case is not the state
            orig = self.original.get(key, word)
            if orig.isupper() and len(orig) > 1 and word != orig:
                continue  # "US" only in capitals, never "us"
            kind, ident, adj = self.kind[key]
            poss = bool(re.match(r"['’]s\b|s['’](?!\w)", text[end:end + 3]))
            out.append((a, end, kind, ident, adj, poss))
        return out


class Sentence:
    __slots__ = ("start", "end", "text", "line", "tagged", "mentions", "dates")
    tagged: str
    mentions: list[tuple]   # (start, end, kind, id, adjective, possessive), as Names.find
    dates: list[tuple]      # (start, end, When), as date_phrases

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
    lines = text.splitlines(True)
    for k, line in enumerate(lines):
        body = line.strip()
        begin = pos
        pos += len(line)
        if not body:
            continue
        if cur_start is None:
            cur_start = begin
        cur_end = begin + len(line.rstrip())
        nxt = lines[k + 1].strip() if k + 1 < len(lines) else ""
        paras_join = _joins(body, nxt)
        if not paras_join:
            paras.append((cur_start, cur_end))
            cur_start = None
    if cur_start is not None:
        paras.append((cur_start, cur_end))
    out = []
    for a, b in paras:
        out += [(a + s, a + e) for s, e in sentence_spans(text[a:b])]
    result = []
    lineno, counted = 1, 0
    for s, e in _bounded(text, out):
        piece = text[s:e]
        lead = len(piece) - len(piece.lstrip())
        s += lead
        piece = text[s:e].rstrip()
        if piece:
            lineno += text.count("\n", counted, s)   # counted once, in order: linear
            counted = s
            result.append(Sentence(piece, s, s + len(piece), lineno))
    return result


_OPEN_END = re.compile(r"(?:\b[a-z][\w’'-]*|,|&|\b(?:of|the|and|by|to|in)|[-–—])$")


def _joins(body: str, nxt: str) -> bool:
    """Whether a line runs on into the next one: a sentence broken by a hard line break.
    A long line that stops mid-sentence ("met in Moscow in late" / "August and both")
    joins even across a blank line's absence; a short one joins only the line right below
    it, when it stops without a sentence's end and the next line goes on in lower case or
    the two are a run of short lines (a text wrapped a word or two a line). A title or
    dateline, followed by a blank line or by a capitalised sentence, stays on its own."""
    if re.search(r"[.!?:;][\"”’')\]]*$", body):
        return False
    if len(body.split()) >= 12 and re.search(r"(?:\b[a-z]+|,)$", body):
        return True
    if not nxt:
        return False
    if re.match(r"[a-z(,;:’'\"”]|\d", nxt):
        return bool(_OPEN_END.search(body)) or len(body.split()) <= 4
    # a run of very short lines: words wrapped one to four a line
    return len(body.split()) <= 4 and len(nxt.split()) <= 4


MAX_SENTENCE = 2000


def _bounded(text: str, spans):
    """Spans of at most MAX_SENTENCE characters: a longer "sentence" (a text without full
    stops) is cut at the last clause break or space before the limit, so that every rule
    reads a bounded piece and the whole draft stays linear in the article's length."""
    for s, e in spans:
        while e - s > MAX_SENTENCE:
            cut = max(text.rfind("; ", s, s + MAX_SENTENCE), text.rfind(", ", s, s + MAX_SENTENCE))
            if cut <= s + MAX_SENTENCE // 2:
                cut = text.rfind(" ", s, s + MAX_SENTENCE)
            if cut <= s:
                cut = s + MAX_SENTENCE
            else:
                cut += 1
            yield s, cut
            s = cut
        yield s, e


def _tag(sent: Sentence, names: Names, pub: DateRange) -> None:
    """Replace each mention by «i» in `tagged`; keep the mentions and date phrases."""
    t = sent.text
    sent.mentions = names.find(t)
    parts, last = [], 0
    # the article's own guillemets («7») become plain quotes in the tagged form only (the
    # same length, so offsets still map back), so they are never read as a name's token
    plain = str.maketrans("«»", "“”")
    for i, (a, b, *_rest) in enumerate(sent.mentions):
        parts.append(t[last:a].translate(plain))
        parts.append(f"«{i}»")
        last = b
    parts.append(t[last:].translate(plain))
    sent.tagged = "".join(parts)
    sent.dates = date_phrases(t, pub)



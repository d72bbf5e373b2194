"""The fact as the cache's unit: after an edit of blocs.yaml, only the facts it touched are
parsed, validated and verified again, and only the shards they are in are written again.

blocs.yaml is cut into its head (schema, entities, codes, blocs: everything before the
first of the lists ITEM_SECTIONS) and the items of those lists, each item's text from the
line that opens it ("  - " or "- ") to the next such line or list key. Each generation of
the cache keeps, beside its shards, its layout (`<gen>-items.json`): the sha256 of each
item's text, its list, its first line, the blocs and entities its records are under, its
count of facts and the problems verification found in it. Its statements are numbered
(`seq`) by list, line and place in the item, so that an item's statements can be found in
the shards, and an edit elsewhere leaves their number alone.

A query that finds the cache stale because blocs.yaml changed (cache.update_items, which
uses what this module defines), while the code, the data
directory, sources.yaml, the articles verification read and blocs.yaml's head are what the
last generation was built from (the head's text is compared, not only its stat), takes the
items that are the same (by list and sha256) at the start and at the end of the file as
they were, and parses, validates and verifies the others alone (each at its own lines:
every record and problem names its line in the file), against the head and sources of the
last generation (the same, since unchanged). The shards of the blocs and entities that the
removed and added items are under, and of those under items an added or removed line moved,
are rewritten from the last generation's: the removed items' entries dropped, the moved
ones renumbered, the added ones inserted in order; every other shard of the new generation
is a hard link to the last one's file (its bytes copied where links cannot be made). The
result is what a build from scratch writes, entry for entry (tests/test_fact_unit.py
compares them).

Anything else falls back to building from scratch, which is always right and reports
every problem as it does: a changed head, sources.yaml or article; a layout or shard that
is missing, damaged or of another shape or code; a cut that is not safe (a line break other
than \\n, an item opened otherwise, another top-level key after the lists, a list without
items); an item that does not parse alone as exactly one item of its list at its line; any
problem an edited item has (the scratch build then names it, file and line, exactly as
always); more items edited than are worth it.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right

from .model import BLOCS_FILE, FactBase
from .validate import ITEM_SECTIONS

LAYOUT = "items"         # <gen>-items.json
LAYOUT_FORMAT = 1
RANKS = {k.encode(): n for n, k in enumerate(ITEM_SECTIONS)}
LINE_BITS = 28           # seq = rank << 56 | line << 28 | place in the item
MAX_EDITED = 2000        # items parsed alone at most; more: a build from scratch

# a line that starts at the first column (a key), after a \n; and what opens an item
_COL0 = re.compile(rb"\n[^ #\n]")
_OPENER = b"\n  - "
_KEY = re.compile(rb"(rosters|memberships|recognitions):[ ]*(?:#[^\n]*)?")
_BLANK = re.compile(rb"(?:[ ]*(?:#[^\n]*)?\n)*")
# YAML's other line breaks (\r, NEL, LS, PS): a file with any is never cut (searched for
# in the decoded text: in the bytes, a search for each costs 8 times as much)
BREAKS = ("\r", "\x85", "\u2028", "\u2029")
HASH = 32                # bytes of an item's sha256 (the layout holds them all as one)


class Built(FactBase):
    """A fact base built from the files, with which records each item made (validate's
    spans) and the layout of blocs.yaml's items (None when the file cannot be cut)."""

    __slots__ = ("spans", "layout")
    spans: list | None
    layout: Layout | None

    @classmethod
    def of(cls, fb: FactBase, spans: list | None) -> Built:
        new = cls.__new__(cls)
        for name in FactBase.__slots__:
            if hasattr(fb, name):
                setattr(new, name, getattr(fb, name))
        new.spans, new.layout = spans, None
        return new


def cut(raw: bytes, text: str | None):
    """(a digest of the head and list keys' bytes, and per item in file order its list's
    rank, first line and text after its "  - "), or None when the file cannot be cut
    safely. `text` is `raw` decoded (None: the caller checks the line breaks itself).
    The file is split at its "\n  - " by bytes.split and counted by C loops (a Python
    loop over the 181,000 items of 1,000x costs 0.3 s)."""
    from itertools import accumulate, repeat
    from operator import add

    if text is not None and any(b in text for b in BREAKS):
        return None
    keys: list[tuple[int, int]] = []   # (offset of a list's key line, its rank)
    for m in _COL0.finditer(raw):
        pos = m.start() + 1
        end = raw.find(b"\n", pos)
        k = _KEY.fullmatch(raw, pos, len(raw) if end < 0 else end)
        if k is None:
            if keys:
                return None  # another top-level key (or a "- " item, ---, ...) after the lists
            continue         # a key of the head
        keys.append((pos, RANKS[k.group(1)]))
    if not keys or len({r for _, r in keys}) < len(keys):
        return None
    parts = raw.split(_OPENER)
    counts = list(map(bytes.count, parts, repeat(b"\n")))
    # offset and first line of each part (an item's text after its "  - ")
    starts = list(accumulate(map(add, map(len, parts), repeat(len(_OPENER))), initial=0))
    lines = list(accumulate(map(add, counts, repeat(1)), initial=1))
    skeleton = hashlib.sha256()
    at = bisect_right(starts, keys[0][0]) - 1   # the part the first key is in
    cuts = sorted({bisect_right(starts, pos) - 1: (pos, rank) for pos, rank in keys}.items())
    if len(cuts) < len(keys):
        return None  # a list without items
    items = parts[at + 1:]
    ranks: list[int] = []
    for n, (i, (pos, rank)) in enumerate(cuts):
        end = starts[i] + len(parts[i])
        if i == at:
            seg = raw[:end]  # the head and the first list's key
        else:                # the end of an item, then the next list's key
            items[i - at - 1] = raw[starts[i]:pos]
            seg = raw[pos:end]
        upto = cuts[n + 1][0] if n + 1 < len(cuts) else len(parts) - 1
        ranks += [rank] * (upto - i)
        nl = raw.find(b"\n", pos, end)
        tail = raw[nl + 1:end] if nl >= 0 else b""
        if tail and not _BLANK.fullmatch(tail + b"\n"):
            return None  # something between a list's key and its first item
        skeleton.update(len(seg).to_bytes(8, "big"))
        skeleton.update(seg)
    if not items or lines[-1] >= 1 << LINE_BITS:
        return None
    return skeleton.hexdigest(), ranks, lines[at + 1:len(parts)], items


def digests(items: list[bytes]) -> bytes:
    """The sha256 of each item's text, one after the other."""
    from operator import methodcaller

    return b"".join(map(methodcaller("digest"), map(hashlib.sha256, items)))


def seq_numbers(fb: FactBase):
    """Each statement's number in the shards: by list, item's first line and place in the
    item when the spans cover every statement in order, else its place in the record."""
    spans = getattr(fb, "spans", None)
    n = len(fb.statements)
    if spans:
        seqs: list[int] = []
        for rank, line, s0, s1, *_ in spans:
            if s0 != len(seqs) or line >= 1 << LINE_BITS or s1 - s0 >= 1 << LINE_BITS:
                break
            base = rank << 2 * LINE_BITS | line << LINE_BITS
            seqs.extend(range(base, base + s1 - s0))
        else:
            if len(seqs) == n:
                return seqs
    return range(n)


class Layout:
    """Per item of blocs.yaml, in file order: sha256 of its text, list (rank), first line,
    the objects (blocs or entities) of its statements in order, its roster's bloc, its
    count of facts, and the problems verification found in it."""

    __slots__ = ("skeleton", "hashes", "ranks", "lines", "objs", "rblocs", "counts",
                 "probs", "others")

    def __init__(self, skeleton, hashes, ranks, lines, objs, rblocs, counts, probs, others):
        self.skeleton, self.hashes, self.ranks, self.lines = skeleton, hashes, ranks, lines
        self.objs, self.rblocs, self.counts = objs, rblocs, counts
        self.probs: dict[int, list] = probs    # item -> [[kind, line, message], ...]
        self.others: list = others             # [[kind, file, line, message], ...]

    def add_problems(self, parts: list) -> None:
        """verify()'s problems by kind (verify.PARTS): those in an item to the item, the
        others (the articles', the head's, the codes') kept apart."""
        lines, first = self.lines, self.lines[0]
        for kind, found in enumerate(parts):
            for p in found:
                if 1 <= kind <= 3 and p.file == BLOCS_FILE and p.line >= first:
                    i = bisect_right(lines, p.line) - 1
                    self.probs.setdefault(i, []).append([kind, p.line, p.message])
                else:
                    self.others.append([kind, p.file, p.line, p.message])

    def problems(self) -> list:
        """The problems as verify() orders them: the articles', then for the quotes, the
        dates and the precision each the items' (in the order of their statements: by
        list, then line) before the head's, then the codes'."""
        out = [[f, ln, m] for kind, f, ln, m in self.others if kind == 0]
        order = sorted(self.probs, key=lambda i: (self.ranks[i], self.lines[i]))
        for k in (1, 2, 3):
            out.extend([BLOCS_FILE, ln, m] for i in order for kind, ln, m in self.probs[i]
                       if kind == k)
            out.extend([f, ln, m] for kind, f, ln, m in self.others if kind == k)
        out.extend([f, ln, m] for kind, f, ln, m in self.others if kind == 4)
        return out

    def to_json(self, code: int) -> list:
        return [LAYOUT_FORMAT, code, self.skeleton, self.hashes.hex(), self.ranks, self.lines,
                self.objs, self.rblocs, self.counts,
                [[i, *p] for i, ps in sorted(self.probs.items()) for p in ps], self.others]

    @classmethod
    def from_json(cls, v, code: int) -> Layout | None:
        """The layout as to_json wrote it, every field of its type; else None."""
        from itertools import chain
        from operator import lt

        if not (type(v) is list and len(v) == 11 and v[0] == LAYOUT_FORMAT and v[1] == code
                and type(v[2]) is str):
            return None
        hashes, ranks, lines, objs, rblocs, counts, probs, others = v[3:]
        n = len(ranks) if type(ranks) is list else -1
        # checked by C loops (map, set): a per-item Python check costs 0.4 s at 1,000x
        if not (n > 0 and all(type(x) is list and len(x) == n
                              for x in (ranks, lines, objs, rblocs, counts))
                and type(hashes) is str and len(hashes) == 2 * HASH * n
                and set(map(type, ranks)) == {int} and set(ranks) <= {0, 1, 2}
                and set(map(type, lines)) == {int} and 0 < lines[0]
                and lines[-1] < 1 << LINE_BITS and all(map(lt, lines, lines[1:]))
                and set(map(type, objs)) == {list}
                and set(map(type, chain.from_iterable(objs))) <= {str}
                and set(map(type, rblocs)) <= {str, type(None)}
                and set(map(type, counts)) == {int} and min(counts) >= 0
                and type(probs) is list and type(others) is list
                and all(type(p) is list and len(p) == 4 and type(p[0]) is int
                        and 0 <= p[0] < n and p[1] in (1, 2, 3) and type(p[2]) is int
                        and type(p[3]) is str for p in probs)
                and all(type(p) is list and len(p) == 4 and type(p[0]) is int
                        and 0 <= p[0] <= 4 and type(p[1]) is str and type(p[2]) is int
                        and type(p[3]) is str for p in others)):
            return None
        by: dict[int, list] = {}
        for i, kind, line, message in probs:
            by.setdefault(i, []).append([kind, line, message])
        try:
            digest = bytes.fromhex(hashes)
        except ValueError:
            return None
        return cls(v[2], digest, ranks, lines, objs, rblocs, counts, by, others)


def layout_of(raw: bytes, text: str, fb: Built) -> Layout | None:
    """The layout of a fact base just built from `raw` (decoded: `text`; problems added
    once verified), or None when the file cannot be cut, or its cut is not the items the
    parser found."""
    c = cut(raw, text)
    spans = fb.spans
    if c is None or spans is None or len(spans) != len(c[2]):
        return None
    skeleton, ranks, lines, texts = c
    from operator import attrgetter

    by = {(s[0], s[1]): s for s in spans}
    if len(fb.statements) >= 1 << LINE_BITS:
        return None  # (seq_numbers would not number them by item)
    of = list(map(attrgetter("object"), fb.statements))
    rosters = fb.rosters
    objs, rblocs, counts = [], [], []
    for rank, line in zip(ranks, lines, strict=True):
        span = by.get((rank, line))
        if span is None or span[5] - span[4] > 1:
            return None  # the parser's items are not the cut's: never cut this file
        _, _, s0, s1, r0, r1, count = span
        objs.append([of[s0]] if s1 - s0 == 1 else list(dict.fromkeys(of[s0:s1])))
        rblocs.append(rosters[r0].bloc if r1 > r0 else None)
        counts.append(count)
    return Layout(skeleton, digests(texts), ranks, lines, objs, rblocs, counts,
                  {}, [])

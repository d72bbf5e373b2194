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

A query that finds the cache stale because blocs.yaml changed, while the code, the data
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
import os
import re
from bisect import bisect_right
from typing import TYPE_CHECKING

from .model import BLOCS_FILE, FactBase
from .validate import ITEM_SECTIONS

if TYPE_CHECKING:
    from typing import Any

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
_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
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


def cut(raw: bytes, text: str):
    """(a digest of the head and list keys' bytes, and per item in file order its list's
    rank, first line and text after its "  - "), or None when the file cannot be cut
    safely. `text` is `raw` decoded. The file is split at its "\n  - " by bytes.split and
    counted by C loops (a Python loop over the 181,000 items of 1,000x costs 0.3 s)."""
    from itertools import accumulate, repeat
    from operator import add

    if any(b in text for b in _BREAKS):
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


def update(dfd: int, sig: list, sums: list | None, data_dir: str) -> str | None:
    """Bring the cache up to date with blocs.yaml item by item, from the generation the
    index names (see the module's docstring). The new generation's name, its index
    written; None when this cannot be done (nothing written then but unused shards)."""
    from . import cache

    try:
        raw = cache._read_at(dfd, cache.INDEX)
        first, line, rest = raw.split(b"\n", 2)
        old_sig, old_sums, body = cache._loads(first), cache._loads(line), cache._loads(rest)
    except Exception:
        return None
    if not (type(old_sig) is list and len(old_sig) == len(sig) and old_sig[:2] == sig[:2]
            and old_sig[3:] == sig[3:] and cache.valid_body(body)):
        return None
    try:
        if old_sums is not None:  # a file racy when built: the same bytes still?
            others = [s for s in old_sums if s[0] != BLOCS_FILE]
            if others and others != cache.checksums(data_dir, [s[0] for s in others]):
                return None
    except (OSError, TypeError, ValueError, IndexError):
        return None
    gen, head, shard_of, subjects = body
    if not (isinstance(gen, str) and gen.isalnum()):
        return None
    try:
        if not cache._texts_unchanged(data_dir, tuple(tuple(t) for t in head[7])):
            return None
    except (TypeError, ValueError):
        return None
    lock = cache._hold(dfd, gen)
    if lock is None:
        return None
    try:
        return _update(dfd, sig, sums, data_dir, gen, head, shard_of, subjects)
    except _Fallback:
        return None
    finally:
        os.close(lock)


class _Fallback(Exception):
    """Build from scratch instead."""


def _update(dfd, sig, sums, data_dir, gen, head, shard_of, subjects) -> str:
    import time

    from . import cache
    from .load import DataError, Map, Seq, decode, parse_yaml, read_bytes
    from .paths import inside
    from .validate import Builder, build_item
    from .verify import verify_facts

    code = cache.code_key()
    try:
        old = Layout.from_json(cache._loads(cache._read_at(dfd, f"{gen}-{LAYOUT}.json")), code)
        raw = read_bytes(inside(data_dir, BLOCS_FILE, BLOCS_FILE), BLOCS_FILE)
        text = decode(raw, BLOCS_FILE)  # not UTF-8: the build from scratch says where
    except Exception:
        raise _Fallback from None
    if old is None:
        raise _Fallback
    c = cut(raw, text)
    del text
    if c is None or c[0] != old.skeleton:
        raise _Fallback
    skeleton, ranks, lines, texts = c
    hashes = digests(texts)

    # the items the same at the start and at the end, by list and text
    n_old, n_new = len(old.ranks), len(ranks)
    old_ranks, new_ranks = bytes(old.ranks), bytes(ranks)
    p = _common(old.hashes, hashes, old_ranks, new_ranks, min(n_old, n_new), False)
    q = _common(old.hashes, hashes, old_ranks, new_ranks, min(n_old, n_new) - p, True)
    removed, added = range(p, n_old - q), range(p, n_new - q)
    if len(added) > MAX_EDITED:
        raise _Fallback
    delta = lines[n_new - q] - old.lines[n_old - q] if q else 0
    if q and any(lines[n_new - 1 - i] - old.lines[n_old - 1 - i] != delta for i in range(q)):
        raise _Fallback
    moved = range(n_old - q, n_old) if delta else range(0)

    # the added items, each parsed alone at its own lines and built against the head
    dec = cache._Decoder()
    _, sources, entities, blocs = dec.head(head)[:4]
    part = Built(data_dir, sources, entities, blocs, [], [])
    b = Builder(data_dir, strict=True)
    new_objs, new_rblocs, new_counts, spans = [], [], [], []
    try:
        for i in added:
            text = "\n" * (lines[i] - 1) + "  - " + texts[i].decode("utf-8")
            tree = parse_yaml(text, BLOCS_FILE)
            if not (isinstance(tree, Seq) and len(tree) == 1 and isinstance(tree[0], Map)
                    and tree.item_lines[0] == lines[i]):
                raise _Fallback
            s0, r0, c0 = len(part.statements), len(part.rosters), part.fact_count
            build_item(ranks[i], tree[0], part, b)
            s1, r1 = len(part.statements), len(part.rosters)
            if r1 - r0 > 1 or s1 - s0 >= 1 << LINE_BITS:
                raise _Fallback
            spans.append((ranks[i], lines[i], s0, s1, r0, r1, part.fact_count - c0))
            new_objs.append(list(dict.fromkeys([s.object for s in part.statements[s0:s1]])))
            new_rblocs.append(part.rosters[r0].bloc if r1 > r0 else None)
            new_counts.append(part.fact_count - c0)
        found = verify_facts(part)
    except DataError:
        raise _Fallback from None  # the build from scratch reports it as always

    # the new layout: the same items, the added ones, the moved ones at their new lines
    def keep(lst):
        return lst[:p]

    def tail(lst):
        return lst[n_old - q:] if q else []

    probs: dict[int, list] = {}
    for i, ps in old.probs.items():
        if i < p:
            probs[i] = ps
        elif i >= n_old - q:
            probs[i - n_old + n_new] = [[k, ln + delta, m] for k, ln, m in ps]
    added_lines = [lines[i] for i in added]
    for kind, ps in enumerate(found, 1):
        for e in ps:
            i = p + bisect_right(added_lines, e.line) - 1
            probs.setdefault(i, []).append([kind, e.line, e.message])
    new = Layout(skeleton, hashes, ranks, lines,
                 keep(old.objs) + new_objs + tail(old.objs),
                 keep(old.rblocs) + new_rblocs + tail(old.rblocs),
                 keep(old.counts) + new_counts + tail(old.counts), probs, old.others)

    # the shards to write again: those of the removed, added and moved items' records
    touched: dict[str, None] = {}
    for i in (*removed, *moved):
        touched.update(dict.fromkeys(old.objs[i]))
        if old.rblocs[i] is not None:
            touched[old.rblocs[i]] = None
    for objs, rbloc in zip(new_objs, new_rblocs, strict=True):
        touched.update(dict.fromkeys(objs))
        if rbloc is not None:
            touched[rbloc] = None
    gone = {ranks_line(old.ranks[i], old.lines[i]) for i in removed}
    shift = {ranks_line(old.ranks[i], old.lines[i]) for i in moved}
    old_lines = old.lines
    enc = cache._Encoder()
    adds: dict[str, tuple[list, list]] = {}
    for rank, line, s0, s1, r0, r1, _ in spans:
        base = rank << 2 * LINE_BITS | line << LINE_BITS
        for k, s in enumerate(part.statements[s0:s1]):
            adds.setdefault(s.object, ([], []))[0].append([base + k, enc.statement(s)])
        for r in part.rosters[r0:r1]:
            adds.setdefault(r.bloc, ([], []))[1].append(
                [r.bloc, enc.c(r.citation), enc.d(r.stated), sorted(r.states), r.complete])
    contents: dict[str, list] = {}
    for obj in touched:
        n = shard_of.get(obj)
        if n is None:
            if obj in shard_of:
                raise _Fallback
            st: list = []
            ro: list = []
        else:
            try:
                v = cache._loads(cache._read_at(dfd, f"{gen}-{n}.json"))
            except Exception:
                raise _Fallback from None
            if not cache.valid_shard(v):
                raise _Fallback
            st, ro = v
        out = []
        for e in st:
            key = e[0] >> LINE_BITS
            if key in gone:
                continue
            if key in shift:
                e[0] += delta << LINE_BITS
                e[1][7][4] += delta
            out.append(e)
        rows = []
        for r in ro:
            i = bisect_right(old_lines, r[1][4]) - 1
            if p <= i < n_old - q:
                continue
            if delta and i >= n_old - q:
                r[1][4] += delta
            rows.append(r)
        more = adds.get(obj)
        if more is not None:
            out.extend(more[0])
            rows.extend(more[1])
        out.sort(key=lambda e: e[0])
        rows.sort(key=lambda r: r[1][4])
        if out or rows:
            contents[obj] = [out, rows]

    # the objects in the order a build from scratch finds them (cache.partition's)
    from itertools import chain

    if ranks == sorted(ranks):
        objs, rblocs = new.objs, new.rblocs
    else:
        by = sorted(range(n_new), key=lambda i: (ranks[i], lines[i]))
        objs, rblocs = [new.objs[i] for i in by], [new.rblocs[i] for i in by]
    order = dict.fromkeys(chain.from_iterable(objs))
    for bloc in dict.fromkeys(filter(None, rblocs)):  # rosters, no statements: last
        order.setdefault(bloc)
    for obj in order:
        if obj not in touched and obj not in shard_of:
            raise _Fallback  # the layout and the index disagree

    gen2 = f"{time.time_ns():x}{os.getpid():x}"
    lock2 = cache._hold(dfd, gen2, create=True)
    try:
        new_shard_of: dict[str, int] = {}
        for n, obj in enumerate(order):
            name = f"{gen2}-{n}.json"
            if obj in touched:
                cache._write_at(dfd, name, cache._dumps(contents[obj]))
            else:
                _link(dfd, f"{gen}-{shard_of[obj]}.json", name)
            new_shard_of[obj] = n
        subs: dict[str, set] = {}
        for subject, objs in subjects.items():
            kept = {o for o in objs if o not in touched}
            if kept:
                subs[subject] = kept
        for obj, (st, _) in contents.items():
            for e in st:
                if e[1][8] is None:
                    subs.setdefault(e[1][1], set()).add(obj)
        head2: list[Any] = list(head)
        head2[4] = head[4] - sum(old.counts[i] for i in removed) + sum(new_counts)
        head2[6] = new.problems()
        cache._write_at(dfd, f"{gen2}-{LAYOUT}.json", cache._dumps(new.to_json(code)))
        body = [gen2, head2, new_shard_of, {k: sorted(v) for k, v in subs.items()}]
        texts = tuple(tuple(t) for t in head[7])
        cache._write_at(dfd, cache.INDEX, b"\n".join((
            cache._dumps(sig), cache._dumps(cache._with_texts(sums, texts)),
            cache._dumps(body))))
        cache._debug(f"items: {len(removed)} removed, {len(added)} parsed, {len(moved)} "
                     f"moved; {len(touched)} of {len(order)} shards written")
        cache._collect(dfd, keep=gen2)
    except (OSError, ValueError):
        raise _Fallback from None
    finally:
        if lock2 is not None:
            os.close(lock2)
    return gen2


def _common(a: bytes, b: bytes, ra: bytes, rb: bytes, most: int, end: bool) -> int:
    """How many items two layouts have in common (same sha256 in a and b, HASH bytes each,
    and same rank in ra and rb) at their start, or at their `end`, at most `most`: a binary
    search of byte comparisons."""
    la, lb = len(ra), len(rb)
    lo, hi = 0, most
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if end:
            same = (a[(la - mid) * HASH:] == b[(lb - mid) * HASH:]
                    and ra[la - mid:] == rb[lb - mid:])
        else:
            same = a[:mid * HASH] == b[:mid * HASH] and ra[:mid] == rb[:mid]
        if same:
            lo = mid
        else:
            hi = mid - 1
    return lo


def ranks_line(rank: int, line: int) -> int:
    return rank << LINE_BITS | line


def _link(dfd: int, src: str, dst: str) -> None:
    """dst, a new name for the shard src (it is never written again, only replaced): a
    hard link, or its bytes copied where the file system has none."""
    from . import cache

    try:
        os.link(src, dst, src_dir_fd=dfd, dst_dir_fd=dfd, follow_symlinks=False)
    except (OSError, NotImplementedError):  # (no dir_fd for links on this platform)
        cache._write_at(dfd, dst, cache._read_at(dfd, src))

"""A compiled cache of the validated fact base, split so a query reads only what it needs.

Layout, in the platform's user cache directory (ALLIANCES_CACHE_DIR overrides,
ALLIANCES_NO_CACHE=1 disables), one folder per data directory:
    index.json            three lines: the signature, the racy checksums, then the small
                          tables (sources, entities, blocs, names) and which shard holds
                          each bloc's or entity's statements
    <gen>-<n>.json        one shard per bloc or entity: its statements and rosters
    <gen>-items.json      the layout of blocs.yaml's items (facts/items.py), so that an
                          edit rebuilds only the items and shards it touched; a shard the
                          edit did not touch is a hard link to the last generation's
    <gen>.lock            held (shared) by every process answering from that generation
    quotes.json           the quote memo (QuoteMemo): which quotes this code found in which
                          article, by the article's sha256, so that a rebuild searches only
                          the quotes an edit touched
`members CSTO` reads the index and CSTO's shard, so a fact base 1,000 times larger answers
almost as fast.

What it promises:
- Nothing in it runs. It is JSON, read by the C decoder, and the records are rebuilt field
  by field from lists (a value of the wrong shape is a miss, not code).
- Only the user can have written it. The path is walked from / with a directory handle per
  component (O_DIRECTORY | O_NOFOLLOW, each fstat-ed as it is opened), as OpenSSH's
  safe_path checks: every directory is owned by the user or root and writable by no one
  else, except a root-owned sticky directory such as /tmp above the cache root (there no
  one else can rename or remove what the user owns); the cache root and the folder are the
  user's own. No component may be a symlink. Every read, write, rename and removal then goes
  through the folder's handle (dir_fd), so nothing can be swapped between check and read.
  One that fails the check is not used (one line on stderr says so).
- It is never stale. The signature is read before anything else: this package's own
  source files (their size, mtime, ctime and inode: an upgrade, a reinstall or a second
  copy of the package is another key, not the version string), the interpreter, the data
  directory, both YAML files' stat, and the stat of every article verification read or
  failed to read (a restored article is a change). Files changed within the last few
  seconds are also checksummed, as git does for "racily clean" entries.
- A reader never mixes two generations. A process that answers from generation G holds a
  shared lock on G.lock until it exits, and shards are removed only under an exclusive lock
  on theirs; a shard nonetheless gone (the cache deleted by hand) is rebuilt from the data
  files only if they still have the signature G was built from, else the run stops with
  one line saying the data changed during it.
- Concurrent processes build and replace it at will: a generation's shards are written
  before the index that names them, and the index is replaced atomically.
The cache never lives in the package or the data directory, and one that cannot be read or
written is simply skipped. ALLIANCES_CACHE_DEBUG=1 reports hit, miss and repair on stderr.
"""

from __future__ import annotations

import gc
import os
import stat
import sys
import zlib
from typing import TYPE_CHECKING

from .load import DataError
from .model import (
    BLOCS_FILE,
    SOURCES_FILE,
    Bloc,
    Citation,
    Entity,
    FactBase,
    Group,
    Roster,
    Source,
    Statement,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

INDEX = "index.json"
FORMAT = 2        # of the files below: part of the signature
GRACE_NS = 60_000_000_000  # a generation this young may belong to a writer still at work
_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _debug(event: str) -> None:
    if os.environ.get("ALLIANCES_CACHE_DEBUG"):
        sys.stderr.write(f"cache: {event}\n")


_WARNED: set = set()


class Unsafe(Exception):
    """A component of the cache path that someone else could change."""


def _note(where: str, problem: str) -> None:
    if where not in _WARNED:
        _WARNED.add(where)
        text = f"note: cache {where} {problem}: not used (answering from the data files)"
        # a path is shown, never obeyed by the terminal (as render.clean, a layer above)
        text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256
                       else f"\\u{ord(c):04x}" for c in text)
        sys.stderr.write(text + "\n")


def _check(st, path: str, own: bool) -> None:
    """OpenSSH's safe_path rule for one directory, from its fstat."""
    uid = os.geteuid() if hasattr(os, "geteuid") else st.st_uid
    if not stat.S_ISDIR(st.st_mode):
        raise Unsafe(f"{path} is not a directory")
    if st.st_uid != uid and (own or st.st_uid != 0):
        raise Unsafe(f"{path} belongs to another user")
    if st.st_mode & 0o022:
        # /tmp: root's, sticky: no one else can rename or remove what the user owns in it
        if own or st.st_uid != 0 or not st.st_mode & stat.S_ISVTX:
            raise Unsafe(f"{path} can be written by other users")


def open_private(where: str, create: bool, own_from: int | None = None) -> int:
    """A directory handle on `where`, every component checked as it is opened (see the
    module's docstring). The last `own_from` components (default: the last two, the cache
    root and the folder) must be the user's own; missing ones are created 0700 when
    `create`. Raises Unsafe, or OSError when a component cannot be opened or made."""
    path = os.path.abspath(where)
    parts = [p for p in path.split(os.sep) if p]
    own_from = len(parts) - (2 if own_from is None else own_from)
    fd = os.open(os.sep, _DIR)
    try:
        _check(os.fstat(fd), os.sep, own=False)
        walked = ""
        for i, part in enumerate(parts):
            walked += os.sep + part
            try:
                nxt = os.open(part, _DIR | _NOFOLLOW, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                try:
                    os.mkdir(part, 0o700, dir_fd=fd)
                except FileExistsError:
                    pass
                nxt = os.open(part, _DIR | _NOFOLLOW, dir_fd=fd)
            except OSError as e:
                import errno

                if e.errno in (errno.ELOOP, errno.ENOTDIR):
                    kind = "is a symlink" if os.path.islink(walked) else "is not a directory"
                    raise Unsafe(f"{walked} {kind}") from None
                raise
            os.close(fd)
            fd = nxt
            _check(os.fstat(fd), walked, own=i >= own_from)
        return fd
    except BaseException:
        os.close(fd)
        raise


def cache_dir() -> str:
    """The platform's user cache directory. Written out rather than taken from
    platformdirs, whose import alone costs about 5% of the start-up floor; the rules are
    the ones it applies (XDG on Linux and BSD, ~/Library/Caches on macOS, LOCALAPPDATA on
    Windows)."""
    explicit = os.environ.get("ALLIANCES_CACHE_DIR")
    if explicit:
        return os.path.abspath(explicit)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser(r"~\AppData\Local")
        return os.path.join(base, "alliances", "Cache")
    if sys.platform == "darwin":
        return os.path.expanduser("~/Library/Caches/alliances")
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = xdg if os.path.isabs(xdg) else os.path.expanduser("~/.cache")
    return os.path.join(base, "alliances")


RACY_NS = 3_000_000_000  # a file modified this recently may change again within its mtime tick

_CODE: list = []


def code_key() -> int:
    """This package's own source files as the code that builds the cache: the CRC of their
    names and stat (size, mtime, ctime, inode), one scandir per package folder (about 40
    stat calls; bench/run.py measures it). Any upgrade, reinstall, edit of an editable
    install or second copy of the package gives another key."""
    if not _CODE:
        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        parts = [here, sys.version, FORMAT]
        todo = [here]
        while todo:
            d = todo.pop()
            try:
                entries = sorted(os.scandir(d), key=lambda e: e.name)
            except OSError:
                continue
            for e in entries:
                if e.name.endswith(".py"):
                    try:
                        st = e.stat()
                    except OSError:
                        continue
                    parts.append((e.path, st.st_size, st.st_mtime_ns, st.st_ctime_ns,
                                  st.st_ino))
                elif e.name not in ("__pycache__", "data") and e.is_dir(follow_symlinks=False):
                    todo.append(e.path)
        _CODE.append(zlib.crc32(repr(parts).encode("utf-8", "surrogatepass")))
    return _CODE[0]


def signature(data_dir: str) -> list:
    sig: list = [code_key(), data_dir]
    for rel in (BLOCS_FILE, SOURCES_FILE):
        st = os.stat(os.path.join(data_dir, rel))
        if not stat.S_ISREG(st.st_mode):  # a FIFO would block the checksum: let load() refuse it
            raise OSError(f"{rel} is not a regular file")
        # ctime too: content changes update it, and unlike mtime it cannot be set back.
        sig.append([rel, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns])
    return sig


def racy_sums(data_dir: str, sig: list) -> list | None:
    """Checksums of files modified too recently for their mtime to be trusted, as git does
    for "racily clean" entries: an edit within the same clock tick and of the same size
    would otherwise look unchanged. None when every mtime is old enough. Taken before the
    build reads the files, so a change during the build is caught on the next call."""
    import time

    now = time.time_ns()
    racy = [rel for rel, _, mtime, _, ctime in sig[2:] if now - max(mtime, ctime) < RACY_NS]
    return checksums(data_dir, racy) if racy else None


def checksums(data_dir: str, rels) -> list:
    out = []
    for rel in rels:
        with open(os.path.join(data_dir, rel), "rb") as fh:
            out.append([rel, zlib.crc32(fh.read())])
    return out


def folder(data_dir: str) -> str:
    # A short name from the path (hashlib's OpenSSL start-up is slower than crc32). Two
    # paths that collide only evict each other: the stored signature names the directory.
    raw = data_dir.encode("utf-8", "surrogatepass")
    return os.path.join(cache_dir(), f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}")


class Changed(DataError):
    """The data changed during a run that had already answered from an older snapshot."""

    def __init__(self, data_dir: str):
        super().__init__(data_dir, 0, "the data files changed during this run, which had "
                                      "answered from the earlier ones; run it again")


# -- the format: JSON lists, records rebuilt field by field -----------------------------
def _loads(raw: bytes):
    """json.loads by the C scanner alone (json's Python modules cost 1 ms of start-up)."""
    try:
        scan = _SCAN[0]
    except IndexError:
        try:
            from _json import make_scanner

            class _Ctx:
                strict = True
                object_hook = object_pairs_hook = None
                parse_float, parse_int = float, int
                memo: dict = {}

                @staticmethod
                def parse_constant(name):
                    raise ValueError(name)

            scan = make_scanner(_Ctx())  # type: ignore[arg-type]  # (typeshed wants its own class)
        except ImportError:  # an interpreter without the accelerator
            import json

            def scan(text, i):
                return json.JSONDecoder().raw_decode(text, i)
        _SCAN.append(scan)
    text = raw.decode("utf-8")
    value, end = scan(text, 0)
    if text[end:].strip():
        raise ValueError("trailing data")
    return value


_SCAN: list = []


def _dumps(value) -> bytes:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                      check_circular=False).encode("utf-8", "surrogatepass")


def _first(pair):
    return pair[0]


class _Decoder:
    """Rebuilds the records; DateRanges are shared (many facts have the same dates)."""

    def __init__(self):
        from datetime import date

        from .dates import DateRange

        self._ord, self._dr, self._ranges = date.fromordinal, DateRange, {}
        self._cites: dict = {}

    def date(self, v):
        if v is None:
            return None
        key = (v[0], v[1], v[2], v[3], v[4])
        r = self._ranges.get(key)
        if r is None:
            r = self._ranges[key] = self._dr(self._ord(v[0]), self._ord(v[1]), v[2], v[3],
                                             v[4])
        return r

    @staticmethod
    def citation(v):
        return None if v is None else Citation(*v)

    def roster(self, v):
        return Roster(v[0], self.citation(v[1]), self.date(v[2]), frozenset(v[3]), v[4])

    def shard(self, v):
        """A shard's records, each field checked as it is rebuilt: what valid_shard accepts
        and nothing else (ValueError or TypeError). A date range or citation is checked once
        and then shared by every statement that has one equal to it (a list of ten states
        has one citation), of which only the integers' type is checked again (True and 1.0
        equal 1)."""
        if not (type(v) is list and len(v) == 2 and type(v[0]) is list and type(v[1]) is list):
            raise ValueError("not a cache shard")
        st = self._statement_checked
        out = []
        for p in v[0]:
            if type(p) is not list or len(p) != 2 or type(p[0]) is not int:
                raise ValueError("not a cache shard")
            out.append((p[0], st(p[1])))
        for r in v[1]:
            if not _roster_ok(r):
                raise ValueError("not a cache shard")
        return out, [self.roster(r) for r in v[1]]

    def _date_checked(self, v):
        key = tuple(v)  # (a list: the caller checked; unhashable: TypeError)
        r = self._ranges.get(key)
        if r is None:
            if not _date_ok(v):
                raise ValueError("not a date range")
            r = self._ranges[key] = self._dr(self._ord(v[0]), self._ord(v[1]), v[2], v[3],
                                             v[4])
        elif type(v[0]) is not int or type(v[1]) is not int:
            raise ValueError("not a date range")
        return r

    def _statement_checked(self, v, _new=tuple.__new__):
        if type(v) is not list or len(v) != 11:
            raise ValueError("not a statement")
        rel, subj, obj, status, since, until, stated, cit, g, forecast, roster = v
        if not (str is type(rel) is type(subj) is type(obj) is type(status)
                and type(stated) is list and type(cit) is list
                and bool is type(forecast) is type(roster)):
            raise ValueError("not a statement")
        d = self._date_checked
        if since is not None:
            if type(since) is not list:
                raise ValueError("not a date range")
            since = d(since)
        if until is not None:
            if type(until) is not list:
                raise ValueError("not a date range")
            until = d(until)
        key = tuple(cit)
        c = self._cites.get(key)
        if c is None:
            if not _citation_ok(cit):
                raise ValueError("not a citation")
            c = self._cites[key] = _new(Citation, key)
        elif type(cit[4]) is not int:
            raise ValueError("not a citation")
        if g is not None:
            if not (type(g) is list and len(g) == 3 and _opt(g[0], str) and _strs(g[1])
                    and type(g[2]) is bool):
                raise ValueError("not a group")
            g = _new(Group, (g[0], tuple(g[1]), g[2]))
        return _new(Statement, (rel, subj, obj, status, since, until, d(stated), c, g,
                                forecast, roster, None))

    def head(self, v):
        data_dir, sources, entities, blocs, count, names, problems, texts = v
        d, c = self.date, self.citation
        return (data_dir,
                {s[0]: Source(s[0], s[1], s[2], s[3], d(s[4]), *s[5:]) for s in sources},
                {e[0]: Entity(e[0], e[1], tuple(e[2]), *e[3:]) for e in entities},
                {b[0]: Bloc(b[0], b[1], tuple(b[2]), b[3], d(b[4]), c(b[5]), b[6],
                            tuple(Citation(*x) for x in b[7]), b[8]) for b in blocs},
                count, {k: tuple(x) for k, x in names.items()},
                tuple(tuple(p) for p in problems), tuple(tuple(t) for t in texts))


# -- what a cache entry must look like: anything else is a miss (rebuilt) ----------------
_MAX_ORDINAL = 3652059  # date.max.toordinal()


def _strs(v, n: int | None = None, none: bool = False) -> bool:
    return (v is None and none) or (type(v) is list and (n is None or len(v) == n)
                                     and all(map(str.__instancecheck__, v)))


def _opt(v, kind) -> bool:
    return v is None or type(v) is kind


def _date_ok(v) -> bool:
    return v is None or (type(v) is list and len(v) == 5 and type(v[0]) is int
                         and type(v[1]) is int and 1 <= v[0] <= v[1] <= _MAX_ORDINAL
                         and type(v[2]) is str and _opt(v[3], str) and _opt(v[4], str))


def _citation_ok(v) -> bool:
    return v is None or (type(v) is list and len(v) == 5 and type(v[0]) is str
                         and type(v[1]) is str and _opt(v[2], str) and type(v[3]) is str
                         and type(v[4]) is int)


def _statement_ok(v) -> bool:
    if not (type(v) is list and len(v) == 11 and all(type(x) is str for x in v[:4])
            and _date_ok(v[4]) and _date_ok(v[5]) and v[6] is not None and _date_ok(v[6])
            and v[7] is not None and _citation_ok(v[7]) and type(v[9]) is bool
            and type(v[10]) is bool):
        return False
    g = v[8]
    return g is None or (type(g) is list and len(g) == 3 and _opt(g[0], str)
                         and _strs(g[1]) and type(g[2]) is bool)


def _roster_ok(v) -> bool:
    return (type(v) is list and len(v) == 5 and type(v[0]) is str and v[1] is not None
            and _citation_ok(v[1]) and v[2] is not None and _date_ok(v[2]) and _strs(v[3])
            and type(v[4]) is bool)


def _pair_ok(p) -> bool:
    return type(p) is list and len(p) == 2 and type(p[0]) is int and _statement_ok(p[1])


def valid_shard(v) -> bool:
    """A shard as _enc_shard writes it, every field of its type: a file that parses but is
    anything else (a field's type changed, a list made an object) is not a cache entry."""
    return (type(v) is list and len(v) == 2 and type(v[0]) is list and type(v[1]) is list
            and all(map(_pair_ok, v[0])) and all(map(_roster_ok, v[1])))


def _scalars(v) -> bool:
    return type(v) is list and all(type(row) is list and all(
        y is None or type(y) in (str, int, bool) for y in row) for row in v)


def _source_ok(s) -> bool:
    return (type(s) is list and 7 <= len(s) <= 12 and type(s[0]) is str and type(s[1]) is str
            and _opt(s[2], str) and _opt(s[3], str) and s[4] is not None and _date_ok(s[4])
            and all(x is None or type(x) in (str, int) for x in s[5:]))


def _entity_ok(e) -> bool:
    return (type(e) is list and 4 <= len(e) <= 10 and type(e[0]) is str and type(e[1]) is str
            and _strs(e[2]) and type(e[3]) is str
            and all(x is None or type(x) in (str, int) for x in e[4:]))


def _bloc_ok(b) -> bool:
    return (type(b) is list and len(b) == 9 and type(b[0]) is str and type(b[1]) is str
            and _strs(b[2]) and type(b[3]) is str and _date_ok(b[4]) and _citation_ok(b[5])
            and type(b[6]) is bool and type(b[7]) is list
            and all(c is not None and _citation_ok(c) for c in b[7]) and _opt(b[8], str))


def valid_body(v) -> bool:
    """The index's body as _store writes it: [generation, head, shard of each id, the ids
    each subject has statements under], every field of its type."""
    if not (type(v) is list and len(v) == 4 and type(v[0]) is str and type(v[2]) is dict
            and type(v[3]) is dict):
        return False
    head, shard_of, subjects = v[1], v[2], v[3]
    if not (type(head) is list and len(head) == 8 and type(head[0]) is str
            and type(head[1]) is list and all(map(_source_ok, head[1]))
            and type(head[2]) is list and all(map(_entity_ok, head[2]))
            and type(head[3]) is list and all(map(_bloc_ok, head[3]))
            and type(head[4]) is int and type(head[5]) is dict
            and all(_strs(x, 2) for x in head[5].values())
            and _scalars(head[6]) and _scalars(head[7])
            and all(len(t) == 6 for t in head[7])):
        return False
    return (all(_opt(n, int) for n in shard_of.values())
            and all(_strs(x) for x in subjects.values()))


def _d(r):
    return None if r is None else [r.earliest.toordinal(), r.latest.toordinal(), r.label,
                                   r.start, r.end]


def _c(c):
    return None if c is None else list(c)


class _Memo(dict):
    """A dict that computes a missing value with `fn` once (lookups stay in C)."""

    __slots__ = ("fn",)
    fn: Callable[[Any], str]

    def __missing__(self, key):
        value = self[key] = self.fn(key)
        return value


class _Encoder:
    """The records as JSON lists; a date range or citation that many statements share
    (a fact's statements share its citation, most facts the article's date) is turned into
    a list once and that list reused (the JSON is the same: each use is written out)."""

    def __init__(self):
        self._dates: dict[int, Any] = {}
        self._cites: dict[int, Any] = {}
        self._texts, self._range_json, self._cite_json = _Memo(), _Memo(), _Memo()

    def d(self, r):
        if r is None:
            return None
        got = self._dates.get(id(r))
        if got is None:  # the records live as long as this encoder: ids stay theirs
            got = self._dates[id(r)] = _d(r)
        return got

    def c(self, c):
        if c is None:
            return None
        got = self._cites.get(id(c))
        if got is None:
            got = self._cites[id(c)] = list(c)
        return got

    def statement(self, s):
        g = s.group
        d = self.d
        return [s.relation, s.subject, s.object, s.status, d(s.since), d(s.until),
                d(s.stated), self.c(s.citation),
                None if g is None else [g.bloc, list(g.exclude), g.everyone],
                s.forecast, s.roster]

    def shard(self, content):
        statements, rosters = content
        enc = self.statement
        return [[[seq, enc(s)] for seq, s in statements],
                [[r.bloc, self.c(r.citation), self.d(r.stated), sorted(r.states), r.complete]
                 for r in rosters]]

    def shard_json(self, content) -> bytes:
        """_dumps(self.shard(content)), byte for byte, written as text directly: each
        string, date range and citation is encoded once and its JSON reused, where the
        JSON encoder wrote every occurrence again (1.0 of the 2.8 s that storing the
        fact base took at 1,000x)."""
        from json.encoder import encode_basestring

        def plain(v):
            return _dumps(v).decode("utf-8", "surrogatepass")

        texts, ranges, cites = self._texts, self._range_json, self._cite_json

        def text(v):
            return encode_basestring(v) if type(v) is str else plain(v)

        def range_json(r):
            a, b = r.earliest.toordinal(), r.latest.toordinal()
            return f"[{a},{b},{texts[r.label]},{texts[r.start]},{texts[r.end]}]"

        def cite_json(c):
            if type(c.line) is not int:  # not as the loader makes them: the encoder's way
                return plain(self.c(c))
            quote = encode_basestring(c.quote) if type(c.quote) is str else plain(c.quote)
            return (f"[{texts[c.source]},{quote},{texts[c.note]},{texts[c.file]},"
                    f"{c.line}]")  # (a quote is kept once, in its citation's JSON)

        if not texts:  # keyed by value: equal values have equal JSON
            texts.fn, ranges.fn, cites.fn = text, range_json, cite_json
            texts[None] = ranges[None] = cites[None] = "null"

        def flag(v):
            return "true" if v is True else "false" if v is False else plain(v)

        statements, rosters = content
        out = []
        t, d, c = texts, ranges, cites
        for seq, s in statements:
            g, f, r = s.group, s.forecast, s.roster
            out.append(f"[{seq},[{t[s.relation]},{t[s.subject]},{t[s.object]},"
                       f"{t[s.status]},{d[s.since]},{d[s.until]},{d[s.stated]},"
                       f"{c[s.citation]},"
                       f"{'null' if g is None else plain([g.bloc, list(g.exclude), g.everyone])},"
                       f"{'false' if f is False else flag(f)},"
                       f"{'false' if r is False else 'true' if r is True else flag(r)}]]")
        listed = ",".join(out)
        rows = ",".join(_dumps([r.bloc, self.c(r.citation), self.d(r.stated), sorted(r.states),
                                r.complete]).decode("utf-8", "surrogatepass") for r in rosters)
        return f"[[{listed}],[{rows}]]".encode("utf-8", "surrogatepass")


def _enc_head(fb):
    return [fb.data_dir,
            [[s.id, s.title, s.publisher, s.author, _d(s.published), *s[5:]]
             for s in fb.sources.values()],
            [list(e) for e in fb.entities.values()],
            [[b.id, b.name, list(b.aliases), b.kind, _d(b.formed), _c(b.formed_citation),
              b.proposed, [list(x) for x in b.citations], b.cow] for b in fb.blocs.values()],
            fb.fact_count, fb.names, [list(p) for p in fb.problems],
            [list(t) for t in fb.texts]]


# -- files, all through the folder's handle ---------------------------------------------
def _read_at(dfd: int, name: str) -> bytes:
    fd = os.open(name, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0), dir_fd=dfd)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(f"{name} is not a regular file")
        chunks: list[bytes] = []
        while True:
            b = os.read(fd, max(st.st_size, 65536))
            if not b:
                return b"".join(chunks)
            chunks.append(b)
    finally:
        os.close(fd)


def _write_at(dfd: int, name: str, data: bytes) -> None:
    """A file written under a private temporary name, then renamed into place."""
    import secrets

    tmp = f".{name}.{os.getpid()}{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW |
                 getattr(os, "O_CLOEXEC", 0), 0o600, dir_fd=dfd)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
    except BaseException:
        try:
            os.unlink(tmp, dir_fd=dfd)
        except OSError:
            pass
        raise


def _hold(dfd: int, gen: str, create: bool = False) -> int | None:
    """A shared lock on a generation, held until the process exits (or None when the
    generation is being removed)."""
    import fcntl

    flags = os.O_RDWR | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0) | (os.O_CREAT if create else 0)
    try:
        fd = os.open(f"{gen}.lock", flags, 0o600, dir_fd=dfd)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        if os.fstat(fd).st_nlink == 0:  # removed between our open and our lock
            raise OSError("gone")
    except OSError:
        os.close(fd)
        return None
    return fd


class CachedFactBase(FactBase):
    """A FactBase whose statements stay on disk until a question asks for them."""

    __slots__ = ("_dfd", "_gen", "_shard_of", "_subjects", "_loaded", "_all", "_sig", "_build",
                 "_subject_in", "_lock", "_dec", "_sums")
    _dfd: int
    _gen: str
    _shard_of: dict[str, int | None]
    _subjects: Any
    _loaded: dict[str, tuple[list, list]]
    _all: Any
    _sig: list
    _build: Callable[[], FactBase]
    _subject_in: dict
    _lock: int | None
    _dec: _Decoder
    _sums: dict[str, list] | None

    def __del__(self):
        # The folder's handle and the generation's lock are held while this fact base can
        # answer, and released when nothing refers to it: a long-lived process (a notebook
        # calling alliances.open() again and again) kept two descriptors per call. (A run of
        # the command line ends at once after its answer: this never runs there.)
        for fd in (getattr(self, "_dfd", None), getattr(self, "_lock", None)):
            if fd is not None:
                try:
                    os.close(fd)
                except Exception:  # already closed, or the interpreter is going
                    pass

    def _shard(self, obj: str):
        if obj not in self._loaded:
            n = self._shard_of.get(obj)
            try:
                if n is None:
                    self._loaded[obj] = ([], [])
                else:
                    raw = _read_at(self._dfd, f"{self._gen}-{n}.json")
                    self._loaded[obj] = self._dec.shard(_loads(raw))
                    if self._sums is not None:
                        # what the shard holds, for spells kept by content (answers/kept.py)
                        self._sums[obj] = [len(raw), zlib.crc32(raw), zlib.adler32(raw)]
            except Exception:  # deleted by hand, or damaged: rebuild the same snapshot
                self._recover()
                return self._shard(obj)
        return self._loaded[obj]

    # -- for answers/kept.py: spells kept in this folder, by the content of a shard --------
    def shard_sum(self, obj: str) -> list | None:
        """The length and checksums of the shard an object's statements were read from
        (None when they were not read from one: rebuilt in this run, or none stored)."""
        self._shard(obj)
        return None if self._sums is None else self._sums.get(obj)

    def shard_items(self, obj: str) -> tuple[list, list]:
        """An object's statements and lists, in the shard's order."""
        st, ro = self._shard(obj)
        return [s for _, s in st], ro

    def read_kept(self, name: str) -> bytes | None:
        try:
            return _read_at(self._dfd, name)
        except OSError:
            return None

    def write_kept(self, name: str, data: bytes) -> bool:
        try:
            _write_at(self._dfd, name, data)
            return True
        except (OSError, ValueError):
            return False

    def _recover(self) -> None:
        """Rebuild this generation's statements from the data files, if they are still
        the files it was built from (else say so: never answer from two snapshots), and
        store the cache again, so that the next process is served from it."""
        def same():
            try:
                return signature(self.data_dir) == self._sig and _texts_unchanged(
                    self.data_dir, self.texts)
            except OSError:
                return False

        if not same():
            raise Changed(self.data_dir)
        fb = self._build()
        if not same():
            raise Changed(self.data_dir)
        shards, _ = partition(fb)
        self._loaded = {**{obj: ([], []) for obj in self._shard_of}, **shards}
        self._shard_of = dict.fromkeys(self._loaded, None)
        self._sums = None  # no longer what a shard holds: keep no spells by it
        self._subject_in = {}
        try:
            _store(self._dfd, self._sig,
                   _with_texts(racy_sums(self.data_dir, self._sig), fb.texts), fb)
            _debug("repaired")
        except OSError:
            pass

    # Statements come back in the record's order (their `seq`), as from a fact base built in
    # this run (model.FactBase): the order of first mention decides the order of a note's
    # names, which must not depend on whether the cache served the question.
    def for_objects(self, objects):
        objects = list(dict.fromkeys(objects))
        if len(objects) == 1:  # (a shard is in the record's order)
            return [s for _, s in self._shard(objects[0])[0]]
        pairs = [p for obj in objects for p in self._shard(obj)[0]]
        pairs.sort(key=_first)
        return [s for _, s in pairs]

    def for_subject(self, subject):
        pairs = []
        for obj in self._subjects.get(subject, ()):
            pairs.extend(self._by_subject_in(obj).get(subject, ()))
        pairs.sort(key=_first)
        return [s for _, s in pairs]

    def _by_subject_in(self, obj):
        """One shard's (seq, statement) pairs by subject, built once per shard a process
        reads."""
        index = self._subject_in
        if obj not in index:
            by: dict = {}
            for p in self._shard(obj)[0]:
                if p[1].group is None:
                    by.setdefault(p[1].subject, []).append(p)
            index[obj] = by
        return index[obj]

    def rosters_for(self, blocs):
        return [r for b in dict.fromkeys(blocs) for r in self._shard(b)[1]]

    def _everything(self):
        if self._all is None:
            pairs, rosters = [], []
            for obj in list(self._shard_of):
                st, ro = self._shard(obj)
                pairs.extend(st)
                rosters.extend(ro)
            pairs.sort(key=lambda p: p[0])
            self._all = ([s for _, s in pairs], rosters)
        return self._all

    @property
    def statements(self):
        return self._everything()[0]

    @property
    def rosters(self):
        return self._everything()[1]


def cached(data_dir: str, build) -> FactBase:
    """The fact base for data_dir: from the cache when current, else built and stored."""
    if os.environ.get("ALLIANCES_NO_CACHE"):
        return build()
    try:
        sig = signature(data_dir)
    except OSError:
        return build()  # let the loader report the missing file properly
    where = folder(data_dir)
    try:
        dfd = open_private(where, create=True)
    except Unsafe as e:
        _note(where, f"is unsafe ({e})")
        return build()
    except OSError:
        return build()
    hit = _open(dfd, sig, build)
    if hit is not None:
        _debug("hit")
        return hit
    _debug("miss")
    try:
        sums = racy_sums(data_dir, sig)
    except OSError:
        os.close(dfd)
        return build()
    # blocs.yaml edited, all else as the last generation was built from: only the items
    # the edit touched are built again, only the shards they are in written again
    with paused_collector():
        gen = update_items(dfd, sig, sums, data_dir)
    if gen is not None:
        hit = _open(dfd, sig, build)
        if hit is not None:
            _debug("updated")
            return hit
    try:
        with paused_collector():
            fb = build()
            try:
                _store(dfd, sig, _with_texts(sums, fb.texts), fb)
            except (OSError, ValueError):
                pass  # read-only or full cache directory: work without it
    finally:
        os.close(dfd)
    return fb


class paused_collector:
    """The cyclic garbage collector off within the block, and back on after it only if it
    was on before (the command line keeps it off for the whole run: cli/core.console).
    Building, checking and storing a fact base allocate many objects that all live (the
    records, then their JSON): no garbage for the collector, whose passes over them cost
    2-3 s at 1,000x."""

    def __enter__(self) -> None:
        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc) -> None:
        if self.was:
            gc.enable()


def _with_texts(sums: list | None, texts: tuple) -> list | None:
    """The racy checksums of the data files and of the article texts verification read
    (their CRC taken from the very bytes whose quotes it verified)."""
    import time

    now = time.time_ns()
    racy = [[rel, crc] for rel, _, mtime, _, ctime, crc in texts
            if now - max(mtime, ctime) < RACY_NS]
    return (sums or []) + racy or None


def _stat_key(path: str):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def _texts_unchanged(data_dir: str, texts: tuple) -> bool:
    """The article texts are those verification read (same size, times and inode), and
    those it could not read are still as they were (missing, or the same stat)."""
    for rel, size, mtime, ino, ctime, _ in texts:
        now = _stat_key(os.path.join(data_dir, rel))
        if size == -1:  # missing when verified
            if now is not None:
                return False
        elif now != (size, mtime, ino, ctime):
            return False
    return True


def _open(dfd: int, sig: list, build) -> CachedFactBase | None:
    for _ in range(3):  # the index named a generation being removed: read it again
        try:
            raw = _read_at(dfd, INDEX)
            first, _, rest = raw.partition(b"\n")
            # the signature comes first: a stale body is not read (and a hit never imports
            # json's Python modules, only the C scanner)
            if _loads(first) != sig:
                return None
            line, _, rest = rest.partition(b"\n")
            sums = _loads(line)
            if sums is not None and sums != checksums(sig[1], [rel for rel, _ in sums]):
                return None
            body = _loads(rest)
            if not valid_body(body):
                return None  # parses, but is not what _store writes: a miss
            gen, head, shard_of, subjects = body
            if not (isinstance(gen, str) and gen.isalnum()):
                return None
            dec = _Decoder()
            head = dec.head(head)
        except Exception:  # missing, unreadable, or malformed: rebuild
            return None
        texts = head[-1]
        if not _texts_unchanged(sig[1], texts):
            return None  # an article changed: its quotes must be verified again
        lock = _hold(dfd, gen)
        if lock is None:
            continue
        if sums is not None:
            try:
                if racy_sums(sig[1], sig) is None and _with_texts(None, texts) is None:
                    # the files are old enough now for their stat to be trusted: store the
                    # index once more without checksums, so later hits read no data file
                    _write_at(dfd, INDEX, b"\n".join((first, b"null", _dumps(body))))
            except OSError:
                pass
        fb = CachedFactBase.__new__(CachedFactBase)
        (fb.data_dir, fb.sources, fb.entities, fb.blocs, fb.fact_count, fb.names, fb.problems,
         fb.texts) = head
        fb._dfd, fb._gen, fb._shard_of, fb._subjects = dfd, gen, shard_of, subjects
        fb._loaded, fb._all, fb._sig, fb._build = {}, None, sig, build
        fb._subject_in, fb._lock, fb._dec, fb._sums = {}, lock, dec, {}
        return fb
    return None


def partition(fb: FactBase) -> tuple[dict, dict]:
    """Statements (numbered, to restore file order) and rosters per bloc or entity, and
    which of those each state is the subject of."""
    from .items import seq_numbers

    shards: dict[str, tuple[list, list]] = {}
    subjects: dict[str, set] = {}
    for seq, s in zip(seq_numbers(fb), fb.statements, strict=True):
        shards.setdefault(s.object, ([], []))[0].append((seq, s))
        if s.group is None:
            subjects.setdefault(s.subject, set()).add(s.object)
    for r in fb.rosters:
        shards.setdefault(r.bloc, ([], []))[1].append(r)
    return shards, subjects


def _store(dfd: int, sig: list, sums: list | None, fb: FactBase) -> None:
    import time

    shards, subjects = partition(fb)
    gen = f"{time.time_ns():x}{os.getpid():x}"
    lock = _hold(dfd, gen, create=True)  # so no collector removes it while it is written
    try:
        shard_of = {}
        enc = _Encoder()
        for n, (obj, content) in enumerate(shards.items()):
            _write_at(dfd, f"{gen}-{n}.json", enc.shard_json(content))
            shard_of[obj] = n
        layout = getattr(fb, "layout", None)
        if layout is not None:  # what each item of blocs.yaml made (facts/items.py)
            from .items import LAYOUT

            _write_at(dfd, f"{gen}-{LAYOUT}.json", _dumps(layout.to_json(code_key())))
        body = [gen, _enc_head(fb), shard_of, {k: sorted(v) for k, v in subjects.items()}]
        _write_at(dfd, INDEX, b"\n".join((_dumps(sig), _dumps(sums), _dumps(body))))
        _collect(dfd, keep=gen)
    finally:
        if lock is not None:
            os.close(lock)


# -- the quote memo: verification done once per (article bytes, quote) ------------------
MEMO = "quotes.json"
MEMO_FORMAT = 1
_SHA256_HEX = frozenset("0123456789abcdef")


class QuoteMemo(dict):
    """Which quotes, as written, this code has found in which article, by the sha256 of
    the article's bytes: {sha256: {quote, ...}}. Kept in the data directory's cache
    folder as quotes.json, next to the fact base's files and under the same rules
    (checked directory handles, written privately and renamed into place), with the code
    key: a memo written by another version of the package (or another interpreter) is not
    read, since what "found" means (facts/verify.py's normalise) may have changed. A memo
    that is missing, unreadable or of any other shape is empty: every quote is searched.

    Keyed by content, never by path or time, it stays right across edits: an edited
    article has another sha256 (all its quotes are searched again), an edited or new quote
    is not in it, and a quote removed from the data is dropped when the memo is saved."""

    __slots__ = ("_where", "_before")
    _where: str | None
    _before: dict[str, set[str]]

    @classmethod
    def open(cls, data_dir: str) -> QuoteMemo:
        memo = cls()
        memo._where, memo._before = None, {}
        if os.environ.get("ALLIANCES_NO_CACHE"):
            return memo
        where = folder(data_dir)
        try:
            dfd = open_private(where, create=False)
        except Unsafe as e:
            _note(where, f"is unsafe ({e})")
            return memo
        except OSError:
            memo._where = where  # no folder yet: save() creates it
            return memo
        memo._where = where
        try:
            value = _loads(_read_at(dfd, MEMO))
        except Exception:  # missing, unreadable or not JSON: an empty memo
            value = None
        finally:
            os.close(dfd)
        if (isinstance(value, list) and len(value) == 3 and value[0] == MEMO_FORMAT
                and value[1] == code_key() and isinstance(value[2], dict)):
            for digest, quotes in value[2].items():
                if not (len(digest) == 64 and _SHA256_HEX.issuperset(digest)
                        and isinstance(quotes, list)
                        and all(type(q) is str for q in quotes)):
                    memo.clear()  # one entry of the wrong shape: trust none of it
                    break
                memo[digest] = set(quotes)
        memo._before = dict(memo)  # the sets themselves: verify() puts new ones in
        _debug(f"quote memo: {sum(map(len, memo.values()))} quotes known")
        return memo

    def save(self) -> None:
        """Store the memo when verification found quotes it did not hold, or dropped
        many (quietly not when the cache folder cannot be used: it only saves time)."""
        before = self._before
        anew = sum(len(q - before.get(d, set())) for d, q in self.items())
        _debug(f"quote memo: {anew} quotes verified anew")
        if self._where is None:
            return
        if not anew and 2 * sum(map(len, self.values())) >= sum(map(len, before.values())):
            return
        try:
            dfd = open_private(self._where, create=True)
        except Unsafe as e:
            _note(self._where, f"is unsafe ({e})")
            return
        except OSError:
            return
        try:
            _write_at(dfd, MEMO, _dumps([MEMO_FORMAT, code_key(),
                                         {d: sorted(q) for d, q in self.items()}]))
            self._before = dict(self)
            _debug("quote memo: saved")
        except (OSError, ValueError):
            pass
        finally:
            os.close(dfd)


def _collect(dfd: int, keep: str) -> None:
    """Remove old generations: never the one just written, never the one the index names
    now (another process may have installed it), never a recent one (its writer may not
    have installed its index yet), never one a reader holds (its lock is taken here
    exclusively, or the generation stays)."""
    import fcntl
    import time

    current = None
    try:
        raw = _read_at(dfd, INDEX)
        current = _loads(raw.split(b"\n", 2)[2])[0]
    except Exception:
        pass
    now = time.time_ns()
    gens: dict[str, list] = {}
    for name in os.listdir(dfd):
        if (name.endswith((".json", ".lock", ".pickle")) and name not in (INDEX, MEMO)
                and name[0] != "."):
            gens.setdefault(name.split("-", 1)[0].split(".", 1)[0], []).append(name)
        elif name.endswith(".tmp") and name[0] == ".":
            try:  # a writer killed mid-write left it: remove it once it is old
                if now - os.stat(name, dir_fd=dfd, follow_symlinks=False).st_mtime_ns > GRACE_NS:
                    os.unlink(name, dir_fd=dfd)
            except OSError:
                pass
    for gen, names in gens.items():
        if gen in (keep, current):
            continue
        try:
            if now - os.stat(names[0], dir_fd=dfd, follow_symlinks=False).st_mtime_ns <= GRACE_NS:
                continue
        except OSError:
            continue
        lock = None
        if f"{gen}.lock" in names:
            try:
                lock = os.open(f"{gen}.lock", os.O_RDWR | _NOFOLLOW, dir_fd=dfd)
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # a reader holds it
                if lock is not None:
                    os.close(lock)
                continue
        try:
            for name in sorted(names, key=lambda n: n.endswith(".lock")):  # the lock last
                try:
                    os.unlink(name, dir_fd=dfd)
                except OSError:
                    pass
        finally:
            if lock is not None:
                os.close(lock)


# -- the update item by item (facts/items.py: the fact as the cache's unit) ----------------
def update_items(dfd: int, sig: list, sums: list | None, data_dir: str) -> str | None:
    """Bring the cache up to date with blocs.yaml item by item, from the generation the
    index names (see the module's docstring). The new generation's name, its index
    written; None when this cannot be done (nothing written then but unused shards)."""
    try:
        raw = _read_at(dfd, INDEX)
        first, line, rest = raw.split(b"\n", 2)
        old_sig, old_sums, body = _loads(first), _loads(line), _loads(rest)
    except Exception:
        return None
    if not (type(old_sig) is list and len(old_sig) == len(sig) and old_sig[:2] == sig[:2]
            and old_sig[3:] == sig[3:] and valid_body(body)):
        return None
    try:
        if old_sums is not None:  # a file racy when built: the same bytes still?
            others = [s for s in old_sums if s[0] != BLOCS_FILE]
            if others and others != checksums(data_dir, [s[0] for s in others]):
                return None
    except (OSError, TypeError, ValueError, IndexError):
        return None
    gen, head, shard_of, subjects = body
    if not (isinstance(gen, str) and gen.isalnum()):
        return None
    try:
        if not _texts_unchanged(data_dir, tuple(tuple(t) for t in head[7])):
            return None
    except (TypeError, ValueError):
        return None
    lock = _hold(dfd, gen)
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
    from bisect import bisect_right

    from .items import BREAKS, LAYOUT, LINE_BITS, MAX_EDITED, Built, Layout, cut, digests
    from .load import DataError, Map, Seq, parse_yaml, read_bytes
    from .paths import inside
    from .validate import Builder, build_item
    from .verify import verify_facts

    code = code_key()
    try:
        old = Layout.from_json(_loads(_read_at(dfd, f"{gen}-{LAYOUT}.json")), code)
        raw = read_bytes(inside(data_dir, BLOCS_FILE, BLOCS_FILE), BLOCS_FILE)
    except Exception:
        raise _Fallback from None
    if old is None:
        raise _Fallback
    # (not decoded whole: the head and the items that are the same were valid UTF-8 without
    # other line breaks when the layout was made; the added items are checked below)
    c = cut(raw, None)
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
    dec = _Decoder()
    _, sources, entities, blocs = dec.head(head)[:4]
    part = Built(data_dir, sources, entities, blocs, [], [])
    b = Builder(data_dir, strict=True)
    new_objs, new_rblocs, new_counts, spans = [], [], [], []
    try:
        for i in added:
            try:  # (not UTF-8: the build from scratch says where)
                item = texts[i].decode("utf-8")
            except UnicodeDecodeError:
                raise _Fallback from None
            if any(b in item for b in BREAKS):
                raise _Fallback
            text = "\n" * (lines[i] - 1) + "  - " + item
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
    gone = {old.ranks[i] << LINE_BITS | old.lines[i] for i in removed}
    shift = {old.ranks[i] << LINE_BITS | old.lines[i] for i in moved}
    old_lines = old.lines
    enc = _Encoder()
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
                v = _loads(_read_at(dfd, f"{gen}-{n}.json"))
            except Exception:
                raise _Fallback from None
            if not valid_shard(v):
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
    lock2 = _hold(dfd, gen2, create=True)
    try:
        new_shard_of: dict[str, int] = {}
        for n, obj in enumerate(order):
            name = f"{gen2}-{n}.json"
            if obj in touched:
                _write_at(dfd, name, _dumps(contents[obj]))
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
        _write_at(dfd, f"{gen2}-{LAYOUT}.json", _dumps(new.to_json(code)))
        body = [gen2, head2, new_shard_of, {k: sorted(v) for k, v in subs.items()}]
        texts = tuple(tuple(t) for t in head[7])
        _write_at(dfd, INDEX, b"\n".join((
            _dumps(sig), _dumps(_with_texts(sums, texts)),
            _dumps(body))))
        _debug(f"items: {len(removed)} removed, {len(added)} parsed, {len(moved)} "
                     f"moved; {len(touched)} of {len(order)} shards written")
        _collect(dfd, keep=gen2)
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
    from .items import HASH

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


def _link(dfd: int, src: str, dst: str) -> None:
    """dst, a new name for the shard src (it is never written again, only replaced): a
    hard link, or its bytes copied where the file system has none."""
    try:
        os.link(src, dst, src_dir_fd=dfd, dst_dir_fd=dfd, follow_symlinks=False)
    except (OSError, NotImplementedError):  # (no dir_fd for links on this platform)
        _write_at(dfd, dst, _read_at(dfd, src))

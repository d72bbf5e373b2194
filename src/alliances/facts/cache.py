"""A compiled cache of the validated fact base, split so a query reads only what it needs.

Layout, in the platform's user cache directory (ALLIANCES_CACHE_DIR overrides,
ALLIANCES_NO_CACHE=1 disables), one folder per data directory:
    index.pickle          signature, then the small tables (sources, entities, blocs, names)
                          and which shard holds each bloc's or entity's statements
    <gen>-<n>.pickle      one shard per bloc or entity: its statements and rosters
`members CSTO` reads the index and CSTO's shard, so a fact base 1,000 times larger answers
almost as fast. The signature (size, mtime, ctime and inode of both YAML files, and this
package's version) is read before anything else, and files changed within the last few
seconds are also checksummed: an edit is seen on the next call. Shards of a new
generation are written before the index that names them, so a reader never mixes two.
The cache never lives in the package or the data directory, and one that cannot be read or
written is simply skipped.

Pickles run code when loaded, so the cache is only ever read from a folder that nobody but
the user can write: it is created 0700, and one that is a symlink, is owned by someone else
or is writable by group or others is not used (one line on stderr says so). Concurrent
processes may build and replace it at will: a generation's shards are written before the
index that names them, the index is replaced atomically, only shards of generations that
are neither current nor recent are removed, and a reader that finds a shard gone adopts
the newer index or repairs the cache. ALLIANCES_CACHE_DEBUG=1 reports hit, miss and repair
on stderr.
"""

from __future__ import annotations

import gc
import os
import stat
import sys
import zlib

from .. import __version__
from .model import BLOCS_FILE, SOURCES_FILE, FactBase

INDEX = "index.pickle"
GRACE_NS = 60_000_000_000  # a generation this young may belong to a writer still at work


def _debug(event: str) -> None:
    if os.environ.get("ALLIANCES_CACHE_DEBUG"):
        sys.stderr.write(f"cache: {event}\n")


_WARNED: set = set()


def usable(where: str, create: bool) -> bool:
    """True when `where` is a real directory of ours that no one else can write (created
    0700 if missing and `create`); a cache anyone else can write could run their code."""
    try:
        if create:
            os.makedirs(os.path.dirname(where), mode=0o700, exist_ok=True)
            os.makedirs(where, mode=0o700, exist_ok=True)
        st = os.lstat(where)
    except OSError:
        return False
    problem = None
    if not stat.S_ISDIR(st.st_mode):
        problem = "is not a directory"
    elif hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        problem = "belongs to another user"
    elif st.st_mode & 0o022:
        problem = "can be written by other users"
    if problem is None:
        return True
    if where not in _WARNED:
        _WARNED.add(where)
        sys.stderr.write(f"note: cache {where} {problem}: not used (answering from the data "
                         "files)\n")
    return False


def cache_dir() -> str:
    """The platform's user cache directory. Written out rather than taken from
    platformdirs, whose import alone costs about 5% of the start-up floor; the rules are
    the ones it applies (XDG on Linux and BSD, ~/Library/Caches on macOS, LOCALAPPDATA on
    Windows)."""
    explicit = os.environ.get("ALLIANCES_CACHE_DIR")
    if explicit:
        return explicit
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser(r"~\AppData\Local")
        return os.path.join(base, "alliances", "Cache")
    if sys.platform == "darwin":
        return os.path.expanduser("~/Library/Caches/alliances")
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = xdg if os.path.isabs(xdg) else os.path.expanduser("~/.cache")
    return os.path.join(base, "alliances")


RACY_NS = 3_000_000_000  # a file modified this recently may change again within its mtime tick


def signature(data_dir: str) -> tuple:
    sig: list = [__version__, sys.version_info[:2], data_dir]
    for rel in (BLOCS_FILE, SOURCES_FILE):
        st = os.stat(os.path.join(data_dir, rel))
        if not stat.S_ISREG(st.st_mode):  # a FIFO would block the checksum: let load() refuse it
            raise OSError(f"{rel} is not a regular file")
        # ctime too: content changes update it, and unlike mtime it cannot be set back.
        sig.append((rel, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns))
    return tuple(sig)


def racy_sums(data_dir: str, sig: tuple) -> tuple | None:
    """Checksums of files modified too recently for their mtime to be trusted, as git does
    for "racily clean" entries: an edit within the same clock tick and of the same size
    would otherwise look unchanged. None when every mtime is old enough. Taken before the
    build reads the files, so a change during the build is caught on the next call."""
    import time

    now = time.time_ns()
    racy = [rel for rel, _, mtime, _, ctime in sig[3:] if now - max(mtime, ctime) < RACY_NS]
    return checksums(data_dir, racy) if racy else None


def checksums(data_dir: str, rels) -> tuple:
    out = []
    for rel in rels:
        with open(os.path.join(data_dir, rel), "rb") as fh:
            out.append((rel, zlib.crc32(fh.read())))
    return tuple(out)


def folder(data_dir: str) -> str:
    # A short name from the path (hashlib's OpenSSL start-up is slower than crc32). Two
    # paths that collide only evict each other: the stored signature names the directory.
    raw = data_dir.encode("utf-8", "surrogatepass")
    return os.path.join(cache_dir(), f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}")


class CachedFactBase(FactBase):
    """A FactBase whose statements stay on disk until a question asks for them."""

    __slots__ = ("_folder", "_gen", "_shard_of", "_subjects", "_loaded", "_all", "_sig", "_build",
                 "_subject_in")

    def _shard(self, obj: str):
        if obj not in self._loaded:
            n = self._shard_of.get(obj)
            try:
                self._loaded[obj] = ([], []) if n is None else _read(
                    os.path.join(self._folder, f"{self._gen}-{n}.pickle"))
            except Exception:  # a newer generation replaced it meanwhile
                self._recover()
                return self._shard(obj)
        return self._loaded[obj]

    def _recover(self) -> None:
        """Adopt the index now installed if it is newer; else rebuild and store the cache
        again, so that the next process is served from it."""
        fresh = _open(self._folder, self._sig, self._build)
        if fresh is not None and fresh._gen != self._gen:
            self._gen, self._shard_of, self._subjects = fresh._gen, fresh._shard_of, fresh._subjects
            self._loaded, self._subject_in = {}, {}
            _debug("adopted a newer generation")
            return
        fb = self._build()
        shards, _ = partition(fb)
        self._loaded = {**{obj: ([], []) for obj in self._shard_of}, **shards}
        self._shard_of = dict.fromkeys(self._loaded, None)
        self._subject_in = {}
        try:
            _store(self._folder, self._sig,
                   _with_texts(racy_sums(self.data_dir, self._sig), fb.texts), fb)
            _debug("repaired")
        except OSError:
            pass

    def for_objects(self, objects):
        return [s for obj in dict.fromkeys(objects) for _, s in self._shard(obj)[0]]

    def for_subject(self, subject):
        out = []
        for obj in self._subjects.get(subject, ()):
            out.extend(self._by_subject_in(obj).get(subject, ()))
        return out

    def _by_subject_in(self, obj):
        """One shard's statements by subject, built once per shard a process reads."""
        try:
            index = self._subject_in
        except AttributeError:
            index = self._subject_in = {}
        if obj not in index:
            by: dict = {}
            for _, s in self._shard(obj)[0]:
                if s.group is None:
                    by.setdefault(s.subject, []).append(s)
            index[obj] = by
        return index[obj]

    def rosters_for(self, blocs):
        return [r for b in dict.fromkeys(blocs) for r in self._shard(b)[1]]

    def _everything(self):
        if self._all is None:
            pairs, rosters = [], []
            for obj in self._shard_of:
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


def _unpickler():
    """pickle.load without importing pickle.py: its C accelerator alone loads in a third of
    the time, and reading is all a cache hit does."""
    try:
        from _pickle import load
    except ImportError:  # an interpreter without the accelerator
        from pickle import load
    return load


def _read(path: str):
    load = _unpickler()
    gc.disable()  # unpickling many small tuples triggers the collector for nothing
    try:
        with open(path, "rb") as fh:
            return load(fh)
    finally:
        gc.enable()


def cached(data_dir: str, build) -> FactBase:
    """The fact base for data_dir: from the cache when current, else built and stored."""
    if os.environ.get("ALLIANCES_NO_CACHE"):
        return build()
    try:
        sig = signature(data_dir)
    except OSError:
        return build()  # let the loader report the missing file properly
    where = folder(data_dir)
    if not usable(where, create=True):
        return build()
    hit = _open(where, sig, build)
    if hit is not None:
        _debug("hit")
        return hit
    _debug("miss")
    try:
        sums = racy_sums(data_dir, sig)
    except OSError:
        return build()
    gc.disable()  # building allocates many objects that all live: no garbage to collect
    try:
        fb = build()
    finally:
        gc.enable()
    try:
        _store(where, sig, _with_texts(sums, fb.texts), fb)
    except OSError:
        pass  # read-only or full cache directory: work without it
    return fb


def _with_texts(sums: tuple | None, texts: tuple) -> tuple | None:
    """The racy checksums of the data files and of the article texts verification read
    (their CRC taken from the very bytes whose quotes it verified)."""
    import time

    now = time.time_ns()
    racy = tuple((rel, crc) for rel, _, mtime, _, ctime, crc in texts
                 if now - max(mtime, ctime) < RACY_NS)
    return (sums or ()) + racy or None


def _texts_unchanged(data_dir: str, texts: tuple) -> bool:
    """The article texts are those verification read: same size, times and inode."""
    for rel, size, mtime, ino, ctime, _ in texts:
        try:
            st = os.stat(os.path.join(data_dir, rel))
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns) != (size, mtime, ino, ctime):
            return False
    return True


def _open(where: str, sig: tuple, build) -> CachedFactBase | None:
    load = _unpickler()
    try:
        with open(os.path.join(where, INDEX), "rb") as fh:
            if load(fh) != sig:  # the signature comes first: a stale body is not read
                return None
            sums = load(fh)
            if sums is not None and sums != checksums(sig[2], [rel for rel, _ in sums]):
                return None
            body = load(fh)
            gen, head, shard_of, subjects = body
    except Exception:  # missing, unreadable, or from another version: rebuild
        return None
    texts = head[-1]
    if not _texts_unchanged(sig[2], texts):
        return None  # an article changed: its quotes must be verified again
    if sums is not None:
        try:
            if racy_sums(sig[2], sig) is None and _with_texts(None, texts) is None:
                # the files are old enough now for their stat to be trusted: store the index
                # once more without checksums, so later hits read no data file at all
                _write_index(where, sig, None, body)
        except OSError:
            pass
    fb = CachedFactBase.__new__(CachedFactBase)
    (fb.data_dir, fb.sources, fb.entities, fb.blocs, fb.fact_count, fb.names, fb.problems,
     fb.texts) = head
    fb._folder, fb._gen, fb._shard_of, fb._subjects = where, gen, shard_of, subjects
    fb._loaded, fb._all, fb._sig, fb._build = {}, None, sig, build
    return fb


def partition(fb: FactBase) -> tuple[dict, dict]:
    """Statements (numbered, to restore file order) and rosters per bloc or entity, and
    which of those each state is the subject of."""
    shards: dict[str, tuple[list, list]] = {}
    subjects: dict[str, set] = {}
    for seq, s in enumerate(fb.statements):
        shards.setdefault(s.object, ([], []))[0].append((seq, s))
        if s.group is None:
            subjects.setdefault(s.subject, set()).add(s.object)
    for r in fb.rosters:
        shards.setdefault(r.bloc, ([], []))[1].append(r)
    return shards, subjects


def _write_index(where: str, sig: tuple, sums: tuple | None, body: tuple) -> None:
    """Install an index atomically: a reader sees the old one or the new one, never half."""
    import pickle
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=where, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(sig, fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(sums, fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(body, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, os.path.join(where, INDEX))
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _store(where: str, sig: tuple, sums: tuple | None, fb: FactBase) -> None:
    import pickle
    import time

    shards, subjects = partition(fb)
    gen = f"{time.time_ns():x}{os.getpid():x}"
    shard_of = {}
    for n, (obj, content) in enumerate(shards.items()):
        with open(os.path.join(where, f"{gen}-{n}.pickle"), "wb") as fh:
            pickle.dump(content, fh, protocol=pickle.HIGHEST_PROTOCOL)
        shard_of[obj] = n
    head = (fb.data_dir, fb.sources, fb.entities, fb.blocs, fb.fact_count, fb.names,
            fb.problems, fb.texts)
    _write_index(where, sig, sums, (gen, head, shard_of,
                                    {k: tuple(v) for k, v in subjects.items()}))
    _collect(where, keep=gen)


def _collect(where: str, keep: str) -> None:
    """Remove the shards of old generations: never the one just written, never the one the
    index names now (another process may have installed it), never a recent one (its
    writer may not have installed its index yet)."""
    import time

    current = None
    try:
        with open(os.path.join(where, INDEX), "rb") as fh:
            load = _unpickler()
            load(fh), load(fh)
            current = load(fh)[0]
    except Exception:
        pass
    now = time.time_ns()
    for name in os.listdir(where):
        if not name.endswith(".pickle") or name == INDEX:
            continue
        gen = name.split("-", 1)[0]
        if gen in (keep, current):
            continue
        path = os.path.join(where, name)
        try:
            if now - os.stat(path).st_mtime_ns > GRACE_NS:
                os.remove(path)
        except OSError:
            pass

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
"""

from __future__ import annotations

import gc
import os
import stat
import sys
import zlib

from . import __version__
from .model import FactBase
from .validate import BLOCS_FILE, SOURCES_FILE

INDEX = "index.pickle"


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

    __slots__ = ("_folder", "_gen", "_shard_of", "_subjects", "_loaded", "_all")

    def _shard(self, obj: str):
        if obj not in self._loaded:
            n = self._shard_of.get(obj)
            try:
                self._loaded[obj] = ([], []) if n is None else _read(
                    os.path.join(self._folder, f"{self._gen}-{n}.pickle"))
            except Exception:  # replaced by a newer generation meanwhile: read the YAML
                self._rebuild()
        return self._loaded[obj]

    def _rebuild(self) -> None:
        from .store import build_factbase

        shards, _ = partition(build_factbase(self.data_dir)[0])
        self._loaded = {**{obj: ([], []) for obj in self._shard_of}, **shards}
        self._shard_of = dict.fromkeys(self._loaded, None)

    def for_objects(self, objects):
        return [s for obj in dict.fromkeys(objects) for _, s in self._shard(obj)[0]]

    def for_subject(self, subject):
        return [s for s in self.for_objects(self._subjects.get(subject, ()))
                if s.subject == subject and s.group is None]

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
    hit = _open(where, sig)
    if hit is not None:
        return hit
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
        _store(where, sig, sums, fb)
    except OSError:
        pass  # read-only or full cache directory: work without it
    return fb


def _open(where: str, sig: tuple) -> CachedFactBase | None:
    load = _unpickler()
    try:
        with open(os.path.join(where, INDEX), "rb") as fh:
            if load(fh) != sig:  # the signature comes first: a stale body is not read
                return None
            sums = load(fh)
            if sums is not None and sums != checksums(sig[2], [rel for rel, _ in sums]):
                return None
            gen, head, shard_of, subjects = load(fh)
    except Exception:  # missing, unreadable, or from another version: rebuild
        return None
    fb = CachedFactBase.__new__(CachedFactBase)
    (fb.data_dir, fb.sources, fb.entities, fb.blocs, fb.fact_count, fb.names) = head
    fb._folder, fb._gen, fb._shard_of, fb._subjects = where, gen, shard_of, subjects
    fb._loaded, fb._all = {}, None
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


def _store(where: str, sig: tuple, sums: tuple | None, fb: FactBase) -> None:
    import pickle
    import tempfile
    import time

    shards, subjects = partition(fb)
    os.makedirs(where, exist_ok=True)
    gen = f"{os.getpid():x}{time.time_ns():x}"
    shard_of = {}
    for n, (obj, content) in enumerate(shards.items()):
        with open(os.path.join(where, f"{gen}-{n}.pickle"), "wb") as fh:
            pickle.dump(content, fh, protocol=pickle.HIGHEST_PROTOCOL)
        shard_of[obj] = n
    head = (fb.data_dir, fb.sources, fb.entities, fb.blocs, fb.fact_count, fb.names)
    fd, tmp = tempfile.mkstemp(dir=where, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        pickle.dump(sig, fh, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(sums, fh, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump((gen, head, shard_of, {k: tuple(v) for k, v in subjects.items()}), fh,
                    protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, os.path.join(where, INDEX))
    for name in os.listdir(where):  # earlier generations, now unreferenced
        if name.endswith(".pickle") and name != INDEX and not name.startswith(gen + "-"):
            try:
                os.remove(os.path.join(where, name))
            except OSError:
                pass

"""A compiled cache of the validated fact base, so queries skip YAML parsing.

Keyed by the data directory's absolute path; valid only while the size, mtime and inode of
both YAML files (and this package's version) are unchanged, so an edit is seen on the next
call. It lives in the platform's user cache directory (ALLIANCES_CACHE_DIR overrides,
ALLIANCES_NO_CACHE=1 disables), never in the package or the data directory, and a cache
that cannot be read or written is simply skipped.
"""

from __future__ import annotations

import os
import pickle
import sys
import zlib

from . import __version__
from .validate import BLOCS_FILE, SOURCES_FILE


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


def signature(data_dir: str) -> tuple:
    sig: list = [__version__, sys.version_info[:2], data_dir]
    for rel in (BLOCS_FILE, SOURCES_FILE):
        st = os.stat(os.path.join(data_dir, rel))
        sig.append((rel, st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(sig)


def cached(data_dir: str, build):
    """Return the cached fact base for data_dir, or build it and try to store it."""
    if os.environ.get("ALLIANCES_NO_CACHE"):
        return build()
    try:
        sig = signature(data_dir)
    except OSError:
        return build()  # let the loader report the missing file properly
    # A short name from the path (hashlib's OpenSSL start-up is slower than crc32). Two
    # paths that collide only evict each other: the stored signature names the directory.
    raw = data_dir.encode("utf-8", "surrogatepass")
    name = f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}.pickle"
    path = os.path.join(cache_dir(), name)
    try:
        with open(path, "rb") as fh:
            stored_sig, fb = pickle.load(fh)
        if stored_sig == sig:
            return fb
    except Exception:  # missing, unreadable, stale format: rebuild
        pass
    fb = build()
    try:
        import tempfile  # only when writing: a cache hit never needs it

        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((sig, fb), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # read-only cache directory: work without it
    return fb

"""A compiled cache of the validated fact base, so queries skip YAML parsing.

Keyed by the data directory's absolute path; valid only while the size, mtime and inode of
both YAML files (and this package's version) are unchanged, so an edit is seen on the next
call. It lives in the platform's user cache directory (ALLIANCES_CACHE_DIR overrides,
ALLIANCES_NO_CACHE=1 disables), never in the package or the data directory, and a cache
that cannot be read or written is simply skipped.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile

from . import __version__
from .validate import BLOCS_FILE, SOURCES_FILE


def cache_dir() -> str:
    explicit = os.environ.get("ALLIANCES_CACHE_DIR")
    if explicit:
        return explicit
    from platformdirs import user_cache_dir

    return user_cache_dir("alliances", appauthor=False)


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
    name = hashlib.sha256(data_dir.encode("utf-8", "surrogatepass")).hexdigest()[:24] + ".pickle"
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
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((sig, fb), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # read-only cache directory: work without it
    return fb

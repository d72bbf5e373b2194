"""Where the data directory is, and the files inside it.

The shipped data lives inside the installed package (alliances/data); --data or
ALLIANCES_DATA points at a researcher's own directory of the same layout. Every file the
data names must resolve inside that directory: no `../`, no absolute paths, no symlinks
that lead out.
"""

from __future__ import annotations

import os

from .load import DataError, decode, read_bytes, read_text
from .model import FactBase, Source


def default_data_dir() -> str:
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    packaged = os.path.join(here, "data")
    if os.path.isdir(packaged):
        return packaged
    # Running from a source checkout (src/alliances): the repository's data/.
    return os.path.normpath(os.path.join(here, "..", "..", "data"))


def resolve_data_dir(explicit: str | None) -> str:
    """--data, then ALLIANCES_DATA, then the shipped data; the directory must be usable."""
    chosen = explicit or os.environ.get("ALLIANCES_DATA") or default_data_dir()
    # As the kernel resolves it: LINK/../X is X beside LINK's target, not beside LINK.
    try:
        path = os.path.realpath(os.path.expanduser(chosen))
    except (OSError, ValueError) as e:
        raise DataError(str(chosen), 0, f"cannot resolve the data directory: {e}") from None
    if not os.path.exists(path):
        raise DataError(path, 0, "data directory not found")
    if not os.path.isdir(path):
        raise DataError(path, 0, "data path is not a directory")
    if not os.access(path, os.R_OK | os.X_OK):
        raise DataError(path, 0, "data directory is not readable")
    return path


def inside(base: str, relative: str, label: str) -> str:
    """The real path of `relative` under `base`, refusing anything that escapes it."""
    if os.path.isabs(relative) or "\x00" in relative:
        raise DataError(label, 0, f"path {relative!r} must be relative to the data directory")
    real_base = os.path.realpath(base)
    target = os.path.realpath(os.path.join(real_base, relative))
    if os.path.commonpath([real_base, target]) != real_base:
        raise DataError(label, 0, f"path {relative!r} resolves outside the data directory")
    return target



def source_path(fb: FactBase, source: Source) -> tuple[str, str]:
    """The article's label (sources/FILE) and real path, refusing paths that lead out."""
    label = os.path.join("sources", source.file)
    # Inside the data directory too: a sources/ that is itself a symlink leads out.
    inside(fb.data_dir, label, label)
    return label, inside(os.path.join(fb.data_dir, "sources"), source.file, label)


def source_text(fb: FactBase, source: Source) -> str:
    label, path = source_path(fb, source)
    return read_text(path, label)


def read_source(fb: FactBase, source: Source) -> tuple[str, bytes, tuple | None]:
    """The article's text, its bytes, and its stat as a cache signature entry (taken before
    reading, so a change while reading shows on the next call)."""
    label, path = source_path(fb, source)
    try:
        st = os.stat(path)
    except OSError:
        st = None
    raw = read_bytes(path, label)
    text = decode(raw, label)
    entry = (None if st is None else
             (label, st.st_size,
              st.st_mtime_ns, st.st_ino, st.st_ctime_ns))
    return text, raw, entry

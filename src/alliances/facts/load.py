"""Read YAML strictly, keeping line numbers.

PyYAML's safe loader still accepts things a fact base must not: duplicate keys (the last
silently wins), anchors and aliases (a "billion laughs" file expands without bound), merge
keys and tags. So we build the tree ourselves from PyYAML's event stream (the C parser when
available), refusing those as they arrive, and remember the line of every mapping, key and
list item so that every later error can say file:line. Scalars stay strings unless they are
plainly null, true/false or an integer: "2008-09-04" is a date string, not a datetime.
"""

from __future__ import annotations

import os
import re
import stat
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

MAX_BYTES = 64 * 1024 * 1024  # default; ALLIANCES_MAX_YAML_BYTES overrides, read per call
MAX_DEPTH = 32

_INT = re.compile(r"^[-+]?[0-9]+$")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
# The plain scalars that are not strings (an integer aside), one lookup for all of them.
_SPECIAL = {**dict.fromkeys(_NULL), **dict.fromkeys(_TRUE, True),
            **dict.fromkeys(_FALSE, False)}


class DataError(Exception):
    """A problem in a data file, located to file and line (1-based; 0 when unknown)."""

    def __init__(self, file: str, line: int, message: str):
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")
        self.file, self.line, self.message = file, line, message


class Map(dict):
    """A mapping that knows its own line and the line of each key."""

    __slots__ = ("line", "key_lines")
    line: int
    key_lines: dict[str, int]


class Seq(list):
    """A list that knows its own line and the line of each item."""

    __slots__ = ("line", "item_lines")
    line: int
    item_lines: list[int]


def max_bytes() -> int:
    """The size limit, read when a file is read (not at import) so a caller can change it."""
    return env_size("ALLIANCES_MAX_YAML_BYTES", MAX_BYTES)


# No input is larger than this, whatever a variable says (2**40 bytes: 1 TiB fits in every
# C size type, and no machine holds a fact base of that in memory anyway).
SIZE_CAP = 1 << 40


def env_size(name: str, default: int) -> int:
    """A byte count from the environment: a whole number, at most SIZE_CAP (a larger value
    is taken as the cap, never overflowing a C size); the default when unset."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    text = raw.strip().replace("_", "")
    if not (text.isdigit() and text.isascii()) or len(text) > 30:
        raise DataError(name, 0, f"{raw[:40]!r} is not a whole number of bytes")
    return min(int(text), SIZE_CAP)


def read_limited(fh, limit: int, label: str, var: str = "ALLIANCES_MAX_YAML_BYTES") -> bytes:
    """At most `limit` bytes from a binary stream (standard input, a pipe, /dev/zero), in
    chunks so that nothing past the limit is ever held; DataError past it."""
    chunks: list[bytes] = []
    total = 0
    if limit < 0:
        raise DataError(label, 0, f"file is over the size limit (set {var} to raise it)")
    while True:
        chunk = fh.read(min(1 << 20, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise DataError(label, 0, f"input is over the {limit}-byte limit (set {var} "
                                      "to raise it)")


def read_text(path: str, label: str | None = None) -> str:
    """Read a UTF-8 data file (a BOM is allowed and dropped), with clear errors."""
    label = label or path
    return decode(read_bytes(path, label), label)


def read_bytes(path: str, label: str) -> bytes:
    """A regular file's bytes, within the size limit, with clear errors."""
    limit = max_bytes()
    try:
        st = os.stat(path)
        # A FIFO or device would block or never end: only a regular file is data.
        if not stat.S_ISREG(st.st_mode):
            if stat.S_ISDIR(st.st_mode):
                raise DataError(label, 0, "is a directory, not a file")
            raise DataError(label, 0, "is not a regular file")
        if st.st_size > limit:
            raise DataError(label, 0, f"file is {st.st_size} bytes, over the {limit}-byte "
                                      "limit (set ALLIANCES_MAX_YAML_BYTES to raise it)")
        with open(path, "rb") as fh:
            # the size stat gave, then in chunks: the file may have grown since, and a
            # read of limit + 1 bytes would allocate all of them up front
            raw = fh.read(st.st_size + 1)
            if len(raw) > st.st_size:
                try:
                    raw += read_limited(fh, limit - len(raw), label)
                except DataError:
                    raise DataError(label, 0, f"file is over the {limit}-byte limit (set "
                                              "ALLIANCES_MAX_YAML_BYTES to raise it)") from None
    except FileNotFoundError:
        raise DataError(label, 0, "file not found") from None
    except IsADirectoryError:
        raise DataError(label, 0, "is a directory, not a file") from None
    except OSError as e:
        raise DataError(label, 0, f"cannot read: {e.strerror or e}") from None
    return raw


def decode(raw: bytes, label: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DataError(label, line, f"not valid UTF-8 (byte 0x{raw[e.start]:02x} at offset "
                                     f"{e.start})") from None


def parse_yaml(text: str, label: str):
    """Build a Map/Seq/scalar tree from YAML text, refusing what a fact base must not hold.

    One loop over the parser's events, told apart by class, with the open container, its
    kind and its pending key in locals (2.9 s for the 28 MB blocs.yaml at 1,000x before,
    when each event was named and each value attached through a helper). The parser is
    libyaml's (CSafeLoader) when PyYAML has it, asked for events only: its constructor,
    which would build objects, never runs."""
    import yaml
    from yaml.events import (
        AliasEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )

    parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    stack: list = []          # (container, is a Map, pending key) of each enclosing one
    top: Any = None           # the open container (None at the top level)
    is_map = False
    key: Any = _NO_KEY        # the open Map's pending key (or _NO_KEY)
    root: Any = _NO_KEY
    ev: Any  # one of yaml's events, told apart by its class
    node: Map | Seq
    special, numeric, integer = _SPECIAL, "+-0123456789", _INT.match
    events = None
    try:
        events = parser(text)  # (the Python reader checks the characters here)
        get = events.get_event
        while True:
            ev = get()
            cls = ev.__class__
            if cls is MappingEndEvent or cls is SequenceEndEvent:
                top, is_map, key = stack.pop()
                continue
            mark = ev.start_mark
            line = mark.line + 1 if mark else 0
            if cls is ScalarEvent:
                if ev.anchor is not None:
                    raise DataError(label, line, f"YAML anchor &{ev.anchor} is not allowed")
                if ev.tag is not None and ev.tag != "!":
                    raise DataError(label, line, f"YAML tag {ev.tag} is not allowed")
                value = ev.value
                if not ev.style and ev.implicit[0]:  # plain: resolve the few types we allow
                    got = special.get(value, _NO_KEY)
                    if got is not _NO_KEY:
                        value = got
                    elif value[0] in numeric and integer(value):
                        try:
                            value = int(value)
                        except ValueError:  # over Python's digit limit: no year is that long
                            pass
                if is_map:
                    if key is _NO_KEY:
                        if not isinstance(value, str):
                            raise DataError(label, line, f"key {ev.value!r} must be a string")
                        if value == "<<" and not ev.style:
                            raise DataError(label, line, "YAML merge key << is not allowed")
                        if value in top:
                            first = top.key_lines[value]
                            raise DataError(label, line, f"duplicate key {value!r} (first at "
                                                         f"line {first}): each key appears "
                                                         "once in its mapping; rename or "
                                                         "merge one")
                        key = value
                        top.key_lines[value] = line
                        continue
                    top[key] = value
                    key = _NO_KEY
                elif top is not None:
                    top.append(value)
                    top.item_lines.append(line)
                else:
                    root = value
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if ev.anchor is not None:
                    raise DataError(label, line, f"YAML anchor &{ev.anchor} is not allowed")
                if ev.tag is not None and ev.tag != "!":
                    raise DataError(label, line, f"YAML tag {ev.tag} is not allowed")
                if len(stack) >= MAX_DEPTH:
                    raise DataError(label, line, f"nested deeper than {MAX_DEPTH} levels")
                if cls is MappingStartEvent:
                    node = Map()
                    node.key_lines = {}
                else:
                    node = Seq()
                    node.item_lines = []
                node.line = line
                if is_map:
                    if key is _NO_KEY:
                        raise DataError(label, line, "a mapping or list cannot be a key")
                    top[key] = node
                elif top is not None:
                    top.append(node)
                    top.item_lines.append(line)
                else:
                    root = node
                stack.append((top, is_map, _NO_KEY))
                top, is_map, key = node, cls is MappingStartEvent, _NO_KEY
            elif cls is AliasEvent:
                raise DataError(label, line, f"YAML alias *{ev.anchor} is not allowed "
                                             "(write the value out)")
            elif cls is DocumentStartEvent:
                if root is not _NO_KEY:
                    raise DataError(label, line, "more than one YAML document in the file")
            elif cls is StreamEndEvent:
                break
            # StreamStartEvent, DocumentEndEvent: nothing to build
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark else 0
        if isinstance(e, yaml.reader.ReaderError):  # a control character: no mark, a position
            # The C reader counts UTF-8 bytes, the Python one characters.
            if e.encoding == "unicode":
                line = text[: e.position].count("\n") + 1
            else:
                line = text.encode("utf-8", "surrogatepass")[: e.position].count(b"\n") + 1
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        lines = text.splitlines()
        if 0 < line <= len(lines) and "\t" in lines[line - 1][:len(lines[line - 1]) -
                                                              len(lines[line - 1].lstrip())]:
            raise DataError(label, line, "a tab indents this line; YAML indents with spaces "
                                         "only: replace the tab with spaces") from None
        if "nesting depth" in problem:
            # Some PyYAML releases (6.0.4 on) stop deep nesting themselves, before the event
            # that our own limit would refuse: the user gets the same message either way.
            raise DataError(label, line, f"nested deeper than {MAX_DEPTH} levels") from None
        raise DataError(label, line, f"invalid YAML: {problem}") from None
    finally:
        if events is not None:
            events.dispose()
    return None if root is _NO_KEY else root


class _NoKey:
    __slots__ = ()


_NO_KEY = _NoKey()


def read_yaml(path: str, label: str):
    return parse_yaml(read_text(path, label), label)

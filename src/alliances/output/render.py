"""Rows to text: a rich table for people, json/csv/tsv/plain for scripts.

Nothing from the data or the command line is ever interpreted: table cells are rich Text
objects (no markup), and control characters (C0, DEL, C1: the start of every ANSI/OSC
escape sequence) are shown as visible \\xNN escapes in every text format. JSON escapes them
as \\uNNNN. rich is imported only to draw a table.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable

FORMATS = ("table", "json", "jsonl", "csv", "tsv", "plain")

_UNSAFE = [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x200E, 0x200F, *range(0x202A, 0x202F),
           *range(0x2066, 0x206A)]
# C0, DEL, C1 (where every ANSI/OSC escape starts) and bidi overrides, made visible.
_ESCAPE = {c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _UNSAFE}
_ESCAPE_KEEP_NL = {c: e for c, e in _ESCAPE.items() if c != 0x0A}
# json escapes C0 itself; the rest of the unsafe set is escaped after encoding, and U+2028/9
# too, as line breaks for JavaScript readers (one compiled pattern: a str.translate with a
# dict was most of the time of a large answer).
_JSON_UNSAFE = "".join(chr(c) for c in (*_UNSAFE, 0x2028, 0x2029) if c >= 0x7F)


def _json_escape(text: str) -> str:
    import re

    global _JSON_SUB
    if _JSON_SUB is None:
        _JSON_SUB = re.compile(f"[{re.escape(_JSON_UNSAFE)}]").sub
    return _JSON_SUB(lambda m: f"\\u{ord(m[0]):04x}", text)


_JSON_SUB: Callable[..., str] | None = None


def clean(value, keep_newlines: bool = False) -> str:
    """Text safe to put on a terminal: control and bidi-override characters made visible."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():  # the common case, checked in C: nothing to escape
        return text
    return text.translate(_ESCAPE_KEEP_NL if keep_newlines else _ESCAPE)


class View(NamedTuple):
    """How one kind of row is shown: table columns, csv/tsv fields, the plain-format key
    (from its declaration in fields.py)."""

    columns: tuple[str, ...]
    fields: tuple[str, ...]
    plain: str


def view_of(kind_name: str, extra: tuple = (), fields: tuple | None = None) -> View:
    """The View of a row kind: `extra` leading fields asked for, `fields` (--fields) the
    chosen ones, which then are every format's columns."""
    from .fields import KINDS, flat_fields

    kind = KINDS[kind_name]
    if fields:
        return View(fields, fields, fields[0])
    lead = tuple(f for f in extra if f not in kind.fields or f in kind.leading)
    return View((*lead, *kind.columns), flat_fields(kind, lead), kind.plain)


def _flat(row: dict, field: str, sep: str = ";") -> str:
    if field == "sources":
        # each article once, in the order the row cites them, with what it says of the row
        # (reuters-2008:member;outline-2014:not-listed)
        said: dict = {}
        for s in row.get("sources", ()):
            st = s.get("status")
            seen = said.setdefault(s["id"], [])
            if st and st not in seen:
                seen.append(st)
        return sep.join(f"{i}:{'/'.join(st)}" if st else i for i, st in said.items())
    if field == "quotes":
        return " | ".join(s["quote"] for s in row.get("sources", ()))
    value = row.get(field)
    if isinstance(value, dict):  # a group: {members_of, except}
        import json

        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, (list, tuple)):
        return sep.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def to_json(value) -> str:
    """A whole JSON document (exports, reports), indented for reading."""
    import json  # only the json format pays for it

    return _json_escape(json.dumps(value, ensure_ascii=False, indent=2))


def row_encoder() -> Callable[[Any], str]:
    """One row's JSON text, as json.JSONEncoder(ensure_ascii=False).encode writes it (the
    rows hold no cycles: none is looked for), by the C encoder that it calls: `import json`
    (its decoder, scanner and encoder modules) costs about 1 ms of a query's start-up. An
    interpreter without the accelerator, or whose accelerator takes other arguments than
    those of Python 3.10 to 3.13, uses json itself."""
    try:
        from _json import encode_basestring, make_encoder

        enc = make_encoder(None, _not_serializable, encode_basestring, None, ": ", ", ",
                           False, False, True)
    except (ImportError, TypeError):
        import json

        return json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    join = "".join
    return lambda row: join(enc(row, 0))


def _not_serializable(o):
    raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


def _pick(row: dict, fields: tuple) -> dict:
    """A JSON row with only the --fields asked for (`quotes`: the list of its quotes)."""
    return {f: ([s["quote"] for s in row.get("sources", ())] if f == "quotes" and f not in row
                else row.get(f)) for f in fields}


def write(rows, view_name: str, fmt: str, out=None, title: str = "", extra: tuple = (),
          fields: tuple | None = None, color: bool = True) -> int:
    """Write rows (any iterable) as they come, so memory does not grow with the answer
    (the table, which rich lays out whole, is the exception); returns how many. `extra`
    fields (the name asked, for names read from standard input) lead every format;
    `fields` (--fields) are the only ones written; `color` False: no escape codes at all."""
    out = out or sys.stdout
    view = view_of(view_name, extra, fields)
    n = 0
    if fmt in ("json", "jsonl"):
        # One row per line, by the C encoder: `json` is a streamed array of the same lines
        # that `jsonl` writes alone.
        encode = row_encoder()
        for row in rows:
            line = _json_escape(encode(_pick(row, fields) if fields else row))
            if fmt == "jsonl":
                out.write(line + "\n")
            else:
                out.write(("[\n" if n == 0 else ",\n") + line)
            n += 1
        if fmt == "json":
            out.write("\n]\n" if n else "[]\n")
        return n
    if fmt == "table":
        rows = list(rows)
        table(rows, view, title, out, color)
        return len(rows)
    if fmt in ("csv", "tsv"):
        import csv

        if fmt == "csv":
            w = csv.writer(out, lineterminator="\n")
            w.writerow(view.fields)
            for row in rows:
                w.writerow([clean(_flat(row, f), keep_newlines=True) for f in view.fields])
                n += 1
        else:  # TSV: one record per line, so tabs and newlines inside values become spaces
            out.write("\t".join(view.fields) + "\n")
            for row in rows:
                out.write("\t".join(clean(_flat(row, f).replace("\t", " ").replace("\n", " "))
                                    for f in view.fields) + "\n")
                n += 1
    else:  # plain: one line per row of the table, the row's subject
        for row in rows:
            out.write(clean(_flat(row, view.plain)) + "\n")
            n += 1
    return n


def _pipe() -> None:
    raise BrokenPipeError(32, "Broken pipe")


def table(rows: list[dict], view: View, title: str, out, color: bool = True) -> None:
    """A rich table with a Sources column of footnote numbers, and the quotes below it."""
    import os

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # NO_COLOR (or --no-color): no escape codes at all, not even bold; FORCE_COLOR is
    # honoured by rich itself when output is piped.
    plain = not color or bool(os.environ.get("NO_COLOR"))
    colour: dict[str, Any] = {"color_system": None} if plain else {}
    console = Console(file=out, highlight=False, markup=False, emoji=False, soft_wrap=False,
                      **colour)
    console.on_broken_pipe = _pipe  # type: ignore[method-assign]  # rich would exit 1: let the CLI exit 141 as for any format
    has_sources = "sources" in view.fields and any(r.get("sources") for r in rows)
    view = view._replace(columns=tuple(c for c in view.columns if c not in ("sources", "quotes"))
                         or view.columns[:1])
    t = Table(title=Text(clean(title)) if title else None, title_justify="left",
              show_lines=False, expand=False)
    # A column empty in every row (since/until, often) says nothing: leave it out. Each
    # column is at least as wide as its longest word, so a narrow terminal wraps between
    # words ("South Ossetia"), never inside a name.
    values = {c: [clean(_flat(row, c, sep=", ")) for row in rows] for c in view.columns}
    columns = [c for i, c in enumerate(view.columns) if i == 0 or any(values[c]) or not rows]
    first = max((len(w) for v in values[columns[0]] for w in v.split()), default=0) if rows else 0
    for i, col in enumerate(columns):
        # the first column holds the names: whole words there when the terminal allows it
        width = min(first, 24) if i == 0 and first * 3 < console.width else None
        t.add_column(col.replace("_", " "), overflow="fold", min_width=width)
    if has_sources:
        t.add_column("sources", overflow="fold")
    notes: dict[tuple, int] = {}
    # Too narrow for every column at its longest word (`COLUMNS=40`): one block per row,
    # a field a line, rather than a table that drops or chops columns.
    shown = [*columns, *(["sources"] if has_sources else [])]
    need = 1 + sum(3 + max([len(c), *(len(w) for v in values.get(c, ()) for w in v.split())])
                   for c in shown if c != "sources") + (7 if has_sources else 0)
    records = bool(rows) and need > console.width
    for i, row in enumerate(rows):
        cells = [Text(values[c][i]) for c in columns]
        if has_sources:
            # A footnote is one citation and the status it gives (the same quote can say
            # `recognizes` of one state and `not-yet` of another); a row citing more than
            # one status groups its footnotes under each, the row's own status first.
            refs: dict[str, list[str]] = {row["status"]: []} if row.get("status") else {}
            for s in row.get("sources", ()):
                key = (s["id"], s["quote"], s.get("note"), s.get("status"))
                notes.setdefault(key, len(notes) + 1)
                said = refs.setdefault(s.get("status") or "", [])
                if f"[{notes[key]}]" not in said:
                    said.append(f"[{notes[key]}]")
            groups = [(st, r) for st, r in refs.items() if r]
            cells.append(Text(" ".join(groups[0][1]) if len(groups) == 1 else "; ".join(
                f"{clean(st) + ': ' if st else ''}{' '.join(r)}" for st, r in groups)))
        if records:
            if i == 0 and title:
                console.print(Text(clean(title)))
            label = max(len(c) for c in shown)
            console.print(Text("── ") + cells[0])
            for c, cell in zip(shown[1:], cells[1:], strict=False):
                if cell.plain:
                    console.print(Text(f"   {c.replace('_', ' '):<{label}}  ") + cell)
        else:
            t.add_row(*cells)
    if not records:
        console.print(t)
    dates, urls = {}, {}
    for row in rows:
        for s in row.get("sources", ()):
            dates[s["id"]] = s["date"]
            urls[s["id"]] = s.get("url")
    for (sid, quote, note, status), n in notes.items():
        line = Text(f"[{n}] ")
        # The source id is a clickable hyperlink where the terminal supports it (OSC 8).
        line.append(clean(sid), style=f"link {urls[sid]}" if urls.get(sid) else None)
        gives = f", {clean(status)}" if status else ""
        line.append(f" ({clean(dates[sid])}{gives}): \u201c{clean(quote)}\u201d")
        if note:
            line.append(f" \u2014 {clean(note)}", style="dim")
        console.print(line)

"""`alliances export` and the bibliography formats of `alliances sources`.

Whole fact base (no --panel): tables sources, entities, blocs, bloc_citations and
statements, one statements row per model Statement (a fact that names three states is three
rows; a roster is one row per listed state, with roster = true). Every statement row carries
its citation: source_id, the verbatim quote, the curator's note and the blocs.yaml line.
object_id is repeated as bloc_id (membership) or entity_id (recognition) so each can carry a
foreign key; roster_complete says whether a roster row comes from a complete list. A bloc's
formation citation is in blocs (formed_source_id, formed_quote, formed_note); its other
`cited` quotes are rows of bloc_citations.

- sqlite: one file with those tables, primary and foreign keys and indexes (ready for
  `datasette`). Lists (aliases, group_except) are JSON array text; booleans are 0/1.
- csv: OUT is a directory (created if missing) holding one CSV file per table; OUT "-"
  writes only statements.csv to standard output. Lists are JSON array text; booleans are
  true/false; null is the empty field. On standard output, control characters are shown
  as \\xNN, as every command does; files keep the text exactly.
- json: one object {"sources": [...], "entities": [...], "blocs": [...],
  "bloc_citations": [...], "statements": [...]} with real lists, booleans and nulls.

A statement's `stated` is the date of the article that says it; `since` / `until` are when
the article says it held. "Members of the CSTO in 2008" is therefore bloc_id = 'csto', status
= 'member', stated in 2008 and until_latest null or not before 2008 (Georgia's statement of
2008 says it was a member until 1999).

Dates: every DateRange is exported three ways: its label (as shown by the CLI, e.g.
"2008-09", "[2008-09-04..2008-09-05]"), and its first and last possible day as ISO dates in
`<field>_earliest` / `<field>_latest`. An open end (date.min / date.max in the model) is
exported as null, never as year 1 or 9999.

Files are written by output/files.py: under a lock, atomically (a temporary file beside the
target, renamed into place), with the target's owner and mode, never through a planted
symlink; an existing file is either fully replaced or left as it was, and a csv directory
is replaced as a whole. Anything this module refuses (an
impossible OUT for the format, a write that fails) raises ExportError, whose message is one
line meant for the user.

bibtex() and csl_json() turn the sources into bibliography entries; see their docstrings.

Only the standard library is imported at module level (and only cheap parts of it); sqlite3,
csv, tempfile and the package's query layer are imported where they are used.
"""

from __future__ import annotations

import json
import os
import stat
import sys

from ..answers.panel import (
    CODES,
    DYAD_KEYS,
    PANEL_DOC,
    PANEL_KEYS,
    PanelError,
    dyad_panel,
    panel,
    panel_years,
)
from ..answers.rows import _range_fields
from ..facts.cache import paused_collector
from .bibliography import bibtex, csl_json
from .files import WriteError

EXPORT_FORMATS = ("sqlite", "csv", "tsv", "json", "bibtex")
# What OUT's extension says, when --format is not given.
EXTENSIONS = {".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite", ".csv": "csv",
              ".tsv": "tsv", ".json": "json", ".bib": "bibtex"}
PANELS = ("state-year", "dyad-year")
TABLES = ("sources", "entities", "blocs", "bloc_citations", "statements")


class ExportError(PanelError):
    """An export that cannot be done as asked (the CLI shows the message, exit 2)."""


class ExportWriteError(ExportError, WriteError):
    """The write itself refused or failed, nothing changed (the CLI exits 1, as for every
    writer)."""


def records(fb, statements: bool = True) -> dict[str, list[dict]]:
    """Every table of the fact base as lists of plain dicts (lists, bools and None kept);
    without `statements`, all but the statements (statement_records streams those)."""
    sources = [{"id": s.id, "title": s.title, "publisher": s.publisher, "author": s.author,
                **_range_fields("published", s.published), "date_note": s.date_note,
                "file": s.file, "url": s.url} for s in fb.sources.values()]
    entities = [{"id": e.id, "name": e.name, "kind": e.kind, "aliases": list(e.aliases),
                 "ccode": e.ccode, "iso3": e.iso3, "iso2": e.iso2}
                for e in fb.entities.values()]
    blocs: list[dict] = []
    bloc_citations: list[dict] = []
    for b in fb.blocs.values():
        fc = b.formed_citation
        blocs.append({"id": b.id, "name": b.name, "kind": b.kind, "aliases": list(b.aliases),
                      **_range_fields("formed", b.formed),
                      "formed_source_id": fc.source if fc else None,
                      "formed_quote": fc.quote if fc else None,
                      "formed_note": fc.note if fc else None,
                      "proposed": b.proposed})
        for c in b.citations:
            bloc_citations.append({"id": len(bloc_citations) + 1, "bloc_id": b.id,
                                   "source_id": c.source, "quote": c.quote, "note": c.note,
                                   "file": c.file, "line": c.line})
    return {"sources": sources, "entities": entities, "blocs": blocs,
            "bloc_citations": bloc_citations,
            "statements": list(statement_records(fb)) if statements else []}


STATEMENT_COLUMNS = (
    "id", "relation", "state_id", "group_bloc", "group_except", "group_all", "object_id",
    "bloc_id", "entity_id", "status", "since", "since_earliest", "since_latest", "until",
    "until_earliest", "until_latest", "stated", "stated_earliest", "stated_latest",
    "source_id", "quote", "note", "file", "line", "roster", "roster_complete", "forecast")


def statement_records(fb):
    """The statements table's rows, one at a time, as dicts (STATEMENT_COLUMNS)."""
    for t in statement_values(fb):
        yield dict(zip(STATEMENT_COLUMNS, t, strict=True))


def statement_values(fb, sql: bool = False):
    """The statements table's rows as tuples in the order of STATEMENT_COLUMNS; with
    `sql`, as SQLite stores them (group_except as JSON text; booleans are 0/1 already)."""
    from .answers_db import date_columns

    complete = {(r.citation.source, r.citation.line, r.bloc): r.complete for r in fb.rosters}
    dated = date_columns()

    for i, s in enumerate(fb.statements, 1):
        c = s.citation
        membership = s.relation == "membership"
        g = s.group
        if g is None:
            group: tuple = (s.subject, None, None, None)
        else:
            exclude = list(g.exclude)
            group = (None, g.bloc, _sql_value(exclude) if sql else exclude, g.everyone)
        yield (i, s.relation, *group, s.object, s.object if membership else None,
               None if membership else s.object, s.status, *dated(s.since), *dated(s.until),
               *dated(s.stated), c.source, c.quote, c.note, c.file, c.line, s.roster,
               complete.get((c.source, c.line, s.object)) if s.roster else None, s.forecast)


# -- SQLite ------------------------------------------------------------------------------
_SCHEMA = """
CREATE TABLE sources (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, publisher TEXT, author TEXT,
    published TEXT NOT NULL, published_earliest TEXT, published_latest TEXT,
    date_note TEXT NOT NULL, file TEXT NOT NULL, url TEXT
);
CREATE TABLE entities (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, aliases TEXT NOT NULL,
    ccode INTEGER UNIQUE, iso3 TEXT, iso2 TEXT
);
CREATE TABLE blocs (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, aliases TEXT NOT NULL,
    formed TEXT, formed_earliest TEXT, formed_latest TEXT,
    formed_source_id TEXT REFERENCES sources(id), formed_quote TEXT, formed_note TEXT,
    proposed INTEGER NOT NULL
);
CREATE TABLE bloc_citations (
    id INTEGER PRIMARY KEY, bloc_id TEXT NOT NULL REFERENCES blocs(id),
    source_id TEXT NOT NULL REFERENCES sources(id), quote TEXT NOT NULL, note TEXT,
    file TEXT NOT NULL, line INTEGER NOT NULL
);
CREATE TABLE statements (
    id INTEGER PRIMARY KEY,
    relation TEXT NOT NULL CHECK (relation IN ('membership', 'recognition')),
    state_id TEXT REFERENCES entities(id),
    group_bloc TEXT REFERENCES blocs(id), group_except TEXT, group_all INTEGER,
    object_id TEXT NOT NULL,
    bloc_id TEXT REFERENCES blocs(id), entity_id TEXT REFERENCES entities(id),
    status TEXT NOT NULL,
    since TEXT, since_earliest TEXT, since_latest TEXT,
    until TEXT, until_earliest TEXT, until_latest TEXT,
    stated TEXT NOT NULL, stated_earliest TEXT, stated_latest TEXT,
    source_id TEXT NOT NULL REFERENCES sources(id),
    quote TEXT NOT NULL, note TEXT, file TEXT NOT NULL, line INTEGER NOT NULL,
    roster INTEGER NOT NULL, roster_complete INTEGER, forecast INTEGER NOT NULL,
    CHECK ((state_id IS NULL) <> (group_bloc IS NULL AND coalesce(group_all, 0) = 0))
);
CREATE INDEX statements_state ON statements (state_id);
CREATE INDEX statements_object ON statements (object_id);
CREATE INDEX statements_bloc ON statements (bloc_id, status);
CREATE INDEX statements_entity ON statements (entity_id, status);
CREATE INDEX statements_source ON statements (source_id);
CREATE INDEX statements_relation ON statements (relation, status);
CREATE INDEX bloc_citations_bloc ON bloc_citations (bloc_id);
CREATE INDEX bloc_citations_source ON bloc_citations (source_id);
"""


def _sql_value(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (list, tuple)):
        return json.dumps(list(v), ensure_ascii=False)
    return v


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _insert(con, table: str, rows) -> None:
    """Insert dict rows (a list or any iterable, consumed as it goes), columns from the
    first."""
    it = iter(rows)
    first = next(it, None)
    if first is None:
        return
    cols = list(first)
    sql = (f"INSERT INTO {_ident(table)} ({', '.join(_ident(c) for c in cols)}) "
           f"VALUES ({', '.join('?' for _ in cols)})")
    con.executemany(sql, _values(first, it, cols))


def _values(first, rest, cols):
    yield [_sql_value(first[c]) for c in cols]
    for r in rest:
        yield [_sql_value(r[c]) for c in cols]


def _rows(con, table: str, columns, rows) -> None:
    """Insert rows given as tuples in the order of `columns` (values ready for SQLite)."""
    con.executemany(f"INSERT INTO {_ident(table)} ({', '.join(_ident(c) for c in columns)}) "
                    f"VALUES ({', '.join('?' for _ in columns)})", rows)


def _fill_factbase(con, fb) -> None:
    """Every table created first, filled, then every index and view (an index built over
    a full table is sorted once, not updated row by row); the schema lists the tables and
    then the rest, each kind in the order written."""
    from .answers_db import ANSWERS_SCHEMA, fill, split_schema

    tables, rest = split_schema(_SCHEMA)
    answer_tables, answer_rest = split_schema(ANSWERS_SCHEMA)
    for sql in tables + answer_tables:
        con.execute(sql)
    small = records(fb, statements=False)
    for name in TABLES:
        if name == "statements":
            _rows(con, name, STATEMENT_COLUMNS, statement_values(fb, sql=True))
        else:
            _insert(con, name, small[name])
    fill(con, fb, _rows)  # the evaluated answers beside the statements
    for sql in rest + answer_rest:
        con.execute(sql)


def _fill_panel(con, fb) -> None:
    columns, rows = panel(fb)
    defs = ["ccode INTEGER", "iso3 TEXT", "state TEXT NOT NULL", "state_id TEXT NOT NULL",
            "year INTEGER NOT NULL"]
    defs += [f"{_ident(b)} INTEGER NOT NULL" for b in columns[len(PANEL_KEYS):]]
    con.execute(f"CREATE TABLE state_year ({', '.join(defs)}, PRIMARY KEY (state_id, year))")
    con.execute("CREATE INDEX state_year_year ON state_year (year)")
    con.execute("CREATE TABLE state_year_codes (code INTEGER PRIMARY KEY, meaning TEXT NOT NULL)")
    con.executemany("INSERT INTO state_year_codes VALUES (?, ?)", sorted(CODES.items()))
    if rows:
        _insert(con, "state_year", rows)


def _fill_dyads(con, fb) -> None:
    columns, rows = dyad_panel(fb)
    defs = ["dyadid INTEGER NOT NULL", "ccode1 INTEGER NOT NULL", "iso3_1 TEXT",
            "state1 TEXT NOT NULL", "ccode2 INTEGER NOT NULL", "iso3_2 TEXT",
            "state2 TEXT NOT NULL", "year INTEGER NOT NULL"]
    defs += [f"{_ident(b)} INTEGER NOT NULL" for b in columns[len(DYAD_KEYS):]]
    con.execute(f"CREATE TABLE dyad_year ({', '.join(defs)}, PRIMARY KEY (dyadid, year))")
    con.execute("CREATE TABLE dyad_year_codes (code INTEGER PRIMARY KEY, meaning TEXT NOT NULL)")
    con.executemany("INSERT INTO dyad_year_codes VALUES (?, ?)", [
        (-9, "missing: either state's cell is missing"), (-1, "bloc not in existence"),
        (0, "no joint full membership"), (1, "joint full membership")])
    con.executemany(f"INSERT INTO dyad_year VALUES ({', '.join('?' for _ in columns)})", rows)


def _write_sqlite(fb, out: str, panel_name: str | None) -> None:
    import sqlite3

    if out == "-":
        raise ExportError("sqlite cannot be written to standard output: give a file name, "
                          "e.g. 'alliances export facts.sqlite --format sqlite'")
    _check_out(out)

    def fill(tmp: str) -> None:
        con = sqlite3.connect(tmp)
        try:
            # tmp is this writer's own new file, renamed over OUT only once complete and
            # synced (files.replace_file): a write that fails or is killed leaves OUT as it
            # was whatever state tmp is in, so SQLite needs no journal and no sync of its own
            con.execute("PRAGMA journal_mode = OFF")
            con.execute("PRAGMA synchronous = OFF")
            # every foreign key is checked once, over the whole file, before it is renamed
            # into place (foreign_key_check below), not row by row as rows go in
            with con:
                if panel_name is None:
                    # (millions of objects, freed by reference counting; the collector's
                    # passes walked all the fact base holds: 1.6 s of 9 s of CPU at 100x)
                    with paused_collector():
                        _fill_factbase(con, fb)
                elif panel_name == "dyad-year":
                    _fill_dyads(con, fb)
                else:
                    _fill_panel(con, fb)
            problems = con.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise ExportError(f"internal error: foreign keys do not hold: {problems[:3]}")
        finally:
            con.close()

    try:
        _files(lambda f: f.replace_file(out, fill, mode="path"))
    except sqlite3.Error as e:
        raise ExportWriteError(f"cannot write {out}: {e}") from None


# -- files: written through output/files.py (locked, atomic, owner and mode kept) ---------
def _files(call):
    """Run call(files) and turn its refusals into ExportError."""
    from . import files

    try:
        return call(files)
    except files.WriteError as e:
        raise ExportWriteError(str(e)) from None


def _check_out(out: str) -> None:
    path = os.path.expanduser(out)
    if os.path.isdir(path):
        raise ExportWriteError(f"{out} is a directory: give a file name")
    if os.path.exists(path) and not os.path.isfile(path):
        raise ExportWriteError(f"{out} is not a regular file: sqlite needs a file to write")


def _write_text(out: str, text: str) -> None:
    _write_with(out, lambda fh: fh.write(text))


def stdout_alias(out: str) -> str:
    """"-" when OUT names this process's own standard output and that is not a regular
    file (`/dev/stdout`, `/dev/fd/1`, the terminal it is on): written as standard output,
    with the data's control characters made harmless, as every command writes there."""
    if out == "-":
        return out
    try:
        mine = os.fstat(1)
        there = os.stat(os.path.expanduser(out))
    except (OSError, ValueError):
        return out
    if (there.st_dev, there.st_ino) == (mine.st_dev, mine.st_ino) and \
            not stat.S_ISREG(mine.st_mode):
        return "-"
    return out


def _write_with(out: str, write) -> None:
    """Call write(fh) on OUT: standard output for "-" (or OUT naming it), else atomically
    to a file through output/files.py, which refuses a FIFO, socket or device there."""
    out = stdout_alias(out)
    if out == "-":
        write(sys.stdout)
        sys.stdout.flush()
        return
    path = os.path.expanduser(out)
    if os.path.isdir(path):
        raise ExportWriteError(f"{out} is a directory: give a file name")
    _files(lambda f: f.replace_file(out, write))


def _json_tables(fh, tables: dict) -> None:
    """{"table": [rows]}, one row per line by the C encoder: the same document as an
    indented dump, without holding its text (at 1,000x that text is most of a GiB)."""
    from .render import _json_escape

    encode = json.JSONEncoder(ensure_ascii=False).encode
    fh.write("{")
    for n, (name, rows) in enumerate(tables.items()):
        fh.write(("," if n else "") + f"\n  {encode(name)}: [")
        for i, row in enumerate(rows):
            fh.write(("," if i else "") + "\n    " + _json_escape(encode(row)))
        fh.write("\n  ]" if rows else "]")
    fh.write("\n}\n")


def _write_dyads(fb, out: str, fmt: str, delimiter: str) -> None:
    """The dyad-year panel, streamed: row by row to standard output or to a temporary file
    that replaces OUT when complete."""
    import csv

    from .render import _json_escape, clean

    columns, rows = dyad_panel(fb, clean if out == "-" else None)

    def write(fh) -> None:
        if fmt == "json":
            encode = json.JSONEncoder(ensure_ascii=False).encode
            fh.write("[")
            sep = "\n"
            for row in rows:
                fh.write(sep + "  " + _json_escape(encode(dict(zip(columns, row, strict=False)))))
                sep = ",\n"
            fh.write("\n]\n" if sep == ",\n" else "]\n")
        else:
            w = csv.writer(fh, lineterminator="\n", delimiter=delimiter)
            w.writerow(columns)
            w.writerows(("" if v is None else v for v in row) for row in rows)

    _write_with(out, write)


def _csv_cell(v, terminal: bool):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        v = json.dumps(list(v), ensure_ascii=False)
    if terminal and isinstance(v, str):
        from .render import clean

        return clean(v, keep_newlines=True)
    return v


def _csv_text(columns: list[str], rows: list[dict], terminal: bool = False,
              delimiter: str = ",") -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", delimiter=delimiter)
    w.writerow(columns)
    for r in rows:
        w.writerow([_csv_cell(r[c], terminal) for c in columns])
    return buf.getvalue()


_COLUMNS_OF_EMPTY = {  # header of a table that has no rows
    "bloc_citations": ["id", "bloc_id", "source_id", "quote", "note", "file", "line"],
}


def _columns(name: str, rows: list[dict]) -> list[str]:
    if rows:
        return list(rows[0])
    if name in _COLUMNS_OF_EMPTY:
        return _COLUMNS_OF_EMPTY[name]
    import sqlite3

    con = sqlite3.connect(":memory:")
    try:
        con.executescript(_SCHEMA)
        return [r[1] for r in con.execute(f"PRAGMA table_info({_ident(name)})")]
    finally:
        con.close()


def _write_csv_dir(fb, out: str, ext: str = "csv", force: bool = False) -> None:
    """One file per table in directory OUT, which is replaced as a whole (a new directory
    that takes its place in one step): an interrupted export leaves the old tables, never
    a mix. An existing OUT may hold only those tables."""
    path = os.path.expanduser(out)
    names = {f"{n}.{ext}" for n in TABLES}
    if os.path.exists(path) and not os.path.isdir(path):
        raise ExportWriteError(f"{out} exists and is not a directory: csv without --panel "
                               "writes one file per table into a directory (or '-' for "
                               "statements.csv on standard output)")
    if not force and os.path.isdir(path):
        there = [f"{n}.{ext}" for n in TABLES if os.path.lexists(os.path.join(path, f"{n}.{ext}"))]
        if there:
            raise ExportWriteError(f"{os.path.join(out, there[0])} exists: use --force to "
                                   "replace the tables in that directory")
    tables = records(fb)

    def fill(tmp: str) -> None:
        for name in TABLES:
            with open(os.path.join(tmp, f"{name}.{ext}"), "x", encoding="utf-8",
                      newline="") as fh:
                fh.write(_csv_text(_columns(name, tables[name]), tables[name],
                                   delimiter="\t" if ext == "tsv" else ","))

    _files(lambda f: f.replace_dir(out, fill, only=names))


def export_format(out: str, fmt: str | None) -> str:
    """The format to write: --format when given (it must agree with OUT's extension), else
    what the extension says; standard output defaults to json."""
    ext = os.path.splitext(out)[1].lower() if out not in ("", "-") else ""
    implied = EXTENSIONS.get(ext)
    if fmt is not None:
        fmt = fmt.lower()
        if fmt not in EXPORT_FORMATS:
            raise ExportError(f"unknown format {fmt!r} for --format: use one of "
                              f"{', '.join(EXPORT_FORMATS)}")
        if implied is not None and implied != fmt:
            raise ExportError(f"--format {fmt} does not match the extension of {out} "
                              f"({implied}): change one of them")
        return fmt
    if out in ("", "-"):
        return "json"
    if implied is None:
        raise ExportError(f"cannot tell the format of {out!r} from its name: give --format "
                          f"({', '.join(EXPORT_FORMATS)}) or a name ending in "
                          f"{', '.join(EXTENSIONS)}")
    return implied


def run_export(fb, fmt: str | None, out: str, panel_name: str | None = None,
               force: bool = False) -> None:
    """Write the fact base (or the panel) to `out` (a path, or "-" for stdout), in `fmt` or
    the format OUT's extension names; an existing file is replaced only with `force`."""
    from .render import to_json

    if not out:
        raise ExportError("no output given: a file name, a directory for csv, or '-'")
    fmt = export_format(out, fmt)
    out = stdout_alias(out)  # /dev/stdout is standard output: written as "-" is
    if panel_name is not None and panel_name not in PANELS:
        raise ExportError(f"unknown panel {panel_name!r}: use {', '.join(PANELS)}")
    if panel_name is not None and fmt == "bibtex":
        raise ExportError("--panel writes csv, tsv, json or sqlite, not bibtex")
    if out != "-" and not force and os.path.isfile(os.path.expanduser(out)):
        raise ExportWriteError(f"{out} exists: use --force to replace it")
    delimiter = "\t" if fmt == "tsv" else ","
    if fmt == "sqlite":
        _write_sqlite(fb, out, panel_name)
    elif fmt == "bibtex":
        text = bibtex(fb)
        if out == "-":  # titles and notes are data: never raw escapes on a terminal
            from .render import clean

            text = clean(text, keep_newlines=True)
        _write_text(out, text)
    elif panel_name == "dyad-year":
        _write_dyads(fb, out, fmt, delimiter)
    elif panel_name is not None:
        columns, rows = panel(fb)
        if fmt == "json":
            _write_text(out, to_json(rows) + "\n")
        else:
            _write_text(out, _csv_text(columns, rows, terminal=out == "-", delimiter=delimiter))
    elif fmt == "json":
        _write_with(out, lambda fh: _json_tables(fh, records(fb)))
    elif out == "-" or os.path.splitext(out)[1].lower() in (".csv", ".tsv"):
        # one file: the statements table (the directory form writes every table)
        rows = records(fb)["statements"]
        _write_text(out, _csv_text(_columns("statements", rows), rows, terminal=out == "-",
                                   delimiter=delimiter))
    else:
        _write_csv_dir(fb, out, fmt, force)


# -- bibliographies ----------------------------------------------------------------------


__doc__ = (__doc__ or "") + "\n" + PANEL_DOC

__all__ = ["EXPORT_FORMATS", "PANELS", "PANEL_DOC", "CODES", "ExportError", "run_export",
           "records", "panel", "panel_years", "bibtex", "csl_json"]

"""The evaluated answers as SQLite tables beside the statements (`alliances export
facts.sqlite`), and a description of every table and column (the `column_docs` table, and
datasette's metadata.json with `--metadata FILE`).

Nothing is evaluated here: a verdict row is the row `alliances members BLOC --as-of YEAR
--all` (or `recognizes ENTITY --as-of YEAR --all`) gives, from the same evidence, the same
`evaluate.verdicts` and the same `query.verdict_row`; a spell is one that `alliances chart`
draws from the rows of `alliances timeline`.
"""

from __future__ import annotations

from ..answers.rows import _day
from ..facts.dates import MIN

ANSWERS_SCHEMA = """
CREATE TABLE verdicts (
    id INTEGER PRIMARY KEY,
    evidence_id INTEGER NOT NULL,
    relation TEXT NOT NULL CHECK (relation IN ('membership', 'recognition')),
    state TEXT NOT NULL, state_id TEXT REFERENCES entities(id),
    object_id TEXT NOT NULL,
    bloc_id TEXT REFERENCES blocs(id), entity_id TEXT REFERENCES entities(id),
    year INTEGER NOT NULL,
    status TEXT NOT NULL,
    basis TEXT NOT NULL CHECK (basis IN ('stated', 'bracketed', 'possible', 'disputed')),
    since TEXT, since_earliest TEXT, since_latest TEXT,
    until TEXT, until_earliest TEXT, until_latest TEXT,
    as_of TEXT NOT NULL, disputed_with TEXT, derived TEXT, group_json TEXT,
    ccode INTEGER, iso3 TEXT
);
CREATE INDEX verdicts_bloc ON verdicts (bloc_id, year, status);
CREATE INDEX verdicts_entity ON verdicts (entity_id, year, status);
CREATE INDEX verdicts_state ON verdicts (state_id, year);
CREATE INDEX verdicts_evidence ON verdicts (evidence_id);
CREATE TABLE spells (
    id INTEGER PRIMARY KEY,
    relation TEXT NOT NULL CHECK (relation IN ('membership', 'recognition')),
    state TEXT NOT NULL, state_id TEXT REFERENCES entities(id),
    object_id TEXT NOT NULL,
    bloc_id TEXT REFERENCES blocs(id), entity_id TEXT REFERENCES entities(id),
    status TEXT NOT NULL,
    start_earliest TEXT, start_latest TEXT, end_earliest TEXT, end_latest TEXT,
    first_stated TEXT, last_stated TEXT, ended_by TEXT, disputed INTEGER NOT NULL
);
CREATE INDEX spells_bloc ON spells (bloc_id, status);
CREATE INDEX spells_entity ON spells (entity_id, status);
CREATE INDEX spells_state ON spells (state_id);
CREATE TABLE citations (
    id INTEGER PRIMARY KEY,
    evidence_id INTEGER,
    spell_id INTEGER REFERENCES spells(id),
    source_id TEXT NOT NULL REFERENCES sources(id),
    quote TEXT NOT NULL, status TEXT, since TEXT, until TEXT, note TEXT,
    CHECK ((evidence_id IS NULL) <> (spell_id IS NULL))
);
CREATE INDEX citations_evidence ON citations (evidence_id);
CREATE INDEX citations_spell ON citations (spell_id);
CREATE INDEX citations_source ON citations (source_id);
CREATE VIEW verdict_citations AS
    SELECT v.id AS verdict_id, c.id AS citation_id, c.source_id, c.quote, c.status, c.since, c.until, c.note
    FROM verdicts v JOIN citations c ON c.evidence_id = v.evidence_id;
CREATE TABLE column_docs (
    table_name TEXT NOT NULL, column_name TEXT NOT NULL, description TEXT NOT NULL,
    PRIMARY KEY (table_name, column_name)
);
"""  # noqa: E501 (the schema is stored in the export as written: kept byte for byte)

_DATES = "the earliest and latest possible day (ISO; null when open)"
TABLE_DOCS = {
    "sources": "The articles: one row per source, with its publication date.",
    "entities": "States and breakaway regions, with their COW number and ISO codes.",
    "blocs": "Blocs, with the date and citation of their formation.",
    "bloc_citations": "Other quotes that name a bloc.",
    "statements": "Every statement as an article makes it: one row per state and fact "
                  "(the raw evidence, before evaluation).",
    "verdicts": "The evaluated answer for each (state, bloc) and (state, entity) and year: "
                "the rows of `alliances members BLOC --as-of YEAR --all` and `alliances "
                "recognizes ENTITY --as-of YEAR --all`. Members of the CSTO in 2012: WHERE "
                "bloc_id = 'csto' AND year = 2012 AND status = 'member'.",
    "spells": "Each status of each (state, bloc or entity) from the event that starts it "
              "to the one that ends it: the spells `alliances chart` draws from "
              "`alliances timeline`.",
    "citations": "The articles behind the verdicts of one key (evidence_id: every verdict "
                 "of one state and bloc or entity cites the same articles) or behind a spell "
                 "(spell_id), with the quote and what that article says (its status and "
                 "dates). The view verdict_citations joins them to each verdict_id.",
    "verdict_citations": "A view: verdict_id -> source_id, quote and the article's own "
                         "status and dates (verdicts joined to citations by evidence_id).",
    "column_docs": "A description of every table's columns (this table included).",
}
COLUMN_DOCS = {
    "sources": {
        "id": "source id (cited everywhere as source_id)", "title": "the article's title",
        "publisher": "publisher", "author": "author",
        "published": "publication date as the CLI shows it",
        "published_earliest": f"publication: {_DATES}",
        "published_latest": f"publication: {_DATES}",
        "date_note": "how the publication date was established",
        "file": "the article's text file in the data directory", "url": "the article's URL",
    },
    "entities": {
        "id": "entity id", "name": "name", "kind": "state, breakaway region, ...",
        "aliases": "other names (JSON array)", "ccode": "Correlates of War state number",
        "iso3": "ISO 3166-1 alpha-3", "iso2": "ISO 3166-1 alpha-2",
    },
    "blocs": {
        "id": "bloc id", "name": "name", "kind": "kind of bloc",
        "aliases": "other names (JSON array)", "formed": "formation date as shown",
        "formed_earliest": f"formation: {_DATES}", "formed_latest": f"formation: {_DATES}",
        "formed_source_id": "the article that dates the formation",
        "formed_quote": "its verbatim sentence", "formed_note": "the curator's note",
        "proposed": "1 when the bloc is only proposed",
    },
    "bloc_citations": {
        "id": "row id", "bloc_id": "the bloc", "source_id": "the article",
        "quote": "verbatim quote", "note": "curator's note", "file": "blocs.yaml file",
        "line": "line in that file",
    },
    "statements": {
        "id": "row id", "relation": "membership or recognition",
        "state_id": "the state (null for a group subject)",
        "group_bloc": "group subject: the members of this bloc",
        "group_except": "group subject: states excepted (JSON array)",
        "group_all": "group subject: every state",
        "object_id": "the bloc (membership) or entity (recognition)",
        "bloc_id": "object_id of a membership", "entity_id": "object_id of a recognition",
        "status": "the status the article states",
        "since": "when it started, per the article", "since_earliest": f"since: {_DATES}",
        "since_latest": f"since: {_DATES}", "until": "when it ended, per the article",
        "until_earliest": f"until: {_DATES}", "until_latest": f"until: {_DATES}",
        "stated": "the date of the article that says it",
        "stated_earliest": f"stated: {_DATES}", "stated_latest": f"stated: {_DATES}",
        "source_id": "the article", "quote": "verbatim sentence", "note": "curator's note",
        "file": "blocs.yaml file", "line": "line in that file",
        "roster": "1 when the row comes from a list of members",
        "roster_complete": "1 when that list is complete", "forecast": "1 for a forecast",
    },
    "verdicts": {
        "id": "row id (verdict_citations.verdict_id)",
        "evidence_id": "the (relation, state, bloc or entity) whose evidence was combined: "
                       "its citations are the rows of citations with this evidence_id",
        "relation": "membership or recognition",
        "year": "the year asked about (the whole calendar year, as --as-of YEAR)",
        "state": "the state's name (or a group subject's label)",
        "state_id": "the state (null for a group subject)",
        "object_id": "the bloc or entity", "bloc_id": "object_id of a membership",
        "entity_id": "object_id of a recognition",
        "status": "member, observer, ..., former-member, not-listed; recognizes, ...",
        "basis": "stated (an article places it in the year), possible (only carried "
                 "forward or its start is uncertain), disputed (articles that cannot all be "
                 "right meet in the year)",
        "since": "start as the evidence allows, as shown", "since_earliest": f"start: {_DATES}",
        "since_latest": f"start: {_DATES}", "until": "end as the evidence allows",
        "until_earliest": f"end: {_DATES}", "until_latest": f"end: {_DATES}",
        "as_of": "the period label (the year)",
        "disputed_with": "the statuses it clashes with in the year (JSON array)",
        "derived": "notes on bounds that come from other evidence (JSON array)",
        "group_json": "a group subject's definition (JSON)",
        "ccode": "COW state number", "iso3": "ISO 3166-1 alpha-3",
    },
    "spells": {
        "id": "row id (citations.spell_id)", "relation": "membership or recognition",
        "state": "the state's name (or a group subject's label)",
        "state_id": "the state (null for a group subject)", "object_id": "the bloc or entity",
        "bloc_id": "object_id of a membership", "entity_id": "object_id of a recognition",
        "status": "the spell's status",
        "start_earliest": "first possible day it started (null: no article says)",
        "start_latest": "last possible day it started (null: no article says)",
        "end_earliest": "first possible day it ended (null: carried on)",
        "end_latest": "last possible day it ended (null: carried on)",
        "first_stated": "first day an article places it on",
        "last_stated": "last day an article places it on",
        "ended_by": "the status that ended it (former-member, not-listed, ...)",
        "disputed": "1 when the evaluation disputes some days of this spell (drawn outlined "
                    "in `alliances chart`)",
    },
    "citations": {
        "id": "row id", "evidence_id": "the key whose verdicts it backs (or null)",
        "spell_id": "the spell cited (or null)", "source_id": "the article",
        "quote": "verbatim sentence",
        "status": "the status that article states (not-listed: a complete list omits it)",
        "since": "the start that article gives", "until": "the end that article gives",
        "note": "curator's note",
    },
    "verdict_citations": {"verdict_id": "the verdict", "citation_id": "the citations row",
                          "source_id": "the article",
                          "quote": "verbatim sentence", "status": "the status it states",
                          "since": "the start it gives", "until": "the end it gives",
                          "note": "curator's note"},
    "column_docs": {"table_name": "a table", "column_name": "one of its columns",
                    "description": "what the column holds"},
}


def date_columns():
    """A date range's three columns (label, earliest, latest day; None for an open end),
    each distinct range's made once: a function of the range, or of None (the statements'
    rows and the verdicts' rows)."""
    days: dict = {None: (None, None, None)}

    def dated(r):
        got = days.get(r)
        if got is None:
            if len(days) > 10_000:  # held to a few MB
                days.clear()
                days[None] = (None, None, None)
            got = days[r] = (r.label, _day(r.earliest), _day(r.latest))
        return got
    return dated


def _years_spoken_of(fb, panel_years):
    """Every year any relation speaks of, memberships and recognitions alike: from the
    earliest day a statement dates (or the panel's first year) to its latest article."""
    firsts = []
    for st in fb.statements:
        for r in (st.since, st.until, st.stated):
            if r is not None and r.earliest != MIN:
                firsts.append(r.earliest.year)
                break
    panel = panel_years(fb)
    if panel is not None:
        firsts.append(panel[0])
    if not firsts or not fb.sources:
        return None
    last = max(src.published.latest.year for src in fb.sources.values())
    return min(firsts), max(last, panel[1] if panel else last)


# The columns as rows are built (SQLite numbers the id of verdicts and citations: rows are
# inserted in id order into a new table, so each id is the one before plus one). A
# verdict row is its key's and year's columns, then its own.
VERDICT_COLUMNS = ("evidence_id", "relation", "state", "state_id", "object_id", "bloc_id",
                   "entity_id", "year", "as_of", "status", "basis", "since", "since_earliest",
                   "since_latest", "until", "until_earliest", "until_latest", "disputed_with",
                   "derived", "group_json", "ccode", "iso3")
CITATION_COLUMNS = ("evidence_id", "spell_id", "source_id", "quote", "status", "since",
                    "until", "note")
SPELL_COLUMNS = ("id", "relation", "state", "state_id", "object_id", "bloc_id", "entity_id",
                 "status", "start_earliest", "start_latest", "end_earliest", "end_latest",
                 "first_stated", "last_stated", "ended_by", "disputed")


def verdict_records(fb, disputed: set | None = None):
    """Each key's (verdict rows, citation rows) in turn: its verdicts for every year any
    relation speaks of (memberships and recognitions alike), as `members`/`recognizes
    --as-of YEAR --all` give them. Every verdict of one key cites the same articles (the
    key's admitted statements, as a row's `sources`), so the citations are stored once per
    key (evidence_id) and joined by the verdict_citations view. Yielded key by key, so an
    export holds one key's rows at a time; verdict ids count from 1 across keys.

    Rows are tuples in the order of VERDICT_COLUMNS (citations: CITATION_COLUMNS), ready
    for SQLite: a key is evaluated once per run of years (evaluate.verdict_runs), a
    verdict's own columns are built once per run and each year's once per year, and a
    row is the two joined (by C code: product and add). `disputed`, when given, gains
    each disputed spell's (lane, object, status, number), for spell_records."""
    import json
    from itertools import product, starmap
    from operator import add

    from ..answers.evaluate import verdict_runs
    from ..answers.panel import panel_years
    from ..answers.query import NO_FILTER, codes_of, evidence_cites, evidence_each, subject_name
    from ..facts.dates import parse_partial
    from .spells import lane_of

    years = _years_spoken_of(fb, panel_years)
    if years is None:
        return
    periods = [(y, parse_partial(f"{y:04d}")) for y in range(years[0], years[1] + 1)]
    spans = [p for _, p in periods]  # each key is evaluated once per run of like years
    dumps = json.dumps

    def as_json(items, ascii_only: bool) -> str:  # disputed_with, derived
        return dumps(list(items), ensure_ascii=ascii_only) if items else "[]"

    dated = date_columns()  # a date's three columns, once per date

    def keys():  # one key's evidence at a time, in the order of the blocs and entities
        for b in fb.blocs:
            mine = [s for s in fb.for_objects([b]) if s.relation == "membership"]
            yield from evidence_each(fb, mine, fb.rosters_for([b]), NO_FILTER)
        for e in fb.entities:
            mine = [s for s in fb.for_objects([e]) if s.relation == "recognition"]
            yield from evidence_each(fb, mine, (), NO_FILTER)

    for key, ev in enumerate(keys(), 1):
        membership = ev.relation == "membership"
        state_id = ev.subject if ev.group is None else None
        head = (key, ev.relation, subject_name(fb, ev), state_id, ev.object,
                ev.object if membership else None, None if membership else ev.object)
        group = (dumps({"members_of": ev.group.bloc, "except": list(ev.group.exclude)})
                 if ev.group is not None else None)
        codes = codes_of(fb, state_id)
        tail_of_key = (group, codes["ccode"], codes["iso3"])
        if disputed is not None:
            disputed.update((lane_of(fb, ev), ev.object, e.status, e.spell)
                            for e in ev.episodes if e.disputes)
        rows: list[tuple] = []
        for start, stop, vs in verdict_runs(ev, spans):
            own = [(v.status, v.basis, *dated(v.since), *dated(v.until),
                    as_json(v.disputed_with, True), as_json(v.derived, False), *tail_of_key)
                   for v in vs]
            years_of_run = [(*head, year, period.label) for year, period in periods[start:stop]]
            rows += starmap(add, product(years_of_run, own))
        yield rows, [(key, None, *_citation(c)) for c in evidence_cites(fb, ev)]


def _citation(c: dict) -> tuple:
    """A citation row's (source_id, quote, status, since, until, note)."""
    get = c.get
    return (c["id"], c["quote"], get("status"), get("since"), get("until"), get("note"))


def spell_records(fb, disputed: set | None = None):
    """Each bloc's and recognised entity's (spell rows, citation rows) in turn: the spells
    `alliances chart` draws, from `alliances timeline`'s rows (each with the days the
    evaluation disputes it: `disputed` is 1 when there are any); spell ids count from 1.
    Rows are tuples in the order of SPELL_COLUMNS (citations: CITATION_COLUMNS).
    `disputed`: every disputed spell, as verdict_records gathered them (else each
    timeline's evidence is read again for its disputes: spells.timeline_rows)."""
    from ..answers.query import NO_FILTER, timeline
    from .chart import lanes
    from .spells import timeline_rows

    recognised = {s.object for s in fb.statements if s.relation == "recognition"}
    sid = 0
    for kind, ident, relation in ([("bloc", b, "membership") for b in fb.blocs]
                                  + [("entity", e, "recognition") for e in fb.entities
                                     if e in recognised]):
        # (of an entity, only its recognition's events: its own memberships are not its
        # spells here, and reading them read every bloc it belongs to again)
        rows_of = (timeline(fb, kind, ident, NO_FILTER, as_object=True).rows
                   if disputed is not None
                   else timeline_rows(fb, kind, ident, NO_FILTER, as_object=True))
        about = [r for r in rows_of if r.get("status") is not None and r["object_id"] == ident]
        membership = relation == "membership"
        objects = (ident, None) if membership else (None, ident)
        rows, cites = [], []
        for lane in lanes(about, ident):
            head = (relation, lane["state"], lane["state_id"], ident, *objects)
            in_lane = lane["key"][0]
            for sp in lane["spells"]:
                sid += 1
                stated = sp["stated"]
                start, end = sp["start"], sp["end"]
                rows.append((
                    sid, *head, sp["status"],
                    _day(start[0]) if start else None, _day(start[1]) if start else None,
                    _day(end[0]) if end else None, _day(end[1]) if end else None,
                    _day(stated[0][0]) if stated else None,
                    _day(max(b for _, b in stated)) if stated else None,
                    sp["end_row"]["status"] if sp["end_row"] else None,
                    int(bool(sp["disputes"]) if disputed is None else
                        (in_lane, ident, sp["status"], sp["number"]) in disputed)))
                cites += [(None, sid, *_citation(c)) for c in sp["cites"]]
        yield rows, cites


def _statements(sql: str) -> list[str]:
    """A schema script's statements, each as written (without its `;`), in order."""
    import sqlite3

    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip().rstrip(";"))
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete statement in a schema: {buf.strip()[:60]!r}")
    return out


def split_schema(sql: str) -> tuple[list[str], list[str]]:
    """(CREATE TABLE statements, the rest: indexes and views), each list in the order
    written. The export creates the tables, fills them, and creates the rest after: an
    index built over a full table is sorted once instead of updated row by row, and the
    schema (sqlite_master) lists each statement as written, in the same order per kind."""
    tables: list[str] = []
    rest: list[str] = []
    for st in _statements(sql):
        (tables if st.lstrip().upper().startswith("CREATE TABLE") else rest).append(st)
    return tables, rest


def fill(con, fb, write_rows) -> None:
    """Fill the answer tables (created from ANSWERS_SCHEMA's tables beforehand; the
    caller creates its indexes and view after), one key (verdicts) or one bloc or entity
    (spells) at a time, so memory stays that of one. `write_rows(con, table, columns,
    tuples)` inserts rows given as tuples in the order of `columns`."""
    disputed: set = set()  # the verdicts read every key: the spells take its disputes
    for table, columns, records in (("verdicts", VERDICT_COLUMNS, verdict_records(fb, disputed)),
                                    ("spells", SPELL_COLUMNS, spell_records(fb, disputed))):
        for rows, cites in records:
            write_rows(con, table, columns, rows)
            write_rows(con, "citations", CITATION_COLUMNS, cites)
    write_rows(con, "column_docs", ("table_name", "column_name", "description"),
               [(t, c, d) for t, cols in COLUMN_DOCS.items() for c, d in cols.items()])


def datasette_metadata(database: str) -> dict:
    """datasette's metadata.json for the export (`datasette FILE --metadata FILE.json`)."""
    return {
        "title": "alliances: cited answers about blocs and recognitions",
        "description": "Statements as the articles make them, and the evaluated answers "
                       "(verdicts per year, spells) with their citations.",
        "databases": {database: {"tables": {
            t: {"description": TABLE_DOCS[t], "columns": dict(COLUMN_DOCS[t])}
            for t in COLUMN_DOCS}}},
    }

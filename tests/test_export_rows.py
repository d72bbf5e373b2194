"""The sqlite export builds its rows in bulk (a key evaluated once per run of years, a row
joined from its key's, its year's and its verdict's columns, ids numbered by SQLite, each
spell's disputes taken from the verdicts' pass, indexes made after the inserts): every row
is still the one the slow way gives, a verdict per key per year, on the shipped record."""

from __future__ import annotations

import gc
import json
import sqlite3

import pytest

pytestmark = pytest.mark.shipped


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The shipped record exported once, through the real CLI, and its fact base."""
    import os

    from typer.testing import CliRunner

    from alliances.cli import app
    from alliances.facts.paths import default_data_dir
    from alliances.facts.store import load

    cache = tmp_path_factory.mktemp("cache")
    out = tmp_path_factory.mktemp("export") / "facts.sqlite"
    mp = pytest.MonkeyPatch()
    mp.setenv("ALLIANCES_CACHE_DIR", str(cache))
    mp.delenv("ALLIANCES_DATA", raising=False)
    try:
        before = gc.get_threshold()
        r = CliRunner().invoke(app, ["export", str(out), "--data", default_data_dir()])
        assert r.exit_code == 0, (r.stdout, r.stderr)
        assert gc.get_threshold() == before  # the collector as it was
        assert os.path.getsize(out) > 0
        yield sqlite3.connect(out), load(default_data_dir())
    finally:
        mp.undo()


def _keys(fb):
    """Every key in the order the export numbers them (evidence_id): each bloc's
    memberships, then each entity's recognitions."""
    from alliances.answers.query import NO_FILTER, evidence_each

    for b in fb.blocs:
        mine = [s for s in fb.for_objects([b]) if s.relation == "membership"]
        yield from evidence_each(fb, mine, fb.rosters_for([b]), NO_FILTER)
    for e in fb.entities:
        mine = [s for s in fb.for_objects([e]) if s.relation == "recognition"]
        yield from evidence_each(fb, mine, (), NO_FILTER)


def test_every_verdict_row_is_that_keys_verdict_for_that_year(exported):
    from alliances.answers.evaluate import verdicts
    from alliances.answers.query import verdict_row
    from alliances.facts.dates import parse_partial

    con, fb = exported
    first, last = con.execute("SELECT min(year), max(year) FROM verdicts").fetchone()
    got = con.execute(
        "SELECT id, evidence_id, year, state, state_id, object_id, bloc_id, entity_id, "
        "status, basis, since, since_earliest, since_latest, until, until_earliest, "
        "until_latest, as_of, disputed_with, derived, group_json, ccode, iso3 "
        "FROM verdicts ORDER BY id").fetchall()
    assert [r[0] for r in got] == list(range(1, len(got) + 1))
    want = []
    for key, ev in enumerate(_keys(fb), 1):
        obj = "bloc" if ev.relation == "membership" else "entity"
        for year in range(first, last + 1):
            for v in verdicts(ev, parse_partial(f"{year:04d}")):  # one year at a time
                r = verdict_row(fb, v)
                group = r.get("group")
                want.append((
                    len(want) + 1, key, year, r["state"], r["state_id"], ev.object,
                    r.get("bloc_id"), r.get("entity_id"), r["status"], r["basis"],
                    r["since"], r["since_earliest"], r["since_latest"], r["until"],
                    r["until_earliest"], r["until_latest"], r["as_of"],
                    json.dumps(r.get("disputed_with", [])),
                    json.dumps(r.get("derived", []), ensure_ascii=False),
                    json.dumps(group) if group else None, r["ccode"], r["iso3"]))
                assert r[f"{obj}_id"] == ev.object
    assert len(want) > 1000 and got == want


def test_each_keys_citations_are_its_evidence_in_order(exported):
    from alliances.answers.query import evidence_cites

    con, fb = exported
    ids = [r[0] for r in con.execute("SELECT id FROM citations ORDER BY id")]
    assert ids == list(range(1, len(ids) + 1))
    got = con.execute("SELECT evidence_id, source_id, quote, status, since, until, note "
                      "FROM citations WHERE evidence_id IS NOT NULL ORDER BY id").fetchall()
    want = [(key, c["id"], c["quote"], c.get("status"), c.get("since"), c.get("until"),
             c.get("note"))
            for key, ev in enumerate(_keys(fb), 1) for c in evidence_cites(fb, ev)]
    assert want and got == want
    # the spells' citations follow the verdicts', numbered on
    last_key = con.execute("SELECT max(id) FROM citations WHERE evidence_id IS NOT NULL")
    first_spell = con.execute("SELECT min(id) FROM citations WHERE spell_id IS NOT NULL")
    assert first_spell.fetchone()[0] == last_key.fetchone()[0] + 1


def test_a_spell_is_disputed_as_its_timeline_says(exported):
    """The spells take each key's disputes from the verdicts' pass: the same as reading
    each bloc's and entity's timeline evidence again (spells.disputes_of)."""
    from alliances.answers.query import NO_FILTER
    from alliances.output.chart import lanes
    from alliances.output.spells import timeline_rows

    con, fb = exported
    recognised = {s.object for s in fb.statements if s.relation == "recognition"}
    want = []
    for kind, ident in ([("bloc", b) for b in fb.blocs]
                        + [("entity", e) for e in fb.entities if e in recognised]):
        rows = [r for r in timeline_rows(fb, kind, ident, NO_FILTER)  # disputes read again
                if r.get("status") is not None and r["object_id"] == ident]
        want += [(lane["state"], ident, sp["status"], int(bool(sp["disputes"])))
                 for lane in lanes(rows, ident) for sp in lane["spells"]]
    got = con.execute("SELECT state, object_id, status, disputed FROM spells "
                      "ORDER BY id").fetchall()
    assert got == want
    assert any(d for *_, d in want) and not all(d for *_, d in want)


def test_the_schema_lists_each_statement_as_written(exported):
    """Tables are made first and indexes and the view after the rows: the schema still
    holds each statement as the documented schema writes it, tables in their order and the
    rest in theirs."""
    from alliances.output.answers_db import ANSWERS_SCHEMA, split_schema
    from alliances.output.export import _SCHEMA

    con, _ = exported
    tables, rest = split_schema(_SCHEMA)
    answer_tables, answer_rest = split_schema(ANSWERS_SCHEMA)
    stored = con.execute("SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL "
                         "ORDER BY rowid").fetchall()
    assert [sql for t, sql in stored if t == "table"] == tables + answer_tables
    assert [sql for t, sql in stored if t != "table"] == rest + answer_rest
    assert len(rest + answer_rest) > 10 and any(s.startswith("CREATE VIEW") for s in answer_rest)


def test_an_entitys_spells_are_its_recognitions_timeline(exported):
    """The spells of a recognised entity come from the events whose object it is; the
    export asks the timeline for those alone (timeline's as_object), which must be exactly
    the rows of the whole timeline (the entity's own memberships too) about it."""
    from alliances.answers.query import NO_FILTER, timeline

    con, fb = exported
    recognised = {s.object for s in fb.statements if s.relation == "recognition"}
    assert len(recognised) >= 2
    for e in sorted(recognised):
        whole = timeline(fb, "entity", e, NO_FILTER).rows
        mine = timeline(fb, "entity", e, NO_FILTER, as_object=True).rows
        assert mine and mine == [r for r in whole if r["object_id"] == e]
    # and the entities' spells in the file are those rows' spells
    n = con.execute("SELECT count(*) FROM spells WHERE relation = 'recognition'").fetchone()[0]
    assert n > 0

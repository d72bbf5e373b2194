"""`alliances export` (sqlite, csv, json, the COW state-year panel) and the bibliography
formats of `alliances sources`, through the real CLI and through the library.

Expected facts come from reading the articles, written out here by hand:
- reuters-2008 (4 Sep 2008): "The Russia-led ODKB also includes Belarus, Armenia and the Asian
  ex-Soviet states of Kazakhstan, Uzbekistan, Tajikistan and Kyrgyzstan"; rferl-2008 and
  goodenough-2008 list the same seven; goodenough-2008: Kyrgyzstan is "a member of both the
  CSTO and SCO", and "Georgia was a member but withdrew in 1999".
- outline-2014 (3 Sep 2014): the CSTO "includes Russia, Armenia, Belarus, Kazakhstan,
  Kyrgyzstan and Tajikistan (with Serbia and Afghanistan holding an observer status)":
  Uzbekistan is not in it.
- Publication dates: outline-2014 3 Sep 2014, eurasianet-2014 2 Sep 2014, rferl-2008 4 or 5
  Sep 2008 (the text does not fix the day), reuters-2008 4 Sep 2008, goodenough-2008 5 Sep 2008.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import types

import pytest
from conftest import FIVE
from typer.testing import CliRunner

from alliances.answers.panel import CODES, PANEL_DOC, panel, panel_years
from alliances.cli import app
from alliances.facts.store import build_factbase
from alliances.output.bibliography import bib_escape, bibtex, csl_json, split_authors
from alliances.output.export import EXPORT_FORMATS, PANELS, ExportError, records, run_export

CSTO_2008 = {"Russia", "Armenia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Tajikistan",
             "Uzbekistan"}
BLOC_IDS = ["csto", "sco", "nato", "cis", "eu", "ars-grouping"]


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Never use the real cache directory; read the five-article fixture."""
    monkeypatch.setenv("ALLIANCES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ALLIANCES_DATA", FIVE)
    monkeypatch.delenv("ALLIANCES_NO_CACHE", raising=False)


@pytest.fixture(scope="module")
def fb():
    return build_factbase(FIVE)[0]


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def ok(*args):
    result = invoke(*args)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


def refused(*args, code: int = 1):
    """The export was refused: exit 1 for a write refused (the target exists, is not a
    file, its directory is missing), 2 for a usage error (a format that does not fit)."""
    result = invoke(*args)
    assert result.exit_code == code, (result.exit_code, result.stderr, result.exception)
    assert result.stderr.startswith("alliances: error: ") and result.stderr.count("\n") == 1
    return result


def test_wiring_constants():
    assert EXPORT_FORMATS == ("sqlite", "csv", "tsv", "json", "bibtex")
    assert PANELS == ("state-year", "dyad-year")


# -- sqlite ---------------------------------------------------------------------------------
def test_sqlite_export_has_every_statement_with_its_quote(tmp_path, fb):
    out = tmp_path / "facts.sqlite"
    ok("export", out, "--format", "sqlite")
    con = sqlite3.connect(out)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"sources", "entities", "blocs", "bloc_citations", "statements"} <= tables
        assert con.execute("SELECT count(*) FROM statements").fetchone()[0] == len(fb.statements)
        assert con.execute("SELECT count(*) FROM sources").fetchone()[0] == 5
        assert con.execute("SELECT count(*) FROM statements WHERE quote IS NULL OR quote = ''"
                           ).fetchone()[0] == 0
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        fks = {(r[2], r[3]) for r in con.execute("PRAGMA foreign_key_list(statements)")}
        assert {("sources", "source_id"), ("entities", "state_id"), ("blocs", "bloc_id")} <= fks
        indexed = {r[1] for r in con.execute("PRAGMA index_list(statements)")}
        assert len(indexed) >= 4
        quotes = {r[0] for r in con.execute(
            "SELECT quote FROM statements WHERE source_id = 'reuters-2008' AND bloc_id = 'csto'")}
        assert ("The Russia-led ODKB also includes Belarus, Armenia and the Asian ex-Soviet "
                "states of Kazakhstan, Uzbekistan, Tajikistan and Kyrgyzstan.") in quotes
    finally:
        con.close()


def test_sqlite_query_gives_the_2008_csto_members(tmp_path):
    out = tmp_path / "facts.sqlite"
    ok("export", out, "-f", "sqlite")
    con = sqlite3.connect(out)
    try:
        rows = con.execute("""
            SELECT DISTINCT e.name FROM statements s JOIN entities e ON e.id = s.state_id
            WHERE s.bloc_id = 'csto' AND s.status = 'member'
              AND s.stated_earliest >= '2008-01-01' AND s.stated_latest <= '2008-12-31'
              AND (s.until_latest IS NULL OR s.until_latest >= '2008-01-01')""").fetchall()
        assert {r[0] for r in rows} == CSTO_2008
        # Each 2008 article on its own lists the same seven.
        for source in ("rferl-2008", "reuters-2008", "goodenough-2008"):
            names = {r[0] for r in con.execute(
                "SELECT e.name FROM statements s JOIN entities e ON e.id = s.state_id "
                "WHERE s.bloc_id = 'csto' AND s.status = 'member' AND s.roster = 1 "
                "AND s.source_id = ?", (source,))}
            assert names == CSTO_2008, source
        # Georgia's membership is cited, but it ended in 1999.
        until = con.execute("SELECT until, until_earliest, until_latest, quote FROM statements "
                            "WHERE state_id = 'georgia' AND bloc_id = 'csto' "
                            "AND status = 'member'").fetchone()
        assert until == ("1999", "1999-01-01", "1999-12-31",
                         "Georgia was a member but withdrew in 1999")
    finally:
        con.close()


def test_sqlite_dates_open_ends_are_null_and_bounds_are_iso(tmp_path):
    out = tmp_path / "facts.sqlite"
    ok("export", out, "--format", "sqlite")
    con = sqlite3.connect(out)
    try:
        published = con.execute("SELECT published, published_earliest, published_latest "
                                "FROM sources WHERE id = 'rferl-2008'").fetchone()
        assert published == ("[2008-09-04..2008-09-05]", "2008-09-04", "2008-09-05")
        # "had recently signed the association agreement with the EU": no lower bound.
        since = con.execute("SELECT since, since_earliest, since_latest FROM statements "
                            "WHERE state_id = 'georgia' AND bloc_id = 'eu'").fetchone()
        assert since == ("[..2014-09-03]", None, "2014-09-03")
        assert con.execute("SELECT count(*) FROM statements WHERE since_earliest LIKE '0001%' "
                           "OR until_latest LIKE '9999%'").fetchone()[0] == 0
        formed = con.execute("SELECT formed_earliest, formed_latest, formed_source_id, proposed "
                             "FROM blocs WHERE id = 'csto'").fetchone()
        # "early 1990s following the breakup of the Soviet Union": December 1991 to 1993
        assert formed == ("1991-12-01", "1993-12-31", "goodenough-2008", 0)
    finally:
        con.close()


def test_sqlite_overwrites_atomically_and_leaves_no_temporary_file(tmp_path):
    out = tmp_path / "facts.sqlite"
    out.write_bytes(b"not a database")
    refused("export", out, "--format", "sqlite")  # an existing file needs --force
    assert out.read_bytes() == b"not a database"
    ok("export", out, "--format", "sqlite", "--force")
    ok("export", out, "--force")
    with sqlite3.connect(out) as con:
        assert con.execute("SELECT count(*) FROM sources").fetchone()[0] == 5
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == ["facts.sqlite"]


def test_sqlite_to_stdout_is_refused(tmp_path, fb):
    refused("export", "-", "--format", "sqlite", code=2)
    with pytest.raises(ExportError, match="standard output"):
        run_export(fb, "sqlite", "-", None)


def test_unwritable_targets_are_refused_with_export_error(tmp_path, fb):
    with pytest.raises(ExportError, match="does not exist"):
        run_export(fb, "json", str(tmp_path / "missing" / "x.json"), None)
    with pytest.raises(ExportError, match="is a directory"):
        run_export(fb, "sqlite", str(tmp_path), None)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportError, match="exists: use --force"):
        run_export(fb, "csv", str(tmp_path / "file"), None)
    with pytest.raises(ExportError, match="not a directory"):
        run_export(fb, "csv", str(tmp_path / "file"), None, force=True)
    refused("export", tmp_path / "missing" / "x.json")


# -- json and csv ---------------------------------------------------------------------------
def test_json_export_is_one_object_of_tables(tmp_path, fb):
    out = tmp_path / "facts.json"
    ok("export", out, "--format", "json")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"sources", "entities", "blocs", "statements"} <= set(data)
    assert len(data["statements"]) == len(fb.statements)
    assert data == json.loads(ok("export", "-").stdout)  # json is the default format
    st = data["statements"][0]
    for key in ("relation", "state_id", "group_bloc", "group_except", "object_id", "status",
                "since", "since_earliest", "since_latest", "until", "until_earliest",
                "until_latest", "stated", "source_id", "quote", "note", "file", "line",
                "roster", "forecast"):
        assert key in st, key
    assert isinstance(st["roster"], bool) and isinstance(st["line"], int)
    ent = {e["id"]: e for e in data["entities"]}
    assert ent["russia"]["aliases"] == ["Russian Federation"]
    assert ent["abkhazia"]["kind"] == "breakaway region"
    src = {s["id"]: s for s in data["sources"]}
    assert src["outline-2014"]["publisher"] is None and src["outline-2014"]["url"] is None


def test_csv_directory_has_one_file_per_table(tmp_path, fb):
    out = tmp_path / "facts"
    ok("export", out, "--format", "csv")
    names = sorted(p.name for p in out.iterdir())
    assert names == ["bloc_citations.csv", "blocs.csv", "entities.csv", "sources.csv",
                     "statements.csv"]
    with open(out / "statements.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(fb.statements)
    assert all(r["quote"] for r in rows)
    assert {r["roster"] for r in rows} == {"true", "false"}
    georgia = [r for r in rows if r["state_id"] == "georgia" and r["object_id"] == "eu"]
    assert georgia[0]["since_earliest"] == "" and georgia[0]["since_latest"] == "2014-09-03"
    with open(out / "blocs.csv", newline="", encoding="utf-8") as fh:
        blocs = {r["id"]: r for r in csv.DictReader(fh)}
    assert json.loads(blocs["csto"]["aliases"])[:2] == ["CSTO", "ODKB"]


def test_csv_to_stdout_is_the_statements_table(tmp_path, fb):
    result = ok("export", "-", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(fb.statements)
    assert list(rows[0])[:3] == ["id", "relation", "state_id"]


# -- the state-year panel -------------------------------------------------------------------
@pytest.fixture(scope="module")
def cells(fb):
    columns, rows = panel(fb)
    return columns, {(r["state_id"], r["year"]): r for r in rows}


def test_panel_layout(cells, fb):
    columns, table = cells
    # COW's layout leads with the state number, so the panel merges with COW data
    assert columns == ["ccode", "iso3", "state", "state_id", "year", *BLOC_IDS]
    assert table[("russia", 2008)]["ccode"] == 365 and table[("russia", 2008)]["iso3"] == "RUS"
    assert table[("abkhazia", 2008)]["ccode"] is None  # a breakaway region: no COW number
    # from the CSTO's formation ("early 1990s following the breakup of the Soviet Union")
    assert panel_years(fb) == (1991, 2014)
    assert {y for (_, y) in table} == set(range(1991, 2015))
    assert {s for (s, _) in table} == set(fb.entities)
    assert len(table) == len(fb.entities) * 24
    assert all(r[b] in CODES for r in table.values() for b in BLOC_IDS)
    assert table[("kyrgyzstan", 2008)]["state"] == "Kyrgyzstan"


@pytest.mark.parametrize("state, year, bloc, code", [
    ("kyrgyzstan", 2008, "csto", 1),   # all three 2008 lists
    ("kyrgyzstan", 2008, "sco", 1),    # "a member of both the CSTO and SCO"
    ("kyrgyzstan", 2014, "csto", 1),   # outline-2014's list
    # no article speaks of 2010, but it lies between the lists of 2008 and mt-2012, which
    # place Kyrgyzstan in the CSTO, with no end between them: bracketed, coded as COW does
    ("kyrgyzstan", 2010, "csto", 1),
    ("kyrgyzstan", 2000, "csto", -9),  # silence before the first article is not 0
    ("georgia", 1998, "csto", -9),     # a member at some time before 1999: not said when
    ("georgia", 1999, "csto", 1),      # "was a member but withdrew in 1999": rule 2
    ("georgia", 2000, "csto", 0),      # withdrawn, as goodenough-2008 states of 2000-2008
    ("georgia", 2008, "csto", 0),
    ("georgia", 2014, "csto", 0),      # withdrawn, and left out of outline-2014's list
    ("georgia", 2008, "nato", 0),      # "now wants to join NATO": an aspirant
    ("georgia", 2014, "eu", 0),        # an association agreement: a partner
    ("uzbekistan", 2008, "csto", 1),
    ("uzbekistan", 2014, "csto", -9),  # listed in 2008, left out of the 2014 list
    ("serbia", 2014, "csto", 3),       # "holding an observer status"
    ("afghanistan", 2014, "csto", 3),
    ("serbia", 2008, "csto", -9),      # no 2008 article says anything of observers
    ("serbia", 2010, "csto", -9),      # not carried back from the 2014 article
    ("belarus", 2008, "sco", 0),       # "non-SCO members Belarus and Armenia"
    ("china", 2008, "csto", 0),        # "the seven-country CSTO excludes China"
    ("china", 2008, "sco", 1),
    ("russia", 2008, "nato", -9),      # the articles never say
    ("russia", 2014, "ars-grouping", -1),  # proposed only: not in existence
])
def test_panel_codes(cells, state, year, bloc, code):
    assert cells[1][(state, year)][bloc] == code


def test_proposed_bloc_is_never_in_existence(cells):
    assert {r["ars-grouping"] for r in cells[1].values()} == {-1}


def test_panel_member_codes_agree_with_memberships(cells, fb):
    """A 1, 2 or 3 always has an article placing the state in the bloc in that year, or
    reports of one spell on both sides of it (bracketed)."""
    from alliances.answers.query import memberships
    from alliances.facts.dates import parse_partial

    status = {1: "member", 2: "associate", 3: "observer"}
    for (state, year), row in cells[1].items():
        for bloc in BLOC_IDS:
            if row[bloc] in status:
                rows = memberships(fb, state, parse_partial(str(year)), {"all"}).rows
                assert any(r["bloc_id"] == bloc and r["status"] == status[row[bloc]]
                           and r["basis"] in ("stated", "bracketed") for r in rows), (
                               state, year, bloc)


def test_panel_csv_json_and_sqlite_agree(tmp_path, cells):
    result = ok("export", "-", "--format", "csv", "--panel", "state-year")
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert reader.fieldnames == cells[0]
    from_csv = {(r["state_id"], int(r["year"])): {b: int(r[b]) for b in BLOC_IDS}
                for r in reader}
    ok("export", tmp_path / "panel.json", "--format", "json", "--panel", "state-year")
    rows = json.loads((tmp_path / "panel.json").read_text(encoding="utf-8"))
    assert isinstance(rows, list) and rows[0].keys() == set(cells[0])
    from_json = {(r["state_id"], r["year"]): {b: r[b] for b in BLOC_IDS} for r in rows}
    ok("export", tmp_path / "panel.sqlite", "--format", "sqlite", "--panel", "state-year")
    con = sqlite3.connect(tmp_path / "panel.sqlite")
    try:
        con.row_factory = sqlite3.Row
        from_sql = {(r["state_id"], r["year"]): {b: r[b] for b in BLOC_IDS}
                    for r in con.execute("SELECT * FROM state_year")}
        assert tuple(con.execute('SELECT csto, sco FROM state_year WHERE state_id = ? AND year = ?',
                           ("kyrgyzstan", 2008)).fetchone()) == (1, 1)
        assert dict(con.execute("SELECT code, meaning FROM state_year_codes").fetchall()) == CODES
    finally:
        con.close()
    expected = {k: {b: r[b] for b in BLOC_IDS} for k, r in cells[1].items()}
    assert from_csv == from_json == from_sql == expected


def test_panel_doc_states_every_code_and_the_examples():
    for code in ("-9", "-1", " 0 ", " 1 ", " 2 ", " 3 "):
        assert code in PANEL_DOC
    for example in ("Georgia", "Uzbekistan", "Kyrgyzstan", "ccode", "possible"):
        assert example in PANEL_DOC
    import alliances.output.export

    assert PANEL_DOC in alliances.output.export.__doc__


# -- bibliographies -------------------------------------------------------------------------
def _entries(text):
    return re.findall(r"@article\{([^,]+),(.*?)\n\}", text, re.S)


def test_bibtex_via_cli(fb):
    text = ok("sources", "--format", "bibtex").stdout
    entries = _entries(text)
    assert [k for k, _ in entries] == list(fb.sources)
    years = [re.search(r"year = \{(\d+)\}", body)[1] for _, body in entries]
    assert years == ["2014", "2014", "2008", "2008", "2008"]
    body = dict(entries)
    assert "date = {2008-09-04/2008-09-05}" in body["rferl-2008"]
    assert "month = sep" in body["rferl-2008"]
    assert "journal = {RFE/RL}" in body["rferl-2008"]
    assert "date = {2008-09-04}" in body["reuters-2008"]
    assert "author = {Conor Sweeney and Oleg Shchedrov}" in body["reuters-2008"]
    assert "author =" not in body["outline-2014"] and "journal =" not in body["outline-2014"]
    assert "url" not in text  # no source has a URL: none is invented
    assert all("annote = {" in b for _, b in entries)
    assert text.count("{") - text.count(r"\{") == text.count("}") - text.count(r"\}")


def test_bibtex_escapes_special_characters_and_keeps_a_given_url(fb):
    assert bib_escape("A & B 50% #1 a_b {x} \\ $5 ~ ^") == (
        r"A \& B 50\% \#1 a\_b \{x\} \textbackslash{} \$5 \textasciitilde{} "
        r"\textasciicircum{}")
    src = _replace(fb.sources["reuters-2008"], id="x", title="Tom & Jerry {50%}",
                   url="https://example.org/a_b?x=1%20")
    fake = types.SimpleNamespace(sources={"x": src})
    text = bibtex(fake)
    assert r"title = {{Tom \& Jerry \{50\%\}}}" in text
    assert "url = {https://example.org/a_b?x=1%20}" in text


def _replace(record, **changes):
    """A changed copy of a model record (a NamedTuple or a dataclass)."""
    if hasattr(record, "_replace"):
        return record._replace(**changes)
    return dataclasses.replace(record, **changes)


def test_split_authors_drops_roles():
    assert split_authors("Conor Sweeney (reporting); Oleg Shchedrov (writing)") == [
        "Conor Sweeney", "Oleg Shchedrov"]
    assert split_authors(None) == [] and split_authors("Joshua Kucera") == ["Joshua Kucera"]


def test_csl_json_via_cli(fb):
    items = json.loads(ok("sources", "--format", "csl-json").stdout)
    assert [i["id"] for i in items] == list(fb.sources)
    by = {i["id"]: i for i in items}
    assert all(i["type"] == "article-newspaper" for i in items)
    assert by["rferl-2008"]["issued"] == {"date-parts": [[2008, 9, 4], [2008, 9, 5]]}
    assert by["reuters-2008"]["issued"] == {"date-parts": [[2008, 9, 4]]}
    assert by["outline-2014"]["issued"] == {"date-parts": [[2014, 9, 3]]}
    assert by["reuters-2008"]["author"] == [{"literal": "Conor Sweeney"},
                                            {"literal": "Oleg Shchedrov"}]
    assert by["eurasianet-2014"]["container-title"] == "Eurasianet"
    assert "author" not in by["outline-2014"] and "container-title" not in by["outline-2014"]
    assert all("URL" not in i and i["annote"] and "note" not in i for i in items)
    assert csl_json(fb) == ok("sources", "--format", "csl-json").stdout


# -- start-up -------------------------------------------------------------------------------
def test_module_imports_nothing_heavy():
    code = ("import sys, alliances.output.export; "
            "print(sorted(m for m in ('sqlite3', 'csv', 'yaml', 'typer', 'rich', 'tempfile', "
            "'alliances.answers.query') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True).stdout.strip()
    assert out == "[]"


def test_records_match_the_fact_base(fb):
    tables = records(fb)
    assert len(tables["statements"]) == len(fb.statements)
    assert [s["id"] for s in tables["sources"]] == list(fb.sources)
    assert {b["id"] for b in tables["blocs"]} == set(BLOC_IDS)



# -- the format from the name, and no silent overwrite (issue 13) ----------------------------
def test_the_extension_decides_the_format(tmp_path, fb):
    ok("export", tmp_path / "g.sqlite")
    with sqlite3.connect(tmp_path / "g.sqlite") as con:
        assert con.execute("SELECT count(*) FROM statements").fetchone()[0] == len(fb.statements)
    ok("export", tmp_path / "g.db")
    assert (tmp_path / "g.db").read_bytes().startswith(b"SQLite format 3")
    ok("export", tmp_path / "g.json")
    assert json.loads((tmp_path / "g.json").read_text("utf-8"))["statements"]
    ok("export", tmp_path / "s.csv")
    assert (tmp_path / "s.csv").read_text("utf-8").startswith("id,relation,")
    ok("export", tmp_path / "s.tsv")
    assert (tmp_path / "s.tsv").read_text("utf-8").startswith("id\trelation\t")
    ok("export", tmp_path / "p.tsv", "--panel", "state-year")
    header = (tmp_path / "p.tsv").read_text("utf-8").splitlines()[0].split("\t")
    assert header[:5] == ["ccode", "iso3", "state", "state_id", "year"] and "csto" in header
    ok("export", tmp_path / "refs.bib")
    bib = (tmp_path / "refs.bib").read_text("utf-8")
    assert "@article{reuters-2008," in bib or "reuters-2008" in bib


def test_a_format_that_contradicts_the_name_or_no_format_is_refused(tmp_path):
    r = refused("export", tmp_path / "g.sqlite", "--format", "json", code=2)
    assert "does not match" in r.stderr and not (tmp_path / "g.sqlite").exists()
    r = refused("export", tmp_path / "notes.txt", code=2)
    assert "--format" in r.stderr and not (tmp_path / "notes.txt").exists()


def test_an_existing_file_is_replaced_only_with_force(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes", "utf-8")
    r = refused("export", notes, "--format", "sqlite")
    assert "--force" in r.stderr and notes.read_text("utf-8") == "my notes"
    ok("export", notes, "--format", "sqlite", "--force")
    assert notes.read_bytes().startswith(b"SQLite format 3")
    d = tmp_path / "tables"
    ok("export", d, "--format", "tsv")
    assert (d / "statements.tsv").exists()
    refused("export", d, "--format", "tsv")
    ok("export", d, "--format", "tsv", "--force")


NOTE_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Notes shown</title><id>notes-shown</id>
    <updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><text variable="title" suffix=". "/><text variable="author"
    suffix=". "/><text variable="note"/></layout></bibliography>
</style>
"""


def _pandoc_references(tmp_path, bib: str, ext: str) -> str:
    """The reference list pandoc --citeproc renders from a bibliography of ours."""
    import shutil
    import subprocess

    pandoc = shutil.which("pandoc")
    if pandoc is None:
        pytest.skip("pandoc is not installed (CI installs it from Debian's packages)")
    refs = tmp_path / f"refs.{ext}"
    refs.write_text(bib, "utf-8")
    doc = tmp_path / "doc.md"
    doc.write_text("---\nnocite: '@*'\n---\n\nText.\n", "utf-8")
    # A style that prints `note` after the title, as APA, IEEE and others do for some item
    # types: whatever sits in `note` ends up in a paper's reference list.
    style = tmp_path / "notes-shown.csl"
    style.write_text(NOTE_STYLE, "utf-8")
    r = subprocess.run([pandoc, str(doc), "--citeproc", "--csl", str(style), "--bibliography",
                        str(refs), "-t", "plain"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return " ".join(r.stdout.split())


@pytest.mark.parametrize("fmt, ext", [("bibtex", "bib"), ("csl-json", "json")])
def test_pandoc_cites_every_source_without_the_curators_notes(tmp_path, fb, fmt, ext):
    out = ok("sources", "--format", fmt).stdout
    text = _pandoc_references(tmp_path, out, ext)
    # the headlines as the articles give them (the style may change their capitals)
    for title in ("Russia allies fail to back Moscow on enclaves",
                  "Russia Seeks Backing Over Georgia At CSTO Summit"):
        assert title.lower() in text.lower()
    # the curators' date notes stay out of the printed references
    for s in fb.sources.values():
        assert " ".join(s.date_note.split())[:40] not in text
    assert "day first" not in text and "archive copy" not in text

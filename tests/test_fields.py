"""Formats and fields: row fields declared once (output/fields.py), every row-answering
command in every format, csv/tsv/plain/table as scripts read them, the options bundle
every command shares, --fields, --basis and explain."""

from __future__ import annotations

import csv
import io
import json
import os
import re

import pytest
import typer.main

from alliances.cli import app
from alliances.output.fields import KINDS, flat_fields, json_keys

# How to get rows out of each command on the shipped data; the list of commands itself is
# the app's (a command added without an entry here fails test_every_command_is_covered).
ARGS = {
    "members": ["CSTO", "--all"], "recognizes": ["Abkhazia", "--all"],
    "recognitions": ["Belarus", "--all"], "memberships": ["Georgia", "--all"],
    "compare": ["CSTO", "SCO"], "shared": ["Russia", "Kyrgyzstan"], "timeline": ["Georgia"],
    "changes": ["CSTO", "--from", "2008", "--to", "2014", "--all"],
    # (the fixture has no dispute since a later list that omits a state is a change, R4b)
    "disputes": ["--data", "data"],
    "claims": ["--source", "goodenough-2008"], "search": ["Russia"], "blocs": [],
    "states": [], "sources": [], "explain": ["Uzbekistan", "CSTO", "--as-of", "2014"],
    "crosscheck": ["tests/data/cow_csto_sco.csv"],
}
# Commands that write no rows of a kind (a document, a file, a draft, a report).
NOT_ROWS = {"source", "check", "export", "init", "add-article", "quote", "draft", "apply",
            "chart"}  # they write files, an SVG, YAML or a report, not rows


def _commands() -> dict:
    group = typer.main.get_command(app)
    return {name: cmd for name, cmd in group.commands.items() if not cmd.hidden}


def test_every_command_is_covered():
    assert set(_commands()) == set(ARGS) | NOT_ROWS


@pytest.mark.parametrize("command", sorted(ARGS))
def test_every_emitted_row_matches_its_declaration(cli, command, monkeypatch):
    monkeypatch.chdir(__import__("os").path.dirname(__import__("os").path.dirname(__file__)))
    kind = KINDS[command]
    rows = cli.json(command, *ARGS[command])
    assert rows, command
    every, may = json_keys(kind)
    for row in rows:
        keys = set(row)
        assert every <= keys, (command, every - keys)
        assert keys <= may, (command, keys - may)
        assert not any(k.startswith("_") for k in keys)
    header = next(csv.reader(io.StringIO(cli(command, *ARGS[command], "-f", "csv").stdout)))
    assert tuple(header) == flat_fields(kind)
    # the declaration is what --help lists
    assert ", ".join(f for f in kind.fields if f not in kind.leading) in \
        " ".join(cli(command, "--help").stdout.split())


def test_leading_fields_come_when_asked(cli):
    rows = cli.json("members", "CSTO", "--as-of", "2007..2008", "--each-year")
    assert rows and all(list(r)[0] == "year" for r in rows)
    header = cli("members", "CSTO", "--as-of", "2007..2008", "--each-year", "-f", "tsv").stdout
    assert header.split("\n")[0].split("\t")[:2] == ["year", "state"]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv"])
def test_fields_picks_fields_in_order_in_every_format(cli, fmt):
    out = cli("members", "CSTO", "--as-of", "2008", "--fields", "state,ccode,sources",
              "-f", fmt).stdout
    if fmt in ("json", "jsonl"):
        rows = json.loads(out) if fmt == "json" else [json.loads(x) for x in out.splitlines()]
        assert [list(r) for r in rows] == [["state", "ccode", "sources"]] * len(rows)
        russia = next(r for r in rows if r["state"] == "Russia")
        assert russia["ccode"] == 365 and russia["sources"][0]["quote"]
    else:
        sep = "," if fmt == "csv" else "\t"
        lines = out.splitlines()
        assert lines[0].split(sep) == ["state", "ccode", "sources"]
        assert any(line.startswith(f"Russia{sep}365{sep}") for line in lines)


def test_an_unknown_field_is_a_usage_error_that_lists_the_fields(cli):
    r = cli("members", "CSTO", "--fields", "state,sinse", code=2)
    assert r.stderr.count("\n") == 1 and "unknown field 'sinse'" in r.stderr
    assert "did you mean 'since'" in r.stderr
    assert "members rows have: state, bloc, status" in r.stderr
    assert "'year'" not in r.stderr.split("have:")[1]  # only when --each-year asks for it
    assert "--fields needs field names" in cli("timeline", "CSTO", "--fields", ",", code=2).stderr


def test_basis_filters_rows_on_every_query(cli):
    everything = cli.json("members", "CSTO", "--as-of", "2020", "--all")
    assert {r["basis"] for r in everything} == {"possible"}  # only carried forward to 2020
    assert cli.json("members", "CSTO", "--as-of", "2020", "--all", "--basis", "stated") == []
    assert cli.json("members", "CSTO", "--as-of", "2020", "--all", "--basis",
                    "stated,possible") == everything
    pair = cli.json("compare", "CSTO", "SCO", "--basis", "stated")
    assert pair and all("stated" in (r["basis_a"], r["basis_b"]) for r in pair)
    r = cli("recognizes", "Abkhazia", "--basis", "sure", code=2)
    assert "unknown basis 'sure' for --basis: use stated, bracketed, possible, disputed" in r.stderr


def test_no_color_holds_for_one_run_only(cli):
    # in one process: a --no-color run, then a run that forces colour, must colour
    cli("members", "CSTO", "--as-of", "2008", "-f", "table", "--no-color")
    r = cli.runner.invoke(app, ["members", "CSTO", "--as-of", "2008", "-f", "table"],
                          env={"FORCE_COLOR": "1", "NO_COLOR": None, "TERM": "xterm"})
    assert "\x1b[" in r.stdout
    r = cli.runner.invoke(app, ["members", "CSTO", "--as-of", "2008", "-f", "table",
                                "--no-color"], env={"FORCE_COLOR": "1", "NO_COLOR": None})
    assert "\x1b[" not in r.stdout


def test_formats_are_case_insensitive_for_check_and_source(cli):
    assert json.loads(cli("check", "-f", "JSON").stdout)["problems"] == []
    assert json.loads(cli("source", "reuters-2008", "-f", "JSON").stdout)["id"] == "reuters-2008"
    assert "use one of text, json" in cli("check", "-f", "xml", code=2).stderr


def test_help_lists_the_exit_codes(cli):
    out = cli("--help").stdout
    assert "Exit codes:" in out
    for code in ("0 ", "1 ", "2 ", "130 ", "141 "):
        assert f"\n    {code}" in out


def test_explain_says_which_articles_set_each_part(cli):
    rows = cli.json("explain", "Uzbekistan", "CSTO", "--as-of", "2014")
    parts = {r["part"]: r for r in rows if r["part"] != "combined"}
    # outline-2014's complete list leaves Uzbekistan out: not-listed, stated by that list
    assert parts["status"]["value"] == "not-listed"
    assert [s["id"] for s in parts["status"]["sources"]] == ["outline-2014"]
    assert parts["basis"]["value"] == "stated"
    assert "2014-09-03" in parts["since"]["why"]   # the list's date bounds its start
    combined = [r for r in rows if r["part"] == "combined"]
    assert {r["sources"][0]["id"] for r in combined} == {
        "reuters-2008", "rferl-2008", "goodenough-2008", "outline-2014"}


def test_explain_a_recognition_and_its_bounds(cli):
    rows = cli.json("explain", "Belarus", "Abkhazia", "--as-of", "2008-09")
    since = next(r for r in rows if r["part"] == "since" and r["value"])
    # the three 2008 articles each date the refusal to the meeting of 4 September 2008
    assert since["value"] == "2008-09-04"
    assert {s["id"] for s in since["sources"]} == {"reuters-2008", "rferl-2008",
                                                    "goodenough-2008"}
    assert "is a state" in cli("explain", "Belarus", "Russia", code=2).stderr
    assert "did you mean" in cli("explain", "Belarus", "Abkhazya", code=1).stderr


# -- every format, as scripts read them ------------------------------------------------
CSTO_2008 = {"Russia", "Armenia", "Belarus", "Kyrgyzstan", "Kazakhstan", "Tajikistan",
             "Uzbekistan"}  # the three 2008 articles' lists (test_core.py)


def test_every_query_command_takes_every_format(cli, monkeypatch):
    monkeypatch.chdir(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    # the commands whose answers are rows, taken from the app (each has its ARGS above),
    # answer in every format
    group = typer.main.get_command(app)
    tabular = [n for n, c in group.commands.items() if not c.hidden and any(
        "--format" in p.opts and (p.help or "").startswith("table | json | jsonl | csv | tsv")
        for p in c.params)]
    assert len(tabular) > 10 and set(tabular) <= set(ARGS)
    for name in tabular:
        for fmt in ("table", "json", "jsonl", "csv", "tsv", "plain"):
            r = cli(name, *ARGS[name], "--format", fmt)
            assert r.stdout.strip() and "error" not in r.stderr, (name, fmt, r.stderr)


def test_csv_and_tsv_have_the_json_field_names(cli):
    json_rows = cli.json("members", "CSTO", "--as-of", "2008")
    out = cli("members", "CSTO", "--as-of", "2008", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert set(json_rows[0]) - {"sources"} <= set(rows[0])
    assert {r["state"] for r in rows} == CSTO_2008
    assert "Belarus, Armenia" in rows[0]["quotes"]
    tsv = cli("members", "CSTO", "--as-of", "2008", "--format", "tsv").stdout.splitlines()
    assert tsv[0].split("\t")[:3] == ["state", "bloc", "status"]
    assert len(tsv) == 8 and all(len(line.split("\t")) == len(tsv[0].split("\t")) for line in tsv)


def test_plain_is_one_name_per_line(cli):
    out = cli("members", "CSTO", "--as-of", "2008", "--format", "plain").stdout
    assert sorted(out.splitlines()) == sorted(CSTO_2008)


def test_table_has_citations_and_no_escape_codes_when_not_a_terminal(cli):
    out = cli("members", "CSTO", "--as-of", "2008", "--format", "table").stdout
    assert "Uzbekistan" in out and "[1]" in out and "reuters-2008" in out
    assert "\x1b" not in out


def test_default_format_when_piped_is_tsv(cli):
    out = cli("recognizes", "South Ossetia").stdout
    assert out.splitlines()[0].startswith("state\tentity\tstatus")


def test_unknown_format_is_a_usage_error(cli):
    r = cli("members", "CSTO", "--format", "xml", code=2)
    assert "unknown format 'xml'" in r.stderr


@pytest.mark.shipped
def test_every_citation_says_the_status_it_supports_in_every_format(cli, monkeypatch):
    # a `recognizes` row also cites the articles that said `not-yet` (or a withdrawal):
    # each format says which citation gives which status
    monkeypatch.setenv("COLUMNS", "400")
    rows = cli.json("recognizes", "Abkhazia")
    mixed = [r for r in rows if len({s["status"] for s in r["sources"]}) > 1]
    assert mixed and all(s.get("status") for r in rows for s in r["sources"])
    # csv: each id with its statuses
    flat = {r["state"]: r["sources"] for r in csv.DictReader(io.StringIO(
        cli("recognizes", "Abkhazia", "-f", "csv").stdout))}
    for r in mixed:
        said: dict = {}
        for s in r["sources"]:
            said.setdefault(s["id"], set()).add(s["status"])
        got = {i: set(st.split("/")) for i, _, st in
               (x.partition(":") for x in flat[r["state"]].split(";"))}
        assert got == said, r["state"]
    # table: each footnote names its status, and the row groups its footnotes under it
    out = cli("recognizes", "Abkhazia", "-f", "table", "--no-color").stdout
    notes = {int(m[1]): (m[2], m[3]) for m in re.finditer(
        r"(?m)^\[(\d+)\] (\S+) \((?:\[[^\]]*\]|[^,)]*), ([a-z-]+)\): “", out)}
    assert notes and max(notes) == len(notes)
    for r in mixed:
        line = next(x for x in out.splitlines() if x.startswith(f"│ {r['state']} "))
        cell = line.rstrip(" │").rsplit("│", 1)[1]
        cited = set()
        for group in cell.split(";"):
            status, _, refs = group.strip().rpartition(": ")
            for n in re.findall(r"\[(\d+)\]", refs):
                assert notes[int(n)][1] == status, (r["state"], n)
                cited.add(notes[int(n)])
        assert cited == {(s["id"], s["status"]) for s in r["sources"]}, r["state"]
    # a bloc's citations say whether they name it or date its formation
    assert {s["status"] for b in cli.json("blocs") for s in b["sources"]} <= {"named", "formed"}

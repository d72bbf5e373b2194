"""Large answers stream: rows are written as they are produced, byte for byte the same as
from a list, and json and jsonl say the same thing."""

from __future__ import annotations

import io
import json

import pytest
from conftest import FIVE

from alliances.answers.query import disputes, members
from alliances.facts.store import build_factbase
from alliances.output.render import write

FB = build_factbase(FIVE)[0]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv", "plain"])
@pytest.mark.parametrize("view, rows", [
    ("disputes", lambda: disputes(FB).rows),
    ("members", lambda: members(FB, "csto", None, {"all"}).rows),
    ("members", lambda: iter([])),
])
def test_streamed_output_is_byte_identical_to_a_list(fmt, view, rows):
    as_list = list(rows())
    a, b = io.StringIO(), io.StringIO()
    n = write(iter(rows()), view, fmt, out=a)
    m = write(as_list, view, fmt, out=b)
    assert a.getvalue() == b.getvalue() and n == m == len(as_list)
    if fmt == "json":
        assert json.loads(a.getvalue()) == as_list
    if fmt == "jsonl":
        assert [json.loads(line) for line in a.getvalue().splitlines()] == as_list


def test_disputes_is_produced_row_by_row(cli):
    from alliances.facts.paths import default_data_dir
    from alliances.facts.store import load

    shipped = default_data_dir()
    rows = disputes(load(shipped)).rows
    assert not isinstance(rows, list)  # a generator: nothing is held that is written
    first = next(iter(rows))
    assert first["kind"] in ("omission", "status", "date")
    # jsonl through the CLI: one object per line, the same rows as json
    lines = cli("disputes", "--format", "jsonl", "--data", shipped).stdout.splitlines()
    assert [json.loads(x) for x in lines] == cli.json("disputes", "--data", shipped)
    # Nicaragua's recognition, dated 2 September 2008 by trend-2008 and 5 by dfwatch-2014
    assert any(json.loads(x)["state"] == "Nicaragua" for x in lines)


def test_json_escapes_what_a_terminal_or_a_javascript_reader_must_not_see_raw():
    out = io.StringIO()
    row = {"state": "A\u202eB\u2028C\x9bD\x1b[31m", "status": "member", "sources": []}
    write([row], "members", "json", out=out)
    text = out.getvalue()
    for raw in ("\u202e", "\u2028", "\x9b", "\x1b"):
        assert raw not in text
    assert json.loads(text)[0]["state"] == row["state"]


@pytest.mark.parametrize("accelerated", [True, False])
def test_a_json_row_is_the_text_json_itself_writes(monkeypatch, accelerated):
    # render writes rows by the C encoder without importing json (start-up); its text must
    # be json.JSONEncoder(ensure_ascii=False)'s, byte for byte, and the same where the
    # accelerator is missing or takes other arguments
    from alliances.output import render

    if not accelerated:
        import _json

        monkeypatch.setattr(_json, "make_encoder", lambda *a: (_ for _ in ()).throw(
            TypeError("another signature")))
    rows = [{"state": "Кыргызстан \u00e9\"\\/\t\n\x00\u2028", "n": 7, "big": 10 ** 30,
             "f": 0.1, "neg": -2.5e-7, "ok": True, "no": False, "none": None,
             "sources": [{"id": "a", "quote": "«x»", "since": None}, {}], "empty": [],
             "nested": {"members_of": ["b", "c"], "except": []}, "ü": "key"}]
    encode = render.row_encoder()
    reference = json.JSONEncoder(ensure_ascii=False).encode
    assert [encode(r) for r in rows] == [reference(r) for r in rows]
    with pytest.raises(TypeError, match="not JSON serializable"):
        encode({"x": object()})
    out = io.StringIO()
    write(rows, "members", "jsonl", out=out)
    assert [json.loads(x) for x in out.getvalue().splitlines()][0]["state"] == rows[0]["state"]


def _stdin(cli, names, *args):
    return cli.runner.invoke(__import__("alliances.cli", fromlist=["app"]).app,
                             [str(a) for a in args], input="".join(n + "\n" for n in names))


@pytest.mark.parametrize("command, names, extra", [
    ("memberships", ["Russia", "Kyrgyzstan", "georgia", "Serbia", "Uzbekistan"],
     ["--as-of", "2014", "--all"]),
    ("members", ["CSTO", "sco", "NATO"], ["--as-of", "2008"]),
    ("recognizes", ["Abkhazia", "South Ossetia"], ["--all"]),
    ("timeline", ["Georgia", "CSTO"], []),
])
def test_names_from_stdin_answer_as_if_asked_alone(cli, command, names, extra):
    r = _stdin(cli, names, command, "-", *extra, "--format", "jsonl")
    assert r.exit_code == 0, r.stderr
    got = [json.loads(line) for line in r.stdout.splitlines()]
    expected = [{"query": n, **row} for n in names for row in cli.json(command, n, *extra)]
    assert got == expected and got


def test_an_unknown_name_from_stdin_is_an_error_line_and_nothing_is_lost(cli):
    r = _stdin(cli, ["Russia", "Atlantis", "Kyrgyzstan"], "memberships", "-", "--as-of", "2008",
               "--format", "tsv")
    assert r.exit_code == 1
    assert [line for line in r.stderr.splitlines() if line.startswith("alliances: error:")] == [
        "alliances: error: unknown state or entity 'Atlantis' (see 'alliances states')"]
    lines = r.stdout.splitlines()
    assert lines[0].split("\t")[0] == "query"
    asked = {line.split("\t")[0] for line in lines[1:]}
    assert asked == {"Russia", "Kyrgyzstan"}  # both answered, in the articles' 2008 lists

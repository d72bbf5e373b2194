"""Large answers stream: rows are written as they are produced, byte for byte the same as
from a list, and json and jsonl say the same thing."""

from __future__ import annotations

import io
import json

import pytest

from alliances.query import disputes, members
from alliances.render import write
from alliances.store import build_factbase, default_data_dir

FB = build_factbase(default_data_dir())[0]


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
    rows = disputes(FB).rows
    assert not isinstance(rows, list)  # a generator: nothing is held that is written
    first = next(iter(rows))
    assert first["kind"] in ("omission", "status", "date")
    # jsonl through the CLI: one object per line, the same rows as json
    lines = cli("disputes", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(x) for x in lines] == cli.json("disputes")
    # Uzbekistan, listed in 2008, left out in 2014 (outline-2014)
    assert any(json.loads(x)["state"] == "Uzbekistan" for x in lines)


def test_json_escapes_what_a_terminal_or_a_javascript_reader_must_not_see_raw():
    out = io.StringIO()
    row = {"state": "A\u202eB\u2028C\x9bD\x1b[31m", "status": "member", "sources": []}
    write([row], "members", "json", out=out)
    text = out.getvalue()
    for raw in ("\u202e", "\u2028", "\x9b", "\x1b"):
        assert raw not in text
    assert json.loads(text)[0]["state"] == row["state"]

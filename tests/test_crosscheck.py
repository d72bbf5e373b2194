"""crosscheck reads COW files as distributed and as igoR writes them (issue 24)."""

from __future__ import annotations

import csv
import json
import os

from test_codes import COW_FIXTURE

HERE = os.path.dirname(os.path.abspath(__file__))
# COW IGO v3 codes for the CSTO and the SCO, 1992-2014, long layout, from igoR's data
# (provenance: cow_csto_sco.README.txt beside it).
LONG = os.path.join(HERE, "data", "cow_csto_sco.csv")


def _write(tmp_path, text, name="igo.csv"):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def _summary(r) -> str:
    return r.stderr.strip().splitlines()[-1]


def test_upper_case_headers_compare_as_lower_case_ones(cli, tmp_path):
    lower = _write(tmp_path, COW_FIXTURE, "lower.csv")
    upper = _write(tmp_path, COW_FIXTURE.replace("ccode,state,year,csto,sco,nato",
                                                 "CCODE,STATE,YEAR,CSTO,SCO,NATO"), "upper.csv")
    a, b = cli.json("crosscheck", lower), cli.json("crosscheck", upper)
    assert a and [(r["state_id"], r["year"], r["bloc_id"], r["result"]) for r in a] == \
        [(r["state_id"], r["year"], r["bloc_id"], r["result"]) for r in b]


def test_the_long_igor_file_crosschecks_cell_by_cell(cli):
    rows = cli.json("crosscheck", LONG)
    with open(LONG, encoding="utf-8") as fh:
        cells = {(int(r["ccode"]), int(r["year"]), r["ioname"].lower()): int(r["status"])
                 for r in csv.DictReader(fh)}
    assert rows
    for r in rows:  # every row is one cell of the file, with COW's code for it
        assert cells[(r["ccode"], r["year"], r["bloc_id"])] == r["cow"]
    results = {(r["state_id"], r["year"], r["bloc_id"]): r["result"] for r in rows}
    # the three 2008 articles list Russia in the CSTO, and COW codes it 1
    assert results[("russia", 2008, "csto")] == "agree"
    # goodenough-2008: "non-SCO members Belarus and Armenia", and COW's 0 for Armenia
    assert results[("armenia", 2008, "sco")] == "agree"
    r = cli("crosscheck", LONG, "-f", "plain")
    summary = _summary(r)
    assert "long file" in summary and "COW IGOs: CSTO, SCO" in summary
    n = {k: sum(v == k for v in results.values()) for k in ("agree", "disagree", "silent")}
    assert summary.startswith(f"crosscheck: {n['agree']} agree, {n['disagree']} disagree, "
                              f"{n['silent']} silent")


def test_the_summary_counts_cells_skipped_for_unknown_states_and_igos(cli, tmp_path):
    # 999 is no state of the fact base (3 cells); the xyz column is no bloc's (7 known rows)
    text = COW_FIXTURE.replace("ccode,state,year,csto,sco,nato",
                               "ccode,state,year,csto,sco,nato,XYZ")
    text = "\n".join(line + ",0" if line and not line.startswith("ccode") else line
                     for line in text.split("\n"))
    r = cli("crosscheck", _write(tmp_path, text), "-f", "json")
    summary = _summary(r)
    # rows of 999 hold 4 IGO cells; the 9 known rows' XYZ cells; 1980's 3 bloc cells
    assert "skipped 16 COW cells: 4 of states the fact base does not have, 9 of IGOs it does " \
           "not have, 3 of years outside" in summary, summary
    assert not any(row["state_id"] is None for row in json.loads(r.stdout))


def test_a_file_whose_igos_are_no_bloc_is_an_error(cli, tmp_path):
    path = _write(tmp_path, "ccode,state,year,opec,asean\n365,RUS,2008,0,0\n")
    r = cli("crosscheck", path, code=1)
    assert r.stderr.startswith("alliances: error: ") and r.stderr.count("\n") == 1
    assert "none of the file's IGOs is a bloc" in r.stderr and "opec, asean" in r.stderr
    assert "csto" in r.stderr  # the names it would have matched
    long = _write(tmp_path, "ioname,ccode,year,status\nOPEC,365,2008,0\n", "long.csv")
    assert "none of the file's IGOs" in cli("crosscheck", long, code=1).stderr


def test_a_long_file_without_a_code_column_is_one_line(cli, tmp_path):
    path = _write(tmp_path, "ioname,ccode,year\nCSTO,365,2008\n")
    r = cli("crosscheck", path, code=1)
    assert f"{path}:1: a long COW file" in r.stderr and r.stderr.count("\n") == 1
    bad = _write(tmp_path, "ioname,ccode,year,status\nCSTO,365,2008,7\n", "bad.csv")
    assert f"{bad}:2: ioname 'CSTO': 7 is not a COW code" in cli("crosscheck", bad, code=1).stderr

"""COW state numbers and ISO 3166-1 codes: on every row and export, accepted as names,
verified by `check`. The numbers are the Correlates of War's public state list (Russia 365,
Kyrgyzstan 703, Uzbekistan 704) and ISO 3166-1."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("code", ["365", "RUS", "rus", "RU", "Russia"])
def test_a_state_is_found_by_its_codes(cli, code):
    assert cli.json("memberships", code, "--as-of", "2008") == \
        cli.json("memberships", "Russia", "--as-of", "2008")


def test_rows_carry_ccode_and_iso3(cli):
    rows = {r["state"]: r for r in cli.json("members", "CSTO", "--as-of", "2014", "--all")}
    assert (rows["Kyrgyzstan"]["ccode"], rows["Kyrgyzstan"]["iso3"]) == (703, "KGZ")
    assert (rows["Uzbekistan"]["ccode"], rows["Uzbekistan"]["iso3"]) == (704, "UZB")
    assert all(r["ccode"] and r["iso3"] for r in rows.values())
    tsv = cli("members", "CSTO", "--as-of", "2008", "-f", "tsv").stdout.splitlines()
    header = tsv[0].split("\t")
    assert "ccode" in header and "iso3" in header
    compare = {r["state"]: r for r in cli.json("compare", "CSTO", "SCO", "--as-of", "2008")}
    assert compare["Russia"]["ccode"] == 365
    recognizers = {r["state"]: r for r in cli.json("recognizes", "Abkhazia", "--all",
                                                   "--as-of", "1995")}
    # "The republics were not officially recognized": a group, answered state by state
    assert "every state" not in recognizers and recognizers
    assert all(r["state_id"] and r["ccode"] for r in recognizers.values())


def _edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def _line_of(path, needle):
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                if needle in line)


@pytest.mark.parametrize("old, new, says", [
    ("iso3: RUS, iso2: RU", "iso3: RUX, iso2: RU", "iso3 'RUX' is not an ISO 3166-1 alpha-3"),
    ("iso3: RUS, iso2: RU", "iso3: RUS, iso2: FR", "iso3 RUS is Russian Federation, but iso2 FR"),
    ("iso3: RUS, iso2: RU", "iso3: rus, iso2: RU", "iso3 must be 3 capital letters"),
])
def test_check_rejects_a_wrong_iso_code_with_file_and_line(cli, data_copy, old, new, says):
    blocs = data_copy / "blocs.yaml"
    _edit(blocs, old, new)
    line = _line_of(blocs, "  russia: {ccode:")
    r = cli("check", "--data", data_copy, code=1)
    problem = next(p for p in r.stdout.splitlines() if "russia" in p)
    assert problem.startswith(f"blocs.yaml:{line}:") and says in problem


def test_a_ccode_used_twice_or_codes_for_no_entity_are_refused(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    _edit(blocs, "ccode: 703,", "ccode: 365,")
    _edit(blocs, "  china: {ccode:", "  chima: {ccode:")
    out = cli("check", "--data", data_copy, code=1).stdout
    assert "ccode 365 is already 'russia'" in out
    assert "codes for unknown entity 'chima'" in out and "did you mean 'china'" in out


def test_check_reads_pycountry_only_in_check(tmp_path):
    import os
    import subprocess
    import sys

    code = ("import sys; from alliances.cli import main; sys.argv=['alliances','members','CSTO',"
            "'-f','json']\ntry:\n main()\nexcept SystemExit: pass\n"
            "assert 'pycountry' not in sys.modules"
            " and 'alliances.facts.validate' not in sys.modules")
    env = {**os.environ, "ALLIANCES_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("ALLIANCES_NO_CACHE", None)
    subprocess.run([sys.executable, "-m", "alliances", "check"], env=env, capture_output=True,
                   timeout=60)
    # a query served from the cache reads neither the validator nor the ISO tables
    subprocess.run([sys.executable, "-m", "alliances", "states"], env=env, capture_output=True,
                   timeout=60)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       env=env)
    assert r.returncode == 0, r.stderr


def test_each_year_agrees_with_single_year_calls(cli):
    import csv
    import io

    out = cli("members", "CSTO", "--as-of", "2005..2014", "--each-year", "-f", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and list(rows[0])[0] == "year"
    for year in range(2005, 2015):
        single = cli("members", "CSTO", "--as-of", str(year), "-f", "csv").stdout
        expected = list(csv.DictReader(io.StringIO(single)))
        got = [{k: v for k, v in r.items() if k != "year"} for r in rows if r["year"] == str(year)]
        assert got == expected, year
    # the 2008 lists name seven members; outline-2014's, six (Uzbekistan left out)
    assert sum(r["year"] == "2008" for r in rows) == 7
    assert sum(r["year"] == "2014" and r["basis"] == "stated" for r in rows) == 6
    assert not any(r["year"] in ("2005", "2006", "2007") for r in rows)  # never carried back


def test_an_interval_is_one_period(cli):
    from alliances.facts.dates import DateError, parse_period

    p = parse_period("2008-08..2008-09")
    assert (p.earliest.isoformat(), p.latest.isoformat(), p.label) == (
        "2008-08-01", "2008-09-30", "2008-08..2008-09")
    assert parse_period("..2008").latest.isoformat() == "2008-12-31"
    with pytest.raises(DateError):
        parse_period("2014..2005")
    # an interval holding Russia's decree days answers as any period does
    assert cli.names("recognizes", "Abkhazia", "--as-of", "2008-07..2008-08") == {
        "Russia", "Nicaragua"}
    assert cli.names("recognizes", "Abkhazia", "--as-of", "..2008-08-24") == set()
    r = cli("members", "CSTO", "--each-year", code=2)
    assert "--each-year needs --as-of" in r.stderr
    cli("members", "CSTO", "--as-of", "2008..", "--each-year", code=2)


@pytest.mark.parametrize("dots, slash", [
    ("2005..2014", "2005/2014"), ("2008-07..2008-08", "2008-07/2008-08"),
    ("..2008-08-24", "../2008-08-24"), ("..2008", "/2008"), ("2008..", "2008/.."),
    ("2008-09-04..", "2008-09-04/")])
def test_an_edtf_interval_is_the_same_period(cli, dots, slash):
    # EDTF writes an interval with a slash (open ends `..` or empty): every option that
    # takes a period answers it as the `..` spelling, label included
    from alliances.facts.dates import parse_period

    assert parse_period(slash) == parse_period(dots)
    for args in (["recognizes", "Abkhazia", "--all", "--as-of"],
                 ["members", "CSTO", "--all", "--as-of"], ["recognizes", "Abkhazia", "--known-at"],
                 ["compare", "CSTO", "SCO", "--as-of"]):
        assert cli(*args, slash, "-f", "json").stdout == cli(*args, dots, "-f", "json").stdout


def test_edtf_intervals_with_each_year_chart_and_changes(cli):
    assert cli("members", "CSTO", "--as-of", "2005/2008", "--each-year", "-f", "csv").stdout == \
        cli("members", "CSTO", "--as-of", "2005..2008", "--each-year", "-f", "csv").stdout
    assert cli("changes", "CSTO", "--from", "2005/2006", "--to", "2014", "-f", "json").stdout == \
        cli("changes", "CSTO", "--from", "2005..2006", "--to", "2014", "-f", "json").stdout
    assert cli("chart", "CSTO", "--as-of", "2005/2010", "-o", "-").stdout == \
        cli("chart", "CSTO", "--as-of", "2005..2010", "-o", "-").stdout


@pytest.mark.parametrize("bad, says", [
    ("2005/2014/2020", "is not an interval: use A/B or A..B"),
    ("2014/2005", "the start is after the end"), ("/", "give a start, an end or both"),
    ("../..", "give a start, an end or both"), ("2008-13/2009", "month must be 01-12"),
    ("2005/2014..2016", "is not a date")])
def test_a_bad_edtf_interval_is_a_one_line_usage_error(cli, bad, says):
    for option in ("--as-of", "--known-at"):
        r = cli("members", "CSTO", option, bad, code=2)
        assert r.stderr.count("\n") == 1 and says in r.stderr
        assert r.stderr.startswith(f"alliances: error: invalid date for {option}:")


# -- crosscheck against a COW-layout file --------------------------------------------------------
COW_FIXTURE = """ccode,state,year,csto,sco,nato
365,RUS,2008,1,1,0
371,ARM,2008,1,1,0
704,UZB,2014,1,1,0
703,KYR,2010,-9,1,0
372,GRG,2000,0,0,0
345,YUG,2014,2,0,0
700,AFG,2014,3,-9,0
365,RUS,1991,-1,-1,0
999,XXX,2008,1,1,1
365,RUS,1980,1,1,1
"""


def _fixture(tmp_path, text=COW_FIXTURE):
    path = tmp_path / "igo_stateyear.csv"
    path.write_text(text, "utf-8")
    return path


def test_crosscheck_reports_agreement_disagreement_and_silence(cli, tmp_path):
    path = _fixture(tmp_path)
    r = cli("crosscheck", path, "--format", "json")
    rows = {(x["state_id"], x["year"], x["bloc_id"]): x for x in __import__("json").loads(r.stdout)}
    # the three 2008 articles list Russia in the CSTO; reuters-2008 and goodenough-2008 in the SCO
    assert rows[("russia", 2008, "csto")]["result"] == "agree"
    # "non-SCO members Belarus and Armenia" (goodenough-2008) against COW's 1
    armenia = rows[("armenia", 2008, "sco")]
    assert (armenia["result"], armenia["articles"], armenia["cow"]) == ("disagree", 0, 1)
    assert "goodenough-2008" in {s["id"] for s in armenia["sources"]}
    # outline-2014 names Serbia an observer (3); a COW 2 disagrees
    assert rows[("serbia", 2014, "csto")]["result"] == "disagree"
    assert rows[("afghanistan", 2014, "csto")]["result"] == "agree"     # 3 and 3
    assert rows[("georgia", 2000, "csto")]["result"] == "agree"         # withdrew in 1999
    # left out of outline-2014's list: the articles do not settle 2014 (-9)
    assert rows[("uzbekistan", 2014, "csto")]["result"] == "silent"
    # between the 2008 lists and mt-2012's with no end between: bracketed, coded 1 (as COW
    # codes a membership every year from entry to exit), against this fixture's -9
    assert (rows[("kyrgyzstan", 2010, "csto")]["result"],
            rows[("kyrgyzstan", 2010, "csto")]["articles"]) == ("disagree", 1)
    assert rows[("russia", 1991, "csto")]["result"] == "silent"         # COW's -1
    # a state the fact base does not know, and a year before any article, are not compared
    assert not any(k[0] == "xxx" or k[1] == 1980 for k in rows)
    # nato is not in the data's cow columns only if no bloc names it: it does
    assert ("russia", 2008, "nato") in rows
    summary = r.stderr.strip().splitlines()[-1]
    counts = {k: sum(x["result"] == k for x in rows.values()) for k in ("agree", "disagree",
                                                                       "silent")}
    assert summary.startswith(f"crosscheck: {counts['agree']} agree, {counts['disagree']} "
                              f"disagree, {counts['silent']} silent")
    assert r.exit_code == 0


def test_crosscheck_strict_and_only(cli, tmp_path):
    path = _fixture(tmp_path)
    assert cli("crosscheck", path, "--strict", "-f", "plain", code=1).stdout
    rows = cli.json("crosscheck", path, "--only", "disagree")
    assert rows and {r["result"] for r in rows} == {"disagree"}
    for fmt in ("csv", "tsv", "plain", "jsonl", "table"):
        assert cli("crosscheck", path, "-f", fmt).stdout.strip()


@pytest.mark.parametrize("text, says", [
    ("state,year,csto\nRUS,2008,1\n", ":1: not a COW state-year file: no 'ccode' column"),
    ("ccode,state,year,csto\n365,RUS,2008,yes\n", ":2: column 'csto': 'yes' is not a COW code"),
    ("ccode,state,year,csto\n365,RUS,2008,7\n", ":2: column 'csto': 7 is not a COW code"),
    ("ccode,state,year,csto\nRUS,RUS,2008,1\n", ":2: ccode and year must be whole numbers"),
])
def test_a_bad_cow_file_is_one_line_with_file_and_line(cli, tmp_path, text, says):
    path = _fixture(tmp_path, text)
    r = cli("crosscheck", path, code=1)
    assert r.stderr.startswith("alliances: error: ") and r.stderr.count("\n") == 1
    assert f"{path}{says}" in r.stderr


def test_a_period_after_the_last_article_says_so(cli):
    r = cli("members", "CSTO", "--as-of", "2020", "-f", "json")
    # the CSTO's lists are of 4 September 2008 and 3 September 2014 (outline-2014)
    assert "from 2008-09-04 to 2014-09-03" in r.stderr and "carried forward" in r.stderr
    assert {row["basis"] for row in __import__("json").loads(r.stdout)} == {"possible"}
    r = cli("members", "CSTO", "--as-of", "1990", "-f", "json")
    assert "formed [1991-12..1993]" in r.stderr

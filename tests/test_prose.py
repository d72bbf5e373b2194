"""What the prose of docs/rules.md and the README says about the shipped record's examples,
checked against the tool (the generated blocks are checked by test_readme; this checks the
sentences that state a fact about them)."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.shipped

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _page(name: str) -> str:
    with open(os.path.join(ROOT, name), encoding="utf-8") as fh:
        return fh.read()


def test_rules_nobody_recognised_south_ossetia_on_1_or_26_august_2008(cli):
    text = _page("docs/rules.md")
    assert "on 26 August 2008 nobody is shown recognising South" in text
    assert "on 1 August 2008 nobody had recognised" in text
    for day in ("2008-08-01", "2008-08-26"):
        assert cli.json("recognizes", "South Ossetia", "--as-of", day) == []


def test_rules_russias_decree_is_dated_27_august(cli):
    assert "Russia's decree is dated 27 August" in _page("docs/rules.md")
    russia = [r for r in cli.json("recognizes", "South Ossetia", "--as-of", "2008-08-27")
              if r["state"] == "Russia"]
    assert [r["since"] for r in russia] == ["2008-08-27"]


def test_rules_nicaraguas_readings(cli):
    text = " ".join(_page("docs/rules.md").split())
    assert ("its since is `[2008-09-02..2008-09-05]`, disputed from 2 to 4 September and held "
            "by every reading from 5 September") in text

    def nicaragua(day):
        rows = [r for r in cli.json("recognizes", "South Ossetia", "--as-of", day)
                if r["state"] == "Nicaragua"]
        assert len(rows) <= 1
        return rows[0] if rows else None

    assert nicaragua("2008-09-01") is None
    for day in ("2008-09-02", "2008-09-03", "2008-09-04"):
        row = nicaragua(day)
        assert row["basis"] == "disputed" and row["since"] == "[2008-09-02..2008-09-05]"
    assert nicaragua("2008-09-05")["basis"] != "disputed"


def test_rules_india_an_aspirant_then_a_member(cli):
    assert "India, an aspirant in 2015, a member from 2017" in " ".join(
        _page("docs/rules.md").split())
    y2015 = {r["status"] for r in cli.json("memberships", "India", "--as-of", "2015", "--all")
             if r["bloc_id"] == "sco"}
    assert "aspirant" in y2015
    y2022 = {r["status"] for r in cli.json("memberships", "India", "--as-of", "2022", "--all")
             if r["bloc_id"] == "sco"}
    assert y2022 == {"member"}


def test_rules_a_complete_lists_omission_is_a_note_on_ukraines_non_membership(cli):
    text = " ".join(_page("docs/rules.md").split())
    assert ('"also left out of a complete list (blog-2009)": Ukraine and the CIS in 2009'
            in text)
    rows = [r for r in cli.json("memberships", "Ukraine", "--as-of", "2009", "--all")
            if r["bloc_id"] == "cis"]
    assert "not-listed" not in {r["status"] for r in rows}
    non = [r for r in rows if r["status"] == "non-member"]
    assert len(non) == 1 and "also left out of a complete list (blog-2009)" in non[0]["derived"]
    assert not [r for r in cli.json("disputes") if r["state_id"] == "ukraine"
                and "not-listed" in r["claim_a"] + r["claim_b"]]


def test_readme_first_example_says_how_sure(cli):
    text = _page("README.md")
    assert "Who recognises Abkhazia now, and how sure is that?" in text
    rows = cli.json("recognizes", "Abkhazia", "--as-of", "2024")
    assert rows and {r["basis"] for r in rows} <= {"stated", "bracketed", "possible"}
    assert {"Russia", "Nicaragua", "Venezuela", "Nauru", "Syria"} <= {r["state"] for r in rows}


def test_readme_counts_the_record(cli):
    text = " ".join(_page("README.md").split())
    assert "The record is thirty-seven news articles from 1992 to 2024" in text
    sources = cli.json("sources")
    assert len(sources) == 37
    import re

    years = sorted(re.findall(r"\d{4}", s["published"])[0] for s in sources)
    assert years[0] == "1992" and years[-1] == "2024"


def test_readme_quotes_the_unseen_figure():
    readme = " ".join(_page("README.md").split())
    curation = _page("docs/curation.md")
    assert "it proposes 48 of the 144 statements a curator records with their dates (33%) at " \
           "77% precision, and 77% of them are proposed or listed" in readme
    total = [line for line in curation.splitlines() if line.startswith("| **total** | 144 | 56 |")]
    assert total and "| 33% | 77% |" in total[0] and total[0].rstrip().endswith("| 77% |")

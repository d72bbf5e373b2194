"""Names and dates as users type them: aliases in any case and script, a suggestion for a
misspelt name, the wrong kind of name, markup typed as a name, and invalid dates, each a
one-line error. The CSTO's seven members of 2008 are the three 2008 articles' lists (see
test_core.py)."""

from __future__ import annotations

import pytest

CSTO_2008 = {"Russia", "Armenia", "Belarus", "Kyrgyzstan", "Kazakhstan", "Tajikistan",
             "Uzbekistan"}


def by_status(rows, status):
    return {r["state"] for r in rows if r["status"] == status}


@pytest.mark.parametrize("name", ["csto", "ODKB", "Collective Security Treaty Organisation",
                                  "collective security treaty organization", "ОДКБ", "одкб"])
def test_bloc_aliases_match_case_insensitively(cli, name):
    assert by_status(cli.json("members", name, "--as-of", "2008"), "member") == CSTO_2008


def test_unknown_name_suggests(cli):
    r = cli("members", "CTSO", code=1)
    assert "did you mean 'CSTO'" in r.stderr and len(r.stderr.splitlines()) == 1
    r = cli("recognizes", "South Osetia", code=1)
    assert "South Ossetia" in r.stderr


def test_wrong_kind_of_name(cli):
    r = cli("members", "Russia", code=1)
    assert "is a state or entity, not a bloc" in r.stderr


@pytest.mark.parametrize("bad", ["2008-13-40", "2008-02-30", "08", "yesterday", "2008-1"])
def test_invalid_dates_exit_2_with_one_line(cli, bad):
    r = cli("members", "CSTO", "--as-of", bad, code=2)
    assert r.stderr.startswith("alliances: error: invalid date for --as-of")
    assert len(r.stderr.splitlines()) == 1 and "Traceback" not in r.stderr


def test_markup_in_arguments_is_printed_literally(cli):
    r = cli("members", "[bold]x[/]", code=1)
    assert "'[bold]x[/]'" in r.stderr
    r = cli("search", "[/]")
    assert "Traceback" not in r.stdout


def test_timeline_unknown_name_suggests_across_kinds(cli):
    r = cli("timeline", "Geogria", code=1)
    assert "did you mean 'Georgia'" in r.stderr and len(r.stderr.splitlines()) == 1

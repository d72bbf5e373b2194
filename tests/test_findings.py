"""Each defect of the engine's findings (E1-E17, C1-C3), on its minimal fact base, answered
as docs/rules.md ("The semantics") says. The bases are the findings' specs
(tests/fixtures/specs/, one line per synthetic article, then the YAML), built through the
real CLI exactly as a curator would: init, add-article for each article, the facts, check.
"""

from __future__ import annotations

import os

import pytest

SPECS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "specs")


@pytest.fixture
def spec(cli, tmp_path):
    def build(name: str) -> str:
        with open(os.path.join(SPECS, f"{name}.txt"), encoding="utf-8") as fh:
            head, _, facts = fh.read().partition("\n---\n")
        target = tmp_path / name
        cli("init", str(target))
        extra = []
        for n, line in enumerate(head.splitlines()):
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("+entity "):
                extra.append("  " + line[len("+entity "):])
                continue
            ident_pub, _, text = line.partition(": ")
            ident, pub = ident_pub.split()
            art = tmp_path / f"{name}-{n}.txt"
            art.write_text(text + "\n", encoding="utf-8")
            cli("add-article", str(art), "--id", ident, "--title", ident, "--published", pub,
                "--date-note", "synthetic", "--data", str(target))
        path = target / "blocs.yaml"
        text = path.read_text(encoding="utf-8")
        if extra:
            text = text.replace("entities:\n", "entities:\n" + "\n".join(extra) + "\n", 1)
        path.write_text(text + "\n" + facts, encoding="utf-8")
        cli("check", "--data", str(target))
        return str(target)
    return build


def rows(cli, d, *args):
    return cli.json(*args, "--data", d)


def of(rs, state):
    return sorted((r["status"], r["basis"]) for r in rs if r["state"] == state)


def one(rs, state, status=None):
    hits = [r for r in rs if r["state"] == state and (status is None or r["status"] == status)]
    assert len(hits) == 1, hits
    return hits[0]


# -- E1: a loose bound never widens a dispute ---------------------------------------------
def test_e1_a_loose_bound_does_not_drag_the_start_back(cli, spec):
    d = spec("D1")
    for day in ("2008-08-01", "2008-08-15", "2008-09-01"):
        assert rows(cli, d, "recognizes", "South Ossetia", "--as-of", day, "--all") == []
    r = one(rows(cli, d, "recognizes", "South Ossetia", "--as-of", "2008-09-02"), "Nicaragua")
    assert (r["since"], r["basis"]) == ("[2008-09-02..2008-09-05]", "disputed")
    r = one(rows(cli, d, "recognizes", "South Ossetia", "--as-of", "2008-09-05"), "Nicaragua")
    assert r["basis"] != "disputed"
    r = one(rows(cli, d, "recognizes", "South Ossetia", "--as-of", "2008-09-06"), "Nicaragua")
    assert r["basis"] == "stated"
    # a reader before wire-c had 2008-09-02, and wire-c moves nothing earlier
    r = one(rows(cli, d, "recognizes", "South Ossetia", "--as-of", "2008-09-02", "--known-at",
                 "2008-09-04"), "Nicaragua")
    assert r["since"] == "2008-09-02"


# -- E2: two exit dates ---------------------------------------------------------------------
@pytest.mark.parametrize("name", ["EXIT", "EXIT2"])
def test_e2_two_exit_dates_are_one_end_disputed_between(cli, spec, name):
    d = spec(name)
    mid = rows(cli, d, "members", "CSTO", "--as-of", "2012-08-01", "--all")
    assert ("member", "disputed") in of(mid, "Uzbekistan")
    assert ("former-member", "disputed") in of(mid, "Uzbekistan")
    former = one(mid, "Uzbekistan", "former-member")
    assert former["since"] == "[2012-06-28..2012-12-31]"
    june = rows(cli, d, "members", "CSTO", "--as-of", "2012-06-27", "--all")
    assert of(june, "Uzbekistan") == [("member", "bracketed")]


# -- E3: an undated return, a list before the exit report -----------------------------------
def test_e3_an_undated_return_invents_no_date(cli, spec):
    d = spec("RETURN")
    y2000 = rows(cli, d, "members", "CSTO", "--as-of", "2000", "--all")
    assert of(y2000, "Azerbaijan") == [("former-member", "possible")]
    y2015 = rows(cli, d, "members", "CSTO", "--as-of", "2015-02-01", "--all")
    back = one(y2015, "Azerbaijan", "member")
    assert back["basis"] == "stated"
    assert back["since_earliest"] <= "2000-01-01" and back["since_latest"] == "2015-02-01"


def test_e3_a_list_published_before_the_exit_report_is_a_dispute(cli, spec):
    d = spec("STALE")
    y2014 = rows(cli, d, "members", "CSTO", "--as-of", "2014", "--all")
    assert ("former-member", "stated") in of(y2014, "Uzbekistan")
    y2013 = rows(cli, d, "members", "CSTO", "--as-of", "2013-05-01", "--all")
    assert "disputed" in {b for _, b in of(y2013, "Uzbekistan")}


def test_e3_a_withdrawn_recognition_listed_again_later(cli, spec):
    d = spec("VANUATU")
    for year in ("2014", "2015"):
        got = rows(cli, d, "recognizes", "Abkhazia", "--as-of", year, "--all")
        assert of(got, "Vanuatu")[0] == ("withdrawn", "possible") or (
            "withdrawn", "possible") in of(got, "Vanuatu")
    back = one(rows(cli, d, "recognizes", "Abkhazia", "--as-of", "2016-05-05"), "Vanuatu")
    # after the withdrawal as reported (a-2013, 15 July 2013: still withdrawn then)
    assert back["since_earliest"] <= "2013-07-15" and back["since_latest"] == "2016-05-05"


# -- E4: a complete list that leaves a state out -------------------------------------------
def test_e4_a_list_that_omits_a_state_is_heard_even_if_a_later_one_lists_it(cli, spec):
    d = spec("OMIT")
    got = rows(cli, d, "members", "CSTO", "--as-of", "2014", "--all")
    assert ("not-listed", "stated") in of(got, "Uzbekistan")
    assert ("member", "stated") not in of(got, "Uzbekistan")
    june = rows(cli, d, "members", "CSTO", "--as-of", "2014-06", "--all")
    assert of(june, "Uzbekistan") == [("not-listed", "possible")]
    assert rows(cli, d, "disputes") == [] or all(
        r.get("state") != "Uzbekistan" or r.get("kind") != "date" for r in rows(cli, d, "disputes"))
    plain = cli("members", "CSTO", "--as-of", "2014-06", "--format", "plain", "--data", d)
    assert "Uzbekistan" not in plain.stdout.split("\n")
    assert ("member", "stated") in of(rows(cli, d, "members", "CSTO", "--as-of", "2016-05-01",
                                           "--all"), "Uzbekistan")


# -- E5: an article dated within bounds -------------------------------------------------
def test_e5_a_range_dated_list_keeps_membership_possible(cli, spec):
    d = spec("RANGE")
    for day in ("2012-07-15", "2012-07-31"):
        got = of(rows(cli, d, "members", "SCO", "--as-of", day, "--all"), "Mongolia")
        assert {s for s, _ in got} == {"member", "non-member"}, (day, got)


# -- E6: "not yet" is not carried past a report of the recognition ------------------------
def test_e6_not_yet_ends_at_the_report_of_the_recognition(cli, spec):
    d = spec("NOTYET")
    for year in ("2010", "2011", "2012"):
        got = of(rows(cli, d, "recognizes", "Abkhazia", "--as-of", year, "--all"), "Venezuela")
        assert got == [("recognizes", "stated")] or got == [("recognizes", "possible")], got


def test_e6_not_yet_before_a_later_recognition_is_a_change(cli, spec):
    d = spec("CHANGE")
    before = of(rows(cli, d, "recognizes", "Abkhazia", "--as-of", "2009-09-09", "--all"),
                "Venezuela")
    assert before == [("not-yet", "possible")]
    after = of(rows(cli, d, "recognizes", "Abkhazia", "--as-of", "2009-09-12", "--all"),
               "Venezuela")
    assert after == [("recognizes", "stated")]


# -- E7, E8: groups ------------------------------------------------------------------------
def test_e7_a_group_is_expanded_at_the_date_its_sentence_speaks_of(cli, spec):
    d = spec("PASTGROUP")
    got = rows(cli, d, "recognizes", "Abkhazia", "--as-of", "1995", "--all")
    assert {r["state"] for r in got} == {"Armenia", "Kazakhstan"}


def test_e8_every_state_leaves_out_the_parent_state(cli, spec):
    d = spec("GROUPS")
    got = rows(cli, d, "recognizes", "South Ossetia", "--as-of", "2008-09-05", "--all")
    # init's fact base gives Abkhazia and South Ossetia their parent, Georgia
    assert "Georgia" not in {r["state"] for r in got}
    assert got


def test_e8_a_state_not_yet_in_existence_is_not_in_every_state(cli, spec, tmp_path):
    d = spec("GROUPS")
    path = os.path.join(d, "blocs.yaml")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    text = text.replace('south-sudan: {name: "South Sudan"}',
                        'south-sudan: {name: "South Sudan", exists_from: "2011-07-09"}')
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    got = rows(cli, d, "recognizes", "South Ossetia", "--as-of", "2008-09-05", "--all")
    assert "South Sudan" not in {r["state"] for r in got}
    assert "Armenia" in {r["state"] for r in got}


# -- E9, E10: one answer for not recognising --------------------------------------------
def test_e9_e10_a_refusal_and_a_not_yet_are_one_row(cli, spec):
    d = spec("GROUPS")
    got = rows(cli, d, "recognizes", "South Ossetia", "--as-of", "2008-09-05", "--all")
    armenia = one(got, "Armenia")
    assert (armenia["status"], armenia["basis"]) == ("does-not-recognize", "stated")
    assert {"does-not-recognize", "not-yet"} <= {s["status"] for s in armenia["sources"]}
    d = spec("HIDDEN")
    for period in ("2008", "2008..2009"):
        got = rows(cli, d, "recognizes", "South Ossetia", "--as-of", period, "--all")
        assert one(got, "Armenia")["status"] == "does-not-recognize", period


# -- E11: an interval keeps a later spell's dispute -----------------------------------------
def test_e11_a_wider_period_keeps_the_dispute_of_a_narrower_one(cli, spec):
    d = spec("EXIT")
    narrow = one(rows(cli, d, "members", "CSTO", "--as-of", "2006..2014", "--all"),
                 "Uzbekistan", "member")
    wide = one(rows(cli, d, "members", "CSTO", "--as-of", "1995..2014", "--all"),
               "Uzbekistan", "member")
    assert narrow["basis"] == wide["basis"] == "disputed"


# -- E16: a suspended member belongs to the bloc everywhere ---------------------------------
def test_e16_a_suspended_member_is_one_of_the_other_members(cli, spec):
    d = spec("SUSP")
    got = rows(cli, d, "recognizes", "Abkhazia", "--as-of", "2024-02-23", "--all")
    assert {"Armenia", "Belarus"} <= {r["state"] for r in got}
    shared = rows(cli, d, "shared", "Armenia", "Russia", "--as-of", "2024-03", "--all")
    csto = [r for r in shared if r["bloc"] == "Collective Security Treaty Organization"]
    assert csto and csto[0]["in"] == "both"


# -- E17: a start before the bloc's formation ---------------------------------------------
def test_e17_a_start_before_the_formation_is_a_dispute(cli, spec):
    d = spec("FORMED")
    got = one(rows(cli, d, "members", "CSTO", "--as-of", "1991"), "Armenia")
    assert got["basis"] == "disputed"
    assert rows(cli, d, "disputes")


# -- C1, C2 ---------------------------------------------------------------------------------
def test_c1_a_start_never_runs_past_its_end(cli, spec):
    d = spec("NEGBOUND")
    got = rows(cli, d, "recognizes", "South Ossetia", "--as-of", "2000", "--all")
    assert got
    for r in got:
        assert r["since_latest"] <= (r["until_latest"] or "9999")
    assert rows(cli, d, "recognizes", "South Ossetia", "--as-of", "2010", "--all") == []


def test_c2_the_order_of_statements_changes_no_label(cli, spec):
    d = spec("LABEL")
    first = rows(cli, d, "recognizes", "Abkhazia", "--as-of", "2008-10")
    path = os.path.join(d, "blocs.yaml")
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    facts = [i for i, x in enumerate(lines) if x.startswith("  - {state: nicaragua")]
    lines[facts[0]], lines[facts[1]] = lines[facts[1]], lines[facts[0]]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    second = rows(cli, d, "recognizes", "Abkhazia", "--as-of", "2008-10")
    assert [r["since"] for r in first] == [r["since"] for r in second]


# -- E12-E15: the views read the one evaluation -------------------------------------------
def test_e12_explain_reads_group_statements_and_the_verdicts_spell(cli, spec):
    d = spec("GROUPS")
    parts = rows(cli, d, "explain", "Armenia", "South Ossetia", "--as-of", "2008-09-05")
    status = [p for p in parts if p["part"] == "status"]
    assert [p["value"] for p in status] == ["does-not-recognize"]
    d = spec("EXIT")
    parts = rows(cli, d, "explain", "Uzbekistan", "CSTO", "--as-of", "2010")
    since = next(p for p in parts if p["part"] == "since")
    until = next(p for p in parts if p["part"] == "until")
    assert since["value"] == "2006" and "1999" not in until["why"]


def test_e13_the_sqlite_export_has_recognition_verdicts(cli, spec, tmp_path):
    import sqlite3

    d = spec("D1")
    out = tmp_path / "d1.sqlite"
    cli("export", str(out), "--data", d)
    with sqlite3.connect(out) as con:
        got = con.execute("SELECT state, status, basis FROM verdicts WHERE year = 2008"
                          ).fetchall()
    assert ("Nicaragua", "recognizes", "disputed") in got


def test_e14_the_timeline_dates_events_by_their_statements(cli, spec):
    d = spec("VANUATU")
    events = rows(cli, d, "timeline", "Vanuatu")
    assert not [e for e in events if e["event"].startswith("stated as")
                and e["status"] in ("recognizes", "withdrawn") and e["date"] == "2013-07-15"]
    assert not [e for e in events if e["date"] == "2016-05-04"]
    assert any(e["status"] == "withdrawn" and e["date"] == "2013-07-12" for e in events)


def test_e15_a_group_that_cannot_be_expanded_says_so(cli, spec):
    d = spec("SOURCE")
    r = cli("recognizes", "Abkhazia", "--source", "g-2008", "--all", "--data", d)
    assert "could not be expanded" in r.stderr and "CSTO" in r.stderr


def test_c3_an_interval_row_describes_one_spell(cli, spec):
    d = spec("VANUATU")
    row = one(rows(cli, d, "recognizes", "Abkhazia", "--as-of", "2010..2016"), "Vanuatu",
              "recognizes")
    # the first spell, 2011-05-23 until 2013-07-12; the return is named in the note
    assert (row["since"], row["until"]) == ("2011-05-23", "2013-07-12")
    assert any("spell 2 of recognizes" in n for n in row.get("derived", []))

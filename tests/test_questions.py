"""Questions beyond a single lookup: compare, shared, timeline, disputes, claims, search,
per-source and known-at views. Expectations are read from the articles:
goodenough-2008: "the seven-country CSTO excludes China and adds non-SCO members Belarus and
Armenia"; "Georgia was a member but withdrew in 1999 and now wants to join NATO";
"Kyrgyzstan, a member of both the CSTO and SCO"; "Formed in the early 1990s".
outline-2014 lists six CSTO members, leaving out Uzbekistan, which the 2008 articles list.
"""

from __future__ import annotations

import pytest


def test_compare_csto_sco_2008_is_what_the_article_says(cli):
    rows = cli.json("compare", "CSTO", "SCO", "--as-of", "2008")
    side = {r["state"]: r["in"] for r in rows}
    assert {s for s, w in side.items() if w == "only CSTO"} == {"Belarus", "Armenia"}
    assert {s for s, w in side.items() if w == "only SCO"} == {"China"}
    assert {"Russia", "Kyrgyzstan", "Kazakhstan", "Tajikistan", "Uzbekistan"} == {
        s for s, w in side.items() if w == "both"}
    assert all(r["sources"] for r in rows)


def test_compare_agrees_with_members(cli):
    csto = {r["state"]
            for r in cli.json("members", "CSTO", "--as-of", "2008", "--status", "member")}
    rows = cli.json("compare", "CSTO", "SCO", "--as-of", "2008")
    assert {r["state"] for r in rows if r["status_a"] == "member"} == csto


def test_shared_is_the_dyadic_view(cli):
    rows = cli.json("shared", "Russia", "Kyrgyzstan", "--as-of", "2008")
    assert {r["bloc_id"] for r in rows} == {"csto", "sco"}
    assert cli.json("shared", "Belarus", "China", "--as-of", "2008") == []


@pytest.mark.parametrize("as_of", ["2008", "2014"])
def test_shared_and_compare_are_one_rule_seen_from_the_two_sides(cli, as_of):
    # compare reads two blocs' sides per state, shared two states' sides per bloc: each
    # state's side in each bloc must be the same in both
    blocs = ("CSTO", "SCO")
    side = {}
    for r in cli.json("compare", *blocs, "--as-of", as_of, "--all"):
        side[(r["state_id"], "csto")], side[(r["state_id"], "sco")] = r["in_a"], r["in_b"]
    states = sorted({s for s, _ in side})
    assert len(states) > 3 and "yes" in side.values() and "no" in side.values()
    seen = 0
    for a in states[:4]:
        for b in states:
            if a == b:
                continue
            for r in cli.json("shared", a, b, "--as-of", as_of, "--all"):
                if r["bloc_id"] in ("csto", "sco"):
                    assert (r["in_a"], r["in_b"]) == (side[(a, r["bloc_id"])],
                                                      side[(b, r["bloc_id"])]), (a, b, r)
                    seen += 1
    assert seen > 10
    # by default shared lists what both are in, never a bloc only one is in
    for r in cli.json("shared", "Kyrgyzstan", "Uzbekistan", "--as-of", as_of):
        assert r["in"] in ("both", "undecided")


def test_timeline_of_georgia_in_date_order(cli):
    rows = cli.json("timeline", "Georgia")
    events = [(r["date"], r["event"], r["object"]) for r in rows]
    assert ("1999", "withdrew", "Collective Security Treaty Organization") in events
    withdrew = events.index(("1999", "withdrew", "Collective Security Treaty Organization"))
    nato_2008 = next(i for i, e in enumerate(events) if e[2] == "NATO" and e[0].startswith("2008"))
    assert withdrew < nato_2008


def test_timeline_of_a_bloc_shows_formation_with_honest_precision(cli):
    rows = cli.json("timeline", "CSTO")
    assert rows[0]["event"] == "formed" and rows[0]["date"] == "[1991-12..1993]"
    assert any(r["event"] == "withdrew" and r["state"] == "Georgia" and r["date"] == "1999"
               for r in rows)


def test_timeline_of_an_entity_includes_recognitions(cli):
    rows = cli.json("timeline", "South Ossetia")
    recognized = {r["state"] for r in rows if r["event"] == "recognized"}
    assert {"Russia", "Nicaragua"} <= recognized
    # "have yet to do so" (goodenough-2008): not yet, which is not a refusal
    assert any(r["event"] == "said not yet to recognize" and r["state"] == "Venezuela"
               for r in rows)
    assert not any(r["event"] == "refused to recognize" and r["state"] == "Venezuela"
                   for r in rows)


def test_a_later_list_that_leaves_uzbekistan_out_is_a_change_not_a_dispute(cli):
    # outline-2014's complete list of the CSTO leaves out Uzbekistan, which the 2008
    # articles list: not-listed from 2014 (docs/rules.md, R4b), and nothing to dispute
    assert not [r for r in cli.json("disputes") if r["state"] == "Uzbekistan"]
    rows = [r for r in cli.json("members", "CSTO", "--as-of", "2014", "--all")
            if r["state"] == "Uzbekistan"]
    assert ("not-listed", "stated") in [(r["status"], r["basis"]) for r in rows]
    assert "disputed" not in {r["basis"] for r in rows}
    assert {"outline-2014"} <= {s["id"] for r in rows for s in r["sources"]}


def test_disputes_with_a_clash(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    text = blocs.read_text(encoding="utf-8")
    text += ("  - state: belarus\n    entity: abkhazia\n    status: recognizes\n"
             "    source: goodenough-2008\n    quote: \"Even other close allies\"\n")
    blocs.write_text(text, encoding="utf-8")
    rows = cli.json("disputes", "--data", data_copy)
    clash = [r for r in rows if r["kind"] == "status" and r["state"] == "Belarus"]
    assert clash and {"recognizes", "does-not-recognize"} <= {
        c.split()[0] for r in clash for c in (r["claim_a"], r["claim_b"])}


def test_before_formation_exit_0_with_explanation(cli):
    r = cli("members", "CSTO", "--as-of", "1989-06", "--format", "plain")
    assert r.stdout == "" and "CSTO: formed [1991-12..1993] per goodenough-2008" in r.stderr


def test_claims_follow_the_article_order(cli):
    rows = cli.json("claims", "--source", "goodenough-2008")
    quotes = [r["quote"] for r in rows]
    text = " ".join(cli("source", "goodenough-2008").stdout.split())
    positions = [text.find(" ".join(q.split())) for q in quotes]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert any(r["state"] == "Georgia" and r["status"] == "member" and r["until"] == "1999"
               for r in rows)


def test_search_finds_quotes_and_names(cli):
    rows = cli.json("search", "ortega")
    assert rows and all("Ortega" in r["text"] for r in rows)
    assert {"bloc"} <= {r["kind"] for r in cli.json("search", "odkb")}


def test_source_filter_answers_as_one_article(cli):
    only_2014 = cli.json("members", "CSTO", "--source", "outline-2014")
    assert "Uzbekistan" not in {r["state"] for r in only_2014}
    r = cli("members", "CSTO", "--source", "nosuch", code=1)
    assert "unknown source" in r.stderr


def test_known_at_with_as_of_together(cli):
    # Known on 2008-09-05 nothing is known about 2014: members come from 2008 lists only,
    # carried forward as "possible".
    rows = cli.json("members", "CSTO", "--as-of", "2014", "--known-at", "2008-09-05")
    assert {r["basis"] for r in rows} == {"possible"}
    assert "Uzbekistan" in {r["state"] for r in rows if r["status"] == "member"}
    # With the 2014 article known, Uzbekistan is not-listed instead.
    rows = cli.json("members", "CSTO", "--as-of", "2014", "--known-at", "2014-12-31", "--all")
    assert {r["state"]: r["status"] for r in rows}["Uzbekistan"] == "not-listed"


def test_an_empty_period_says_where_the_articles_speak(cli):
    r = cli("members", "SCO", "--as-of", "2001", "--format", "json")
    assert r.stdout.strip() == "[]"
    # the first SCO lists are of 4 September 2008, and nothing is carried back from them
    assert "from 2008-09-04 on" in r.stderr and "never carry" in r.stderr

"""The evaluation on small synthetic fact bases, one per pattern real articles state:
leaving and coming back, a recognition that ends, a suspension, group statements under
--source and --known-at, an article dated only to a range, "not yet" beside a recognition
in both orders, a complete list of the same day, conflicting ends, a dispute beside a
stated status, a forecast; and that the order of statements in the YAML changes nothing.

Every fact base is written here, article texts and all, and asked through the real CLI.
"""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

STATES = ("ardia", "borsk", "cydon", "dvina")


def base(tmp_path, articles: dict, facts: str, name: str = "facts") -> str:
    """A data directory: articles {id: (published, [sentences])} and blocs.yaml's facts."""
    d = tmp_path / name
    (d / "sources").mkdir(parents=True)
    src = ["schema: 1", "sources:"]
    for sid, (published, sentences) in articles.items():
        (d / "sources" / f"{sid}.txt").write_text("\n".join(sentences) + "\n", "utf-8")
        when = (f"{{not_before: \"{published[0]}\", not_after: \"{published[1]}\"}}"
                if isinstance(published, tuple) else f"\"{published}\"")
        src += [f"  {sid}:", f"    file: {sid}.txt", "    title: \"Synthetic\"",
                "    publisher: null", "    author: null", f"    published: {when}",
                "    date_note: \"Written for this test.\""]
    (d / "sources" / "sources.yaml").write_text("\n".join(src) + "\n", "utf-8")
    first = next(iter(articles))
    head = ["schema: 1", "entities:",
            *[f"  {s}: {{name: {s.title()}}}" for s in STATES],
            "  zed: {name: Zed, kind: breakaway region}",
            "blocs:",
            f"  pact: {{name: Pact, cited: [{{source: {first}, "
            f"quote: \"{articles[first][1][0]}\"}}]}}",
            f"  union: {{name: Union, cited: [{{source: {first}, "
            f"quote: \"{articles[first][1][0]}\"}}]}}"]
    (d / "blocs.yaml").write_text("\n".join(head) + "\n" + facts, "utf-8")
    return str(d)


def ask(cli, *args):
    return cli.json(*args)


def statuses(rows, state="Ardia"):
    return sorted((r["status"], r["basis"]) for r in rows if r["state"] == state)


# -- leaving and coming back ----------------------------------------------------------------
REJOIN = {
    "a2005": ("2005-06-01", ["Ardia is a member of the Pact."]),
    "b2012": ("2012-06-29", ["Ardia left the Pact once before, in 1999, but re-entered in 2006.",
                             "Ardia has decided to leave the Pact."]),
    "c2014": ("2014-09-03", ["The Pact includes Borsk and Cydon."]),
}
REJOIN_FACTS = """memberships:
  - state: ardia
    bloc: pact
    status: member
    source: a2005
    quote: "Ardia is a member of the Pact."
  - state: ardia
    bloc: pact
    status: member
    until: "1999"
    source: b2012
    quote: "Ardia left the Pact once before, in 1999"
  - state: ardia
    bloc: pact
    status: member
    since: "2006"
    until: {not_before: "2012-06-20"}
    source: b2012
    quote: "but re-entered in 2006"
rosters:
  - bloc: pact
    source: c2014
    quote: "The Pact includes Borsk and Cydon."
    members: [borsk, cydon]
"""


def test_a_state_that_leaves_and_comes_back_has_two_spells(cli, tmp_path):
    d = base(tmp_path, REJOIN, REJOIN_FACTS)
    at = {y: statuses(ask(cli, "members", "Pact", "--as-of", y, "--all", "--data", d))
          for y in ("1998-06", "2001", "2005-06-01", "2008", "2013")}
    # a 2005 article lists it, though the 2012 article says it was out 1999..2006: both
    # articles cannot be right about 2005
    assert ("member", "disputed") in at["2005-06-01"] or ("member", "stated") in at["2005-06-01"]
    assert at["2001"] == [("former-member", "stated")]
    assert ("member", "stated") in at["2008"]
    assert (at["2013"] == [("former-member", "possible")]
            or ("former-member", "stated") in at["2013"])
    # never a member in 2013: the second spell ended in 2012
    assert ("member", "stated") not in at["2013"]
    spells = [r for r in ask(cli, "timeline", "Ardia", "--data", d) if r["status"] == "member"]
    assert any(r["event"] == "joined" and "2006" in r["date"] for r in spells)
    # the timeline's rows say which spell each belongs to, and the chart and the sqlite
    # export draw and store those spells: out in 1999, back (the 2005 listing disputes
    # the 2006 return: one reading has it back by 2005-06-01, the other in 2006, and
    # neither before the 1999 exit, so it began within 1999..2006), out again in 2012
    rows = [r for r in ask(cli, "timeline", "Ardia", "--data", d) if r.get("spell")]
    spell = {(r["spell"]["status"], r["spell"]["number"]): r["spell"] for r in rows}
    assert set(spell) == {("former-member", 1), ("member", 2), ("former-member", 2)}
    assert spell[("former-member", 1)]["ended_by"] == {"status": "member", "number": 2}
    back = spell[("member", 2)]
    assert back["start"] == ["1999-01-01", "2006-12-31"]
    assert back["end"][0] == "2012-06-20" and back["ended_by"]["status"] == "former-member"
    svg = cli("chart", "Pact", "--all", "-o", "-", "--data", d).stdout
    ardia = svg[svg.index('data-state="Ardia"'):svg.index('data-state="Borsk"')]
    assert ardia.count('data-status="former-member"') == 2
    assert 'data-status="member" data-start="1999-01-01..2006-12-31" ' \
           'data-end="2012-06-20..2012-06-29"' in ardia
    import sqlite3

    out = tmp_path / "rejoin.sqlite"
    cli("export", str(out), "--data", d)
    with sqlite3.connect(out) as con:
        stored = con.execute("SELECT status, start_earliest, end_earliest, ended_by FROM "
                             "spells WHERE state_id = 'ardia' ORDER BY id").fetchall()
    assert ("member", "1999-01-01", "2012-06-20", "former-member") in stored
    assert [st for st, *_ in stored].count("former-member") == 2


def test_changes_says_joined_and_withdrew_only_where_an_article_dates_them(cli, tmp_path):
    d = base(tmp_path, REJOIN, REJOIN_FACTS)
    rows = {r["state"]: r for r in ask(cli, "changes", "Pact", "--from", "2008", "--to",
                                       "2014", "--data", d)}
    # "decided to leave" after 20 June 2012: dated inside the window
    assert rows["Ardia"]["status_after"] == "former-member"
    assert rows["Ardia"]["change"] == "withdrew"
    # Borsk and Cydon are first listed in 2014: not a join any article dates
    assert rows["Borsk"]["change"] == "first attested"


# -- a recognition that ends -------------------------------------------------------------------
def test_a_withdrawn_recognition_ends(cli, tmp_path):
    d = base(tmp_path, {"a2014": ("2014-04-01", [
        "Borsk recognized Zed in 2011.", "Borsk withdrew its recognition on July 12, 2013."])},
        """recognitions:
  - state: borsk
    entity: zed
    status: recognizes
    since: "2011"
    until: "2013-07-12"
    source: a2014
    quote: "Borsk withdrew its recognition on July 12, 2013."
""")
    assert statuses(ask(cli, "recognizes", "Zed", "--as-of", "2012", "--data", d), "Borsk") == [
        ("recognizes", "stated")]
    later = statuses(ask(cli, "recognizes", "Zed", "--as-of", "2014-01", "--all", "--data", d),
                     "Borsk")
    assert later == [("withdrawn", "stated")]
    # what Borsk recognises agrees with who recognises Zed
    assert statuses(ask(cli, "recognitions", "Borsk", "--as-of", "2014-01", "--all",
                        "--data", d), "Borsk") == later or [
        (r["status"], r["basis"]) for r in ask(cli, "recognitions", "Borsk", "--as-of",
                                                "2014-01", "--all", "--data", d)] == later


# -- a suspension -------------------------------------------------------------------------------
def test_a_suspension_follows_membership_and_is_not_shown_as_member(cli, tmp_path):
    d = base(tmp_path, {"a2020": ("2020-05-01", ["Cydon is a member of the Pact."]),
                        "b2024": ("2024-02-22", ["Cydon froze its participation in the Pact."])},
             """memberships:
  - state: cydon
    bloc: pact
    status: member
    source: a2020
    quote: "Cydon is a member of the Pact."
  - state: cydon
    bloc: pact
    status: suspended
    since: "2024-02"
    source: b2024
    quote: "Cydon froze its participation in the Pact."
""")
    assert [r["state"] for r in ask(cli, "members", "Pact", "--as-of", "2024-03", "--data", d)
            ] == []
    assert statuses(ask(cli, "members", "Pact", "--as-of", "2024-02-22", "--all", "--data", d),
                    "Cydon") == [("suspended", "stated")]
    # after its article only carried
    assert statuses(ask(cli, "members", "Pact", "--as-of", "2024-03", "--all", "--data", d),
                    "Cydon") == [("suspended", "possible")]
    import csv
    import io

    out = cli("export", "-", "--panel", "state-year", "-f", "csv", "--data", d).stdout
    cells = {(r["state_id"], r["year"]): r for r in csv.DictReader(io.StringIO(out))}
    # COW codes formal membership, which a suspension does not end
    assert cells[("cydon", "2024")]["pact"] == "1"


# -- group statements ----------------------------------------------------------------------------
GROUP = {
    "a2008": ("2008-09-04", ["The Pact comprises Ardia, Borsk and Cydon.",
                             "The other members of the Pact do not recognize Zed."]),
    "b2010": ("2010-01-05", ["The Pact comprises Ardia, Borsk, Cydon and Dvina.",
                             "The other members of the Pact do not recognize Zed."]),
}
GROUP_FACTS = """rosters:
  - bloc: pact
    source: a2008
    quote: "The Pact comprises Ardia, Borsk and Cydon."
    members: [ardia, borsk, cydon]
  - bloc: pact
    source: b2010
    quote: "The Pact comprises Ardia, Borsk, Cydon and Dvina."
    members: [ardia, borsk, cydon, dvina]
recognitions:
  - state: ardia
    entity: zed
    status: recognizes
    source: a2008
    quote: "The other members of the Pact do not recognize Zed."
  - state: {members_of: pact, except: [ardia]}
    entity: zed
    status: does-not-recognize
    source: a2008
    quote: "The other members of the Pact do not recognize Zed."
  - state: {members_of: pact, except: [ardia]}
    entity: zed
    status: does-not-recognize
    source: b2010
    quote: "The other members of the Pact do not recognize Zed."
"""


def test_a_group_is_expanded_from_the_membership_each_reader_had(cli, tmp_path):
    d = base(tmp_path, GROUP, GROUP_FACTS)
    rows = ask(cli, "recognizes", "Zed", "--as-of", "2010", "--status", "does-not-recognize",
               "--data", d)
    assert {r["state"] for r in rows} == {"Borsk", "Cydon", "Dvina"}
    assert all(r["state_id"] for r in rows)  # never a group printed as a state
    dvina = next(r for r in rows if r["state"] == "Dvina")
    via = [s for s in dvina["sources"] if s.get("group")]
    assert via and via[0]["group"] == "the members of Pact except Ardia"
    assert "b2010" in via[0]["membership_from"]
    # --source a2008: that article's own list, so Dvina is not among them
    rows = ask(cli, "recognizes", "Zed", "--as-of", "2010", "--status", "does-not-recognize",
               "--source", "a2008", "--data", d)
    assert {r["state"] for r in rows} == {"Borsk", "Cydon"}
    # --known-at 2009: what a reader had then
    rows = ask(cli, "recognizes", "Zed", "--as-of", "2009", "--status", "does-not-recognize",
               "--known-at", "2009", "--data", d)
    assert {r["state"] for r in rows} == {"Borsk", "Cydon"}
    plain = cli("recognizes", "Zed", "--all", "--format", "plain", "--data", d).stdout
    assert "members" not in plain and "every state" not in plain


def test_every_state_except_named_ones(cli, tmp_path):
    d = base(tmp_path, {"a2008": ("2008-09-04", ["To date, only Borsk has followed Ardia."])},
             """recognitions:
  - state: [ardia, borsk]
    entity: zed
    status: recognizes
    source: a2008
    quote: "To date, only Borsk has followed Ardia."
  - state: {all_states: true, except: [ardia, borsk]}
    entity: zed
    status: not-yet
    source: a2008
    quote: "To date, only Borsk has followed Ardia."
""")
    rows = ask(cli, "recognizes", "Zed", "--all", "--data", d)
    assert {(r["state"], r["status"]) for r in rows} == {
        ("Ardia", "recognizes"), ("Borsk", "recognizes"), ("Cydon", "not-yet"),
        ("Dvina", "not-yet")}


def test_a_state_reached_only_by_a_group_answers_as_if_its_statement_were_written_for_it(
        cli, tmp_path):
    # every state but Ardia and Borsk "has yet to" recognise Zed; Cydon does later. Written
    # once as a group and once state by state, each state answers the same in every year
    # (keys with the same evidence share their spells: this holds them apart where not).
    articles = {"a2008": ("2008-09-04", ["To date, only Borsk has followed Ardia."]),
                "b2010": ("2010-05-01", ["Cydon recognized Zed in March 2010."])}
    later = """  - state: cydon
    entity: zed
    status: recognizes
    since: "2010-03"
    source: b2010
    quote: "Cydon recognized Zed in March 2010."
"""
    head = """recognitions:
  - state: [ardia, borsk]
    entity: zed
    status: recognizes
    source: a2008
    quote: "To date, only Borsk has followed Ardia."
"""
    group = """  - state: {all_states: true, except: [ardia, borsk]}
    entity: zed
    status: not-yet
    source: a2008
    quote: "To date, only Borsk has followed Ardia."
"""
    each = group.replace("{all_states: true, except: [ardia, borsk]}", "[cydon, dvina]")
    dg = base(tmp_path, articles, head + group + later, "group")
    de = base(tmp_path, articles, head + each + later, "each")

    def verdicts(d):
        rows = ask(cli, "recognizes", "Zed", "--as-of", "2007..2012", "--each-year", "--all",
                   "--data", d)
        return sorted((r["year"], r["state"], r["status"], r["basis"], r["since"], r["until"],
                       tuple(r.get("disputed_with") or ())) for r in rows)

    got = verdicts(dg)
    assert got == verdicts(de)
    by = {(y, st): status for y, st, status, *_ in got}
    assert by[(2009, "Cydon")] == by[(2009, "Dvina")] == "not-yet"
    assert by[(2011, "Cydon")] == "recognizes" and by[(2011, "Dvina")] == "not-yet"
    # asked one at a time or all through `-` in one process, each state answers the same
    from alliances.cli import app

    def key(r):
        return (r["state"], r["entity"], r["status"], r["basis"], r["since"],
                json.dumps(r["sources"], sort_keys=True))

    alone = [key(r) for st in ("Cydon", "Dvina")
             for r in ask(cli, "recognitions", st, "--all", "--data", dg)]
    out = cli.runner.invoke(app, ["recognitions", "-", "--all", "--format", "jsonl",
                                  "--data", dg], input="Cydon\nDvina\n")
    assert out.exit_code == 0, out.stderr
    together = [key(json.loads(line)) for line in out.stdout.splitlines()]
    assert len(alone) >= 2 and together == alone


# -- an article dated only to a range ---------------------------------------------------------
def test_a_range_dated_article_is_stated_only_where_all_its_dates_agree(cli, tmp_path):
    d = base(tmp_path, {"a": (("2009", "2013"), ["Dvina is a member of the Union."])},
             """memberships:
  - state: dvina
    bloc: union
    status: member
    source: a
    quote: "Dvina is a member of the Union."
""")
    for year in ("2009", "2011", "2013"):
        assert statuses(ask(cli, "members", "Union", "--as-of", year, "--data", d), "Dvina") \
            in ([("member", "possible")], [])
    assert statuses(ask(cli, "members", "Union", "--as-of", "2009..2013", "--data", d),
                    "Dvina") == [("member", "stated")]
    csv = cli("export", "-", "--panel", "state-year", "-f", "csv", "--data", d).stdout
    assert not [ln for ln in csv.splitlines() if ln.startswith(",,Dvina") and ln.endswith(",1")
                and ",2011," in ln]


# -- "not yet" beside a recognition, in both orders ---------------------------------------------
def _notyet(tmp_path, rec_date, notyet_date, since=None):
    arts = {"rec": (rec_date, ["Cydon recognizes Zed."]),
            "ny": (notyet_date, ["Cydon has yet to recognize Zed."])}
    extra = f"    since: \"{since}\"\n" if since else ""
    return base(tmp_path, arts, f"""recognitions:
  - state: cydon
    entity: zed
    status: recognizes
{extra}    source: rec
    quote: "Cydon recognizes Zed."
  - state: cydon
    entity: zed
    status: not-yet
    source: ny
    quote: "Cydon has yet to recognize Zed."
""", name=f"ny-{rec_date}-{notyet_date}")


def test_not_yet_after_a_recognition_is_a_dispute(cli, tmp_path):
    d = _notyet(tmp_path, "2009-01-10", "2010-05-01")
    rows = [r for r in ask(cli, "disputes", "--data", d) if r["state"] == "Cydon"]
    assert rows and rows[0]["kind"] == "status"
    mid = statuses(ask(cli, "recognizes", "Zed", "--as-of", "2009-06", "--all", "--data", d),
                   "Cydon")
    assert ("recognizes", "disputed") in mid
    # confined to the days the sources disagree on: after the "not yet", no dispute
    late = statuses(ask(cli, "recognizes", "Zed", "--as-of", "2011", "--all", "--data", d),
                    "Cydon")
    assert all(b != "disputed" for _, b in late)


def test_not_yet_before_a_recognition_is_a_change(cli, tmp_path):
    d = _notyet(tmp_path, "2010-05-01", "2009-01-10", since="2010-04")
    assert not [r for r in ask(cli, "disputes", "--data", d) if r["state"] == "Cydon"]
    assert statuses(ask(cli, "recognizes", "Zed", "--as-of", "2009-01", "--all", "--data", d),
                    "Cydon") == [("not-yet", "stated")]
    assert statuses(ask(cli, "recognizes", "Zed", "--as-of", "2010-05-01", "--all", "--data", d),
                    "Cydon") == [("recognizes", "stated")]


# -- a complete list of the same day ------------------------------------------------------------
def test_a_complete_list_of_the_same_day_that_leaves_a_state_out_is_a_dispute(cli, tmp_path):
    d = base(tmp_path, {"a": ("2012-03-01", ["Ardia and Borsk are members of the Pact."]),
                        "b": ("2012-03-01", ["The Pact comprises Borsk alone."])},
             """rosters:
  - bloc: pact
    source: a
    quote: "Ardia and Borsk are members of the Pact."
    members: [ardia, borsk]
    complete: false
  - bloc: pact
    source: b
    quote: "The Pact comprises Borsk alone."
    members: [borsk]
""")
    day = statuses(ask(cli, "members", "Pact", "--as-of", "2012-03-01", "--all", "--data", d))
    assert ("member", "disputed") in day
    assert [r for r in ask(cli, "disputes", "--data", d) if r["state"] == "Ardia"]


def _listed_then_left_out(tmp_path, status: str, since: str, sentence: str) -> str:
    """Ardia listed in 2000, left out of a complete list in 2005, and an article of 2010
    saying `sentence` (its `status` since `since`)."""
    return base(tmp_path, {"a": ("2000-05-01", ["Ardia and Borsk are members of the Pact."]),
                           "b": ("2005-05-01", ["The Pact comprises Borsk alone."]),
                           "c": ("2010-05-01", [sentence])},
                f"""rosters:
  - bloc: pact
    source: a
    quote: "Ardia and Borsk are members of the Pact."
    members: [ardia, borsk]
  - bloc: pact
    source: b
    quote: "The Pact comprises Borsk alone."
    members: [borsk]
memberships:
  - state: ardia
    bloc: pact
    status: {status}
    since: "{since}"
    source: c
    quote: "{sentence}"
""")


def test_a_complete_list_that_leaves_a_state_out_agrees_with_a_stated_non_membership(
        cli, tmp_path):
    # R4b: a list that leaves Ardia out says it has no role then, as "never a member" does;
    # the two are one answer (a note on the non-member row), never a dispute. The article
    # that calls Ardia a member still disagrees with "never a member".
    d = _listed_then_left_out(tmp_path, "non-member", "1995",
                              "Ardia has not been a member of the Pact since 1995.")
    rows = ask(cli, "members", "Pact", "--as-of", "2005-05-01", "--all", "--data", d)
    ardia = [r for r in rows if r["state"] == "Ardia"]
    assert [(r["status"], r["basis"]) for r in ardia] == [("non-member", "stated")], ardia
    assert any("also left out of a complete list (b)" in n for n in ardia[0]["derived"]), ardia
    kinds = {frozenset((r["claim_a"].split()[0], r["claim_b"].split()[0]))
             for r in ask(cli, "disputes", "--data", d) if r["state"] == "Ardia"}
    assert kinds == {frozenset(("member", "non-member"))}, kinds
    # where no article calls it a member, the list's omission stands alone as not-listed
    later = ask(cli, "members", "Pact", "--as-of", "2005-05-01", "--all", "--data", d,
                "--known-at", "2005-05-01")
    assert [(r["status"], r["basis"]) for r in later if r["state"] == "Ardia"] == [
        ("not-listed", "stated")]


def test_a_dispute_with_a_complete_list_names_the_lists_date(cli, tmp_path):
    # "a member since 1999", said in 2010, against a complete list of 2005 without Ardia:
    # the dispute's side of the list is dated by the list (it was "stated " with no date)
    d = _listed_then_left_out(tmp_path, "member", "1999",
                              "Ardia has been a member of the Pact since 1999.")
    rows = [r for r in ask(cli, "disputes", "--data", d) if r["state"] == "Ardia"]
    sides = [r["claim_a"] if r["claim_a"].startswith("not-listed") else r["claim_b"]
             for r in rows if "not-listed" in r["claim_a"] + r["claim_b"]]
    assert sides == ["not-listed (stated 2005-05-01)"], rows


# -- conflicting ends -----------------------------------------------------------------------------
def test_two_articles_that_date_one_exit_differently_are_one_spell_and_a_dispute(cli, tmp_path):
    d = base(tmp_path, {"a": ("2010-01-01", ["Borsk is a member of the Pact."]),
                        "b": ("2013-01-01", ["Borsk left the Pact in June 2012."]),
                        "c": ("2014-01-01", ["Borsk left the Pact in December 2012."])},
             """memberships:
  - state: borsk
    bloc: pact
    status: member
    source: a
    quote: "Borsk is a member of the Pact."
  - state: borsk
    bloc: pact
    status: member
    until: "2012-06"
    source: b
    quote: "Borsk left the Pact in June 2012."
  - state: borsk
    bloc: pact
    status: member
    until: "2012-12"
    source: c
    quote: "Borsk left the Pact in December 2012."
""")
    timeline = [r for r in ask(cli, "timeline", "Borsk", "--data", d) if r["status"] == "member"]
    assert not any(r["event"] == "joined" for r in timeline)  # no return is invented
    sept = statuses(ask(cli, "members", "Pact", "--as-of", "2012-09", "--all", "--data", d),
                    "Borsk")
    assert any(b == "disputed" for _, b in sept)
    assert statuses(ask(cli, "members", "Pact", "--as-of", "2010-01-01", "--all", "--data", d),
                    "Borsk") == [("member", "stated")]


# -- a dispute beside a stated status --------------------------------------------------------------
def test_a_dispute_about_one_tie_leaves_another_tie_stated(cli, tmp_path):
    d = base(tmp_path, {"a": ("2015-01-01", ["Ardia is a member of the Pact and the Union."]),
                        "b": ("2015-01-01", ["Ardia is not a member of the Pact."])},
             """memberships:
  - state: ardia
    bloc: [pact, union]
    status: member
    source: a
    quote: "Ardia is a member of the Pact and the Union."
  - state: ardia
    bloc: pact
    status: non-member
    source: b
    quote: "Ardia is not a member of the Pact."
""")
    rows = {r["bloc"]: r for r in ask(cli, "memberships", "Ardia", "--as-of", "2015",
                                      "--data", d)}
    assert rows["Union"]["basis"] == "stated" and rows["Pact"]["basis"] == "disputed"
    cmp = {r["state"]: r for r in ask(cli, "compare", "Pact", "Union", "--as-of", "2015",
                                      "--data", d)}
    assert cmp["Ardia"]["in"] == "undecided" and cmp["Ardia"]["in_b"] == "yes"


# -- a forecast ------------------------------------------------------------------------------------
def test_a_forecast_is_not_carried_before_its_date_nor_stated(cli, tmp_path):
    d = base(tmp_path, {"a": ("2016-01-01", ["Dvina will join the Union in 2017."])},
             """memberships:
  - state: dvina
    bloc: union
    status: member
    since: "2017"
    forecast: true
    source: a
    quote: "Dvina will join the Union in 2017."
""")
    assert statuses(ask(cli, "members", "Union", "--as-of", "2016", "--all", "--data", d),
                    "Dvina") == []
    assert statuses(ask(cli, "members", "Union", "--as-of", "2018", "--all", "--data", d),
                    "Dvina") == [("member", "possible")]


# -- partner and aspirant hold together ------------------------------------------------------------
def test_statuses_outside_a_group_hold_together(cli, tmp_path):
    d = base(tmp_path, {"a": ("2014-09-02", ["The Pact and its partner, Borsk."]),
                        "b": ("2014-09-03", ["Borsk still pursues Pact entry."])},
             """memberships:
  - state: borsk
    bloc: pact
    status: partner
    source: a
    quote: "The Pact and its partner, Borsk."
  - state: borsk
    bloc: pact
    status: aspirant
    source: b
    quote: "Borsk still pursues Pact entry."
""")
    assert statuses(ask(cli, "members", "Pact", "--as-of", "2014-09-03", "--all", "--data", d),
                    "Borsk") == [("aspirant", "stated"), ("partner", "possible")]
    assert not [r for r in ask(cli, "changes", "Pact", "--from", "2014-09-02", "--to",
                               "2014-09-03", "--data", d) if r["state"] == "Borsk"
                and r["change"].startswith("aspirant")]


# -- the order of statements changes nothing -------------------------------------------------------
def _entries(facts: str) -> tuple[str, list[str]]:
    head, _, body = facts.partition("\n")
    return head, ["  - " + e for e in body.split("  - ") if e.strip()]


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000))
def test_reordering_the_statements_changes_no_answer(cli, tmp_path, seed):
    head, entries = _entries(REJOIN_FACTS.split("rosters:")[0])
    rnd = random.Random(seed)
    shuffled = entries[:]
    rnd.shuffle(shuffled)
    roster = "rosters:" + REJOIN_FACTS.split("rosters:")[1]
    a = base(tmp_path, REJOIN, head + "\n" + "".join(entries) + roster, name=f"a{seed}")
    b = base(tmp_path, REJOIN, head + "\n" + "".join(shuffled) + roster, name=f"b{seed}")

    def answers(d):
        out = []
        for y in ("1995", "1999", "2003", "2006", "2008", "2012", "2012-06-25", "2014"):
            rows = ask(cli, "members", "Pact", "--as-of", y, "--all", "--data", d)
            out.append(sorted((r["state"], r["status"], r["basis"], r["since"], r["until"])
                              for r in rows))
        return out, json.dumps(ask(cli, "disputes", "--data", d), sort_keys=True).replace(
            d, "")

    ra, rb = answers(a), answers(b)
    assert ra[0] == rb[0]
    assert len(json.loads(ra[1])) == len(json.loads(rb[1]))

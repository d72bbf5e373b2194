"""One question, one answer: every command, format and export reads the same verdicts.

The facts asserted here come from reading the five articles:
- goodenough-2008 (5 Sep 2008): "Ten days since Medvedev signed a decree recognizing the
  independence of South Ossetia and Abkhazia ... only one other government – Nicaragua ...
  – has followed suit"; "Even other close allies, such as Venezuela, Belarus, Syria and
  Iran, have yet to do so"; the SCO's unwillingness "late last month"; CSTO foreign
  ministers "on Thursday" stopped short of recognizing; "Georgia was a member but withdrew
  in 1999".
- rferl-2008: the CSTO ministers' statement "was adopted at a meeting in the Russian capital
  on September 4".
- outline-2014 (3 Sep 2014): the CSTO "includes Russia, Armenia, Belarus, Kazakhstan,
  Kyrgyzstan and Tajikistan (with Serbia and Afghanistan holding an observer status)";
  Georgia "had recently signed the association agreement with the EU".
- eurasianet-2014 (2 Sep 2014): "Last week" Putin and Khajimba discussed "the creation of a
  unified defense space"; "other members of the Collective Security Treaty Organization ...
  don't recognize Abkhazia or South Ossetia".
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from conftest import FIVE
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from alliances.answers.panel import panel
from alliances.answers.query import NO_FILTER, Filters, members, memberships, recognizers
from alliances.facts.dates import MAX, MIN, DateRange, bounds, parse_partial
from alliances.facts.store import build_factbase

CSTO_2014 = {"Russia", "Armenia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Tajikistan"}
CSTO_2008_MINISTERS = {"Armenia", "Belarus", "Kyrgyzstan", "Kazakhstan", "Tajikistan",
                       "Uzbekistan"}
NOT_YET = {"Venezuela", "Belarus", "Syria", "Iran"}


def names(cli, *args, key="state"):
    return {r[key] for r in cli.json(*args)}


def plain(cli, *args):
    return [line for line in cli(*args, "--format", "plain").stdout.splitlines() if line]


# -- recognition dates: nothing an article rules out is shown ------------------------------
@pytest.mark.parametrize("when", ["2008-07", "2008-08-01", "2008-08-24"])
def test_nobody_had_recognized_before_the_decree(cli, when):
    # the decree of about 26 August ("ten days since" 5 Sep) came first; Nicaragua followed
    assert names(cli, "recognizes", "South Ossetia", "--as-of", when) == set()


def test_the_decree_days_are_possible_then_stated(cli):
    rows = cli.json("recognizes", "South Ossetia", "--as-of", "2008-08-25")
    assert {r["state"]: r["basis"] for r in rows} == {"Russia": "possible",
                                                       "Nicaragua": "possible"}
    # by 27 August ten days before 5 September had certainly passed
    rows = {r["state"]: r for r in cli.json("recognizes", "South Ossetia", "--as-of",
                                            "2008-08-27")}
    assert rows["Russia"]["basis"] == "stated"
    assert rows["Russia"]["since_earliest"] == "2008-08-25"
    assert rows["Russia"]["since_latest"] == "2008-08-27"
    # every admitted article about Russia's recognition is cited, each with its own dating
    cited = {s["id"]: s for s in rows["Russia"]["sources"]}
    assert {"reuters-2008", "goodenough-2008", "rferl-2008", "outline-2014"} <= set(cited)
    assert cited["reuters-2008"]["since"] == "2008-08"


def test_a_tighter_article_is_never_dropped_by_the_period(cli):
    # with only reuters-2008 ("last month"), 1 August is possible; goodenough rules it out
    alone = cli.json("recognizes", "South Ossetia", "--as-of", "2008-08-01",
                     "--source", "reuters-2008")
    # "To date, only Nicaragua has followed Russia's lead" (of "last month"): August too
    assert {r["state"] for r in alone} == {"Russia", "Nicaragua"}
    assert names(cli, "recognizes", "South Ossetia", "--as-of", "2008-08-01") == set()


# -- refusal is not "not yet" ------------------------------------------------------------
def test_refusal_and_not_yet_are_different_statuses(cli):
    refused = names(cli, "recognizes", "Abkhazia", "--as-of", "2008-09",
                    "--status", "does-not-recognize")
    assert CSTO_2008_MINISTERS <= refused
    assert not {"Venezuela", "Syria", "Iran"} & refused
    # stated: goodenough-2008's "have yet to do so"; every other state only possibly, from
    # outline-2014's "The republics were not officially recognized" (a group statement)
    # Belarus, both refusing with the ministers and "yet to" in goodenough-2008, is one row:
    # the more specific refusal, citing both (docs/rules.md, "One verdict")
    rows = cli.json("recognizes", "Abkhazia", "--as-of", "2008-09", "--status", "not-yet")
    assert {r["state"] for r in rows if r["basis"] == "stated"} == NOT_YET - refused
    assert "Belarus" in refused
    belarus = next(r for r in cli.json("recognizes", "Abkhazia", "--as-of", "2008-09", "--all")
                   if r["state"] == "Belarus")
    assert belarus["status"] == "does-not-recognize"
    assert {"not-yet", "does-not-recognize"} <= {x["status"] for x in belarus["sources"]}


def test_the_ministers_refused_on_4_september(cli):
    before = names(cli, "recognizes", "Abkhazia", "--as-of", "2008-09-03",
                   "--status", "does-not-recognize")
    assert "Armenia" not in before and "Belarus" not in before
    on = cli.json("recognizes", "Abkhazia", "--as-of", "2008-09-04",
                  "--status", "does-not-recognize")
    armenia = next(r for r in on if r["state"] == "Armenia")
    assert armenia["since"] == "2008-09-04" and armenia["basis"] == "stated"


def test_the_sco_failure_was_late_august(cli):
    assert "China" not in names(cli, "recognizes", "Abkhazia", "--as-of", "2008-08-20",
                                "--status", "does-not-recognize")
    china = next(r for r in cli.json("recognizes", "Abkhazia", "--as-of", "2008-08-25",
                                     "--all") if r["state"] == "China")
    assert china["status"] == "does-not-recognize" and china["basis"] == "possible"
    assert china["since_earliest"].startswith("2008-08-") and \
        china["since_latest"] == "2008-08-31"


def test_eurasianet_other_csto_members_state_by_state(cli):
    rows = cli.json("recognizes", "Abkhazia", "--source", "eurasianet-2014", "--all")
    assert {r["state"] for r in rows if r["status"] == "does-not-recognize"} == \
        CSTO_2014 - {"Russia"}
    assert all(r["state_id"] for r in rows)
    # "other members": Russia is a member too
    assert names(cli, "members", "CSTO", "--source", "eurasianet-2014") == {"Russia"}


def _add_article(data, sid: str, published: str, text: str, facts: str) -> None:
    (data / "sources" / f"{sid}.txt").write_text(text, "utf-8")
    with open(data / "sources" / "sources.yaml", "a", encoding="utf-8") as f:
        f.write(f"  {sid}:\n    file: {sid}.txt\n    title: \"A later report\"\n"
                f"    publisher: null\n    author: null\n    published: \"{published}\"\n"
                "    date_note: \"Written for this test.\"\n")
    blocs = data / "blocs.yaml"
    blocs.write_text(blocs.read_text("utf-8") + facts, "utf-8")


def test_not_yet_lapses_when_a_later_article_says_recognizes(cli, data_copy):
    _add_article(data_copy, "later-2010", "2010-03-01",
                 "Venezuela now recognizes Abkhazia.\n",
                 "  - state: venezuela\n    entity: abkhazia\n    status: recognizes\n"
                 "    source: later-2010\n    quote: \"Venezuela now recognizes Abkhazia.\"\n")
    rows = cli.json("recognizes", "Abkhazia", "--as-of", "2010", "--all", "--data", data_copy)
    venezuela = [r for r in rows if r["state"] == "Venezuela"]
    # stated in 2010; "not yet" (goodenough-2008) only possibly still held early in 2010
    assert [(r["status"], r["basis"]) for r in venezuela] == [
        ("recognizes", "stated"), ("not-yet", "possible")]
    # and it began after goodenough-2008 said "have yet to do so" (5 Sep 2008)
    assert venezuela[0]["since_earliest"] >= "2008-09-05"
    assert not [r for r in cli.json("disputes", "--data", data_copy)
                if r["state"] == "Venezuela"]
    # still not yet in 2008
    assert [r["status"] for r in cli.json("recognizes", "Abkhazia", "--as-of", "2008-09",
                                          "--all", "--data", data_copy)
            if r["state"] == "Venezuela"] == ["not-yet"]


def test_articles_that_cannot_both_be_right_are_disputed(cli, data_copy):
    _add_article(data_copy, "later-2010", "2010-03-01",
                 "Venezuela recognized Abkhazia in August 2008.\n",
                 "  - state: venezuela\n    entity: abkhazia\n    status: recognizes\n"
                 "    since: \"2008-08\"\n    source: later-2010\n"
                 "    quote: \"Venezuela recognized Abkhazia in August 2008.\"\n")
    rows = [r for r in cli.json("recognizes", "Abkhazia", "--as-of", "2008-09", "--all",
                                "--data", data_copy) if r["state"] == "Venezuela"]
    assert rows and {r["basis"] for r in rows} == {"disputed"}
    disputes = [r for r in cli.json("disputes", "--data", data_copy)
                if r["state"] == "Venezuela" and r["object"] == "Abkhazia"]
    assert disputes and {"later-2010", "goodenough-2008"} <= {
        s["id"] for s in disputes[0]["sources"]}


def test_not_recognized_by_anyone_until_russia(cli):
    # outline-2014: "The republics were not officially recognized" when they emerged with
    # the collapse of the Soviet Union; "After the 2008 conflict, Russia ... recognized"
    rows = cli.json("recognizes", "South Ossetia", "--as-of", "1995", "--all")
    # a group statement, answered state by state and never as if it were a state
    assert rows and {r["status"] for r in rows} == {"not-yet"}
    assert all(r["state_id"] and r["state"] != "every state" for r in rows)
    assert {"Russia", "Nicaragua", "China"} <= {r["state"] for r in rows}
    assert all(any(s["id"] == "outline-2014" and s.get("group") == "every state"
                   for s in r["sources"]) for r in rows)
    assert {r["since_earliest"] for r in rows} == {"1991-12-01"}
    assert cli.json("recognizes", "South Ossetia", "--as-of", "1990", "--all") == []
    later = {r["state"]: r["status"] for r in cli.json(
        "recognizes", "South Ossetia", "--as-of", "2008-09-05", "--all")}
    assert later["Russia"] == "recognizes"


def _venezuela(data, since: str, sentence: str) -> None:
    _add_article(data, "later-2010", "2010-03-01", sentence + "\n",
                 "  - state: venezuela\n    entity: abkhazia\n    status: recognizes\n"
                 f"    since: \"{since}\"\n    source: later-2010\n"
                 f"    quote: \"{sentence}\"\n")


def _venezuela_rows(cli, data, when):
    return sorted((r["status"], r["basis"]) for r in cli.json(
        "recognizes", "Abkhazia", "--as-of", when, "--all", "--data", data)
        if r["state"] == "Venezuela")


def test_a_later_recognition_ends_not_yet(cli, data_copy):
    _venezuela(data_copy, "2009-01", "Venezuela recognized Abkhazia in January 2009.")
    # mid-January 2009 either may hold; by June it has recognised; not yet is over for good
    assert _venezuela_rows(cli, data_copy, "2009-01-15") == [
        ("not-yet", "possible"), ("recognizes", "possible")]
    assert _venezuela_rows(cli, data_copy, "2009-06") == [("recognizes", "stated")]
    assert _venezuela_rows(cli, data_copy, "2011") == [("recognizes", "possible")]
    assert not [r for r in cli.json("disputes", "--data", data_copy) if r["state"] == "Venezuela"]


def test_a_change_on_the_day_is_not_a_dispute(cli, data_copy):
    # goodenough-2008: "have yet to do so" on 5 September; a later article: recognised that day
    _venezuela(data_copy, "2008-09-05", "Venezuela recognized Abkhazia on 5 September 2008.")
    assert not [r for r in cli.json("disputes", "--data", data_copy)
                if r["state"] == "Venezuela"]
    assert _venezuela_rows(cli, data_copy, "2011") == [("recognizes", "possible")]


# -- membership: one answer in every command and format -------------------------------------
def test_plain_output_is_the_rows_of_the_table(cli):
    assert "Georgia" not in plain(cli, "members", "NATO")        # an aspirant
    assert "Georgia" not in plain(cli, "members", "EU")          # a partner
    stated = {r["state"] for r in cli.json("members", "CSTO", "--as-of", "2014")
              if r["basis"] == "stated"}
    assert stated == CSTO_2014 and stated <= set(plain(cli, "members", "CSTO", "--as-of", "2014"))
    assert not any("grouping" in b for b in plain(cli, "memberships", "Russia"))


def test_compare_agrees_with_members(cli):
    for when in ("2008", "2014"):
        a = set(plain(cli, "members", "CSTO", "--as-of", when))
        b = set(plain(cli, "members", "SCO", "--as-of", when))
        rows = cli.json("compare", "CSTO", "SCO", "--as-of", when)
        where = {r["state"]: r["in"] for r in rows}
        undecided = {s for s, w in where.items() if w == "undecided"}
        both = {s for s, w in where.items() if w == "both"}
        assert both <= a & b <= both | undecided
        assert {s for s, w in where.items() if w == "only CSTO"} <= a - b
        assert {s for s, w in where.items() if w == "only SCO"} <= b - a
        assert (a | b) <= set(where)
    uzb = next(r for r in cli.json("compare", "CSTO", "SCO", "--as-of", "2014")
               if r["state"] == "Uzbekistan")
    # left out of outline-2014's CSTO list, and only carried in the SCO: undecided, not
    # "only SCO"
    assert (uzb["in"], uzb["in_a"], uzb["in_b"]) == ("undecided", "undecided", "yes")
    assert uzb["status_b"] == "member" and uzb["basis_b"] == "possible"


def test_shared_keeps_both_bases(cli):
    [sco] = [r for r in cli.json("shared", "Kyrgyzstan", "Uzbekistan", "--as-of", "2014")
             if r["bloc_id"] == "sco"]
    # no 2014 article speaks of the SCO: carried forward from 2008 on both sides
    assert (sco["basis_a"], sco["basis_b"]) == ("possible", "possible")


def test_no_fact_is_carried_back_before_its_article(cli):
    assert cli.json("members", "EU", "--as-of", "1992", "--all") == []
    assert "eu" not in {r["bloc_id"] for r in cli.json("memberships", "Georgia",
                                                        "--as-of", "1995", "--all")}
    assert cli.json("memberships", "Serbia", "--as-of", "2008", "--all") == []


def test_an_empty_answer_says_why(cli):
    r = cli("members", "CSTO", "--as-of", "2008", "--status", "observer", "--format", "json")
    assert json.loads(r.stdout) == []
    assert "none with status observer in 2008" in r.stderr
    assert "is 2014-09-03" in r.stderr  # the first article that names an observer
    r = cli("members", "CSTO", "--as-of", "2008-06", "--format", "json")
    assert "is 2008-09-04" in r.stderr  # the first article that lists a member


def test_timeline_shows_the_omission(cli):
    for name in ("Uzbekistan", "CSTO"):
        rows = cli.json("timeline", name)
        left = [r for r in rows if r["event"] == "left out of a complete list"
                and r["state"] == "Uzbekistan"]
        assert left and left[0]["date"] == "2014-09-03"
        assert left[0]["state_id"] == "uzbekistan" and left[0]["bloc_id"] == "csto"


def test_formation_after_the_breakup(cli):
    r = cli("members", "CSTO", "--as-of", "1991-06", "--all", "--format", "json")
    assert json.loads(r.stdout) == [] and "1991-12" in r.stderr
    # Georgia's spell before its 1999 withdrawal reaches back to the formation, no further
    georgia = cli.json("memberships", "Georgia", "--as-of", "1995", "--all")
    assert [(r["bloc_id"], r["status"], r["basis"]) for r in georgia] == [
        ("csto", "member", "possible")]
    assert georgia[0]["since_earliest"] == "1991-12-01"


def test_the_proposed_union_dates_from_late_august_2014(cli):
    assert "ars-grouping" not in {r["bloc_id"] for r in cli.json(
        "memberships", "Russia", "--as-of", "2014-08-20", "--all")}
    row = next(r for r in cli.json("memberships", "Russia", "--as-of", "2014-08-28", "--all")
               if r["bloc_id"] == "ars-grouping")
    # "last week" of 2 Sep 2014 (25-31 Aug) within outline's "late August"
    assert row["status"] == "proposed" and row["since_earliest"] == "2014-08-25"


# -- edges of the date logic -----------------------------------------------------------------
def D(s):
    return date.fromisoformat(s)


def test_dates_at_their_edges():
    a = parse_partial("2008-08")
    day = parse_partial("2008-08-31")
    nxt = parse_partial("2008-09-01")
    assert a.overlaps(day) and day.overlaps(a)          # touching at the last day
    assert not a.overlaps(nxt) and not nxt.overlaps(a)
    one = a.intersect(day)
    assert one is not None and (one.earliest, one.latest) == (D("2008-08-31"),) * 2
    assert a.intersect(nxt) is None
    opened = bounds(MIN, D("2008-08-15"))
    assert opened.overlaps(a) and opened.intersect(a).latest == D("2008-08-15")
    assert not bounds(D("2008-09-01"), MAX).overlaps(a)


def test_a_period_ending_the_day_a_fact_may_start(cli):
    # Russia's decree: [2008-08-25..2008-08-27]; a one-day period on each side of each edge
    assert names(cli, "recognizes", "Abkhazia", "--as-of", "2008-08-24") == set()
    assert "Russia" in names(cli, "recognizes", "Abkhazia", "--as-of", "2008-08-25")
    got = {r["state"]: r["basis"] for r in cli.json("recognizes", "Abkhazia", "--as-of",
                                                     "2008-08-26")}
    assert got["Russia"] == "possible"
    got = {r["state"]: r["basis"] for r in cli.json("recognizes", "Abkhazia", "--as-of",
                                                     "2008-08-27")}
    assert got["Russia"] == "stated"


def test_a_withdrawal_year_is_stated_only_at_its_start(cli):
    # "was a member but withdrew in 1999": certainly a member on 1 January 1999 at the
    # latest, not certainly in June
    jan = cli.json("memberships", "Georgia", "--as-of", "1999-01-01", "--all")
    assert [(r["status"], r["basis"]) for r in jan] == [("member", "stated"),
                                                         ("former-member", "possible")]
    june = cli.json("memberships", "Georgia", "--as-of", "1999-06", "--all")
    assert ("member", "possible") in [(r["status"], r["basis"]) for r in june]
    later = cli.json("memberships", "Georgia", "--as-of", "2000", "--all")
    assert "member" not in {r["status"] for r in later if r["bloc_id"] == "csto"}


# -- properties over random questions ---------------------------------------------------------
FB = build_factbase(FIVE)[0]
CODE = {"member": 1, "associate": 2, "observer": 3}


def _period(draw_day: int, width: str) -> DateRange:
    d = date(1988, 1, 1) + timedelta(days=draw_day)
    if width == "year":
        return parse_partial(f"{d.year:04d}")
    if width == "month":
        return parse_partial(f"{d.year:04d}-{d.month:02d}")
    return parse_partial(d.isoformat())


filters = st.builds(
    Filters,
    st.sampled_from([None, *sorted(FB.sources)]),
    st.sampled_from([None, parse_partial("2008-09-04"), parse_partial("2008-09-05"),
                     parse_partial("2014-09-02"), parse_partial("2014")]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(day=st.integers(0, 30 * 366), width=st.sampled_from(["day", "month", "year"]),
       f=filters)
def test_members_and_memberships_agree(day, width, f):
    period = _period(day, width)
    for bloc in FB.blocs:
        by_members = {(r["state_id"], r["status"], r["basis"])
                      for r in members(FB, bloc, period, {"all"}, f).rows if r["state_id"]}
        by_state = {(s, r["status"], r["basis"]) for s in FB.entities
                    for r in memberships(FB, s, period, {"all"}, f).rows
                    if r["bloc_id"] == bloc}
        assert by_members == by_state


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(day=st.integers(0, 30 * 366), width=st.sampled_from(["day", "month", "year"]),
       f=filters)
def test_rows_cite_every_admitted_statement_and_respect_their_bounds(day, width, f):
    period = _period(day, width)
    for entity in ("abkhazia", "south-ossetia"):
        for r in recognizers(FB, entity, period, {"all"}, f).rows:
            cited = {(s["id"], s["quote"]) for s in r["sources"]}
            # the state's own statements, and every group statement it was expanded from
            admitted = {(s.citation.source, s.citation.quote) for s in FB.statements
                        if s.relation == "recognition" and s.object == entity
                        and s.subject == r["state_id"] and f.admits(FB, s.citation.source)}
            via = {(s["id"], s["quote"]) for s in r["sources"] if s.get("group")}
            assert (admitted or via) and admitted <= cited
            assert r["state_id"] and r["state"] != "every state"
            # never shown for a period wholly before the earliest start the articles allow
            if r["since_earliest"]:
                assert period.latest >= date.fromisoformat(r["since_earliest"])
            for s in r["sources"]:
                assert f.source in (None, s["id"])


def test_panel_cells_are_the_verdicts():
    columns, rows = panel(FB)
    for row in rows:
        if row["year"] not in (1999, 2000, 2008, 2010, 2014):
            continue
        period = parse_partial(str(row["year"]))
        verdicts_of: dict = {}
        for r in memberships(FB, row["state_id"], period, {"all"}).rows:
            verdicts_of.setdefault(r["bloc_id"], []).append(r)
        for bloc in FB.blocs:
            vs = verdicts_of.get(bloc, [])
            stated = [v for v in vs if v["basis"] in ("stated", "bracketed")]
            codes = [CODE[v["status"]] for v in stated if v["status"] in CODE]
            if FB.blocs[bloc].proposed:
                assert row[bloc] == -1
            elif any(v["basis"] == "disputed" for v in vs) or not stated:
                assert row[bloc] == -9, (row, bloc, vs)
            elif codes:
                assert row[bloc] == min(codes, key=lambda c: (c != 1, c))
            else:
                assert row[bloc] in (0, -9)
    cell = {(r["state_id"], r["year"]): r for r in rows}
    assert cell[("serbia", 2008)]["csto"] == -9      # silence, not 0
    assert cell[("serbia", 2014)]["csto"] == 3
    assert cell[("uzbekistan", 2014)]["csto"] == -9  # not-listed
    assert cell[("georgia", 2000)]["csto"] == 0      # withdrew in 1999


def test_every_format_gives_the_same_rows(cli):
    for args, key in ((["members", "CSTO", "--as-of", "2014", "--all"], "state"),
                      (["recognizes", "Abkhazia", "--all"], "state"),
                      (["memberships", "Kyrgyzstan"], "bloc")):
        rows = cli.json(*args)
        assert rows
        assert plain(cli, *args) == [r[key] for r in rows]
        tsv = cli(*args, "--format", "tsv").stdout.splitlines()
        header = tsv[0].split("\t")
        assert [dict(zip(header, line.split("\t"), strict=False))[key] for line in tsv[1:]] == \
            [r[key] for r in rows]
        assert [dict(zip(header, line.split("\t"), strict=False))["status"]
                for line in tsv[1:]] == [r["status"] for r in rows]


# -- generated articles that overlap and contradict each other ------------------------------
STATES = ["alpha", "beta", "gamma"]
MEMBER_STATUSES = ["member", "observer", "non-member", "aspirant"]
REC_STATUSES = ["recognizes", "does-not-recognize", "not-yet"]


def _day(n: int) -> str:
    return (date(2000, 1, 1) + timedelta(days=n)).isoformat()


claim = st.tuples(st.sampled_from(STATES), st.sampled_from(["m", "r"]),
                  st.integers(0, 3), st.integers(0, 3000), st.integers(-400, 400),
                  st.booleans(), st.booleans())


def _write(tmp, articles) -> str:
    """A data directory of generated articles: each claim is a sentence of its article."""

    d = tmp / f"gen{len(list(tmp.iterdir()))}"
    (d / "sources").mkdir(parents=True)
    src = ["schema: 1", "sources:"]
    facts = ["memberships:"]
    recs = ["recognitions:"]
    for i, (published, claims) in enumerate(articles):
        sid = f"a{i}"
        lines = []
        for j, (state, rel, k, _, offset, has_since, has_until) in enumerate(claims):
            sentence = f"Claim {j} of article {i}: {state} {rel}{k}."
            lines.append(sentence)
            status = (MEMBER_STATUSES if rel == "m" else REC_STATUSES)[k % (4 if rel == "m" else 3)]
            pub = date(2000, 1, 1) + timedelta(days=published)
            since = pub - timedelta(days=abs(offset)) if has_since else None
            body = [f"  - state: {state}",
                    "    bloc: bee" if rel == "m" else "    entity: zed",
                    f"    status: {status}"]
            if since:
                body.append(f"    since: \"{since.isoformat()}\"")
            if has_until and rel == "m" and status == "member":
                until = (pub - timedelta(days=abs(offset) // 2)).isoformat()
                body.append(f"    until: \"{until}\"")
            body += [f"    source: {sid}", f"    quote: \"{sentence}\""]
            (facts if rel == "m" else recs).extend(body)
        (d / "sources" / f"{sid}.txt").write_text("\n".join(lines) + "\n", "utf-8")
        src += [f"  {sid}:", f"    file: {sid}.txt", "    title: \"Generated\"",
                "    publisher: null", "    author: null",
                f"    published: \"{_day(published)}\"", "    date_note: \"generated\""]
    (d / "sources" / "sources.yaml").write_text("\n".join(src) + "\n", "utf-8")
    blocs = ["schema: 1", "entities:", *[f"  {s}: {{name: {s.title()}}}" for s in STATES],
             "  zed: {name: Zed, kind: breakaway region}", "blocs:",
             "  bee: {name: Bee, cited: [{source: a0, quote: \"Claim 0 of article 0\"}]}",
             *(facts if len(facts) > 1 else []), *(recs if len(recs) > 1 else [])]
    (d / "blocs.yaml").write_text("\n".join(blocs) + "\n", "utf-8")
    return str(d)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(articles=st.lists(st.tuples(st.integers(0, 3000), st.lists(claim, min_size=1,
                                                                   max_size=4)),
                         min_size=1, max_size=4),
       day=st.integers(-100, 3200), width=st.sampled_from(["day", "month", "year"]),
       known=st.integers(0, 3000), pick=st.integers(0, 4))
# a member "until" the article's own day: a change that day, not a clash with itself
@example(articles=[(0, [("alpha", "m", 0, 0, 0, False, True)])], day=0, width="day",
         known=0, pick=0)
def test_generated_contradictions_keep_one_answer(tmp_path, articles, day, width, known, pick):
    from alliances.answers.query import compare

    d = _write(tmp_path, articles)
    fb, problems = build_factbase(d, strict=False)
    assert not problems, problems
    period = _period(day + 4383, width)  # 2000-01-01 onwards
    source = f"a{pick}" if pick < len(articles) else None
    for f in (NO_FILTER, Filters(source, None), Filters(None, parse_partial(_day(known)))):
        rows = members(fb, "bee", period, {"all"}, f).rows
        by_state = {(s, r["status"], r["basis"]) for s in STATES
                    for r in memberships(fb, s, period, {"all"}, f).rows}
        assert {(r["state_id"], r["status"], r["basis"]) for r in rows} == by_state
        # compare agrees with members on both sides
        shown = {r["state_id"] for r in rows if r["status"] == "member"}
        sides = {r["state_id"]: r["in"] for r in compare(fb, "bee", "bee", period, f).rows}
        both = {s for s, w in sides.items() if w == "both"}
        undecided = {s for s, w in sides.items() if w == "undecided"}
        assert both <= shown <= both | undecided
        # undecided only where a tie is disputed against what is not a tie, or only
        # possible beside such a status
        for s in undecided:
            mine = [r for r in rows if r["state_id"] == s]
            assert any(r["basis"] not in ("stated", "bracketed") for r in mine if r["status"] in (
                "member", "associate", "observer")), mine
        for r in rows + recognizers(fb, "zed", period, {"all"}, f).rows:
            # no row for a period the evidence rules out
            if r["since_earliest"]:
                assert period.latest >= date.fromisoformat(r["since_earliest"])
            if r["until_latest"]:
                assert period.earliest <= date.fromisoformat(r["until_latest"])
            # every admitted statement about the key is cited
            rel = "membership" if "bloc_id" in r else "recognition"
            obj = r.get("bloc_id") or r.get("entity_id")
            admitted = {(s.citation.source, s.citation.quote) for s in fb.statements
                        if s.relation == rel and s.subject == r["state_id"]
                        and s.object == obj and f.admits(fb, s.citation.source)}
            assert admitted <= {(s["id"], s["quote"]) for s in r["sources"]}
            # a disputed row names what it clashes with, and disputes lists the key
            if r["basis"] == "disputed":
                assert r.get("disputed_with")
                from alliances.answers.query import disputes

                assert any(x["state_id"] == r["state_id"] and x["object_id"] == obj
                           for x in disputes(fb, f).rows)
                event("disputed")
        if f == NO_FILTER and period.label.isdigit():
            from alliances.answers.evaluate import verdicts  # noqa: F401 (the panel's own reader)
            cells = {(row["state_id"], row["year"]): row["bee"] for row in panel(fb)[1]}
            year = int(period.label)
            for s in STATES:
                if (s, year) not in cells:
                    continue
                v = {r["status"]: r["basis"] for r in memberships(fb, s, period, {"all"}).rows}
                code = cells[(s, year)]
                if "disputed" in v.values():
                    assert code == -9
                elif v.get("member") in ("stated", "bracketed"):
                    assert code == 1
                elif code in (1, 3):
                    assert v.get({1: "member", 3: "observer"}[code]) in ("stated", "bracketed")


def test_compare_with_nato_keeps_georgia_where_members_does(cli):
    # goodenough-2008: Georgia "now wants to join NATO"; withdrew from the CSTO in 1999
    rows = cli.json("compare", "CSTO", "NATO", "--as-of", "2008", "--all")
    georgia = next(r for r in rows if r["state"] == "Georgia")
    assert (georgia["status_a"], georgia["status_b"]) == ("former-member", "aspirant")
    assert "Georgia" in names(cli, "members", "NATO", "--as-of", "2008", "--all")
    # by default both answer full membership only, so neither shows Georgia
    assert "Georgia" not in {r["state"] for r in cli.json("compare", "CSTO", "NATO",
                                                          "--as-of", "2008")}
    assert "Georgia" not in plain(cli, "members", "NATO", "--as-of", "2008")


def test_the_2014_list_is_read_as_complete_and_says_so(cli):
    rows = cli.json("members", "CSTO", "--as-of", "2014", "--all")
    afghanistan = next(r for r in rows if r["state"] == "Afghanistan")
    assert afghanistan["status"] == "observer"
    note = next(s["note"] for s in afghanistan["sources"] if s["id"] == "outline-2014")
    assert "includes" in note and "reading" in note
    cells = {(r["state_id"], r["year"]): r["csto"] for r in panel(FB)[1]}
    assert cells[("afghanistan", 2008)] == -9 and cells[("afghanistan", 2014)] == 3


def test_changes_between_2008_and_2014_read_the_same_verdicts(cli):
    rows = {r["state"]: r for r in cli.json("changes", "CSTO", "--from", "2008", "--to", "2014")}
    # listed by the three 2008 articles, left out of outline-2014's list
    assert (rows["Uzbekistan"]["status_before"], rows["Uzbekistan"]["status_after"]) == (
        "member", "not-listed")
    assert {"outline-2014", "rferl-2008"} <= {s["id"] for s in rows["Uzbekistan"]["sources"]}
    # observers are named only in 2014
    assert rows["Serbia"]["status_before"] is None and rows["Serbia"]["status_after"] == "observer"
    assert "Kyrgyzstan" not in rows  # a member on both dates
    # each side is what `members` answers for that date
    for when, side in (("2008", "status_before"), ("2014", "status_after")):
        verdict = {r["state"]: r["status"] for r in cli.json("members", "CSTO", "--as-of", when,
                                                             "--all")}
        for state, r in rows.items():
            if r[side] is not None:
                assert verdict[state] == r[side]
    assert cli("changes", "Russia", "--from", "2008", "--to", "2014", code=2).stderr.count(
        "\n") == 1


def test_recognitions_is_recognizes_the_other_way(cli):
    for state in ("Russia", "Belarus", "Venezuela"):
        mine = {(r["entity"], r["status"], r["basis"]) for r in cli.json(
            "recognitions", state, "--as-of", "2008-09", "--all")}
        theirs = {(e, r["status"], r["basis"]) for e in ("Abkhazia", "South Ossetia")
                  for r in cli.json("recognizes", e, "--as-of", "2008-09", "--all")
                  if r["state"] == state}
        assert mine == theirs and mine
    r = cli("recognizes", "Russia", "--format", "json")
    assert json.loads(r.stdout) == [] and "alliances recognitions" in r.stderr

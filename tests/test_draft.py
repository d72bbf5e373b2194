"""`alliances draft`: candidate facts from an article's wording, for a curator to paste.

The shipped articles are drafted as if the facts file were empty; the share of curated
statements the drafts propose must not fall below the figure docs/curation.md reports. A new
article written here (not one of the five) goes through the real CLI: drafted, pasted into
a fact base with no facts, checked, and queried.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from datetime import date

import pytest
from conftest import FIVE

from alliances.curation import draft as drafting
from alliances.facts.dates import parse_partial
from alliances.facts.load import parse_yaml
from alliances.facts.paths import default_data_dir
from alliances.facts.store import build_factbase

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHIPPED = ("eurasianet-2014", "goodenough-2008", "outline-2014", "reuters-2008", "rferl-2008")


def record_dir() -> str:
    """The curated record the drafts are measured against: the shipped data (the figures are
    taken on its seventeen articles of 2008-2024)."""
    return str(default_data_dir())


def _readme_figures() -> dict:
    """{"held-out": (found, curated, proposed), "all": (...)} as README reports them."""
    with open(os.path.join(ROOT, "docs/curation.md"), encoding="utf-8") as fh:
        text = fh.read()
    section = text.split("## Drafting facts", 1)[1].split("\n## ", 1)[0]
    out = {}
    for key, label in (("held-out", "held-out"), ("all", "all seventeen")):
        m = re.search(rf"On (?:the )?{label} articles?[^*]*\*\*(\d+) of the (\d+)\*\*[^*]*"
                      rf"\*\*(\d+) of its (\d+)\*\*", section)
        assert m, f"README's Drafting facts section lost its {label} figures"
        out[key] = (int(m[1]), int(m[2]), int(m[3]), int(m[4]))
    return out


def test_draft_recall_and_precision_are_at_least_what_the_readme_reports():
    from alliances.curation.draft.measure import HELD_OUT, TUNED, measure

    figures = _readme_figures()
    # the seventeen articles the rules were written from: the unseen articles of
    # articles2 are scored apart (bench/unseen.py score), never mixed with these
    seventeen = set(TUNED) | set(HELD_OUT) | set(SHIPPED)
    for key, only in (("held-out", HELD_OUT), ("all", seventeen)):
        r = measure(record_dir(), only)
        found, curated, kept, proposed = figures[key]
        assert r["curated"] == curated, f"{key}: the record changed: re-measure, update README"
        assert r["found"] >= found, (key, {k: v["missed"] for k, v in r["sources"].items()})
        assert r["found"] / r["proposed"] >= kept / proposed, (
            key, {k: v["rejected"] for k, v in r["sources"].items()})
    found, curated, kept, proposed = figures["held-out"]
    assert found / curated >= 0.8 and kept / proposed >= 0.9


def test_coverage_is_measured_on_names_only():
    """The drafts see no curated fact: emptying the facts changes nothing they propose."""
    fb, _ = build_factbase(FIVE)
    blank = drafting.names_only(fb)
    assert blank.statements == [] and blank.rosters == []
    src = fb.sources["reuters-2008"]
    from alliances.facts.paths import source_text

    text = source_text(fb, src)
    assert (drafting.draft(text, src.published, blank, src.id).triples()
            == drafting.draft(text, src.published, fb, src.id).triples())


def _facts_removed(data_dir) -> str:
    """blocs.yaml with its rosters, memberships and recognitions cut off (names kept)."""
    text = (data_dir / "blocs.yaml").read_text(encoding="utf-8")
    return text[: text.index("\nrosters:")] + "\n"


@pytest.mark.parametrize("sid", SHIPPED)
def test_each_shipped_draft_parses_and_passes_check_once_applied(cli, data_copy, sid, tmp_path):
    head = _facts_removed(data_copy)
    (data_copy / "blocs.yaml").write_text(head, encoding="utf-8")
    out = cli("draft", sid, "--data", data_copy).stdout
    tree = parse_yaml(out, "draft")
    assert {"rosters", "memberships", "recognitions"} <= set(tree) <= {
        "rosters", "memberships", "recognitions", "entities", "codes", "blocs"}
    for key in ("rosters", "memberships", "recognitions"):
        for entry in tree[key]:
            assert entry["source"] == sid
    draft = tmp_path / "draft.yaml"
    draft.write_text(out, encoding="utf-8")
    cli("apply", draft, "--data", data_copy)
    report = cli.json("check", "--data", data_copy)
    assert report["ok"], report["problems"]
    assert report["counts"]["quotes_verified"] == report["counts"]["quotes"]


def test_reuters_draft_reads_its_list_and_dates(cli):
    """From reuters-2008's text: "The Russia-led ODKB also includes Belarus, Armenia and the
    Asian ex-Soviet states of Kazakhstan, Uzbekistan, Tajikistan and Kyrgyzstan", "the SCO
    grouping Russia, China and the four ex-Soviet Asian republics", "Russia’s recognition
    last month of Abkhazia and South Ossetia" (dated September 4, 2008), and "A group of
    Moscow’s ex-Soviet allies on Thursday stopped short of following Russia’s recognition"."""
    tree = parse_yaml(cli("draft", "reuters-2008").stdout, "draft")
    odkb = [r for r in tree["rosters"] if r["bloc"] == "csto"]
    assert set(odkb[0]["members"]) == {"russia", "belarus", "armenia", "kazakhstan",
                                       "uzbekistan", "tajikistan", "kyrgyzstan"}
    sco = [r for r in tree["rosters"] if r["bloc"] == "sco"][0]
    assert set(sco["members"]) == {"russia", "china"} and sco["complete"] is False
    russia = [r for r in tree["recognitions"] if r["state"] == "russia" and "since" in r]
    assert russia[0]["since"] == "2008-08" and "last month" in russia[0]["note"]
    refusals = [r for r in tree["recognitions"] if r["status"] == "does-not-recognize"
                and r.get("since") == "2008-09-04"]
    assert refusals and "russia" not in refusals[0]["state"]
    assert "belarus" in refusals[0]["state"]


def test_draft_unknown_source_is_one_line_with_a_suggestion(cli):
    r = cli("draft", "reuters-2009", code=1)
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("alliances: error: ")
    assert "reuters-2008" in lines[0]
    r = cli("draft", "reuters-2008", "--format", "xml", code=2)
    assert r.stderr.startswith("alliances: error: ") and "yaml or json" in r.stderr


# -- a new article, not one of the five ------------------------------------------------
ARTICLE = textwrap.dedent("""\
    Allies weigh Ossetian question as Moldova's president visits Minsk

    By A. Correspondent | March 12, 2015

    Belarus signed a decree recognising South Ossetia last week, a spokesman said on Thursday.
    The Collective Security Treaty Organization, which comprises Russia, Belarus, Armenia, Kazakhstan and Tajikistan, met in Minsk in early March.
    Kyrgyzstan was a member but withdrew in 2013 and now wants to join the SCO.
    Armenia has not recognised Abkhazia, its foreign ministry said.
    Moldova's president attended as a guest.
    """)  # noqa: E501 (an article: its line breaks are part of the test)


@pytest.fixture
def new_article(data_copy):
    """A data directory with names only and one new article (12 March 2015, a Thursday)."""
    (data_copy / "blocs.yaml").write_text(_facts_removed(data_copy), encoding="utf-8")
    (data_copy / "sources" / "wire-2015.txt").write_text(ARTICLE, encoding="utf-8")
    with open(data_copy / "sources" / "sources.yaml", "a", encoding="utf-8") as fh:
        fh.write("  wire-2015:\n"
                 "    file: wire-2015.txt\n"
                 "    title: \"Allies weigh Ossetian question\"\n"
                 "    publisher: null\n"
                 "    author: A. Correspondent\n"
                 "    published: \"2015-03-12\"\n"
                 "    date_note: \"Byline date.\"\n")
    return data_copy


def test_new_article_draft_through_the_cli(cli, new_article):
    before = sorted(p.name for p in new_article.rglob("*"))
    out = cli("draft", "wire-2015", "--data", new_article).stdout
    assert sorted(p.name for p in new_article.rglob("*")) == before  # it writes nothing
    tree = parse_yaml(out, "draft")
    roster = tree["rosters"][0]
    assert roster["bloc"] == "csto"
    assert roster["members"] == ["russia", "belarus", "armenia", "kazakhstan", "tajikistan"]
    by = {(json.dumps(m["state"]), m["status"]): m for m in tree["memberships"]}
    left = by[('"kyrgyzstan"', "member")]
    assert left["bloc"] == "csto" and left["until"] == "2013"  # the bloc of the line before
    assert by[('"kyrgyzstan"', "aspirant")]["bloc"] == "sco"
    rec = {(json.dumps(r["state"]), r["status"]): r for r in tree["recognitions"]}
    belarus = rec[('"belarus"', "recognizes")]
    assert belarus["entity"] == "south-ossetia"
    # 'last week' in an article of Thursday 12 March 2015: Monday 2 to Sunday 8 March
    assert belarus["since"] == {"not_before": "2015-03-02", "not_after": "2015-03-08"}
    assert "last week" in belarus["note"] and "2015-03-12" in belarus["note"]
    assert rec[('"armenia"', "does-not-recognize")]["entity"] == "abkhazia"
    # Moldova is a state the data lacks, but no fact of this article is about it: a state is
    # proposed only with a fact, and a capitalised word is never one
    assert "moldova" not in json.dumps(tree) and "entities" not in tree


def test_new_article_draft_applied_passes_check_and_answers(cli, new_article, tmp_path):
    draft = tmp_path / "draft.yaml"
    draft.write_text(cli("draft", "wire-2015", "--data", new_article).stdout, encoding="utf-8")
    cli("apply", draft, "--data", new_article)
    report = cli.json("check", "--data", new_article)
    assert report["ok"], report["problems"]
    members = cli.names("members", "CSTO", "--as-of", "2015-03", "--data", new_article)
    assert members == {"Russia", "Belarus", "Armenia", "Kazakhstan", "Tajikistan"}
    states = cli.names("recognizes", "South Ossetia", "--as-of", "2015-03-12",
                       "--data", new_article)
    assert "Belarus" in states


def test_new_article_json_has_one_row_per_candidate(cli, new_article):
    rows = cli.json("draft", "wire-2015", "--data", new_article)
    keyed = {(r["state"], r["object"], r["status"]) for r in rows}
    assert ("tajikistan", "csto", "member") in keyed
    assert ("armenia", "abkhazia", "does-not-recognize") in keyed
    assert not any(r["status"] == "new-state" for r in rows)
    text = ARTICLE.replace("\n", " ")
    for r in rows:
        if r["section"] not in ("entities", "unread"):
            assert " ".join(r["quote"].split()) in " ".join(text.split())


def test_draft_never_sends_terminal_escapes(cli, new_article):
    path = new_article / "sources" / "wire-2015.txt"
    path.write_text(ARTICLE.replace("its foreign ministry", "its \x1b[31mforeign ministry"),
                    encoding="utf-8")
    for fmt in ("yaml", "json"):
        out = cli("draft", "wire-2015", "--data", new_article, "--format", fmt).stdout
        assert "\x1b" not in out
    tree = parse_yaml(cli("draft", "wire-2015", "--data", new_article).stdout, "draft")
    assert any("\x1b[31m" in r["quote"] for r in tree["recognitions"])  # escaped, not lost


# -- relative dates ----------------------------------------------------------------------
@pytest.mark.parametrize("phrase, published, expected", [
    ("Russia's recognition last month", "2008-09-04", "2008-08"),
    ("recognised it last month", "2009-01-15", "2008-12"),
    ("on Thursday", "2008-09-04", "2008-09-04"),
    ("on Thursday", "2008-09-05", "2008-09-04"),
    ("last week", "2014-09-02", {"not_before": "2014-08-25", "not_after": "2014-08-31"}),
    ("Ten days since", "2008-09-05", {"not_before": "2008-08-25", "not_after": "2008-08-27"}),
    ("withdrew in 1999", "2008-09-05", "1999"),
    ("in the early 1990s", "2008-09-05", {"not_before": "1990", "not_after": "1993"}),
    ("late last month", "2008-09-05", {"not_before": "2008-08-21", "not_after": "2008-08-31"}),
    ("in late August", "2014-09-03", {"not_before": "2014-08-21", "not_after": "2014-08-31"}),
    ("had recently signed", "2014-09-03", {"not_after": "2014-09-03"}),
    ("after the 2008 conflict", "2014-09-03", {"not_before": "2008"}),
])
def test_relative_dates_resolve_to_what_the_words_allow(phrase, published, expected):
    found = drafting.date_phrases(phrase, parse_partial(published))
    assert len(found) == 1, found
    when = found[0][2]
    assert when.value == expected
    assert published in when.note


def test_an_article_dated_to_two_days_keeps_both_readings():
    """rferl-2008 is dated 4 or 5 September 2008: 'on Thursday' is the 4th either way, but
    'two days ago' could be the 1st to the 4th."""
    from alliances.facts.dates import parse_bounds

    pub = parse_bounds("2008-09-04", "2008-09-05")
    assert drafting.date_phrases("on Thursday", pub)[0][2].value == "2008-09-04"
    when = drafting.date_phrases("two days ago", pub)[0][2]
    assert (when.lo, when.hi) == (date(2008, 9, 1), date(2008, 9, 4))


def test_future_dates_are_not_proposed():
    """A plan ("on September 5" in an article of the 4th) is not a date of a past fact."""
    assert drafting.date_phrases("gather on September 5", parse_partial("2008-09-04")) == []

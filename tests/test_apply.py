"""`alliances apply`, `draft` on the language of news, and `quote`'s search, through the real
CLI on small fact bases made here (init + add-article), with articles written for the tests."""

from __future__ import annotations

import json
import textwrap
import time

import pytest

from alliances.facts.load import parse_yaml

NEWS = textwrap.dedent("""\
    Nauru joins the club

    Nauru recognized Abkhazia on Tuesday, joining Russia and Nicaragua, officials said.
    The Collective Security Treaty Organization (CSTO) met in Minsk. Six states are members of the CSTO: Russia, Belarus, Kazakhstan, Kyrgyzstan, Armenia and Tajikistan. Serbia is in the status of observers.
    Uzbekistan left the organization once before, in 1999, but re-entered in 2006.
    Tuvalu withdrew its recognition of Abkhazia on July 12, 2013.
    Maia Panjikidze, the foreign minister, and President Assad of the South met in Tbilisi.
    Armenia's membership of the CSTO is under review, its leaders said.
    The text «7» quotes a «guillemet» and «0» again.
    """)  # noqa: E501 (an article: its line breaks are part of the test)


@pytest.fixture
def fb(cli, tmp_path):
    """A fact base as `alliances init` makes it, with the article above (14 July 2015, a
    Tuesday)."""
    data = tmp_path / "facts"
    cli("init", data)
    # init copies the shipped states; leave out two the article names, so that the draft
    # must propose them as new states with their codes
    blocs = data / "blocs.yaml"
    lines = blocs.read_text(encoding="utf-8").splitlines(keepends=True)
    blocs.write_text("".join(ln for ln in lines
                             if not ln.startswith(("  nauru:", "  tuvalu:"))), encoding="utf-8")
    art = tmp_path / "news.txt"
    art.write_text(NEWS, encoding="utf-8")
    cli("add-article", art, "--id", "news-2015", "--title", "Nauru joins the club",
        "--published", "2015-07-14", "--date-note", "Dateline.", "--data", data)
    return data


def _draft(cli, fb, tmp_path, keep=lambda e: True) -> tuple[str, dict]:
    out = cli("draft", "news-2015", "--data", fb).stdout
    return out, parse_yaml(out, "draft")


def test_draft_reads_news_wording_and_proposes_states_with_codes(cli, fb, tmp_path):
    out, tree = _draft(cli, fb, tmp_path)
    rosters = [r for r in tree["rosters"] if r["bloc"] == "csto"]
    assert rosters[0]["members"] == ["russia", "belarus", "kazakhstan", "kyrgyzstan",
                                     "armenia", "tajikistan"]
    # "Serbia is in the status of observers": the next sentence, the same bloc
    assert [r["observers"] for r in rosters if "observers" in r] == [["serbia"]]
    spells = {(m["state"], m.get("since"), m.get("until")) for m in tree["memberships"]}
    # "the organization" is the CSTO, the bloc the article names most
    assert ("uzbekistan", None, "1999") in spells and ("uzbekistan", "2006", None) in spells
    assert all(m["bloc"] == "csto" for m in tree["memberships"] if m["state"] == "uzbekistan")
    recs = {(json.dumps(r["state"]), r["status"], json.dumps(r.get("since")),
             json.dumps(r.get("until"))) for r in tree["recognitions"]}
    assert ('"nauru"', "recognizes", '"2015-07-14"', "null") in recs
    assert ('"tuvalu"', "recognizes", "null", '"2013-07-12"') in recs
    # new states come with ISO codes; people and regions are never states
    assert tree["entities"] == {"nauru": {"name": "Nauru"}, "tuvalu": {"name": "Tuvalu"}}
    assert tree["codes"]["nauru"] == {"iso3": "NRU", "iso2": "NR"}
    for word in ("maia", "assad", "south"):
        assert word not in tree["entities"]
    # what no rule read is listed with its line
    unread = out.split("# Could not read", 1)[1]
    assert ('#   line 8: "Armenia\'s membership of the CSTO is under review, its leaders '
            'said."') in unread
    assert "Uzbekistan left" not in unread   # read by a rule
    rows = cli.json("draft", "news-2015", "--data", fb)
    assert any(r["section"] == "unread" and r["line"] == 8 for r in rows)


def test_guillemets_in_an_article_do_not_break_draft(cli, fb):
    """«7» in the text once crashed draft: a name's token was «N»."""
    r = cli("draft", "news-2015", "--data", fb, "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)


def test_apply_merges_twice_without_duplicates_and_keeps_comments(cli, fb, tmp_path):
    out, tree = _draft(cli, fb, tmp_path)
    # review: the curator keeps what the engine of today loads (no recognition `until`)
    keep = "\n".join(line for line in out.splitlines())
    tree["recognitions"] = [r for r in tree["recognitions"] if "until" not in r]
    from alliances.curation.apply import _entry_lines, _mapping_lines

    body = ["rosters:"] + [ln for r in tree["rosters"] for ln in _entry_lines("rosters", r, 2)]
    body += ["memberships:"] + [ln for m in tree["memberships"]
                                for ln in _entry_lines("memberships", m, 2)]
    body += ["recognitions:"] + [ln for r in tree["recognitions"]
                                 for ln in _entry_lines("recognitions", r, 2)]
    body += ["blocs:"] + [ln for k, b in tree["blocs"].items()
                          for ln in _mapping_lines("blocs", k, b, 2)]
    body += ["entities:"] + [f"  {k}: {{name: {v['name']}}}" for k, v in tree["entities"].items()]
    body += ["codes:"] + [f"  {k}: {{iso3: {v['iso3']}, iso2: {v['iso2']}}}"
                          for k, v in tree["codes"].items()]
    reviewed = tmp_path / "reviewed.yaml"
    reviewed.write_text("# reviewed\n" + "\n".join(body) + "\n", encoding="utf-8")
    assert keep
    blocs = fb / "blocs.yaml"
    before = blocs.read_text(encoding="utf-8")
    dry = cli("apply", reviewed, "--data", fb, "--dry-run")
    assert dry.stdout.startswith("--- a/blocs.yaml\n+++ b/blocs.yaml\n")
    assert "+  nauru: {name: \"Nauru\"}" in dry.stdout
    assert blocs.read_text(encoding="utf-8") == before        # a dry run writes nothing
    first = cli("apply", reviewed, "--data", fb)
    assert "entries added" in first.stdout
    after = blocs.read_text(encoding="utf-8")
    # every line that was there is still there, in order (comments and layout kept)
    old = before.splitlines()
    it = iter(after.splitlines())
    assert all(any(line == x for x in it) for line in old)
    assert after.count("\nentities:") == 1 and after.count("\ncodes:") == 1
    second = cli("apply", reviewed, "--data", fb)
    assert "0 entries added" in second.stdout
    assert blocs.read_text(encoding="utf-8") == after
    report = cli.json("check", "--data", fb)
    assert report["ok"], report["problems"]
    assert cli.names("members", "CSTO", "--as-of", "2015", "--data", fb) >= {"Russia",
                                                                              "Armenia"}


def test_apply_keeps_a_byte_order_mark_and_every_byte_it_does_not_add(cli, fb, tmp_path):
    # an editor on Windows saved blocs.yaml with a BOM; apply adds one state and nothing else
    blocs = fb / "blocs.yaml"
    blocs.write_bytes(b"\xef\xbb\xbf" + blocs.read_bytes())
    before = blocs.read_bytes()
    reviewed = tmp_path / "one.yaml"
    reviewed.write_text("entities:\n  nauru: {name: Nauru}\n", encoding="utf-8")
    assert "entries added" in cli("apply", reviewed, "--data", fb).stdout
    after = blocs.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and after != before
    # what was there is still there, byte for byte, around the one added line
    added = [ln for ln in after.splitlines(True) if ln not in before.splitlines(True)]
    assert [ln.strip() for ln in added] == [b'nauru: {name: "Nauru"}']
    assert cli.json("check", "--data", fb)["ok"]


def test_apply_refuses_a_quote_that_is_not_in_its_article(cli, fb, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(textwrap.dedent("""\
        memberships:
          - state: belarus
            bloc: csto
            status: member
            source: news-2015
            quote: "Belarus left the CSTO in 2015."
        """), encoding="utf-8")
    blocs = (fb / "blocs.yaml").read_text(encoding="utf-8")
    r = cli("apply", bad, "--data", fb, code=1)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("alliances: error: bad.yaml:")
    assert "not in source 'news-2015'" in lines[0] and "nothing was applied" in lines[0]
    assert (fb / "blocs.yaml").read_text(encoding="utf-8") == blocs


def test_apply_refuses_bad_input_in_one_line(cli, fb, tmp_path):
    for text, words in (("memberships: [\n", "bad.yaml"), ("nonsense: 1\n", "unknown section"),
                        ("memberships:\n  - state: belarus\n", "no source and quote")):
        bad = tmp_path / "bad.yaml"
        bad.write_text(text, encoding="utf-8")
        r = cli("apply", bad, "--data", fb, code=1)
        assert r.stderr.count("\n") == 1 and words in r.stderr, r.stderr
        assert "Traceback" not in r.stderr
    r = cli("apply", tmp_path / "missing.yaml", "--data", fb, code=1)
    assert r.stderr.startswith("alliances: error: ")


def test_init_template_examples_pass_check_once_uncommented(cli, tmp_path):
    """init's own commented examples, uncommented, with an article holding their quotes."""
    data = tmp_path / "fresh"
    cli("init", data)
    art = tmp_path / "my.txt"
    art.write_text("the Collective Security Treaty Organization (CSTO) met. "
                   "the CSTO, which comprises Russia, Armenia and Belarus, met. "
                   "Uzbekistan withdrew from the treaty in 1999. "
                   "Nicaragua recognised the two regions last month.\n", encoding="utf-8")
    cli("add-article", art, "--id", "my-article", "--title", "t", "--published", "2008-09-04",
        "--date-note", "n", "--data", data)
    blocs = data / "blocs.yaml"
    text = blocs.read_text(encoding="utf-8")
    start = text.index("# blocs:\n")
    head, examples = text[:start], text[start:]
    uncommented = "\n".join(line[2:] if line.startswith("# ") and not line.startswith(
        "# Facts go") and not line.startswith("# Commented") else
        ("" if line.startswith("#") else line) for line in examples.splitlines())
    blocs.write_text(head + uncommented + "\n", encoding="utf-8")
    report = cli.json("check", "--data", data)
    assert report["ok"], report["problems"]
    assert report["counts"]["quotes_verified"] == report["counts"]["quotes"] >= 4


# -- quote -----------------------------------------------------------------------------------
ARTICLE = ("Abkhazia and South Ossetia are internationally recognised as part of Georgia. "
           "Nicaragua, Venezuela and Nauru were the only other countries that recognised the "
           "two regions' independence before Syria's decision on Tuesday. ") * 3


def test_quote_keeps_the_words_typed_at_its_edges():
    from alliances.curation.curate import find_quote

    got = find_quote(ARTICLE, "Nicaragua, Venezuela and Nauru wer the only other countries")
    assert got["found"] and got["quote"].startswith("Nicaragua, Venezuela and Nauru were")


def test_quote_applies_one_threshold_with_one_score():
    """What it accepts scores at least the threshold and what it refuses below it, by the
    same measure it reports (the issue: 92.4% refused, 91.7% accepted)."""
    from rapidfuzz import fuzz

    from alliances.curation.curate import find_quote, folded

    typed = "Nicaragua, Venezuela and Nauru were the only other countries that recognized"
    for n in range(0, 30, 3):
        words = typed.split()
        mangled = " ".join(w[::-1] if i < n // 3 else w for i, w in enumerate(words))
        got = find_quote(ARTICLE, mangled)
        if got["found"]:
            assert got["score"] >= 90
            if not got["exact"]:
                assert got["score"] == round(fuzz.ratio(folded(mangled)[0],
                                                        folded(got["quote"])[0]), 1)
        else:
            assert got["score"] < 90
            assert all(n["score"] < 90 for n in got["nearest"])


def test_quote_is_bounded_on_a_long_article_and_a_long_passage():
    from alliances.curation.curate import find_quote

    text = ("word%d and some filler text here. " * 30000) % tuple(range(30000))
    typed = "no such passage " * 600   # 9.6 KB that is nowhere in 1 MB
    t = time.perf_counter()
    got = find_quote(text, typed)
    assert time.perf_counter() - t < 15 and not got["found"]


def test_draft_is_linear_on_an_article_without_sentence_breaks():
    from alliances.curation.draft import draft, names_only
    from alliances.facts.dates import parse_partial
    from alliances.facts.paths import default_data_dir
    from alliances.facts.store import build_factbase

    fb = names_only(build_factbase(default_data_dir())[0])
    flat = " ".join(NEWS.replace(".", " ").split())
    small, big = (flat * (20_000 // len(flat)))[:20_000], (flat * (200_000 // len(flat)))[:200_000]
    # (a ratio of CPU times, both taken under the same load: ten times the text may cost
    # at most thirty times as much, where a quadratic reading would cost a hundred; the
    # figures themselves are bench/draft.py's, not a test's)
    t = time.process_time()
    draft(small, parse_partial("2015-07-14"), fb, "x")
    t_small = time.process_time() - t
    t = time.process_time()
    draft(big, parse_partial("2015-07-14"), fb, "x")
    t_big = time.process_time() - t
    assert t_big < 10 * t_small * 3, (t_small, t_big)


def test_a_withdrawal_is_dated_by_its_own_clause(cli, tmp_path):
    """"Venezuela recognized Abkhazia on September 10, 2009, and Vanuatu withdrew its
    recognition in 2013": the earlier clause's date is not Vanuatu's."""
    data = tmp_path / "facts"
    cli("init", data)
    art = tmp_path / "two.txt"
    art.write_text("Venezuela recognized Abkhazia on September 10, 2009, and Vanuatu withdrew "
                   "its recognition in 2013.\n", encoding="utf-8")
    cli("add-article", art, "--id", "two-2021", "--title", "T", "--published", "2021-03-12",
        "--date-note", "Dateline.", "--data", data)
    rows = cli.json("draft", "two-2021", "--data", data)
    vanuatu = [r for r in rows if r.get("state") == "vanuatu"]
    assert vanuatu and all(r.get("until") == "2013" for r in vanuatu), vanuatu
    venezuela = [r for r in rows if r.get("state") == "venezuela"]
    assert venezuela and venezuela[0].get("since") == "2009-09-10"

"""The README's curation walkthrough, run again step by step in a fresh directory: each step
does what the README shows (init, add an article, find a quote, draft, review, apply, check,
query)."""

from __future__ import annotations

import importlib.util
import os

import pytest

from alliances.facts.load import parse_yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    spec = importlib.util.spec_from_file_location(
        "walkthrough", os.path.join(ROOT, "docs", "walkthrough.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    where = tmp_path_factory.mktemp("walkthrough")
    results = module.run(workdir=str(where))
    return module, where, {r["command"].split(" --")[0]: r for r in results}, results


def test_every_step_exits_as_expected(walk):
    module, _, _, results = walk
    assert [r["code"] for r in results] == [code for _, code in module.STEPS]
    assert all("Traceback" not in r["output"] for r in results)


def test_the_article_is_stored_byte_for_byte_and_checks(walk):
    module, where, _, results = walk
    stored = where / "mydata" / "sources" / "wire-2024.txt"
    assert stored.read_bytes() == module.ARTICLE.encode("utf-8")
    check = [r for r in results if r["command"].startswith("alliances check")][0]
    assert check["output"].strip().endswith(": ok")
    assert "3 of 3 quotes verified" in check["output"]   # 2 facts and the SCO's citation
    blocs = (where / "mydata" / "blocs.yaml").read_text(encoding="utf-8")
    # the reviewed quote went in as trimmed, after init's commented examples (kept)
    assert 'quote: "Belarus on Thursday became a full member of the Shanghai Cooperation ' \
           'Organisation"' in blocs
    assert "# Facts go below, in three sections." in blocs


def test_the_dry_run_shows_a_diff_and_writes_nothing_and_apply_is_idempotent(walk):
    module, where, steps, results = walk
    dry = [r for r in results if "--dry-run" in r["command"]][0]
    assert dry["output"].startswith("--- a/blocs.yaml\n+++ b/blocs.yaml\n")
    assert "+  - state: belarus" in dry["output"]
    again = module.run([("alliances apply draft.yaml --data mydata", 0)], workdir=str(where))
    assert "0 entries added" in again[0]["output"] and again[0]["code"] == 0


def test_the_quote_step_gives_the_articles_words(walk):
    _, _, steps, _ = walk
    out = steps["alliances quote wire-2024 'belarus on thursday became a full member'"]
    # the article: "Belarus on Thursday became a full member of the Shanghai ..."
    assert 'quote: "Belarus on Thursday became a full member"' in out["output"]


def test_the_draft_proposes_what_the_article_says(walk):
    _, where, _, _ = walk
    tree = parse_yaml((where / "draft.yaml").read_text(encoding="utf-8"), "draft.yaml")
    got = {(m["state"], m["bloc"], m["status"], m.get("since")) for m in tree["memberships"]}
    # "Belarus on Thursday became a full member" (Thursday 4 July 2024, the dateline) and
    # "Iran joined the SCO last year" (2023)
    assert got == {("belarus", "sco", "member", "2024-07-04"), ("iran", "sco", "member", "2023")}
    assert all(m["note"] for m in tree["memberships"])
    assert tree["blocs"]["sco"]["cited"][0]["source"] == "wire-2024"


def test_the_query_answers_from_the_new_fact_base(walk):
    _, _, _, results = walk
    members = [r for r in results if r["command"].startswith("alliances members SCO")][0]
    assert members["output"].split() == ["Belarus", "Iran"]
    assert results[-1]["output"].strip() == "2023"

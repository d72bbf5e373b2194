"""Incremental verification: a quote already found in exactly these article bytes, by this
code, is not searched again (cache.QuoteMemo), and that shortcut never lets a wrong quote
through: an edited quote, an edited article or a memo from another version of the code is
verified again, through the real CLI."""

from __future__ import annotations

import hashlib
import json
import os

import pytest
from conftest import rehash

from alliances.facts import cache
from alliances.facts.store import build_factbase
from alliances.facts.text import PLAIN
from alliances.facts.verify import citations, normalise

# In the article outline-2014.txt: "... the policies of Georgia that still pursues NATO
# entry and had recently signed the association agreement with the EU." Two facts quote it.
PASSAGE = "still pursues NATO entry"
QUOTE = "the policies of Georgia that still pursues NATO entry"
WRONG = "the policies of Georgia that still pursues EU entry"


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path, needle):
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                if needle in line)


def report(cli, data, code):
    return json.loads(cli("check", "--data", data, "--format", "json", code=code).stdout)


def memo_path(data):
    return os.path.join(cache.folder(os.path.realpath(data)), cache.MEMO)


def debug(cli, monkeypatch, *args, code=0):
    monkeypatch.setenv("ALLIANCES_CACHE_DEBUG", "1")
    try:
        return cli(*args, code=code).stderr
    finally:
        monkeypatch.delenv("ALLIANCES_CACHE_DEBUG")


def test_a_quote_edited_into_a_wrong_one_is_caught_after_a_warm_cache(cli, data_copy,
                                                                      monkeypatch):
    blocs = data_copy / "blocs.yaml"
    report(cli, data_copy, 0)
    cli("members", "NATO", "--all", "--data", data_copy)     # fact base and memo are warm
    edit(blocs, f'quote: "{QUOTE}"', f'quote: "{WRONG}"')
    line = line_of(blocs, WRONG)

    err = debug(cli, monkeypatch, "members", "NATO", "--all", "--data", data_copy)
    # the edited item alone is verified again (facts/items.py: tests/test_fact_unit.py),
    # its quote searched in the article, not taken from the memo
    assert "cache: items: 1 removed, 1 parsed" in err
    assert f"unverified data: blocs.yaml:{line}: quote not found" in err
    # a check, which builds from the files, reads the memo: the wrong quote is not in it
    err = debug(cli, monkeypatch, "check", "--data", data_copy, code=1)
    known = int(err.split("quote memo: ")[1].split()[0])
    assert known > 30                                   # the memo was there and read...
    assert "quote memo: 0 quotes verified anew" in err  # ...and the wrong quote is not in it
    # the next query, a cache hit, still says so, and --strict refuses
    assert f"blocs.yaml:{line}: quote not found" in cli("members", "NATO", "--data",
                                                        data_copy).stderr
    assert "quote not found" in cli("members", "NATO", "--strict", "--data", data_copy,
                                    code=1).stderr
    [p] = report(cli, data_copy, 1)["problems"]
    assert (p["file"], p["line"]) == ("blocs.yaml", line)
    assert p["message"].startswith(f"quote not found in source 'outline-2014': \u201c{WRONG}")
    # put right again: verified again, and the answer is clean
    edit(blocs, f'quote: "{WRONG}"', f'quote: "{QUOTE}"')
    assert "warning" not in cli("members", "NATO", "--data", data_copy).stderr
    assert report(cli, data_copy, 0)["ok"]


def test_editing_an_article_reverifies_exactly_its_quotes(cli, data_copy, monkeypatch):
    article = data_copy / "sources" / "outline-2014.txt"
    blocs = data_copy / "blocs.yaml"
    fb = build_factbase(str(data_copy))[0]
    own = {c.quote for c in citations(fb) if c.source == "outline-2014"}
    everyone = {(c.source, c.quote) for c in citations(fb)}
    assert 2 <= len(own) < len(everyone)

    cli("members", "NATO", "--data", data_copy)
    assert "quote memo: 0 quotes verified anew" in debug(cli, monkeypatch, "check", "--data",
                                                         data_copy)
    # A paragraph added to one article (its sha256 recorded again): only its quotes are
    # searched again, every one of them.
    article.write_text(article.read_text("utf-8") + "\nA paragraph added later.\n", "utf-8")
    rehash(data_copy, "outline-2014")
    err = debug(cli, monkeypatch, "members", "NATO", "--data", data_copy)
    assert f"quote memo: {len(own)} quotes verified anew" in err
    assert "warning" not in err
    # The quoted passage itself changed: exactly the facts that quote it fail.
    edit(article, PASSAGE, "still seeks NATO entry")
    rehash(data_copy, "outline-2014")
    found = report(cli, data_copy, 1)
    lines = sorted(p["line"] for p in found["problems"])
    text = blocs.read_text("utf-8").splitlines()
    assert lines and all(PASSAGE in text[n - 1] for n in lines)
    assert len(lines) == sum(PASSAGE in t and "quote:" in t for t in text)
    assert all(p["message"].startswith("quote not found in source 'outline-2014'")
               for p in found["problems"])
    assert found["counts"]["quotes_verified"] == found["counts"]["quotes"] - len(lines)


def _poison(data, quote, key):
    """The memo as the code wrote it, claiming `quote` found in outline-2014.txt, stamped
    with code key `key`."""
    path = memo_path(data)
    with open(path, encoding="utf-8") as fh:
        fmt, _, memo = json.load(fh)
    digest = hashlib.sha256((data / "sources" / "outline-2014.txt").read_bytes()).hexdigest()
    assert quote not in memo[digest] and len(memo[digest]) > 2  # the article's other quotes
    memo[digest].append(quote)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump([fmt, key, memo], fh)


def test_a_memo_from_another_version_of_the_code_is_not_trusted(cli, data_copy):
    blocs = data_copy / "blocs.yaml"
    report(cli, data_copy, 0)
    edit(blocs, f'quote: "{QUOTE}"', f'quote: "{WRONG}"')
    line = line_of(blocs, WRONG)
    # Written by another version (whose idea of "found" may differ): read as empty.
    _poison(data_copy, WRONG, cache.code_key() ^ 1)
    [p] = report(cli, data_copy, 1)["problems"]
    assert p["line"] == line and p["message"].startswith("quote not found")
    # The same entry under this code's own key is what the memo is for: it is believed
    # (so the key, and nothing else, is what kept the wrong quote out above).
    _poison(data_copy, WRONG, cache.code_key())
    assert report(cli, data_copy, 0)["ok"]


@pytest.mark.parametrize("damage", ["[1, 2]", "not json", '[1, KEY, {"abc": ["x"]}]',
                                    '[1, KEY, {"%s": "not a list"}]' % ("0" * 64)])
def test_a_damaged_memo_is_an_empty_one(cli, data_copy, damage):
    blocs = data_copy / "blocs.yaml"
    report(cli, data_copy, 0)
    edit(blocs, f'quote: "{QUOTE}"', f'quote: "{WRONG}"')
    with open(memo_path(data_copy), "w", encoding="utf-8") as fh:
        fh.write(damage.replace("KEY", str(cache.code_key())))
    [p] = report(cli, data_copy, 1)["problems"]
    assert p["message"].startswith("quote not found")


def test_no_memo_without_a_cache(cli, data_copy, monkeypatch):
    monkeypatch.setenv("ALLIANCES_NO_CACHE", "1")
    report(cli, data_copy, 0)
    assert not os.path.exists(memo_path(data_copy))


def test_the_memo_survives_the_collector(cli, data_copy, monkeypatch):
    """Old generations are removed; the memo, which belongs to none, is kept."""
    cli("members", "NATO", "--data", data_copy)
    folder = cache.folder(os.path.realpath(data_copy))
    old = os.stat(memo_path(data_copy)).st_mtime_ns - 2 * cache.GRACE_NS
    for name in os.listdir(folder):
        os.utime(os.path.join(folder, name), ns=(old, old))
    (data_copy / "blocs.yaml").write_text((data_copy / "blocs.yaml").read_text("utf-8")
                                          + "\n# a comment\n", "utf-8")
    cli("members", "NATO", "--data", data_copy)          # a rebuild collects the old ones
    assert os.path.exists(memo_path(data_copy))


@pytest.mark.parametrize("text", [
    "plain ascii", "back`tick", "Russia\u2019s lead \u2014 \u201cquoted\u201d\u00a0here",
    "\u00ab guillemets \u00bb and\u202fthin and\u2212minus\u2011hyphen", "  spaced \n\t out  ",
    "\u00b4acute\u2032prime\u2033double\u201a\u201b\u201e\u201f\u2012\u2013\u2015\u2010",
    "\u00e9t\u00e9 \u0436 no change", ""])
def test_normalise_is_the_documented_mapping(text):
    assert normalise(text) == " ".join(text.translate(PLAIN).split())


@pytest.mark.shipped
def test_the_shard_writer_writes_what_the_encoder_encodes():
    """Shards are written as text with each date and citation encoded once: byte for byte
    the JSON of the record lists that the reader rebuilds (groups, notes, typographic
    quotes and all)."""
    from alliances.facts.paths import default_data_dir
    from alliances.facts.store import build_verified

    fb = build_verified(default_data_dir())
    shards, _ = cache.partition(fb)
    assert any(s.group is not None for content in shards.values() for _, s in content[0])
    writer = cache._Encoder()
    for content in shards.values():
        text = writer.shard_json(content)
        assert text == cache._dumps(cache._Encoder().shard(content))
        back = cache._Decoder().shard(cache._loads(text))
        assert back[0] == content[0] and back[1] == content[1]

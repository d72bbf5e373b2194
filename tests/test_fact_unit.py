"""The fact as the cache's unit (facts/items.py): after an edit of blocs.yaml, only the items
it touched are built again and only their shards written again, and what the cache then
holds is what a build from scratch writes, entry for entry; every problem still names file
and line as a build from scratch does; anything the update cannot trust is built again.

The facts added here are read from the articles (goodenough-2008.txt), never from the YAML
under test: each quote is checked to be in the article first."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from alliances.facts import cache

ARTICLE = "goodenough-2008.txt"
# Words of goodenough-2008.txt (asserted below, read from the article): the CSTO, seven
# countries, excludes China and adds Belarus and Armenia.
QUOTE = "the seven-country CSTO excludes China and adds non-SCO members Belarus and Armenia"

NEW_ITEM = f"""  - state: armenia
    bloc: csto
    status: member
    source: goodenough-2008
    quote: "{QUOTE}"
"""


def article(data) -> str:
    return (data / "sources" / ARTICLE).read_text(encoding="utf-8")


def state(data) -> dict:
    """What the cache of `data` holds, by content: the index's head, the order of the
    shards, each object's shard, the subjects' objects, and the layout of the items."""
    where = cache.folder(os.path.realpath(data))
    with open(os.path.join(where, cache.INDEX), "rb") as fh:
        gen, head, shard_of, subjects = json.loads(fh.read().split(b"\n", 2)[2])

    def read(name):
        with open(os.path.join(where, name), "rb") as fh:
            return json.loads(fh.read())

    return {"head": head, "order": list(shard_of), "subjects": subjects,
            "shards": {o: read(f"{gen}-{n}.json") for o, n in shard_of.items()},
            "layout": read(f"{gen}-items.json")[2:], "gen": gen}


def run(data, *args, cache_dir=None, debug=True):
    """The real CLI in a process of its own (the cache is per process)."""
    env = dict(os.environ, ALLIANCES_CACHE_DEBUG="1" if debug else "")
    if cache_dir is not None:
        env["ALLIANCES_CACHE_DIR"] = str(cache_dir)
    return subprocess.run([sys.executable, "-m", "alliances", *args, "--data", str(data)],
                          capture_output=True, text=True, env=env)


def from_scratch(data, tmp_path, *args):
    """The same question answered with no cache, and the cache a first run writes."""
    fresh = tmp_path / "fresh-cache"
    fresh.mkdir(exist_ok=True)
    out = run(data, *args, cache_dir=fresh, debug=False)
    old = os.environ["ALLIANCES_CACHE_DIR"]
    os.environ["ALLIANCES_CACHE_DIR"] = str(fresh)
    try:
        held = state(data)
    finally:
        os.environ["ALLIANCES_CACHE_DIR"] = old
    return out, held


def same_as_scratch(data, tmp_path, query=("members", "CSTO", "--all", "--format", "json")):
    """The query after an edit, answered and cached as a build from scratch does it."""
    got = run(data, *query)
    want, held = from_scratch(data, tmp_path, *query)
    assert (got.returncode, got.stdout) == (want.returncode, want.stdout)
    assert [x for x in got.stderr.splitlines() if not x.startswith("cache:")] == \
        want.stderr.splitlines()
    now = state(data)
    for key in ("head", "order", "subjects", "shards", "layout"):
        assert now[key] == held[key], key
    return got.stderr


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def item_at(text: str, needle: str) -> str:
    """The text of the item holding `needle`: from its "  - " line to the next item's
    line or top-level key."""
    at = text.index(needle)
    start = text.rindex("\n  - ", 0, at) + 1
    nxt = re.compile(r"\n(?:  - |[a-z])").search(text, at)
    return text[start:nxt.start() + 1] if nxt else text[start:]


@pytest.fixture
def warm(data_copy):
    assert QUOTE in article(data_copy)  # the fact below is the article's
    first = run(data_copy, "members", "CSTO")
    assert first.returncode == 0 and "cache: miss" in first.stderr
    return data_copy


def test_editing_one_quote_rebuilds_one_item_and_one_shard(warm, tmp_path):
    blocs = warm / "blocs.yaml"
    before = state(warm)
    edit(blocs, 'quote: "Georgia was a member but withdrew in 1999"',
         'quote: "Georgia was a member but withdrew"')
    err = same_as_scratch(warm, tmp_path)
    assert "cache: items: 1 removed, 1 parsed, 0 moved; 1 of" in err
    assert "cache: updated" in err
    after = state(warm)
    assert after["gen"] != before["gen"]
    changed = [o for o in after["shards"] if after["shards"][o] != before["shards"].get(o)]
    assert changed == ["csto"]
    # the next process is a plain hit on the updated generation
    assert "cache: hit" in run(warm, "members", "CSTO").stderr


@pytest.mark.parametrize("change", ["comment line", "new item", "removed item",
                                    "two states", "moved item", "wrong quote"])
def test_every_kind_of_item_edit_caches_what_a_build_from_scratch_does(warm, tmp_path,
                                                                      change):
    blocs = warm / "blocs.yaml"
    text = blocs.read_text(encoding="utf-8")
    georgia = item_at(text, "Georgia was a member but withdrew in 1999")
    if change == "comment line":   # every later item moves down a line
        edit(blocs, georgia, georgia + "    # a curator's note\n")
    elif change == "new item":
        edit(blocs, "memberships:\n", "memberships:\n" + NEW_ITEM)
    elif change == "removed item":
        edit(blocs, georgia, "")
    elif change == "two states":   # same lines, one more statement
        edit(blocs, georgia, georgia.replace("state: georgia", "state: [georgia, armenia]"))
    elif change == "moved item":   # to the start of its list
        edit(blocs, georgia, "")
        edit(blocs, "memberships:\n", "memberships:\n" + georgia)
    else:
        edit(blocs, "Georgia was a member but withdrew in 1999",
             "Georgia was a founding member but withdrew in 1999")
    err = same_as_scratch(warm, tmp_path)
    assert "cache: updated" in err, err
    if change == "wrong quote":
        line = next(i for i, x in enumerate(blocs.read_text("utf-8").splitlines(), 1)
                    if "founding member" in x)
        assert f"unverified data: blocs.yaml:{line}: quote not found" in err


def test_a_wrong_quote_after_a_moved_line_names_its_new_line(warm, tmp_path):
    blocs = warm / "blocs.yaml"
    edit(blocs, "Georgia was a member but withdrew in 1999", "Georgia was a member in 1999")
    same_as_scratch(warm, tmp_path)
    # a line added above it: the problem, kept from the last generation, moves with it
    edit(blocs, "\nmemberships:\n", "\n  # the memberships\n\nmemberships:\n")
    err = same_as_scratch(warm, tmp_path)
    assert "cache: items: 1 removed, 1 parsed" in err  # the last roster, its comment
    assert "0 moved" not in err
    line = next(i for i, x in enumerate(blocs.read_text("utf-8").splitlines(), 1)
                if "Georgia was a member in 1999" in x)
    assert f"unverified data: blocs.yaml:{line}: quote not found" in err


BAD = {
    "unknown entity": ("state: georgia\n    bloc: csto", "state: atlantis\n    bloc: csto",
                       "unknown entity 'atlantis'"),
    "unknown field": ("    until: \"1999\"\n", "    untill: \"1999\"\n", "unknown field"),
    "unclosed quote": ('quote: "Georgia was a member but withdrew in 1999"',
                       'quote: "Georgia was a member but withdrew in 1999',
                       "invalid YAML"),
    "tab": ("    until: \"1999\"\n", "\tuntil: \"1999\"\n", "tab"),
    "duplicate key": ("    until: \"1999\"\n", "    until: \"1999\"\n    until: \"2000\"\n",
                      "duplicate key"),
    "bad date": ("until: \"1999\"", "until: \"1999-13\"", ""),
}


@pytest.mark.parametrize("name", list(BAD))
def test_an_error_in_an_edited_item_of_a_cached_file_names_file_and_line(warm, tmp_path,
                                                                        name):
    old, new, says = BAD[name]
    blocs = warm / "blocs.yaml"
    edit(blocs, old, new)
    got = run(warm, "members", "CSTO")
    want = run(warm, "members", "CSTO", cache_dir=tmp_path / "empty", debug=False)
    nocache = subprocess.run([sys.executable, "-m", "alliances", "members", "CSTO", "--data",
                              str(warm)], capture_output=True, text=True,
                             env=dict(os.environ, ALLIANCES_NO_CACHE="1"))
    assert got.returncode == want.returncode == nocache.returncode != 0
    errors = [x for x in got.stderr.splitlines() if not x.startswith("cache:")]
    assert errors == want.stderr.splitlines() == nocache.stderr.splitlines()
    assert len(errors) == 1 and "Traceback" not in got.stderr
    assert says in errors[0]
    # the line named is the edited item's, in the file as it is now (an unclosed quote:
    # where the parser found it unclosed, further on, as a build from scratch says above)
    m = re.match(r"alliances: error: blocs\.yaml:(\d+): ", errors[0])
    assert m, errors[0]
    item = item_at(blocs.read_text("utf-8"), "Georgia was a member but withdrew in 1999"[:20])
    start = blocs.read_text("utf-8").index(item)
    first = blocs.read_text("utf-8")[:start].count("\n") + 1
    assert first <= int(m[1]) < first + item.count("\n") + 1 or name == "unclosed quote"
    # put right: the generation before the error is current again, every shard kept
    edit(blocs, new, old)
    assert "cache: items: 0 removed, 0 parsed, 0 moved; 0 of" in same_as_scratch(
        warm, tmp_path)


@pytest.mark.parametrize("damage", ["not json", "another shape", "another code",
                                    "missing", "shard shape"])
def test_a_damaged_or_foreign_layout_or_shard_is_a_build_from_scratch(warm, tmp_path,
                                                                      damage):
    where = cache.folder(os.path.realpath(warm))
    gen = state(warm)["gen"]
    layout = os.path.join(where, f"{gen}-items.json")
    if damage == "not json":
        open(layout, "wb").write(b"[1, 2")
    elif damage == "another shape":
        v = json.loads(open(layout, "rb").read())
        v[5][0] = "line one"
        open(layout, "w").write(json.dumps(v))
    elif damage == "another code":
        v = json.loads(open(layout, "rb").read())
        v[1] += 1
        open(layout, "w").write(json.dumps(v))
    elif damage == "missing":
        os.unlink(layout)
    else:
        n = json.loads(open(os.path.join(where, cache.INDEX), "rb").read()
                       .split(b"\n", 2)[2])[2]["csto"]
        open(os.path.join(where, f"{gen}-{n}.json"), "w").write('[[[1, "x"]], []]')
    edit(warm / "blocs.yaml", "Georgia was a member but withdrew in 1999",
         "Georgia was a member but withdrew")
    err = same_as_scratch(warm, tmp_path)
    assert "cache: items:" not in err and "Traceback" not in err
    # and from the rebuilt generation, the next edit is an update again
    edit(warm / "blocs.yaml", "Georgia was a member but withdrew\"",
         "Georgia was a member but withdrew in 1999\"")
    assert "cache: items: 1 removed, 1 parsed" in same_as_scratch(warm, tmp_path)


@pytest.mark.parametrize("change", ["head", "sources", "crlf", "key after the lists"])
def test_what_the_items_do_not_cover_is_built_from_scratch(warm, tmp_path, change):
    blocs = warm / "blocs.yaml"
    if change == "head":
        edit(blocs, "entities:\n", "entities:\n  # states and the rest\n")
    elif change == "sources":
        src = warm / "sources" / "sources.yaml"
        src.write_text(src.read_text("utf-8") + "\n# a comment\n", encoding="utf-8")
    elif change == "crlf":
        blocs.write_bytes(blocs.read_bytes().replace(b"\n", b"\r\n"))
    else:
        blocs.write_text(blocs.read_text("utf-8") + "codes2: {}\n", encoding="utf-8")
    got = run(warm, "members", "CSTO", "--format", "json")
    assert "cache: items:" not in got.stderr
    want = run(warm, "members", "CSTO", "--format", "json", cache_dir=tmp_path / "e",
               debug=False)
    assert (got.returncode, got.stdout) == (want.returncode, want.stdout)


@pytest.mark.parametrize("bad", ["\u2028", "\x85", "\r", b"\xff"])
def test_an_edited_item_with_another_line_break_or_not_utf8_is_built_from_scratch(
        warm, tmp_path, bad):
    """YAML counts NEL, LS, PS and CR as line breaks, the cut only \\n: an edited item
    with one, or whose bytes are not UTF-8, is never taken alone."""
    blocs = warm / "blocs.yaml"
    raw = blocs.read_bytes()
    old = b"Georgia was a member but withdrew in 1999"
    assert old in raw
    blocs.write_bytes(raw.replace(old, b"Georgia was a member but" + (
        bad if isinstance(bad, bytes) else bad.encode()) + b" withdrew in 1999"))
    got = run(warm, "members", "CSTO", "--all", "--format", "json")
    want = run(warm, "members", "CSTO", "--all", "--format", "json",
               cache_dir=tmp_path / "e", debug=False)
    assert "cache: items:" not in got.stderr and "Traceback" not in got.stderr
    assert (got.returncode, got.stdout) == (want.returncode, want.stdout)
    assert [x for x in got.stderr.splitlines() if not x.startswith("cache:")] == \
        want.stderr.splitlines()


def test_a_quote_spanning_an_item_opener_is_never_cut_there(warm, tmp_path):
    """A double-quoted scalar over two lines whose second line looks like an item's
    start: the cut would open an item inside the quote; the parser says otherwise, so
    this file has no layout and every change to it is built from scratch."""
    blocs = warm / "blocs.yaml"
    edit(blocs, 'quote: "Georgia was a member but withdrew in 1999"',
         'quote: "Georgia was a member\n  - but withdrew in 1999"')
    got = run(warm, "members", "CSTO", "--all", "--format", "json")
    want = run(warm, "members", "CSTO", "--all", "--format", "json",
               cache_dir=tmp_path / "e", debug=False)
    assert (got.returncode, got.stdout, got.stderr.count("Traceback")) == \
        (want.returncode, want.stdout, 0)
    assert "cache: items:" not in got.stderr


def test_the_statements_keep_the_order_of_the_file(warm):
    """seq numbers by list, line and place: the cached record's statements and rosters
    are in the order the loader makes them, after an update as after a build."""
    from alliances.facts.store import build_factbase, load

    edit(warm / "blocs.yaml", "memberships:\n", "memberships:\n" + NEW_ITEM)
    run(warm, "members", "CSTO")
    fb = load(str(warm))
    assert isinstance(fb, cache.CachedFactBase)
    built = build_factbase(str(warm))[0]
    assert fb.statements == built.statements
    assert sorted(fb.rosters, key=lambda r: r.citation.line) == built.rosters
    assert fb.fact_count == built.fact_count


def test_without_hard_links_the_untouched_shards_are_copied(warm, tmp_path, cli,
                                                            monkeypatch):
    def no_links(*args, **kwargs):
        raise OSError(1, "Operation not permitted")

    edit(warm / "blocs.yaml", "Georgia was a member but withdrew in 1999",
         "Georgia was a member but withdrew")
    with monkeypatch.context() as m:
        m.setattr(os, "link", no_links)
        m.setenv("ALLIANCES_CACHE_DEBUG", "1")
        got = cli("members", "CSTO", "--all", "--format", "json", "--data", warm)
    assert "cache: items: 1 removed, 1 parsed" in got.stderr
    want, held = from_scratch(warm, tmp_path, "members", "CSTO", "--all", "--format", "json")
    assert got.stdout == want.stdout
    now = state(warm)
    assert {k: now[k] for k in held if k != "gen"} == {k: held[k] for k in held if k != "gen"}
    where = cache.folder(os.path.realpath(warm))
    assert all(os.stat(os.path.join(where, f"{now['gen']}-{n}.json")).st_nlink == 1
               for n in range(len(now["order"])))

"""Growing a fact base: init, add-article, quote, verification before answering, and the
one-line errors for a curator's typical mistakes. Everything through the real CLI."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys

import pytest

from alliances.facts.load import parse_yaml

# An article written for these tests (not one of the five shipped), with typographic
# quotes and dashes, a CRLF line and trailing spaces, to prove the bytes are kept.
ARTICLE = ("Belarus joins the Shanghai bloc\r\n\r\n"
           "ASTANA, July 4 (Test Wire) \u2013 Belarus became a full member of the Shanghai "
           "Cooperation Organisation on Thursday, the bloc\u2019s leaders said.   \n"
           "\u201cWe welcome our new member,\u201d the host said.\n").encode("utf-8")


def one_line(result, code, *needles):
    err = result.stderr
    assert result.exit_code == code, (result.exit_code, result.stdout, err)
    assert err.count("\n") == 1 and err.startswith("alliances: error: "), err
    assert "Traceback" not in err
    for n in needles:
        assert n in err, (n, err)
    return err


def add(cli, data, article, sid="test-2024", code=0, *extra):
    path = data.parent / f"{sid}-input.txt"
    path.write_bytes(article)
    return cli("add-article", path, "--id", sid, "--title", "Belarus joins the Shanghai bloc",
               "--published", "2024-07-04", "--date-note", "Dateline 'July 4' and 'Thursday'.",
               *extra, "--data", data, code=code)


@pytest.fixture
def base(cli, tmp_path):
    d = tmp_path / "mydata"
    cli("init", d)
    return d


# -- init -----------------------------------------------------------------------------------
def test_init_makes_a_fact_base_that_works_at_once(cli, base, monkeypatch):
    assert (base / "blocs.yaml").read_text(encoding="utf-8").startswith("# Curated facts")
    assert "sha256" in (base / "sources" / "sources.yaml").read_text(encoding="utf-8")
    assert "Never invent" in (base / "README.md").read_text(encoding="utf-8")
    report = json.loads(cli("check", "--data", base, "--format", "json").stdout)
    assert report["ok"] and report["counts"]["sources"] == 0
    # names come along (the five articles name Russia and Abkhazia), facts do not
    assert {"Russia", "Abkhazia"} <= cli.names("states", "--data", base, key="name")
    assert cli("sources", "--data", base, "--format", "json").stdout.strip() == "[]"
    monkeypatch.setenv("ALLIANCES_DATA", str(base))
    r = cli("recognizes", "Abkhazia", "--format", "json")
    assert json.loads(r.stdout) == []
    one_line(cli("members", "CSTO", code=1), 1, "unknown bloc 'CSTO'")


def test_init_never_overwrites(cli, base, tmp_path):
    one_line(cli("init", base, code=1), 1, "not empty")
    (tmp_path / "f").write_text("x")
    one_line(cli("init", tmp_path / "f", code=1), 1, "not a directory")
    empty = tmp_path / "empty"
    cli("init", empty, "--empty")
    assert cli("states", "--data", empty, "--format", "json").stdout.strip() == "[]"
    cli("check", "--data", empty)


# -- add-article ------------------------------------------------------------------------------
def test_add_article_keeps_bytes_and_the_sources_file(cli, base):
    sources = base / "sources" / "sources.yaml"
    before = sources.read_text(encoding="utf-8")
    r = add(cli, base, ARTICLE)
    assert r.stdout.startswith("added test-2024: sources/test-2024.txt")
    assert (base / "sources" / "test-2024.txt").read_bytes() == ARTICLE
    after = sources.read_text(encoding="utf-8")
    assert after.startswith(before)  # appended: comments and layout kept
    digest = hashlib.sha256(ARTICLE).hexdigest()
    assert f"sha256: {digest}" in after
    row = json.loads(cli("sources", "--data", base, "--format", "json").stdout)[0]
    assert (row["id"], row["published"], row["publisher"]) == ("test-2024", "2024-07-04", None)
    line = int(re.search(r"sources\.yaml:(\d+)", r.stdout)[1])
    assert after.splitlines()[line - 1] == "  test-2024:"
    text = cli("source", "test-2024", "--data", base, "--format", "json")
    assert json.loads(text.stdout)["text"] == ARTICLE.decode("utf-8")
    cli("check", "--data", base)


def test_add_article_to_a_copy_of_the_shipped_data_and_from_stdin(cli, data_copy):
    sources = data_copy / "sources" / "sources.yaml"
    before = sources.read_text(encoding="utf-8")
    r = cli.runner.invoke(__import__("alliances.cli").cli.app,
                          ["add-article", "-", "--id", "wire-2024", "--title", "T",
                           "--published", "2024-07-04..2024-07-05", "--date-note", "n",
                           "--author", "A. Writer", "--data", str(data_copy)], input=ARTICLE)
    assert r.exit_code == 0, r.stderr
    assert sources.read_text(encoding="utf-8").startswith(before)
    assert (data_copy / "sources" / "wire-2024.txt").read_bytes() == ARTICLE
    rows = {s["id"]: s for s in json.loads(cli("sources", "--data", data_copy,
                                               "--format", "json").stdout)}
    assert rows["wire-2024"]["published"] == "[2024-07-04..2024-07-05]"
    assert rows["wire-2024"]["author"] == "A. Writer" and len(rows) == 6
    cli("check", "--data", data_copy)


def test_add_article_takes_an_edtf_interval_for_its_date(cli, data_copy):
    r = cli.runner.invoke(__import__("alliances.cli").cli.app,
                          ["add-article", "-", "--id", "wire-2024", "--title", "T",
                           "--published", "2024-07-04/2024-07-05", "--date-note", "n",
                           "--data", str(data_copy)], input=ARTICLE)
    assert r.exit_code == 0, r.stderr
    rows = {s["id"]: s for s in json.loads(cli("sources", "--data", data_copy,
                                               "--format", "json").stdout)}
    assert rows["wire-2024"]["published"] == "[2024-07-04..2024-07-05]"
    r = cli.runner.invoke(__import__("alliances.cli").cli.app,
                          ["add-article", "-", "--id", "wire-2025", "--title", "T",
                           "--published", "2024-07-04/..", "--date-note", "n",
                           "--data", str(data_copy)], input=ARTICLE + b"x")
    assert r.exit_code != 0 and "an interval needs both ends" in r.stderr



def test_add_article_refuses_duplicates_and_bad_input(cli, base, tmp_path, monkeypatch):
    monkeypatch.delenv("ALLIANCES_DATA")  # add-article never writes into a default
    add(cli, base, ARTICLE)
    sources = base / "sources" / "sources.yaml"
    kept = sources.read_text(encoding="utf-8")
    one_line(add(cli, base, ARTICLE + b"more", "test-2024", 1), 1,
             "source id 'test-2024' is already in")
    one_line(add(cli, base, ARTICLE, "copy", 1), 1, "already in the fact base as source "
             "'test-2024'")
    one_line(add(cli, base, b"\xff\xfe text", "latin", 1), 1, "UTF-8")
    one_line(add(cli, base, b"   \n", "blank", 1), 1, "empty")
    one_line(add(cli, base, b"other text", "Bad_Id", 1), 1, "--id 'Bad_Id'")
    path = tmp_path / "other.txt"
    path.write_bytes(b"another article")
    one_line(cli("add-article", path, "--id", "x", "--title", "t", "--published", "2024-13",
                 "--date-note", "n", "--data", base, code=1), 1, "--published", "month")
    one_line(cli("add-article", path, "--id", "x", "--title", "t", "--published", "2024",
                 "--date-note", "n", code=2), 2, "--data DIR")
    assert sources.read_text(encoding="utf-8") == kept  # nothing written by a refusal
    assert sorted(p.name for p in (base / "sources").iterdir()) == ["sources.yaml",
                                                                   "test-2024.txt"]


# -- verification before answering --------------------------------------------------------------
def test_an_edited_article_fails_check_and_warns_every_query(cli, base, monkeypatch):
    add(cli, base, ARTICLE)
    text = base / "sources" / "test-2024.txt"
    monkeypatch.setenv("ALLIANCES_DATA", str(base))
    assert cli("states", "--format", "plain").stderr == ""
    text.write_bytes(ARTICLE.replace(b"full member", b"full partner"))
    r = cli("check", code=1)
    entry = (base / "sources" / "sources.yaml").read_text().splitlines().index("  test-2024:")
    assert r.stdout.startswith(f"sources/sources.yaml:{entry + 1}: the text of source "
                               "'test-2024' (sources/test-2024.txt) has changed")
    assert "re-check every quote" in r.stdout
    q = cli("states", "--format", "plain")  # answers, and says so in one line
    assert q.stdout.strip() and q.stderr.count("\n") == 1
    assert q.stderr.startswith(f"alliances: warning: unverified data: sources/sources.yaml:"
                               f"{entry + 1}: the text of source 'test-2024'")
    one_line(cli("states", "--strict", code=1), 1, "refusing to answer from unverified data")
    monkeypatch.setenv("ALLIANCES_STRICT", "1")
    one_line(cli("states", code=1), 1, "refusing")
    monkeypatch.delenv("ALLIANCES_STRICT")
    text.write_bytes(ARTICLE)  # restored: verified again, no warning
    assert cli("states", "--format", "plain").stderr == ""


def test_a_changed_word_in_a_quote_is_never_answered_silently(cli, data_copy):
    """The issue's case: one word of a quote changed; the query still answers, but says
    which fact fails, and refuses under --strict."""
    blocs = data_copy / "blocs.yaml"
    text = blocs.read_text(encoding="utf-8")
    # reuters-2008 writes "To date, only Nicaragua has followed Russia’s lead."
    old = "To date, only Nicaragua has followed Russia’s lead."
    assert old in text
    blocs.write_text(text.replace(old, "To date, only Nicaragua has copied Russia’s lead."),
                     encoding="utf-8")
    line = text[:text.index(old)].count("\n") + 1
    r = cli("recognizes", "Abkhazia", "--data", data_copy, "--format", "plain")
    assert "Nicaragua" in r.stdout.split("\n")
    warnings = [ln for ln in r.stderr.splitlines() if ln.startswith("alliances: warning")]
    assert len(warnings) == 1 and warnings[0].startswith(
        f"alliances: warning: unverified data: blocs.yaml:{line}: quote not found in source "
        "'reuters-2008'"), r.stderr
    assert "nearest passage: \u201cTo date, only Nicaragua has followed" in r.stderr
    one_line(cli("recognizes", "Abkhazia", "--strict", "--data", data_copy, code=1), 1,
             f"blocs.yaml:{line}: quote not found")
    # the same data without the edit answers with nothing on stderr
    blocs.write_text(text, encoding="utf-8")
    assert "warning" not in cli("recognizes", "Abkhazia", "--data", data_copy).stderr


# -- quote ---------------------------------------------------------------------------------------
def test_quote_gives_the_articles_own_words(cli):
    # reuters-2008, line 7: "... made no reference to Russia’s recognition last month of
    # Abkhazia and South Ossetia as independent states."
    r = cli("quote", "reuters-2008", "RUSSIA'S   recognition last month of abkhazia")
    comment, line = r.stdout.splitlines()
    assert comment == "# sources/reuters-2008.txt:7 (exact match)"
    value = parse_yaml(line, "out")["quote"]
    assert value == "Russia\u2019s recognition last month of Abkhazia"
    # a remembered passage with a word wrong and a dash for a hyphen: the article's words
    r = cli("quote", "goodenough-2008", "but stopped short of recognising the independence "
            "of South Ossetia and Abkhazia", "--format", "json")
    found = json.loads(r.stdout)
    assert found["found"] and not found["exact"] and found["line"] == 16
    assert found["quote"].endswith("recognizing the independence of South Ossetia and Abkhazia")


def test_quote_says_so_when_nothing_is_close(cli):
    r = cli("quote", "reuters-2008", "NATO will admit Ukraine next year", code=1)
    one_line(r, 1, "no passage of 'reuters-2008' is close enough")
    nearest = r.stdout.splitlines()
    assert len(nearest) == 3 and all(n.startswith("# sources/reuters-2008.txt:") for n in nearest)
    one_line(cli("quote", "reuters-2009", "x", code=1), 1, "reuters-2008")


# -- typical mistakes: one line naming file, line and the fix --------------------------------------
def _check_lines(cli, data):
    r = cli("check", "--data", data, code=1)
    return [ln for ln in r.stdout.splitlines() if not ln.startswith("checked ")]


def _line(path, needle):
    return path.read_text(encoding="utf-8").split(needle)[0].count("\n") + 1


@pytest.mark.parametrize("mistake", ["source", "quote", "date", "precise", "duplicate", "tab",
                                     "edited"])
def test_typical_mistakes(cli, data_copy, mistake):
    blocs = data_copy / "blocs.yaml"
    text = blocs.read_text(encoding="utf-8")

    def change(old, new, path=blocs):
        body = path.read_text(encoding="utf-8")
        assert old in body
        path.write_text(body.replace(old, new, 1), encoding="utf-8")
        return _line(path, new) if new else None

    if mistake == "source":
        n = change("    source: reuters-2008\n    quote: \"Russia’s recognition",
                   "    source: reuters-2009\n    quote: \"Russia’s recognition")
        expect = (f"blocs.yaml:{n}: unknown source 'reuters-2009' (did you mean "
                  "'reuters-2008'", "alliances add-article")
    elif mistake == "quote":
        n = change("recognition last month of Abkhazia", "recognition in August of Abkhazia") + 0
        expect = (f"blocs.yaml:{n}: quote not found in source 'reuters-2008'",
                  "nearest passage", "alliances quote reuters-2008")
    elif mistake == "date":
        n = change('since: "2008-08"\n', 'since: "2008-13"\n')
        expect = (f"blocs.yaml:{n}: '2008-13': month must be 01-12", "YYYY-MM-DD")
    elif mistake == "precise":
        # "last month" names no month: the note is what justifies 2008-08
        n = _line(blocs, "    quote: \"Russia’s recognition last month")
        change("    note: \"'last month' in an article dated 2008-09-04 is August 2008.\"\n", "")
        expect = (f"blocs.yaml:{n}: since 2008-08 is more precise than its quote",
                  "add a note saying how it was derived")
    elif mistake == "duplicate":
        first = _line(blocs, "  armenia: {name: Armenia}")
        n = change("  armenia: {name: Armenia}\n",
                   "  armenia: {name: Armenia}\n  armenia: {name: Armenia again}\n")
        n = _line(blocs, "  armenia: {name: Armenia again}")
        expect = (f"blocs.yaml:{n}: duplicate key 'armenia' (first at line {first})",
                  "rename or merge")
    elif mistake == "tab":
        n = change("  belarus: {name: Belarus}", "\tbelarus: {name: Belarus}")
        expect = (f"blocs.yaml:{n}: a tab indents this line", "replace the tab with spaces")
    else:
        article = data_copy / "sources" / "rferl-2008.txt"
        article.write_text(article.read_text(encoding="utf-8") + "An added line.\n",
                           encoding="utf-8")
        n = _line(data_copy / "sources" / "sources.yaml", "  rferl-2008:")
        expect = (f"sources/sources.yaml:{n}: the text of source 'rferl-2008' "
                  "(sources/rferl-2008.txt) has changed since it was added",
                  "restore the article as archived")
    lines = _check_lines(cli, data_copy)
    assert any(all(e in ln for e in expect) for ln in lines), (expect, lines)
    assert text != blocs.read_text(encoding="utf-8") or mistake == "edited"
    # a query says the same thing in one line: as a warning, or (for what cannot even
    # load) as its error
    q = cli("states", "--data", data_copy, "--format", "plain", code=None)
    assert q.stderr.count("\n") == 1 and expect[0].split(": ", 1)[0] in q.stderr, q.stderr


def test_no_curation_module_on_the_query_path():
    code = ("import sys; from alliances.cli import main; sys.argv=['alliances','members',"
            "'CSTO','--format','json']; import contextlib, io\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try: main()\n"
            "    except SystemExit: pass\n"
            "bad = [m for m in ('alliances.curation.curate', 'rapidfuzz', "
            "'alliances.facts.verify', "
            "'alliances.facts.validate', 'hashlib', 'pycountry') if m in sys.modules]\n"
            "print(bad)")
    for _ in range(2):  # the first run builds the cache (and verifies); the second is a query
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           timeout=60)
    assert r.stdout.strip() == "[]", r.stdout + r.stderr

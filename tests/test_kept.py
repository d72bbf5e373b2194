"""Spells kept between runs (answers/kept.py): a bulk command reads what an earlier run
combined when the shard it came from is the same, and answers exactly as if it had
combined everything again; an edit combines again only the keys of what it touched; a
damaged or foreign file is a miss, never a traceback nor another answer.

Every run is a real process (the store is written at the end of a run and read by the
next), on a copy of the shipped data or a small synthetic base, each test with its own
cache folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zlib

import pytest

from alliances.facts.paths import default_data_dir

pytestmark = pytest.mark.shipped


def _run(data, cache, *args, env_extra=None):
    env = {**os.environ, "ALLIANCES_CACHE_DIR": str(cache), "ALLIANCES_CACHE_DEBUG": "1"}
    env.pop("ALLIANCES_DATA", None)
    env.update(env_extra or {})
    p = subprocess.run([sys.executable, "-m", "alliances", *args, "--data", str(data)],
                       capture_output=True, env=env, timeout=300)
    assert p.returncode == 0, p.stderr.decode()
    assert "Traceback" not in p.stderr.decode()
    return p.stdout, p.stderr.decode()


def _kept(stderr: str) -> tuple[int, int]:
    m = re.search(r"kept spells: (\d+) read, (\d+) combined", stderr)
    assert m, stderr
    return int(m[1]), int(m[2])


@pytest.fixture
def data(tmp_path):
    d = tmp_path / "data"
    shutil.copytree(default_data_dir(), d)
    return d


def _fresh(data, tmp_path, *args):
    """The answer with no cache at all: every key combined in this run."""
    out, _ = _run(data, tmp_path / "none", *args, env_extra={"ALLIANCES_NO_CACHE": "1"})
    return out


def _files(cache):
    return [os.path.join(r, f) for r, _, fs in os.walk(cache) for f in fs if f.endswith(".kept")]


COMMANDS = [("disputes", "-f", "json"),
            ("export", "-", "-f", "csv", "--panel", "state-year"),
            ("export", "-", "-f", "csv", "--panel", "dyad-year")]


@pytest.mark.parametrize("args", COMMANDS, ids=["disputes", "state-year", "dyad-year"])
def test_a_run_that_reads_kept_spells_answers_as_one_that_combines_them(data, tmp_path, args):
    cache = tmp_path / "cache"
    fresh = _fresh(data, tmp_path, *args)
    assert fresh.strip() and b"error" not in fresh.lower()[:200]
    _run(data, cache, "members", "CSTO")           # builds the fact base's cache
    first, err = _run(data, cache, *args)          # combines, and keeps what it combined
    read, combined = _kept(err)
    assert read == 0 and combined > 0
    assert _files(cache)
    again, err = _run(data, cache, *args)          # reads what it kept, combines nothing
    read, combined_again = _kept(err)
    assert combined_again == 0 and 0 < read <= combined
    assert first == again == fresh


def test_a_single_question_keeps_nothing(data, tmp_path):
    cache = tmp_path / "cache"
    _run(data, cache, "members", "CSTO")
    _, err = _run(data, cache, "members", "CSTO", "--as-of", "2008")
    assert "kept spells" not in err and not _files(cache)


def test_names_through_stdin_keep_and_read_spells(data, tmp_path):
    cache = tmp_path / "cache"
    names = "Armenia\nUzbekistan\nIndia\nNicaragua\n"
    env = {**os.environ, "ALLIANCES_CACHE_DIR": str(cache), "ALLIANCES_CACHE_DEBUG": "1"}

    def ask():
        p = subprocess.run([sys.executable, "-m", "alliances", "memberships", "-", "-f", "json",
                            "--data", str(data)], input=names.encode(), capture_output=True,
                           env=env, timeout=300)
        assert p.returncode == 0, p.stderr.decode()
        return p.stdout, p.stderr.decode()

    _run(data, cache, "members", "CSTO")
    first, err = ask()
    assert _kept(err)[1] > 0
    again, err = ask()
    assert _kept(err)[1] == 0 and _kept(err)[0] > 0
    assert first == again and json.loads(first)


def test_a_list_of_names_with_an_unknown_one_keeps_its_spells(data, tmp_path):
    # the answer is written for every known name and the exit is 1: what it combined is
    # kept all the same
    cache = tmp_path / "cache"
    env = {**os.environ, "ALLIANCES_CACHE_DIR": str(cache), "ALLIANCES_CACHE_DEBUG": "1"}
    _run(data, cache, "members", "CSTO")

    def ask():
        return subprocess.run([sys.executable, "-m", "alliances", "memberships", "-",
                               "--data", str(data)], input=b"Armenia\nNowhereland\n",
                              capture_output=True, env=env, timeout=300)

    first = ask()
    assert first.returncode == 1 and b"Nowhereland" in first.stderr
    assert _kept(first.stderr.decode())[1] > 0
    again = ask()
    assert again.returncode == 1 and _kept(again.stderr.decode())[1] == 0
    assert again.stdout == first.stdout and b"Armenia" in again.stdout


def test_an_edit_combines_again_only_the_keys_of_what_it_touched(data, tmp_path):
    cache = tmp_path / "cache"
    _run(data, cache, "members", "CSTO")
    _run(data, cache, "disputes", "-f", "json")
    _, err = _run(data, cache, "disputes", "-f", "json")
    total = _kept(err)[0]
    # the SCO's first observer date, as irna-2020 gives it ("In 2005, Iran, India, and
    # Pakistan became observer members"), moved by a year: only SCO keys change
    blocs = data / "blocs.yaml"
    text = blocs.read_text("utf-8")
    quote = 'quote: "In 2005, Iran, India, and Pakistan became observer members'
    at = text.index(quote)
    head, tail = text[:at], text[at:]
    since = head.rindex('since: "2005"')
    text = head[:since] + 'since: "2004"' + head[since + len('since: "2005"'):] + tail
    blocs.write_text(text, "utf-8")
    # the first run after the edit updates the fact base's cache item by item (the SCO's
    # shard alone is new) and reads every other object's spells
    out, err = _run(data, cache, "disputes", "-f", "json")
    assert "1 of" in err and "shards written" in err, err
    read, combined = _kept(err)
    assert 0 < combined < total and read > 0
    assert out == _fresh(data, tmp_path, "disputes", "-f", "json")


def _damage(path: str, how, checksum: bool = True) -> None:
    """Change a kept file's header and body as `how` says; with checksum, the header's
    checksum is made to match the new body (a file well-formed to the last byte, whose
    records only the field checks can refuse)."""
    with open(path, "rb") as fh:
        head, _, body = fh.read().partition(b"\n")
    v = [*json.loads(head), json.loads(body)]
    how(v)
    new = json.dumps(v[5]).encode()
    if checksum:
        v[4] = zlib.crc32(new)
    with open(path, "wb") as fh:
        fh.write(json.dumps(v[:5]).encode() + b"\n" + new)


def _every_record(fn, flag=None):
    """Each key's record (kept as a letter, whether it has a dispute, and its JSON) as fn
    makes it, and its letter as flag says."""
    def how(v):
        for k in list(v[5]):
            if k.startswith("('") and not k.startswith("('members'"):
                text = v[5][k]
                v[5][k] = (flag or text[0]) + json.dumps(fn(json.loads(text[1:])))
    return how


DAMAGES = {
    "indices out of range": _every_record(lambda r: [[[e[0], [10**6], *e[2:]] for e in r[0]],
                                                     r[1]]),
    "days of another type": _every_record(lambda r: [[[*e[:5], ["x"] * 8, *e[6:]] for e in r[0]],
                                                     r[1]]),
    "an unknown status": _every_record(lambda r: [[["no-such", *e[1:]] for e in r[0]], r[1]]),
    "records of another shape": _every_record(lambda r: {"a": 1}),
    "records that are not JSON": lambda v: v[5].update(
        {k: t[0] + "[[" for k, t in v[5].items()
         if k.startswith("('") and not k.startswith("('members'")}),
    "members of another shape": lambda v: v[5].update(
        {k: [["x"]] for k in v[5] if k.startswith("('members'")}),
    "another shard": lambda v: v.__setitem__(3, [1, 2, 3]),
    "another code": lambda v: v.__setitem__(1, 12345),
}


@pytest.mark.parametrize("name", list(DAMAGES))
def test_a_damaged_or_foreign_kept_file_is_a_miss(data, tmp_path, name):
    cache = tmp_path / "cache"
    args = ("disputes", "-f", "json")
    _run(data, cache, "members", "CSTO")
    first, _ = _run(data, cache, *args)
    files = _files(cache)
    assert files
    for f in files:
        _damage(f, DAMAGES[name])
    out, err = _run(data, cache, *args)
    assert out == first
    assert _kept(err)[1] > 0
    # and the next run has them again, rewritten
    _, err = _run(data, cache, *args)
    assert _kept(err)[1] == 0


def test_a_kept_file_changed_after_it_was_written_is_a_miss(data, tmp_path):
    # every key said to have no dispute: well-formed, but not what was written
    cache = tmp_path / "cache"
    _run(data, cache, "members", "CSTO")
    first, _ = _run(data, cache, "disputes", "-f", "json")
    assert json.loads(first)
    for f in _files(cache):
        _damage(f, _every_record(lambda r: r, flag="0"), checksum=False)
    out, err = _run(data, cache, "disputes", "-f", "json")
    assert out == first and _kept(err)[1] > 0


def test_a_kept_file_that_is_not_json_is_a_miss(data, tmp_path):
    cache = tmp_path / "cache"
    _run(data, cache, "members", "CSTO")
    first, _ = _run(data, cache, "disputes", "-f", "json")
    for f in _files(cache):
        with open(f, "wb") as fh:
            fh.write(b"\x00not json[")
    out, err = _run(data, cache, "disputes", "-f", "json")
    assert out == first and _kept(err)[1] > 0


# -- a key's codes in the state-year panel, kept beside its spells ------------------------
def _codes(stderr: str) -> tuple[int, int]:
    m = re.search(r"kept codes: (\d+) read, (\d+) evaluated", stderr)
    assert m, stderr
    return int(m[1]), int(m[2])


PANEL = ("export", "-", "-f", "csv", "--panel", "state-year")


def test_a_panel_reads_the_codes_an_earlier_panel_kept(data, tmp_path):
    cache = tmp_path / "cache"
    fresh = _fresh(data, tmp_path, *PANEL)
    _run(data, cache, "members", "CSTO")
    first, err = _run(data, cache, *PANEL)
    read, evaluated = _codes(err)
    assert read == 0 and evaluated > 0
    again, err = _run(data, cache, *PANEL)
    assert _codes(err) == (evaluated, 0)  # every key's codes read, none evaluated
    # the dyad-year panel is coded from the same cells
    _, err = _run(data, cache, "export", "-", "-f", "csv", "--panel", "dyad-year")
    assert _codes(err) == (evaluated, 0)
    assert first == again == fresh


def test_the_sqlite_export_reads_the_first_years_kept_beside_the_codes(data, tmp_path):
    # the export's years (panel_years) take each key's first year from its kept codes,
    # as the panel does, instead of decoding its spells: the same file either way
    import sqlite3

    def dump(path):
        con = sqlite3.connect(path)
        try:
            return list(con.iterdump())
        finally:
            con.close()

    def decoded(err):
        m = re.search(r"kept spells: \d+ read, 0 combined, (\d+) decoded", err)
        assert m, err
        return int(m[1])

    cache = tmp_path / "cache"
    fresh_path, kept_path = tmp_path / "fresh.sqlite", tmp_path / "kept.sqlite"
    _run(data, tmp_path / "none", "export", str(fresh_path),
         env_extra={"ALLIANCES_NO_CACHE": "1"})
    _run(data, cache, "members", "CSTO")
    _run(data, cache, "export", str(kept_path), "--force")  # keeps the spells
    _, err = _run(data, cache, "export", str(kept_path), "--force")
    without_codes = decoded(err)
    _run(data, cache, *PANEL)                      # keeps the codes, and each first year
    _, err = _run(data, cache, "export", str(kept_path), "--force")
    _, panel_err = _run(data, cache, *PANEL)
    keys = _codes(panel_err)[0]                    # the panel's keys: their codes read
    assert 0 < keys and decoded(err) == without_codes - keys
    fresh = dump(fresh_path)
    assert any(line.startswith('INSERT INTO "verdicts"') for line in fresh)
    assert dump(kept_path) == fresh


def test_an_edit_evaluates_again_only_the_codes_of_what_it_touched(data, tmp_path):
    cache = tmp_path / "cache"
    _run(data, cache, "members", "CSTO")
    before, _ = _run(data, cache, *PANEL)
    # the SCO's first observer date, as irna-2020 gives it ("In 2005, Iran, India, and
    # Pakistan became observer members"), moved by a year: only SCO keys change
    blocs = data / "blocs.yaml"
    text = blocs.read_text("utf-8")
    at = text.index('quote: "In 2005, Iran, India, and Pakistan became observer members')
    since = text.rindex('since: "2005"', 0, at)
    blocs.write_text(text[:since] + 'since: "2004"' + text[since + 13:], "utf-8")
    out, err = _run(data, cache, *PANEL)
    read, evaluated = _codes(err)
    assert read > 0 and 0 < evaluated < read
    assert out == _fresh(data, tmp_path, *PANEL) != before  # (the edit changes a cell)


def _every_codes(fn):
    def how(v):
        for k in list(v[5]):
            if k.startswith("c("):
                v[5][k] = json.dumps(fn(json.loads(v[5][k])))
    return how


CODE_DAMAGES = {
    "a code COW does not have": _every_codes(lambda c: [*c[:3], [[c[1], 7]]]),
    "steps out of order": _every_codes(lambda c: [*c[:3], [[c[1], 0], [c[1], 1]]]),
    "a step after the last year": _every_codes(lambda c: [*c[:3], [[c[1], 0], [c[2] + 1, 1]]]),
    "no steps": _every_codes(lambda c: [*c[:3], []]),
    "a first step after the first year": _every_codes(lambda c: [*c[:3], [[c[1] + 1, 0]]]),
    "years of another type": _every_codes(lambda c: [c[0], "1990", *c[2:]]),
    "of another shape": _every_codes(lambda c: {"a": c}),
    "other years": _every_codes(lambda c: [c[0], c[1] - 1, c[2], [[c[1] - 1, 1]]]),
}


@pytest.mark.parametrize("name", list(CODE_DAMAGES))
def test_damaged_or_foreign_kept_codes_are_evaluated_again(data, tmp_path, name):
    cache = tmp_path / "cache"
    _run(data, cache, "members", "CSTO")
    first, _ = _run(data, cache, *PANEL)
    for f in _files(cache):
        _damage(f, CODE_DAMAGES[name])
    out, err = _run(data, cache, *PANEL)
    assert out == first
    assert _codes(err)[1] > 0
    _, err = _run(data, cache, *PANEL)  # and kept again
    assert _codes(err)[1] == 0

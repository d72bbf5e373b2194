"""Hostile input and hostile data: the tool stays correct, quiet and safe.

Hostile data is a copy of the shipped data directory whose names, aliases, quotes, notes,
source metadata and one article carry terminal escape sequences (OSC 0 retitles a window,
OSC 8 makes a hyperlink, CSI and the one-byte C1 CSI \\x9b move the cursor or recolour),
bidi overrides and rich markup. Nothing of it may reach a terminal raw, in any format, on
stdout or stderr; markup is printed literally. Paths in the data stay inside the data
directory; YAML is read strictly and fails fast; a closed pipe or Ctrl-C ends quietly;
bad encodings are clear errors; exit codes are 0 (also when empty), 1 (a name or data
problem) and 2 (usage). The property tests feed random arguments to every command and
random damage to blocs.yaml: never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIVE, rehash
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import alliances
from alliances.cli import app

OSC_TITLE = "\x1b]0;pwned\x07"
OSC_LINK = "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\"
CSI_C1 = "\x9b31m"
CSI = "\x1b[2J"
BIDI = "\u202e"
MARKUP = "[bold]x[/]"

# What a terminal must never receive from data or arguments: C0 controls except tab and
# newline, DEL, C1 (where ESC-less escape sequences start) and bidi overrides.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# click's own usage errors escape C0 and C1 but not bidi overrides (which reorder what is
# shown but cannot run anything): the property tests, which provoke those, check this.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FORMATS = ("table", "json", "csv", "tsv", "plain")
WIDE = {"COLUMNS": "400", "NO_COLOR": None, "FORCE_COLOR": None}  # no folding, no colour


@pytest.fixture(autouse=True)
def isolated(tmp_path_factory, monkeypatch):
    """A private cache, no inherited data directory or size limit."""
    monkeypatch.setenv("ALLIANCES_CACHE_DIR", str(tmp_path_factory.mktemp("hostile-cache")))
    for var in ("ALLIANCES_NO_CACHE", "ALLIANCES_MAX_YAML_BYTES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ALLIANCES_DATA", FIVE)


runner = CliRunner()


def invoke(*args, env=None, code=None):
    """Run the CLI in-process; fail on any traceback; check the exit code if given."""
    result = runner.invoke(app, [str(a) for a in args], env={**WIDE, **(env or {})})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback for {args!r}") from result.exception
    assert "Traceback" not in result.output
    if code is not None:
        assert result.exit_code == code, (args, result.exit_code, result.output)
    return result


def assert_safe(text: str, what: str = "", unsafe: re.Pattern = UNSAFE) -> None:
    m = unsafe.search(text)
    assert m is None, (f"raw {m[0]!r} reached the terminal {what}: "
                       f"...{text[max(0, m.start() - 60):m.end() + 20]!r}")


def one_line_error(result, *needles: str) -> str:
    """stderr is a single `alliances: error: ...` line holding every needle."""
    err = result.stderr
    assert err.startswith("alliances: error: "), err
    assert err.count("\n") == 1, err
    for n in needles:
        assert n in err, (n, err)
    return err


def copy_data(dest: Path) -> Path:
    shutil.copytree(FIVE, dest)
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def subprocess_env(**extra) -> dict:
    """Environment for `python -m alliances`, importable whether installed or from src/."""
    env = dict(os.environ)
    src = str(Path(alliances.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    for var in ("NO_COLOR", "FORCE_COLOR", "ALLIANCES_MAX_YAML_BYTES"):
        env.pop(var, None)
    env["ALLIANCES_DATA"] = FIVE
    env.update(extra)
    return env


# YAML double-quoted escapes: \e is ESC, \a is BEL, \x9b the C1 CSI, \u202e a bidi override.
Y_TITLE = r"\e]0;pwned\a"
Y_LINK = r"\e]8;;http://evil.example\e\\click\e]8;;\e\\"


@pytest.fixture
def hostile(tmp_path) -> Path:
    """A data directory whose text fields and one article carry escapes and markup."""
    d = copy_data(tmp_path / "hostile")
    blocs = d / "blocs.yaml"
    edit(blocs, "  armenia: {name: Armenia}",
         f'  armenia: {{name: "Arm{Y_TITLE}enia {MARKUP} [link=http://evil.example]y",'
         f' aliases: ["{Y_LINK}", "\\x9b31mred\\u202eevil", "[/]"]}}')
    edit(blocs, "  china: {name: China}", r'  china: {name: "Chi\x9b2Jna [red]r[/red]"}')
    edit(blocs, "  nicaragua: {name: Nicaragua}",
         "  nicaragua: {name: Nicaragua}\n  strasse: {name: \"Straße\"}\n"
         "  cote: {name: \"Côte d’Ivoire\"}")
    edit(blocs, "The Russia-led ODKB also includes Belarus, Armenia",
         f"The Russia-led ODKB {Y_TITLE} [bold]also[/bold] includes Belarus, Armenia")
    edit(blocs, "note: \"Russia is a member as the bloc's leader ('Russia-led').\"",
         f'note: "leader {Y_LINK} \\x9b2J \\u202e [link=http://evil.example]n[/link]"')
    edit(blocs, "    name: Shanghai Cooperation Organization\n",
         f'    name: "Shanghai {Y_TITLE} Cooperation Organization"\n')
    sources = d / "sources" / "sources.yaml"
    edit(sources, "title: \"Russia allies fail to back Moscow on enclaves\"",
         f'title: "Russia allies {Y_TITLE} fail [bold]b[/bold]"\n'
         "    url: \"https://example.org/reuters\"")
    edit(sources, "publisher: Reuters", r'publisher: "Reu\x9bters"')
    text = d / "sources" / "reuters-2008.txt"
    raw = text.read_text(encoding="utf-8")
    # The article carries the hostile quote too, so the data still passes `check` and a
    # query answers without an unverified-data warning.
    raw = raw.replace("The Russia-led ODKB also includes",
                      f"The Russia-led ODKB {OSC_TITLE} [bold]also[/bold] includes")
    text.write_text(f"{OSC_TITLE}{OSC_LINK}{CSI}{CSI_C1}{BIDI}{MARKUP}\n" + raw, encoding="utf-8")
    rehash(d, "reuters-2008")
    return d


# -- terminal safety -------------------------------------------------------------------
QUERIES = [
    ("members", "CSTO", "--as-of", "2008"),
    ("members", "SCO", "--all"),
    ("recognizes", "Abkhazia", "--all"),
    ("memberships", "armenia", "--all"),
    ("compare", "CSTO", "SCO", "--as-of", "2008"),
    ("shared", "armenia", "russia", "--as-of", "2008"),
    ("timeline", "armenia"),
    ("timeline", "SCO"),
    ("disputes",),
    ("claims", "--source", "reuters-2008"),
    ("search", "pwned"),
    ("search", "Arm"),
    ("blocs",),
    ("states",),
    ("sources",),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("args", QUERIES, ids=lambda a: "-".join(a[:2]))
def test_no_raw_escape_in_any_format(hostile, args, fmt):
    r = invoke(*args, "--format", fmt, "--data", hostile, code=0)
    assert r.stdout.strip()
    assert_safe(r.stdout, "on stdout")
    assert_safe(r.stderr, "on stderr")


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "plain"])
def test_escapes_are_shown_visibly_and_markup_literally(hostile, fmt):
    out = invoke("members", "CSTO", "--as-of", "2008", "-f", fmt, "--data", hostile,
                 code=0).stdout
    assert "Arm\\x1b]0;pwned\\x07enia" in out
    assert MARKUP in out and "[link=http://evil.example]y" in out
    if fmt in ("table", "csv", "tsv"):  # the quote and note columns
        assert "ODKB \\x1b]0;pwned\\x07 [bold]also[/bold] includes" in out
    if fmt == "table":
        assert "\\x9b2J \\u202e [link=http://evil.example]n[/link]" in out


def test_json_escapes_every_control_character(hostile):
    out = invoke("members", "CSTO", "--as-of", "2008", "-f", "json", "--data", hostile,
                 code=0).stdout
    assert "Arm\\u001b]0;pwned\\u0007enia" in out and "\\u009b2J \\u202e" in out
    rows = json.loads(out)  # still the exact data once parsed
    assert f"Arm{OSC_TITLE}enia {MARKUP} [link=http://evil.example]y" in {r["state"] for r in rows}


def test_notes_on_stderr_are_escaped(hostile):
    r = invoke("members", "CSTO", "--as-of", "2008", "-f", "tsv", "--data", hostile, code=0)
    assert "Chi\\x9b2Jna [red]r[/red] (non-member)" in r.stderr
    assert_safe(r.stderr)


def test_forced_colour_table_adds_only_its_own_escapes(hostile):
    """FORCE_COLOR makes rich style and link the table: still none of the data's escapes."""
    r = invoke("members", "CSTO", "--as-of", "2008", "-f", "table", "--data", hostile,
               env={"FORCE_COLOR": "1", "TERM": "xterm-256color"}, code=0)
    out = r.stdout
    links = re.findall(r"\x1b\]8;[^;\x1b\x07]*;([^\x1b\x07]*)\x1b\\", out)
    assert "https://example.org/reuters" in links  # rich did style and link
    assert set(links) <= {"", "https://example.org/reuters"}, links
    own = re.sub(r"\x1b\[[0-9;]*m|\x1b\]8;[^;\x1b\x07]*;[^\x1b\x07]*\x1b\\", "", out)
    assert_safe(own, "besides rich's own styling")
    assert "\\x1b]0;pwned\\x07" in own


def test_source_text_is_escaped(hostile):
    out = invoke("source", "reuters-2008", "--data", hostile, code=0).stdout
    assert_safe(out)
    assert out.startswith("id: reuters-2008\ntitle: Russia allies \\x1b]0;pwned\\x07 fail "
                          "[bold]b[/bold]\npublisher: Reu\\x9bters\n")
    assert ("\\x1b]0;pwned\\x07\\x1b]8;;http://evil.example\\x1b\\click\\x1b]8;;\\x1b\\"
            "\\x1b[2J\\x9b31m\\u202e[bold]x[/]\n") in out
    assert "Russia allies fail to back Moscow on enclaves" in out  # the article follows


def test_source_json_is_escaped(hostile):
    out = invoke("source", "reuters-2008", "-f", "json", "--data", hostile, code=0).stdout
    assert_safe(out)
    assert json.loads(out)["text"].startswith(OSC_TITLE + OSC_LINK + CSI + CSI_C1 + BIDI)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_report_is_escaped(hostile, fmt):
    """The changed quote is no longer in the article: the report quotes it, escaped, and so
    does a query's unverified-data warning."""
    text = hostile / "sources" / "reuters-2008.txt"
    text.write_text(text.read_text(encoding="utf-8").replace(
        f"ODKB {OSC_TITLE} [bold]also[/bold]", "ODKB also"), encoding="utf-8")
    rehash(hostile, "reuters-2008")
    r = invoke("check", "-f", fmt, "--data", hostile, code=1)
    assert_safe(r.stdout)
    assert_safe(r.stderr)
    assert "pwned" in r.stdout
    q = invoke("members", "CSTO", "--format", "table" if fmt == "text" else fmt, "--data",
               hostile, code=0)
    assert "alliances: warning: unverified data: blocs.yaml:" in q.stderr, q.stderr
    assert "pwned" in q.stderr
    assert_safe(q.stderr)


@pytest.mark.parametrize("args", [("export", "-", "-f", "json"), ("export", "-", "-f", "csv"),
                                  ("export", "-", "-f", "csv", "--panel", "state-year"),
                                  ("sources", "-f", "csl-json")])
def test_exports_to_stdout_are_escaped(hostile, args):
    r = invoke(*args, "--data", hostile, code=0)
    assert r.stdout.strip()
    assert_safe(r.stdout)


def test_bibtex_to_stdout_is_escaped(hostile):
    r = invoke("sources", "-f", "bibtex", "--data", hostile, code=0)
    assert_safe(r.stdout)


def test_bibtex_export_to_stdout_is_escaped_and_to_a_file_exact(hostile, tmp_path):
    r = invoke("export", "-", "--format", "bibtex", "--data", hostile, code=0)
    assert "@" in r.stdout
    assert_safe(r.stdout)
    out = tmp_path / "refs.bib"
    invoke("export", out, "--data", hostile, code=0)
    assert "\x1b" in out.read_text("utf-8")   # a file keeps the text exactly


@pytest.mark.parametrize("name", ["[bold]x\x1b[31m", f"{OSC_TITLE}CSTO", f"[link=http://e]{CSI_C1}",
                                  "\x1b]8;;http://evil\x1b\\x", "[/]", BIDI + "OTSC"])
def test_unknown_name_error_is_escaped(name):
    r = invoke("members", name, code=1)
    assert r.stdout == ""
    err = one_line_error(r, "unknown bloc")
    assert_safe(err)
    if name.startswith("[bold]"):
        assert "'[bold]x\\x1b[31m'" in err  # markup literal, escape visible


def test_suggestions_of_hostile_names_are_escaped(hostile):
    r = invoke("memberships", "Armenix", "--data", hostile, code=1)
    err = one_line_error(r, "did you mean")
    assert_safe(err)


@pytest.mark.parametrize("args", [
    ("members", "CSTO", "--format", OSC_TITLE),
    ("members", "CSTO", "--as-of", f"2008{CSI}"),
    ("members", "CSTO", "--status", f"[bold]{OSC_TITLE}"),
    ("members", "CSTO", f"--{OSC_TITLE}"),
    ("members", "CSTO", "extra", CSI_C1),
    (f"{OSC_TITLE}[bold]x",),
    ("claims", "--source", OSC_LINK),
    ("source", f"..{CSI}"),
])
def test_usage_errors_are_escaped(args):
    r = invoke(*args)
    assert r.exit_code in (1, 2)
    assert_safe(r.stdout)
    assert_safe(r.stderr)


def test_data_error_messages_are_escaped(tmp_path):
    d = copy_data(tmp_path / "d")
    edit(d / "blocs.yaml", "  armenia: {name: Armenia}",
         f'  armenia: {{name: Armenia, "{Y_TITLE}[bold]k": 1}}')
    r = invoke("members", "CSTO", "--data", d, code=1)
    err = one_line_error(r, "blocs.yaml:", "unknown field", "[bold]k")
    assert_safe(err)


def test_hostile_url_is_refused(tmp_path):
    d = copy_data(tmp_path / "d")
    edit(d / "sources" / "sources.yaml", "    publisher: Reuters\n",
         f'    publisher: Reuters\n    url: "https://x.example/{Y_TITLE}"\n')
    r = invoke("sources", "--data", d, code=1)
    one_line_error(r, "sources.yaml:", "'url'")
    assert_safe(r.stderr)


def test_shell_completion_offers_no_raw_escapes(hostile, tmp_path):
    r = subprocess.run([sys.executable, "-c", "from alliances.cli import main; main()"],
                       capture_output=True, text=True, timeout=60,
                       env=subprocess_env(ALLIANCES_DATA=str(hostile),
                                          ALLIANCES_CACHE_DIR=str(tmp_path / "cache"),
                                          _ALLIANCES_COMPLETE="complete_bash",
                                          COMP_WORDS="alliances memberships A", COMP_CWORD="2"))
    assert r.returncode == 0 and "Afghanistan" in r.stdout, r
    assert_safe(r.stdout)


# -- path safety -----------------------------------------------------------------------
SECRET = "TOP-SECRET-OUTSIDE-THE-DATA"


@pytest.fixture
def outside(tmp_path) -> Path:
    f = tmp_path / "outside" / "secret.txt"
    f.parent.mkdir()
    f.write_text(SECRET + "\n", encoding="utf-8")
    return f


@pytest.mark.parametrize("file", ["../blocs.yaml", "../../secret.txt", "/etc/passwd",
                                  "sub/../../../secret.txt", "./../x.txt"])
def test_source_file_escaping_the_directory_is_refused(tmp_path, file):
    d = copy_data(tmp_path / "d")
    edit(d / "sources" / "sources.yaml", "file: reuters-2008.txt", f"file: {json.dumps(file)}")
    for args in (("source", "reuters-2008"), ("members", "CSTO"), ("check",)):
        r = invoke(*args, "--data", d, code=1)
        assert SECRET not in r.output and "root:" not in r.output
        if args[0] != "check":
            one_line_error(r, "sources.yaml:", "inside the sources directory")


def test_source_file_symlink_out_is_refused(tmp_path, outside):
    d = copy_data(tmp_path / "d")
    (d / "sources" / "evil.txt").symlink_to(outside)
    edit(d / "sources" / "sources.yaml", "file: reuters-2008.txt", "file: evil.txt")
    r = invoke("source", "reuters-2008", "--data", d, code=1)
    one_line_error(r, "resolves outside the data directory")
    assert SECRET not in r.output
    r = invoke("claims", "--source", "reuters-2008", "--data", d, code=1)
    one_line_error(r, "resolves outside the data directory")
    r = invoke("check", "--data", d, code=1)
    assert "resolves outside the data directory" in r.stdout and SECRET not in r.output
    invoke("members", "CSTO", "--data", d, code=0)  # queries that print no text still work


def test_sources_directory_symlink_out_is_refused(tmp_path):
    d = copy_data(tmp_path / "d")
    elsewhere = tmp_path / "elsewhere"
    shutil.move(str(d / "sources"), elsewhere)
    (d / "sources").symlink_to(elsewhere, target_is_directory=True)
    for args in (("source", "reuters-2008"), ("members", "CSTO")):
        r = invoke(*args, "--data", d, code=1)
        one_line_error(r, "resolves outside the data directory")


@pytest.mark.parametrize("rel", ["blocs.yaml", "sources/sources.yaml"])
def test_yaml_file_symlink_out_is_refused(tmp_path, rel):
    d = copy_data(tmp_path / "d")
    copy = tmp_path / "copy.yaml"
    shutil.copy(d / rel, copy)
    (d / rel).unlink()
    (d / rel).symlink_to(copy)
    for args in (("members", "CSTO"), ("sources",)):
        r = invoke(*args, "--data", d, code=1)
        one_line_error(r, "resolves outside the data directory")
    r = invoke("check", "--data", d, code=1)
    assert "resolves outside the data directory" in r.stdout


def test_symlinks_inside_the_data_directory_are_fine(tmp_path):
    d = copy_data(tmp_path / "d")
    (d / "sources" / "alias.txt").symlink_to("reuters-2008.txt")
    edit(d / "sources" / "sources.yaml", "file: reuters-2008.txt", "file: alias.txt")
    link = tmp_path / "link-to-data"
    link.symlink_to(d, target_is_directory=True)
    assert "Russia" in invoke("source", "reuters-2008", "--data", link, code=0).stdout
    invoke("check", "--data", link, code=0)


@pytest.mark.parametrize("file,message", [
    (".", "is a directory"),
    ("loop.txt", "cannot read"),
    (f"missing{Y_TITLE}.txt", "file not found"),
])
def test_unreadable_source_files_are_one_line_errors(tmp_path, file, message):
    d = copy_data(tmp_path / "d")
    (d / "sources" / "loop.txt").symlink_to("loop.txt")
    edit(d / "sources" / "sources.yaml", "file: reuters-2008.txt", f'file: "{file}"')
    r = invoke("source", "reuters-2008", "--data", d, code=1)
    assert_safe(one_line_error(r, "sources/", message))


@pytest.mark.parametrize("ident", ["../../etc/passwd", "/etc/passwd", "sources.yaml",
                                   "reuters-2008.txt", "..", "reuters-2008/../outline-2014"])
def test_source_argument_is_an_id_not_a_path(ident):
    r = invoke("source", ident, code=1)
    one_line_error(r, "unknown source")
    assert "root:" not in r.output


def test_data_option_problems_are_one_line(tmp_path):
    one_line_error(invoke("members", "CSTO", "--data", tmp_path / "missing", code=1),
                   "data directory not found")
    (tmp_path / "file").write_text("x")
    one_line_error(invoke("members", "CSTO", "--data", tmp_path / "file", code=1),
                   "not a directory")
    (tmp_path / "empty").mkdir()
    one_line_error(invoke("members", "CSTO", "--data", tmp_path / "empty", code=1),
                   "file not found")


def test_fifo_source_text_fails_instead_of_hanging(tmp_path):
    """A named pipe would block forever on open: only regular files are read."""
    d = copy_data(tmp_path / "d")
    (d / "sources" / "reuters-2008.txt").unlink()
    os.mkfifo(d / "sources" / "reuters-2008.txt")
    r = subprocess.run([sys.executable, "-m", "alliances", "source", "reuters-2008", "--data",
                        str(d)], capture_output=True, text=True, timeout=30,
                       env=subprocess_env(ALLIANCES_CACHE_DIR=str(tmp_path / "cache")))
    assert r.returncode == 1, r
    assert r.stderr.startswith("alliances: error: ") and "not a regular file" in r.stderr


def test_fifo_blocs_yaml_fails_instead_of_hanging_without_cache(tmp_path):
    d = copy_data(tmp_path / "d")
    (d / "blocs.yaml").unlink()
    os.mkfifo(d / "blocs.yaml")
    r = subprocess.run([sys.executable, "-m", "alliances", "members", "CSTO", "--data", str(d)],
                       capture_output=True, text=True, timeout=30,
                       env=subprocess_env(ALLIANCES_NO_CACHE="1"))
    assert r.returncode == 1 and "not a regular file" in r.stderr, r


def test_fifo_blocs_yaml_fails_instead_of_hanging_with_cache(tmp_path):
    d = copy_data(tmp_path / "d")
    (d / "blocs.yaml").unlink()
    os.mkfifo(d / "blocs.yaml")
    r = subprocess.run([sys.executable, "-m", "alliances", "members", "CSTO", "--data", str(d)],
                       capture_output=True, text=True, timeout=4,
                       env=subprocess_env(ALLIANCES_CACHE_DIR=str(tmp_path / "cache")))
    assert r.returncode == 1 and "not a regular file" in r.stderr, r


# -- YAML safety -----------------------------------------------------------------------
def write_blocs(tmp_path, text: str) -> Path:
    d = copy_data(tmp_path / "d")
    (d / "blocs.yaml").write_text(text, encoding="utf-8")
    return d


@pytest.fixture
def blocs_text() -> str:
    return (Path(FIVE) / "blocs.yaml").read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize("old,new,at,message", [
    ("  armenia: {name: Armenia}", "  armenia: &a {name: Armenia}", "&a", "anchor &a"),
    ("  belarus: {name: Belarus}", "  belarus: *a", "*a", "alias *a"),
    ("  armenia: {name: Armenia}", "  armenia: !!python/object/apply:os.system ['touch PWNED']",
     "!!python", "tag tag:yaml.org,2002:python/object/apply:os.system"),
    ("  armenia: {name: Armenia}", "  armenia: !!python/name:os.system ''", "!!python", "tag"),
    ("  armenia: {name: Armenia}", "  armenia: !custom {name: Armenia}", "!custom",
     "tag !custom"),
    ("  armenia: {name: Armenia}", "  armenia:\n    <<: {name: Armenia}", "<<", "merge key"),
    ("  armenia: {name: Armenia}", "  armenia: {name: Armenia}\n  armenia: {name: X}",
     "armenia: {name: X}", "duplicate key 'armenia'"),
    ("schema: 1\n", "schema: 1\n---\nschema: 1\n", "---", "more than one YAML document"),
    ("  armenia: {name: Armenia}", "  armenia: {name: \"Arm\x1b]0;x\x07\"}", "\x1b",
     "unacceptable character"),
])
def test_unsafe_yaml_is_refused_with_file_and_line(tmp_path, blocs_text, monkeypatch, old, new,
                                                    at, message):
    monkeypatch.chdir(tmp_path)  # where `touch PWNED` would land
    text = blocs_text.replace(old, new, 1)
    assert text != blocs_text
    d = write_blocs(tmp_path, text)
    line = _line_of(text, at)
    r = invoke("members", "CSTO", "--data", d, code=1)
    err = one_line_error(r, f"blocs.yaml:{line}: ", message)
    assert_safe(err)
    assert not (tmp_path / "PWNED").exists()
    r = invoke("check", "--data", d, code=1)
    assert f"blocs.yaml:{line}: " in r.stdout and message in r.stdout


def test_billion_laughs_fails_fast(tmp_path):
    """A safety property, so timed: expansion would take minutes and gigabytes."""
    levels = ['lol0: &lol0 "lol"'] + [
        f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 10)}]" for i in range(1, 12)]
    d = write_blocs(tmp_path, "\n".join(levels) + "\n")
    start = time.perf_counter()
    r = invoke("members", "CSTO", "--data", d, code=1)
    assert time.perf_counter() - start < 1.0
    one_line_error(r, "blocs.yaml:1: ", "anchor &lol0")


@pytest.mark.parametrize("body", [
    "[" * 50_000 + "]" * 50_000,
    "{a: " * 50_000 + "x" + "}" * 50_000,
    "\n  " + "- " * 50_000 + "x",
])
def test_deep_nesting_fails_fast(tmp_path, body):
    d = write_blocs(tmp_path, f"schema: 1\nentities: {body}\n")
    start = time.perf_counter()
    r = invoke("members", "CSTO", "--data", d, code=1)
    assert time.perf_counter() - start < 1.0
    one_line_error(r, "blocs.yaml:", "nested deeper than 32 levels")


def test_size_limit_is_read_at_call_time(tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANCES_NO_CACHE", "1")  # a cached fact base reads no file
    d = copy_data(tmp_path / "d")
    size = (d / "blocs.yaml").stat().st_size
    monkeypatch.setenv("ALLIANCES_MAX_YAML_BYTES", str(size - 1))
    r = invoke("members", "CSTO", "--data", d, code=1)
    one_line_error(r, "blocs.yaml: ", f"over the {size - 1}-byte limit",
                   "ALLIANCES_MAX_YAML_BYTES")
    monkeypatch.setenv("ALLIANCES_MAX_YAML_BYTES", str(size))
    invoke("members", "CSTO", "--data", d, code=0)
    monkeypatch.setenv("ALLIANCES_MAX_YAML_BYTES", "sixty-four megs")
    one_line_error(invoke("members", "CSTO", "--data", d, code=1), "ALLIANCES_MAX_YAML_BYTES",
                   "not a whole number")


def test_size_limit_applies_to_article_texts(tmp_path, monkeypatch):
    d = copy_data(tmp_path / "d")
    monkeypatch.setenv("ALLIANCES_MAX_YAML_BYTES", str((d / "blocs.yaml").stat().st_size))
    with open(d / "sources" / "reuters-2008.txt", "a", encoding="utf-8") as fh:
        fh.write("x" * 200_000)
    r = invoke("source", "reuters-2008", "--data", d, code=1)
    one_line_error(r, "reuters-2008.txt: ", "-byte limit")


def test_huge_integer_is_a_clear_error(tmp_path, blocs_text):
    """Over Python's 4300-digit int limit: stays a string, and the schema check says so."""
    d = write_blocs(tmp_path, blocs_text.replace("schema: 1\n", "schema: " + "9" * 5000 + "\n", 1))
    r = invoke("members", "CSTO", "--data", d, code=1)
    one_line_error(r, "blocs.yaml:", "'schema' must be 1")


def test_control_character_error_names_the_right_line(tmp_path, blocs_text):
    text = blocs_text.replace("  syria: {name: Syria}", "  syria: {name: Sy\x07ria}", 1)
    d = write_blocs(tmp_path, "# ОДКБ é\n" + text)  # multi-byte text before: lines, not bytes
    line = _line_of("# ОДКБ é\n" + text, "Sy\x07ria")
    one_line_error(invoke("members", "CSTO", "--data", d, code=1), f"blocs.yaml:{line}: ",
                   "unacceptable character #x0007")


# -- pipes and signals -----------------------------------------------------------------
@pytest.fixture
def big(tmp_path) -> Path:
    """Output far over a pipe's 64 KiB buffer, so closing the reader really breaks it."""
    d = copy_data(tmp_path / "big")
    extra = "".join(f"  extra{i}: {{name: Extra state number {i}, aliases: [X{i}]}}\n"
                    for i in range(4000))
    edit(d / "blocs.yaml", "\nentities:\n", "\nentities:\n" + extra)
    with open(d / "sources" / "reuters-2008.txt", "a", encoding="utf-8") as fh:
        fh.write("A filler line of the archived article.\n" * 20_000)
    rehash(d, "reuters-2008")
    return d


@pytest.mark.parametrize("args", [
    ("states", "-f", "tsv"), ("states", "-f", "csv"), ("states", "-f", "plain"),
    ("states", "-f", "table"), ("states", "-f", "json"), ("search", "extra"),
    ("source", "reuters-2008"), ("export", "-", "-f", "csv"), ("members", "CSTO", "-f", "tsv"),
    ("recognizes", "South Ossetia", "--all", "--format", "json"),
])
def test_closed_pipe_is_quiet(big, tmp_path, args):
    p = subprocess.Popen([sys.executable, "-m", "alliances", *args, "--data", str(big)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=subprocess_env(ALLIANCES_CACHE_DIR=str(tmp_path / "cache")))
    first = p.stdout.readline()
    p.stdout.close()  # `| head -1`
    err = p.stderr.read()
    code = p.wait(timeout=60)
    assert first
    noise = [ln for ln in err.decode(errors="replace").splitlines() if not ln.startswith("note: ")]
    assert noise == []  # no traceback, no "Broken pipe", no "Exception ignored"
    # 141 when the write failed; a single large write the kernel cut short is not an error.
    assert code in (0, 141), code
    if args[1:] in (("-f", "tsv"), ("-f", "csv"), ("-f", "plain")):
        assert code == 141  # line-by-line output certainly hit the closed pipe


def test_shell_pipe_to_head_is_quiet(big, tmp_path):
    if shutil.which("sh") is None or shutil.which("head") is None:
        pytest.skip("needs sh and head")
    cmd = f"'{sys.executable}' -m alliances states --data '{big}' -f tsv | head -1"
    r = subprocess.run(["sh", "-c", cmd], capture_output=True, text=True, timeout=60,
                       env=subprocess_env(ALLIANCES_CACHE_DIR=str(tmp_path / "cache")))
    assert r.stdout == "id\tname\taliases\tkind\tccode\tiso3\n"
    assert r.stderr == ""


SLOW_QUERY = """
import os, signal, sys, time
import alliances.answers.query as q

def slow(*args, **kwargs):
    sys.stderr.write("ready\\n"); sys.stderr.flush()
    if os.environ.get("SELF_INTERRUPT"):
        os.kill(os.getpid(), signal.SIGINT)
    time.sleep(30)
    raise SystemExit("not interrupted")

q.members = slow
sys.argv = ["alliances", "members", "CSTO", "--format", "tsv"]
from alliances.cli import main
main()
"""


def test_ctrl_c_exits_130_quietly(tmp_path):
    p = subprocess.Popen([sys.executable, "-c", SLOW_QUERY], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE,
                         env=subprocess_env(ALLIANCES_CACHE_DIR=str(tmp_path / "cache")))
    assert p.stderr.readline() == b"ready\n"
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=30)
    assert p.returncode == 130
    assert err == b"" and out == b""


def test_ctrl_c_inside_the_command_exits_130_quietly(tmp_path):
    r = subprocess.run([sys.executable, "-c", SLOW_QUERY], capture_output=True, timeout=30,
                       env=subprocess_env(SELF_INTERRUPT="1",
                                          ALLIANCES_CACHE_DIR=str(tmp_path / "cache")))
    assert r.returncode == 130
    assert r.stderr == b"ready\n" and r.stdout == b""


@pytest.mark.parametrize("args", [("members", "CSTO", "--as-of", "2008"),
                                  ("recognizes", "South Ossetia", "--all", "-f", "json"),
                                  ("states", "-f", "table"), ("source", "reuters-2008")])
def test_output_to_a_file_is_complete(tmp_path, args):
    """Redirected to a file (not a terminal: tsv by default), every byte arrives."""
    expected = invoke(*args, "-f", "tsv", code=0).stdout if args[0] == "members" else \
        invoke(*args, code=0).stdout
    out = tmp_path / "out.txt"
    with open(out, "w", encoding="utf-8") as fh:
        r = subprocess.run([sys.executable, "-m", "alliances", *args], stdout=fh,
                           stderr=subprocess.PIPE, text=True, timeout=60,
                           env=subprocess_env(ALLIANCES_CACHE_DIR=str(tmp_path / "cache"),
                                              COLUMNS="400"))
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert out.read_text(encoding="utf-8") == expected


# -- encodings -------------------------------------------------------------------------
def test_latin1_blocs_yaml_is_a_clear_error(tmp_path, blocs_text):
    d = copy_data(tmp_path / "d")
    text = "".join(c if c.isascii() else "?" for c in blocs_text)
    text = text.replace("  syria: {name: Syria}", "  syria: {name: Syrie, aliases: [Sýria]}")
    (d / "blocs.yaml").write_bytes(text.encode("latin-1"))
    line = _line_of(text, "Sýria")
    r = invoke("members", "CSTO", "--data", d, code=1)
    one_line_error(r, f"blocs.yaml:{line}: ", "not valid UTF-8", "0xfd")
    r = invoke("check", "--data", d, code=1)
    assert f"blocs.yaml:{line}: not valid UTF-8" in r.stdout


def test_latin1_article_is_a_clear_error(tmp_path):
    d = copy_data(tmp_path / "d")
    p = d / "sources" / "reuters-2008.txt"
    p.write_bytes(p.read_bytes() + "\nCaf\u00e9 cr\u00e8me\n".encode("latin-1"))
    one_line_error(invoke("source", "reuters-2008", "--data", d, code=1),
                   "reuters-2008.txt:", "not valid UTF-8")
    invoke("members", "CSTO", "--data", d, code=0)  # a query that does not print it is fine


def test_utf16_sources_yaml_is_a_clear_error(tmp_path):
    d = copy_data(tmp_path / "d")
    p = d / "sources" / "sources.yaml"
    p.write_bytes(p.read_text(encoding="utf-8").encode("utf-16"))
    one_line_error(invoke("sources", "--data", d, code=1), "sources.yaml:", "not valid UTF-8")


def test_byte_order_marks_are_accepted(tmp_path):
    d = copy_data(tmp_path / "d")
    expected = invoke("members", "CSTO", "-f", "json", code=0).stdout
    for rel in ("blocs.yaml", "sources/sources.yaml", "sources/reuters-2008.txt"):
        p = d / rel
        p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())
    rehash(d, "reuters-2008")  # a BOM changes the bytes: the curator records the new digest
    assert invoke("members", "CSTO", "-f", "json", "--data", d, code=0).stdout == expected
    out = invoke("source", "reuters-2008", "--data", d, code=0).stdout
    assert "\ufeff" not in out
    invoke("check", "--data", d, code=0)


@pytest.mark.parametrize("name", ["ОДКБ", "одкб", "ОдКб", "csto", "Collective Security Treaty "
                                  "Organisation", "  CSTO  "])
def test_cyrillic_and_case_insensitive_names(name):
    expected = invoke("members", "CSTO", "--as-of", "2008", "-f", "json", code=0).stdout
    assert invoke("members", name, "--as-of", "2008", "-f", "json", code=0).stdout == expected


@pytest.mark.parametrize("typed,name", [
    ("STRASSE", "Straße"), ("strasse", "Straße"), ("STRAẞE", "Straße"),
    ("CÔTE D’IVOIRE", "Côte d’Ivoire"), ("Co\u0302te d’Ivoire", "Côte d’Ivoire"),
])
def test_unicode_case_folding(hostile, typed, name):
    """casefold (ß -> ss) and NFKC (a combining accent composes) decide a name's identity."""
    r = invoke("memberships", typed, "-f", "json", "--data", hostile, code=0)
    assert json.loads(r.stdout) == []  # found, and has no memberships
    r = invoke("search", typed, "-f", "json", "--data", hostile, code=0)
    assert name in {row["name"] for row in json.loads(r.stdout)}


def test_undecodable_argument_is_an_error_not_a_traceback(tmp_path):
    """A byte that is not UTF-8 arrives as a lone surrogate; it must never be printed raw."""
    env = subprocess_env(ALLIANCES_CACHE_DIR=str(tmp_path / "cache"))
    for args in ([b"members", b"\xff\x9b"], [b"search", b"\xff", b"-f", b"table"],
                 [b"members", b"CSTO", b"--as-of", b"\xff"]):
        r = subprocess.run([sys.executable.encode(), b"-m", b"alliances", *args],
                           capture_output=True, timeout=60, env=env)
        assert r.returncode in (0, 1, 2), r
        assert b"Traceback" not in r.stderr
        assert_safe(r.stdout.decode("utf-8"))
        assert_safe(r.stderr.decode("utf-8"))


def test_ascii_terminal_gets_no_traceback(tmp_path):
    r = subprocess.run([sys.executable, "-m", "alliances", "blocs", "-f", "table"],
                       capture_output=True, timeout=60,
                       env=subprocess_env(PYTHONIOENCODING="ascii",
                                          ALLIANCES_CACHE_DIR=str(tmp_path / "cache")))
    assert b"Traceback" not in r.stderr
    assert r.returncode == 0


# -- exit codes ------------------------------------------------------------------------
@pytest.mark.parametrize("args,code", [
    (("members", "CSTO"), 0),
    (("memberships", "Venezuela"), 0),                      # no rows is still an answer
    (("members", "CSTO", "--as-of", "1900"), 0),            # before the bloc existed
    (("search", "no such text anywhere"), 0),
    (("recognizes", "Abkhazia", "--source", "outline-2014", "--as-of", "2001"), 0),
    (("members", "NOPE"), 1),
    (("members", "Georgia"), 1),                            # a state, not a bloc
    (("recognizes", "Atlantis"), 1),
    (("source", "nope-2020"), 1),
    (("claims", "--source", "nope-2020"), 1),
    (("members", "CSTO", "--source", "nope-2020"), 1),
    (("members", "CSTO", "--as-of", "2008-13-40"), 2),
    (("members", "CSTO", "--as-of", "2008-02-30"), 2),
    (("members", "CSTO", "--as-of", "0000"), 2),
    (("members", "CSTO", "--as-of", "yesterday"), 2),
    (("members", "CSTO", "--known-at", "2008-9-4"), 2),
    (("members", "CSTO", "--format", "yaml"), 2),
    (("source", "reuters-2008", "--format", "csv"), 2),
    (("check", "--format", "xml"), 2),
    (("export", "-", "--format", "xml"), 2),
    (("members", "CSTO", "--status", "overlord"), 2),
    (("members", "CSTO", "--bogus"), 2),
    (("members",), 2),
    (("members", "CSTO", "SCO"), 2),
    (("no-such-command",), 2),
    (("claims",), 2),
])
def test_exit_codes(args, code):
    r = invoke(*args, code=code)
    if code:
        assert r.stdout == ""
        assert r.stderr.strip()
    if code == 1:
        one_line_error(r)


def test_empty_result_in_every_format_exits_0():
    for fmt in FORMATS:
        r = invoke("memberships", "Venezuela", "-f", fmt, code=0)
        if fmt == "json":
            assert json.loads(r.stdout) == []


def test_data_problem_exits_1(tmp_path, blocs_text):
    d = write_blocs(tmp_path, blocs_text.replace("status: aspirant", "status: overlord", 1))
    one_line_error(invoke("members", "CSTO", "--data", d, code=1), "blocs.yaml:",
                   "status 'overlord'")


# -- property-based --------------------------------------------------------------------
def _app_commands() -> list[str]:
    """Every command the app registers but those that write into a fact base (their
    hostile cases are test_curate's and test_apply's)."""
    import typer.main

    return [n for n, c in typer.main.get_command(app).commands.items()
            if not c.hidden and n not in ("init", "add-article", "apply")]


COMMANDS = _app_commands()
OPTIONS = ("--as-of", "--known-at", "--source", "--format", "-f", "--all", "--status",
           "--data", "--panel", "--schema", "--no-color", "-h", "--version", "--", "-")
VALUES = ("CSTO", "csto", "ОДКБ", "SCO", "Abkhazia", "South Ossetia", "Georgia", "Russia",
          "Kyrgyzstan", "reuters-2008", "outline-2014", "2008", "2008-09", "2008-09-04", "1990",
          "2008-13-40", "0000", "9999-12-31", "0001-01-01", "json", "table", "csv", "tsv",
          "plain", "text", "bibtex", "csl-json", "sqlite", "state-year", "member", "all",
          "observer,member", "not-listed", "STRASSE", MARKUP, "[/]", "[link=http://e]y",
          OSC_TITLE, OSC_LINK, CSI_C1, BIDI, "\udcff", "", " ", "..", "--as-of=2008",
          "-fjson", "%s", "{0}", "\\", "'", '"', "*", "ß", "İ", "\u0301", "\ufeff")
# Real argv never holds NUL; surrogates come from VALUES.
TEXT = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
               max_size=12)
TOKEN = st.one_of(st.sampled_from(OPTIONS), st.sampled_from(VALUES), TEXT)


def _safe_for_export(tok: str) -> bool:
    """export writes its OUT argument: keep every path in the scratch directory."""
    return "/" not in tok and "\\" not in tok and "~" not in tok and tok not in (".", "..")


def _check_result(args, result) -> None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback for {args!r}") from result.exception
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    assert "Traceback" not in result.output
    if result.exit_code == 1 and result.stderr:  # a name or data problem: one clear line
        assert result.stderr.startswith("alliances: error: ") or "problem" in result.stdout
    if args[0] == "sources" and "bibtex" in args:
        return  # see test_bibtex_to_stdout_is_escaped
    for stream in (result.stdout, result.stderr):
        assert_safe(stream, f"for {args!r}", CONTROL)


@pytest.mark.parametrize("command", COMMANDS)
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tokens=st.lists(TOKEN, max_size=6))
def test_random_arguments_never_traceback(command, tokens, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # export writes where it is told: here
    if command in ("export", "chart", "draft", "quote", "crosscheck"):
        tokens = [t for t in tokens if _safe_for_export(t)]  # paths stay in the scratch dir
    args = [command, *tokens]
    result = runner.invoke(app, args, env=WIDE)
    _check_result(args, result)


def _mutate(lines: list[str], ops) -> str:
    for op, pos, extra in ops:
        if not lines:
            break
        i = pos % len(lines)
        line = lines[i]
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, line)
        elif op == "swap" and len(line) > 2:
            k = extra % (len(line) - 2)
            lines[i] = line[:k] + line[k + 1] + line[k] + line[k + 2:]
        elif op == "insert":
            k = extra % (len(line) + 1)
            lines[i] = line[:k] + INSERTS[extra % len(INSERTS)] + line[k:]
        elif op == "truncate":
            lines[:] = lines[:i] + [line[: extra % (len(line) + 1)]]
    return "".join(lines)


INSERTS = ("\x00", "\x1b", "\x07", "\x9b", "\t", " ", ":", "- ", "[", "]", "{", "}", "&a ",
           "*a", "!!str ", "<<: ", "'", '"', "é", "ОДКБ", "\u2028", "\u202e", "\ufeff",
           "9" * 40, "null", "true", "#", "|", ">", "\\", "%", "@", "`", "\n", "---\n")
OPS = st.lists(st.tuples(st.sampled_from(("delete", "duplicate", "swap", "insert", "truncate")),
                         st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=4)
MUTATION_RUNS = (("members", "CSTO", "--all"), ("recognizes", "Abkhazia", "--all", "-f", "json"),
                 ("timeline", "Georgia", "-f", "table"), ("disputes",), ("search", "a"),
                 ("memberships", "Kyrgyzstan", "--as-of", "2008"), ("check",))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=OPS, which=st.sampled_from(MUTATION_RUNS))
def test_damaged_blocs_yaml_never_tracebacks(ops, which, tmp_path_factory, blocs_text):
    d = copy_data(tmp_path_factory.mktemp("mut") / "d")
    raw = _mutate(blocs_text.splitlines(keepends=True), ops)
    (d / "blocs.yaml").write_bytes(raw.encode("utf-8", "surrogatepass"))
    for args in (which, ("members", "CSTO")):
        args = [*args, "--data", str(d)]
        result = runner.invoke(app, args, env=WIDE)
        _check_result(args, result)
        if result.exit_code == 1 and args[0] != "check":
            assert result.stderr.startswith("alliances: error: ")
            assert result.stderr.count("\n") == 1


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=OPS)
def test_damaged_sources_yaml_never_tracebacks(ops, tmp_path_factory):
    d = copy_data(tmp_path_factory.mktemp("mut") / "d")
    p = d / "sources" / "sources.yaml"
    p.write_bytes(_mutate(p.read_text(encoding="utf-8").splitlines(keepends=True), ops)
                  .encode("utf-8"))
    for args in (("sources", "-f", "table"), ("source", "reuters-2008"), ("members", "CSTO")):
        args = [*args, "--data", str(d)]
        _check_result(args, runner.invoke(app, args, env=WIDE))

"""What a user touches tells the truth: help, usage, listings, formats, completion, export.

Dates asserted here are read from the articles' own datelines: reuters-2008 "September 4,
2008", rferl-2008 4 or 5 September 2008, goodenough-2008 "September 5, 2008",
eurasianet-2014 "Sep 2, 2014", outline-2014 "03/09/2014" (3 September 2014).
"""

from __future__ import annotations

import pytest


def _app_commands() -> list[str]:
    """The commands as the app registers them (not a hand-made list)."""
    import typer.main

    from alliances.cli import app

    return [n for n, c in typer.main.get_command(app).commands.items() if not c.hidden]


CURATING = {"init", "add-article", "quote", "draft"}  # their own module's tests
COMMANDS = [c for c in _app_commands() if c not in CURATING]


def test_sources_are_listed_oldest_first(cli):
    assert cli("sources", "--format", "plain").stdout.split() == [
        "reuters-2008", "rferl-2008", "goodenough-2008", "eurasianet-2014", "outline-2014"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_examples_and_plain_usage(cli, command):
    out = cli(command, "--help").stdout
    assert "Examples:" in out or "Example:" in out
    usage = out.splitlines()[0]
    assert usage.startswith(f"Usage: alliances {command}") or usage.startswith("Usage: ")
    assert "{" not in usage and "}" not in usage, usage


def test_formats_are_case_insensitive(cli):
    assert cli("recognizes", "Abkhazia", "-f", "PLAIN").stdout == \
        cli("recognizes", "Abkhazia", "-f", "plain").stdout
    assert cli("members", "CSTO", "--format", "Json").stdout.lstrip().startswith("[")


def test_british_spelling_of_recognizes(cli):
    assert cli("recognises", "Abkhazia", "-f", "plain").stdout == \
        cli("recognizes", "Abkhazia", "-f", "plain").stdout


def test_belorussia_suggests_belarus_first(cli):
    err = cli("memberships", "Belorussia", code=1).stderr
    assert "did you mean 'Belarus'" in err


def test_csv_sources_column_names_each_article_once(cli):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(cli("memberships", "Kyrgyzstan", "--as-of", "2008",
                                               "-f", "csv").stdout)))
    assert rows
    for r in rows:
        ids = [i.split(":")[0] for i in r["sources"].split(";")]
        assert len(ids) == len(set(ids)), r["sources"]
    # goodenough-2008 states it twice ("a member of both the CSTO and SCO", and its list):
    # named once, with what it says
    csto = next(r for r in rows if r["bloc_id"] == "csto")
    assert "goodenough-2008:member" in csto["sources"].split(";")


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "plain"])
def test_machine_formats_are_utf8_whatever_the_locale(fmt):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LANG": "C", "LC_ALL": "C"}
    args = ["recognizes", "Abkhazia", "-f", fmt] if fmt != "plain" else ["blocs", "-f", fmt]
    r = subprocess.run([sys.executable, "-m", "alliances", *args], capture_output=True,
                       env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    text = r.stdout.decode("utf-8")  # raises if it is not UTF-8
    if fmt == "plain":
        assert text.strip()
    else:
        # reuters-2008: "To date, only Nicaragua has followed Russia’s lead."
        assert "Russia\u2019s lead" in text and "\\u2019" not in text


def _bash(script: str) -> str:
    """Run a script in a real bash with this environment's `alliances` first on PATH."""
    import os
    import shutil
    import subprocess
    import sys

    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    bindir = os.path.dirname(sys.executable)
    if not os.path.exists(os.path.join(bindir, "alliances")):
        pytest.skip("the alliances console script is not installed next to this python")
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}
    prelude = ('eval "$(alliances --show-completion bash)"\n'
               'complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ));'
               ' COMPREPLY=(); _alliances_completion alliances; }\n')
    r = subprocess.run([bash, "--noprofile", "--norc", "-c", prelude + script],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_bash_completes_a_name_with_a_space_so_that_it_runs():
    out = _bash('complete_words alliances recognizes sou\n'
                'printf "%s\\n" "${COMPREPLY[@]}"\n'
                'eval "alliances recognizes ${COMPREPLY[0]} --format plain"\n')
    completion, *answer = out.splitlines()
    assert completion.lower() == "south\\ ossetia"
    # the completed command runs: Russia and Nicaragua recognise South Ossetia
    assert sorted(answer) == ["Nicaragua", "Russia"]


def test_bash_completes_formats_and_statuses_not_file_names():
    out = _bash('complete_words alliances members CSTO --format ""\n'
                'printf "%s\\n" "${COMPREPLY[@]}"; echo --\n'
                'complete_words alliances members CSTO --status ob\n'
                'printf "%s\\n" "${COMPREPLY[@]}"; echo --\n'
                'complete_words alliances recognizes Abkhazia --status not\n'
                'printf "%s\\n" "${COMPREPLY[@]}"\n')
    formats, statuses, recognition = out.split("--\n")
    assert formats.split() == ["table", "json", "jsonl", "csv", "tsv", "plain"]
    assert statuses.split() == ["observer"]
    assert recognition.split() == ["not-yet"]


def test_search_finds_words_in_the_article_texts(cli):
    # eurasianet-2014: "the original NATO is meeting this week in Wales"
    rows = cli.json("search", "Wales")
    [hit] = [r for r in rows if r["kind"] == "text"]
    assert hit["source"] == "eurasianet-2014" and "meeting this week in Wales" in hit["text"]
    line = cli("source", "eurasianet-2014").stdout.split("\n\n", 1)[1].splitlines()[hit["line"] - 1]
    assert hit["text"] in line


def test_search_labels_a_quote_with_every_region_it_backs(cli):
    rows = cli.json("search", "South Ossetia")
    reuters = [r for r in rows if r["field"] == "quote" and r["source"] == "reuters-2008"
               and "recognition last month" in r["text"]]
    # "Russia’s recognition last month of Abkhazia and South Ossetia"
    assert reuters and "Abkhazia" in reuters[0]["name"] and "South Ossetia" in reuters[0]["name"]


def test_an_empty_name_or_search_is_the_same_usage_error(cli):
    for args in (["search", ""], ["members", ""], ["recognizes", " "], ["timeline", ""]):
        r = cli(*args, code=2)
        assert r.stderr.startswith("alliances: error: empty") and r.stderr.count("\n") == 1


def test_a_narrow_table_keeps_names_whole_and_drops_empty_columns():
    import os
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": "40", "NO_COLOR": "1"}
    r = subprocess.run([sys.executable, "-m", "alliances", "members", "CSTO", "--as-of", "2008",
                        "-f", "table"], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    header = next(line for line in lines if "state" in line)
    assert "since" not in header and "until" not in header  # no member row has either
    # the seven members the 2008 articles list, each on one line of the table
    for name in ("Armenia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Russia", "Tajikistan",
                 "Uzbekistan"):
        assert any(f"│ {name} " in line for line in lines), name
    assert all(len(line) <= 40 for line in lines if line.startswith(("│", "┃", "┏", "└")))


@pytest.mark.parametrize("command, key, args", [
    ("members", "state", ["CSTO", "--all"]), ("memberships", "bloc", ["Georgia", "--all"]),
    ("recognizes", "state", ["Abkhazia", "--all"]),
    ("recognitions", "entity", ["Belarus", "--all"]),
    ("compare", "state", ["CSTO", "SCO"]), ("shared", "bloc", ["Russia", "Kyrgyzstan"]),
    ("timeline", "date", ["Georgia"]),
    # (the fixture has no dispute since a later list that omits a state is a change, R4b)
    ("disputes", "state", ["--data", __import__("os").path.join(
        __import__("os").path.dirname(__import__("os").path.dirname(
            __import__("os").path.abspath(__file__))), "data")]),
    ("changes", "state", ["CSTO", "--from", "2008", "--to", "2014"]),
    ("search", "name", ["Nicaragua"]), ("states", "name", []), ("sources", "id", [])])
def test_plain_is_one_subject_per_row_as_help_says(cli, command, key, args):
    rows = cli.json(command, *args)
    assert rows
    assert cli(command, *args, "-f", "plain").stdout.splitlines() == [str(r[key]) for r in rows]
    assert "With --format plain: one" in cli(command, "--help").stdout


def test_the_title_names_the_date_it_answers_for(cli):
    # the latest article about the SCO is goodenough-2008, of 5 September 2008
    out = cli("members", "SCO", "-f", "table").stdout
    assert out.splitlines()[0].strip() == "SCO as of 2008-09-05"


# -- issue 24's smaller items, each through the real CLI ---------------------------------
@pytest.mark.parametrize("command", ["compare", "shared"])
def test_pair_commands_do_not_offer_standard_input(cli, command):
    out = cli(command, "--help").stdout
    assert "standard input" not in out and "'-'" not in out


def test_recognizes_help_says_it_answers_every_date_and_names_an_entity(cli):
    out = " ".join(cli("recognizes", "--help").stdout.split())
    assert out.startswith("Usage: alliances recognizes [OPTIONS] ENTITY")
    assert "Default: every date the articles speak of." in out
    assert "Default: the latest date" not in out


def test_an_empty_source_is_an_error_not_every_source(cli):
    # an unset $SRC: `--source "$SRC"`
    r = cli("members", "CSTO", "--source", "", code=2)
    assert r.stderr.startswith("alliances: error: empty source name") and \
        r.stderr.count("\n") == 1


def test_search_with_a_straight_apostrophe_finds_the_typographic_one(cli):
    # reuters-2008: "To date, only Nicaragua has followed Russia’s lead." and three more
    curly = cli.json("search", "Russia\u2019s lead")
    straight = cli.json("search", "Russia's lead")
    assert straight == curly
    assert sum(r["kind"] == "text" for r in straight) >= 4


def test_bash_completes_inside_an_opened_quote_so_that_it_runs():
    # the README writes "South Ossetia"; readline keeps the opened quote and closes it
    out = _bash('complete_words alliances recognizes \'"Sou\'\n'
                'printf "%s\\n" "${COMPREPLY[@]}"\n'
                'eval "alliances recognizes \\"${COMPREPLY[0]}\\" --format plain"\n')
    completion, *answer = out.splitlines()
    assert completion == "South Ossetia"
    assert sorted(answer) == ["Nicaragua", "Russia"]


def test_bash_completes_values_of_export_and_sources_options_and_names_as_spelt():
    out = _bash('complete_words alliances export out.csv --panel ""\n'
                'printf "%s\\n" "${COMPREPLY[@]}"; echo --\n'
                'complete_words alliances export out --format ""\n'
                'printf "%s\\n" "${COMPREPLY[@]}"; echo --\n'
                'complete_words alliances sources --format ""\n'
                'printf "%s\\n" "${COMPREPLY[@]}"; echo --\n'
                'complete_words alliances members odk\n'
                'printf "%s\\n" "${COMPREPLY[@]}"\n')
    panel, export, sources, odkb = out.split("--\n")
    assert panel.split() == ["state-year", "dyad-year"]
    assert export.split() == ["sqlite", "csv", "tsv", "json", "bibtex"]
    assert sources.split() == ["table", "json", "jsonl", "csv", "tsv", "plain", "bibtex",
                               "csl-json"]
    assert odkb.split() == ["ODKB"]


def test_states_shows_the_codes_it_accepts(cli):
    rows = {r["id"]: r for r in cli.json("states")}
    assert (rows["russia"]["ccode"], rows["russia"]["iso3"]) == (365, "RUS")
    assert "ccode" in cli("states", "-f", "table").stdout


def test_a_40_column_table_keeps_every_column():
    import os
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": "40", "NO_COLOR": "1"}
    r = subprocess.run([sys.executable, "-m", "alliances", "members", "CSTO", "--all",
                        "-f", "table"], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0
    wide = subprocess.run([sys.executable, "-m", "alliances", "members", "CSTO", "--all",
                           "-f", "json"], capture_output=True, text=True, env=env, timeout=60)
    rows = __import__("json").loads(wide.stdout)
    # every row, and every value the wide table shows, is there (a row per block)
    for row in rows:
        assert f"\u2500\u2500 {row['state']}" in r.stdout
    for value in {row["status"] for row in rows} | {row["basis"] for row in rows}:
        assert value in r.stdout
    assert all(len(line) <= 40 for line in r.stdout.splitlines() if not line.startswith("["))

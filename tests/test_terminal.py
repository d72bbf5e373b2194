"""Terminal niceties and shell integration: completion from the data, colour conventions,
hyperlinks for sources with a URL, wide tables that wrap instead of truncating."""

from __future__ import annotations

import os
import subprocess
import sys

import alliances

SRC = os.path.dirname(os.path.dirname(os.path.abspath(alliances.__file__)))


def run(args, env_extra=None):
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "FORCE_COLOR") and not k.endswith("_COMPLETE")}
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "alliances", *args], capture_output=True,
                          text=True, env=env, timeout=60)


def complete(words: str, cword: int, cache_dir) -> list[str]:
    r = run([], {"_ALLIANCES_COMPLETE": "complete_bash", "COMP_WORDS": words,
                 "COMP_CWORD": str(cword), "ALLIANCES_CACHE_DIR": str(cache_dir)})
    assert r.returncode == 0 and "Traceback" not in r.stderr
    return [line for line in r.stdout.splitlines() if line]


def test_names_complete_from_the_data_including_aliases(tmp_path):
    assert complete("alliances members OD", 2, tmp_path) == ["ODKB"]
    # case-insensitively, as the data spells the name (issue 24: `odk` gave `odkB`)
    assert {"CSTO", "CIS"} <= set(complete("alliances members c", 2, tmp_path))
    assert complete("alliances members odk", 2, tmp_path) == ["ODKB"]
    assert complete("alliances claims --source reu", 3, tmp_path) == ["reuters-2008"]
    assert complete("alliances memberships ky", 2, tmp_path) == ["Kyrgyzstan"]
    # timeline takes a bloc or a state: both kinds complete
    # (escaped for bash, which inserts the completion as typed text)
    assert set(complete("alliances timeline abk", 2, tmp_path)) == {
        "Abkhazia", "Abkhazia-Russia-South\\ Ossetia\\ grouping"}


def test_completion_reads_the_data_directory_given(tmp_path, data_copy):
    blocs = data_copy / "blocs.yaml"
    blocs.write_text(blocs.read_text("utf-8").replace(
        "{name: Serbia}", "{name: Serbia, aliases: [Srbija]}"), "utf-8")
    words = f"alliances members --data {data_copy} Sr"
    assert complete(words, 4, tmp_path) == []  # members takes blocs, not states
    assert complete(f"alliances memberships --data {data_copy} Sr", 4, tmp_path) == ["Srbija"]


def test_install_completion_is_offered(cli):
    out = cli("--help").stdout
    assert "--install-completion" in out and "--show-completion" in out


def test_force_color_and_no_color(tmp_path):
    args = ["members", "CSTO", "--as-of", "2008", "--format", "table"]
    env = {"ALLIANCES_CACHE_DIR": str(tmp_path)}
    assert "\x1b[" not in run(args, env).stdout  # piped: no escape codes
    assert "\x1b[" in run(args, {**env, "FORCE_COLOR": "1"}).stdout
    assert "\x1b[" not in run(args, {**env, "FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert "\x1b[" not in run([*args, "--no-color"], {**env, "FORCE_COLOR": "1"}).stdout


def test_sources_with_a_url_become_hyperlinks(tmp_path, data_copy):
    meta = data_copy / "sources" / "sources.yaml"
    text = meta.read_text(encoding="utf-8").replace(
        "    publisher: Reuters\n", "    publisher: Reuters\n    url: https://example.org/a\n")
    meta.write_text(text, encoding="utf-8")
    args = ["members", "CSTO", "--as-of", "2008", "--format", "table", "--data", str(data_copy)]
    out = run(args, {"ALLIANCES_CACHE_DIR": str(tmp_path), "FORCE_COLOR": "1"}).stdout
    assert "\x1b]8;" in out and "https://example.org/a" in out  # OSC 8 hyperlink
    plain = run(args, {"ALLIANCES_CACHE_DIR": str(tmp_path)}).stdout
    assert "\x1b]8;" not in plain


def test_a_url_with_control_characters_is_refused(cli, data_copy):
    meta = data_copy / "sources" / "sources.yaml"
    text = meta.read_text(encoding="utf-8").replace(
        "    publisher: Reuters\n", "    publisher: Reuters\n    url: \"https://x.org/\\e]0;t\\a\"\n")
    meta.write_text(text, encoding="utf-8")
    r = cli("sources", "--data", data_copy, code=1)
    assert "'url' must be an http(s) address" in r.stderr


def test_wide_tables_wrap_rather_than_truncate(tmp_path):
    out = run(["recognizes", "South Ossetia", "--format", "table"],
              {"ALLIANCES_CACHE_DIR": str(tmp_path), "COLUMNS": "50"}).stdout
    flat = " ".join(out.split())
    assert "…" not in out
    assert "Nicaragua under leftist president Daniel Ortega" in flat
    assert max(len(line) for line in out.splitlines()) <= 50

"""The example outputs and command reference of README.md and the manual (docs/*.md) are
generated from the real CLI; the README is a page, the manual holds the rest."""

from __future__ import annotations

import importlib.util
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_readme_examples_have_not_drifted(capsys):
    spec = importlib.util.spec_from_file_location("readme", os.path.join(ROOT, "docs", "readme.py"))
    readme = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(readme)
    code = readme.main(["--check"])
    assert code == 0, ("a page is out of date: run `python docs/readme.py`\n"
                       + capsys.readouterr().out)


def test_readme_test_command_is_what_ci_runs():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    with open(os.path.join(ROOT, ".ci", "run"), encoding="utf-8") as fh:
        ci = fh.read()
    command = "pip install '.[test]' && pytest"
    assert f"```sh\n{command}\n```" in readme
    assert f"\n{command}\n" in ci


def _pages():
    docs = os.path.join(ROOT, "docs")
    return [os.path.join(ROOT, "README.md"),
            *sorted(os.path.join(docs, f) for f in os.listdir(docs) if f.endswith(".md"))]


def _blocks():
    import re

    out = []
    for page in _pages():
        with open(page, encoding="utf-8") as fh:
            out += re.findall(r"<!-- (run|help): (.*?) -->\n```text\n(.*?)```\n", fh.read(),
                              re.S)
    return out


def test_the_readme_is_a_page_and_the_manual_is_linked():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    assert len(readme.splitlines()) < 200
    for page in _pages()[1:]:
        assert f"(docs/{os.path.basename(page)})" in readme, page
    # every fence is closed: the page renders as written
    for page in _pages():
        with open(page, encoding="utf-8") as fh:
            fences = [ln for ln in fh.read().splitlines() if ln.startswith("```")]
        assert len(fences) % 2 == 0, page
        assert all(f in ("```", "```text", "```sh", "```yaml", "```json", "```sql", "```python")
                   for f in fences), (page, set(fences))


def test_every_generated_block_is_real_output_of_the_command_today():
    """Each block, run again as a separate process: never empty, never an error, the same."""
    import shlex
    import subprocess
    import sys

    from alliances.facts.paths import default_data_dir

    blocks = _blocks()
    assert len([b for b in blocks if b[0] == "help"]) >= 15
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb",
           "ALLIANCES_DATA": ""}
    env.pop("FORCE_COLOR", None)
    for kind, arg, body in blocks:
        assert body.strip(), f"empty block for {arg!r}"
        assert "Error:" not in body and "Traceback" not in body, (arg, body)
        if kind == "help":
            words = arg.split()
            args = [*(words[1:] if words[:1] == ["alliances"] else words), "--help"]
        else:
            command, _, pattern = arg.partition(" | grep -E ")
            if pattern:
                continue
            args = shlex.split(command)[1:]
        # help is 80 columns wide in the generator (typer's test runner forces it; a terminal
        # of 82 columns gives click the same 80 after its margin)
        r = subprocess.run([sys.executable, "-m", "alliances", *args], capture_output=True,
                           text=True, timeout=60,
                           env={**env, "COLUMNS": "82" if kind == "help" else "100"})
        out = (r.stdout + r.stderr).replace(os.path.abspath(default_data_dir()),
                                            "<installed package>/data")
        out = "\n".join(line.rstrip() for line in out.splitlines()) + "\n"
        if kind == "help":
            out = out.replace("Usage: python -m alliances", "Usage: alliances")
        assert out == body, (arg, out, body)

"""The README's example outputs and command reference are generated from the real CLI."""

from __future__ import annotations

import importlib.util
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_readme_examples_have_not_drifted(capsys):
    spec = importlib.util.spec_from_file_location("readme", os.path.join(ROOT, "docs", "readme.py"))
    readme = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(readme)
    code = readme.main(["--check"])
    assert code == 0, "README.md is out of date: run `python docs/readme.py`\n" + capsys.readouterr().out


def test_readme_test_command_is_what_ci_runs():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    with open(os.path.join(ROOT, ".ci", "run"), encoding="utf-8") as fh:
        ci = fh.read()
    command = "pip install '.[test]' && pytest"
    assert f"```sh\n{command}\n```" in readme
    assert f"\n{command}\n" in ci

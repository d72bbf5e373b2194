"""Regenerate the example outputs and command reference of README.md and of the manual
(docs/*.md) from the real CLI.

    python docs/readme.py          # rewrite README.md and docs/*.md in place
    python docs/readme.py --check  # exit 1 and show a diff if any page has drifted

A block is a marker comment followed by a fenced block, which this script owns:
    <!-- run: alliances members CSTO --as-of 2008 --format tsv -->
    <!-- run: alliances export - --format csv --panel state-year | grep -E "^state|,2008," -->
    <!-- help: members -->
    <!-- text: alliances.output.export.PANEL_DOC -->   (a documentation string in the code)
    <!-- session: walkthrough -->               (docs/walkthrough.py's steps, run in a
                                                 fresh directory, each with its output)
    <!-- python: NAME -->                       (a ```python block of `>>>` lines: run in
                                                 order with the page's other blocks of the
                                                 same NAME, as notebook cells are, each
                                                 statement followed by what it prints)
Output is produced in-process with typer's CliRunner at a fixed width of 100 columns, so
it is the same on every machine; a note the command writes to stderr follows its output.
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
README = os.path.join(HERE, "..", "README.md")


def pages() -> list[str]:
    """README.md and every page of the manual."""
    return [README, *sorted(os.path.join(HERE, f) for f in os.listdir(HERE)
                            if f.endswith(".md"))]
BLOCK = re.compile(r"(<!-- (run|help|text|session): (.*?) -->\n)```text\n.*?```\n", re.S)
PYTHON = re.compile(r"(<!-- python: (\S+) -->\n)```python\n(.*?)```\n", re.S)
# A python block that needs one of these, when it is not installed, is left as it is.
OPTIONAL = ("pandas",)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # walkthrough.py


def run(args: list[str]) -> str:
    from typer.testing import CliRunner

    from alliances.cli import app

    env = {"COLUMNS": "100", "NO_COLOR": "1", "ALLIANCES_DATA": "", "TERM": "dumb"}
    result = CliRunner().invoke(app, args, env=env, prog_name="alliances")
    out = result.stdout + (result.stderr or "")
    # The shipped data's absolute path differs per installation; show it generically.
    from alliances.facts.paths import default_data_dir

    out = out.replace(os.path.abspath(default_data_dir()), "<installed package>/data")
    return "\n".join(line.rstrip() for line in out.splitlines()) + "\n"


def block_problem(out: str) -> str | None:
    """Why a generated block is not documentation: empty, or an error instead of output."""
    if not out.strip():
        return "is empty"
    for marker in ("Traceback (most recent call last)", "Error:", "alliances: error:"):
        if marker in out:
            return f"holds an error ({marker})"
    return None


def render(text: str) -> str:
    def replace(m: re.Match) -> str:
        kind, arg = m[2], m[3]
        if kind == "run":
            command, _, pattern = arg.partition(" | grep -E ")
            words = shlex.split(command)
            assert words[0] == "alliances", arg
            out = run(words[1:])
            if pattern:  # the one filter examples may use: keep the matching lines
                keep = re.compile(shlex.split(pattern)[0])
                out = "".join(line for line in out.splitlines(True) if keep.search(line))
        elif kind == "help":  # "help: alliances" is the top-level help
            words = arg.split()
            out = run([*(words[1:] if words[:1] == ["alliances"] else words), "--help"])
        elif kind == "session":
            import importlib

            steps = importlib.import_module(arg)
            results = steps.run()
            for (command, code), done in zip(steps.STEPS, results, strict=False):
                if done["code"] != code:
                    raise SystemExit(f"docs/readme.py: walkthrough step {command!r} exited "
                                     f"{done['code']}, not {code}:\n{done['output']}")
            out = steps.session(results)
        else:
            import importlib

            module, _, name = arg.rpartition(".")
            out = getattr(importlib.import_module(module), name).rstrip("\n") + "\n"
        problem = block_problem(out)
        if problem:
            raise SystemExit(f"docs/readme.py: the block for {arg!r} {problem}:\n{out}")
        return f"{m[1]}```text\n{out}```\n"

    return PYTHON.sub(python_blocks(), BLOCK.sub(replace, text))


def _statements(block: str) -> list[str]:
    """The `>>>` statements of a block (with their `...` lines); output lines are dropped."""
    out: list[list[str]] = []
    for line in block.splitlines():
        if line.startswith(">>> ") or line == ">>>":
            out.append([line[4:]])
        elif (line.startswith("... ") or line == "...") and out:
            out[-1].append(line[4:])
    return ["\n".join(lines) for lines in out]


def python_blocks():
    """The replacement of each python block: its statements run in one namespace per
    session name (per page), each followed by what it printed or the value it gave, as
    the interactive interpreter shows them."""
    import contextlib
    import io

    from alliances.facts.paths import default_data_dir

    spaces: dict[str, dict] = {}
    skipped: set[str] = set()
    data = os.path.abspath(default_data_dir())

    def replace(m: re.Match) -> str:
        name = m[2]
        if name in skipped:
            return m[0]
        space = spaces.setdefault(name, {"__name__": f"docs_{name}"})
        lines = []
        for statement in _statements(m[3]):
            shown = statement.split("\n")
            lines += [">>> " + shown[0], *("... " + s for s in shown[1:])]
            buffer = io.StringIO()
            try:
                with contextlib.redirect_stdout(buffer):
                    code = compile(statement + "\n", f"<docs python: {name}>", "single")
                    exec(code, space)
            except ModuleNotFoundError as e:
                if e.name in OPTIONAL:
                    skipped.add(name)
                    return m[0]
                raise SystemExit(f"docs/readme.py: python block {name!r}: {statement!r} "
                                 f"raised {e!r}") from None
            except Exception as e:
                raise SystemExit(f"docs/readme.py: python block {name!r}: {statement!r} "
                                 f"raised {e!r}") from None
            printed = buffer.getvalue().replace(data, "<installed package>/data")
            lines += [ln.rstrip() for ln in printed.splitlines() if ln.strip()]
        return m[1] + "```python\n" + "\n".join(lines) + "\n```\n"

    return replace


def main(argv: list[str]) -> int:
    os.environ["COLUMNS"] = "100"
    drifted = 0
    for page in pages():
        with open(page, encoding="utf-8") as fh:
            current = fh.read()
        fresh = render(current)
        name = os.path.relpath(page, os.path.join(HERE, ".."))
        if "--check" in argv:
            if fresh != current:
                sys.stdout.writelines(difflib.unified_diff(
                    current.splitlines(True), fresh.splitlines(True), name, "regenerated"))
                drifted = 1
            continue
        if fresh != current:
            with open(page, "w", encoding="utf-8") as fh:
                fh.write(fresh)
    return drifted


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

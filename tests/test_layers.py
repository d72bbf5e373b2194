"""The folders are the data flow: facts -> answers -> output -> curation -> api -> cli (the
Python API and the command line each ask answers/; neither imports the other).

Every import inside the package (at module level or inside a function) goes down this list
or stays in its folder, and no chain of imports comes back round to where it started.
"""

from __future__ import annotations

import ast
import os

import alliances

PACKAGE = os.path.dirname(alliances.__file__)
LAYERS = ("facts", "answers", "output", "curation", "api", "cli")


def _modules() -> dict[str, str]:
    out = {}
    for folder, _, files in os.walk(PACKAGE):
        for f in files:
            if f.endswith(".py"):
                path = os.path.join(folder, f)
                rel = os.path.relpath(path, PACKAGE)[:-3].split(os.sep)
                if rel[-1] == "__init__":
                    rel = rel[:-1]
                out[".".join(["alliances", *rel])] = path
    return out


def _imports(name: str, path: str, known: set[str]) -> set[str]:
    """The package modules that module `name` imports, anywhere in its body."""
    is_pkg = path.endswith("__init__.py")
    here = name.split(".") if is_pkg else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(open(path, encoding="utf-8").read())):
        if isinstance(node, ast.ImportFrom):
            base = here[:len(here) - node.level + 1] if node.level else []
            target = ".".join(base + (node.module.split(".") if node.module else []))
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m in known and m != name}


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def _graph():
    mods = _modules()
    return mods, {m: _imports(m, p, set(mods)) for m, p in mods.items()}


def test_every_module_sits_in_a_layer():
    mods, _ = _graph()
    loose = [m for m in mods if _layer(m) is None
             and m not in ("alliances", "alliances.__main__")]
    assert not loose, f"modules outside the data-flow folders: {loose}"
    for layer in LAYERS:
        assert f"alliances.{layer}" in mods


def test_imports_only_go_down():
    _, graph = _graph()
    up = [(m, t) for m, targets in graph.items() for t in targets
          if _layer(m) is not None and _layer(t) is not None and _layer(t) > _layer(m)]
    assert not up, "imports that go up the data flow: " + ", ".join(f"{a} -> {b}" for a, b in up)


def test_no_import_comes_back_round():
    _, graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for t in sorted(graph[m]):
            if t == "alliances":  # the package's own __version__
                continue
            if state.get(t) == 1:
                return stack[stack.index(t):] + [t]
            if t not in state:
                cycle = visit(t)
                if cycle:
                    return cycle
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            cycle = visit(m)
            assert cycle is None, "an import cycle: " + " -> ".join(cycle)


def test_the_layer_test_sees_an_upward_import(tmp_path):
    """The checker itself: a facts module that imports from output is caught."""
    pkg = tmp_path / "alliances"
    (pkg / "facts").mkdir(parents=True)
    (pkg / "output").mkdir()
    for f in ("__init__.py", "facts/__init__.py", "output/__init__.py", "output/render.py"):
        (pkg / f).write_text("")
    (pkg / "facts" / "model.py").write_text("def f():\n    from ..output.render import x\n")
    known = {"alliances", "alliances.facts", "alliances.output", "alliances.output.render",
             "alliances.facts.model"}
    got = _imports("alliances.facts.model", str(pkg / "facts" / "model.py"), known)
    assert got == {"alliances.output.render"}
    assert _layer("alliances.output.render") > _layer("alliances.facts.model")


def test_a_run_imports_the_module_of_its_command_alone():
    # core.COMMANDS says which module registers each command: it is what the modules
    # register, in --help order, and a query imports no other command module
    import subprocess
    import sys

    from alliances.cli import app
    from alliances.cli.core import COMMANDS

    def name(info):
        return info.name or info.callback.__name__.replace("_", "-")

    assert [name(info) for info in app.registered_commands] == list(COMMANDS)
    for info in app.registered_commands:
        assert info.callback.__module__ == f"alliances.cli.{COMMANDS[name(info)]}", name(info)
    code = ("import sys; sys.argv = ['alliances', 'members', 'CSTO', '-f', 'json']\n"
            "from alliances.cli import main\n"
            "try: main()\nexcept SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('alliances.cli.')))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    loaded = set(eval(r.stdout.splitlines()[-1]))
    # the modules every run shares (core.py's jobs, split by job), and no command module
    # but the one of the command run
    shared = {f"alliances.cli.{m}" for m in CORE_JOBS}
    assert loaded == shared | {"alliances.cli.questions"}
    assert not shared & {f"alliances.cli.{m}" for m in COMMANDS.values()}


# core.py and the modules it is split into by job (and interrupt: the Ctrl-C handling every
# run has): no command is registered in them
CORE_JOBS = ("core", "params", "options", "running", "emitting", "streams", "interrupt")


def test_the_cli_modules_are_each_readable_in_one_sitting():
    import glob

    for path in glob.glob(os.path.join(PACKAGE, "cli", "*.py")):
        with open(path, encoding="utf-8") as fh:
            n = sum(1 for _ in fh)
        assert n <= 450, f"{os.path.relpath(path, PACKAGE)} has {n} lines: split it by job"


# evaluate.py is the one answers/ module still longer: its split is a task of its own
LONG_ANSWERS = {"evaluate.py"}


def test_the_answers_modules_are_each_readable_in_one_sitting():
    import glob

    seen = set()
    for path in glob.glob(os.path.join(PACKAGE, "answers", "*.py")):
        seen.add(os.path.basename(path))
        with open(path, encoding="utf-8") as fh:
            n = sum(1 for _ in fh)
        if os.path.basename(path) not in LONG_ANSWERS:
            assert n <= 450, f"{os.path.relpath(path, PACKAGE)} has {n} lines: split it by job"
    assert "query.py" in seen and LONG_ANSWERS <= seen


def test_query_keeps_every_name_and_a_members_run_loads_only_what_members_needs():
    """query.py re-exports the names of the modules it was split into, each the very object
    of its home module; a `members` run imports the modules of members' job and not those of
    compare/changes (pairs) or timeline/search (history)."""
    import subprocess
    import sys

    from alliances.answers import filters, gathering, history, pairs, query, rows, standing

    for module in (filters, rows, gathering, standing, pairs, history):
        for name, value in vars(module).items():
            if callable(value) and getattr(value, "__module__", None) == module.__name__:
                assert getattr(query, name) is value, name
    assert query.members is standing.members and query.Answer is filters.Answer
    assert "members" in dir(query) and "timeline" in dir(query)
    try:
        query.no_such_question  # noqa: B018
    except AttributeError as e:
        assert "no_such_question" in str(e)
    else:
        raise AssertionError("an unknown name must raise AttributeError")
    code = ("import sys; sys.argv = ['alliances', 'members', 'CSTO', '-f', 'json']\n"
            "from alliances.cli import main\n"
            "try: main()\nexcept SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('alliances.answers.')))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    loaded = set(eval(r.stdout.splitlines()[-1]))
    assert loaded == {f"alliances.answers.{m}" for m in (
        "asking", "evaluate", "query", "filters", "rows", "gathering", "standing")}

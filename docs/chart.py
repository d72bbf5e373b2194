"""Regenerate the README's chart, docs/csto.svg, from the shipped data by the real CLI.

    python docs/chart.py          # rewrite docs/csto.svg
    python docs/chart.py --check  # exit 1 if docs/csto.svg has drifted
"""

from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CHARTS = {"csto.svg": ["chart", "CSTO", "--all", "-o", "-"]}


def render(args: list[str]) -> str:
    from typer.testing import CliRunner

    from alliances.cli import app

    result = CliRunner().invoke(app, args, env={"ALLIANCES_DATA": "", "NO_COLOR": "1"})
    if result.exit_code != 0 or not result.stdout.startswith("<svg"):
        raise SystemExit(f"docs/chart.py: alliances {' '.join(args)} failed:\n"
                         f"{result.stdout}{result.stderr}")
    return result.stdout


def main(argv: list[str]) -> int:
    drifted = 0
    for name, args in CHARTS.items():
        path = os.path.join(HERE, name)
        fresh = render(args)
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if fresh == current:
            continue
        if "--check" in argv:
            print(f"docs/{name} has drifted: run python docs/chart.py", file=sys.stderr)
            drifted = 1
        else:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(fresh)
    return drifted


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

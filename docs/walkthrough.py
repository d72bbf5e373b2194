"""The README's curation walkthrough, run for real: a new fact base in a temporary directory,
a new article (written for this walkthrough, not one of the five shipped), and every step
through the CLI as a user types it. docs/readme.py prints it into README.md and
tests/test_walkthrough.py runs it again and checks what each step did.

    python docs/walkthrough.py     # print the session
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile

ARTICLE_FILE = "belarus-sco.txt"
ARTICLE = """\
Belarus becomes full member of Shanghai Cooperation Organisation

ASTANA, July 4, 2024 (Test Wire) – Belarus on Thursday became a full member of the \
Shanghai Cooperation Organisation, the grouping led by China and Russia, at the bloc’s \
summit in the Kazakh capital.

Belarus is the bloc’s tenth member. Iran joined the SCO last year.
"""

# (command, expected exit code). Run by bash in the walkthrough's directory, with
# `alliances` on PATH; `$ ` lines in the README are exactly these.
STEPS = [
    ("alliances init mydata", 0),
    (f"alliances add-article {ARTICLE_FILE} --id wire-2024 --title 'Belarus becomes full "
     "member of Shanghai Cooperation Organisation' --published 2024-07-04 --date-note "
     "'Dateline ASTANA, July 4, 2024.' --data mydata", 0),
    ("alliances quote wire-2024 'belarus on thursday became a full member' --data mydata", 0),
    ("alliances draft wire-2024 --data mydata > draft.yaml", 0),
    ("cat draft.yaml", 0),
    # review: trim the first quote to the words that state the fact
    ("sed -i 's/quote: \"ASTANA.*\"$/quote: \"Belarus on Thursday became a full member of "
     "the Shanghai Cooperation Organisation\"/' draft.yaml", 0),
    ("alliances apply draft.yaml --data mydata --dry-run", 0),
    ("alliances apply draft.yaml --data mydata", 0),
    ("alliances check --data mydata", 0),
    ("alliances members SCO --as-of 2024 --data mydata --format plain", 0),
    ("alliances memberships Iran --data mydata --format json "
     "| python3 -c 'import json,sys; print(json.load(sys.stdin)[0][\"since\"])'", 0),
]


def run(steps=STEPS, workdir: str | None = None) -> list[dict]:
    """Run the steps in order in a fresh directory; return each step's command, output
    (stdout, then stderr) and exit code."""
    own = workdir is None
    tmp = tempfile.mkdtemp(prefix="alliances-walkthrough-") if own else workdir
    try:
        with open(os.path.join(tmp, ARTICLE_FILE), "w", encoding="utf-8") as fh:
            fh.write(ARTICLE)
        shim = os.path.join(tmp, ".bin")
        os.makedirs(shim, exist_ok=True)
        with open(os.path.join(shim, "alliances"), "w", encoding="utf-8") as fh:
            fh.write(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m alliances \"$@\"\n")
        os.chmod(os.path.join(shim, "alliances"), 0o755)
        env = {k: v for k, v in os.environ.items()
               if k not in ("ALLIANCES_DATA", "ALLIANCES_STRICT", "FORCE_COLOR")}
        env.update(PATH=shim + os.pathsep + env.get("PATH", ""), NO_COLOR="1", COLUMNS="100",
                   TERM="dumb")
        env.setdefault("ALLIANCES_CACHE_DIR", os.path.join(tmp, ".cache"))
        out = []
        for command, _ in steps:
            r = subprocess.run(["bash", "-c", command], cwd=tmp, env=env, capture_output=True,
                               text=True, timeout=120)
            text = (r.stdout + r.stderr).replace(os.path.realpath(tmp), ".").replace(tmp, ".")
            out.append({"command": command, "output": text, "code": r.returncode})
        return out
    finally:
        if own:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)


def session(results: list[dict]) -> str:
    """The steps as a terminal shows them."""
    lines = []
    for step in results:
        lines.append(f"$ {step['command']}")
        lines.extend(line.rstrip() for line in step["output"].splitlines())
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(session(run()))

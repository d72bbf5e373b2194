"""Plant faults in the evaluation and show that the oracle catches each.

    python bench/plant_faults.py

Each fault is one small change to a copy of `src/alliances/answers/evaluate.py` (the
engine); the copy of the package is put first on PYTHONPATH and `tests/test_oracle.py`
is run against it. A fault the oracle does not catch is printed as SURVIVED. Nothing in
the work tree is changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENGINE = os.path.join("alliances", "answers", "evaluate.py")

# (name, text in evaluate.py, its replacement)
FAULTS = [
    ("a loose bound widens a dispute (hull of every start, not per reading)",
     "    lo, hi = min(r[1] for r in rs), max(r[0] for r in rs)\n",
     "    lo, hi = min(r[0] for r in rs), max(r[1] for r in rs)\n"),
    ("readings keep only the first largest set",
     "    return sorted(out, key=lambda r: (r.lo, r.hi, sorted(r.members)))",
     "    return sorted(out, key=lambda r: (r.lo, r.hi, sorted(r.members)))[:1]"),
    ("a present-tense report does not cap its start at its article's date",
     "               else c.stated.latest)\n        if cap is not None:",
     "               else None)\n        if cap is not None:"),
    ("an end may fall before its start",
     "        if c.since is not None and c.since.earliest != MIN and c.since.earliest > lo:",
     "        if False:"),
    ("a spell with no stated start is carried back before its first report",
     "            carry = max(carry, lo)\n",
     "            carry = lo if lo != MIN else carry\n"),
    ("the bloc's formation is not a constraint on the start",
     "    if formed is not None:\n        cons.append((formed.earliest, MAX))",
     "    if False:\n        cons.append((formed.earliest, MAX))"),
]


def main() -> int:
    survived = 0
    for name, old, new in FAULTS:
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(os.path.join(ROOT, "src", "alliances"),
                            os.path.join(tmp, "alliances"))
            path = os.path.join(tmp, ENGINE)
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            if text.count(old) != 1:
                print(f"CANNOT PLANT  {name}: the text is not in evaluate.py once")
                survived += 1
                continue
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text.replace(old, new))
            env = dict(os.environ, PYTHONPATH=tmp, ALLIANCES_CACHE_DIR=tempfile.mkdtemp())
            r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p",
                                "no:cacheprovider", os.path.join(ROOT, "tests",
                                                                 "test_oracle.py")],
                               env=env, capture_output=True, text=True, cwd=ROOT)
            last = (r.stdout.strip().splitlines() or [""])[-1]
            caught = r.returncode != 0
            survived += not caught
            print(f"{'CAUGHT  ' if caught else 'SURVIVED'}  {name}: {last}")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())

"""crosscheck's memory and time against the size of its input (issue 32, F10).

    python bench/crosscheck_scale.py [--scales 1,10,100] [--out bench/out]

Writes a wide COW IGO state-year file shaped like COW's (ccode, state, year, one column per
IGO): at 1x every state the fact base knows by ccode and 150 it does not, years 1816-2014,
the blocs' COW columns and six more IGOs (about 40,000 rows, 1.7 MB); at Nx the same rows N
times over (as a file that repeats itself). Each scale is run twice as a separate process,
peak RSS (getrusage of the child) and wall time recorded:
- `-f tsv`: every compared cell is an output row (memory: a constant plus the output);
- `--only disagree -f tsv`: few rows kept (memory: the constant alone).
Seeded: the same arguments give byte-identical files.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OTHER_IGOS = ("un", "opec", "asean", "au", "oas", "osce")


def known_ccodes() -> list[int]:
    from alliances.facts.paths import default_data_dir
    from alliances.facts.store import build_factbase

    fb = build_factbase(default_data_dir())[0]
    cows = sorted({b.cow for b in fb.blocs.values() if b.cow})
    return sorted({e.ccode for e in fb.entities.values() if e.ccode is not None}), cows


def write_file(path: str, scale: int, seed: int = 32) -> tuple[int, int]:
    ccodes, cows = known_ccodes()
    rng = random.Random(seed)
    others = [c for c in range(2, 1000) if c not in set(ccodes)]
    states = sorted(ccodes + rng.sample(others, 150))
    igos = cows + [i for i in OTHER_IGOS if i not in cows]
    lines = []
    for ccode in states:
        for year in range(1816, 2015):
            codes = [rng.choice((1, 1, 0, 0, 0, -9, 3, -1)) for _ in igos]
            lines.append(f"{ccode},S{ccode},{year}," + ",".join(map(str, codes)) + "\n")
    block = "".join(lines).encode()
    with open(path, "wb") as fh:
        fh.write(("ccode,state,year," + ",".join(igos) + "\n").encode())
        for _ in range(scale):
            fh.write(block)
    return len(lines) * scale, os.path.getsize(path)


MEASURE = ("import resource, subprocess, sys, time\n"
           "t = time.perf_counter()\n"
           "p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n"
           "wall = time.perf_counter() - t\n"
           "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
           "print(p.returncode, wall, rss, p.stdout.count(b'\\n'))\n")


def measure(cmd: list[str]) -> tuple[int, float, int, int]:
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True,
                         text=True, check=True).stdout.split()
    return int(out[0]), float(out[1]), int(out[2]), int(out[3])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scales", default="1,10,100")
    p.add_argument("--out", default=os.path.join(HERE, "out"))
    a = p.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    cli = [os.path.join(os.path.dirname(sys.executable), "alliances")]
    if not os.access(cli[0], os.X_OK):
        cli = [sys.executable, "-m", "alliances"]
    print(f"{'scale':>6}{'rows':>11}{'MB':>9}  {'run':<22}{'wall s':>9}{'peak MB':>9}"
          f"{'out rows':>10}")
    for scale in [int(x) for x in a.scales.split(",") if x.strip()]:
        path = os.path.join(a.out, f"cow-{scale}x.csv")
        t = time.perf_counter()
        rows, size = write_file(path, scale)
        print(f"# wrote {path} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        for name, extra in (("-f tsv", ["-f", "tsv"]),
                            ("--only disagree -f tsv", ["--only", "disagree", "-f", "tsv"])):
            rc, wall, rss, out = measure(cli + ["crosscheck", path, *extra])
            print(f"{scale:>6}{rows:>11,}{size / 1e6:>9.1f}  {name:<22}{wall:>9.1f}"
                  f"{rss / 1024:>9.0f}{out:>10,}" + ("" if rc == 0 else f"  (exit {rc})"),
                  flush=True)
        os.unlink(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

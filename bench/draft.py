"""How `alliances draft` and `alliances quote` grow with the article's length.

    python bench/draft.py [--json] [--max-mb 1]

Articles are made from the shipped and test-fixture article texts, repeated to 10 KB,
100 KB and 1 MB, plus the same text with every sentence break and line break removed (one
"sentence" of 208 KB and of 1 MB). Each is drafted in-process against the names a fresh
`alliances init` has (draft() alone, best of 3), and the 10 KB article also as a whole
`alliances draft` process in a fresh fact base. `quote` is timed on the 1 MB article with a
20 KB passage that is not in it (the worst case of its nearest-passage search).
Targets: 10 KB under 0.5 s (the whole process), 1 MB in seconds, growth linear.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def corpus() -> str:
    texts = []
    for pattern in ("data/sources/*.txt",):
        for path in sorted(glob.glob(os.path.join(ROOT, pattern))):
            with open(path, encoding="utf-8") as fh:
                texts.append(fh.read())
    return "\n\n".join(texts)


def sized(base: str, n: int) -> str:
    return (base * (n // len(base) + 1))[:n]


def best(fn, runs=3) -> float:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return min(out)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--json", action="store_true")
    p.add_argument("--max-mb", type=float, default=1.0)
    args = p.parse_args(argv)

    from alliances.curation.curate import find_quote
    from alliances.curation.draft import draft, names_only
    from alliances.facts.dates import parse_partial
    from alliances.facts.paths import default_data_dir
    from alliances.facts.store import build_factbase

    fb = names_only(build_factbase(default_data_dir())[0])
    pub = parse_partial("2024-07-04")
    base = corpus()
    flat = re.sub(r"[.!?]\s*|\s+", " ", base)
    top = int(args.max_mb * 1_000_000)
    cases = [("10 KB", sized(base, 10_000)), ("100 KB", sized(base, 100_000)),
             (f"{args.max_mb:g} MB", sized(base, top)),
             ("208 KB, no sentence breaks", sized(flat, 208_000)),
             (f"{args.max_mb:g} MB, no sentence breaks", sized(flat, top))]
    rows = []
    for label, text in cases:
        # (best() calls the lambda within this iteration)
        secs = best(lambda: draft(text, pub, fb, "bench"), 1 if len(text) > 200_000 else 3)  # noqa: B023
        rows.append({"case": f"draft, {label}", "bytes": len(text.encode()),
                     "seconds": round(secs, 3),
                     "us_per_kb": round(secs / (len(text) / 1000) * 1e6)})
    # the whole command on 10 KB, in a fresh fact base
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ALLIANCES_CACHE_DIR": os.path.join(tmp, "cache")}
        cli = [sys.executable, "-m", "alliances"]
        data = os.path.join(tmp, "fb")
        subprocess.run([*cli, "init", data], env=env, check=True, capture_output=True)
        art = os.path.join(tmp, "a.txt")
        with open(art, "w", encoding="utf-8") as fh:
            fh.write(cases[0][1])
        subprocess.run([*cli, "add-article", art, "--id", "a", "--title", "t", "--published",
                        "2024-07-04", "--date-note", "n", "--data", data], env=env, check=True,
                       capture_output=True)
        subprocess.run([*cli, "draft", "a", "--data", data], env=env, check=True,
                       capture_output=True)   # the cache is built once
        secs = best(lambda: subprocess.run([*cli, "draft", "a", "--data", data], env=env,
                                           check=True, capture_output=True))
        rows.append({"case": "alliances draft (whole process), 10 KB", "bytes": 10_000,
                     "seconds": round(secs, 3), "us_per_kb": None})
    big = cases[2][1]
    needle = sized(flat[::-1], 20_000)
    secs = best(lambda: find_quote(big, needle), 1)
    rows.append({"case": "quote, 1 MB article, 20 KB passage not in it",
                 "bytes": len(big.encode()), "seconds": round(secs, 3), "us_per_kb": None})
    if args.json:
        print(json.dumps(rows, indent=1))
    else:
        print("| case | bytes | seconds | µs per KB |")
        print("|---|---|---|---|")
        for r in rows:
            print(f"| {r['case']} | {r['bytes']:,} | {r['seconds']:.3f} | "
                  f"{'' if r['us_per_kb'] is None else r['us_per_kb']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Draft the set-aside half of `shared/articles2/` and save the drafts UNREAD.

    python bench/unseen.py before|after [--articles DIR]
    python bench/unseen.py score --record DIR [--json]

The unseen protocol (docs/curation.md): the ids at even positions in byte order are set
aside and nobody working on the draft reads them until the draft's figure is taken. For
each set-aside id this makes a fact base as `alliances init` does, adds the article with
`alliances add-article` (its published date and title taken from its .meta by this script,
never printed), runs `alliances draft ID` in YAML and in `--format json`, and writes
`tests/fixtures/unseen/<which>/<id>.yaml` and `<id>.json`. It prints only byte counts.

`score` scores the saved drafts of before/ and after/ against a curated record of the
set-aside articles (a fact base: blocs.yaml and sources/sources.yaml, the ten set-aside
ids as its source ids), with dates scored (alliances.curation.draft.measure.score_saved),
and prints one table per set.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SET_ASIDE = ("afp-2011", "asiaplus-2006jun", "irna-2020", "latimes-1992", "monitor-1999",
             "pravda-2002", "rferl-2013", "sputnik-2009", "turkmenru-2005", "urdupoint-2019")
ARTICLES = os.path.normpath(os.path.join(ROOT, "..", "shared", "articles2"))


def set_aside(folder: str) -> list[str]:
    """The ids at even positions (1-based) of the byte-ordered ids: the protocol's rule."""
    ids = sorted(f[:-4].encode() for f in os.listdir(folder)
                 if f.endswith(".txt") and f != "README.txt")
    return [i.decode() for n, i in enumerate(ids, 1) if n % 2 == 0]


def meta(path: str) -> dict[str, str]:
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            key, sep, value = line.partition(":")
            if sep and key.strip() and key.strip() not in out:
                out[key.strip()] = value.strip()
    return out


def run(args: list[str], env: dict) -> bytes:
    done = subprocess.run([sys.executable, "-m", "alliances", *args], env=env,
                          capture_output=True, check=False)
    if done.returncode != 0:
        # the error text may quote the article: report only that it failed
        raise SystemExit(f"alliances {args[0]} failed (exit {done.returncode})")
    return done.stdout


def score(record: str, as_json: bool) -> int:
    import json

    from alliances.curation.draft.measure import score_saved, table

    out = {}
    for which in ("before", "after"):
        saved = os.path.join(ROOT, "tests", "fixtures", "unseen", which)
        out[which] = score_saved(saved, record, only=set(SET_ASIDE))
    if as_json:
        print(json.dumps(out, indent=2, default=str))
    else:
        for which, result in out.items():
            print(table(result, f"{which} (unseen)") + "\n")
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("which", choices=("before", "after", "score"))
    p.add_argument("--articles", default=ARTICLES)
    p.add_argument("--out", help="where to save (default: tests/fixtures/unseen/WHICH)")
    p.add_argument("--record", help="the curated record to score against (score only)")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    if a.which == "score":
        if not a.record:
            p.error("score needs --record DIR")
        return score(a.record, a.json)
    out_dir = a.out or os.path.join(ROOT, "tests", "fixtures", "unseen", a.which)
    os.makedirs(out_dir, exist_ok=True)
    env = {**os.environ, "ALLIANCES_CACHE_DIR": tempfile.mkdtemp(prefix="unseen-cache-")}
    env.pop("ALLIANCES_DATA", None)
    aside = set_aside(a.articles)
    if os.path.realpath(a.articles) == os.path.realpath(ARTICLES) and aside != list(SET_ASIDE):
        raise SystemExit("the set-aside ids differ from docs/curation.md's table")
    for sid in aside:
        m = meta(os.path.join(a.articles, sid + ".meta"))
        with tempfile.TemporaryDirectory() as tmp:
            base = os.path.join(tmp, "facts")
            run(["init", base], env)
            run(["add-article", os.path.join(a.articles, sid + ".txt"), "--id", sid,
                 "--title", m.get("title") or sid, "--published", m["published"],
                 "--date-note", "from the article's .meta (unseen protocol)",
                 "--data", base], env)
            sizes = []
            for ext, extra in (("yaml", []), ("json", ["--format", "json"])):
                body = run(["draft", sid, "--data", base, *extra], env)
                with open(os.path.join(out_dir, f"{sid}.{ext}"), "wb") as fh:
                    fh.write(body)
                sizes.append(f"{ext} {len(body)} bytes")
        print(f"{sid}: {', '.join(sizes)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

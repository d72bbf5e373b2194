"""Where a rebuild of the fact base spends its time, step by step, in one process.

    python bench/phases.py DATA_DIR [--memo]

Times (CPU seconds of this process, so that other load on the machine does not count)
each step that the first query on a new record runs: parsing both YAML files, building
and validating the records, cutting blocs.yaml into its items (their layout, which the
cache keeps beside the shards), verifying the records against the articles (with an empty
quote memo, as on a new record, or with --memo the memo of a previous run), and writing
the cache. Then the first query after editing one fact: one quote of blocs.yaml loses its
first word (as bench/run.py edits it) and the cache just written is brought up to date
item by item (facts/items.py's update), step by step. The collector is off, as it is while
the cache is built. Prints JSON; the data directory is left as it was.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("data")
    p.add_argument("--memo", action="store_true", help="verify with the quotes of a "
                   "previous run known (the memo is filled by a first, untimed verification)")
    a = p.parse_args(argv)
    data = os.path.realpath(a.data)

    from alliances.facts import cache
    from alliances.facts.items import Built, layout_of
    from alliances.facts.load import read_yaml
    from alliances.facts.model import BLOCS_FILE, SOURCES_FILE
    from alliances.facts.paths import inside
    from alliances.facts.store import build_factbase
    from alliances.facts.verify import verify

    gc.disable()
    out: dict = {}
    clock = time.process_time

    t = clock()
    for rel in (SOURCES_FILE, BLOCS_FILE):
        read_yaml(inside(data, rel, rel), rel)
    out["parse_yaml_s"] = clock() - t

    t = clock()
    keep: dict = {}
    fb = Built.of(build_factbase(data, keep=keep)[0], keep.get("spans"))
    out["parse_and_validate_s"] = clock() - t
    out["validate_s"] = out["parse_and_validate_s"] - out["parse_yaml_s"]
    t = clock()
    fb.layout = layout_of(keep.pop("raw"), keep.pop("text"), fb)
    out["layout_s"] = clock() - t

    known: dict = {"memo": {}} if a.memo else {}  # (code before the memo: no argument)
    if a.memo:
        verify(fb, codes=None, **known)
    t = clock()
    parts: list = []
    problems, fb.texts = verify(fb, codes=None, parts=parts, **known)
    out["verify_s"] = clock() - t
    fb.problems = tuple((x.file, x.line, x.message) for x in problems)
    if fb.layout is not None:
        fb.layout.add_problems(parts)

    with tempfile.TemporaryDirectory() as root:
        dfd = cache.open_private(os.path.join(root, "folder"), create=True)
        try:
            t = clock()
            cache._store(dfd, cache.signature(data), None, fb)
            out["store_cache_s"] = clock() - t
            if fb.layout is not None:
                out.update(edit_one_fact(data, dfd))
        finally:
            os.close(dfd)
    out = {k: v if isinstance(v, bool) else round(v, 3) for k, v in out.items()}
    out.update(statements=len(fb.statements), problems=len(problems), memo=a.memo)
    print(json.dumps(out))
    return 0


def edit_one_fact(data: str, dfd: int) -> dict:
    """The update after one quote lost its first word: its steps' CPU seconds, timed by
    wrapping the functions facts/items.py calls (the file is put back after)."""
    import re

    from alliances.facts import cache, items

    path = os.path.join(data, "blocs.yaml")
    with open(path, "rb") as fh:
        original = fh.read()
    text = original.decode("utf-8")
    m = re.compile(r'(?m)^( +quote: ")([^" \\]+) ([^"\\]+")$').search(text, len(text) // 2)
    if m is None:
        return {}
    steps: dict = {}

    def timed(module, name, key):
        fn = getattr(module, name)

        def wrapper(*a, **k):
            t = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                steps[key] = steps.get(key, 0.0) + time.process_time() - t
        setattr(module, name, wrapper)
        return fn

    saved = [(items, "cut", timed(items, "cut", "edit_cut_s")),
             (items, "digests", timed(items, "digests", "edit_sha256_s")),
             (cache, "_loads", timed(cache, "_loads", "edit_read_json_s")),
             (cache, "_dumps", timed(cache, "_dumps", "edit_write_json_s"))]
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text[:m.start()] + m.group(1) + m.group(3) + text[m.end():])
        sig = cache.signature(data)
        t = time.process_time()
        gen = cache.update_items(dfd, sig, cache.racy_sums(data, sig), data)
        steps["edit_update_s"] = time.process_time() - t
        steps["edit_updated"] = gen is not None
    finally:
        for module, name, fn in saved:
            setattr(module, name, fn)
        with open(path, "wb") as fh:
            fh.write(original)
    return steps


if __name__ == "__main__":
    sys.exit(main())

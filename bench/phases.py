"""Where a rebuild of the fact base spends its time, step by step, in one process.

    python bench/phases.py DATA_DIR [--memo]

Times (CPU seconds of this process, so that other load on the machine does not count)
each step that the first query after a change runs: parsing both YAML files, building
and validating the records, verifying them against the articles (with an empty quote memo,
as on a new record, or with --memo the memo of a previous run, as after an edit), and
writing the cache. The collector is off, as it is while the cache is built. Prints JSON.
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
    fb = build_factbase(data)[0]
    out["parse_and_validate_s"] = clock() - t
    out["validate_s"] = out["parse_and_validate_s"] - out["parse_yaml_s"]

    known: dict = {"memo": {}} if a.memo else {}  # (code before the memo: no argument)
    if a.memo:
        verify(fb, codes=None, **known)
    t = clock()
    problems, fb.texts = verify(fb, codes=None, **known)
    out["verify_s"] = clock() - t
    fb.problems = tuple((x.file, x.line, x.message) for x in problems)

    with tempfile.TemporaryDirectory() as root:
        dfd = cache.open_private(os.path.join(root, "folder"), create=True)
        try:
            t = clock()
            cache._store(dfd, cache.signature(data), None, fb)
            out["store_cache_s"] = clock() - t
        finally:
            os.close(dfd)
    out = {k: round(v, 3) for k, v in out.items()}
    out.update(statements=len(fb.statements), problems=len(problems), memo=a.memo)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

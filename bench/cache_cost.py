"""What the safe cache format and the locked writers cost, in-process, on one data directory.

    python bench/cache_cost.py DATA_DIR [--repeat N]

Prints JSON: for the index and the largest shard of DATA_DIR's cache, the bytes and the
median milliseconds to read (parse and rebuild the records) and to write them as today's
JSON and as the pickle used before (protocol 5, loaded by the C unpickler); the cost of the
cache-path checks (walking the folder's components from /, the code key over the package's
files, taking a generation lock); and of writing a 1 KB file through output/files.py
(lock, temporary file, fsync, rename) against a plain open/write/close. bench/run.py runs it
at every scale.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import statistics
import sys
import tempfile
import time


def timed(fn, repeat: int) -> float:
    out = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out) * 1000


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("data")
    p.add_argument("--repeat", type=int, default=7)
    a = p.parse_args(argv)
    from alliances.facts import cache as c
    from alliances.facts.store import build_verified
    from alliances.output import files

    data = os.path.realpath(a.data)
    fb = build_verified(data)
    shards, subjects = c.partition(fb)
    big = max(shards, key=lambda k: len(shards[k][0]) + len(shards[k][1]))
    content = shards[big]
    head_pickled = (fb.data_dir, fb.sources, fb.entities, fb.blocs, fb.fact_count, fb.names,
                    fb.problems, fb.texts)
    out: dict = {"statements": len(fb.statements), "largest_shard": big,
                 "largest_shard_statements": len(content[0])}

    def j_shard_w():
        return c._dumps(c._Encoder().shard(content))

    def j_head_w():
        return c._dumps(c._enc_head(fb))

    def p_shard_w():
        return pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL)

    def p_head_w():
        return pickle.dumps(head_pickled, protocol=pickle.HIGHEST_PROTOCOL)

    js, jh, ps, ph = j_shard_w(), j_head_w(), p_shard_w(), p_head_w()
    for name, (jw, jb, pw, pb, jr, pr) in {
        "index": (j_head_w, jh, p_head_w, ph, lambda: c._Decoder().head(c._loads(jh)),
                  lambda: pickle.loads(ph)),
        "shard": (j_shard_w, js, p_shard_w, ps, lambda: c._Decoder().shard(c._loads(js)),
                  lambda: pickle.loads(ps)),
    }.items():
        assert (jr()[1] == head_pickled[1]) if name == "index" else (jr() == content)
        out[name] = {"json_bytes": len(jb), "pickle_bytes": len(pb),
                     "json_read_ms": timed(jr, a.repeat), "pickle_read_ms": timed(pr, a.repeat),
                     "json_write_ms": timed(jw, a.repeat),
                     "pickle_write_ms": timed(pw, a.repeat)}
    with tempfile.TemporaryDirectory() as tmp:
        where = os.path.join(tmp, "root", "folder")
        os.close(c.open_private(where, create=True))
        n = max(a.repeat * 20, 100)

        def walk():
            for _ in range(n):
                os.close(c.open_private(where, create=False))

        out["path_check_us"] = timed(walk, a.repeat) * 1000 / n

        def key():
            for _ in range(n):
                c._CODE.clear()
                c.code_key()

        out["code_key_us"] = timed(key, a.repeat) * 1000 / n
        dfd = os.open(where, os.O_RDONLY)
        c._hold(dfd, "g", create=True)

        def hold():
            for _ in range(n):
                os.close(c._hold(dfd, "g"))

        out["generation_lock_us"] = timed(hold, a.repeat) * 1000 / n
        os.close(dfd)
        payload = b"x" * 1024
        target = os.path.join(tmp, "out.txt")

        def locked_write():
            for _ in range(20):
                files.replace_file(target, payload)

        def plain_write():
            for _ in range(20):
                with open(target, "wb") as fh:
                    fh.write(payload)
                    fh.flush()
                    os.fsync(fh.fileno())

        def bare_write():
            for _ in range(20):
                with open(target, "wb") as fh:
                    fh.write(payload)

        out["replace_file_1k_ms"] = timed(locked_write, a.repeat) / 20
        out["plain_write_fsync_1k_ms"] = timed(plain_write, a.repeat) / 20
        out["plain_write_1k_ms"] = timed(bare_write, a.repeat) / 20
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Start-up and scale benchmark for the alliances CLI, in one command.

    python bench/run.py [--runs N] [--quick] [--json] [--scales 1,100,1000] [--python PY]
                        [--only verification]

Every figure is a whole process (what a user waits for), run as a subprocess and reaped with
os.wait4 so that its own peak RSS is known. Start-up is shown against floors measured the
same way in the same session: `python -c pass`, `import typer` (what any typer CLI costs)
and typer + rich's Console and Table (what any rich table costs), so the ratios survive a
slower or faster machine. The scale part generates synthetic data (bench/generate.py) at
each scale into bench/out/ (git-ignored) and times the first query on a new record (an
empty cache), the first query after blocs.yaml's mtime changed (a stale cache file is
present and the fact base is rebuilt; the quotes are already known), the first query after
one fact's quote was edited, a repeated query (served from the cache), and `alliances
check` (with the quotes known, and with an empty cache); --only verification stops there.
Then `disputes`, the exports, names through `-` and concurrent first queries;
bench/cache_cost.py measures the cache format (JSON against the pickle it replaced) and
the locked writer.
Each run of this script uses a private ALLIANCES_CACHE_DIR, removed at the end.

Run it with the interpreter of an environment where alliances is installed (or pass
--python): its console script `alliances` next to that interpreter is preferred, else
`python -m alliances`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATE = os.path.join(HERE, "generate.py")
CACHE_COST = os.path.join(HERE, "cache_cost.py")

# Targets (see the project's performance goals): ratio limits and absolute limits.
TARGET_QUERY_VS_TYPER = 1.2
TARGET_TABLE_VS_RICH = 1.2
TARGET_SCALE_RATIO = 1.5       # repeated query at the largest scale / at 1x
TARGET_FIRST_S = 5.0           # first query after the data changed
TARGET_PEAK_MB = 300.0
TARGET_EDIT_S = 1.0            # first query after editing one fact (issue "Scale")
TARGET_COLD_S = 8.0            # first query with an empty cache, and `check`

TABLE_ENV = {"FORCE_COLOR": "1", "COLUMNS": "120", "TERM": "xterm-256color"}
# Variables that would change what is measured: data, cache and terminal settings.
SCRUB = ("ALLIANCES_DATA", "ALLIANCES_NO_CACHE", "ALLIANCES_CACHE_DIR", "FORCE_COLOR",
         "NO_COLOR", "COLUMNS", "LINES", "PYTHONPROFILEIMPORTTIME", "PYTHONTRACEMALLOC",
         # users' installs have their .pyc files: without them every run compiles the package
         "PYTHONDONTWRITEBYTECODE")


class Runner:
    """Runs whole processes and records wall time and the child's own peak RSS."""

    def __init__(self, base_env: dict):
        self.base_env = base_env
        self.out = tempfile.TemporaryFile()
        self.err = tempfile.TemporaryFile()

    def once(self, cmd: list[str], env: dict | None = None, stdin: str | None = None) -> dict:
        for fh in (self.out, self.err):
            fh.seek(0)
            fh.truncate()
        full_env = {**self.base_env, **(env or {})}
        feed = subprocess.DEVNULL
        if stdin is not None:
            feed = tempfile.TemporaryFile()
            feed.write(stdin.encode("utf-8"))
            feed.seek(0)
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, env=full_env, stdin=feed, stdout=self.out,
                             stderr=self.err)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                "rss_mb": usage.ru_maxrss / 1024, "rc": p.returncode}

    def output(self) -> tuple[bytes, bytes]:
        """stdout and stderr of the last run."""
        self.out.seek(0)
        self.err.seek(0)
        return self.out.read(), self.err.read()


def summary(samples: list[dict]) -> dict:
    walls = [s["wall"] for s in samples]
    return {"median_s": statistics.median(walls), "min_s": min(walls),
            "cpu_s": statistics.median(s["cpu"] for s in samples), "runs": len(samples),
            "peak_mb": max(s["rss_mb"] for s in samples),
            "rc": max((s["rc"] for s in samples), key=abs)}


def interleaved(r: Runner, cases: dict, runs: int) -> dict:
    """Median over `runs` rounds that run every case once each, so drift (thermal, other
    load) hits all cases alike and their ratios stay fair. One untimed warm-up round."""
    samples = {name: [] for name in cases}
    for i in range(runs + 1):
        for name, (cmd, env) in cases.items():
            s = r.once(cmd, env)
            if i:
                samples[name].append(s)
            elif s["rc"] != 0:
                _, err = r.output()
                log(f"  ! {name} exited {s['rc']}: {err.decode(errors='replace')[-400:]}")
    return {name: summary(v) for name, v in samples.items()}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def find_cli(python: str, force_module: bool) -> tuple[list[str], str]:
    script = os.path.join(os.path.dirname(python), "alliances")
    if not force_module and os.path.isfile(script) and os.access(script, os.X_OK):
        return [script], f"console script {script}"
    return [python, "-m", "alliances"], f"{python} -m alliances"


def describe(python: str, env: dict) -> dict:
    code = ("import json, sys, importlib.metadata as m, alliances\n"
            "v = {}\n"
            "for d in ('alliances', 'typer', 'click', 'rich', 'PyYAML'):\n"
            "    try: v[d] = m.version(d)\n"
            "    except Exception: v[d] = None\n"
            "print(json.dumps({'python': sys.version.split()[0], 'alliances_file': "
            "alliances.__file__, 'versions': v}))")
    p = subprocess.run([python, "-c", code], env=env, capture_output=True, text=True)
    if p.returncode:
        raise SystemExit(f"cannot import alliances with {python}:\n{p.stderr}")
    return json.loads(p.stdout)


def bump_mtime(path: str) -> None:
    """Change blocs.yaml's mtime (content unchanged) so the cache must be rebuilt."""
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


# -- the two parts -------------------------------------------------------------------------
def startup(r: Runner, python: str, cli: list[str], runs: int) -> dict:
    query = ["members", "CSTO", "--as-of", "2008"]
    cases = {
        "python -c pass": ([python, "-c", "pass"], None),
        "import typer": ([python, "-c", "import typer"], None),
        "typer+rich table": ([python, "-c", "import typer; from rich.console import Console; "
                              "from rich.table import Table"], None),
        "members CSTO json": (cli + query + ["--format", "json"], None),
        "recognizes plain": (cli + ["recognizes", "South Ossetia", "--format", "plain"], None),
        "members CSTO table": (cli + query + ["--format", "table"], TABLE_ENV),
    }
    log(f"start-up: {len(cases)} commands x {runs} runs, interleaved")
    res = interleaved(r, cases, runs)
    floors = {"typer": res["import typer"], "typer_rich": res["typer+rich table"]}
    for name, v in res.items():
        # wall-time ratio (the target) and CPU-time ratio (steadier on a busy machine)
        v["vs_typer"] = v["median_s"] / floors["typer"]["median_s"]
        v["cpu_vs_typer"] = v["cpu_s"] / floors["typer"]["cpu_s"]
        if name == "members CSTO table":
            v["vs_typer_rich"] = v["median_s"] / floors["typer_rich"]["median_s"]
            v["cpu_vs_typer_rich"] = v["cpu_s"] / floors["typer_rich"]["cpu_s"]
    return res


def sanity(r: Runner, cli: list[str]) -> tuple[bytes, list[str]]:
    """Check that the timed commands answered as expected (a fast failure is no result);
    return the JSON answer on the shipped data, which every scale must reproduce."""
    problems = []
    r.once(cli + ["members", "CSTO", "--as-of", "2008", "--format", "json"])
    answer = r.output()[0]
    try:
        if not json.loads(answer):
            problems.append("members CSTO json: no rows")
    except ValueError:
        problems.append("members CSTO json: output is not JSON")
    r.once(cli + ["recognizes", "South Ossetia", "--format", "plain"])
    if not r.output()[0].strip():
        problems.append("recognizes plain: no output")
    r.once(cli + ["members", "CSTO", "--as-of", "2008", "--format", "table"], TABLE_ENV)
    table = r.output()[0].decode(errors="replace")
    if "\x1b[" not in table:
        problems.append("members CSTO table: no colour codes (not rendered as for a terminal)")
    return answer, problems


def fresh_cache(r: Runner) -> str:
    """A new, empty cache directory inside the run's private one: a first run ever."""
    return tempfile.mkdtemp(prefix="cold-", dir=r.base_env["ALLIANCES_CACHE_DIR"])


class OneFact:
    """One fact of blocs.yaml edited as a curator would: its quote loses its first word
    (still the article's own words, so the data stays valid) and gets it back, in turn.
    The file is restored on exit."""

    def __init__(self, path: str):
        import re

        self.path = path
        with open(path, encoding="utf-8") as fh:
            self.original = fh.read()
        pattern = re.compile(r'(?m)^( +quote: ")([^" \\]+) ([^"\\]+")$')
        half = len(self.original) // 2
        m = pattern.search(self.original, half) or pattern.search(self.original)
        if m is None:
            raise SystemExit(f"{path}: no quote to edit")
        self.versions = [self.original, self.original[:m.start()] + m.group(1) + m.group(3)
                         + self.original[m.end():]]
        self.turn = 0

    def toggle(self) -> None:
        self.turn += 1
        with open(self.path, "w", encoding="utf-8") as fh:
            fh.write(self.versions[self.turn % 2])

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        with open(self.path, "w", encoding="utf-8") as fh:
            fh.write(self.original)


def scale_run(r: Runner, python: str, cli: list[str], scale: int, out_root: str, runs: int,
              slow_runs: int, reference: bytes, only: str = "all") -> dict:
    data = os.path.join(out_root, f"scale-{scale}")
    t0 = time.perf_counter()
    gen = subprocess.run([python, GENERATE, data, "--scale", str(scale)], capture_output=True,
                         text=True)
    if gen.returncode:
        raise SystemExit(f"generate.py failed:\n{gen.stderr}")
    stats = json.loads(gen.stdout)
    stats["generate_s"] = time.perf_counter() - t0
    query = cli + ["members", "CSTO", "--as-of", "2008", "--format", "json", "--data", data]
    blocs = os.path.join(data, "blocs.yaml")

    log(f"scale {scale}x: {stats['facts']} facts, {stats['statements_estimate']} statements; "
        f"first query after a change x{slow_runs}")
    log(f"scale {scale}x: first query on a new record (an empty cache) x{slow_runs}")
    cold = [r.once(query, {"ALLIANCES_CACHE_DIR": fresh_cache(r)}) for _ in range(slow_runs)]
    r.once(query)  # untimed: so each timed run below finds a stale cache, as after an edit
    first = []
    for _ in range(slow_runs):
        bump_mtime(blocs)
        first.append(r.once(query))
    same_answer = r.output()[0] == reference
    log(f"scale {scale}x: first query after editing one fact x{slow_runs}")
    edited = []
    with OneFact(blocs) as fact:
        for _ in range(slow_runs):
            fact.toggle()
            edited.append(r.once(query))
    edit_ok = r.output()[1].find(b"warning") < 0
    log(f"scale {scale}x: repeated query x{runs}")
    r.once(query)  # warm: cache written by the first runs, files in the page cache
    # blocs.yaml was just restored: within RACY_NS of its mtime every hit checksums it (as
    # git does for racily clean files); once older, a hit stores the index without the
    # checksums. A repeated query is timed after that, as a user's next question is.
    time.sleep(3.5)
    r.once(query)
    repeated = [r.once(query) for _ in range(runs)]
    log(f"scale {scale}x: check x{slow_runs}")
    check = []
    for _ in range(slow_runs):
        check.append(r.once(cli + ["check", "--data", data]))
    check_out = b" ".join(r.output()).decode(errors="replace").strip().splitlines()
    check_cold = [r.once(cli + ["check", "--data", data],
                         {"ALLIANCES_CACHE_DIR": fresh_cache(r)}) for _ in range(slow_runs)]
    common = {"scale": scale, "data": data, "gen": stats, "cold": summary(cold),
              "first": summary(first), "edit": summary(edited), "edit_clean": edit_ok,
              "repeated": summary(repeated), "check": summary(check),
              "check_cold": summary(check_cold),
              "check_says": check_out[-1] if check_out else "", "same_answer": same_answer}
    if only == "verification":
        return common

    log(f"scale {scale}x: disputes (json), panel export, names through '-', concurrency")
    panel_out = os.path.join(out_root, f"panel-{scale}.csv")
    # The first bulk runs after a new record keep what they combine and evaluate (spells,
    # then a panel's codes: answers/kept.py), timed apart; the runs below read them, as
    # every later run over the same record does.
    disputes_keep = r.once(cli + ["disputes", "--format", "json", "--data", data])
    panel_keep = r.once(cli + ["export", panel_out, "--panel", "state-year", "--force",
                               "--data", data])
    disputes = [r.once(cli + ["disputes", "--format", "json", "--data", data])
                for _ in range(slow_runs)]
    panel = [r.once(cli + ["export", panel_out, "--panel", "state-year", "--force", "--data",
                           data]) for _ in range(slow_runs)]
    dyads_out = os.path.join(out_root, f"dyads-{scale}.csv")
    dyads = [r.once(cli + ["export", dyads_out, "--panel", "dyad-year", "--force", "--data",
                           data]) for _ in range(slow_runs)]
    json_out = os.path.join(out_root, f"facts-{scale}.json")
    whole_json = [r.once(cli + ["export", json_out, "--force", "--data", data])
                  for _ in range(slow_runs)]
    sqlite_out = os.path.join(out_root, f"facts-{scale}.sqlite")
    sqlite = [r.once(cli + ["export", sqlite_out, "--force", "--data", data])
              for _ in range(slow_runs)]
    r.once(cli + ["states", "--format", "plain", "--data", data])
    names = r.output()[0].decode().split("\n")[:NAMES]
    names = (names * (NAMES // max(len(names), 1) + 1))[:NAMES]
    many = r.once(cli + ["memberships", "-", "--as-of", "2008", "--format", "jsonl", "--data",
                         data], stdin="\n".join(names) + "\n")
    singles = [r.once(cli + ["memberships", n, "--as-of", "2008", "--format", "jsonl",
                             "--data", data]) for n in names[:SINGLES]]
    conc = concurrent_first(cli, query, blocs, r.base_env)
    log(f"scale {scale}x: cache format (json vs pickle) and locked writes")
    cost = subprocess.run([python, CACHE_COST, data], capture_output=True, text=True,
                          env=r.base_env)
    if cost.returncode:
        raise SystemExit(f"cache_cost.py failed:\n{cost.stderr}")
    return {**common, "cache_cost": json.loads(cost.stdout),
            "disputes_keep": summary([disputes_keep]), "panel_keep": summary([panel_keep]),
            "disputes": summary(disputes), "panel": summary(panel), "sqlite": summary(sqlite),
            "dyads": summary(dyads), "dyad_rows": _lines(dyads_out) - 1,
            "json": summary(whole_json),
            "names_stdin": summary([many]),
            "names_single_extrapolated_s": sum(x["wall"] for x in singles) * NAMES / SINGLES,
            "concurrent": conc}


NAMES, SINGLES, CONCURRENT = 1000, 50, 4


def _lines(path: str) -> int:
    with open(path, "rb") as fh:
        return sum(1 for _ in fh)


def concurrent_first(cli: list[str], query: list[str], blocs: str, env: dict) -> dict:
    """CONCURRENT first queries at once right after an edit, then one more: is it a hit?"""
    bump_mtime(blocs)
    env = {**env, "ALLIANCES_CACHE_DEBUG": "1"}
    t0 = time.perf_counter()
    procs = [subprocess.Popen(query, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE) for _ in range(CONCURRENT)]
    rcs = [p.wait() for p in procs]
    for p in procs:
        p.stderr.close()
    wall = time.perf_counter() - t0
    after = subprocess.run(query, env=env, capture_output=True, text=True)
    t1 = time.perf_counter()
    subprocess.run(query, env=env, capture_output=True)
    return {"wall_s": wall, "rc": max(rcs, key=abs), "next_is_hit": "cache: hit" in after.stderr,
            "next_s": time.perf_counter() - t1}


# -- report --------------------------------------------------------------------------------
def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


def targets(start: dict, scales: list[dict]) -> list[tuple[str, str, str, bool]]:
    rows = []
    for name in ("members CSTO json", "recognizes plain"):
        x, c = round(start[name]["vs_typer"], 2), start[name]["cpu_vs_typer"]
        rows.append((f"{name} / import typer", f"{x:.2f}x (cpu {c:.2f}x)",
                     f"<= {TARGET_QUERY_VS_TYPER}x", x <= TARGET_QUERY_VS_TYPER))
    t = start["members CSTO table"]
    x, c = round(t["vs_typer_rich"], 2), t["cpu_vs_typer_rich"]
    rows.append(("members CSTO table / typer+rich", f"{x:.2f}x (cpu {c:.2f}x)",
                 f"<= {TARGET_TABLE_VS_RICH}x", x <= TARGET_TABLE_VS_RICH))
    by = {s["scale"]: s for s in scales}
    if len(by) > 1 and min(by) == 1:
        top = max(by)
        x = round(by[top]["repeated"]["median_s"] / by[1]["repeated"]["median_s"], 2)
        rows.append((f"repeated query {top}x / 1x", f"{x:.2f}x", f"<= {TARGET_SCALE_RATIO}x",
                     x <= TARGET_SCALE_RATIO))
    for s in scales:
        t = s["first"]["median_s"]
        rows.append((f"first query after change {s['scale']}x", f"{t:.2f} s",
                     f"< {TARGET_FIRST_S:g} s", t < TARGET_FIRST_S))
    for s in scales:
        if "edit" not in s:
            continue
        t = s["edit"]["median_s"]
        rows.append((f"first query after editing a fact {s['scale']}x", f"{t:.2f} s",
                     f"<= {TARGET_EDIT_S:g} s", t <= TARGET_EDIT_S))
        for key, label in (("cold", "first query, empty cache"), ("check_cold",
                                                                   "check, empty cache")):
            t = s[key]["median_s"]
            rows.append((f"{label} {s['scale']}x", f"{t:.2f} s", f"<= {TARGET_COLD_S:g} s",
                         t <= TARGET_COLD_S))
    for s in scales:
        if "disputes" not in s:
            continue
        t, mb = s["disputes"]["median_s"], s["disputes"]["peak_mb"]
        rows.append((f"disputes {s['scale']}x (time, peak)", f"{t:.2f} s, {mb:.0f} MB",
                     "< 5 s, 200 MB", t < 5 and mb < 200))
        t = s["panel"]["median_s"]
        rows.append((f"panel export {s['scale']}x", f"{t:.2f} s, {s['panel']['peak_mb']:.0f} MB",
                     "< 30 s, 1 GiB", t < 30 and s["panel"]["peak_mb"] < 1024))
        for key, label in (("dyads", "dyad-year export"), ("sqlite", "sqlite export"),
                           ("json", "json export")):
            t, mb = s[key]["median_s"], s[key]["peak_mb"]
            rows.append((f"{label} {s['scale']}x", f"{t:.2f} s, {mb:.0f} MB",
                         "< 30 s, 1 GiB", t < 30 and mb < 1024))
        t = s["names_stdin"]["median_s"]
        rows.append((f"{NAMES} names through '-' {s['scale']}x", f"{t:.2f} s", "< 2 s", t < 2))
        rows.append((f"next query after {CONCURRENT} at once {s['scale']}x", "hit" if
                     s["concurrent"]["next_is_hit"] else "miss", "hit",
                     s["concurrent"]["next_is_hit"]))
    peaks = [v["peak_mb"] for v in start.values()] + [
        s[k]["peak_mb"] for s in scales for k in ("first", "repeated", "check")]
    rows.append(("peak memory (any run)", f"{max(peaks):.0f} MB", f"< {TARGET_PEAK_MB:g} MB",
                 max(peaks) < TARGET_PEAK_MB))
    return rows


def report(meta: dict, start: dict, scales: list[dict], goals: list) -> str:
    v = meta["env"]["versions"]
    deps = " | ".join(f"{k} {v[k]}" for k in ("typer", "click", "rich", "PyYAML") if v[k])
    lines = [f"alliances {v['alliances']} | python {meta['env']['python']} | {deps}",
             f"cli: {meta['cli']}  ({meta['env']['alliances_file']})",
             f"runs: {meta['runs']} per start-up command, {meta['slow_runs']} for first-query "
             f"and check; wall medians, cpu = user+sys of the child (median); peak = max "
             f"ru_maxrss of the child",
             f"load average (1 min) {meta['load_before']:.2f} before, {meta['load_after']:.2f} "
             f"after, on {os.cpu_count()} CPUs: a busy machine inflates every figure",
             *[f"PROBLEM: {p}" for p in meta["problems"]], "",
             f"{'start-up':<20}{'median':>9}{'min':>9}{'cpu':>9}{'vs typer':>10}{'(cpu)':>7}"
             f"{'vs t+rich':>10}{'(cpu)':>7}{'peak MB':>9}{'rc':>4}"]
    for name, s in start.items():
        vr = (f"{s['vs_typer_rich']:>9.2f}x{s['cpu_vs_typer_rich']:>6.2f}x"
              if "vs_typer_rich" in s else " " * 17)
        lines.append(f"{name:<20}{s['median_s'] * 1000:>7.1f}ms{s['min_s'] * 1000:>7.1f}ms"
                     f"{s['cpu_s'] * 1000:>7.1f}ms{s['vs_typer']:>9.2f}x{s['cpu_vs_typer']:>6.2f}x"
                     f"{vr}{s['peak_mb']:>9.1f}{s['rc']:>4}")
    lines += ["", f"{'scale':>6}{'facts':>8}{'stmts':>8}{'yaml MB':>8}{'gen s':>7}"
              f"{'cold s':>8}{'first s':>9}{'edit s':>8}{'repeat ms':>10}{'check s':>9}"
              f"{'cold':>7}{'peak MB f/r/c':>17}  answer"]
    for s in scales:
        g = s["gen"]
        peaks = "/".join(f"{s[k]['peak_mb']:.0f}" for k in ("first", "repeated", "check"))
        rcs = {s[k]["rc"] for k in ("first", "repeated", "check")}
        flag = ("same" if s["same_answer"] else "DIFFERS") + ("" if rcs == {0} else
                                                            f" rc={sorted(rcs)}")
        lines.append(f"{s['scale']:>5}x{g['facts']:>8}{g['statements_estimate']:>8}"
                     f"{g['blocs_yaml_bytes'] / 1e6:>8.1f}{g['generate_s']:>7.1f}"
                     f"{s['cold']['median_s']:>8.2f}"
                     f"{s['first']['median_s']:>9.2f}{s['edit']['median_s']:>8.2f}"
                     f"{s['repeated']['median_s'] * 1000:>10.1f}"
                     f"{s['check']['median_s']:>9.2f}{s['check_cold']['median_s']:>7.2f}"
                     f"{peaks:>17}  {flag}{'' if s['edit_clean'] else ' EDIT WARNED'}")
    scales = [s for s in scales if "disputes" in s]  # not with --only verification
    if scales:
        lines += ["", f"{'scale':>6}{'disputes s':>11}{'MB':>6}{'panel s':>9}{'MB':>6}"
                  f"{'sqlite s':>9}{'MB':>6}{'1000 names -':>13}{'1000 single':>12}"
                  f"{'4 at once s':>12}{'then hit':>9}"]
        for s in scales:
            lines.append(f"{s['scale']:>5}x{s['disputes']['median_s']:>11.2f}"
                         f"{s['disputes']['peak_mb']:>6.0f}{s['panel']['median_s']:>9.2f}"
                         f"{s['panel']['peak_mb']:>6.0f}{s['sqlite']['median_s']:>9.2f}"
                         f"{s['sqlite']['peak_mb']:>6.0f}{s['names_stdin']['median_s']:>12.2f}s"
                         f"{s['names_single_extrapolated_s']:>11.1f}s"
                         f"{s['concurrent']['wall_s']:>12.2f}"
                         f"{'yes' if s['concurrent']['next_is_hit'] else 'NO':>9}")
        lines += ["", "bulk commands: wall / cpu (user + sys) in s, peak MB; 'keeps' is the "
                  "first run after a new record, the others read what it kept"]
        bulk = (("disputes_keep", "disputes, keeps"), ("disputes", "disputes"),
                ("panel_keep", "state-year, keeps"), ("panel", "state-year"),
                ("dyads", "dyad-year"), ("json", "json export"), ("sqlite", "sqlite export"),
                ("names_stdin", f"{NAMES} names -"))
        for s in scales:
            for key, label in bulk:
                if key in s:
                    x = s[key]
                    lines.append(f"{s['scale']:>5}x  {label:<20}{x['median_s']:>9.2f}"
                                 f"{x['cpu_s']:>9.2f}{x['peak_mb']:>8.0f}")
        lines += ["", "cache format: read = parse and rebuild the records (median ms, "
                  "in-process); JSON today, pickle before", f"{'scale':>6}{'index KB j/p':>14}"
                  f"{'read ms j/p':>13}{'write ms j/p':>14}{'shard KB j/p':>14}"
                  f"{'read ms j/p':>13}{'write ms j/p':>14}"]
        for s in scales:
            cc = s["cache_cost"]
            row = f"{s['scale']:>5}x"
            for part in ("index", "shard"):
                x = cc[part]
                row += (f"{x['json_bytes'] / 1e3:>7.0f}/{x['pickle_bytes'] / 1e3:<6.0f}"
                        f"{x['json_read_ms']:>6.2f}/{x['pickle_read_ms']:<6.2f}"
                        f"{x['json_write_ms']:>7.2f}/{x['pickle_write_ms']:<6.2f}")
            lines.append(row)
        cc = scales[0]["cache_cost"]
        lines.append(f"per query: path checked from / {cc['path_check_us']:.0f} us, code key "
                     f"{cc['code_key_us']:.0f} us, generation lock "
                     f"{cc['generation_lock_us']:.1f} us; a 1 KB file through "
                     f"files.replace_file {cc['replace_file_1k_ms']:.2f} ms (plain "
                     f"write+fsync {cc['plain_write_fsync_1k_ms']:.2f} ms, plain write "
                     f"{cc['plain_write_1k_ms']:.2f} ms)")
    lines += ["", f"{'target (wall-time medians)':<40}{'measured':>22}{'goal':>11}  verdict"]
    for name, got, goal, ok in goals:
        lines.append(f"{name:<40}{got:>22}{goal:>11}  {verdict(ok)}")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, help="timed runs per start-up command and per "
                   "repeated query (default 15, --quick 5)")
    p.add_argument("--quick", action="store_true", help="fewer runs; first-query and check "
                   "once per scale")
    p.add_argument("--scales", default="1,100,1000", help="comma-separated (default 1,100,1000)")
    p.add_argument("--python", default=sys.executable, help="interpreter with alliances "
                   "installed (default: this one)")
    p.add_argument("--module", action="store_true", help="run `python -m alliances` even if "
                   "the console script exists")
    p.add_argument("--out", default=os.path.join(HERE, "out"), help="where synthetic data "
                   "goes (default bench/out, git-ignored)")
    p.add_argument("--json", action="store_true", help="print the results as JSON instead")
    p.add_argument("--only", choices=("all", "verification"), default="all",
                   help="verification: at each scale only the steps that build and verify "
                   "the fact base (first queries, repeated query, check), not the exports")
    a = p.parse_args(argv)
    runs = a.runs or (5 if a.quick else 15)
    slow_runs = 1 if a.quick else min(3, runs)
    scales = sorted({int(x) for x in a.scales.split(",") if x.strip()})

    cache = tempfile.mkdtemp(prefix="alliances-bench-cache-")
    env = {k: v for k, v in os.environ.items() if k not in SCRUB}
    env["ALLIANCES_CACHE_DIR"] = cache
    try:
        r = Runner(env)
        cli, how = find_cli(a.python, a.module)
        meta = {"cli": how, "runs": runs, "slow_runs": slow_runs,
                "env": describe(a.python, env)}
        log(f"cli: {how}; alliances from {meta['env']['alliances_file']}")
        meta["load_before"] = os.getloadavg()[0]
        start = startup(r, a.python, cli, runs)
        reference, meta["problems"] = sanity(r, cli)
        os.makedirs(a.out, exist_ok=True)
        scale_results = [scale_run(r, a.python, cli, n, a.out, runs, slow_runs, reference,
                                   a.only) for n in scales]
        meta["load_after"] = os.getloadavg()[0]
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    goals = targets(start, scale_results)
    if a.json:
        print(json.dumps({"meta": meta, "startup": start, "scales": scale_results,
                          "targets": [{"name": n, "measured": m, "goal": g, "ok": ok}
                                      for n, m, g, ok in goals]}, indent=2))
    else:
        print(report(meta, start, scale_results, goals))
    return 0


if __name__ == "__main__":
    sys.exit(main())

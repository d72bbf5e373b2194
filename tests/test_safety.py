"""Nothing run, nothing lost, nothing stale (issue 23): the real CLI, as separate processes,
against another local user, concurrent writers, a full filesystem, signals in the middle of
writes, closed and full streams, planted symlinks and an upgrade between two builds.

Each test asserts what the user gets: the right answer or one clear line (never a
traceback), nothing of anyone else's run, nothing lost, no stray files. Tests that need
root (another user, a tmpfs) are skipped without it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

import alliances
from alliances.facts.paths import default_data_dir

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
PACKAGE = Path(alliances.__file__).parent
ARTICLE = b"The Collective Security Treaty Organization met in Moscow on Tuesday.\n"
ADD = ("--title", "A test article", "--published", "2008-09-04", "--date-note", "Dateline.")


def env_for(cache, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ALLIANCES_") and k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update({"ALLIANCES_CACHE_DIR": str(cache), "COLUMNS": "200"})
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run(*args, cache, stdin=None, env=None, code=None, timeout=60, **kw):
    """`python -m alliances ARGS` as a process; never a traceback; the exit code if given."""
    p = subprocess.run([sys.executable, "-m", "alliances", *map(str, args)],
                       input=stdin, capture_output=True, timeout=timeout,
                       env=env_for(cache, **(env or {})), **kw)
    err = p.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    if code is not None:
        assert p.returncode == code, (args, p.returncode, p.stdout[-500:], err)
    return p


def one_line(p, *needles) -> str:
    err = p.stderr.decode("utf-8", "replace")
    lines = [line for line in err.splitlines() if line.startswith("alliances: error")]
    assert len(lines) == 1, err
    for n in needles:
        assert n in lines[0], err
    return lines[0]


def plain(p) -> list[str]:
    return p.stdout.decode("utf-8").split("\n")


def stray(directory) -> list[str]:
    """Temporary files left anywhere under `directory`, and files named after one (a
    sqlite journal)."""
    return [os.path.join(d, f) for d, dirs, files in os.walk(directory)
            for f in files + dirs if f.endswith(".tmp") or ".alliances.tmp" in f]


@pytest.fixture
def data(tmp_path):
    dest = tmp_path / "data"
    shutil.copytree(default_data_dir(), dest)
    return dest


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "cache"


# -- another user ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def other_user():
    """A throwaway system user (created and removed here; root only)."""
    if not ROOT or shutil.which("useradd") is None:
        pytest.skip("another user needs root and useradd")
    name = f"allitest{os.getpid() % 100000}"
    r = subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/bin/false",
                        name], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"useradd failed: {r.stderr.decode()[:200]}")
    import pwd

    pw = pwd.getpwnam(name)
    try:
        yield pw.pw_uid, pw.pw_gid
    finally:
        subprocess.run(["userdel", name], capture_output=True)


@pytest.fixture
def shared():
    """A directory every user can reach (tmp_path is root's own)."""
    d = tempfile.mkdtemp(prefix="alliances-shared-")
    os.chmod(d, 0o755)
    yield Path(d)
    shutil.rmtree(d, ignore_errors=True)


def _poison(folder: Path, uid: int, gid: int) -> None:
    """Make `folder` a copy of a real cache whose names say PWNED, owned by `uid`."""
    for f in folder.iterdir():
        if f.suffix == ".json":
            f.write_bytes(f.read_bytes().replace(b"Serbia", b"PWNED"))
    for f in [folder, *folder.iterdir()]:
        os.chown(f, uid, gid)


def test_a_cache_root_of_another_user_is_never_read_even_while_swapped(other_user, shared,
                                                                        data):
    """The cache root belongs to another user, who swaps the per-data folder with a
    planted one of theirs (renameat2 RENAME_EXCHANGE in a loop) while queries run."""
    uid, gid = other_user
    root = shared / "cache"
    q = ("members", "CSTO", "--as-of", "2014", "--all", "-f", "plain", "--data", data)
    run(*q, cache=root, code=0)                      # ours: built and stored
    [ours] = [p for p in root.iterdir()]
    evil = root / "evil"
    shutil.copytree(ours, evil)
    _poison(evil, uid, gid)
    os.chown(root, uid, gid)
    python = next((p for p in ("/usr/bin/python3", "/usr/local/bin/python3")
                   if os.access(p, os.X_OK)), None)
    if python is None:
        pytest.skip("no interpreter the other user can run")
    swapper = subprocess.Popen([python, "-c", f"""
import ctypes, os, time
libc = ctypes.CDLL(None, use_errno=True)
end = time.time() + 20
while time.time() < end:
    libc.renameat2(-100, b"{ours}", -100, b"{evil}", 2)
"""], user=uid, group=gid)
    try:
        for _ in range(12):
            p = run(*q, cache=root, code=0)
            assert "Serbia" in plain(p) and "PWNED" not in plain(p)
            err = p.stderr.decode()
            assert "belongs to another user" in err and "not used" in err
    finally:
        swapper.kill()
        swapper.wait()


@pytest.mark.parametrize("how", ["others-can-write", "sticky-root-of-ours", "foreign-ancestor"])
def test_an_unsafe_cache_path_is_not_used(other_user, shared, data, how):
    uid, gid = other_user
    q = ("members", "CSTO", "--as-of", "2014", "--all", "-f", "plain", "--data", data)
    parent = shared / "home"
    parent.mkdir()
    root = parent / "cache"
    run(*q, cache=root, code=0)
    if how == "others-can-write":
        os.chmod(root, 0o777)
    elif how == "sticky-root-of-ours":
        os.chmod(root, 0o1777)   # sticky is fine above the cache root, not for it
    else:
        os.chown(parent, uid, gid)
    before = sorted(os.listdir(next(root.iterdir())))
    p = run(*q, cache=root, code=0)
    assert "Serbia" in plain(p)
    assert p.stderr.decode().count("not used") == 1
    assert sorted(os.listdir(next(root.iterdir()))) == before   # not written either


def test_root_adding_to_another_users_fact_base_keeps_their_ownership(other_user, data,
                                                                      tmp_path, cache):
    uid, gid = other_user
    sources = data / "sources" / "sources.yaml"
    os.chmod(sources, 0o600)
    for d, _dirs, files in os.walk(data):
        for f in [d, *[os.path.join(d, x) for x in files]]:
            os.chown(f, uid, gid)
    run("add-article", "-", "--id", "root-added", *ADD, "--data", data, stdin=ARTICLE,
        cache=cache, code=0)
    st = os.stat(sources)
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (uid, gid, 0o600)
    assert os.stat(data / "sources" / "root-added.txt").st_uid == uid


# -- concurrent writers ------------------------------------------------------------------
def test_concurrent_add_article_all_land(data, cache, tmp_path):
    n = 12
    r = run("check", "--data", data, "-f", "json", cache=cache, code=0)
    before = json.loads(r.stdout)["counts"]["sources"]
    procs = []
    for i in range(n):
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "alliances", "add-article", "-", "--id", f"conc-{i}", *ADD,
             "--data", str(data)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=env_for(cache)))
    for i, p in enumerate(procs):
        out, err = p.communicate(ARTICLE + f"number {i}\n".encode(), timeout=120)
        assert p.returncode == 0, err
    text = (data / "sources" / "sources.yaml").read_text("utf-8")
    assert all(f"  conc-{i}:" in text for i in range(n))
    r = run("check", "--data", data, "-f", "json", cache=cache, code=0)
    assert json.loads(r.stdout)["counts"]["sources"] == before + n
    assert stray(data) == []


def test_sources_yaml_keeps_its_bom_and_line_endings(data, cache):
    sources = data / "sources" / "sources.yaml"
    original = b"\xef\xbb\xbf" + sources.read_bytes().replace(b"\n", b"\r\n")
    sources.write_bytes(original)
    run("add-article", "-", "--id", "crlf", *ADD, "--data", data, stdin=ARTICLE, cache=cache,
        code=0)
    new = sources.read_bytes()
    assert new.startswith(original)
    added = new[len(original):]
    assert b"crlf:" in added and added.count(b"\r\n") == added.count(b"\n")
    run("check", "--data", data, cache=cache, code=0)


def test_a_symlinked_sources_yaml_gets_the_entry(data, cache):
    real = data / "sources" / "real-sources.yaml"
    link = data / "sources" / "sources.yaml"
    os.rename(link, real)
    os.symlink("real-sources.yaml", link)
    run("add-article", "-", "--id", "linked", *ADD, "--data", data, stdin=ARTICLE, cache=cache,
        code=0)
    assert link.is_symlink() and "linked:" in real.read_text("utf-8")


def test_an_over_long_id_is_one_line(data, cache):
    p = run("add-article", "-", "--id", "a" * 300, *ADD, "--data", data, stdin=ARTICLE,
            cache=cache, code=1)
    one_line(p, "--id")


# -- a full filesystem ---------------------------------------------------------------------
@pytest.fixture
def small_fs(tmp_path):
    if not ROOT or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    mnt = tmp_path / "small"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)],
                       capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.decode()[:200]}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def fill(mnt: Path, leave: int) -> Path:
    """Fill the filesystem but `leave` bytes (roughly)."""
    st = os.statvfs(mnt)
    free = st.f_bavail * st.f_frsize
    ballast = mnt / "ballast"
    with open(ballast, "wb") as fh:
        fh.write(b"\0" * max(0, free - leave))
    return ballast


def test_add_article_on_a_full_disk_changes_nothing_and_a_retry_works(small_fs, cache):
    data = small_fs / "data"
    shutil.copytree(default_data_dir(), data)
    before = {p: p.read_bytes() for p in (data / "sources").iterdir()}
    ballast = fill(small_fs, 8192)
    big = ARTICLE * 3000   # ~200 KB
    p = run("add-article", "-", "--id", "full", *ADD, "--data", data, stdin=big, cache=cache,
            code=1)
    one_line(p, "No space left")
    assert {p: p.read_bytes() for p in (data / "sources").iterdir()} == before
    assert stray(small_fs) == []
    ballast.unlink()
    run("add-article", "-", "--id", "full", *ADD, "--data", data, stdin=big, cache=cache, code=0)
    run("check", "--data", data, cache=cache, code=0)


def test_export_and_init_on_a_full_disk_leave_the_previous_state(small_fs, cache):
    out = small_fs / "facts.json"
    out.write_text("previous\n")
    ballast = fill(small_fs, 4096)
    p = run("export", out, "--force", cache=cache)
    assert p.returncode != 0
    one_line(p, "No space left")
    assert out.read_text() == "previous\n"
    p = run("init", small_fs / "new", cache=cache, code=1)
    one_line(p, "No space left")
    assert not (small_fs / "new").exists() and stray(small_fs) == []
    ballast.unlink()
    run("init", small_fs / "new", cache=cache, code=0)   # nothing half-written blocks it


# -- signals in the middle of every write ------------------------------------------------------
SLOW = """
import os, sys, time
from alliances.output import files
count = [0]
def ready():
    count[0] += 1
    if str(count[0]) == os.environ["SLOW_AT"]:
        sys.stderr.write("alliances-test: written, not yet in place\\n"); sys.stderr.flush()
        time.sleep(30)
files._ready = ready
from alliances.cli.core import main
sys.argv = ["alliances", *sys.argv[1:]]
main()
"""


def interrupted(args, cache, sig, at=1, stdin=None):
    """Run the CLI, stopped by `sig` in the middle of its `at`-th write (the temporary file
    written, not yet renamed into place)."""
    p = subprocess.Popen([sys.executable, "-c", SLOW, *map(str, args)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env_for(cache, SLOW_AT=at))
    if stdin is not None:
        p.stdin.write(stdin)
    p.stdin.close()
    seen = []

    def watch():
        for line in p.stderr:
            seen.append(line)

    t = threading.Thread(target=watch, daemon=True)
    t.start()
    deadline = time.time() + 60
    while not any(b"not yet in place" in s for s in seen):
        assert time.time() < deadline and p.poll() is None, b"".join(seen)
        time.sleep(0.02)
    p.send_signal(sig)
    p.wait(timeout=30)
    t.join(5)
    assert b"Traceback" not in b"".join(seen), b"".join(seen)
    return p.returncode


SIGNALS = [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGKILL, -9)]


@pytest.mark.parametrize("sig,code", SIGNALS)
def test_a_signal_during_export_leaves_the_old_file(tmp_path, cache, sig, code):
    out = tmp_path / "facts.json"
    out.write_text("previous\n")
    os.chmod(out, 0o600)
    assert interrupted(["export", out, "--force"], cache, sig) == code
    assert out.read_text() == "previous\n" and os.stat(out).st_mode & 0o777 == 0o600
    leftovers = stray(tmp_path / ".")
    assert leftovers == [] or sig == signal.SIGKILL
    run("export", out, "--force", cache=cache, code=0)   # the next write removes a leftover
    assert json.loads(out.read_text())["sources"] and stray(tmp_path) == []
    assert os.stat(out).st_mode & 0o777 == 0o600


def test_what_a_killed_sqlite_export_left_is_removed_by_the_next(tmp_path, cache):
    # killed in the middle of filling its temporary database, a writer leaves it and
    # sqlite's journal beside it; the next export of that file removes both
    out = tmp_path / "facts.sqlite"
    left = [tmp_path / ".facts.sqlite.0123456789ab.alliances.tmp",
            tmp_path / ".facts.sqlite.0123456789ab.alliances.tmp-journal"]
    for f in left:
        f.write_bytes(b"half")
    other = tmp_path / ".facts.sqlite.not-ours.alliances.tmp-journal"
    other.write_bytes(b"someone else's")
    run("export", out, cache=cache, code=0)
    assert not any(f.exists() for f in left) and other.exists()
    import sqlite3

    with sqlite3.connect(out) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.parametrize("sig,code", SIGNALS)
def test_a_signal_during_a_csv_directory_export_leaves_the_old_tables(tmp_path, data, cache,
                                                                      sig, code):
    out = tmp_path / "tables"
    run("export", out, "--format", "csv", "--data", data, cache=cache, code=0)
    before = {f: (out / f).read_bytes() for f in os.listdir(out)}
    blocs = data / "blocs.yaml"
    blocs.write_text(blocs.read_text("utf-8").replace("{name: Serbia}", "{name: Serbie}"),
                     "utf-8")
    assert interrupted(["export", out, "--format", "csv", "--force", "--data", data], cache,
                       sig) == code
    assert {f: (out / f).read_bytes() for f in os.listdir(out)} == before
    run("export", out, "--format", "csv", "--force", "--data", data, cache=cache, code=0)
    assert b"Serbie" in (out / "entities.csv").read_bytes() and stray(tmp_path) == []


@pytest.mark.parametrize("sig,code", SIGNALS)
def test_a_signal_during_add_article_loses_nothing(data, cache, sig, code):
    sources = data / "sources" / "sources.yaml"
    before = sources.read_bytes()
    # the second write: the article is in place, sources.yaml is not yet
    assert interrupted(["add-article", "-", "--id", "sig", *ADD, "--data", data], cache, sig,
                       at=2, stdin=ARTICLE) == code
    assert sources.read_bytes() == before
    if sig != signal.SIGKILL:
        assert not (data / "sources" / "sig.txt").exists() and stray(data) == []
    run("check", "--data", data, cache=cache, code=0)
    # a retry is not blocked by what a killed run left
    run("add-article", "-", "--id", "sig", *ADD, "--data", data, stdin=ARTICLE, cache=cache,
        code=0)
    assert stray(data) == []
    run("check", "--data", data, cache=cache, code=0)


@pytest.mark.parametrize("sig,code", SIGNALS[:2])
def test_a_signal_during_init_leaves_nothing(tmp_path, cache, sig, code):
    assert interrupted(["init", tmp_path / "new"], cache, sig) == code
    assert not (tmp_path / "new").exists() and stray(tmp_path) == []


# -- closed and full streams -----------------------------------------------------------------
Q = ("members", "CSTO", "--as-of", "2008", "-f", "plain")


def _closed(fd):
    return lambda: os.close(fd)


def test_closed_stdout_is_one_line_exit_1(cache):
    p = subprocess.run([sys.executable, "-m", "alliances", *Q], stderr=subprocess.PIPE,
                       preexec_fn=_closed(1), env=env_for(cache), timeout=60)
    assert p.returncode == 1
    assert p.stderr.decode().strip() == ("alliances: error: cannot write standard output: Bad "
                                         "file descriptor")


def test_full_stdout_is_one_line_exit_1(cache):
    with open("/dev/full", "wb") as full:
        for args in (Q, ("export", "-"), ("--help",)):
            p = subprocess.run([sys.executable, "-m", "alliances", *args], stdout=full,
                               stderr=subprocess.PIPE, env=env_for(cache), timeout=60)
            assert p.returncode == 1, (args, p.stderr)
            assert p.stderr.decode().strip() == ("alliances: error: cannot write standard "
                                                 "output: No space left on device"), args


def test_closed_stderr_keeps_a_complete_answer_exit_0(cache):
    p = subprocess.run([sys.executable, "-m", "alliances", "members", "CSTO", "-f", "plain"],
                       stdout=subprocess.PIPE, preexec_fn=_closed(2), env=env_for(cache),
                       timeout=60)
    assert p.returncode == 0 and b"Russia" in p.stdout   # the note it could not show is lost


@pytest.mark.parametrize("args", [("members", "-", "-f", "plain"),
                                  ("add-article", "-", "--id", "x", *ADD)])
def test_closed_stdin_is_one_line(args, data, cache):
    extra = ("--data", str(data)) if args[0] == "add-article" else ()
    p = subprocess.run([sys.executable, "-m", "alliances", *args, *extra],
                       capture_output=True, preexec_fn=_closed(0), env=env_for(cache),
                       timeout=60)
    assert p.returncode == 1
    assert b"Traceback" not in p.stderr
    one_line(p, "standard input", "closed")


@pytest.mark.parametrize("fmt", ["table", "tsv", "json"])
def test_a_closed_pipe_exits_141_in_every_format(cache, fmt):
    p = subprocess.Popen([sys.executable, "-m", "alliances", "members", "-", "--all", "-f", fmt],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env_for(cache, FORCE_COLOR=1))
    threading.Thread(target=lambda: (p.stdin.write(b"CSTO\nSCO\n" * 150), p.stdin.close()),
                     daemon=True).start()
    p.stdout.read(5)
    p.stdout.close()
    err = p.stderr.read()
    assert p.wait(timeout=60) == 141 and err == b""


# -- bounded work ------------------------------------------------------------------------------
def test_endless_inputs_are_refused_at_the_limit(data, cache):
    small = {"ALLIANCES_MAX_YAML_BYTES": 100000, "ALLIANCES_MAX_INPUT_BYTES": 100000}
    with open("/dev/zero", "rb") as zero:
        for args in (("crosscheck", "/dev/zero"), ("members", "-"),
                     ("add-article", "-", "--id", "z", *ADD, "--data", data)):
            t = time.time()
            p = subprocess.run([sys.executable, "-m", "alliances", *map(str, args)],
                               stdin=zero, capture_output=True, env=env_for(cache, **small),
                               timeout=60)
            assert p.returncode == 1, (args, p.stderr)
            one_line(p)
            assert time.time() - t < 20
    assert not (data / "sources" / "z.txt").exists()


def test_a_huge_size_limit_does_not_overflow(cache):
    p = run(*Q, cache=cache, env={"ALLIANCES_MAX_YAML_BYTES": "9" * 20}, code=0)
    assert "Russia" in plain(p)
    p = run(*Q, cache=cache, env={"ALLIANCES_MAX_YAML_BYTES": "-5", "ALLIANCES_NO_CACHE": 1},
            code=1)
    one_line(p, "ALLIANCES_MAX_YAML_BYTES")


def test_the_nearest_passage_search_is_linear(data, cache):
    """A 1 MB article and an unmatched 20 KB quote: check reports it in seconds."""
    import random

    rnd = random.Random(7)
    words = ["treaty", "member", "states", "alliance", "security", "summit", "Moscow"]
    article = " ".join(rnd.choice(words) for _ in range(150_000)).encode()[:1_000_000]
    (data / "sources" / "reuters-2008.txt").write_bytes(article)
    blocs = data / "blocs.yaml"
    text = blocs.read_text("utf-8")
    quote = " ".join(rnd.choice(words[::-1]) + "x" for _ in range(2500))[:20_000]
    text = text.replace('quote: "', f'quote: "{quote} ', 1)
    blocs.write_text(text, "utf-8")
    t = time.time()
    p = run("check", "--data", data, cache=cache, code=1, timeout=120)
    assert time.time() - t < 30
    assert b"nearest passage" in p.stdout + p.stderr


# -- stale or mixed answers ----------------------------------------------------------------------
def test_an_upgrade_is_a_new_cache_key(tmp_path, data, cache):
    """Two builds of the package, differing in one line, sharing one cache directory: each
    answers as its own `check` would."""
    builds = {}
    for name in ("a", "b"):
        dest = tmp_path / f"build-{name}" / "alliances"
        shutil.copytree(PACKAGE, dest, ignore=shutil.ignore_patterns("__pycache__"))
        builds[name] = dest.parent
    verify = builds["b"] / "alliances" / "facts" / "verify.py"
    src = verify.read_text("utf-8")
    line = "    problems.extend(_dates(fb))\n"
    assert line in src
    verify.write_text(src.replace(line, line + "    problems.append(DataError(BLOCS_FILE, 1, "
                                               "'rejected by build b'))\n"), "utf-8")

    def ask(build, *extra):
        return run(*Q, "--data", data, *extra, cache=cache,
                   env={"PYTHONPATH": builds[build]})

    assert ask("a", "--strict").returncode == 0          # a's cache, built and stored
    p = ask("b", "--strict")
    assert p.returncode == 1 and b"rejected by build b" in p.stderr
    assert ask("a", "--strict").returncode == 0
    p = ask("b")
    assert p.returncode == 0 and b"rejected by build b" in p.stderr


def test_a_long_run_answers_from_one_snapshot(data, cache):
    """`memberships -` outlives an edit that renames a state and adds a source, and the
    collection of old generations: it keeps answering from the data it started with."""
    p = subprocess.Popen([sys.executable, "-m", "alliances", "memberships", "-", "--all",
                          "-f", "json", "--data", str(data)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env_for(cache))
    p.stdin.write(b"Russia\n")
    p.stdin.flush()
    time.sleep(1.5)  # it answered Russia from the cache it built
    blocs = data / "blocs.yaml"
    blocs.write_text(blocs.read_text("utf-8").replace("{name: Serbia}", "{name: Serbie}"),
                     "utf-8")
    run("add-article", "-", "--id", "new-one", *ADD, "--data", data, stdin=ARTICLE, cache=cache,
        code=0)
    folder = next(cache.iterdir())
    old = time.time() - 3600
    for f in folder.iterdir():  # every old generation past its grace period
        os.utime(f, (old, old))
    run(*Q, "--data", data, cache=cache, code=0)   # a new generation, and a collection
    out, err = p.communicate(b"Serbia\nSerbie\n", timeout=60)
    assert b"Traceback" not in err and b"KeyError" not in err
    text = out.decode()
    assert '"query": "Serbia"' in text          # the old name, from the old snapshot
    assert '"query": "Serbie"' not in text       # the new one is unknown to it
    assert p.returncode == 1 and err.count(b"alliances: error") == 1


def test_a_restored_article_stops_the_warning(data, cache):
    article = data / "sources" / "rferl-2008.txt"
    saved = article.read_bytes()
    article.unlink()
    p = run(*Q, "--data", data, cache=cache, code=0)
    assert b"file not found" in p.stderr
    run(*Q, "--data", data, "--strict", cache=cache, code=1)
    article.write_bytes(saved)
    p = run(*Q, "--data", data, "--strict", cache=cache, code=0)
    assert b"warning" not in p.stderr
    p = run(*Q, "--data", data, cache=cache, code=0)
    assert b"warning" not in p.stderr


@pytest.mark.parametrize("text", ["", "# saving...\n", "\n\n  \n"])
def test_an_empty_blocs_yaml_is_an_error_not_an_empty_fact_base(data, cache, text):
    (data / "blocs.yaml").write_text(text, "utf-8")
    p = run(*Q, "--data", data, cache=cache, code=1)
    one_line(p, "blocs.yaml:1", "schema")


# -- planted symlinks and paths --------------------------------------------------------------------
def test_export_refuses_a_dangling_symlink(tmp_path, cache):
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    link = tmp_path / "out.json"
    os.symlink(private / "created.json", link)
    p = run("export", link, cache=cache)
    assert p.returncode != 0
    one_line(p, "symlink", "does not exist")
    assert not (private / "created.json").exists() and link.is_symlink()


def test_export_refuses_another_users_symlink(other_user, shared, cache):
    uid, gid = other_user
    os.chmod(shared, 0o1777)
    victim = shared / "victim"
    victim.write_text("root's\n")
    link = shared / "out.json"
    os.symlink(victim, link)
    os.lchown(link, uid, gid)
    p = run("export", link, "--force", cache=cache)
    assert p.returncode != 0
    one_line(p, "belongs to another user")
    assert victim.read_text() == "root's\n"


def test_export_through_ones_own_symlink_updates_its_target(tmp_path, cache):
    real = tmp_path / "real.json"
    real.write_text("old\n")
    os.chmod(real, 0o600)
    link = tmp_path / "link.json"
    os.symlink("real.json", link)
    run("export", link, "--force", cache=cache, code=0)
    assert link.is_symlink() and json.loads(real.read_text())["sources"]
    assert os.stat(real).st_mode & 0o777 == 0o600


def test_data_link_dotdot_is_resolved_as_the_kernel_does(tmp_path, data, cache):
    """LINK/../X is X beside LINK's target (what `ls LINK/../X` shows), not beside LINK."""
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (tmp_path / "L").symlink_to(deep)
    shutil.copytree(data, tmp_path / "a" / "X")
    shutil.copytree(data, tmp_path / "X")
    blocs = tmp_path / "a" / "X" / "blocs.yaml"
    blocs.write_text(blocs.read_text("utf-8").replace("{name: Serbia}", "{name: Kernel}"),
                     "utf-8")
    p = run("members", "CSTO", "--as-of", "2014", "--all", "-f", "plain", "--data",
            f"{tmp_path}/L/../X", cache=cache, code=0)
    assert "Kernel" in plain(p)


def test_init_problems_are_one_line(tmp_path, cache):
    os.symlink(tmp_path / "nowhere", tmp_path / "dangling")
    one_line(run("init", tmp_path / "dangling", cache=cache, code=1), "symlink")
    (tmp_path / "file").write_text("x")
    one_line(run("init", tmp_path / "file" / "sub", cache=cache, code=1))
    p = subprocess.run([sys.executable, "-m", "alliances", "init",
                        os.fsencode(str(tmp_path)) + b"/\xff-dir"], capture_output=True,
                       env=env_for(cache), timeout=60)
    assert b"Traceback" not in p.stderr
    assert p.returncode in (0, 1)


def test_cache_files_are_json_and_nothing_in_them_runs(data, cache):
    run(*Q, "--data", data, cache=cache, code=0)
    folder = next(cache.iterdir())
    for f in folder.iterdir():
        if f.suffix == ".json":
            for line in f.read_bytes().split(b"\n"):
                json.loads(line)
    assert not any(f.suffix == ".pickle" for f in folder.iterdir())
    digest = hashlib.sha256((data / "blocs.yaml").read_bytes()).hexdigest()
    assert digest  # the data untouched by the cache


def test_a_snapshot_whose_shards_vanished_is_rebuilt_only_from_the_same_data(data, cache,
                                                                             monkeypatch):
    """Shards deleted by hand under a running reader: rebuilt when the data files are the
    ones its index was built from; else one clear error, never an answer from two."""
    from alliances.facts import cache as c
    from alliances.facts.load import DataError
    from alliances.facts.store import build_verified

    monkeypatch.setenv("ALLIANCES_CACHE_DIR", str(cache))
    d = os.path.realpath(data)
    c.cached(d, lambda: build_verified(d))                # stored
    fb = c.cached(d, lambda: build_verified(d))           # served from it
    assert isinstance(fb, c.CachedFactBase)
    expected = {s.subject for s in build_verified(d).for_objects(["csto"])}

    def wipe():
        for f in Path(c.folder(d)).glob("*-*.json"):
            f.unlink()

    wipe()
    assert {s.subject for s in fb.for_objects(["csto"])} == expected   # same data: rebuilt
    fb2 = c.cached(d, lambda: build_verified(d))
    wipe()
    blocs = data / "blocs.yaml"
    blocs.write_text(blocs.read_text("utf-8") + "\n# edited\n", "utf-8")
    with pytest.raises(DataError, match="changed during this run"):
        fb2.for_objects(["sco"])

"""Writing a user's files: locked, atomic, with the target's owner and mode, never through
a symlink this module did not resolve itself. Every command that writes a user's file
(init, add-article, apply, export, chart -o, --metadata) goes through here.

    from alliances.output.files import WriteError, locked, replace_file, replace_dir

    replace_file("out.json", text)                      # str (UTF-8) or bytes
    replace_file("out.csv", lambda fh: fh.write(...))   # a writer given a text file
    replace_file("x.bin", writer, mode="binary")        # ... a binary file
    replace_file("x.sqlite", writer, mode="path")       # ... the temporary file's path
    replace_file(path, data, expect_exists=True)        # refuse if missing (False: if there)

    with locked(data_dir):          # a read-modify-write: read under the same lock
        old = open(path, "rb").read()
        replace_file(path, old + entry, expect_exists=True)

    replace_dir("tables/", fill)    # fill(tmp_dir_path) writes the files; DIR replaced whole

What replace_file promises:
- A lock: fcntl.flock on the directory that holds the target (no lock file is left
  behind), held for the write; `locked(dir)` holds it across a read-modify-write, and
  replace_file inside it does not take it twice. Waits up to ALLIANCES_LOCK_TIMEOUT
  seconds (default 30), then refuses in one line.
- The directory reached through checked handles, as the cache's (facts/cache.py): opened
  from / one component at a time with O_DIRECTORY | O_NOFOLLOW, each fstat-ed as it is
  opened, with OpenSSH's safe_path rule: every directory is the user's or root's and no
  one else can write it, except a root-owned sticky one such as /tmp (root may also write
  into another user's directory: the file is then that user's). A symlink on the way (in
  the directory part or at the target) is read here, never by the kernel, and followed
  only when it is the user's or root's, to where it leads, walked with the same checks; at
  the target it must lead to an existing file (a dangling link is refused), and the link
  itself is kept. Every step below goes through that handle, so nothing can be swapped in
  between. A name another user made in a directory others can write is refused, even to
  root; an existing target that is not a regular file (a FIFO, socket, device) is refused
  (export.py writes the process's own standard output as "-" before it gets here).
- A temporary file `.NAME.<random>.alliances.tmp` beside the target, created O_EXCL |
  O_NOFOLLOW 0600, given the target's mode and owner (a new file: 0666 less the umask; made
  by root in another user's directory, that user's), written, fsync-ed, renamed into place
  (with expect_exists=False, linked into place, so an existing file is never replaced), and
  the directory fsync-ed.
- On any error, Ctrl-C, SIGTERM or SIGHUP the previous state is intact and the temporary
  file removed (undone_on_signals() lets a caller make two writes one transaction, as
  add-article does). SIGKILL or a power cut leaves at most a temporary file: the next
  write in that directory, under its lock, removes every one left there, whatever its
  name (leftovers() lists them, for `check`).
What it does not promise: protection from another program that ignores the lock, or from
someone who can already write the user's directories; a target whose owner the user
cannot give back (another user's file, unless run by root) is refused rather than taken
over. The kernel's fs.protected_symlinks / protected_fifos are not relied on: no link is
followed by the kernel and no existing non-regular file is opened.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import IO

_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
TMP_SUFFIX = ".alliances.tmp"


class WriteError(Exception):
    """A write refused or failed; the message is one line for the user, and nothing was
    changed."""


def _why(e: OSError) -> str:
    return e.strerror or str(e)


# -- resolving and opening: checked directory handles --------------------------------------
class _Unsafe(WriteError):
    pass


def _check_dir(st, walked: str, shown: str) -> bool:
    """OpenSSH's safe_path rule for one directory on a write's path, from its fstat: it is
    the user's or root's and no one else can write it, except a root-owned sticky directory
    such as /tmp (there no one else can rename or remove what the user owns). Root may
    also write into another user's directory (the new file is then that user's). Returns
    whether others may create names in it (a sticky shared directory)."""
    uid = os.geteuid()
    if st.st_uid not in (uid, 0) and uid != 0:
        raise _Unsafe(f"refusing to write {shown}: directory {walked} belongs to another user")
    if st.st_mode & 0o022:
        if st.st_uid == 0 and st.st_mode & stat.S_ISVTX:
            return True
        if not st.st_mode & 0o002 and _private_group(st.st_gid, st.st_uid):
            return False  # umask 002 with a group of the owner alone (Debian, Ubuntu)
        raise _Unsafe(f"refusing to write {shown}: directory {walked} can be written by "
                      "other users")
    return False


_PRIVATE: dict = {}


def _private_group(gid: int, owner: int) -> bool:
    """The owner's own group with no one else in it (a "user private group"): writable by
    that group is writable by the owner alone."""
    key = (gid, owner)
    if key not in _PRIVATE:
        try:
            import grp
            import pwd

            user = pwd.getpwuid(owner)
            group = grp.getgrgid(gid)
            others = [m for m in group.gr_mem if m != user.pw_name]
            _PRIVATE[key] = (user.pw_gid == gid and group.gr_name == user.pw_name
                             and not others and not any(
                                 p.pw_gid == gid and p.pw_uid != owner for p in pwd.getpwall()))
        except (ImportError, KeyError, OSError):
            _PRIVATE[key] = False
    return _PRIVATE[key]


def _trust_link(st, walked: str, shown: str) -> None:
    """A symlink on a write's path is followed only when it is the user's own or root's
    (and then where it leads is walked with the same checks)."""
    if st.st_uid not in (os.geteuid(), 0):
        raise _Unsafe(f"refusing to write through {shown}: {walked} is a symlink that "
                      "belongs to another user")


def _walk(fd: int, real: list[str], todo: list[str], shown: str, state: dict) -> int:
    """Open the directories named by `todo` below the handle `fd` (whose real path is
    `real`), one component at a time with O_DIRECTORY | O_NOFOLLOW, each checked as it is
    opened; a symlink met on the way is read here and followed only if trusted. Returns the
    last handle (`fd` is consumed; `real` is updated in place)."""
    todo = todo[::-1]
    try:
        while todo:
            part = todo.pop()
            if part in ("", "."):
                continue
            if part == "..":
                if real:
                    real.pop()
                    nxt = os.open("..", _DIR | _NOFOLLOW, dir_fd=fd)
                    os.close(fd)
                    fd = nxt
                    state["shared"] = _check_dir(os.fstat(fd), os.sep + os.sep.join(real),
                                                 shown)
                continue
            walked = os.sep + os.sep.join([*real, part])
            try:
                nxt = os.open(part, _DIR | _NOFOLLOW, dir_fd=fd)
            except OSError as e:
                if e.errno not in (errno.ELOOP, errno.ENOTDIR):
                    raise
                st = os.stat(part, dir_fd=fd, follow_symlinks=False)
                if not stat.S_ISLNK(st.st_mode):
                    raise
                _trust_link(st, walked, shown)
                state["links"] += 1
                if state["links"] > 40:  # as the kernel's own limit on links followed
                    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP)) from None
                target = os.readlink(part, dir_fd=fd)
                if target.startswith(os.sep):
                    nxt = os.open(os.sep, _DIR)
                    os.close(fd)
                    fd = nxt
                    del real[:]
                    _check_dir(os.fstat(fd), os.sep, shown)
                todo.extend(target.split(os.sep)[::-1])
                continue
            os.close(fd)
            fd = nxt
            real.append(part)
            state["shared"] = _check_dir(os.fstat(fd), walked, shown)
        return fd
    except BaseException:
        os.close(fd)
        raise


def _open_root(shown: str) -> int:
    fd = os.open(os.sep, _DIR)
    try:
        _check_dir(os.fstat(fd), os.sep, shown)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _absolute(path: str) -> str:
    full = os.path.expanduser(path)
    return full if os.path.isabs(full) else os.path.join(os.getcwd(), full)


def open_target(path: str) -> tuple[int, str, str, bool]:
    """(directory handle, its real path, name, shared) of the file to write at `path`: the
    directory reached through checked handles (see the module docstring), and a symlink at
    the name followed the same way when it is the user's or root's and leads to an existing
    file. `shared`: others can create names in that directory (a sticky /tmp). Raises
    WriteError."""
    try:
        full = _absolute(path)
        os.fsencode(full)
    except (OSError, ValueError) as e:
        raise WriteError(f"cannot write {path}: {e}") from None
    head, name = os.path.split(full)
    if name in ("", ".", ".."):
        raise WriteError(f"cannot write {path}: not a file name")
    state: dict = {"links": 0, "shared": False}
    real: list[str] = []
    try:
        fd = _walk(_open_root(path), real, head.split(os.sep), path, state)
    except WriteError:
        raise
    except OSError as e:
        if e.errno == errno.ENOENT:
            raise WriteError(f"cannot write {path}: directory {os.path.dirname(path) or '.'} "
                             "does not exist") from None
        raise WriteError(f"cannot write {path}: {_why(e)}") from None
    try:
        while True:
            try:
                st = os.stat(name, dir_fd=fd, follow_symlinks=False)
            except FileNotFoundError:
                if state["links"] and state.get("via"):
                    raise WriteError(f"refusing to write through {path}: it is a symlink to "
                                     f"{state['via']}, which does not exist") from None
                return fd, os.sep + os.sep.join(real), name, bool(state["shared"])
            if not stat.S_ISLNK(st.st_mode):
                return fd, os.sep + os.sep.join(real), name, bool(state["shared"])
            walked = os.sep + os.sep.join([*real, name])
            _trust_link(st, walked, path)
            state["links"] += 1
            if state["links"] > 40:
                raise WriteError(f"cannot write {path}: too many levels of symbolic links")
            target = os.readlink(name, dir_fd=fd)
            state["via"] = state.get("via") or target
            head, name = os.path.split(target)
            if name in ("", ".", ".."):
                raise WriteError(f"cannot write {path}: it is a symlink to {target}, which "
                                 "is not a file name")
            if target.startswith(os.sep):
                os.close(fd)
                fd = -1
                real = []
                fd = _open_root(path)
            fd = _walk(fd, real, head.split(os.sep), path, state)
    except BaseException as e:
        if fd >= 0:
            os.close(fd)
        if isinstance(e, OSError) and not isinstance(e, WriteError):
            if e.errno == errno.ENOENT:
                raise WriteError(f"refusing to write through {path}: it is a symlink to "
                                 f"{state.get('via')}, which does not exist") from None
            raise WriteError(f"cannot write {path}: {_why(e)}") from None
        raise


def resolve(path: str) -> tuple[str, str]:
    """(real directory, name) of the file to write at `path` (see open_target)."""
    fd, parent, name, _ = open_target(path)
    os.close(fd)
    return parent, name


def open_dir(directory: str) -> int:
    """A handle on the directory `directory`, every component checked as open_target
    checks the directories of a target. Raises WriteError, or OSError."""
    state: dict = {"links": 0, "shared": False}
    return _walk(_open_root(directory), [], _absolute(directory).split(os.sep), directory,
                 state)


_HELD: dict = {}  # (st_dev, st_ino) of the directories this process holds locked


def _timeout() -> float:
    raw = os.environ.get("ALLIANCES_LOCK_TIMEOUT", "").strip()
    try:
        value = float(raw) if raw else 30.0
    except ValueError:
        raise WriteError(f"ALLIANCES_LOCK_TIMEOUT: {raw[:40]!r} is not a number of "
                         "seconds") from None
    return min(max(value, 0.0), 86400.0) if value == value else 30.0


@contextmanager
def _flock(dfd: int, label: str):
    import fcntl
    import time

    st = os.fstat(dfd)
    key = (st.st_dev, st.st_ino)
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield True
        finally:
            _HELD[key] -= 1
        return
    deadline = time.monotonic() + _timeout()
    held = True
    while True:
        try:
            fcntl.flock(dfd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise WriteError(f"{label}: another alliances process is writing there "
                                 "(waited for its lock; try again)") from None
            time.sleep(0.01)
        except OSError:  # a filesystem without flock: go on without
            held = False
            break
    _HELD[key] = 1
    try:
        yield held
    finally:
        del _HELD[key]
        try:
            fcntl.flock(dfd, fcntl.LOCK_UN)
        except OSError:
            pass


@contextmanager
def locked(directory: str):
    """Hold the write lock of `directory` (a real directory path) for a read-modify-write;
    replace_file and replace_dir inside it do not lock it again."""
    try:
        dfd = open_dir(directory)
    except WriteError:
        raise
    except OSError as e:
        raise WriteError(f"cannot lock {directory}: {_why(e)}") from None
    try:
        with _flock(dfd, directory):
            yield
    finally:
        os.close(dfd)


# -- signals -----------------------------------------------------------------------------
class Interrupted(BaseException):
    """SIGTERM or SIGHUP during a write (the write is undone, then the process exits)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextmanager
def undone_on_signals():
    """SIGTERM and SIGHUP raise Interrupted while a write is under way (Ctrl-C already
    raises KeyboardInterrupt), so the cleanup runs; the old handlers come back after."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise Interrupted(signum)

    old = {}
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            try:
                old[sig] = signal.signal(sig, handler)
            except (OSError, ValueError):
                pass
    try:
        yield
    finally:
        for sig, h in old.items():
            signal.signal(sig, h)


@contextmanager
def signals_held():
    """SIGINT, SIGTERM and SIGHUP held back (delivered on leaving) while an undo runs, so
    a second signal cannot cut it short."""
    import signal

    sigs = {s for s in (getattr(signal, n, None) for n in ("SIGINT", "SIGTERM", "SIGHUP"))
            if s is not None}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    except (AttributeError, OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


# -- temporary files -----------------------------------------------------------------------
def _tmp_name(name: str) -> str:
    import secrets

    return f".{name}.{secrets.token_hex(6)}{TMP_SUFFIX}"


def _stale(entry: str, name: str | None) -> bool:
    """A writer's temporary name, `.NAME.<12 hex>.alliances.tmp` (or something named after
    one, a sqlite -journal), for any NAME, or for `name` alone when given."""
    end = entry.find(TMP_SUFFIX)
    if not entry.startswith(".") or end < 0:
        return False
    head = entry[:end]
    stem, _, token = head.rpartition(".")
    if len(token) != 12 or not all(c in "0123456789abcdef" for c in token) or len(stem) < 2:
        return False
    return name is None or stem == f".{name}"


def _remove_stale(dfd: int, name: str | None) -> None:
    """Temporary files a killed writer left in this directory, with what was named after
    them. Under the directory's lock no live writer of ours has one there, so every one
    is stale (name=None); where the filesystem has no lock, only those of this name."""
    try:
        names = os.listdir(dfd)
    except OSError:
        return
    for entry in names:
        if _stale(entry, name):
            _remove(dfd, entry)


def sweep(directory: str) -> None:
    """Remove what killed writers left in `directory`, if its lock is free now (a writer
    at work there holds it: then its own next write will do it). Never waits, never
    fails."""
    import fcntl

    try:
        dfd = open_dir(directory)
    except (OSError, WriteError):
        return
    try:
        fcntl.flock(dfd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        try:
            _remove_stale(dfd, None)
        finally:
            fcntl.flock(dfd, fcntl.LOCK_UN)
    except OSError:  # held by a writer at work, or no flock here: leave it
        pass
    finally:
        os.close(dfd)


def leftovers(directory: str) -> list[str]:
    """The temporary files a killed writer left in `directory` (for `check`)."""
    try:
        return sorted(e for e in os.listdir(directory) if _stale(e, None))
    except OSError:
        return []


def _remove_temporary(dfd: int, tmp: str) -> None:
    """A writer's temporary file or directory, and what was named after it: a writer
    given the temporary path (the sqlite export) may leave a `-journal` beside it."""
    try:
        names = os.listdir(dfd)
    except OSError:
        names = [tmp]
    for entry in names:
        if entry.startswith(tmp):
            _remove(dfd, entry)


def _rmtree_at(dfd: int, entry: str) -> None:
    """Remove a directory tree relative to a directory handle, never following a symlink
    (shutil.rmtree takes dir_fd only from Python 3.11; this works on 3.10 too)."""
    fd = os.open(entry, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=dfd)
    try:
        for name in os.listdir(fd):
            st = os.stat(name, dir_fd=fd, follow_symlinks=False)
            if stat.S_ISDIR(st.st_mode):
                _rmtree_at(fd, name)
            else:
                os.unlink(name, dir_fd=fd)
    finally:
        os.close(fd)
    os.rmdir(entry, dir_fd=dfd)


def _remove(dfd: int, entry: str) -> None:
    try:
        st = os.stat(entry, dir_fd=dfd, follow_symlinks=False)
        if stat.S_ISDIR(st.st_mode):
            _rmtree_at(dfd, entry)
        else:
            os.unlink(entry, dir_fd=dfd)
    except OSError:
        pass


def _ownership(dfd: int, existing) -> tuple[int, int] | None:
    """The (uid, gid) a new file must have, or None when it may be the user's own."""
    if existing is not None:
        return existing.st_uid, existing.st_gid
    if os.geteuid() == 0:
        d = os.fstat(dfd)
        if d.st_uid != 0:  # root writing into a user's directory: the user's file
            return d.st_uid, d.st_gid
    return None


def _give(fd: int, owner: tuple[int, int] | None, shown: str) -> None:
    if owner is None:
        return
    st = os.fstat(fd)
    if (st.st_uid, st.st_gid) == owner:
        return
    try:
        os.fchown(fd, *owner)
    except PermissionError:
        if owner[0] != st.st_uid:
            raise WriteError(f"cannot write {shown}: it belongs to uid {owner[0]}, and a "
                             "replacement could not keep that owner; left as it was") from None
        # our own file in a group we are not in: keep what we can


def _ready() -> None:
    """The moment a write is complete but not yet in place (a seam for the tests that
    interrupt writes there)."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_dir(dfd: int) -> None:
    try:
        os.fsync(dfd)
    except OSError:  # some filesystems refuse fsync on a directory
        pass


def replace_file(path: str, data, *, expect_exists: bool | None = None,
                 mode: str = "text") -> str:
    """Write `data` (str, bytes, or a writer called with the temporary file: a text file
    for mode="text", binary for "binary", its path for "path") to `path` atomically;
    returns the real path written. expect_exists=True refuses a missing target, False an
    existing one (never replaced, even by a racing writer). Raises WriteError."""
    with _target(path) as (dfd, parent, name, existing):
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            raise WriteError(f"cannot write {path}: it exists and is not a regular file")
        if expect_exists is True and existing is None:
            raise WriteError(f"cannot write {path}: it no longer exists")
        if expect_exists is False and existing is not None:
            raise WriteError(f"{path} already exists")
        _write(dfd, parent, name, data, existing, expect_exists, mode, path)
    return os.path.join(parent, name)


@contextmanager
def _target(path: str):
    """What every writer does first: open the directory the write goes into (by checked
    handles, so a planted or swapped path cannot redirect it), take its lock, clear what a
    killed writer left there, and see what is at the name now. Yields (dir fd, parent,
    name, its stat or None); an OSError inside becomes one WriteError saying the target is
    unchanged."""
    dfd, parent, name, shared = open_target(path)
    try:
        with _flock(dfd, path) as held, undone_on_signals():
            _remove_stale(dfd, None if held else name)
            try:
                existing = os.stat(name, dir_fd=dfd, follow_symlinks=False)
            except FileNotFoundError:
                existing = None
            if (shared and existing is not None and existing.st_uid != os.geteuid()):
                # a name another user made in a shared directory (/tmp) is theirs
                raise WriteError(f"refusing to write {path}: it belongs to another user, "
                                 "in a directory everyone can write")
            yield dfd, parent, name, existing
    except OSError as e:
        raise WriteError(f"cannot write {path}: {_why(e)} (left as it was)") from None
    finally:
        os.close(dfd)


def _at(dfd: int, parent: str, name: str) -> str:
    """A path to `name` in the directory held by `dfd` for a writer that needs one (sqlite,
    the csv tables): through the handle where the system has /proc, so a directory renamed
    or swapped meanwhile cannot redirect it."""
    proc = f"/proc/self/fd/{dfd}"
    return os.path.join(proc, name) if os.path.isdir(proc) else os.path.join(parent, name)


def _write(dfd, parent, name, data, existing, expect_exists, mode, shown) -> None:
    tmp = _tmp_name(name)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW |
                 getattr(os, "O_CLOEXEC", 0), 0o600, dir_fd=dfd)
    try:
        try:
            if isinstance(data, str):
                data = data.encode("utf-8")
            if isinstance(data, (bytes, bytearray, memoryview)):
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            elif mode == "path":
                data(_at(dfd, parent, tmp))
            else:
                fh: IO = (os.fdopen(os.dup(fd), "wb") if mode == "binary" else
                          os.fdopen(os.dup(fd), "w", encoding="utf-8", newline=""))
                with fh:
                    data(fh)
            os.fchmod(fd, existing.st_mode & 0o7777 if existing is not None
                      else 0o666 & ~_umask())
            _give(fd, _ownership(dfd, existing), shown)
            os.fsync(fd)
            _ready()
        finally:
            os.close(fd)
        if expect_exists is False:
            try:
                os.link(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd, follow_symlinks=False)
            except FileExistsError:
                raise WriteError(f"{shown} already exists") from None
            except OSError as e:
                if e.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                    raise
                os.rename(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)  # no hard links here
            else:
                os.unlink(tmp, dir_fd=dfd)
        else:
            os.rename(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
        _fsync_dir(dfd)
    except BaseException:
        _remove_temporary(dfd, tmp)
        raise


def _exchange(dfd: int, a: str, b: str) -> bool:
    """renameat2(RENAME_EXCHANGE): swap two names atomically (Linux 3.15+); False where
    the call is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    if fn(dfd, os.fsencode(a), dfd, os.fsencode(b), 2) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err))


def replace_dir(path: str, fill, *, expect_exists: bool | None = None,
                only: set | None = None) -> str:
    """Replace the directory at `path` as a whole: fill(tmp) writes its files into a new
    temporary directory beside it, which then takes its place in one exchange (or, where
    the system cannot exchange, two renames with no write in between). An existing
    directory may hold only names in `only` (when given): anything else in it would be
    lost, so that is refused. expect_exists=False refuses an existing non-empty one."""
    with _target(path) as (dfd, parent, name, existing):
        if existing is not None:
            if not stat.S_ISDIR(existing.st_mode):
                raise WriteError(f"{path} exists and is not a directory")
            held = os.open(name, _DIR | _NOFOLLOW, dir_fd=dfd)
            try:
                inside = os.listdir(held)
            finally:
                os.close(held)
            if expect_exists is False and inside:
                raise WriteError(f"{path}: directory is not empty")
            if only is not None:
                other = sorted(set(inside) - only)
                if other:
                    raise WriteError(f"{path} holds {other[0]!r}, which is not one of the "
                                     "files written there: give a new or empty directory")
        tmp = _tmp_name(name)
        os.mkdir(tmp, 0o700, dir_fd=dfd)
        try:
            fill(_at(dfd, parent, tmp))
            tfd = os.open(tmp, _DIR | _NOFOLLOW, dir_fd=dfd)
            try:
                for entry in os.listdir(tfd):
                    f = os.open(entry, os.O_RDONLY | _NOFOLLOW, dir_fd=tfd)
                    try:
                        os.fsync(f)
                    finally:
                        os.close(f)
                os.fchmod(tfd, existing.st_mode & 0o7777 if existing is not None
                          else 0o777 & ~_umask())
                owner = _ownership(dfd, existing)
                if owner is not None:
                    for entry in os.listdir(tfd):
                        os.chown(entry, *owner, dir_fd=tfd, follow_symlinks=False)
                    _give(tfd, owner, path)
                _fsync_dir(tfd)
            finally:
                os.close(tfd)
            _ready()
            if existing is None:
                os.rename(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
            elif _exchange(dfd, tmp, name):
                _remove(dfd, tmp)  # now the old directory
            else:
                old = _tmp_name(name)
                os.rename(name, old, src_dir_fd=dfd, dst_dir_fd=dfd)
                os.rename(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
                _remove(dfd, old)
            _fsync_dir(dfd)
        except BaseException:
            _remove_temporary(dfd, tmp)
            raise
    return os.path.join(parent, name)

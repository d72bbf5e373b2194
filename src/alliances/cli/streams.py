"""The standard streams: closed ones given /dev/null, standard output dropped when it
fails or its reader goes away, UTF-8 for the machine formats, standard input read one
bounded line at a time."""

from __future__ import annotations

import os
import sys

import typer


def _drop_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass
    sys.stdout = open(os.devnull, "w", encoding="utf-8")


def _pipe_closed() -> None:
    """The reader went away (`| head -1`): stop quietly, like a tool killed by SIGPIPE."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    raise typer.Exit(141)


MAX_LINE = 4096  # characters of one name on standard input


def stdin_lines():
    """Standard input line by line, each at most MAX_LINE characters (a stream without
    newlines, /dev/zero, is refused after that, not read for ever); DataError when it is
    closed, unreadable or not UTF-8."""
    from ..facts.load import DataError

    stdin = sys.stdin
    if stdin is None:
        raise DataError("standard input", 0, "is closed: pipe the names in, one per line")
    n = 0
    while True:
        try:
            line = stdin.readline(MAX_LINE + 1)
        except UnicodeDecodeError as e:
            raise DataError("standard input", n + 1, f"not valid UTF-8 ({e.reason})") from None
        except OSError as e:
            raise DataError("standard input", n + 1, f"cannot read: {e.strerror or e}") from None
        if not line:
            return
        n += 1
        if len(line) > MAX_LINE:
            raise DataError("standard input", n, f"line is over {MAX_LINE} characters: give "
                                                 "one name per line")
        yield line


def _utf8_stdout() -> None:
    """Machine formats are UTF-8 whatever the locale (as jq's are): a quote is never
    silently altered to fit an ASCII terminal."""
    enc = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    if enc != "utf8" and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.flush()
        sys.stdout.reconfigure(encoding="utf-8", errors="strict")


def _standard_streams() -> None:
    """A closed standard stream (`>&-`, `2>&-`, `<&-`) is given /dev/null on its descriptor,
    so that no file opened later lands on 0, 1 or 2. Python leaves the stream None: a
    closed stderr just stays silent (the answer is still complete, the exit still 0), a
    closed stdout fails the first write with EBADF (one line, exit 1), and a closed stdin
    is an error where input is read."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
            continue
        except OSError:
            pass
        try:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        except OSError:
            pass
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")
    if sys.stdout is None:
        sys.stdout = _Closed()


class _Closed:
    """Standard output that was closed: writing to it fails as writing to fd 1 did."""

    encoding = "utf-8"
    errors = "strict"

    def write(self, text):
        import errno

        raise OSError(errno.EBADF, "Bad file descriptor")

    def flush(self):
        pass

    def isatty(self):
        return False

    def fileno(self):
        return 1

    def reconfigure(self, **kw):
        pass


def _last_words(text: str) -> None:
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass

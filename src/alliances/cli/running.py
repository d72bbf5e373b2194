"""Running a command: load the fact base, run its body, and turn every error into one
line and an exit code (0 ok, even when empty; 1 a name or data problem; 2 a usage error;
130 Ctrl-C; 141 output pipe closed)."""

from __future__ import annotations

import os
import sys

import typer

from .options import _RUN, Output, UsageProblem
from .streams import _drop_stdout, _pipe_closed


def _fail(message: str, code: int) -> None:
    from ..output.render import clean

    sys.stderr.write(f"alliances: error: {clean(message)}\n")
    raise typer.Exit(code)


def run(body, data=None, needs_data: bool = True) -> None:
    """Load the fact base, run a command body, and turn every error into one line. `data`
    is the run's Output (the options bundle) or, for a command without it, --data."""
    from . import interrupt

    previous = interrupt.undoable()  # Ctrl-C now raises: a write under way is undone
    try:
        _run(body, data, needs_data)
    except KeyboardInterrupt:
        interrupt.restore(previous)  # a second Ctrl-C: at once, no second line
        interrupt.interrupted()
        raise typer.Exit(130) from None
    finally:
        interrupt.restore(previous)


def _run(body, data, needs_data: bool) -> None:
    from ..answers.asking import OptionError
    from ..answers.query import EmptyName, NameNotFound
    from ..facts.load import DataError

    try:
        if isinstance(data, Output):
            data.check()
            if data.strict:
                _RUN["strict"] = True
            data = data.data
        if needs_data:
            from ..facts.paths import resolve_data_dir
            from ..facts.store import load

            fb = load(resolve_data_dir(data))
            _unverified(fb, refuse=True)
            done = False
            try:
                body(fb)
                done = True
            except typer.Exit:
                done = True  # an answer written, with a name it did not know: exit 1
                raise
            finally:
                kept = sys.modules.get("alliances.answers.kept")
                if kept is not None:
                    if done:  # spells combined by a bulk command, for the next run
                        kept.save_all()
                    kept.forget()  # one run's store: never another run's (in-process calls)
            _unverified(fb)  # after the answer: an error reading the same file says it all
        else:
            body(None)
        sys.stdout.flush()
    except (UsageProblem, OptionError, EmptyName) as e:
        _fail(str(e), 2)
    except (DataError, NameNotFound) as e:
        _fail(str(e) if isinstance(e, DataError) else e.args[0], 1)
    except BrokenPipeError:
        _pipe_closed()
    except KeyboardInterrupt:
        raise
    except OSError as e:
        _output_failed(e)
    except Exception as e:
        from ..output.files import WriteError

        if isinstance(e, WriteError):
            _fail(str(e), 1)
        raise
    except BaseException as e:
        from ..output.files import Interrupted

        if isinstance(e, Interrupted):  # SIGTERM/SIGHUP during a write, undone: as killed
            raise typer.Exit(128 + e.signum) from None
        raise


def _unverified(fb, refuse: bool = False) -> None:
    """Data that `alliances check` would reject (a quote not in its article, an edited
    article): refuse before answering under --strict / ALLIANCES_STRICT=1, else warn in one
    line after the answer, naming the first failing fact. Verification ran when the cache
    was built (store.build_verified); this only reads what it found."""
    strict = _RUN["strict"] or os.environ.get("ALLIANCES_STRICT", "").lower() in (
        "1", "true", "yes")
    if not fb.problems or strict != refuse:
        return
    file, line, message = fb.problems[0]
    more = len(fb.problems) - 1
    count = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    if strict:
        from ..facts.load import DataError

        raise DataError(file, line, f"{message}{count}; refusing to answer from unverified "
                                    "data (--strict): run `alliances check`")
    from ..output.render import clean

    where = f"{file}:{line}" if line else file
    sys.stderr.write(clean(f"alliances: warning: unverified data: {where}: {message}{count}; "
                           "answering anyway (run `alliances check`; --strict refuses)") + "\n")


_OUTPUT_ERRORS = {5, 9, 27, 28, 122}  # EIO, EBADF, EFBIG, ENOSPC, EDQUOT


def _output_failed(e: OSError) -> None:
    """Standard output closed (>&-) or full (>/dev/full): one line, exit 1; what is still
    buffered is dropped so that the interpreter's last flush does not fail again."""
    _drop_stdout()
    what = ("cannot write standard output" if e.errno in _OUTPUT_ERRORS
            else (f"{e.filename}" if e.filename else "input/output error"))
    _fail(f"{what}: {e.strerror or e}", 1)

"""Ctrl-C at any moment: exit 130 and one line, never a traceback. The `alliances` script
(scripts/alliances) and `python -m alliances` call install() before anything heavy is
imported: from then until the command's own work starts, a Ctrl-C ends the run at once.
Only builtin modules are imported here (and alliances.cli's __init__ imports nothing), so
start-up is unchanged.

While a command body runs (cli/running.run), Ctrl-C raises KeyboardInterrupt instead, so
that a write under way is undone (output/files.py) before the exit code. The line is
written by the handler itself, when the signal lands, not by whoever catches the
exception: a Ctrl-C that is still pending as run() puts the immediate handler back is
raised from that call (signal.signal runs pending handlers first), outside run()'s `try`,
and typer turns a KeyboardInterrupt that reaches it into exit 130 without a word (issue
32: 130 and no line, about 1 run in 600 when the signal came in the run's last
milliseconds). cli/core._main then keeps the rule at the one exit point: exit 130 if and
only if the line was written.
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # (builtin; `signal` imports enum)
import os

_SAID: list = []


def _hold():
    """SIGINT held back (the mask before, to give to _release); None if it cannot be."""
    try:
        return _signal.pthread_sigmask(_signal.SIG_BLOCK, {_signal.SIGINT})
    except (AttributeError, OSError, ValueError):
        return None


def _release(old) -> None:
    if old is not None:
        try:
            _signal.pthread_sigmask(_signal.SIG_SETMASK, old)
        except (OSError, ValueError):
            pass


def interrupted() -> None:
    """The one line a Ctrl-C prints (once per process). SIGINT is held while the line is
    claimed and written, so a second Ctrl-C cannot land between the two (a handler run
    there would find it claimed and exit with no line); held back, it is delivered after."""
    old = _hold()
    try:
        if not _SAID:
            _SAID.append(True)
            try:
                os.write(2, b"alliances: interrupted\n")
            except OSError:
                pass
    finally:
        _release(old)


def said() -> bool:
    """Whether the line was written (the run then exits 130)."""
    return bool(_SAID)


def _at_once(signum, frame) -> None:
    interrupted()
    os._exit(130)


def _undoing(signum, frame) -> None:
    """While a command body runs: the line now, then KeyboardInterrupt, which undoes a
    write under way wherever it is raised, and ends in 130 wherever it is caught."""
    interrupted()
    raise KeyboardInterrupt


def install() -> None:
    """Ctrl-C ends the process at once (nothing is being written)."""
    try:
        _signal.signal(_signal.SIGINT, _at_once)
    except (ValueError, OSError):  # not the main thread
        pass


def undoable():
    """Ctrl-C raises KeyboardInterrupt (after its line) while a command body runs, when the
    console script installed the immediate handler; returns what to restore (None:
    nothing changed)."""
    try:
        if _signal.getsignal(_signal.SIGINT) is _at_once:
            _signal.signal(_signal.SIGINT, _undoing)
            return _at_once
    except (ValueError, OSError):
        pass
    return None


def restore(previous) -> None:
    """The handler from before undoable(). A Ctrl-C still pending is handled first, by the
    body's handler: its line, and KeyboardInterrupt from this call."""
    if previous is not None:
        try:
            _signal.signal(_signal.SIGINT, previous)
        except (ValueError, OSError):
            pass

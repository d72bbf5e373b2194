"""Ctrl-C at any moment: exit 130 and one line, never a traceback. The `alliances` script
(scripts/alliances) and `python -m alliances` call install() before anything heavy is
imported: from then until the command's own work starts, a Ctrl-C ends the run at once.
Only builtin modules are imported here (and alliances.cli's __init__ imports nothing), so
start-up is unchanged.

While a command body runs (cli/core.run), Ctrl-C raises KeyboardInterrupt instead, so that
a write under way is undone (output/files.py) before the same line and exit code.
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # (builtin; `signal` imports enum)
import os

_SAID: list = []


def interrupted() -> None:
    """The one line a Ctrl-C prints (once per process)."""
    if not _SAID:
        _SAID.append(True)
        try:
            os.write(2, b"alliances: interrupted\n")
        except OSError:
            pass


def _at_once(signum, frame) -> None:
    interrupted()
    os._exit(130)


def install() -> None:
    """Ctrl-C ends the process at once (nothing is being written)."""
    try:
        _signal.signal(_signal.SIGINT, _at_once)
    except (ValueError, OSError):  # not the main thread
        pass


def undoable():
    """Ctrl-C raises KeyboardInterrupt while a command body runs, when the console script
    installed the immediate handler; returns what to restore (None: nothing changed)."""
    try:
        if _signal.getsignal(_signal.SIGINT) is _at_once:
            _signal.signal(_signal.SIGINT, _signal.default_int_handler)
            return _at_once
    except (ValueError, OSError):
        pass
    return None


def restore(previous) -> None:
    if previous is not None:
        try:
            _signal.signal(_signal.SIGINT, previous)
        except (ValueError, OSError):
            pass

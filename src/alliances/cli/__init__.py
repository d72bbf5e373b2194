"""The `alliances` command line: thin commands over facts -> answers -> output.

core.py runs the program (which module registers each command, the process, the exit
code), with its jobs beside it: params.py (shared arguments and options), options.py (the
typer app and the options bundle), running.py (errors to exit codes), emitting.py
(answers on standard output), streams.py. Each other module registers one group of
commands, as the manual groups them. A run imports only the module of the command it runs
(core.COMMANDS); `app`, taken from here, is the whole app with every command registered,
in `--help` order.
"""

from __future__ import annotations

TYPE_CHECKING = False  # as typing's, without importing typing (and re) before Ctrl-C is handled
if TYPE_CHECKING:
    from .core import console, main

__all__ = ["app", "console", "main"]


def __getattr__(name: str):
    # Nothing is imported until asked for: the `alliances` script imports .interrupt
    # (to handle Ctrl-C) before typer and the app are loaded.
    if name == "app":
        from .core import load_commands

        return load_commands()
    if name in ("console", "main"):
        from . import core

        return getattr(core, name)
    raise AttributeError(name)

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

from .core import console, main

__all__ = ["app", "console", "main"]


def __getattr__(name: str):
    if name == "app":
        from .core import load_commands

        return load_commands()
    raise AttributeError(name)

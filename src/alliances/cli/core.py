"""The `alliances` program: which module registers each command, the one-command app a
run builds, and the process around it (streams, exit code).

Each command parses its arguments, asks answers/ (through answers/asking.py, as the Python
API does), hands the rows to output/render.py, and maps errors to exit codes; heavy
modules are imported inside commands so start-up stays near typer's own cost. The jobs
live beside this module: params.py (arguments, options, completion), options.py (the app,
the options bundle, registering a command), running.py (errors and exit codes),
emitting.py (answers on standard output), streams.py (the standard streams). The names the
command modules take from them are re-exported here.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from .. import __version__
from .emitting import ask_each, each, emit
from .options import (
    _FIELDS_OF,
    _RUN,
    Output,
    UsageProblem,
    _Command,
    _date,
    _filters,
    _periods,
    _short,
    _statuses,
    app,
    options,
    query,
)
from .params import (
    All,
    AllDates,
    AsOf,
    BlocArg,
    Data,
    EachYear,
    EntityArg,
    Fmt,
    KnownAt,
    NoColor,
    OneSource,
    PairBloc,
    PairState,
    RecStatus,
    StateArg,
    Status,
    Strict,
    _choices,
    _complete,
)
from .running import _fail, run
from .streams import (
    MAX_LINE,
    _drop_stdout,
    _last_words,
    _standard_streams,
    _utf8_stdout,
    stdin_lines,
)


def _version(value: bool):
    if value:
        typer.echo(f"alliances {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
):
    """Cited answers about military and political blocs."""


# -- commands ------------------------------------------------------------------------
# The module beside this one that registers each command (and alias), in the order
# `alliances --help` lists them: `alliances members ...` imports questions.py alone.
# tests/test_layers.py holds it to what the modules register.
COMMANDS = {
    **dict.fromkeys(("members", "recognizes", "recognises", "recognitions", "memberships",
                     "compare", "shared", "timeline", "changes", "explain", "crosscheck",
                     "disputes", "claims", "search"), "questions"),
    **dict.fromkeys(("blocs", "states", "sources", "source", "check"), "reference"),
    "chart": "charts",
    "export": "exports",
    **dict.fromkeys(("init", "add-article", "quote", "draft", "apply"), "curating"),
}


def load_commands(command: str | None = None) -> typer.Typer:
    """Register the commands of one command's module, or of every module (the whole app:
    --help, completion, an unknown command), and give the app."""
    import importlib

    for module in ([COMMANDS[command]] if command in COMMANDS
                   else dict.fromkeys(COMMANDS.values())):
        importlib.import_module(f"{__package__}.{module}")
    return app


def _only(command: str):
    """A one-command app for `alliances COMMAND ...`. Typer builds a click command for every
    registered command on each run; building just the one asked for keeps start-up at
    typer's own floor. Everything else (group help, --version, completion) uses `app`."""
    if command not in COMMANDS:
        return None
    load_commands(command)
    for info in app.registered_commands:
        name = info.name or info.callback.__name__.replace("_", "-")  # type: ignore[union-attr]
        if name == command:
            single = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False,
                                 add_completion=False,
                                 context_settings={"help_option_names": ["-h", "--help"],
                                                   "max_content_width": 100})
            single.registered_commands = [info]
            return single
    return None


def main() -> None:
    """Run the command line as a function: exits with SystemExit, as click does."""
    sys.exit(_main())


def console() -> None:
    """The `alliances` console script and `python -m alliances`: main(), then the process
    ends at once. The interpreter's teardown (freeing every module and object one by one)
    costs about as much as a query's own work (18 ms against 5 ms; docs/speed.md), and
    nothing needs it: every file the tool writes is closed (and synced) by the writer
    that wrote it, standard output and error are flushed here, and nothing registers an
    atexit hook or starts a thread.

    The cyclic garbage collector is off for the whole process (the command script and
    `python -m alliances` turn it off before their first import). A run builds objects
    that live to its end (the records, their spells, the rows) and frees the rest by
    reference counting; the collector's passes walk all that lives, more of it each
    time, and find almost nothing: at 1,000x they took half of `disputes` (48 s against
    28 s) and of 1,000 names (28 s against 15 s), and 3.5 ms of start-up, with the same
    peak memory (docs/speed.md). The library (alliances.open) leaves the collector to its
    caller, and pauses it only while it builds or checks a fact base or exports."""
    import gc

    gc.disable()
    code = _main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(code)


def _main() -> int:
    _standard_streams()
    for stream in (sys.stdout, sys.stderr):
        try:  # a terminal that cannot show ОДКБ gets \u escapes, not a traceback
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    argv = sys.argv[1:]
    single = None
    if argv and not any(k.endswith("_COMPLETE") for k in os.environ):
        single = _only(argv[0])
    code = 0
    try:
        if single is not None:
            single(args=argv[1:], prog_name=f"alliances {argv[0]}")
        else:  # also names the completion variable _ALLIANCES_COMPLETE
            load_commands()(prog_name="alliances")
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BrokenPipeError:
        code = 141
    except KeyboardInterrupt:
        code = 130  # its line: below
    except OSError as e:  # output that failed outside run() (help, usage, --version)
        code = 1
        _last_words(f"alliances: error: cannot write standard output: {e.strerror or e}\n")
    from . import interrupt

    # One rule at the one exit: 130 if and only if the line was written. Typer turns a
    # KeyboardInterrupt that reaches it (not run()'s) into exit 130 with no word; the
    # handler says the line when the signal lands, and this says it for any other.
    if code == 130 or interrupt.said():
        interrupt.interrupted()
        code = 130
    return _flushed(code)


def _flushed(code: int) -> int:
    """The exit code once standard output is flushed: 141 when the reader went away, 1
    (one line) when it is full or closed and the run had not failed already."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _drop_stdout()
        return code or 141
    except OSError as e:
        _drop_stdout()
        if code:
            return code
        _last_words(f"alliances: error: cannot write standard output: {e.strerror or e}\n")
        return 1
    except (AttributeError, ValueError):
        pass
    if code == 141:
        _drop_stdout()
    return code


__all__ = [  # what the command modules take from here
    "_FIELDS_OF", "_RUN", "MAX_LINE", "All", "AllDates", "AsOf", "BlocArg", "Data",
    "EachYear", "EntityArg", "Fmt", "KnownAt", "NoColor", "OneSource", "Output", "PairBloc",
    "PairState", "RecStatus", "StateArg", "Status", "Strict", "UsageProblem", "_Command",
    "_choices", "_complete", "_date", "_fail", "_filters", "_periods", "_short", "_statuses",
    "_utf8_stdout", "app", "ask_each", "console", "each", "emit", "load_commands", "main",
    "options", "query", "run", "stdin_lines",
]

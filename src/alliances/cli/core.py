"""The `alliances` app: shared options, running a command, errors and exit codes.

Each command parses its arguments, asks query.py, hands the rows to render.py, and maps
errors to exit codes (0 ok, even when empty; 1 a name or data problem, or a write refused
or failed; 2 a usage error; 130 Ctrl-C; 141 output pipe closed: docs/commands.md's table).
Heavy modules are imported inside commands so start-up stays near typer's own cost.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any, NamedTuple, cast

import typer

from .. import __version__

app = typer.Typer(
    name="alliances",
    help="Cited answers about military and political blocs and who recognises whom.\n\n"
    "Every row comes with the article and the exact sentence that states it.\n\n"
    "\b\nExamples:\n"
    "  alliances members CSTO --as-of 2008\n"
    "  alliances recognizes \"South Ossetia\" --all\n"
    "  alliances memberships Kyrgyzstan --as-of 2008 --format json\n"
    "  alliances compare CSTO SCO --as-of 2008\n"
    "  alliances check\n\n"
    "\b\nExit codes:\n"
    "  0    success, including an empty answer\n"
    "  1    a name or data problem (unknown name, bad data file, `check` found problems),\n"
    "       or a write refused or failed (nothing changed)\n"
    "  2    a usage error (bad option value, unknown option)\n"
    "  130  interrupted (Ctrl-C)\n"
    "  141  the reader of the output went away (`| head -1`)\n"
    "  143  terminated during a write, which was undone (129: SIGHUP)",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


_RUN = {"strict": False}


class _Command(typer.core.TyperCommand):
    """Usage lines as users know them from click and gh: `BLOC`, not typer's `{BLOC}`."""

    def invoke(self, ctx):
        # What this run's options decided, for run(): set on every invocation, so nothing
        # carries over between runs in one process (tests, docs/readme.py).
        _RUN["strict"] = bool(ctx.meta.get("alliances.strict"))
        return super().invoke(ctx)

    def collect_usage_pieces(self, ctx):
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p
                for p in super().collect_usage_pieces(ctx)]

    def format_epilog(self, ctx, formatter):
        kind = _FIELDS_OF.get(getattr(self.callback, "__name__", ""))
        if kind and "Fields (--fields" not in (self.epilog or ""):
            from ..output.fields import help_text

            self.epilog = f"{self.epilog}\n\n{help_text(kind)}" if self.epilog else help_text(kind)
        super().format_epilog(ctx, formatter)


class UsageProblem(Exception):
    """A bad option value: exit 2, like click's own usage errors."""


def _complete(kind: str):
    """Shell completion of names from the data (the --data given so far, if any)."""
    def complete(ctx: typer.Context, incomplete: str):
        try:
            from ..facts.paths import resolve_data_dir
            from ..facts.store import load

            fb = load(resolve_data_dir(ctx.params.get("data")))
        except Exception:  # completion must never print a traceback into the shell
            return []
        from ..facts.validate import fold

        if kind == "source":
            names = list(fb.sources)
        else:
            by_kind: dict[str, list[dict[str, Any]]] = {"bloc": [fb.blocs],
                                                         "entity": [fb.entities]}
            tables = by_kind.get(kind, [fb.blocs, fb.entities])
            names = [n for t in tables for item in t.values() for n in (item.name, *item.aliases)]
        # Names match case-insensitively: `odk` completes to ODKB, the name as the data
        # spells it. A name with control characters is never handed to the shell.
        return _for_shell([n for n in dict.fromkeys(names)
                           if n.isprintable() and fold(n).startswith(fold(incomplete))])

    return complete


class _Name(str):
    """A completion that matches what was typed case-insensitively: typer keeps only
    candidates that `startswith` the typed text, so this one answers for itself."""

    def startswith(self, prefix, *args):
        from ..facts.model import fold

        return fold(self).startswith(fold(prefix))


def _for_shell(words: list[str]) -> list[str]:
    """bash inserts a completion as typed text, so `South Ossetia` must come back as
    `South\\ Ossetia`, except inside an opened quote (`"Sou<Tab>`), where readline
    inserts it as it is and closes the quote (zsh and fish quote what they insert
    themselves)."""
    if not os.environ.get("_ALLIANCES_COMPLETE", "").endswith("bash"):
        return [_Name(w) for w in words]
    import re

    typed = os.environ.get("COMP_WORDS", "").split("\n")
    try:
        current = typed[int(os.environ.get("COMP_CWORD", ""))]
    except (ValueError, IndexError):
        current = ""
    if current[:1] in ("'", '"'):
        return [_Name(w) for w in words]
    return [_Name(re.sub(r"([^\w@%+=:,./-])", r"\\\1", w)) for w in words]


def _choices(kind: str, values: tuple = ()):
    """Completion of an option's allowed values (--format, --status, --basis, --panel), not
    file names."""
    given = values

    def complete(ctx: typer.Context, incomplete: str):
        if given:
            values = given
        elif kind == "format":
            from ..output.render import FORMATS as values
        elif kind == "basis":
            values = BASES
        else:
            from ..facts.model import MEMBERSHIP_STATUSES, NOT_LISTED, RECOGNITION_STATUSES

            values = ((*MEMBERSHIP_STATUSES, NOT_LISTED, "all") if kind == "status"
                      else (*RECOGNITION_STATUSES, "all"))
        return [v for v in values if v.startswith(incomplete.lower())]

    return complete


Fmt = Annotated[str | None, typer.Option(
    "--format", "-f", help="table | json | jsonl | csv | tsv | plain (plain: one line per row, "
    "the row's subject). Default: table on a terminal, tsv when piped.", metavar="FORMAT",
    autocompletion=_choices("format"))]
AsOf = Annotated[str | None, typer.Option(
    "--as-of", help="When the fact held: YYYY, YYYY-MM or YYYY-MM-DD (a year is the whole "
    "year), or an interval A..B (2005..2014, 2008-08..2008-09, ..2008). Default: the latest "
    "date the articles speak of.", metavar="DATE")]
EachYear = Annotated[bool, typer.Option(
    "--each-year", help="With an --as-of interval: answer each year apart, one row per "
    "state and year (a `year` field), as single-year questions would.")]
KnownAt = Annotated[str | None, typer.Option(
    "--known-at", help="Use only articles published on or before DATE.", metavar="DATE")]
OneSource = Annotated[str | None, typer.Option(
    "--source", help="Answer as this one article states it (a source id).", metavar="ID",
    autocompletion=_complete("source"))]


NoColor = Annotated[bool, typer.Option(
    "--no-color", help="No colour even on a terminal (also: NO_COLOR=1; FORCE_COLOR=1 "
    "forces colour when piped).")]
Data = Annotated[str | None, typer.Option(
    "--data", help="Data directory (default: $ALLIANCES_DATA, else the shipped data).",
    metavar="DIR")]
BlocArg = Annotated[str, typer.Argument(
    metavar="BLOC", help="Bloc name, alias or id (CSTO, ODKB, SCO...); '-' reads names from "
    "standard input, one per line, each answered as if asked alone.",
    autocompletion=_complete("bloc"), show_default=False)]
StateArg = Annotated[str, typer.Argument(
    metavar="STATE", help="State or entity name, alias or id; '-' reads names from standard "
    "input, one per line, each answered as if asked alone.",
    autocompletion=_complete("entity"), show_default=False)]


EntityArg = Annotated[str, typer.Argument(
    metavar="ENTITY", help="The recognised entity's name, alias or id (Abkhazia, \"South "
    "Ossetia\"); '-' reads names from standard input, one per line, each answered as if "
    "asked alone.", autocompletion=_complete("entity"), show_default=False)]
# compare and shared take two names on the command line (no '-')
PairBloc = Annotated[str, typer.Argument(
    metavar="BLOC", help="Bloc name, alias or id (CSTO, ODKB, SCO...).",
    autocompletion=_complete("bloc"), show_default=False)]
PairState = Annotated[str, typer.Argument(
    metavar="STATE", help="State name, alias or id.", autocompletion=_complete("entity"),
    show_default=False)]
AllDates = Annotated[str | None, typer.Option(
    "--as-of", help="When the fact held: YYYY, YYYY-MM or YYYY-MM-DD (a year is the whole "
    "year), or an interval A..B (2005..2014, ..2008). Default: every date the articles "
    "speak of.", metavar="DATE")]


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


# -- plumbing ------------------------------------------------------------------------
def _fail(message: str, code: int) -> None:
    from ..output.render import clean

    sys.stderr.write(f"alliances: error: {clean(message)}\n")
    raise typer.Exit(code)


def _date(value: str | None, option: str):
    if value is None:
        return None
    from ..facts.dates import DateError, parse_period

    try:
        return parse_period(value)
    except DateError as e:
        raise UsageProblem(f"invalid date for {option}: {e}") from None


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
            body(fb)
            _unverified(fb)  # after the answer: an error reading the same file says it all
        else:
            body(None)
        sys.stdout.flush()
    except (UsageProblem, EmptyName) as e:
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


_OUTPUT_ERRORS = {5, 9, 27, 28, 122}  # EIO, EBADF, EFBIG, ENOSPC, EDQUOT


def _output_failed(e: OSError) -> None:
    """Standard output closed (>&-) or full (>/dev/full): one line, exit 1; what is still
    buffered is dropped so that the interpreter's last flush does not fail again."""
    _drop_stdout()
    what = ("cannot write standard output" if e.errno in _OUTPUT_ERRORS
            else (f"{e.filename}" if e.filename else "input/output error"))
    _fail(f"{what}: {e.strerror or e}", 1)


def _drop_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass
    sys.stdout = open(os.devnull, "w", encoding="utf-8")


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


def _strict(ctx: typer.Context, value: bool) -> bool:
    if value:  # on the run's own context: nothing carries over to the next run in-process
        ctx.meta["alliances.strict"] = True
    return value


Strict = Annotated[bool, typer.Option(
    "--strict", help="Refuse to answer (exit 1) when the data fails `alliances check`, instead "
    "of warning (also: ALLIANCES_STRICT=1).", callback=_strict, expose_value=False)]


BASES = ("stated", "possible", "disputed")


class Output(NamedTuple):
    """One run's output options (the bundle every command shares): nothing is kept
    between runs, so an in-process caller (tests, docs/readme.py) starts afresh each time."""

    fmt: str | None = None
    fields: str | None = None
    basis: str | None = None
    color: bool = True
    strict: bool = False
    data: str | None = None
    formats: tuple = ()         # the formats this command takes (empty: the query formats)
    kind: str | None = None     # the row kind it emits (fields.py)

    def format(self) -> str:
        from ..output.render import FORMATS

        allowed = self.formats or FORMATS
        if self.fmt is None:
            if "text" in allowed:
                return "text"
            return "table" if sys.stdout.isatty() else "tsv"
        fmt = self.fmt.lower()
        if fmt not in allowed:
            raise UsageProblem(f"unknown format {self.fmt!r} for --format: use one of "
                               f"{', '.join(allowed)}")
        return fmt

    def bases(self) -> set[str] | None:
        if self.basis is None:
            return None
        wanted = {b.strip().lower() for b in self.basis.split(",") if b.strip()}
        bad = sorted(wanted - set(BASES)) or ([] if wanted else [self.basis])
        if bad:
            raise UsageProblem(f"unknown basis {bad[0]!r} for --basis: use {', '.join(BASES)}"
                               " (comma-separated)")
        return wanted

    def chosen(self, extra: tuple = ()) -> tuple | None:
        if self.fields is None:
            return None
        from ..output.fields import KINDS, FieldError, choose

        try:
            return choose(KINDS[cast(str, self.kind)], self.fields, extra)
        except FieldError as e:
            raise UsageProblem(str(e)) from None

    def check(self) -> None:
        """Every option value checked before any data is read: a usage error is exit 2."""
        self.format()
        self.bases()
        if self.kind and self.fields is not None:
            from ..output.fields import KINDS, FieldError, choose

            try:  # `year`, `query` too: whether the run gives them is known only later
                choose(KINDS[self.kind], self.fields, tuple(KINDS[self.kind].leading))
            except FieldError:
                self.chosen()  # the error, listing the fields every row has


def _option(name: str, formats: tuple, kind: str | None, fmt_help: str | None):
    """The typer annotation of one option of the bundle."""
    if name == "fmt":
        listed = " | ".join(formats) if formats else None
        return Annotated[str | None, typer.Option(
            "--format", "-f", metavar="FORMAT",
            help=fmt_help or (f"{listed}." if listed else Fmt.__metadata__[0].help),  # type: ignore[attr-defined]
            autocompletion=_choices("format", formats))]
    if name == "fields":
        return Annotated[str | None, typer.Option(
            "--fields", metavar="A,B,...", help="Only these fields, in this order, in every "
            "format (listed below; an unknown one is an error that lists them).",
            autocompletion=_fields_completion(kind))]
    if name == "basis":
        return Annotated[str | None, typer.Option(
            "--basis", metavar="BASIS", help="Only rows of this basis: stated, possible, "
            "disputed (comma-separate several).", autocompletion=_choices("basis"))]
    if name == "no_color":
        return NoColor
    if name == "strict":
        # (typing.Annotated keeps its metadata at run time; mypy sees only the type)
        return Annotated[bool, typer.Option(
            "--strict", help=Strict.__metadata__[0].help)]  # type: ignore[attr-defined]
    return Data


class _Bundled:
    """A command function with the options bundle added. typer reads its signature only
    when it builds the command, and main() builds just the one invoked: so the signature
    is made then, not when the module is imported (start-up stays at typer's floor)."""

    def __init__(self, f, names: list[str], formats: tuple, kind: str | None,
                 fmt_help: str | None):
        self.f, self.names, self.formats, self.kind, self.fmt_help = (
            f, names, formats, kind, fmt_help)
        self.__name__, self.__qualname__ = f.__name__, f.__qualname__
        self.__doc__, self.__module__ = f.__doc__, f.__module__
        self.__globals__ = f.__globals__
        self._sig = None

    def __call__(self, **kw):
        got = {n: kw.pop(n) for n in self.names}
        opts = Output(got.get("fmt"), got.get("fields"), got.get("basis"),
                      not got.get("no_color"), bool(got.get("strict")), got.get("data"),
                      self.formats, self.kind)
        return self.f(**kw, opts=opts)

    @property
    def __signature__(self):
        if self._sig is None:
            import inspect

            sig = inspect.signature(self.f, eval_str=True)
            own = [p for p in sig.parameters.values() if p.name != "opts"]
            defaults = {"no_color": False, "strict": False}
            added = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY,
                                       default=defaults.get(n),
                                       annotation=_option(n, self.formats, self.kind,
                                                          self.fmt_help))
                     for n in self.names]
            self._sig = sig.replace(parameters=[*own, *added])
        return self._sig

    @property
    def __annotations__(self):
        return {p.name: p.annotation for p in self.__signature__.parameters.values()}


def options(kind: str | None = None, *, formats: tuple = (), fields: bool = True,
            basis: bool = False, color: bool = True, strict: bool = True,
            fmt_help: str | None = None):
    """The options bundle (sqlite-utils' `output_options` is the model): adds --format,
    --fields, --basis, --no-color, --strict and --data to a command, and hands its function
    one `opts` (an Output) for the run instead."""
    names = ["fmt", *(["fields"] if fields and kind else []), *(["basis"] if basis else []),
             *(["no_color"] if color else []), *(["strict"] if strict else []), "data"]
    return lambda f: _Bundled(f, names, formats, kind, fmt_help)


_FIELDS_OF: dict[str, str] = {}  # command function -> the row kind whose fields --help lists


def query(kind: str | None, *, epilog: str | None = None, name: str | None = None,
          aliases: tuple = (), **bundle):
    """Register a command with the options bundle; its --help ends with its row kind's
    fields (declared in output/fields.py, read only when help is shown)."""
    def decorate(f):
        if kind and bundle.get("fields", True):
            _FIELDS_OF[f.__name__] = kind
        wrapped = options(kind, **bundle)(f)
        app.command(name, cls=_Command, epilog=epilog)(wrapped)
        for alias in aliases:
            app.command(alias, cls=_Command, epilog=epilog, hidden=True)(wrapped)
        return wrapped

    return decorate


def _fields_completion(kind: str | None):
    def complete(ctx: typer.Context, incomplete: str):
        from ..output.fields import KINDS

        if kind is None:
            return []
        done, _, last = incomplete.rpartition(",")
        head = done + "," if done else ""
        taken = set(done.split(","))
        return [head + f for f in KINDS[kind].fields
                if f.startswith(last) and f not in taken and f not in KINDS[kind].leading]

    return complete


def _pipe_closed() -> None:
    """The reader went away (`| head -1`): stop quietly, like a tool killed by SIGPIPE."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    raise typer.Exit(141)


def _periods(as_of: str | None, each_year: bool):
    """The --as-of period, or with --each-year the list of its years."""
    period = _date(as_of, "--as-of")
    if not each_year:
        return period, None
    if period is None:
        raise UsageProblem("--each-year needs --as-of with an interval, e.g. 2005..2014")
    from ..facts.dates import DateError, years

    try:
        return period, years(period)
    except DateError as e:
        raise UsageProblem(f"invalid date for --as-of: {e}") from None


def per_year(ask, periods):
    """One question asked for each year, in one process: each year's rows, as a single-year
    call gives them, with the year in front."""
    from ..answers.query import Answer

    rows, notes = [], []
    for p in periods:
        answer = ask(p)
        rows.extend({"year": int(p.label), **r} for r in answer.rows)
        notes.extend(f"{p.label}: {n}" for n in answer.notes)
    return Answer(rows, notes)


def ask_each(fb, name: str, kind: str, question, title, view: str, fmt: Output,
             as_of: str | None, each_year: bool) -> None:
    """The shape every name-taking query shares: resolve the name (or each name on stdin),
    ask the question for the --as-of period or, with --each-year, each of its years, and
    emit; `question(ident, period)` gives the Answer, `title(ident, period, answer)` the
    table's title."""
    from ..answers.query import resolve

    period, periods = _periods(as_of, each_year)

    def one(asked):
        ident = resolve(fb, asked, kind)
        if periods:
            answer = per_year(lambda p: question(ident, p), periods)
        else:
            answer = question(ident, period)
        return answer, title(ident, period, answer)

    each(name, one, view, fmt, ("year",) if periods else ())


def each(name: str, one, view: str, fmt: Output, extra: tuple = ()) -> None:
    """Answer one name, or with `-` every name on standard input (one per line) in this one
    process, each as if asked alone: its rows carry the name asked (`query`), a name the
    data does not know is an error line on stderr, and the exit is 1 at the end if any was."""
    if name != "-":
        answer, title = one(name)
        emit(answer, view, fmt, title, extra=extra)
        return
    from ..answers.query import Answer, EmptyName, NameNotFound
    from ..output.render import clean

    failed, notes = [], []

    def rows():
        for line in stdin_lines():
            asked = line.strip()
            if not asked:
                continue
            try:
                answer, _ = one(asked)
            except (NameNotFound, EmptyName) as e:
                sys.stderr.write(f"alliances: error: {clean(e.args[0])}\n")
                failed.append(asked)
                continue
            notes.extend(f"{asked}: {n}" for n in answer.notes)
            for row in answer.rows:
                yield {"query": asked, **row}

    emit(Answer(rows(), notes), view, fmt, "Names from standard input",
         extra=("query", *extra))
    if failed:
        raise typer.Exit(1)


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


def _by_basis(rows, wanted: set[str]):
    """--basis: the rows whose basis (either side's, for a pair) is one of those asked."""
    keys = ("basis", "basis_a", "basis_b", "basis_before", "basis_after")
    for r in rows:
        if any(r.get(k) in wanted for k in keys):
            yield r


def emit(answer, view: str, opts: Output, title: str = "", extra: tuple = ()) -> None:
    from ..output.render import clean, write

    fmt = opts.format()
    if fmt != "table":
        _utf8_stdout()
    rows = answer.rows
    unstated: dict = {}
    wanted = opts.bases()
    if wanted is not None:
        rows = _by_basis(rows, wanted)
    if fmt == "plain":
        # plain prints names only: say on stderr when some of them are not stated
        def counted(it):
            for row in it:
                basis = row.get("basis") if isinstance(row, dict) else None
                if basis not in (None, "stated"):
                    unstated[basis] = unstated.get(basis, 0) + 1
                yield row
        rows = counted(rows)
    count = write(rows, view, fmt, title=title, extra=extra, fields=opts.chosen(extra),
                  color=opts.color)
    sys.stdout.flush()
    for note in answer.notes:
        sys.stderr.write(f"note: {clean(note)}\n")
    if unstated:
        sys.stderr.write("note: not every line is stated: "
                         + ", ".join(f"{n} {b}" for b, n in sorted(unstated.items()))
                         + " (--basis stated keeps only the stated; --format json shows "
                           "each row's basis)\n")
    if not count and fmt == "table":
        sys.stderr.write("no rows\n")


def _filters(fb, source: str | None, known_at: str | None):
    from ..answers.query import Filters, resolve

    # an empty --source (an unset $SRC) is an error, never "every source"
    return Filters(resolve(fb, source, "source") if source is not None else None,
                   _date(known_at, "--known-at"))


def _statuses(status: list[str] | None, include_all: bool, relation: str = "membership"):
    """--status/--all as a set of statuses (None: the command's default, the full tie)."""
    from ..facts.model import MEMBERSHIP_STATUSES, NOT_LISTED, RECOGNITION_STATUSES

    if include_all:
        return {"all"}
    if not status:
        return None
    wanted = {s.strip() for item in status for s in item.split(",") if s.strip()}
    valid = (set(MEMBERSHIP_STATUSES) | {NOT_LISTED} if relation == "membership"
             else set(RECOGNITION_STATUSES)) | {"all"}
    bad = sorted(wanted - valid)
    if bad:
        raise UsageProblem(f"unknown status {bad[0]!r} for --status: use "
                           f"{', '.join(sorted(valid))}")
    return wanted


Status = Annotated[list[str] | None, typer.Option(
    "--status", help="Only these statuses (repeat or comma-separate): member, observer, "
    "associate, partner, aspirant, proposed, not-listed, former-member, non-member, all. "
    "Default: member.", metavar="STATUS", autocompletion=_choices("status"))]
RecStatus = Annotated[list[str] | None, typer.Option(
    "--status", help="Only these statuses (repeat or comma-separate): recognizes, "
    "does-not-recognize (an explicit refusal), not-yet (\"have yet to do so\"), all. "
    "Default: recognizes.", metavar="STATUS", autocompletion=_choices("recognition"))]
All = Annotated[bool, typer.Option("--all", help="Every status, not only the default.")]


def _short(fb, bloc: str) -> str:
    from ..facts.names import short_name

    return short_name(fb.blocs[bloc])


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


def main() -> None:
    """Run the command line as a function: exits with SystemExit, as click does."""
    sys.exit(_main())


def console() -> None:
    """The `alliances` console script and `python -m alliances`: main(), then the process
    ends at once. The interpreter's teardown (freeing every module and object one by one)
    costs about as much as a query's own work (18 ms against 5 ms; docs/speed.md), and
    nothing needs it: every file the tool writes is closed (and synced) by the writer
    that wrote it, standard output and error are flushed here, and nothing registers an
    atexit hook or starts a thread."""
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
        from . import interrupt

        interrupt.interrupted()
        code = 130
    except OSError as e:  # output that failed outside run() (help, usage, --version)
        code = 1
        _last_words(f"alliances: error: cannot write standard output: {e.strerror or e}\n")
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


def _last_words(text: str) -> None:
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass

"""The typer app and the options bundle every command takes (--format, --fields, --basis,
--no-color, --strict, --data: sqlite-utils' `output_options` is the model), how a command
is registered with it (`query`), and the question options' values (--as-of, --status,
--source/--known-at), read by answers/asking.py as the Python API reads them."""

from __future__ import annotations

import sys
from typing import Annotated, NamedTuple, cast

import typer

from .params import Data, Fmt, NoColor, Strict, _choices, _fields_completion

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
        from ..answers.asking import bases

        return bases(self.basis)

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


# -- the question options' values (answers/asking.py reads them, as the API does) -----
def _date(value: str | None, option: str):
    from ..answers.asking import period

    return period(value, option)


def _periods(as_of: str | None, each_year: bool):
    """The --as-of period, or with --each-year the list of its years."""
    from ..answers.asking import periods

    return periods(as_of, each_year)


def _filters(fb, source: str | None, known_at: str | None):
    from ..answers.asking import filters

    return filters(fb, source, known_at)


def _statuses(status: list[str] | None, include_all: bool, relation: str = "membership"):
    """--status/--all as a set of statuses (None: the command's default, the full tie)."""
    from ..answers.asking import statuses

    return statuses(status, include_all, relation)


def _short(fb, bloc: str) -> str:
    from ..facts.names import short_name

    return short_name(fb.blocs[bloc])

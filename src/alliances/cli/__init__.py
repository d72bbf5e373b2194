"""The `alliances` command line: thin commands over store -> query -> render.

Each command parses its arguments, asks query.py, hands the rows to render.py, and maps
errors to exit codes (0 ok, even when empty; 1 a name or data problem; 2 a usage error;
130 Ctrl-C; 141 output pipe closed). Heavy modules are imported inside commands so start-up
stays near typer's own cost.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Optional

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
    "  alliances check",
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


class UsageProblem(Exception):
    """A bad option value: exit 2, like click's own usage errors."""


def _complete(kind: str):
    """Shell completion of names from the data (the --data given so far, if any)."""
    def complete(ctx: typer.Context, incomplete: str):
        try:
            from ..facts.store import load
            from ..facts.paths import resolve_data_dir

            fb = load(resolve_data_dir(ctx.params.get("data")))
        except Exception:  # completion must never print a traceback into the shell
            return []
        from ..facts.validate import fold

        if kind == "source":
            names = list(fb.sources)
        else:
            tables = {"bloc": [fb.blocs], "entity": [fb.entities]}.get(
                kind, [fb.blocs, fb.entities])
            names = [n for t in tables for item in t.values() for n in (item.name, *item.aliases)]
        # Names match case-insensitively, but typer keeps only candidates that start with
        # exactly what was typed: so keep the typed prefix and complete the rest.
        k = len(incomplete)
        # A name with control characters is never handed to the shell.
        return _for_shell([incomplete + n[k:] for n in names
                           if n.isprintable() and fold(n[:k]) == fold(incomplete)])

    return complete


def _for_shell(words: list[str]) -> list[str]:
    """bash inserts a completion as typed text, so `South Ossetia` must come back as
    `South\\ Ossetia` (zsh and fish quote what they insert themselves)."""
    if not os.environ.get("_ALLIANCES_COMPLETE", "").endswith("bash"):
        return words
    import re

    return [re.sub(r"([^\w@%+=:,./-])", r"\\\1", w) for w in words]


def _choices(kind: str):
    """Completion of an option's allowed values (--format, --status), not file names."""
    def complete(ctx: typer.Context, incomplete: str):
        if kind == "format":
            from ..output.render import FORMATS as values
        else:
            from ..facts.model import MEMBERSHIP_STATUSES, NOT_LISTED, RECOGNITION_STATUSES

            values = ((*MEMBERSHIP_STATUSES, NOT_LISTED, "all") if kind == "status"
                      else (*RECOGNITION_STATUSES, "all"))
        return [v for v in values if v.startswith(incomplete.lower())]

    return complete


Fmt = Annotated[Optional[str], typer.Option(
    "--format", "-f", help="table | json | jsonl | csv | tsv | plain (plain: one line per row, "
    "the row's subject). Default: table on a terminal, tsv when piped.", metavar="FORMAT",
    autocompletion=_choices("format"))]
AsOf = Annotated[Optional[str], typer.Option(
    "--as-of", help="When the fact held: YYYY, YYYY-MM or YYYY-MM-DD (a year is the whole "
    "year), or an interval A..B (2005..2014, 2008-08..2008-09, ..2008). Default: the latest "
    "date the articles speak of.", metavar="DATE")]
EachYear = Annotated[bool, typer.Option(
    "--each-year", help="With an --as-of interval: answer each year apart, one row per "
    "state and year (a `year` field), as single-year questions would.")]
KnownAt = Annotated[Optional[str], typer.Option(
    "--known-at", help="Use only articles published on or before DATE.", metavar="DATE")]
OneSource = Annotated[Optional[str], typer.Option(
    "--source", help="Answer as this one article states it (a source id).", metavar="ID",
    autocompletion=_complete("source"))]


def _no_color(value: bool) -> None:
    if value:
        from ..output import render

        render.NO_COLOR = True  # as NO_COLOR=1, for this run only


NoColor = Annotated[bool, typer.Option(
    "--no-color", help="No colour even on a terminal (also: NO_COLOR=1; FORCE_COLOR=1 "
    "forces colour when piped).", callback=_no_color, expose_value=False)]
Data = Annotated[Optional[str], typer.Option(
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


def _format(fmt: str | None) -> str:
    from ..output.render import FORMATS

    if fmt is None:
        return "table" if sys.stdout.isatty() else "tsv"
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise UsageProblem(f"unknown format {fmt!r} for --format: use one of {', '.join(FORMATS)}")
    return fmt


def _date(value: str | None, option: str):
    if value is None:
        return None
    from ..facts.dates import DateError, parse_period

    try:
        return parse_period(value)
    except DateError as e:
        raise UsageProblem(f"invalid date for {option}: {e}") from None


def run(body, data: str | None = None, needs_data: bool = True) -> None:
    """Load the fact base, run a command body, and turn every error into one line."""
    from ..facts.load import DataError
    from ..answers.query import EmptyName, NameNotFound

    try:
        if needs_data:
            from ..facts.store import load
            from ..facts.paths import resolve_data_dir

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
        raise typer.Exit(130)


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


def ask_each(fb, name: str, kind: str, question, title, view: str, fmt: str | None,
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


def each(name: str, one, view: str, fmt: str | None, extra: tuple = ()) -> None:
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
        for line in sys.stdin:
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


def _utf8_stdout() -> None:
    """Machine formats are UTF-8 whatever the locale (as jq's are): a quote is never
    silently altered to fit an ASCII terminal."""
    enc = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    if enc != "utf8" and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.flush()
        sys.stdout.reconfigure(encoding="utf-8", errors="strict")


def emit(answer, view: str, fmt: str | None, title: str = "", extra: tuple = ()) -> None:
    from ..output.render import clean, write

    fmt = _format(fmt)
    if fmt != "table":
        _utf8_stdout()
    count = write(answer.rows, view, fmt, title=title, extra=extra)
    sys.stdout.flush()
    for note in answer.notes:
        sys.stderr.write(f"note: {clean(note)}\n")
    if not count and fmt == "table":
        sys.stderr.write("no rows\n")


def _filters(fb, source: str | None, known_at: str | None):
    from ..answers.query import Filters, resolve

    return Filters(resolve(fb, source, "source") if source else None,
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


Status = Annotated[Optional[list[str]], typer.Option(
    "--status", help="Only these statuses (repeat or comma-separate): member, observer, "
    "associate, partner, aspirant, proposed, not-listed, former-member, non-member, all. "
    "Default: member.", metavar="STATUS", autocompletion=_choices("status"))]
RecStatus = Annotated[Optional[list[str]], typer.Option(
    "--status", help="Only these statuses (repeat or comma-separate): recognizes, "
    "does-not-recognize (an explicit refusal), not-yet (\"have yet to do so\"), all. "
    "Default: recognizes.", metavar="STATUS", autocompletion=_choices("recognition"))]
All = Annotated[bool, typer.Option("--all", help="Every status, not only the default.")]


def _short(fb, bloc: str) -> str:
    b = fb.blocs[bloc]
    return b.aliases[0] if b.aliases else b.name


# -- commands ------------------------------------------------------------------------
@app.command(cls=_Command, epilog="With --format plain: one state per line, exactly the rows of the table.")
def members(
    bloc: BlocArg,
    as_of: AsOf = None,
    status: Status = None,
    include_all: All = False,
    each_year: EachYear = False,
    known_at: KnownAt = None, source: OneSource = None, fmt: Fmt = None, no_color: NoColor = False, strict: Strict = False, data: Data = None,
):
    """Who held which status in a bloc at a date, with citations.

    \b
    Examples:
      alliances members CSTO --as-of 2008
      alliances members ODKB --as-of 2014 --status observer
      alliances members csto --as-of 2008 --format plain | sort
    """
    def body(fb):
        from ..answers.query import members as q

        wanted, filters = _statuses(status, include_all), _filters(fb, source, known_at)

        def title(ident, period, answer):
            label = period.label if period else (answer.rows[0]["as_of"] if answer.rows
                                                 else "latest")
            return f"{_short(fb, ident)} as of {label}"

        ask_each(fb, bloc, "bloc", lambda ident, p: q(fb, ident, p, wanted, filters), title,
                 "members", fmt, as_of, each_year)

    run(body, data)


@app.command(cls=_Command, epilog="With --format plain: one state per line, exactly the rows of the table.")
def recognizes(
    entity: StateArg,
    as_of: AsOf = None,
    status: RecStatus = None,
    include_all: All = False,
    each_year: EachYear = False,
    known_at: KnownAt = None, source: OneSource = None, fmt: Fmt = None, no_color: NoColor = False, strict: Strict = False, data: Data = None,
):
    """States that recognise an entity (Abkhazia, South Ossetia), with date bounds.

    Without --as-of, everything the articles state, whatever its date.

    \b
    Examples:
      alliances recognizes "South Ossetia"
      alliances recognizes abkhazia --all --as-of 2008-09
      alliances recognizes "South Ossetia" --known-at 2008-09-04
    """
    def body(fb):
        from ..answers.query import recognizers

        wanted = _statuses(status, include_all, "recognition")
        filters = _filters(fb, source, known_at)
        ask_each(fb, entity, "entity",
                 lambda ident, p: recognizers(fb, ident, p, wanted, filters),
                 lambda ident, p, _: f"Recognition of {fb.name_of(ident)} "
                                     f"({p.label if p else 'all dates'})",
                 "recognizes", fmt, as_of, each_year)

    run(body, data)


# The README's own spelling works too.
app.command("recognises", hidden=True, cls=_Command)(recognizes)


@app.command(cls=_Command, epilog="With --format plain: one recognised entity per line, exactly the rows of the table.")
def recognitions(
    state: StateArg,
    as_of: AsOf = None,
    status: RecStatus = None,
    include_all: All = False,
    each_year: EachYear = False,
    known_at: KnownAt = None, source: OneSource = None, fmt: Fmt = None, no_color: NoColor = False, strict: Strict = False, data: Data = None,
):
    """What a state recognises (the other direction of `recognizes`), with date bounds.

    \b
    Examples:
      alliances recognitions Russia
      alliances recognitions Belarus --all --as-of 2008-09
    """
    def body(fb):
        from ..answers.query import recognitions as q

        wanted = _statuses(status, include_all, "recognition")
        filters = _filters(fb, source, known_at)
        ask_each(fb, state, "entity", lambda ident, p: q(fb, ident, p, wanted, filters),
                 lambda ident, p, _: f"Recognised by {fb.name_of(ident)} "
                                     f"({p.label if p else 'all dates'})",
                 "recognitions", fmt, as_of, each_year)

    run(body, data)


@app.command(cls=_Command, epilog="With --format plain: one bloc per line, exactly the rows of the table.")
def memberships(
    state: StateArg,
    as_of: AsOf = None,
    status: Status = None,
    include_all: All = False,
    each_year: EachYear = False,
    known_at: KnownAt = None, source: OneSource = None, fmt: Fmt = None, no_color: NoColor = False, strict: Strict = False, data: Data = None,
):
    """Every bloc a state belongs to (without --as-of: each bloc at its latest date).

    \b
    Examples:
      alliances memberships Kyrgyzstan --as-of 2008
      alliances memberships Georgia --all
    """
    def body(fb):
        from ..answers.query import memberships as q

        wanted, filters = _statuses(status, include_all), _filters(fb, source, known_at)
        ask_each(fb, state, "entity", lambda ident, p: q(fb, ident, p, wanted, filters),
                 lambda ident, p, _: f"{fb.name_of(ident)} as of "
                                     f"{p.label if p else 'the latest article about each bloc'}",
                 "memberships", fmt, as_of, each_year)

    run(body, data)


@app.command(cls=_Command, epilog="With --format plain: one state (the `in` field, in json/csv/tsv, says which side) per line, exactly the rows of the table.")
def compare(
    bloc_a: BlocArg, bloc_b: BlocArg, as_of: AsOf = None,
    status: Status = None, include_all: All = False,
    known_at: KnownAt = None, source: OneSource = None, fmt: Fmt = None, no_color: NoColor = False, strict: Strict = False, data: Data = None,
):
    """Members of both blocs, of the first only, of the second only.

    \b
    Example:
      alliances compare CSTO SCO --as-of 2008
    """
    def body(fb):
        from ..answers.query import compare as q, resolve

        a, b = resolve(fb, bloc_a, "bloc"), resolve(fb, bloc_b, "bloc")
        answer = q(fb, a, b, _date(as_of, "--as-of"), _filters(fb, source, known_at),
                   _statuses(status, include_all))
        when = answer.rows[0]["as_of"] if answer.rows else (as_of or "latest")
        emit(answer, "compare", fmt, f"{_short(fb, a)} vs {_short(fb, b)} as of {when}")

    run(body, data)


@app.command(cls=_Command, epilog="With --format plain: one bloc per line, exactly the rows of the table.")
def shared(
    state_a: StateArg, state_b: StateArg, as_of: AsOf = None,
    status: Status = None, include_all: All = False,
    known_at: KnownAt = None, source: OneSource = None, fmt: Fmt = None, no_color: NoColor = False, strict: Strict = False, data: Data = None,
):
    """The blocs two states both belong to, with each one's status (a dyadic view).

    \b
    Example:
      alliances shared Russia Kyrgyzstan --as-of 2008
    """
    def body(fb):
        from ..answers.query import resolve, shared as q

        a, b = resolve(fb, state_a, "entity"), resolve(fb, state_b, "entity")
        answer = q(fb, a, b, _date(as_of, "--as-of"), _filters(fb, source, known_at),
                   _statuses(status, include_all))
        emit(answer, "shared", fmt, f"{fb.name_of(a)} and {fb.name_of(b)}")

    run(body, data)


@app.command(cls=_Command, epilog="With --format plain: one event's date per line, exactly the rows of the table.")
def timeline(
    name: Annotated[str, typer.Argument(metavar="NAME", help="A bloc, state or entity ('-': "
                                        "names from standard input).", show_default=False,
                                        autocompletion=_complete("any"))],
    known_at: KnownAt = None, source: OneSource = None, fmt: Fmt = None, no_color: NoColor = False, strict: Strict = False, data: Data = None,
):
    """Every dated event for a bloc, a state or an entity, in date order.

    \b
    Examples:
      alliances timeline CSTO
      alliances timeline Georgia
    """
    def body(fb):
        from ..answers.query import resolve_any, timeline as q

        filters = _filters(fb, source, known_at)

        def one(asked):
            kind, ident = resolve_any(fb, asked)
            return q(fb, kind, ident, filters), f"Timeline of {fb.name_of(ident)}"

        each(name, one, "timeline", fmt)

    run(body, data)


@app.command(cls=_Command, epilog="With --format plain: one state per line, exactly the rows of the table.")
def changes(
    name: Annotated[str, typer.Argument(metavar="NAME", help="A bloc (membership) or a "
                                        "recognised entity.", show_default=False,
                                        autocompletion=_complete("any"))],
    before: Annotated[str, typer.Option("--from", help="The earlier date (YYYY, YYYY-MM or "
                                        "YYYY-MM-DD).", metavar="DATE")],
    after: Annotated[str, typer.Option("--to", help="The later date.", metavar="DATE")],
    include_all: Annotated[bool, typer.Option("--all", help="Also list the states whose "
                                              "status did not change.")] = False,
    known_at: KnownAt = None, source: OneSource = None, fmt: Fmt = None, no_color: NoColor = False, strict: Strict = False, data: Data = None,
):
    """What changed between two dates: joins, withdrawals, status changes and omissions,
    each with the citations on both sides (the verdicts of `members` or `recognizes`).

    \b
    Examples:
      alliances changes CSTO --from 2008 --to 2014
      alliances changes Abkhazia --from 2008-08-01 --to 2008-09-30
    """
    def body(fb):
        from ..answers.query import changes as q, resolve_any

        kind, ident = resolve_any(fb, name)
        if kind == "entity" and fb.entities[ident].kind == "state":
            raise UsageProblem(f"{name!r} is a state: changes takes a bloc or a recognised "
                               "entity (try 'alliances timeline' for a state)")
        a, b = _date(before, "--from"), _date(after, "--to")
        if b.latest < a.earliest:
            raise UsageProblem(f"--to {after} is before --from {before}")
        emit(q(fb, kind, ident, a, b, include_all, _filters(fb, source, known_at)), "changes",
             fmt, f"{fb.name_of(ident)}: {a.label} to {b.label}")

    run(body, data)


@app.command(cls=_Command, epilog="With --format plain: one state per line, exactly the rows of the table.")
def crosscheck(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A COW IGO state-year CSV (ccode, "
                                        "state, year, one column per IGO).",
                                        show_default=False)],
    only: Annotated[Optional[str], typer.Option(
        "--only", help="Only these results: agree, disagree, silent (comma-separated).",
        metavar="RESULT")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when any cell "
                                         "disagrees, and refuse data that fails `alliances "
                                         "check`.", callback=_strict)] = False,
    fmt: Fmt = None, no_color: NoColor = False, data: Data = None,
):
    """Where the articles agree with the Correlates of War IGO data, where they disagree
    (with the verdict's citations and COW's code), and where they are silent, cell by cell
    for the blocs that name their COW column and the years the articles speak of.

    \b
    Examples:
      alliances crosscheck igo_stateyear.csv
      alliances crosscheck igo_stateyear.csv --only disagree --format json
    """
    def body(fb):
        from ..answers.crosscheck import crosscheck as q
        from ..answers.query import Answer

        wanted = {w.strip().lower() for w in (only or "").split(",") if w.strip()}
        bad = sorted(wanted - {"agree", "disagree", "silent"})
        if bad:
            raise UsageProblem(f"unknown result {bad[0]!r} for --only: use agree, disagree, "
                               "silent")
        rows, counts, columns = q(fb, file)
        shown = [r for r in rows if not wanted or r["result"] in wanted]
        emit(Answer(shown, []), "crosscheck", fmt, f"Articles against {file}")
        sys.stderr.write(f"crosscheck: {counts['agree']} agree, {counts['disagree']} disagree, "
                         f"{counts['silent']} silent (COW columns: "
                         f"{', '.join(columns) or 'none matched'})\n")
        if strict and counts["disagree"]:
            raise typer.Exit(1)

    run(body, data)


@app.command(cls=_Command, epilog="With --format plain: one state per line, exactly the rows of the table.")
def disputes(
    known_at: KnownAt = None, source: OneSource = None, fmt: Fmt = None, no_color: NoColor = False, strict: Strict = False, data: Data = None,
):
    """Where the articles disagree, or a later one omits what an earlier one stated.

    \b
    Example:
      alliances disputes
    """
    def body(fb):
        from ..answers.query import disputes as q

        emit(q(fb, _filters(fb, source, known_at)), "disputes", fmt,
             "Disagreements between sources")

    run(body, data)


@app.command(cls=_Command, epilog="With --format plain: one quote per line, exactly the rows of the table.")
def claims(
    source: Annotated[str, typer.Option("--source", help="The article's source id.",
                                        metavar="ID", autocompletion=_complete("source"))],
    fmt: Fmt = None, no_color: NoColor = False, strict: Strict = False, data: Data = None,
):
    """Everything one article states, in the order it states it.

    \b
    Example:
      alliances claims --source goodenough-2008
    """
    def body(fb):
        from ..answers.query import claims as q, order_by_text, resolve
        from ..facts.paths import source_text

        sid = resolve(fb, source, "source")
        answer = q(fb, sid)
        rows = order_by_text(answer.rows, source_text(fb, fb.sources[sid]))
        emit(answer._replace(rows=rows), "claims", fmt, f"Claims of {sid}")

    run(body, data)


@app.command(cls=_Command, epilog="With --format plain: one matching name or title per line, exactly the rows of the table.")
def search(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Text to look for (case-insensitive).",
                                        show_default=False)],
    fmt: Fmt = None, no_color: NoColor = False, strict: Strict = False, data: Data = None,
):
    """Facts, names, quotes, notes and sentences of the articles that mention a text.

    \b
    Example:
      alliances search Nicaragua
    """
    def body(fb):
        from ..answers.query import search as q
        from ..facts.paths import source_text

        texts = {sid: source_text(fb, src) for sid, src in fb.sources.items()}
        emit(q(fb, text, texts), "search", fmt, repr(text))

    run(body, data)


@app.command(cls=_Command, epilog="With --format plain: one bloc name per line, exactly the rows of the table.")
def blocs(fmt: Fmt = None, no_color: NoColor = False, strict: Strict = False, data: Data = None):
    """The blocs in the fact base, with aliases and formation dates.

    \b
    Examples:
      alliances blocs
      alliances blocs --format json | jq -r '.[].id'
    """
    def body(fb):
        from ..answers.query import Answer, source_entry

        rows = []
        for b in fb.blocs.values():
            cites = [*b.citations, *([b.formed_citation] if b.formed_citation else [])]
            rows.append({"id": b.id, "name": b.name, "aliases": list(b.aliases), "kind": b.kind,
                         "formed": b.formed.label if b.formed else None,
                         "proposed": b.proposed,
                         "sources": [source_entry(fb, c) for c in cites]})
        emit(Answer(rows, []), "blocs", fmt, "Blocs")

    run(body, data)


@app.command(cls=_Command, epilog="With --format plain: one state name per line, exactly the rows of the table.")
def states(fmt: Fmt = None, no_color: NoColor = False, strict: Strict = False, data: Data = None):
    """The states and entities in the fact base, with aliases.

    \b
    Examples:
      alliances states
      alliances states --format plain | grep -i ossetia
    """
    def body(fb):
        from ..answers.query import Answer

        rows = [{"id": e.id, "name": e.name, "aliases": list(e.aliases), "kind": e.kind}
                for e in fb.entities.values()]
        emit(Answer(rows, []), "states", fmt, "States and entities")

    run(body, data)


def _source_row(s) -> dict:
    return {"id": s.id, "title": s.title, "publisher": s.publisher, "author": s.author,
            "published": s.published.label, "date_note": s.date_note, "file": s.file,
            "url": s.url, "retrieved_from": s.retrieved_from, "copy_note": s.copy_note}


@app.command(cls=_Command, epilog="With --format plain: one source id per line, exactly the rows of the table.")
def sources(
    fmt: Annotated[Optional[str], typer.Option(
        "--format", "-f", help="table | json | csv | tsv | plain | bibtex | csl-json.",
        metavar="FORMAT")] = None,
    no_color: NoColor = False, strict: Strict = False, data: Data = None,
):
    """The source articles, oldest first: id, date, publisher, author, title.

    \b
    Examples:
      alliances sources
      alliances sources --format bibtex > alliances.bib
    """
    def body(fb):
        from ..answers.query import Answer

        fmt_ = (fmt or "").lower() or None
        if fmt_ in ("bibtex", "csl-json"):
            from ..output.bibliography import bibtex, csl_json

            from ..output.render import clean

            _utf8_stdout()
            sys.stdout.write(clean(bibtex(fb), keep_newlines=True) if fmt_ == "bibtex"
                             else csl_json(fb))
            return
        rows = [_source_row(s) for s in sorted(fb.sources.values(), key=lambda s: (
            s.published.earliest, s.published.latest, s.id))]
        emit(Answer(rows, []), "sources", fmt, "Sources")

    run(body, data)


@app.command(cls=_Command)
def source(
    source_id: Annotated[str, typer.Argument(metavar="ID", help="A source id.",
                                             autocompletion=_complete("source"),
                                             show_default=False)],
    fmt: Annotated[Optional[str], typer.Option(
        "--format", "-f", help="text (default) or json.", metavar="FORMAT")] = None,
    strict: Strict = False, data: Data = None,
):
    """One article: its metadata, then its full text.

    \b
    Examples:
      alliances source reuters-2008
      alliances source goodenough-2008 --format json | jq -r .text
    """
    def body(fb):
        from ..answers.query import resolve
        from ..output.render import clean, to_json
        from ..facts.paths import source_text

        s = fb.sources[resolve(fb, source_id, "source")]
        text = source_text(fb, s)
        fmt_ = (fmt or "text").lower()
        if fmt_ == "json":
            sys.stdout.write(to_json({**_source_row(s), "text": text}) + "\n")
            return
        if fmt_ != "text":
            raise UsageProblem(f"unknown format {fmt!r} for --format: use text or json")
        row = _source_row(s)
        for key in ("id", "title", "publisher", "author", "published", "date_note", "file",
                    "url", "retrieved_from", "copy_note"):
            if key in ("url", "retrieved_from", "copy_note") and not row[key]:
                continue
            sys.stdout.write(f"{key}: {clean(row[key] or '-')}\n")
        sys.stdout.write("\n" + clean(text, keep_newlines=True))
        if not text.endswith("\n"):
            sys.stdout.write("\n")

    run(body, data)


@app.command(cls=_Command)
def check(
    fmt: Annotated[Optional[str], typer.Option(
        "--format", "-f", help="text (default) or json.", metavar="FORMAT")] = None,
    schema: Annotated[bool, typer.Option("--schema", help="Print the JSON Schema of "
                                         "blocs.yaml and exit.")] = False,
    data: Data = None,
):
    """Verify the fact base: every quote is in its article, every reference resolves,
    dates are consistent, the YAML is strict. Exit 0 only when everything holds.

    \b
    Examples:
      alliances check
      alliances check --data ./my-facts --format json
    """
    def body(_):
        from ..facts.store import check_dir
        from ..output.report import report_json, report_text
        from ..facts.verify import schema_text
        from ..facts.paths import resolve_data_dir

        if schema:
            sys.stdout.write(schema_text())
            return
        if fmt not in (None, "text", "json"):
            raise UsageProblem(f"unknown format {fmt!r} for --format: use text or json")
        report = check_dir(resolve_data_dir(data))
        sys.stdout.write(report_json(report) if fmt == "json" else report_text(report))
        if report["problems"]:
            raise typer.Exit(1)

    run(body, data, needs_data=False)


@app.command(cls=_Command)
def export(
    out: Annotated[str, typer.Argument(metavar="OUT", help="File to write ('-' for standard "
                                       "output); for csv or tsv without --panel, a file "
                                       "holds the statements table and a directory (created "
                                       "if missing) one file per table.",
                                       show_default=False)],
    fmt: Annotated[Optional[str], typer.Option(
        "--format", "-f", help="sqlite | csv | tsv | json | bibtex. Default: from OUT's "
        "extension (.sqlite/.db, .csv, .tsv, .json, .bib); json on standard output.",
        metavar="FORMAT")] = None,
    panel: Annotated[Optional[str], typer.Option(
        "--panel", help="state-year: the Correlates of War IGO state-year layout (one row per "
        "state and year, one column per bloc); dyad-year: COW's dyadic layout (one row per "
        "pair of states and year, 1 where both are full members).", metavar="LAYOUT")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
    strict: Strict = False, data: Data = None,
):
    """The whole fact base with citations, for datasette, pandas or R.

    \b
    Examples:
      alliances export facts.sqlite
      alliances export panel.csv --panel state-year
      alliances export - --format csv --panel state-year
      alliances export dyads.csv --panel dyad-year
    """
    def body(fb):
        from ..output.export import ExportError, run_export

        try:
            run_export(fb, fmt, out, panel, force)
        except ExportError as e:
            raise UsageProblem(str(e)) from None

    run(body, data)


def _curating(body):
    """A curation command's body: its refusals are one line and exit 1."""
    def wrapped(fb):
        from ..curation.curate import CurateError

        try:
            body(fb)
        except CurateError as e:
            _fail(str(e), 1)

    return wrapped


def _target_dir(data: str | None) -> str:
    """The fact base a curation command writes to: --data or ALLIANCES_DATA, never the
    shipped data by default."""
    from ..facts.load import DataError
    from ..facts.paths import resolve_data_dir

    if not (data or os.environ.get("ALLIANCES_DATA")):
        raise UsageProblem("give the fact base to write to with --data DIR (or ALLIANCES_DATA); "
                           "`alliances init DIR` makes one")
    path = resolve_data_dir(data)
    for rel in ("blocs.yaml", os.path.join("sources", "sources.yaml")):
        if not os.path.isfile(os.path.join(path, rel)):
            raise DataError(path, 0, f"not a fact base: {rel} is missing (`alliances init DIR` "
                                     "makes one)")
    return path


@app.command(cls=_Command)
def init(
    directory: Annotated[str, typer.Argument(metavar="DIR", help="A new or empty directory.",
                                             show_default=False)],
    empty: Annotated[bool, typer.Option("--empty", help="No states or blocs at all (by "
                                        "default the shipped data's names and codes come "
                                        "along, without its facts).")] = False,
):
    """Start a fact base of your own in DIR: blocs.yaml with the schema explained and
    commented examples, an empty sources/sources.yaml, and a README with the rules.

    \b
    Examples:
      alliances init my-facts
      export ALLIANCES_DATA=$PWD/my-facts
    """
    def body(_):
        from ..curation.curate import init_dir
        from ..output.render import clean

        files = init_dir(directory, empty)
        sys.stdout.write(clean(f"created {directory}: {', '.join(files)}") + "\n")
        sys.stderr.write(clean(f"next: alliances add-article FILE --id ID --title TITLE "
                               f"--published DATE --date-note NOTE --data {directory}") + "\n")

    run(_curating(body), needs_data=False)


@app.command(cls=_Command)
def add_article(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The article's text as archived "
                                        "('-' reads standard input); stored byte for byte.",
                                        show_default=False)],
    source_id: Annotated[str, typer.Option("--id", help="Its source id: lowercase, digits, "
                                           "hyphens (e.g. reuters-2008).", metavar="ID",
                                           show_default=False)],
    title: Annotated[str, typer.Option("--title", help="The title as the article gives it.",
                                       show_default=False)],
    published: Annotated[str, typer.Option("--published", help="YYYY, YYYY-MM or YYYY-MM-DD, "
                                           "or bounds A..B when the text does not fix the "
                                           "day.", metavar="DATE", show_default=False)],
    date_note: Annotated[str, typer.Option("--date-note", help="How the date was "
                                           "established (the dateline, the byline...).",
                                           metavar="NOTE", show_default=False)],
    publisher: Annotated[Optional[str], typer.Option("--publisher", help="Only if the "
                                                     "article names it.")] = None,
    author: Annotated[Optional[str], typer.Option("--author", help="Only if the article "
                                                  "names them.")] = None,
    url: Annotated[Optional[str], typer.Option("--url", help="Only an address the article "
                                               "itself gives.")] = None,
    retrieved_from: Annotated[Optional[str], typer.Option(
        "--retrieved-from", metavar="URL", help="Where this copy of the text was retrieved "
        "from: metadata about the copy, never cited as the article's words.")] = None,
    copy_note: Annotated[Optional[str], typer.Option(
        "--copy-note", metavar="NOTE", help="How complete the copy is (cut off at the end, "
        "site navigation kept...).")] = None,
    data: Data = None,
):
    """Add an article to a fact base: its text stored byte for byte as sources/ID.txt, its
    SHA-256 and metadata appended to sources/sources.yaml (nothing there is rewritten).
    Refuses an id or a text already in the fact base.

    \b
    Examples:
      alliances add-article article.txt --id tass-2024 --title "..." \\
        --published 2024-07-04 --date-note "Dateline 4 July 2024." --data my-facts
    """
    def body(_):
        from ..curation.curate import add_article as add, read_input
        from ..output.render import clean

        target = _target_dir(data)
        raw = read_input(file)
        done = add(target, raw, {"id": source_id, "title": title, "published": published,
                                 "date_note": date_note, "publisher": publisher,
                                 "author": author, "url": url,
                                 "retrieved_from": retrieved_from, "copy_note": copy_note})
        sys.stdout.write(clean(f"added {done['id']}: {done['file']} ({done['bytes']} bytes, "
                               f"sha256 {done['sha256'][:12]}…) at sources/sources.yaml:"
                               f"{done['line']}") + "\n")
        sys.stderr.write(clean(f"next: alliances draft {done['id']} --data {data or '$ALLIANCES_DATA'}")
                         + "\n")

    run(_curating(body), needs_data=False)


@app.command(cls=_Command)
def quote(
    source_id: Annotated[str, typer.Argument(metavar="SOURCE", help="A source id.",
                                             autocompletion=_complete("source"),
                                             show_default=False)],
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What you remember of the "
                                        "passage: any quotes, dashes, spacing or case.",
                                        show_default=False)],
    fmt: Annotated[Optional[str], typer.Option(
        "--format", "-f", help="yaml (default: ready to paste) or json.",
        metavar="FORMAT")] = None,
    data: Data = None,
):
    """The article's exact words for a passage you remember, with its line, ready to paste
    as a fact's quote. When nothing is close enough it says so (exit 1) and shows the
    nearest passages.

    \b
    Examples:
      alliances quote reuters-2008 "the russia led odkb also includes belarus"
      alliances quote rferl-2008 "stopped short of recognizing" --format json
    """
    def body(fb):
        from ..curation.curate import find_quote, yaml_str
        from ..answers.query import resolve
        from ..output.render import clean, to_json
        from ..facts.paths import source_text

        if (fmt or "yaml").lower() not in ("yaml", "json"):
            raise UsageProblem(f"unknown format {fmt!r} for --format: use yaml or json")
        if not text.strip():
            raise UsageProblem("give some words of the passage to look for")
        src = fb.sources[resolve(fb, source_id, "source")]
        found = find_quote(source_text(fb, src), text)
        label = f"sources/{src.file}"
        if (fmt or "").lower() == "json":
            sys.stdout.write(to_json({"source": src.id, "file": label, **found}) + "\n")
        elif found["found"]:
            how = "exact match" if found["exact"] else f"close match, {found['score']:g}%"
            sys.stdout.write(clean(f"# {label}:{found['line']} ({how})\n"
                                   f"quote: {yaml_str(found['quote'])}", keep_newlines=True)
                             + "\n")
        else:
            for near in found["nearest"]:
                sys.stdout.write(clean(f"# {label}:{near['line']} ({near['score']:g}%): "
                                       f"{near['quote']}") + "\n")
        if not found["found"]:
            _fail(f"no passage of {src.id!r} is close enough to {text!r} (best "
                  f"{found['score']:g}%); the nearest are shown above", 1)

    run(body, data)


@app.command(cls=_Command)
def draft(
    source_id: Annotated[str, typer.Argument(metavar="SOURCE_ID", help="A source id (see "
                                             "'alliances sources').",
                                             autocompletion=_complete("source"),
                                             show_default=False)],
    fmt: Annotated[Optional[str], typer.Option(
        "--format", "-f", help="yaml (default: sections to paste into blocs.yaml) or json "
        "(one candidate statement per row).", metavar="FORMAT")] = None,
    data: Data = None,
):
    """Propose candidate facts from one article, for a curator to review: memberships,
    member lists, recognitions and refusals, with verbatim quotes and relative dates
    resolved against the article's date. Writes no file.

    \b
    Examples:
      alliances draft reuters-2008
      alliances draft my-article --data ./my-facts > proposals.yaml
      alliances draft rferl-2008 --format json | jq -r '.[].state'
    """
    def body(fb):
        from ..curation.draft import draft as propose, rows, to_yaml, with_known_blocs
        from ..answers.query import resolve
        from ..facts.store import build_factbase
        from ..facts.paths import default_data_dir
        from ..output.render import to_json
        from ..facts.paths import source_text

        fmt_ = (fmt or "yaml").lower()
        if fmt_ not in ("yaml", "json"):
            raise UsageProblem(f"unknown format {fmt!r} for --format: use yaml or json")
        src = fb.sources[resolve(fb, source_id, "source")]
        known, new_blocs = fb, {}
        shipped = default_data_dir()
        if os.path.realpath(fb.data_dir) != os.path.realpath(shipped):
            known, new_blocs = with_known_blocs(fb, build_factbase(shipped)[0])
        proposals = propose(source_text(fb, src), src.published, known, src.id)
        _utf8_stdout()
        sys.stdout.write(to_json(rows(proposals)) + "\n" if fmt_ == "json"
                         else to_yaml(proposals, src, new_blocs))

    run(body, data)


def _only(command: str):
    """A one-command app for `alliances COMMAND ...`. Typer builds a click command for every
    registered command on each run; building just the one asked for keeps start-up at
    typer's own floor. Everything else (group help, --version, completion) uses `app`."""
    for info in app.registered_commands:
        name = info.name or info.callback.__name__.replace("_", "-")
        if name == command:
            single = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False,
                                 add_completion=False,
                                 context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
            single.registered_commands = [info]
            return single
    return None


def main() -> None:
    """Console-script entry point."""
    for stream in (sys.stdout, sys.stderr):
        try:  # a terminal that cannot show ОДКБ gets \u escapes, not a traceback
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    argv = sys.argv[1:]
    single = None
    if argv and not any(k.endswith("_COMPLETE") for k in os.environ):
        single = _only(argv[0])
    try:
        if single is not None:
            single(args=argv[1:], prog_name=f"alliances {argv[0]}")
        else:
            app(prog_name="alliances")  # also names the completion variable _ALLIANCES_COMPLETE
    except BrokenPipeError:
        try:
            _pipe_closed()
        except typer.Exit:
            sys.exit(141)
    except KeyboardInterrupt:
        sys.exit(130)

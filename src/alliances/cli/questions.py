"""Commands that answer a question from the verdicts: members, recognizes, recognitions,
memberships, compare, shared, timeline, changes, crosscheck, disputes, claims, search."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from .app import (
    All, AsOf, BlocArg, Data, EachYear, Fmt, KnownAt, NoColor, OneSource, RecStatus,
    StateArg, Status, Strict, UsageProblem, _Command, _complete, _date, _filters, _short,
    _statuses, _strict, app, ask_each, each, emit, run,
)


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

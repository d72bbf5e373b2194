"""Commands that answer a question from the verdicts: members, recognizes, recognitions,
memberships, compare, shared, timeline, changes, crosscheck, disputes, claims, search."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .core import (
    All,
    AllDates,
    AsOf,
    BlocArg,
    EachYear,
    EntityArg,
    KnownAt,
    OneSource,
    PairBloc,
    PairState,
    RecStatus,
    StateArg,
    Status,
    _complete,
    _filters,
    _short,
    _statuses,
    ask_each,
    each,
    emit,
    query,
    run,
)


def _one_name(opts, command: str, name: str, kind: str, relation: str, title,
              status, include_all, known_at, source, as_of, each_year) -> None:
    """What members, recognizes, recognitions and memberships share: their --status/--all
    and --source/--known-at, then the question for one name (or each name on stdin), for
    the --as-of period or each of its years; `title(fb, ident, period, answer)`."""
    def body(fb):
        from ..answers.asking import one_name

        wanted = _statuses(status, include_all, relation)
        filters = _filters(fb, source, known_at)
        ask_each(fb, name, kind,
                 lambda ident, p, each: one_name(fb, command, ident, p, each, wanted, filters),
                 lambda ident, p, answer: title(fb, ident, p, answer),
                 command, opts, as_of, each_year)

    run(body, opts)


@query("members", basis=True,
       epilog="With --format plain: one state per line, exactly the rows of the table.")
def members(
    bloc: BlocArg,
    as_of: AsOf = None,
    status: Status = None,
    include_all: All = False,
    each_year: EachYear = False,
    known_at: KnownAt = None, source: OneSource = None, opts=None,
):
    """Who held which status in a bloc at a date, with citations.

    \b
    Examples:
      alliances members CSTO --as-of 2008
      alliances members ODKB --as-of 2014 --status observer
      alliances members csto --as-of 2008 --format plain | sort
    """
    def title(fb, ident, period, answer):
        label = period.label if period else (answer.rows[0]["as_of"] if answer.rows
                                             else "latest")
        return f"{_short(fb, ident)} as of {label}"

    _one_name(opts, "members", bloc, "bloc", "membership", title,
              status, include_all, known_at, source, as_of, each_year)


# The README's own spelling works too: recognises.
@query("recognizes", basis=True, aliases=("recognises",),
       epilog="With --format plain: one state per line, exactly the rows of the table.")
def recognizes(
    entity: EntityArg,
    as_of: AllDates = None,
    status: RecStatus = None,
    include_all: All = False,
    each_year: EachYear = False,
    known_at: KnownAt = None, source: OneSource = None, opts=None,
):
    """States that recognise an entity (Abkhazia, South Ossetia), with date bounds.

    Without --as-of, everything the articles state, whatever its date.

    \b
    Examples:
      alliances recognizes "South Ossetia"
      alliances recognizes abkhazia --all --as-of 2008-09
      alliances recognizes "South Ossetia" --known-at 2008-09-04
    """
    _one_name(opts, "recognizes", entity, "entity", "recognition",
              lambda fb, ident, p, _: f"Recognition of {fb.name_of(ident)} "
                                      f"({p.label if p else 'all dates'})",
              status, include_all, known_at, source, as_of, each_year)


@query("recognitions", basis=True,
       epilog="With --format plain: one recognised entity per line, exactly the rows of the table.")
def recognitions(
    state: StateArg,
    as_of: AllDates = None,
    status: RecStatus = None,
    include_all: All = False,
    each_year: EachYear = False,
    known_at: KnownAt = None, source: OneSource = None, opts=None,
):
    """What a state recognises (the other direction of `recognizes`), with date bounds.

    \b
    Examples:
      alliances recognitions Russia
      alliances recognitions Belarus --all --as-of 2008-09
    """
    _one_name(opts, "recognitions", state, "entity", "recognition",
              lambda fb, ident, p, _: f"Recognised by {fb.name_of(ident)} "
                                      f"({p.label if p else 'all dates'})",
              status, include_all, known_at, source, as_of, each_year)


@query("memberships", basis=True,
       epilog="With --format plain: one bloc per line, exactly the rows of the table.")
def memberships(
    state: StateArg,
    as_of: AsOf = None,
    status: Status = None,
    include_all: All = False,
    each_year: EachYear = False,
    known_at: KnownAt = None, source: OneSource = None, opts=None,
):
    """Every bloc a state belongs to (without --as-of: each bloc at its latest date).

    \b
    Examples:
      alliances memberships Kyrgyzstan --as-of 2008
      alliances memberships Georgia --all
    """
    _one_name(opts, "memberships", state, "entity", "membership",
              lambda fb, ident, p, _: f"{fb.name_of(ident)} as of "
                                      f"{p.label if p else 'the latest article about each bloc'}",
              status, include_all, known_at, source, as_of, each_year)


@query("compare", basis=True,
       epilog="With --format plain: one state (the `in` field, in json/csv/tsv, says which side) "
              "per line, exactly the rows of the table.")
def compare(
    bloc_a: PairBloc, bloc_b: PairBloc, as_of: AsOf = None,
    status: Status = None, include_all: All = False,
    known_at: KnownAt = None, source: OneSource = None, opts=None,
):
    """Members of both blocs, of the first only, of the second only.

    \b
    Example:
      alliances compare CSTO SCO --as-of 2008
    """
    def body(fb):
        from ..answers.asking import pair

        answer, a, b = pair(fb, "compare", bloc_a, bloc_b, as_of,
                            _filters(fb, source, known_at), _statuses(status, include_all))
        when = answer.rows[0]["as_of"] if answer.rows else (as_of or "latest")
        emit(answer, "compare", opts, f"{_short(fb, a)} vs {_short(fb, b)} as of {when}")

    run(body, opts)


@query("shared", basis=True,
       epilog="With --format plain: one bloc per line, exactly the rows of the table.")
def shared(
    state_a: PairState, state_b: PairState, as_of: AsOf = None,
    status: Status = None, include_all: All = False,
    known_at: KnownAt = None, source: OneSource = None, opts=None,
):
    """The blocs two states both belong to, with each one's status (a dyadic view).

    `compare` seen from the states: each side is in a bloc by its ties only (member,
    associate, observer), and `in` says both, only one, or undecided. With --status or
    --all, every bloc either state has such a status in.

    \b
    Example:
      alliances shared Russia Kyrgyzstan --as-of 2008
    """
    def body(fb):
        from ..answers.asking import pair

        answer, a, b = pair(fb, "shared", state_a, state_b, as_of,
                            _filters(fb, source, known_at), _statuses(status, include_all))
        emit(answer, "shared", opts, f"{fb.name_of(a)} and {fb.name_of(b)}")

    run(body, opts)


@query("timeline",
       epilog="With --format plain: one event's date per line, exactly the rows of the table.")
def timeline(
    name: Annotated[str, typer.Argument(metavar="NAME", help="A bloc, state or entity ('-': "
                                        "names from standard input).", show_default=False,
                                        autocompletion=_complete("any"))],
    known_at: KnownAt = None, source: OneSource = None, opts=None,
):
    """Every dated event for a bloc, a state or an entity, in date order.

    \b
    Examples:
      alliances timeline CSTO
      alliances timeline Georgia
    """
    def body(fb):
        from ..answers.asking import timeline as q

        filters = _filters(fb, source, known_at)

        def one(asked):
            answer, ident = q(fb, asked, filters)
            return answer, f"Timeline of {fb.name_of(ident)}"

        each(name, one, "timeline", opts)

    run(body, opts)


@query("changes", basis=True,
       epilog="With --format plain: one state per line, exactly the rows of the table.")
def changes(
    name: Annotated[str, typer.Argument(metavar="NAME", help="A bloc (membership) or a "
                                        "recognised entity.", show_default=False,
                                        autocompletion=_complete("any"))],
    before: Annotated[str, typer.Option("--from", help="The earlier date (YYYY, YYYY-MM or "
                                        "YYYY-MM-DD).", metavar="DATE")],
    after: Annotated[str, typer.Option("--to", help="The later date.", metavar="DATE")],
    include_all: Annotated[bool, typer.Option("--all", help="Also list the states whose "
                                              "status did not change.")] = False,
    known_at: KnownAt = None, source: OneSource = None, opts=None,
):
    """What changed between two dates: joins, withdrawals, status changes and omissions,
    each with the citations on both sides (the verdicts of `members` or `recognizes`).

    \b
    Examples:
      alliances changes CSTO --from 2008 --to 2014
      alliances changes Abkhazia --from 2008-08-01 --to 2008-09-30
    """
    def body(fb):
        from ..answers.asking import changes as q

        answer, ident, a, b = q(fb, name, before, after, include_all,
                                _filters(fb, source, known_at))
        emit(answer, "changes", opts, f"{fb.name_of(ident)}: {a.label} to {b.label}")

    run(body, opts)


@query("explain", epilog="With --format plain: one part (status, basis, since, until, "
       "derived, disputed, combined) per line, exactly the rows of the table.")
def explain(
    state: Annotated[str, typer.Argument(metavar="STATE", help="State name, alias or id.",
                                         autocompletion=_complete("entity"),
                                         show_default=False)],
    name: Annotated[str, typer.Argument(metavar="BLOC|ENTITY", help="The bloc (membership) or "
                                        "the recognised entity (recognition).",
                                        autocompletion=_complete("any"), show_default=False)],
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="The period of the row (as the queries take it). Default: as "
        "`members` (the bloc's latest article) or `recognizes` (every date) answer.",
        metavar="DATE")] = None,
    known_at: KnownAt = None, source: OneSource = None, opts=None,
):
    """Why one row says what it says: which articles set each bound, why its basis is what
    it is, and every statement it was combined from (as the evaluation recorded them).

    \b
    Examples:
      alliances explain Uzbekistan CSTO --as-of 2014
      alliances explain Belarus Abkhazia --as-of 2008-09 --format json
    """
    def body(fb):
        from ..answers.asking import explain as q

        answer, ident, obj = q(fb, state, name, as_of, _filters(fb, source, known_at))
        emit(answer, "explain", opts, f"{fb.name_of(ident)} and {fb.name_of(obj)}")

    run(body, opts)


@query("crosscheck",
       epilog="With --format plain: one state per line, exactly the rows of the table.")
def crosscheck(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A COW IGO state-year CSV: wide "
                                        "(ccode, year, one column per IGO, any case) or long "
                                        "(ioname, ccode, year, status), as COW and igoR "
                                        "write them.", show_default=False)],
    only: Annotated[str | None, typer.Option(
        "--only", help="Only these results: agree, disagree, silent (comma-separated).",
        metavar="RESULT")] = None,
    opts=None,
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
        from ..answers.asking import crosscheck as q
        from ..output.render import clean

        answer, counts, columns = q(fb, file, only)
        emit(answer, "crosscheck", opts, f"Articles against {file}")
        sk = counts["skipped"]
        lo, hi = counts["span"]
        skipped = (f"; skipped {sum(sk.values())} COW cells: {sk['state']} of states the fact "
                   f"base does not have, {sk['igo']} of IGOs it does not have, {sk['year']} of "
                   f"years outside {lo}..{hi} (the years the articles speak of)"
                   if sum(sk.values()) else "")
        sys.stderr.write(clean(f"crosscheck: {counts['agree']} agree, {counts['disagree']} "
                               f"disagree, {counts['silent']} silent ({counts['layout']} file; "
                               f"COW IGOs: {', '.join(columns)}){skipped}") + "\n")
        if opts.strict and counts["disagree"]:
            raise typer.Exit(1)

    run(body, opts)


@query("disputes", epilog="With --format plain: one state per line, exactly the rows of the table.")
def disputes(
    known_at: KnownAt = None, source: OneSource = None, opts=None,
):
    """Where the articles disagree, or a later one omits what an earlier one stated.

    \b
    Example:
      alliances disputes
    """
    def body(fb):
        from ..answers.gathering import keep_spells
        from ..answers.query import disputes as q

        keep_spells()  # every key of the record: spells kept between runs (answers/kept.py)
        emit(q(fb, _filters(fb, source, known_at)), "disputes", opts,
             "Disagreements between sources")

    run(body, opts)


@query("claims", epilog="With --format plain: one quote per line, exactly the rows of the table.")
def claims(
    source: Annotated[str, typer.Option("--source", help="The article's source id.",
                                        metavar="ID", autocompletion=_complete("source"))],
    opts=None,
):
    """Everything one article states, in the order it states it.

    \b
    Example:
      alliances claims --source goodenough-2008
    """
    def body(fb):
        from ..answers.asking import claims as q

        answer, sid = q(fb, source)
        emit(answer, "claims", opts, f"Claims of {sid}")

    run(body, opts)


@query("search",
       epilog="With --format plain: one matching name or title per line, exactly the rows of the "
              "table.")
def search(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Text to look for (case-insensitive).",
                                        show_default=False)],
    opts=None,
):
    """Facts, names, quotes, notes and sentences of the articles that mention a text.

    \b
    Example:
      alliances search Nicaragua
    """
    def body(fb):
        from ..answers.asking import search as q

        emit(q(fb, text), "search", opts, repr(text))

    run(body, opts)

"""Answers on standard output: one name or each name on standard input, for a period or
each of its years, in the format asked, with the notes on standard error."""

from __future__ import annotations

import sys

import typer

from .options import Output, _periods
from .streams import _utf8_stdout, stdin_lines


def ask_each(fb, name: str, kind: str, question, title, view: str, fmt: Output,
             as_of: str | None, each_year: bool) -> None:
    """The shape every name-taking query shares: resolve the name (or each name on stdin),
    ask the question for the --as-of period or, with --each-year, each of its years, and
    emit; `question(ident, period, years)` gives the Answer (years: None, or the list of
    --each-year), `title(ident, period, answer)` the table's title."""
    from ..answers.query import resolve

    period, periods = _periods(as_of, each_year)
    if name != "-":
        def one(asked):
            ident = resolve(fb, asked, kind)
            answer = question(ident, period, periods)
            return answer, title(ident, period, answer)
    else:
        one = _once_per_name(fb, kind, question, title, period, periods)

    each(name, one, view, fmt, ("year",) if periods else ())


# How many rows of answers a list of names through `-` keeps for names asked again.
REMEMBERED_ROWS = 200_000


def _once_per_name(fb, kind: str, question, title, period, periods):
    """`one` for a list of names through `-`: a name (or another name of the same state,
    bloc or entity) asked again gets the answer of the first time, each evaluated once
    per run; the answers kept are bounded by REMEMBERED_ROWS (the oldest are dropped)."""
    from ..answers.query import Answer, resolve

    kept: dict = {}
    size = [0]

    def one(asked):
        ident = resolve(fb, asked, kind)
        hit = kept.get(ident)
        if hit is None:
            answer = question(ident, period, periods)
            answer = Answer(list(answer.rows), list(answer.notes))
            hit = kept[ident] = (answer, title(ident, period, answer))
            size[0] += len(answer.rows)
            while size[0] > REMEMBERED_ROWS and len(kept) > 1:
                old = next(iter(kept))
                size[0] -= len(kept.pop(old)[0].rows)
        return hit

    return one


def each(name: str, one, view: str, fmt: Output, extra: tuple = ()) -> None:
    """Answer one name, or with `-` every name on standard input (one per line) in this one
    process, each as if asked alone: its rows carry the name asked (`query`), a name the
    data does not know is an error line on stderr, and the exit is 1 at the end if any was."""
    if name != "-":
        answer, title = one(name)
        emit(answer, view, fmt, title, extra=extra)
        return
    from ..answers.gathering import keep_spells
    from ..answers.query import Answer, EmptyName, NameNotFound
    from ..output.render import clean

    keep_spells()  # a list of names can reach every key: spells kept (answers/kept.py)
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


def emit(answer, view: str, opts: Output, title: str = "", extra: tuple = ()) -> None:
    from ..output.render import clean, write

    fmt = opts.format()
    if fmt != "table":
        _utf8_stdout()
    rows = answer.rows
    unstated: dict = {}
    wanted = opts.bases()
    if wanted is not None:
        from ..answers.asking import by_basis

        rows = by_basis(rows, wanted)
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

"""`alliances chart`: a bloc's or an entity's timeline as an SVG picture."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .core import (
    All,
    Data,
    KnownAt,
    OneSource,
    Strict,
    UsageProblem,
    _Command,
    _complete,
    _date,
    _filters,
    _short,
    app,
    run,
)

ChartAsOf = Annotated[str | None, typer.Option(
    "--as-of", help="The days drawn, as the queries take --as-of: YYYY, YYYY-MM or "
    "YYYY-MM-DD, or an interval A..B or A/B (2005..2014, 2005/2014, ..2008). Default: "
    "every year the timeline names, to the latest article.", metavar="DATE")]
ChartStatus = Annotated[list[str] | None, typer.Option(
    "--status", help="Only spells of these statuses (repeat or comma-separate), as "
    "`members` (a bloc) or `recognizes` (an entity) take them; all for every status. "
    "Default: member for a bloc, recognizes for an entity, both for a state.",
    metavar="STATUS")]


def _wanted(fb, kind: str, ident: str, status, include_all: bool) -> set[str]:
    """--status/--all as the queries take them: a bloc's chart takes membership statuses,
    an entity's recognition statuses, a state's either."""
    from ..answers.query import SHOWN
    from ..facts.model import MEMBERSHIP_STATUSES, NOT_LISTED, RECOGNITION_STATUSES
    from .core import _statuses

    relations: tuple[str, ...]
    if kind == "bloc":
        relations = ("membership",)
    elif fb.entities[ident].kind != "state":
        relations = ("recognition",)
    else:
        relations = ("membership", "recognition")
    if len(relations) == 1:
        wanted = _statuses(status, include_all, relations[0])
    elif include_all:
        wanted = {"all"}
    elif status:
        valid = {*MEMBERSHIP_STATUSES, NOT_LISTED, *RECOGNITION_STATUSES, "all"}
        wanted = {s.strip() for item in status for s in item.split(",") if s.strip()}
        bad = sorted(wanted - valid)
        if bad:
            raise UsageProblem(f"unknown status {bad[0]!r} for --status: use "
                               f"{', '.join(sorted(valid))}")
    else:
        wanted = None
    return wanted if wanted is not None else set().union(*(SHOWN[r] for r in relations))


@app.command(cls=_Command, epilog="The picture is drawn from the rows of `alliances "
             "timeline NAME` (each spell with its disputed days), never evaluated again.")
def chart(
    name: Annotated[str, typer.Argument(metavar="BLOC|ENTITY", help="A bloc (its members), "
                                        "a recognised entity (who recognises it) or a "
                                        "state (its blocs and recognitions).",
                                        show_default=False, autocompletion=_complete("any"))],
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="SVG file to write (replaced if it exists), or '-' for "
        "standard output. Default: standard output when it is not a terminal.",
        metavar="FILE")] = None,
    as_of: ChartAsOf = None,
    status: ChartStatus = None,
    include_all: All = False,
    known_at: KnownAt = None, source: OneSource = None, strict: Strict = False,
    data: Data = None,
):
    """Draw a timeline as SVG: one row per state, spells coloured by status.

    Uncertain starts and ends are hatched over every day they could be; the light part of
    a spell is only carried forward (no article in between); blank is silence; a red
    dashed outline marks the days in dispute; a triangle a withdrawal. Each spell's tooltip
    cites its articles (source id, date, quote) and links to the sources listed at the bottom.
    --as-of sets the years drawn (2005..2014).

    \b
    Examples:
      alliances chart CSTO -o csto.svg
      alliances chart "South Ossetia" --all -o south-ossetia.svg
      alliances chart SCO --as-of 2001..2014 --all -o - > sco.svg
    """
    if output is None and sys.stdout.isatty():
        raise typer.BadParameter("give -o FILE, or -o - to write the SVG to standard "
                                 "output", param_hint="'--output'")

    def body(fb):
        from datetime import date

        from .. import __version__
        from ..answers.query import resolve_any
        from ..facts.dates import MAX, MIN
        from ..output import chart as draw
        from ..output.spells import timeline_rows

        kind, ident = resolve_any(fb, name)
        wanted = _wanted(fb, kind, ident, status, include_all)
        period = _date(as_of, "--as-of")
        filters = _filters(fb, source, known_at)
        rows = timeline_rows(fb, kind, ident, filters)
        axis = [r for r in rows if r.get("status") is None]
        all_lanes = draw.lanes(rows, ident)
        latest = max((fb.sources[c["id"]].published.latest for r in rows
                      for c in r["sources"]), default=None)
        window = draw.default_window(all_lanes, axis, latest)
        if period is not None:
            lo = period.earliest if period.earliest != MIN else (window or (MIN,))[0]
            hi = period.latest if period.latest != MAX else (window or (0, MAX))[1]
            window = (lo, hi)
        if window is None or MIN in window or MAX in window:
            year = date.today().year
            window = (date(year, 1, 1), date(year, 12, 31))
        drawn, hidden = draw.select(all_lanes, wanted, window)
        notes = []
        if hidden:
            notes.append("not shown: " + ", ".join(
                f"{lane['label']} ({'/'.join(dict.fromkeys(s['status'] for s in lane['spells']))})"
                for lane in hidden) + "; use --status or --all to include")
        if not drawn:
            notes.append(f"nothing to draw for {fb.name_of(ident)} in "
                         f"{window[0].isoformat()}..{window[1].isoformat()}")
        shown = "every status" if "all" in wanted else ", ".join(sorted(wanted))
        if kind == "bloc":
            what = f"{fb.name_of(ident)} ({_short(fb, ident)}): membership"
        elif fb.entities[ident].kind != "state":
            what = f"Recognition of {fb.name_of(ident)}"
        else:
            what = f"{fb.name_of(ident)}: blocs and recognitions"
        sub = (f"{shown}; {window[0].year}\u2013{window[1].year}; drawn from `alliances "
               f"timeline` (alliances {__version__})")
        if source:
            sub += f"; only {filters.source}"
        if known_at:
            sub += f"; articles published by {filters.known_at.label}"
        meta = {sid: {"title": s.title, "publisher": s.publisher, "date": s.published.label,
                      "url": s.url} for sid, s in fb.sources.items()}
        text = draw.svg(drawn, window, title=what, subtitle=sub, axis_rows=axis,
                        sources=meta, notes=notes)
        _write(output or "-", text)
        from ..output.render import clean

        for n in notes:
            sys.stderr.write(f"note: {clean(n)}\n")

    run(body, data)


def _write(out: str, text: str) -> None:
    from ..output.export import ExportError, ExportWriteError, _write_with, stdout_alias

    out = stdout_alias(out)
    if out == "-":
        from .core import _utf8_stdout

        _utf8_stdout()
    try:
        _write_with(out, lambda fh: fh.write(text))
    except ExportWriteError:
        raise  # a write refused or failed: exit 1, as every writer
    except ExportError as e:
        raise UsageProblem(str(e)) from None

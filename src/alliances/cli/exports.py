"""`alliances export`: the fact base and the panels as files."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .app import UsageProblem, _choices, query, run

EXPORT_FORMATS = ("sqlite", "csv", "tsv", "json", "bibtex")
PANELS = ("state-year", "dyad-year")


@query(None, formats=EXPORT_FORMATS, color=False, fmt_help="sqlite | csv | tsv | json | "
       "bibtex. Default: from OUT's extension (.sqlite/.db, .csv, .tsv, .json, .bib); json on "
       "standard output.")
def export(
    out: Annotated[str, typer.Argument(metavar="OUT", help="File to write ('-' for standard "
                                       "output); for csv or tsv without --panel, a file "
                                       "holds the statements table and a directory (created "
                                       "if missing) one file per table.",
                                       show_default=False)],
    panel: Annotated[Optional[str], typer.Option(
        "--panel", help="state-year: the Correlates of War IGO state-year layout (one row per "
        "state and year, one column per bloc); dyad-year: COW's dyadic layout (one row per "
        "pair of states and year, 1 where both are full members).", metavar="LAYOUT",
        autocompletion=_choices("panel", PANELS))] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
    opts=None,
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
            run_export(fb, opts.fmt.lower() if opts.fmt else None, out, panel, force)
        except ExportError as e:
            raise UsageProblem(str(e)) from None

    run(body, opts)

"""`alliances export`: the fact base and the panels as files."""

from __future__ import annotations

from typing import Annotated

import typer

from .core import UsageProblem, _choices, query, run

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
    panel: Annotated[str | None, typer.Option(
        "--panel", help="state-year: the Correlates of War IGO state-year layout (one row per "
        "state and year, one column per bloc); dyad-year: COW's dyadic layout (one row per "
        "pair of states and year, 1 where both are full members).", metavar="LAYOUT",
        autocompletion=_choices("panel", PANELS))] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
    metadata: Annotated[str | None, typer.Option(
        "--metadata", help="With a sqlite export: also write datasette's metadata.json, "
        "describing every table and column, to FILE (serve with `datasette OUT --metadata "
        "FILE`); the same descriptions are in the column_docs table.",
        metavar="FILE")] = None,
    opts=None,
):
    """The whole fact base with citations, for datasette, pandas or R.

    \b
    Examples:
      alliances export facts.sqlite
      alliances export facts.sqlite --metadata metadata.json
      alliances export panel.csv --panel state-year
      alliances export - --format csv --panel state-year
      alliances export dyads.csv --panel dyad-year
    """
    def body(fb):
        from ..answers.gathering import keep_spells
        from ..output.export import ExportError, ExportWriteError, run_export

        keep_spells()  # every key of the record: spells kept between runs (answers/kept.py)
        try:
            if metadata is not None:
                _check_metadata(out, opts.fmt.lower() if opts.fmt else None, panel, metadata)
            run_export(fb, opts.fmt.lower() if opts.fmt else None, out, panel, force)
            if metadata is not None:
                _write_metadata(out, metadata)
        except ExportWriteError:
            raise  # a write refused or failed: exit 1, as every writer
        except ExportError as e:
            raise UsageProblem(str(e)) from None

    run(body, opts)


def _check_metadata(out: str, fmt, panel, metadata: str) -> None:
    from ..output.export import ExportError, export_format

    if panel is not None or export_format(out, fmt) != "sqlite":
        raise ExportError("--metadata describes the sqlite export of the whole fact base: "
                          "give an OUT ending in .sqlite or --format sqlite, without --panel")
    if not metadata:
        raise ExportError("--metadata needs a file name (or '-' for standard output)")
    _refuse_early(metadata)


def _refuse_early(path: str) -> None:
    """What the metadata write would refuse (a FIFO, socket or device there), refused
    before the sqlite file is written, so that a refused export changes nothing."""
    import os
    import stat

    from ..output.export import ExportWriteError, stdout_alias

    if stdout_alias(path) == "-":
        return
    try:
        st = os.stat(os.path.expanduser(path))
    except (OSError, ValueError):
        return
    if not stat.S_ISREG(st.st_mode):
        raise ExportWriteError(f"cannot write {path}: it exists and is not a regular file")


def _write_metadata(out: str, metadata: str) -> None:
    """datasette names a database after its file: the metadata uses the same name."""
    import json
    import os

    from ..output.answers_db import datasette_metadata
    from ..output.export import _write_with

    name = os.path.splitext(os.path.basename(out))[0]
    text = json.dumps(datasette_metadata(name), indent=2, ensure_ascii=False) + "\n"
    _write_with(metadata, lambda fh: fh.write(text))

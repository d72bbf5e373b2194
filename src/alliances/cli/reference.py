"""Commands about the fact base itself: blocs, states, sources, source, check."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .core import _complete, _utf8_stdout, emit, query, run


@query("blocs",
       epilog="With --format plain: one bloc name per line, exactly the rows of the table.")
def blocs(opts=None):
    """The blocs in the fact base, with aliases and formation dates.

    \b
    Examples:
      alliances blocs
      alliances blocs --format json | jq -r '.[].id'
    """
    def body(fb):
        from ..answers.asking import blocs as q

        emit(q(fb), "blocs", opts, "Blocs")

    run(body, opts)


@query("states",
       epilog="With --format plain: one state name per line, exactly the rows of the table.")
def states(opts=None):
    """The states and entities in the fact base, with aliases.

    \b
    Examples:
      alliances states
      alliances states --format plain | grep -i ossetia
    """
    def body(fb):
        from ..answers.asking import states as q

        emit(q(fb), "states", opts, "States and entities")

    run(body, opts)


SOURCE_FORMATS = ("table", "json", "jsonl", "csv", "tsv", "plain", "bibtex", "csl-json")


@query("sources", formats=SOURCE_FORMATS, fmt_help="table | json | jsonl | csv | tsv | plain | "
       "bibtex | csl-json. Default: table on a terminal, tsv when piped.",
       epilog="With --format plain: one source id per line, exactly the rows of the table.")
def sources(opts=None):
    """The source articles, oldest first: id, date, publisher, author, title.

    \b
    Examples:
      alliances sources
      alliances sources --format bibtex > alliances.bib
    """
    def body(fb):
        from ..answers.asking import sources as q

        fmt_ = opts.format() if opts.fmt else None
        if fmt_ in ("bibtex", "csl-json"):
            from ..output.bibliography import bibtex, csl_json
            from ..output.render import clean

            _utf8_stdout()
            sys.stdout.write(clean(bibtex(fb), keep_newlines=True) if fmt_ == "bibtex"
                             else csl_json(fb))
            return
        emit(q(fb), "sources", opts._replace(formats=()), "Sources")

    run(body, opts)


@query(None, formats=("text", "json"), color=False, fmt_help="text (default) or json.")
def source(
    source_id: Annotated[str, typer.Argument(metavar="ID", help="A source id.",
                                             autocompletion=_complete("source"),
                                             show_default=False)],
    opts=None,
):
    """One article: its metadata, then its full text.

    \b
    Examples:
      alliances source reuters-2008
      alliances source goodenough-2008 --format json | jq -r .text
    """
    def body(fb):
        from ..answers.asking import source_row
        from ..answers.query import resolve
        from ..facts.paths import source_text
        from ..output.render import clean, to_json

        s = fb.sources[resolve(fb, source_id, "source")]
        text = source_text(fb, s)
        if opts.format() == "json":
            sys.stdout.write(to_json({**source_row(s), "text": text}) + "\n")
            return
        row = source_row(s)
        for key in ("id", "title", "publisher", "author", "published", "date_note", "file",
                    "url", "retrieved_from", "copy_note"):
            if key in ("url", "retrieved_from", "copy_note") and not row[key]:
                continue
            sys.stdout.write(f"{key}: {clean(row[key] or '-')}\n")
        sys.stdout.write("\n" + clean(text, keep_newlines=True))
        if not text.endswith("\n"):
            sys.stdout.write("\n")

    run(body, opts)


def _leftovers(data_dir: str) -> list[str]:
    """Temporary files a killed writer left in the fact base (removed by its next write
    there): reported by `check`, not problems of the facts."""
    import os

    from ..output.files import leftovers

    return [os.path.join(rel, name) if rel else name
            for rel in ("", "sources") for name in leftovers(os.path.join(data_dir, rel))]


@query(None, formats=("text", "json"), color=False, strict=False,
       fmt_help="text (default) or json.")
def check(
    schema: Annotated[bool, typer.Option("--schema", help="Print the JSON Schema of "
                                         "blocs.yaml and exit.")] = False,
    opts=None,
):
    """Verify the fact base: every quote is in its article, every reference resolves,
    dates are consistent, the YAML is strict. Exit 0 only when everything holds.

    \b
    Examples:
      alliances check
      alliances check --data ./my-facts --format json
    """
    def body(_):
        from ..facts.paths import resolve_data_dir
        from ..facts.store import check_dir
        from ..facts.verify import schema_text
        from ..output.report import report_json, report_text

        if schema:
            sys.stdout.write(schema_text())
            return
        data_dir = resolve_data_dir(opts.data)
        report = check_dir(data_dir)
        report["leftovers"] = _leftovers(data_dir)
        sys.stdout.write(report_json(report) if opts.format() == "json"
                         else report_text(report))
        if report["problems"]:
            raise typer.Exit(1)

    run(body, opts, needs_data=False)

"""Commands that write a fact base: init, add-article, quote, draft."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from .core import (
    Data,
    UsageProblem,
    _Command,
    _complete,
    _fail,
    _utf8_stdout,
    app,
    run,
)


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
                                           "or bounds A..B (or A/B) when the text does not "
                                           "fix the day.", metavar="DATE", show_default=False)],
    date_note: Annotated[str, typer.Option("--date-note", help="How the date was "
                                           "established (the dateline, the byline...).",
                                           metavar="NOTE", show_default=False)],
    publisher: Annotated[str | None, typer.Option("--publisher", help="Only if the "
                                                     "article names it.")] = None,
    author: Annotated[str | None, typer.Option("--author", help="Only if the article "
                                                  "names them.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Only an address the article "
                                               "itself gives.")] = None,
    retrieved_from: Annotated[str | None, typer.Option(
        "--retrieved-from", metavar="URL", help="Where this copy of the text was retrieved "
        "from: metadata about the copy, never cited as the article's words.")] = None,
    copy_note: Annotated[str | None, typer.Option(
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
        from ..curation.curate import add_article as add
        from ..curation.curate import read_input
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
        sys.stderr.write(clean(f"next: alliances draft {done['id']} "
                               f"--data {data or '$ALLIANCES_DATA'}") + "\n")

    run(_curating(body), needs_data=False)


@app.command(cls=_Command)
def quote(
    source_id: Annotated[str, typer.Argument(metavar="SOURCE", help="A source id.",
                                             autocompletion=_complete("source"),
                                             show_default=False)],
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What you remember of the "
                                        "passage: any quotes, dashes, spacing or case.",
                                        show_default=False)],
    fmt: Annotated[str | None, typer.Option(
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
        from ..answers.query import resolve
        from ..curation.curate import find_quote, yaml_str
        from ..facts.paths import source_text
        from ..output.render import clean, to_json

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
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", help="yaml (default: sections to review, then merge with "
        "`alliances apply`) or json (one candidate statement per row).",
        metavar="FORMAT")] = None,
    data: Data = None,
):
    """Propose candidate facts from one article, for a curator to review: memberships,
    member lists, recognitions and refusals, with verbatim quotes, dates from each
    sentence's own words, states the data lacks (with ISO codes), and the sentences no rule
    could read. Writes no file: `alliances apply` merges the reviewed draft.

    \b
    Examples:
      alliances draft reuters-2008
      alliances draft my-article --data ./my-facts > proposals.yaml
      alliances apply proposals.yaml --data ./my-facts --dry-run
      alliances draft rferl-2008 --format json | jq -r '.[].state'
    """
    def body(fb):
        from ..answers.query import resolve
        from ..curation.draft import draft as propose
        from ..curation.draft import rows, to_yaml, with_known_blocs
        from ..facts.paths import default_data_dir, source_text
        from ..facts.store import build_factbase
        from ..output.render import to_json

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


@app.command(cls=_Command)
def apply(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A reviewed draft (the output of "
                                        "`alliances draft`, edited); '-' reads standard "
                                        "input.", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Print the change as a "
                                          "unified diff and write nothing.")] = False,
    data: Data = None,
):
    """Merge reviewed proposals into a fact base's blocs.yaml: new states (with codes),
    blocs, rosters, memberships and recognitions appended to their sections; comments,
    layout and what is already there kept. Refuses a proposal whose quote is not in its
    article, and a result that would not load, before writing anything.

    \b
    Examples:
      alliances draft my-article --data my-facts > draft.yaml   # review and edit it
      alliances apply draft.yaml --data my-facts --dry-run
      alliances apply draft.yaml --data my-facts && alliances check --data my-facts
    """
    def body(_):
        from ..curation.apply import apply as merge
        from ..curation.curate import read_input
        from ..facts.load import decode
        from ..output.render import clean

        target = _target_dir(data)
        raw = read_input(file)
        text = decode(raw, "the draft")
        label = "stdin" if file == "-" else os.path.basename(file)
        done = merge(target, text, label, dry_run)
        if dry_run:
            sys.stdout.write(clean(done["diff"], keep_newlines=True) if done["diff"] else "")
            sys.stderr.write(clean(f"dry run: {done['added']} entries would be added, "
                                   f"{done['kept']} already there; nothing written") + "\n")
            return
        sys.stdout.write(clean(f"applied {label}: {done['added']} entries added to blocs.yaml"
                               + (f" ({', '.join(done['sections'])})" if done["sections"]
                                  else "")
                               + (f", {done['kept']} already there" if done["kept"] else ""))
                         + "\n")
        sys.stderr.write(clean(f"next: alliances check --data {data or '$ALLIANCES_DATA'}")
                         + "\n")

    run(_curating(body), needs_data=False)

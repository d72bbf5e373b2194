"""The arguments and options the commands share, as typer annotations, and their shell
completion (names from the data, allowed values, field names)."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer


def _complete(kind: str):
    """Shell completion of names from the data (the --data given so far, if any)."""
    def complete(ctx: typer.Context, incomplete: str):
        try:
            from ..facts.paths import resolve_data_dir
            from ..facts.store import load

            fb = load(resolve_data_dir(ctx.params.get("data")))
        except Exception:  # completion must never print a traceback into the shell
            return []
        from ..facts.validate import fold

        if kind == "source":
            names = list(fb.sources)
        else:
            by_kind: dict[str, list[dict[str, Any]]] = {"bloc": [fb.blocs],
                                                         "entity": [fb.entities]}
            tables = by_kind.get(kind, [fb.blocs, fb.entities])
            names = [n for t in tables for item in t.values() for n in (item.name, *item.aliases)]
        # Names match case-insensitively: `odk` completes to ODKB, the name as the data
        # spells it. A name with control characters is never handed to the shell.
        return _for_shell([n for n in dict.fromkeys(names)
                           if n.isprintable() and fold(n).startswith(fold(incomplete))])

    return complete


class _Name(str):
    """A completion that matches what was typed case-insensitively: typer keeps only
    candidates that `startswith` the typed text, so this one answers for itself."""

    def startswith(self, prefix, *args):
        from ..facts.model import fold

        return fold(self).startswith(fold(prefix))


def _for_shell(words: list[str]) -> list[str]:
    """bash inserts a completion as typed text, so `South Ossetia` must come back as
    `South\\ Ossetia`, except inside an opened quote (`"Sou<Tab>`), where readline
    inserts it as it is and closes the quote (zsh and fish quote what they insert
    themselves)."""
    if not os.environ.get("_ALLIANCES_COMPLETE", "").endswith("bash"):
        return [_Name(w) for w in words]
    import re

    typed = os.environ.get("COMP_WORDS", "").split("\n")
    try:
        current = typed[int(os.environ.get("COMP_CWORD", ""))]
    except (ValueError, IndexError):
        current = ""
    if current[:1] in ("'", '"'):
        return [_Name(w) for w in words]
    return [_Name(re.sub(r"([^\w@%+=:,./-])", r"\\\1", w)) for w in words]


def _choices(kind: str, values: tuple = ()):
    """Completion of an option's allowed values (--format, --status, --basis, --panel), not
    file names."""
    given = values

    def complete(ctx: typer.Context, incomplete: str):
        if given:
            values = given
        elif kind == "format":
            from ..output.render import FORMATS as values
        elif kind == "basis":
            from ..answers.asking import BASES as values
        else:
            from ..facts.model import MEMBERSHIP_STATUSES, NOT_LISTED, RECOGNITION_STATUSES

            values = ((*MEMBERSHIP_STATUSES, NOT_LISTED, "all") if kind == "status"
                      else (*RECOGNITION_STATUSES, "all"))
        return [v for v in values if v.startswith(incomplete.lower())]

    return complete


Fmt = Annotated[str | None, typer.Option(
    "--format", "-f", help="table | json | jsonl | csv | tsv | plain (plain: one line per row, "
    "the row's subject). Default: table on a terminal, tsv when piped.", metavar="FORMAT",
    autocompletion=_choices("format"))]
AsOf = Annotated[str | None, typer.Option(
    "--as-of", help="When the fact held: YYYY, YYYY-MM or YYYY-MM-DD (a year is the whole "
    "year), or an interval A..B or A/B (2005..2014, 2005/2014, 2008-08..2008-09, ..2008). "
    "Default: the latest "
    "date the articles speak of.", metavar="DATE")]
EachYear = Annotated[bool, typer.Option(
    "--each-year", help="With an --as-of interval: answer each year apart, one row per "
    "state and year (a `year` field), as single-year questions would.")]
KnownAt = Annotated[str | None, typer.Option(
    "--known-at", help="Use only articles published on or before DATE.", metavar="DATE")]
OneSource = Annotated[str | None, typer.Option(
    "--source", help="Answer as this one article states it (a source id).", metavar="ID",
    autocompletion=_complete("source"))]


NoColor = Annotated[bool, typer.Option(
    "--no-color", help="No colour even on a terminal (also: NO_COLOR=1; FORCE_COLOR=1 "
    "forces colour when piped).")]
Data = Annotated[str | None, typer.Option(
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


EntityArg = Annotated[str, typer.Argument(
    metavar="ENTITY", help="The recognised entity's name, alias or id (Abkhazia, \"South "
    "Ossetia\"); '-' reads names from standard input, one per line, each answered as if "
    "asked alone.", autocompletion=_complete("entity"), show_default=False)]
# compare and shared take two names on the command line (no '-')
PairBloc = Annotated[str, typer.Argument(
    metavar="BLOC", help="Bloc name, alias or id (CSTO, ODKB, SCO...).",
    autocompletion=_complete("bloc"), show_default=False)]
PairState = Annotated[str, typer.Argument(
    metavar="STATE", help="State name, alias or id.", autocompletion=_complete("entity"),
    show_default=False)]
AllDates = Annotated[str | None, typer.Option(
    "--as-of", help="When the fact held: YYYY, YYYY-MM or YYYY-MM-DD (a year is the whole "
    "year), or an interval A..B or A/B (2005..2014, 2005/2014, ..2008). Default: every "
    "date the articles "
    "speak of.", metavar="DATE")]


def _strict(ctx: typer.Context, value: bool) -> bool:
    if value:  # on the run's own context: nothing carries over to the next run in-process
        ctx.meta["alliances.strict"] = True
    return value


Strict = Annotated[bool, typer.Option(
    "--strict", help="Refuse to answer (exit 1) when the data fails `alliances check`, instead "
    "of warning (also: ALLIANCES_STRICT=1).", callback=_strict, expose_value=False)]


def _fields_completion(kind: str | None):
    def complete(ctx: typer.Context, incomplete: str):
        from ..output.fields import KINDS

        if kind is None:
            return []
        done, _, last = incomplete.rpartition(",")
        head = done + "," if done else ""
        taken = set(done.split(","))
        return [head + f for f in KINDS[kind].fields
                if f.startswith(last) and f not in taken and f not in KINDS[kind].leading]

    return complete


Status = Annotated[list[str] | None, typer.Option(
    "--status", help="Only these statuses (repeat or comma-separate): member, observer, "
    "associate, partner, aspirant, proposed, not-listed, former-member, non-member, all. "
    "Default: member.", metavar="STATUS", autocompletion=_choices("status"))]
RecStatus = Annotated[list[str] | None, typer.Option(
    "--status", help="Only these statuses (repeat or comma-separate): recognizes, "
    "does-not-recognize (an explicit refusal), not-yet (\"have yet to do so\"), all. "
    "Default: recognizes.", metavar="STATUS", autocompletion=_choices("recognition"))]
All = Annotated[bool, typer.Option("--all", help="Every status, not only the default.")]

"""Every row kind's fields, declared once.

This table feeds the JSON rows' keys (a test checks every emitted row against it), the
csv/tsv columns, the table's columns, `--fields`, each command's `--help` and the manual's
list of fields (FIELDS_DOC, a generated README block). A new field is one line here, plus
the code in answers/ that fills it.

In a kind's spec each word is a field, in the order csv/tsv and `--fields` list them:
  name    always in the row
  name*   also a column of the table (unless the table order is given apart)
  ?name   only in rows it applies to (JSON leaves it out elsewhere; flat formats leave the
          cell empty)
  +name   leads the row when the command was asked for it (`year` with --each-year,
          `query` for names read from standard input)
  =name   flat formats only (`quotes`: the quotes of `sources`, joined by " | ")
Private keys (`_sort`, `_line`) are never emitted: the module that uses one removes it.
"""

from __future__ import annotations

from typing import NamedTuple

DOCS = {
    "query": "the name asked, for names read from standard input (`-`)",
    "year": "the year answered, with --each-year",
    "state": "the state's name (or the group's: \"CSTO members except Russia\", \"every state\")",
    "bloc": "the bloc's name",
    "entity": "the recognised entity's name",
    "status": "what the evidence says holds (see the statuses below)",
    "since": "when it began, as a label (`2008-08`, `[2008-08-25..2008-08-27]`); empty when "
             "no article bounds it",
    "until": "when it ended, as a label; empty while it holds",
    "basis": "`stated` (an article places it in the period), `possible` (only carried "
             "forward, or its start is uncertain there) or `disputed`",
    "as_of": "the period answered",
    "state_id": "the state's id (null for a group)",
    "bloc_id": "the bloc's id",
    "entity_id": "the entity's id",
    "ccode": "the state's Correlates of War number",
    "iso3": "the state's ISO 3166-1 alpha-3 code",
    "since_earliest": "the first day it may have begun (ISO date; null where open)",
    "since_latest": "the last day it may have begun",
    "until_earliest": "the first day it may have ended",
    "until_latest": "the last day it may have ended",
    "sources": "the citations, each with the status its statement gives (`status`: what "
               "that article says of this state, which may differ from the row's: a "
               "`recognizes` row also cites the articles that said `not-yet`; a bloc's are "
               "`named` or `formed`): in JSON a list of {id, date, quote, status, since, until, "
               "note, url}; in csv/tsv the source ids joined by `;`, each with its statuses "
               "(`reuters-2008:member`, `outline-2014:recognizes/not-yet`); in the table "
               "footnote numbers, grouped by status when a row cites more than one, each "
               "footnote naming its status",
    "quotes": "csv/tsv: the quotes of `sources`, joined by ` | `",
    "disputed_with": "the statuses a disputed row clashes with",
    "derived": "where a bound came from other evidence",
    "group": "for a row about a group: {members_of, except}",
    "spell": "the evaluation's spell the event belongs to (what `chart` draws): {status, "
             "number, start, end, stated, ended_by}, `start` and `end` as [earliest, latest] "
             "ISO days (null for an open end, or the whole when not bounded), `stated` the "
             "[first, last] days articles place it on, `ended_by` {status, number} of the "
             "spell that follows",
    "date_earliest": "the first day the event's date allows (ISO; null where open)",
    "date_latest": "the last day the event's date allows",
    "in": "`both`, `only A`, `only B` (A and B the sides' names), `undecided` or `neither`",
    "in_a": "yes, no or undecided: the first side (compare: the first bloc; shared: the "
            "first state) is in, by its ties only (member, associate, observer)",
    "in_b": "the same for the second side",
    "bloc_a": "the first bloc's short name", "bloc_b": "the second bloc's short name",
    "status_a": "the status on the first side", "status_b": "the status on the second side",
    "basis_a": "the basis on the first side", "basis_b": "the basis on the second side",
    "state_a": "the first state's name", "state_b": "the second state's name",
    "state_a_id": "the first state's id", "state_b_id": "the second state's id",
    "change": "joined, withdrew, left out, recognized, appears, no longer said, status "
              "changed or unchanged",
    "status_before": "the status at --from", "basis_before": "its basis",
    "status_after": "the status at --to", "basis_after": "its basis",
    "before": "the --from period", "after": "the --to period",
    "result": "agree, disagree or silent (the articles leave the cell missing, -9)",
    "articles": "the COW code the articles give the cell",
    "cow": "the COW file's code for the cell",
    "statuses": "the verdicts behind the articles' code, with their basis",
    "line": "the line of the file it comes from",
    "date": "the event's date, as a label",
    "event": "what happened (joined, withdrew, recognized, listed as member...)",
    "object": "the bloc or entity",
    "object_id": "the bloc's or entity's id",
    "kind": "what kind of row it is",
    "claim_a": "one side of the disagreement", "claim_b": "the other side",
    "relation": "membership, recognition or bloc",
    "quote": "the article's verbatim sentence",
    "note": "the curator's note",
    "id": "the id",
    "name": "the name",
    "field": "where the text was found",
    "text": "the text that matched",
    "source": "the source id",
    "aliases": "other names that are accepted (a list; `;`-joined in csv/tsv)",
    "formed": "when the bloc was formed",
    "proposed": "true for a bloc still being negotiated",
    "title": "the article's headline", "publisher": "who published it",
    "author": "who wrote it", "published": "its publication date",
    "date_note": "how that date was established", "file": "its text file",
    "url": "where it was published", "retrieved_from": "where the copy was retrieved from",
    "copy_note": "how complete the copy is",
    "part": "what is explained: status, basis, since, until, combined, disputed, derived",
    "value": "that part's value in the row",
    "why": "why it is so, from the evaluation's own record",
}

_VERDICT = ("status* since* until* basis* as_of state_id {obj}_id ccode iso3 since_earliest "
            "since_latest until_earliest until_latest sources =quotes ?disputed_with ?derived "
            "?group")

SPECS = {
    # name: (spec, plain key, table columns when not the starred ones, what a row is)
    "members": ("+query +year state* bloc " + _VERDICT.format(obj="bloc"), "state", None,
                "a state's verdict in a bloc"),
    "memberships": ("+query +year state bloc* " + _VERDICT.format(obj="bloc").replace(
        "as_of", "as_of*"), "bloc", None, "a state's verdict in a bloc"),
    "recognizes": ("+query +year state* entity " + _VERDICT.format(obj="entity"), "state",
                   None, "a state's verdict on recognising an entity"),
    "recognitions": ("+query +year state entity* " + _VERDICT.format(obj="entity"), "entity",
                     None, "a state's verdict on recognising an entity"),
    "compare": ("state* in* in_a in_b bloc_a status_a* basis_a* bloc_b status_b* basis_b* "
                "as_of state_id ccode iso3 sources =quotes", "state", None, "a state and its side"),
    "shared": ("bloc* in* in_a in_b state_a status_a* basis_a* state_b status_b* basis_b* "
               "as_of* bloc_id "
               "state_a_id state_b_id sources =quotes", "bloc", None, "a bloc both belong to"),
    "changes": ("state* change* status_before* basis_before* status_after* basis_after* before "
                "after state_id sources =quotes", "state", None, "a state whose status changed"),
    "crosscheck": ("result* ccode iso3 state* state_id year* bloc* bloc_id articles* cow* "
                   "statuses* line sources =quotes", "state", None, "one COW cell"),
    "timeline": ("+query date* event* state* object* status date_earliest date_latest "
                 "state_id object_id bloc_id entity_id ?spell sources =quotes", "date", None,
                 "a dated event"),
    "disputes": ("kind* state* object* claim_a* claim_b* state_id object_id sources =quotes",
                 "state", None, "a disagreement: readings that cannot all be true, or a "
                 "complete list that omits a state listed the same day"),
    "claims": ("relation* state* object* status* since* until* quote note", "quote", None,
               "one statement of the article"),
    "search": ("kind id name field text source line", "name",
               ("kind", "name", "field", "text", "id"), "a name, quote, note or sentence"),
    "blocs": ("id* name* aliases* kind* formed* proposed sources =quotes", "name", None,
              "a bloc"),
    "states": ("id* name* aliases* kind* ccode* iso3*", "name", None, "a state or entity"),
    "sources": ("id title publisher author published date_note file url retrieved_from "
                "copy_note", "id", ("id", "published", "publisher", "author", "title"),
                "an article"),
    "explain": ("part* value* why* sources =quotes", "part", None,
                "one part of one verdict, and why"),
}


class Kind(NamedTuple):
    """One row kind: its fields (in order), which of them the table shows, the plain key."""

    name: str
    fields: tuple[str, ...]       # csv/tsv columns and --fields choices, in order
    columns: tuple[str, ...]      # the table's columns
    plain: str                    # the one field of --format plain
    optional: frozenset[str]      # only in rows they apply to
    leading: frozenset[str]       # only when the command was asked for them
    flat_only: frozenset[str]     # never a JSON key
    about: str


def _kind(name: str) -> Kind:
    spec, plain, columns, about = SPECS[name]
    fields: list[str] = []
    table: list[str] = []
    optional: set[str] = set()
    leading: set[str] = set()
    flat: set[str] = set()
    for word in spec.split():
        mark, f = (word[0], word[1:]) if word[0] in "?+=" else ("", word)
        star = f.endswith("*")
        f = f.rstrip("*")
        fields.append(f)
        if star:
            table.append(f)
        {"?": optional, "+": leading, "=": flat}.get(mark, set()).add(f)
    return Kind(name, tuple(fields), tuple(columns or table), plain, frozenset(optional),
                frozenset(leading), frozenset(flat), about)


KINDS = {name: _kind(name) for name in SPECS}


def flat_fields(kind: Kind, extra: tuple = ()) -> tuple[str, ...]:
    """The csv/tsv columns: the leading fields asked for, then every field of the kind."""
    return (*[f for f in kind.fields if f in extra],
            *[f for f in kind.fields if f not in kind.leading])


def json_keys(kind: Kind, extra: tuple = ()) -> tuple[frozenset, frozenset]:
    """(keys every JSON row has, keys a JSON row may have)."""
    every = {f for f in kind.fields if f not in kind.optional | kind.leading | kind.flat_only}
    every |= set(extra)
    return frozenset(every), frozenset(every | kind.optional)


class FieldError(ValueError):
    """An unknown --fields name; the message lists the kind's fields."""


def choose(kind: Kind, asked: str, extra: tuple = ()) -> tuple[str, ...]:
    """The --fields list, checked against the kind's fields (with the list on error, as
    gh's --json gives it)."""
    from ..facts.names import did_you_mean

    wanted = [f.strip() for f in asked.split(",") if f.strip()]
    allowed = [f for f in kind.fields if f not in kind.leading or f in extra]
    if not wanted:
        raise FieldError(f"--fields needs field names; {kind.name} rows have: "
                         f"{', '.join(allowed)}")
    for f in wanted:
        if f not in allowed:
            near = did_you_mean(f, allowed)
            raise FieldError(f"unknown field {f!r} for --fields{'; ' + near if near else ''}"
                             f" ({kind.name} rows have: {', '.join(allowed)})")
    return tuple(dict.fromkeys(wanted))


def help_text(name: str) -> str:
    """The line each command's --help ends with."""
    kind = KINDS[name]
    shown = [f for f in kind.fields if f not in kind.leading]
    return f"Fields (--fields, json/jsonl/csv/tsv): {', '.join(shown)}."


def _doc() -> str:
    lines = []
    for name, kind in KINDS.items():
        lines.append(f"{name} ({kind.about}):")
        for f in kind.fields:
            mark = (" (when it applies)" if f in kind.optional else
                    " (when asked)" if f in kind.leading else
                    " (csv/tsv)" if f in kind.flat_only else "")
            lines.append(f"  {f:<15} {DOCS[f]}{mark}")
        lines.append("")
    return "\n".join(lines)


def __getattr__(name: str) -> str:
    if name == "FIELDS_DOC":  # built when the manual asks for it, not on every query
        return _doc()
    raise AttributeError(name)

"""Pure questions over a FactBase: no I/O, no printing. Every answer is a list of rows
(plain dicts) that carry their citations.

The questions do not decide what the evidence says: evaluate.py combines the admitted
statements of each (relation, subject, object) once and gives each period its verdicts;
every question here (and every export) turns those verdicts into rows, so the same question
asked through two commands or two formats gets the same answer.

The questions live in modules split by job, each read in one sitting:
- filters.py: which articles count (Filters), names resolved to ids, Answer and its errors;
- rows.py: a verdict as a row, a statement as a citation, an article as a `sources` entry;
- gathering.py: the evidence of a question, group statements expanded to states;
- standing.py: members, memberships, recognizers, recognitions and their notes;
- pairs.py: compare, shared, changes;
- history.py: timeline, disputes, claims, search.

This module keeps every name it had before the split: each is imported from its home on
first use, so a `members` run loads the modules `members` needs and no other.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# where each name lives: a module (relative to this package), or module:name for a renamed one
_HOMES: dict[str, tuple[str, ...]] = {
    ".filters": ("Answer", "EmptyName", "Filters", "KIND_WORD", "NO_FILTER", "NameNotFound",
        "resolve", "resolve_any",),
    ".rows": ("_day", "_range_fields", "_roster_cite", "cite", "codes_of", "evidence_cites",
        "group_label", "short_name", "source_entry", "subject_name", "verdict_row",),
    ".gathering": ("_MEMO", "_admitted", "_bloc_evidence", "_exists", "_formed", "_members_at",
        "_memo", "_outside", "evidence", "evidence_each", "expand_groups", "group_date",
        "group_statements", "keep_spells", "latest_stated", "unexpanded_groups", "_store",),
    ".standing": ("SHOWN", "STATUS_ORDER", "_answer", "_counts", "_coverage_note",
        "_hidden_note", "_hidden_row", "_not_carried_back", "_silence_note", "_wanted",
        "_sort", "existence_notes", "members", "membership_evidence", "memberships",
        "recognitions", "recognizers",),
    ".pairs": ("TIE", "_default_pair_period", "_inside", "_pairs", "_primary", "_side",
        "_union", "changes", "compare", "shared",),
    ".history": ("START_WORDS", "STATED_WORDS", "_dispute_row", "_dispute_rows", "_sentences",
        "_stated_of", "claims", "disputes", "order_by_text", "search", "spell_field",
        "timeline",),
    ".evaluate": ("ALL_TIME", "Evidence", "HELD", "PRIORITY", "Verdict", "exclusive", "gather",
        "gather_each", "verdicts",),
    "..facts.dates": ("DateRange", "MAX", "MIN", "bounds", "parse_partial",),
    "..facts.model": ("BELONGS", "Citation", "ENDED", "FactBase", "NOT_LISTED", "Roster",
        "STATUSES", "Statement", "fold",),
    "..facts.names": ("closest",),
    "..facts.names:short_name": ("_short_of",),
    "typing": ("NamedTuple",),
}
_HOME = {name: home for home, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, _, real = home.partition(":")
    value = getattr(import_module(module, __package__), real or name)
    globals()[name] = value  # later lookups (and monkeypatching) see a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME})


if TYPE_CHECKING:  # the same names, for mypy and editors
    from typing import NamedTuple as NamedTuple

    from ..facts.dates import (
        MAX as MAX,
    )
    from ..facts.dates import (
        MIN as MIN,
    )
    from ..facts.dates import (
        DateRange as DateRange,
    )
    from ..facts.dates import (
        bounds as bounds,
    )
    from ..facts.dates import (
        parse_partial as parse_partial,
    )
    from ..facts.model import (
        BELONGS as BELONGS,
    )
    from ..facts.model import (
        ENDED as ENDED,
    )
    from ..facts.model import (
        NOT_LISTED as NOT_LISTED,
    )
    from ..facts.model import (
        STATUSES as STATUSES,
    )
    from ..facts.model import (
        Citation as Citation,
    )
    from ..facts.model import (
        FactBase as FactBase,
    )
    from ..facts.model import (
        Roster as Roster,
    )
    from ..facts.model import (
        Statement as Statement,
    )
    from ..facts.model import (
        fold as fold,
    )
    from ..facts.names import (
        closest as closest,
    )
    from .evaluate import (
        ALL_TIME as ALL_TIME,
    )
    from .evaluate import (
        HELD as HELD,
    )
    from .evaluate import (
        PRIORITY as PRIORITY,
    )
    from .evaluate import (
        Evidence as Evidence,
    )
    from .evaluate import (
        Verdict as Verdict,
    )
    from .evaluate import (
        exclusive as exclusive,
    )
    from .evaluate import (
        gather as gather,
    )
    from .evaluate import (
        gather_each as gather_each,
    )
    from .evaluate import (
        verdicts as verdicts,
    )
    from .filters import (
        KIND_WORD as KIND_WORD,
    )
    from .filters import (
        NO_FILTER as NO_FILTER,
    )
    from .filters import (
        Answer as Answer,
    )
    from .filters import (
        EmptyName as EmptyName,
    )
    from .filters import (
        Filters as Filters,
    )
    from .filters import (
        NameNotFound as NameNotFound,
    )
    from .filters import (
        resolve as resolve,
    )
    from .filters import (
        resolve_any as resolve_any,
    )
    from .gathering import (
        _MEMO as _MEMO,
    )
    from .gathering import (
        _admitted as _admitted,
    )
    from .gathering import (
        _bloc_evidence as _bloc_evidence,
    )
    from .gathering import (
        _exists as _exists,
    )
    from .gathering import (
        _formed as _formed,
    )
    from .gathering import (
        _members_at as _members_at,
    )
    from .gathering import (
        _memo as _memo,
    )
    from .gathering import (
        _outside as _outside,
    )
    from .gathering import (
        _store as _store,
    )
    from .gathering import (
        evidence as evidence,
    )
    from .gathering import (
        evidence_each as evidence_each,
    )
    from .gathering import (
        expand_groups as expand_groups,
    )
    from .gathering import (
        group_date as group_date,
    )
    from .gathering import (
        group_statements as group_statements,
    )
    from .gathering import (
        keep_spells as keep_spells,
    )
    from .gathering import (
        latest_stated as latest_stated,
    )
    from .gathering import (
        unexpanded_groups as unexpanded_groups,
    )
    from .history import (
        START_WORDS as START_WORDS,
    )
    from .history import (
        STATED_WORDS as STATED_WORDS,
    )
    from .history import (
        _dispute_row as _dispute_row,
    )
    from .history import (
        _dispute_rows as _dispute_rows,
    )
    from .history import (
        _sentences as _sentences,
    )
    from .history import (
        _stated_of as _stated_of,
    )
    from .history import (
        claims as claims,
    )
    from .history import (
        disputes as disputes,
    )
    from .history import (
        order_by_text as order_by_text,
    )
    from .history import (
        search as search,
    )
    from .history import (
        spell_field as spell_field,
    )
    from .history import (
        timeline as timeline,
    )
    from .pairs import (
        TIE as TIE,
    )
    from .pairs import (
        _default_pair_period as _default_pair_period,
    )
    from .pairs import (
        _inside as _inside,
    )
    from .pairs import (
        _pairs as _pairs,
    )
    from .pairs import (
        _primary as _primary,
    )
    from .pairs import (
        _side as _side,
    )
    from .pairs import (
        _union as _union,
    )
    from .pairs import (
        changes as changes,
    )
    from .pairs import (
        compare as compare,
    )
    from .pairs import (
        shared as shared,
    )
    from .rows import (
        _day as _day,
    )
    from .rows import (
        _range_fields as _range_fields,
    )
    from .rows import (
        _roster_cite as _roster_cite,
    )
    from .rows import (
        cite as cite,
    )
    from .rows import (
        codes_of as codes_of,
    )
    from .rows import (
        evidence_cites as evidence_cites,
    )
    from .rows import (
        group_label as group_label,
    )
    from .rows import (
        short_name as short_name,
    )
    from .rows import (
        source_entry as source_entry,
    )
    from .rows import (
        subject_name as subject_name,
    )
    from .rows import (
        verdict_row as verdict_row,
    )
    from .standing import (
        SHOWN as SHOWN,
    )
    from .standing import (
        STATUS_ORDER as STATUS_ORDER,
    )
    from .standing import (
        _answer as _answer,
    )
    from .standing import (
        _counts as _counts,
    )
    from .standing import (
        _coverage_note as _coverage_note,
    )
    from .standing import (
        _hidden_note as _hidden_note,
    )
    from .standing import (
        _hidden_row as _hidden_row,
    )
    from .standing import (
        _not_carried_back as _not_carried_back,
    )
    from .standing import (
        _silence_note as _silence_note,
    )
    from .standing import (
        _sort as _sort,
    )
    from .standing import (
        _wanted as _wanted,
    )
    from .standing import (
        existence_notes as existence_notes,
    )
    from .standing import (
        members as members,
    )
    from .standing import (
        membership_evidence as membership_evidence,
    )
    from .standing import (
        memberships as memberships,
    )
    from .standing import (
        recognitions as recognitions,
    )
    from .standing import (
        recognizers as recognizers,
    )

"""The fact base as small frozen dataclasses.

A Statement is one claim by one article, shaped like a Wikidata statement: subject
(a state), relation (membership or recognition), object (a bloc or an entity), qualifiers
(status, since, until) and one Citation. Two articles saying the same thing are two
Statements; the query layer merges them into one row with both citations, or shows them
apart when they disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .dates import DateRange

MEMBERSHIP_STATUSES = (
    "member",         # full member (COW code 1)
    "associate",      # associate member (COW code 2)
    "observer",       # observer (COW code 3)
    "partner",        # a partnership or agreement short of membership
    "aspirant",       # seeks to join
    "proposed",       # a participant in a bloc or accession still being negotiated
    "former-member",  # withdrew; derived from a member statement's `until`
    "non-member",     # an article says the state is not a member
)
RECOGNITION_STATUSES = ("recognizes", "does-not-recognize")
# Shown by `members`/`memberships` unless --all or --status asks otherwise.
DEFAULT_HIDDEN = frozenset({"former-member", "non-member"})
# Derived at query time: an earlier article lists the state; a later complete list omits it.
NOT_LISTED = "not-listed"


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    publisher: str | None
    author: str | None
    published: DateRange
    date_note: str
    file: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    source: str
    quote: str
    note: str | None
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class Entity:
    """A state or a breakaway region: anything that joins blocs or is recognised."""

    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str


@dataclass(frozen=True, slots=True)
class Bloc:
    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    formed: DateRange | None
    formed_citation: Citation | None
    proposed: bool
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Group:
    """A subject named only collectively: "other members of the CSTO" (not listed)."""

    bloc: str
    exclude: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Statement:
    relation: str               # "membership" | "recognition"
    subject: str                # entity id of the state (or the group's bloc id)
    object: str                 # bloc id (membership) or entity id (recognition)
    status: str
    since: DateRange | None
    until: DateRange | None
    stated: DateRange           # when the article asserts it: its publication date
    citation: Citation
    group: Group | None = None
    forecast: bool = False
    roster: bool = False        # part of an article's list of a bloc's members


@dataclass(frozen=True, slots=True)
class Roster:
    """An article's list of a bloc's members; `complete` lists support omission checks."""

    bloc: str
    citation: Citation
    stated: DateRange
    states: frozenset[str]
    complete: bool


@dataclass(slots=True)
class FactBase:
    data_dir: str
    sources: dict[str, Source]
    entities: dict[str, Entity]
    blocs: dict[str, Bloc]
    statements: list[Statement]
    rosters: list[Roster]
    fact_count: int = 0
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # folded -> (kind, id)

    def name_of(self, ident: str) -> str:
        """Display name for an entity or bloc id."""
        for table in (self.entities, self.blocs):
            if ident in table:
                return table[ident].name
        return ident

"""The fact base as small immutable records.

A Statement is one claim by one article, shaped like a Wikidata statement: subject
(a state), relation (membership or recognition), object (a bloc or an entity), qualifiers
(status, since, until) and one Citation. Two articles saying the same thing are two
Statements; the query layer merges them into one row with both citations, or shows them
apart when they disagree.

The records are NamedTuples rather than frozen dataclasses: just as immutable, but defining
them costs a tenth of the start-up time, and they pickle compactly for the cache.
"""

from __future__ import annotations

from typing import NamedTuple

from .dates import DateRange

# The data directory's layout (validate reads them, the cache signs them).
BLOCS_FILE = "blocs.yaml"
SOURCES_FILE = "sources/sources.yaml"


def fold(name: str) -> str:
    """Case-insensitive key for names: Unicode case folding after NFKC normalisation
    (which plain ASCII does not need, so it skips loading the Unicode tables). Here, not in
    validate, so that a query never imports the validator."""
    if not name.isascii():
        import unicodedata

        name = unicodedata.normalize("NFKC", name)
    return " ".join(name.casefold().split())

# Derived at query time: an earlier article lists the state; a later complete list omits it.
NOT_LISTED = "not-listed"


class Status(NamedTuple):
    """One row of the status table: everything the code knows about a status."""

    relation: str          # membership | recognition
    group: str | None      # statuses of one group exclude each other; None: holds beside any
    rank: int              # when several hold in one period, the strongest first
    cow: int | None        # the COW IGO code of a state-year in which it is stated
    written: bool          # a curator writes it; False: derived by the tool
    start: str             # timeline's word for its start
    meaning: str


# The one table of statuses (README "Statuses" is generated from it). A status's `group`
# says which others it excludes on one day for one (state, bloc) or (state, entity):
# "tie" for the ties and their absence, "recognition" for recognising and not; None for a
# status that can hold beside any other (a partner may also be an aspirant).
STATUSES: dict[str, Status] = {
    "member": Status("membership", "tie", 0, 1, True, "joined", "full member (COW 1)"),
    "associate": Status("membership", "tie", 1, 2, True, "associate from",
                        "associate member (COW 2)"),
    "observer": Status("membership", "tie", 2, 3, True, "observer from", "observer (COW 3)"),
    "suspended": Status("membership", "tie", 3, 1, True, "suspended from",
                        "a member whose participation is suspended or frozen; COW codes "
                        "formal membership, so the panel codes it 1"),
    "dialogue-partner": Status("membership", "tie", 4, 0, True, "dialogue partner from",
                               "dialogue partner, short of observer (COW has no code: 0)"),
    "partner": Status("membership", None, 5, 0, True, "partner from",
                      "a partnership or agreement short of membership (COW: 0)"),
    "aspirant": Status("membership", None, 6, 0, True, "aspirant from", "seeks to join (COW: 0)"),
    "proposed": Status("membership", None, 7, None, True, "proposed from",
                       "a participant in a bloc or accession still being negotiated"),
    NOT_LISTED: Status("membership", "tie", 8, None, False, "left out of a complete list",
                       "listed by an earlier article, left out of a later complete list"),
    "former-member": Status("membership", "tie", 9, 0, False, "withdrew",
                            "withdrew: derived from a member statement's `until` (COW: 0)"),
    "non-member": Status("membership", "tie", 10, 0, True, "non-member from",
                         "an article says the state is not a member (COW: 0)"),
    "recognizes": Status("recognition", "recognition", 0, None, True, "recognized",
                         "recognises the entity (an `until` ends it: withdrawn, revoked)"),
    "withdrawn": Status("recognition", "recognition", 1, None, False, "withdrew recognition",
                        "withdrew or revoked its recognition: derived from a recognizes "
                        "statement's `until`"),
    "does-not-recognize": Status("recognition", "recognition", 2, None, True,
                                 "refused to recognize",
                                 "an explicit refusal: \"stopped short of\", \"failed to\""),
    "not-yet": Status("recognition", "recognition", 3, None, True, "not yet recognizing",
                      "\"have yet to do so\": had not recognised at the article's date; an "
                      "earlier recognition contradicts it (a dispute)"),
}
def __getattr__(name: str):
    """STATUS_DOC, the status table in words, built only when the manual asks for it."""
    if name != "STATUS_DOC":
        raise AttributeError(name)
    group_words = {"tie": "excludes every other tie status",
                   "recognition": "recognising excludes not recognising", None: "holds beside any"}
    lines = [f"{'status':<20} {'relation':<12} {'COW':>4}  {'written by':<10}  excludes / meaning"]
    for k, v in STATUSES.items():
        cow = "" if v.cow is None else str(v.cow)
        written = "curator" if v.written else "derived"
        words = ("excludes each role a complete list gives (member, associate, observer, "
                 "suspended, dialogue-partner)" if k == NOT_LISTED else group_words[v.group])
        lines.append(f"{k:<20} {v.relation:<12} {cow:>4}  {written:<10}"
                     f"  {words}: {v.meaning}")
    return "\n".join(lines) + "\n"


# What "belongs to the bloc" means wherever it is asked (a group statement's "the members
# of", compare and shared): a full member, or a member whose participation is suspended
# (COW codes formal membership, so the panel codes a suspension 1 too).
BELONGS = frozenset({"member", "suspended"})

# The status a spell turns into after its stated end (`until`).
ENDED = {"member": "former-member", "recognizes": "withdrawn"}
MEMBERSHIP_STATUSES = tuple(k for k, v in STATUSES.items()
                            if v.relation == "membership" and k != NOT_LISTED)
RECOGNITION_STATUSES = tuple(k for k, v in STATUSES.items() if v.relation == "recognition")


class Source(NamedTuple):
    id: str
    title: str
    publisher: str | None
    author: str | None
    published: DateRange
    date_note: str
    file: str
    url: str | None = None
    sha256: str | None = None   # of the text's bytes when it was added (check compares)
    line: int = 0               # the line of its id in sources.yaml
    # About the copy, not the article: where its text was retrieved from, and how complete
    # the copy is (cut off, site navigation kept). Never cited as the article's own words.
    retrieved_from: str | None = None
    copy_note: str | None = None


class Citation(NamedTuple):
    source: str
    quote: str
    note: str | None
    file: str
    line: int


class Entity(NamedTuple):
    """A state or a breakaway region: anything that joins blocs or is recognised."""

    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    ccode: int | None = None   # Correlates of War state number
    iso3: str | None = None    # ISO 3166-1 alpha-3
    iso2: str | None = None    # ISO 3166-1 alpha-2
    line: int = 0              # where blocs.yaml defines it
    parent: str | None = None  # a breakaway region's parent state (never in its groups)
    exists_from: str | None = None  # a partial date: a state in the state system from then


class Bloc(NamedTuple):
    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    formed: DateRange | None
    formed_citation: Citation | None
    proposed: bool
    citations: tuple[Citation, ...]
    cow: str | None = None      # its column in the COW IGO state-year data (crosscheck)


EVERYONE = "*"  # the subject id of a statement about every state ("were not recognized")


class Group(NamedTuple):
    """A subject named only collectively, kept as the article states it: the members of a
    bloc except named ones ("other members of the CSTO"), every state ("The republics were
    not officially recognized"), or every state except named ones ("only Nicaragua has
    followed Russia's lead"). Expanded per state at evaluation, from the evidence admitted."""

    bloc: str | None
    exclude: tuple[str, ...]
    everyone: bool = False


class Statement(NamedTuple):
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
    # Set on the per-state statements a group statement expands to at evaluation: the
    # group's label and the articles that supplied the membership it was expanded from.
    via: tuple | None = None


class Roster(NamedTuple):
    """An article's list of a bloc's members; `complete` lists support omission checks."""

    bloc: str
    citation: Citation
    stated: DateRange
    states: frozenset[str]
    complete: bool


class FactBase:
    """Everything one data directory holds, validated; the unit the cache stores."""

    __slots__ = ("data_dir", "sources", "entities", "blocs", "statements", "rosters",
                 "fact_count", "names", "_by_subject", "problems", "texts")

    def __init__(self, data_dir: str, sources: dict, entities: dict, blocs: dict,
                 statements: list, rosters: list):
        self.data_dir = data_dir
        self.sources: dict[str, Source] = sources
        self.entities: dict[str, Entity] = entities
        self.blocs: dict[str, Bloc] = blocs
        self.statements: list[Statement] = statements
        self.rosters: list[Roster] = rosters
        self.fact_count = 0
        self.names: dict[str, tuple[str, str]] = {}  # folded name -> (kind, id)
        # What verification found (check.verify, once per change of the files): problems
        # as (file, line, message), and the article texts it read, as cache signature entries.
        self.problems: tuple = ()
        self.texts: tuple = ()

    # Access by what a question is about. A query asks only for the statements it needs,
    # so that the cache (cache.py) can load just those from disk; in memory these scan.
    def for_objects(self, objects) -> list[Statement]:
        """Statements about these blocs (memberships) or entities (recognitions)."""
        wanted = set(objects)
        return [s for s in self.statements if s.object in wanted]

    def for_subject(self, subject: str) -> list[Statement]:
        """Statements whose subject is this state (not a group it belongs to): indexed on
        first use, so many questions in one process each cost only their own statements."""
        index = getattr(self, "_by_subject", None)
        if index is None:
            index = {}
            for s in self.statements:
                if s.group is None:
                    index.setdefault(s.subject, []).append(s)
            self._by_subject = index
        return list(index.get(subject, ()))

    def rosters_for(self, blocs) -> list[Roster]:
        wanted = set(blocs)
        return [r for r in self.rosters if r.bloc in wanted]

    def name_of(self, ident: str) -> str:
        """Display name for an entity or bloc id."""
        for table in (self.entities, self.blocs):
            if ident in table:
                return table[ident].name
        return ident

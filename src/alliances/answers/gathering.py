"""The evidence each question reads: the admitted statements and rosters, group statements
("the members of the CSTO") expanded to the states a roster gives on their date.
Split from query.py, which re-exports every name.
"""

from __future__ import annotations

import sys

from ..facts.dates import DateRange, bounds, parse_partial
from ..facts.model import BELONGS, FactBase, Statement
from .evaluate import HELD, Evidence, gather, gather_each, verdicts
from .filters import NO_FILTER, Filters
from .rows import group_label, short_name


def _admitted(fb: FactBase, filters: Filters, statements, rosters=()):
    """Only what the chosen articles say (--source, --known-at)."""
    if filters == NO_FILTER:
        return list(statements), list(rosters)
    return ([s for s in statements if filters.admits(fb, s.citation.source)],
            [r for r in rosters if filters.admits(fb, r.citation.source)])


def _formed(fb: FactBase, filters: Filters):
    """The formation bound of a bloc, when its article is admitted."""
    def formed_of(bloc):
        b = fb.blocs.get(bloc)
        if b is None or b.formed is None or not filters.admits(fb, b.formed_citation.source):
            return None
        return b.formed
    return formed_of


_MEMO: dict = {}


def keep_spells() -> None:
    """Keep combined spells between runs (answers/kept.py): for the bulk commands, which
    combine every key of the record; a single question reads no more files than before."""
    from . import kept

    kept.KEEP[0] = True


def _store(fb: FactBase, filters: Filters):
    kept = sys.modules.get("alliances.answers.kept")  # (imported only by keep_spells)
    if kept is None or not kept.KEEP[0] or filters != NO_FILTER:
        return None
    return kept.store_for(fb)


def _memo(fb: FactBase) -> dict:
    """What group expansion remembers in a process, for one fact base: a bloc's combined
    membership evidence per filters, and its members per filters and date, shared by
    every group statement and every question of a run (a list of names through `-`)."""
    if _MEMO.get("fb") is not fb:
        _MEMO.clear()
        _MEMO["fb"] = fb
    return _MEMO


def _bloc_evidence(fb: FactBase, bloc: str, filters: Filters) -> list[Evidence]:
    """The admitted membership evidence of one bloc, combined once (see _memo)."""
    memo, key = _memo(fb), ("evidence", bloc, filters)
    if key not in memo:
        stmts, rost = _admitted(fb, filters, [s for s in fb.for_objects([bloc])
                                               if s.relation == "membership"],
                                fb.rosters_for([bloc]))
        memo[key] = gather(stmts, rost, _formed(fb, filters), _store(fb, filters))
    return memo[key]


def _members_at(fb: FactBase, bloc: str, when: DateRange, filters: Filters):
    """(state, basis, source ids) of each state the admitted evidence makes belong to the
    bloc on that date (BELONGS: a member, or a member whose participation is suspended):
    what a group statement about "the members of" it expands to."""
    memo, key = _memo(fb), ("members", bloc, filters, when)
    if key not in memo:
        # kept between runs with the bloc's spells (answers/kept.py), when they are
        store = _store(fb, filters)
        where = None if store is None else store.members_where(
            bloc, when, _formed(fb, filters)(bloc))
        got = None if where is None else store.members_get(bloc, where)
        if got is not None:
            memo[key] = got
            return got
        out = []
        for ev in _bloc_evidence(fb, bloc, filters):
            every = verdicts(ev, when)
            vs = [v for v in every if v.status in BELONGS]
            if vs:
                ids = tuple(dict.fromkeys(c.citation.source for v in vs
                                          for c in v.episode.claims))
                basis = "stated" if any(v.basis in HELD for v in vs) else "possible"
                out.append((ev.subject, basis, ids))
                continue
            # The group's own sentence places the membership at its date: a spell whose
            # start no article bounds may reach back to it (R8), as only possible, where
            # nothing else is known of the state then.
            early = [e for e in ev.episodes if e.status in BELONGS and not every
                     and e.start_lo <= when.latest and e.carry_from > when.latest]
            if early:
                ids = tuple(dict.fromkeys(c.citation.source for e in early for c in e.claims))
                out.append((ev.subject, "possible", ids))
        memo[key] = out
        if where is not None:
            store.members_put(bloc, where, out)
    return memo[key]


def group_date(s: Statement) -> DateRange:
    """The date a group statement speaks of: its own since/until where it gives them ("In
    1995 the other members ... refused"), else its article's date."""
    if s.since is not None and s.until is not None:
        return bounds(min(s.since.earliest, s.until.earliest), max(s.since.latest,
                                                                   s.until.latest))
    return s.since or s.until or s.stated


def _exists(fb: FactBase, state: str, when: DateRange) -> bool:
    """Whether a state could be in the state system on some day of `when`."""
    e = fb.entities.get(state)
    if e is None or e.exists_from is None:
        return True
    return parse_partial(e.exists_from).earliest <= when.latest


def _outside(fb: FactBase, s: Statement, state: str) -> bool:
    """A state a group statement never reaches: one it names as an exception, the entity
    itself, the state the entity broke away from, or a state not yet in existence."""
    ent = fb.entities.get(s.object)
    assert s.group is not None
    return (state in s.group.exclude or state == s.object
            or (ent is not None and ent.parent == state)
            or not _exists(fb, state, group_date(s)))


def expand_groups(fb: FactBase, statements, filters: Filters) -> list[Statement]:
    """Group statements as per-state statements, each remembering the group and the
    articles that supplied its membership (for the date the sentence speaks of); the rest
    as they are. A group is never answered as if it were a state."""
    out: list[Statement] = []
    for s in statements:
        if s.group is None:
            out.append(s)
            continue
        label = group_label(fb, s.group)
        if s.group.everyone:
            for e in fb.entities.values():
                if e.kind == "state" and not _outside(fb, s, e.id):
                    out.append(s._replace(subject=e.id, group=None, via=(label, (), "stated")))
            continue
        for state, basis, ids in _members_at(fb, s.group.bloc, group_date(s), filters):
            if not _outside(fb, s, state):
                out.append(s._replace(subject=state, group=None, via=(label, ids, basis)))
    return out


def evidence(fb: FactBase, statements, rosters, filters: Filters) -> list[Evidence]:
    """The admitted evidence, combined once per (relation, subject, object)."""
    stmts, rost = _admitted(fb, filters, statements, rosters)
    return gather(expand_groups(fb, stmts, filters), rost, _formed(fb, filters),
                  _store(fb, filters))


def evidence_each(fb: FactBase, statements, rosters, filters: Filters):
    """The same evidence one key at a time, for answers too large to hold at once."""
    stmts, rost = _admitted(fb, filters, statements, rosters)
    return gather_each(expand_groups(fb, stmts, filters), rost, _formed(fb, filters),
                       store=_store(fb, filters))


def group_statements(fb: FactBase, relation: str) -> list[Statement]:
    """Statements about a group of states (which a question about one state must expand):
    they are about the entities that are not states, or about blocs."""
    objects = ([e for e, ent in fb.entities.items() if ent.kind != "state"]
               if relation == "recognition" else list(fb.blocs))
    return [s for s in fb.for_objects(objects) if s.group is not None and s.relation == relation]


def latest_stated(statements) -> DateRange | None:
    """The date of the most recent article among these statements (the default --as-of)."""
    best = None
    for s in statements:
        # the latest article; of two that may be as late, the one whose date is certain
        if best is None or (s.stated.latest, s.stated.earliest) > (best.latest, best.earliest):
            best = s.stated
    return best


def unexpanded_groups(fb: FactBase, statements, filters: Filters) -> list[str]:
    """A note for each admitted group statement that reaches no state: no admitted article
    gives its bloc's members on the date it speaks of (E15)."""
    notes = []
    stmts, _ = _admitted(fb, filters, statements)
    for s in stmts:
        if s.group is None or s.group.everyone or s.group.bloc is None:
            continue
        when = group_date(s)
        if not any(not _outside(fb, s, st)
                   for st, _b, _i in _members_at(fb, s.group.bloc, when, filters)):
            note = (f"{s.citation.source}'s statement about {group_label(fb, s.group)} "
                    f"could not be expanded: no article (of those chosen) gives the members "
                    f"of {short_name(fb, s.group.bloc)} on {when.label}")
            if note not in notes:
                notes.append(note)
    return notes

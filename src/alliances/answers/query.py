"""Pure questions over a FactBase: no I/O, no printing. Every answer is a list of rows
(plain dicts) that carry their citations.

The questions do not decide what the evidence says: evaluate.py combines the admitted
statements of each (relation, subject, object) once and gives each period its verdicts;
every question here (and every export) turns those verdicts into rows, so the same question
asked through two commands or two formats gets the same answer.
"""

from __future__ import annotations

from typing import NamedTuple

from ..facts.dates import MAX, MIN, DateRange, bounds, parse_partial
from ..facts.model import (
    BELONGS,
    ENDED,
    NOT_LISTED,
    STATUSES,
    Citation,
    FactBase,
    Roster,
    Statement,
    fold,
)
from ..facts.names import closest
from ..facts.names import short_name as _short_of
from .evaluate import (
    ALL_TIME,
    HELD,
    PRIORITY,
    Evidence,
    Verdict,
    exclusive,
    gather,
    gather_each,
    verdicts,
)


class NameNotFound(LookupError):
    """An unknown name; the message carries "did you mean" suggestions."""


class EmptyName(ValueError):
    """An empty name or search text: a usage error, whatever the command."""


class Filters(NamedTuple):
    """Which articles count: one source (--source) and/or those published by --known-at."""

    source: str | None = None
    known_at: DateRange | None = None

    def admits(self, fb: FactBase, source_id: str) -> bool:
        if self.source is not None and source_id != self.source:
            return False
        if (self.known_at is not None
                and fb.sources[source_id].published.latest > self.known_at.latest):
            return False
        return True


NO_FILTER = Filters()


# -- names ---------------------------------------------------------------------------
KIND_WORD = {"bloc": "bloc", "entity": "state or entity", "source": "source"}


def resolve(fb: FactBase, name: str, kind: str) -> str:
    """The id that `name` (id, name or alias, any case) denotes, of the wanted kind."""
    if not name.strip():
        raise EmptyName(f"empty {KIND_WORD[kind]} name: give a name, alias or id")
    if kind == "source":
        if name in fb.sources:
            return name
        table = {fold(s): s for s in fb.sources}
        hit = table.get(fold(name))
        if hit:
            return hit
        candidates = list(fb.sources)
    else:
        named = fb.names.get(fold(name))
        if named and named[0] == kind:
            return named[1]
        if named:
            other = KIND_WORD[named[0]]
            raise NameNotFound(f"{name!r} is a {other}, not a {KIND_WORD[kind]}")
        candidates = sorted({n for n, (k, _) in fb.names.items() if k == kind})
        for _ident, item in (fb.blocs if kind == "bloc" else fb.entities).items():
            candidates.append(item.name)

    close = closest(fold(name), [fold(c) for c in candidates])
    pretty = []
    for c in close:
        ident = fb.names.get(c, (None, c))[1] if kind != "source" else c
        label = (fb.name_of(ident) if kind != "source" else ident)
        if kind == "bloc" and ident in fb.blocs:
            label = _short_of(fb.blocs[ident])
        if label not in pretty:
            pretty.append(label)
    hint = f"; did you mean {' or '.join(repr(p) for p in pretty)}?" if pretty else ""
    listing = {"bloc": "alliances blocs", "entity": "alliances states",
               "source": "alliances sources"}[kind]
    raise NameNotFound(f"unknown {KIND_WORD[kind]} {name!r}{hint} (see '{listing}')")


def resolve_any(fb: FactBase, name: str) -> tuple[str, str]:
    """(kind, id) of a bloc or entity name; suggestions come from both kinds."""
    if not name.strip():
        raise EmptyName("empty name: give a bloc or state name, alias or id")
    hit = fb.names.get(fold(name))
    if hit:
        return hit

    close = closest(fold(name), list(fb.names))
    labels = []
    for c in close:
        label = fb.name_of(fb.names[c][1])
        if label not in labels:
            labels.append(label)
    hint = f"; did you mean {' or '.join(repr(x) for x in labels)}?" if labels else ""
    raise NameNotFound(f"unknown bloc or state {name!r}{hint} (see 'alliances blocs', "
                       "'alliances states')")


# -- rows ----------------------------------------------------------------------------
def _day(d) -> str | None:
    return None if d in (MIN, MAX) else d.isoformat()


def source_entry(fb: FactBase, c: Citation, since: DateRange | None = None,
                 until: DateRange | None = None, note: str | None = None,
                 status: str | None = None) -> dict:
    """One entry of a row's `sources`: the article, its date, the quote, what the article
    says (its own status and dating), and the curator's note."""
    src = fb.sources[c.source]
    out: dict[str, str | None] = {"id": src.id, "date": src.published.label, "quote": c.quote}
    if src.url:
        out["url"] = src.url
    if status is not None:
        out["status"] = status
    if since is not None:
        out["since"] = since.label
    if until is not None:
        out["until"] = until.label
    if note or c.note:
        out["note"] = note or c.note
    return out


def cite(fb: FactBase, s: Statement) -> dict:
    out = source_entry(fb, s.citation, s.since, s.until, status=s.status)
    if s.via is not None:
        # expanded from a group statement: which group, and whose list of its members
        out["group"] = s.via[0]
        out["membership_from"] = list(s.via[1])
        out["membership_basis"] = s.via[2]
    return out


def _roster_cite(fb: FactBase, r: Roster) -> dict:
    return source_entry(fb, r.citation, note="complete list of members that omits this state",
                        status=NOT_LISTED)


def evidence_cites(fb: FactBase, ev: Evidence) -> list[dict]:
    """Every admitted statement about the key, oldest article first, each with its dating."""
    items = [(s.stated.earliest, 0, s) for s in ev.statements]
    items += [(r.stated.earliest, 1, r) for r in ev.rosters]
    seen, out = set(), []
    for _, kind, x in sorted(items, key=lambda t: (t[0], t[1], t[2].citation.source)):
        key = (x.citation.source, x.citation.quote, kind, getattr(x, "status", None))
        if key in seen:
            continue
        seen.add(key)
        out.append(cite(fb, x) if kind == 0 else _roster_cite(fb, x))
    return out


def group_label(fb: FactBase, group) -> str:
    """A group statement's subject in words: "every state except Russia, Nicaragua"."""
    if group.everyone:
        head = "every state"
    else:
        head = f"the members of {short_name(fb, group.bloc)}"
    if group.exclude:
        return f"{head} except {', '.join(fb.name_of(e) for e in group.exclude)}"
    return head


def subject_name(fb: FactBase, s) -> str:
    if s.group is None:
        return fb.name_of(s.subject)
    return group_label(fb, s.group)


def _range_fields(prefix: str, r: DateRange | None) -> dict:
    if r is None:
        return {prefix: None, f"{prefix}_earliest": None, f"{prefix}_latest": None}
    return {prefix: r.label, f"{prefix}_earliest": _day(r.earliest),
            f"{prefix}_latest": _day(r.latest)}


def codes_of(fb: FactBase, state: str | None) -> dict:
    """A state's COW number and ISO alpha-3, for joining rows to other data sets."""
    e = fb.entities.get(state) if state else None
    return {"ccode": e.ccode if e else None, "iso3": e.iso3 if e else None}


def verdict_row(fb: FactBase, v: Verdict) -> dict:
    """A verdict as the row every command and format shows."""
    ev = v.evidence
    obj_key = "bloc" if ev.relation == "membership" else "entity"
    row = {
        "state": subject_name(fb, ev),
        obj_key: fb.name_of(ev.object),
        "status": v.status,
        "basis": v.basis,
        **_range_fields("since", v.since),
        **_range_fields("until", v.until),
        "as_of": v.period.label,
        "state_id": ev.subject if ev.group is None else None,
        f"{obj_key}_id": ev.object,
        **codes_of(fb, ev.subject if ev.group is None else None),
        "sources": evidence_cites(fb, ev),
    }
    if v.disputed_with:
        row["disputed_with"] = list(v.disputed_with)
    if v.derived:
        row["derived"] = list(v.derived)
    if ev.group is not None:
        row["group"] = {"members_of": ev.group.bloc, "except": list(ev.group.exclude)}
    return row


# -- filters -------------------------------------------------------------------------
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
        memo[key] = gather(stmts, rost, _formed(fb, filters))
    return memo[key]


def _members_at(fb: FactBase, bloc: str, when: DateRange, filters: Filters):
    """(state, basis, source ids) of each state the admitted evidence makes belong to the
    bloc on that date (BELONGS: a member, or a member whose participation is suspended):
    what a group statement about "the members of" it expands to."""
    memo, key = _memo(fb), ("members", bloc, filters, when)
    if key not in memo:
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
    return gather(expand_groups(fb, stmts, filters), rost, _formed(fb, filters))


def evidence_each(fb: FactBase, statements, rosters, filters: Filters):
    """The same evidence one key at a time, for answers too large to hold at once."""
    stmts, rost = _admitted(fb, filters, statements, rosters)
    return gather_each(expand_groups(fb, stmts, filters), rost, _formed(fb, filters))


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


STATUS_ORDER = PRIORITY


def _sort(fb: FactBase, rows: list[dict], key: str) -> list[dict]:
    return sorted(rows, key=lambda r: (STATUS_ORDER.get(r["status"], 9), fold(r[key])))


# -- the questions -------------------------------------------------------------------
class Answer(NamedTuple):
    """Rows plus what the tool should say about them (why empty, what is hidden)."""

    rows: list[dict]
    notes: list[str]


SHOWN = {"membership": frozenset({"member"}), "recognition": frozenset({"recognizes"})}


def _filter_status(rows, statuses, relation="membership"):
    """By default only the full tie (member / recognizes); --status or --all for the rest."""
    if statuses is not None and "all" in statuses:
        return rows, []
    wanted = SHOWN[relation] if statuses is None else statuses
    return ([r for r in rows if r["status"] in wanted],
            [r for r in rows if r["status"] not in wanted])


def _hidden_row(fb: FactBase, v: Verdict, key: str) -> dict:
    """What a note says of a row it does not show: its name, ids and status."""
    ev = v.evidence
    obj = "bloc" if ev.relation == "membership" else "entity"
    return {"state": subject_name(fb, ev), obj: fb.name_of(ev.object), "status": v.status,
            "state_id": ev.subject if ev.group is None else None, f"{obj}_id": ev.object}


def _hidden_note(hidden, key: str) -> list[str]:
    if not hidden:
        return []
    if len(hidden) > 12:
        names = f"{len(hidden)} rows ({_counts(hidden)})"
    else:
        names = ", ".join(f"{r[key]} ({r['status']})" for r in hidden)
    return [f"not shown: {names}; use --status or --all to include"]


def _counts(rows) -> str:
    counts: dict = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return ", ".join(f"{n} {st}" for st, n in counts.items())


def _silence_note(what: str, evs: list[Evidence], period: DateRange) -> list[str]:
    """Why nothing holds: no article speaks of it, or the period is before the first one."""
    if not evs:
        return [f"no article (of those chosen) speaks of {what}"]
    first = min(min(e.carry_from for e in ev.episodes) for ev in evs)
    dates = sorted({s.stated.label for ev in evs for s in ev.statements})
    if period.latest < first:
        return [f"the articles speak of {what} from {first.isoformat()} on, and never carry "
                f"a fact back before what they allow; {period.label} is earlier"]
    return [f"no article places anything about {what} in {period.label}; the articles speak "
            f"of it as of {', '.join(dates)}"]


def _not_carried_back(fb, evs, rows, period: DateRange, key: str) -> list[str]:
    """A partial answer says what it leaves out because no fact is carried back before
    the articles allow it: the keys the articles speak of only after the period."""
    answered = {r.get("state_id") if key == "state" else r.get(f"{key}_id") for r in rows}
    later = []
    for ev in evs:
        ident = ev.subject if key == "state" else ev.object
        if ident in answered or not ev.episodes:
            continue
        first = min(e.carry_from for e in ev.episodes)
        if first > period.latest:
            later.append((first, fb.name_of(ident)))
    if not later:
        return []
    later.sort()
    names = ", ".join(f"{n} (from {d.isoformat()})" for d, n in later[:8])
    more = f" and {len(later) - 8} more" if len(later) > 8 else ""
    return [f"not carried back to {period.label}: {names}{more}; the articles speak of "
            "them only later"]


def _answer(fb, evs, period, statuses, relation, key, what) -> Answer:
    every = [v for ev in evs for v in verdicts(ev, period)]
    wanted = (None if statuses is not None and "all" in statuses
              else SHOWN[relation] if statuses is None else statuses)
    # a hidden row is only named in a note: its citations are not built
    shown = [verdict_row(fb, v) for v in every if wanted is None or v.status in wanted]
    hidden = [_hidden_row(fb, v, key) for v in every
              if wanted is not None and v.status not in wanted]
    rows = shown + hidden
    notes = _hidden_note(hidden, key)
    if shown or hidden:
        notes += _not_carried_back(fb, evs, rows, period, key)
    if not shown and not hidden:
        notes += _silence_note(what, evs, period)
    elif not shown:
        want = set(statuses or SHOWN[relation])
        notes.append(f"none with status {', '.join(sorted(want))} in {period.label}; the "
                     f"articles place {_counts(hidden)} there")
        later = [e.carry_from for ev in evs for e in ev.episodes if e.status in want]
        after = [d for d in later if d > period.latest]
        if after:
            notes.append(f"the earliest day the articles allow for {' or '.join(sorted(want))} "
                         f"is {min(after).isoformat()}; no fact is carried back before what "
                         "the articles allow")
        elif not later:
            notes.append(f"no article names any state as {' or '.join(sorted(want))}")
    return Answer(_sort(fb, shown, key), notes)


def members(fb: FactBase, bloc: str, period: DateRange | None = None,
            statuses: set[str] | None = None, filters: Filters = NO_FILTER) -> Answer:
    """Who held which status in a bloc in a period (default: its latest article's date)."""
    stmts, _ = _admitted(fb, filters, fb.for_objects([bloc]))
    mine = [s for s in stmts if s.relation == "membership"]
    if period is None:
        period = latest_stated(mine)
        if period is None:
            return Answer([], [f"{fb.blocs[bloc].name}: no membership facts"
                               + (" from the chosen sources" if filters != NO_FILTER else "")])
    evs = evidence(fb, mine, fb.rosters_for([bloc]), filters)
    before = existence_notes(fb, bloc, period) + _coverage_note(fb, bloc, mine, period)
    answer = _answer(fb, evs, period, statuses, "membership", "state",
                     f"the members of {short_name(fb, bloc)}")
    if before:
        notes = [n for n in answer.notes if not n.startswith("no article places")]
        return Answer(answer.rows, notes + before)
    return answer


def short_name(fb: FactBase, bloc: str) -> str:
    return _short_of(fb.blocs[bloc])


def _coverage_note(fb: FactBase, bloc: str, statements, period: DateRange) -> list[str]:
    """After the last article about the bloc nothing is stated, only carried: say when the
    articles speak of it ("available from ... to ...", as igoR says of an IGO)."""
    if not statements:
        return []
    first = min(s.stated.earliest for s in statements)
    last = max(s.stated.latest for s in statements)
    if period.earliest > last:
        return [f"{short_name(fb, bloc)}: the articles speak of its members from "
                f"{first.isoformat()} to {last.isoformat()}; {period.label} is later, so "
                "every row is only carried forward from them"]
    return []


def existence_notes(fb: FactBase, bloc: str, period: DateRange) -> list[str]:
    """Say so when the period is before the bloc was formed, or the bloc was only proposed."""
    b = fb.blocs[bloc]
    short = short_name(fb, bloc)
    out = []
    if b.formed is not None and period.latest < b.formed.earliest:
        src = b.formed_citation
        assert src is not None  # (a bloc's formation is read from its citation)
        out.append(f"{short}: formed {b.formed.label} per {src.source} "
                   f"(\u201c{src.quote}\u201d); {period.label} is before that")
    if b.proposed:
        out.append(f"{short}: a proposed bloc, still being negotiated per its sources")
    return out


def membership_evidence(fb: FactBase, state: str, filters: Filters) -> list[Evidence]:
    """The evidence about one state's membership of every bloc the articles tie it to."""
    stmts = [s for s in fb.for_subject(state) if s.relation == "membership"]
    blocs = list(dict.fromkeys(s.object for s in stmts))
    return evidence(fb, stmts, fb.rosters_for(blocs), filters)


def memberships(fb: FactBase, state: str, period: DateRange | None = None,
                statuses: set[str] | None = None, filters: Filters = NO_FILTER) -> Answer:
    """Every bloc the state belongs to; without a period, each bloc at its own latest date."""
    evs = membership_evidence(fb, state, filters)
    rows: list[dict] = []
    for ev in evs:
        p = period
        if p is None:
            of_bloc, _ = _admitted(fb, filters, fb.for_objects([ev.object]))
            p = latest_stated([s for s in of_bloc if s.relation == "membership"])
            assert p is not None  # (the evidence holds at least one of its statements)
        rows.extend(verdict_row(fb, v) for v in verdicts(ev, p))
    shown, hidden = _filter_status(rows, statuses)
    notes = _hidden_note(hidden, "bloc")
    if not shown and not hidden:
        notes += _silence_note(f"{fb.name_of(state)}'s memberships", evs,
                               period or ALL_TIME)
    return Answer(_sort(fb, shown, "bloc"), notes)


def recognizers(fb: FactBase, entity: str, period: DateRange | None = None,
                statuses: set[str] | None = None, filters: Filters = NO_FILTER) -> Answer:
    """States that recognise the entity; without a period, everything the articles say."""
    mine = [s for s in fb.for_objects([entity]) if s.relation == "recognition"]
    evs = evidence(fb, mine, (), filters)
    unexpanded = unexpanded_groups(fb, mine, filters)
    if not evs and fb.entities[entity].kind == "state":
        return Answer([], [f"the articles state no recognition of {fb.name_of(entity)}; to "
                           f"ask what {fb.name_of(entity)} recognises: alliances recognitions "
                           f"{fb.name_of(entity)!r}"])
    answer = _answer(fb, evs, period or ALL_TIME, statuses, "recognition", "state",
                     f"the recognition of {fb.name_of(entity)}")
    return Answer(answer.rows, [*answer.notes, *unexpanded])


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


def recognitions(fb: FactBase, state: str, period: DateRange | None = None,
                 statuses: set[str] | None = None, filters: Filters = NO_FILTER) -> Answer:
    """What one state recognises (and, with --all, what the articles say it does not)."""
    mine = [s for s in fb.for_subject(state) if s.relation == "recognition"]
    mine += group_statements(fb, "recognition")
    evs = [ev for ev in evidence(fb, mine, (), filters) if ev.subject == state]
    return _answer(fb, evs, period or ALL_TIME, statuses, "recognition", "entity",
                   f"recognition by {fb.name_of(state)}")


def _default_pair_period(fb, filters, a, b):
    stmts, _ = _admitted(fb, filters, fb.for_objects([a, b]))
    lasts = [latest_stated([s for s in stmts if s.relation == "membership" and s.object == x])
             for x in (a, b)]
    if None in lasts:
        return next(x for x in lasts if x is not None) if any(lasts) else ALL_TIME
    return min(lasts, key=lambda d: d.latest)


TIE = (*sorted(BELONGS), "associate", "observer")  # what puts a state "in" a bloc: compare, shared


def _side(rows: list[dict]) -> tuple[str, dict | None]:
    """Whether one state is in a bloc, from its verdicts there: "yes" (a tie: member,
    associate or observer), "no", or "undecided" (a tie disputed, or only possible beside
    a status that would exclude it); and the row that says so."""
    ties = [r for r in rows if r["status"] in TIE]
    others = [r for r in rows if r["status"] not in TIE]
    if not ties:
        return "no", (others[0] if others else None)
    best = ties[0]
    # in either way when the clash is between two ties (member or observer)
    if any(r["basis"] == "disputed" and set(r.get("disputed_with") or ()) - set(TIE)
           for r in ties) or (
            best["basis"] not in HELD and any(STATUSES[r["status"]].group == "tie"
                                               for r in others)):
        return "undecided", best
    return "yes", best


def _pairs(rows_a: dict, rows_b: dict, keys, labels: tuple[str, str], statuses):
    """compare's and shared's one rule, for two sides (two blocs, or two states) and the
    keys between them (states, or blocs), each side's rows per key as `members` or
    `memberships --all` gives them: each side is yes/no/undecided by `_side` (ties only);
    `in` is both, only one, undecided (either side undecided) or neither; a key is kept
    when --all, or when a side has a status asked for (by default: member). Yields (key,
    in, (side a, row), (side b, row), the citations of both)."""
    wanted = SHOWN["membership"] if statuses is None else statuses
    for key in keys:
        ka, kb = rows_a.get(key, []), rows_b.get(key, [])
        if not ("all" in wanted or any(r["status"] in wanted for r in (*ka, *kb))):
            continue
        (ia, ra), (ib, rb) = _side(ka), _side(kb)
        where = ("undecided" if "undecided" in (ia, ib)
                 else "both" if (ia, ib) == ("yes", "yes")
                 else f"only {labels[0]}" if ia == "yes"
                 else f"only {labels[1]}" if ib == "yes" else "neither")
        yield (key, where, (ia, ra), (ib, rb),
               _union([c for r in ka for c in r["sources"]],
                      [c for r in kb for c in r["sources"]]))


def compare(fb: FactBase, a: str, b: str, period: DateRange | None = None,
            filters: Filters = NO_FILTER, statuses: set[str] | None = None) -> Answer:
    """Who is in both blocs, in the first only, in the second only: each side read from
    what `members` answers for that bloc. `in` is decided by ties only (member, associate,
    observer), never by a negative status; a side whose tie is disputed, or only possible
    beside a status that excludes it, is undecided."""
    period = period or _default_pair_period(fb, filters, a, b)
    every: dict = {}
    for x in (a, b):
        side: dict = {}
        for r in members(fb, x, period, {"all"}, filters).rows:
            if r["state_id"]:
                side.setdefault(r["state_id"], []).append(r)
        every[x] = side
    short = {x: short_name(fb, x) for x in (a, b)}
    rows = []
    states = sorted(set(every[a]) | set(every[b]), key=lambda i: fold(fb.name_of(i)))
    for state, where, (ia, ra), (ib, rb), cites in _pairs(
            every[a], every[b], states, (short[a], short[b]), statuses):
        rows.append({
            "state": fb.name_of(state), "state_id": state, **codes_of(fb, state), "in": where,
            "in_a": ia, "in_b": ib,
            "bloc_a": short[a], "status_a": ra["status"] if ra else None,
            "basis_a": ra["basis"] if ra else None,
            "bloc_b": short[b], "status_b": rb["status"] if rb else None,
            "basis_b": rb["basis"] if rb else None,
            "as_of": period.label, "sources": cites,
        })
    order = {"both": 0, f"only {short[a]}": 1, f"only {short[b]}": 2, "undecided": 3,
             "neither": 4}
    rows.sort(key=lambda r: order[r["in"]])
    notes = existence_notes(fb, a, period) + existence_notes(fb, b, period)
    if any(r["in"] == "undecided" for r in rows):
        notes.append("undecided: "
                     + ", ".join(r["state"] for r in rows if r["in"] == "undecided")
                     + " (a tie disputed, or only possible beside a status that excludes "
                       "it; see in_a/in_b)")
    return Answer(rows, notes)


def _union(a: list[dict], b: list[dict]) -> list[dict]:
    out: list[dict] = []
    for c in (*a, *b):
        if c not in out:
            out.append(c)
    return out


def shared(fb: FactBase, a: str, b: str, period: DateRange | None = None,
           filters: Filters = NO_FILTER, statuses: set[str] | None = None) -> Answer:
    """The blocs both states are in: compare's rule (`_pairs`) with the sides the two
    states and the keys their blocs, each side read from what `memberships --all`
    answers for that state. By default the blocs where `in` is both (or undecided); with
    --status or --all every bloc either state has such a status in, with `in` saying
    which side is in."""
    every: dict = {}
    for x in (a, b):
        side: dict = {}
        for r in memberships(fb, x, period, {"all"}, filters).rows:
            side.setdefault(r["bloc_id"], []).append(r)
        every[x] = side
    names = (fb.name_of(a), fb.name_of(b))
    # the blocs both speak of first, then the others
    blocs = dict.fromkeys([*(k for k in every[a] if k in every[b]), *every[a], *every[b]])
    rows = []
    for bloc, where, (ia, ra), (ib, rb), cites in _pairs(every[a], every[b], blocs, names,
                                                         statuses):
        if statuses is None and where not in ("both", "undecided"):
            continue  # by default, what both are in
        rows.append({
            "bloc": fb.blocs[bloc].name, "bloc_id": bloc, "in": where, "in_a": ia, "in_b": ib,
            "state_a": names[0], "state_a_id": a, "status_a": ra["status"] if ra else None,
            "basis_a": ra["basis"] if ra else None,
            "state_b": names[1], "state_b_id": b, "status_b": rb["status"] if rb else None,
            "basis_b": rb["basis"] if rb else None,
            "as_of": (ra or rb or {}).get("as_of"), "sources": cites,
        })
    return Answer(rows, [])


def _primary(vs: list[Verdict], last: bool = False) -> Verdict | None:
    """A key's verdict for one side of a change: of the stated ones (else of all), the one
    that holds first in the period (`last`: the one that holds at its end), the strongest
    of those that start together."""
    if not vs:
        return None
    pool = [v for v in vs if v.basis in HELD] or vs

    def start(v):
        return v.episode.start_hi if v.episode is not None else MIN
    if last:
        return max(pool, key=lambda v: (start(v), -PRIORITY.get(v.status, 99)))
    return min(pool, key=lambda v: (start(v), PRIORITY.get(v.status, 99)))


def _inside(r: DateRange | None, before: DateRange, after: DateRange) -> bool:
    """Whether an article's date for a change lies inside the window (after `before`
    begins, by the end of `after`)."""
    return r is not None and r.earliest >= before.earliest and r.latest <= after.latest


def changes(fb: FactBase, kind: str, ident: str, before: DateRange, after: DateRange,
            include_all: bool = False, filters: Filters = NO_FILTER) -> Answer:
    """What changed in a bloc's membership (or an entity's recognition) between two dates,
    from the verdicts of both dates. `joined` (`recognized`, ...) and `withdrew` only where
    an admitted article places the start or end inside the window; otherwise `first
    attested` or `last attested`: not being spoken of is not a change."""
    if kind == "bloc":
        mine = [s for s in fb.for_objects([ident]) if s.relation == "membership"]
        evs = evidence(fb, mine, fb.rosters_for([ident]), filters)
    else:
        mine = [s for s in fb.for_objects([ident]) if s.relation == "recognition"]
        evs = evidence(fb, mine, (), filters)
    rows = []
    pairs = []
    for ev in evs:
        # statuses of one group (a tie, recognising or not) are one line of change; a
        # status that holds beside any other (partner, aspirant) is a line of its own
        vsa, vsb = verdicts(ev, before), verdicts(ev, after)
        for group in dict.fromkeys(STATUSES[v.status].group or v.status for v in vsa + vsb):
            def of(vs):  # (called within this iteration only)
                return [v for v in vs if (STATUSES[v.status].group or v.status) == group]  # noqa: B023
            pairs.append((_primary(of(vsa), last=True), _primary(of(vsb), last=True)))
    for va, vb in pairs:
        sa, sb = (va.status if va else None), (vb.status if vb else None)
        if sa == sb and not include_all:
            continue
        if va is None and vb is None:
            continue
        if sa == sb:
            change = "unchanged"
        elif vb is None:
            change = "last attested"
        elif sb == NOT_LISTED:
            change = "left out of a complete list"
        elif sb in ENDED.values() or va is None or sa != sb:
            placed = vb.episode.since if vb.episode is not None else None
            if _inside(placed, before, after):
                assert sb is not None  # (vb is not None here)
                change = (STATUSES[sb].start if va is None or sb in ENDED.values()
                          else f"{sa} \u2192 {sb}")
            elif va is None:
                change = "first attested"
            else:
                change = f"{sa} \u2192 {sb} (when, no article says)"
        either = vb if vb is not None else va
        assert either is not None  # (both None was skipped above)
        r0 = verdict_row(fb, either)
        ra = verdict_row(fb, va) if va else {}
        rb = verdict_row(fb, vb) if vb else {}
        rows.append({"state": r0["state"], "state_id": r0["state_id"], "change": change,
                     "status_before": sa, "basis_before": ra.get("basis"),
                     "status_after": sb, "basis_after": rb.get("basis"),
                     "before": before.label, "after": after.label,
                     "sources": _union(ra.get("sources", []), rb.get("sources", []))})
    rows.sort(key=lambda r: fold(r["state"]))
    notes = [] if rows else [f"no change the articles state between {before.label} and "
                             f"{after.label}"]
    return Answer(rows, notes)


START_WORDS = {k: v.start for k, v in STATUSES.items()}
STATED_WORDS = {"member": "listed as member", "observer": "listed as observer",
                "former-member": "stated as former member",
                "recognizes": "stated as recognizing",
                "does-not-recognize": "said not to recognize",
                "not-yet": "said not yet to recognize"}


def spell_field(ev: Evidence, e) -> dict:
    """A timeline row's `spell`: the evaluation's spell it belongs to, as the chart draws
    it and the sqlite export stores it (ISO days; null for an open end). `start` is when
    it began as the evidence allows (null when no article bounds it); `end` its stated
    end (`until`), or, when a status that excludes it follows, from the last day it is
    certainly reported to the last it can have held; null while it is carried on.
    `stated` the days an article places it on; `ended_by` the spell that follows it."""
    start = e.start_range()
    if start is None and e.status == NOT_LISTED:
        start = DateRange(e.start_lo, e.start_hi, "")
    if e.until is not None:
        end: tuple | None = (e.until.earliest, e.until.latest)
    elif e.end_hi != MAX:
        end = (min(e.last_certain, e.end_hi), e.end_hi)
    else:
        end = None
    after = [o for o in ev.episodes if o is not e and exclusive(e.status, o.status)
             and o.start_hi >= e.last_certain and end is not None]
    nxt = min(after, key=lambda o: (o.start_hi, o.start_lo), default=None)
    return {"status": e.status, "number": e.spell,
            "start": [_day(start.earliest), _day(start.latest)] if start else None,
            "end": [_day(end[0]), _day(end[1])] if end else None,
            "stated": [[_day(a), _day(b)] for a, b in sorted({(a, b) for a, b, certain
                                                               in e.stated_spans() if certain})],
            "ended_by": {"status": nxt.status, "number": nxt.spell} if nxt else None}


def timeline(fb: FactBase, kind: str, ident: str, filters: Filters = NO_FILTER) -> Answer:
    """Every dated event about a bloc, a state or an entity, in date order, from the same
    combined evidence as the verdicts: starts with their combined bounds, each article's
    report, and omissions from a later complete list."""
    if kind == "bloc":
        about = [s for s in fb.for_objects([ident]) if s.relation == "membership"]
        rosters = fb.rosters_for([ident])
    else:
        about = [s for s in fb.for_subject(ident)] + [
            s for s in fb.for_objects([ident]) if s.relation == "recognition"]
        blocs = [s.object for s in about if s.relation == "membership"]
        rosters = fb.rosters_for(blocs)
    evs = evidence(fb, about, rosters, filters)
    events = []

    def add(when: DateRange, event: str, status, ev: Evidence | None, cites: list[dict],
            obj: str, obj_id: str | None, spell: dict | None = None):
        lo = when.latest if when.earliest == MIN else when.earliest
        row = {
            "date": when.label, "date_earliest": _day(when.earliest),
            "date_latest": _day(when.latest), "event": event,
            "state": subject_name(fb, ev) if ev else "",
            "state_id": (ev.subject if ev.group is None else None) if ev else None,
            "object": obj, "object_id": obj_id,
            "bloc_id": obj_id if (ev is None or ev.relation == "membership") else None,
            "entity_id": obj_id if (ev is not None and ev.relation == "recognition") else None,
            "status": status, "_sort": (lo, when.latest), "sources": cites}
        if spell is not None:
            row["spell"] = spell
        events.append(row)

    if kind == "bloc":
        b = fb.blocs[ident]
        if b.formed and b.formed_citation and filters.admits(fb, b.formed_citation.source):
            add(b.formed, "formed", None, None, [source_entry(fb, b.formed_citation)],
                b.name, ident)
        if b.proposed:
            for c in b.citations:
                if filters.admits(fb, c.source):
                    add(fb.sources[c.source].published, "proposed", None, None,
                        [source_entry(fb, c)], b.name, ident)
    for ev in evs:
        obj = fb.name_of(ev.object)
        for e in ev.episodes:
            spell = spell_field(ev, e)
            if e.status == NOT_LISTED:
                for r in e.rosters:
                    add(r.stated, "left out of a complete list", NOT_LISTED, ev,
                        [_roster_cite(fb, r)], obj, ev.object, spell)
                continue
            start = e.start_range()
            word = START_WORDS.get(e.status, f"{e.status} from")
            if start is not None:
                add(start, word, e.status, ev,
                    [cite(fb, s) for s in e.claims if s.since is not None] or
                    [cite(fb, s) for s in e.claims], obj, ev.object, spell)
            for s in e.claims:
                if e.status in ENDED.values() or (s.since is not None and s.until is None
                                                  and s.stated.earliest <= s.since.latest):
                    continue  # an end's status is dated by the end, not by its article
                if s.until is not None and e.status in ENDED:
                    continue  # the ended status's spell carries the withdrawal
                add(s.stated, STATED_WORDS.get(e.status, f"stated as {e.status}"), e.status, ev,
                    [cite(fb, s)], obj, ev.object, spell)
    merged: dict = {}
    for e in events:
        key = (e["date"], e["event"], e["state"], e["object"], e["status"])
        if key in merged:
            merged[key]["sources"] += [c for c in e["sources"] if c not in merged[key]["sources"]]
        else:
            merged[key] = e
    rows = sorted(merged.values(), key=lambda e: (e["_sort"], fold(e["state"]), e["object"]))
    for r in rows:
        del r["_sort"]
    return Answer(rows, [])


def disputes(fb: FactBase, filters: Filters = NO_FILTER) -> Answer:
    """Where admitted articles cannot all be right (statuses or dates that clash), and where
    a later complete list omits a state an earlier article listed: read from the same
    combined evidence as every verdict."""
    return Answer(_dispute_rows(fb, evidence_each(fb, fb.statements, fb.rosters, filters)),
                  [])


def _dispute_rows(fb: FactBase, evs):
    """Rows of `disputes`, produced one key at a time (the answer can be large)."""
    for ev in evs:
        seen = set()
        for e in ev.episodes:
            if e.status == NOT_LISTED:
                listed = [s for s in ev.statements if s.status in ("member", "observer",
                                                                  "associate")]
                last = max(s.stated.label for s in listed) if listed else "?"
                yield _dispute_row(fb, ev, "omission",
                                   f"{listed[-1].status if listed else 'member'} "
                                   f"(stated {last})",
                                   f"not in the list of {e.rosters[0].stated.label}")
                continue
            for _lo, _hi, other, kind in e.disputes:
                pair = (kind, *sorted((e.status, other)))
                if pair in seen:
                    continue
                seen.add(pair)
                claim_b = (f"{other} (stated {_stated_of(ev, other)})" if kind == "status"
                           else "dates that cannot all be true: " + "; ".join(
                               f"{s.citation.source} since {s.since.label}"
                               for s in e.claims if s.since is not None))
                yield _dispute_row(fb, ev, kind,
                                   f"{e.status} (stated {_stated_of(ev, e.status)})", claim_b)


def _stated_of(ev: Evidence, status: str) -> str:
    return ", ".join(sorted({s.stated.label for s in ev.statements if s.status == status}))


def _dispute_row(fb, ev: Evidence, kind: str, claim_a: str, claim_b: str) -> dict:
    return {"kind": kind, "state": subject_name(fb, ev),
            "state_id": ev.subject if ev.group is None else None,
            "object": fb.name_of(ev.object), "object_id": ev.object,
            "claim_a": claim_a, "claim_b": claim_b, "sources": evidence_cites(fb, ev)}


def claims(fb: FactBase, source: str) -> Answer:
    """Everything one article states, in the order it states it (by quote position when
    the text is given, else by the order in blocs.yaml)."""
    rows = []
    for s in fb.statements:
        if s.citation.source != source:
            continue
        rows.append({
            "relation": s.relation, "state": subject_name(fb, s), "object": fb.name_of(s.object),
            "status": s.status, "since": s.since.label if s.since else None,
            "until": s.until.label if s.until else None, "quote": s.citation.quote,
            "note": s.citation.note, "_line": s.citation.line,
        })
    for b in fb.blocs.values():
        for c in (*b.citations, *([b.formed_citation] if b.formed_citation else [])):
            if c.source == source:
                rows.append({"relation": "bloc", "state": "", "object": b.name,
                             "status": "formed" if c is b.formed_citation else "named",
                             "since": (b.formed.label if c is b.formed_citation and b.formed
                                       else None),
                             "until": None, "quote": c.quote, "note": c.note, "_line": c.line})
    return Answer(rows, [])


def order_by_text(rows: list[dict], text: str) -> list[dict]:
    """Sort claim rows by where their quote stands in the article's text."""
    from ..facts.verify import normalise

    norm = normalise(text)

    def pos(r):
        i = norm.find(normalise(r["quote"]))
        return (i if i >= 0 else len(norm), r["_line"])

    out = sorted(rows, key=pos)
    for r in out:
        r.pop("_line", None)
    return out


def search(fb: FactBase, text: str, texts: dict[str, str] | None = None) -> Answer:
    """Names, aliases, quotes and notes that mention the text (case-insensitive), and the
    sentences of the article texts (`texts`: source id -> text) that do."""
    from ..facts.verify import normalise

    def key(x: str) -> str:  # ’ matches ' and – matches -, as the articles are typeset
        return fold(normalise(x))

    needle = key(text)
    if not needle:
        raise EmptyName("empty search text: give a word or phrase to look for")
    rows: list[dict] = []
    for table, kind in ((fb.blocs, "bloc"), (fb.entities, "entity")):
        for ident, item in table.items():
            for n in (item.name, *item.aliases):
                if needle in key(n):
                    rows.append({"kind": kind, "id": ident, "name": item.name, "field": "name",
                                 "text": n, "source": None, "line": None})
    for sid, src in fb.sources.items():
        if needle in key(src.title) or needle in key(sid):
            rows.append({"kind": "source", "id": sid, "name": src.title, "field": "title",
                         "text": src.title, "source": sid, "line": None})
    # one row per quote or note, naming every subject and object it backs
    found: dict = {}
    for s in fb.statements:
        c = s.citation
        for field, value in (("quote", c.quote), ("note", c.note)):
            if value and needle in key(value):
                hit = found.setdefault((c.source, field, value), {
                    "kind": s.relation, "id": f"{c.file}:{c.line}", "subjects": {},
                    "objects": {}, "field": field, "text": value, "source": c.source,
                    "line": None})
                hit["subjects"][subject_name(fb, s)] = None
                hit["objects"][fb.name_of(s.object)] = None
    for hit in found.values():
        hit["name"] = f"{', '.join(hit.pop('subjects'))} / {', '.join(hit.pop('objects'))}"
        rows.append(hit)
    for sid, body in (texts or {}).items():
        for number, line in enumerate(body.splitlines(), 1):
            if needle not in key(line):
                continue
            for sentence in _sentences(line):
                if needle in key(sentence):
                    rows.append({"kind": "text", "id": f"{sid}:{number}",
                                 "name": fb.sources[sid].title, "field": "text",
                                 "text": sentence, "source": sid, "line": number})
    return Answer(rows, [])


def _sentences(line: str) -> list[str]:
    """A line of an article cut into sentences, as everywhere (facts/text.py)."""
    from ..facts.text import sentence_spans

    return [line[a:b].strip() for a, b in sentence_spans(line) if line[a:b].strip()]

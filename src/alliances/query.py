"""Pure questions over a FactBase: no I/O, no printing. Every answer is a list of rows
(plain dicts) that carry their citations.

How a statement meets a period (--as-of P; a year is the whole year):
- its *stated span* runs from the latest day its `since` allows (or, with no since, the day
  the article asserts it) to the earliest day its `until` allows (or the article's date);
  a statement whose stated span overlaps P holds in P with basis "stated";
- its *possible span* runs from the earliest day `since` allows (or the bloc's formation, or
  open) to the latest day `until` allows (or open); overlapping only that, it is "possible";
- a state listed in an earlier article but left out of a later complete list of the bloc
  dated within or before P is shown as "not-listed", citing both, never as a plain member.
For each (state, bloc) the stated statements win; possible ones are shown only when no
statement is stated for P.
"""

from __future__ import annotations

from typing import NamedTuple

from .dates import MAX, MIN, DateRange
from .model import DEFAULT_HIDDEN, NOT_LISTED, Citation, FactBase, Roster, Statement
from .validate import fold

ALL_TIME = DateRange(MIN, MAX, "all dates")
LISTABLE = ("member", "observer", "associate")


class NameNotFound(LookupError):
    """An unknown name; the message carries "did you mean" suggestions."""


class Filters(NamedTuple):
    """Which articles count: one source (--source) and/or those published by --known-at."""

    source: str | None = None
    known_at: DateRange | None = None

    def admits(self, fb: FactBase, source_id: str) -> bool:
        if self.source is not None and source_id != self.source:
            return False
        if self.known_at is not None and fb.sources[source_id].published.latest > self.known_at.latest:
            return False
        return True


NO_FILTER = Filters()


# -- names ---------------------------------------------------------------------------
KIND_WORD = {"bloc": "bloc", "entity": "state or entity", "source": "source"}


def resolve(fb: FactBase, name: str, kind: str) -> str:
    """The id that `name` (id, name or alias, any case) denotes, of the wanted kind."""
    if kind == "source":
        if name in fb.sources:
            return name
        table = {fold(s): s for s in fb.sources}
        hit = table.get(fold(name))
        if hit:
            return hit
        candidates = list(fb.sources)
    else:
        hit = fb.names.get(fold(name))
        if hit and hit[0] == kind:
            return hit[1]
        if hit:
            other = KIND_WORD[hit[0]]
            raise NameNotFound(f"{name!r} is a {other}, not a {KIND_WORD[kind]}")
        candidates = sorted({n for n, (k, _) in fb.names.items() if k == kind})
        for ident, item in (fb.blocs if kind == "bloc" else fb.entities).items():
            candidates.append(item.name)
    import difflib

    close = difflib.get_close_matches(fold(name), [fold(c) for c in candidates], n=3, cutoff=0.6)
    pretty = []
    for c in close:
        ident = fb.names.get(c, (None, c))[1] if kind != "source" else c
        label = (fb.name_of(ident) if kind != "source" else ident)
        if kind == "bloc" and ident in fb.blocs and fb.blocs[ident].aliases:
            label = fb.blocs[ident].aliases[0]
        if label not in pretty:
            pretty.append(label)
    hint = f"; did you mean {' or '.join(repr(p) for p in pretty)}?" if pretty else ""
    listing = {"bloc": "alliances blocs", "entity": "alliances states",
               "source": "alliances sources"}[kind]
    raise NameNotFound(f"unknown {KIND_WORD[kind]} {name!r}{hint} (see '{listing}')")


def resolve_any(fb: FactBase, name: str) -> tuple[str, str]:
    """(kind, id) of a bloc or entity name; suggestions come from both kinds."""
    hit = fb.names.get(fold(name))
    if hit:
        return hit
    import difflib

    close = difflib.get_close_matches(fold(name), list(fb.names), n=3, cutoff=0.6)
    labels = []
    for c in close:
        label = fb.name_of(fb.names[c][1])
        if label not in labels:
            labels.append(label)
    hint = f"; did you mean {' or '.join(repr(x) for x in labels)}?" if labels else ""
    raise NameNotFound(f"unknown bloc or state {name!r}{hint} (see 'alliances blocs', "
                       "'alliances states')")


# -- spans ---------------------------------------------------------------------------
def stated_span(s: Statement) -> tuple:
    if s.since is not None:
        start = s.since.latest
    elif s.until is not None:
        start = s.until.earliest  # "was a member but withdrew in 1999": a member in 1999
    else:
        start = s.stated.earliest
    end = s.until.earliest if s.until is not None else s.stated.latest
    return start, end


def possible_span(fb: FactBase, s: Statement) -> tuple:
    """Carried forward from the article's date, never backward: a 2014 list says nothing
    about 2008. Only a withdrawal with no start reaches back, to the bloc's formation."""
    if s.since is not None:
        start = s.since.earliest
    elif s.until is None:
        start = s.stated.earliest
    elif s.relation == "membership" and s.object in fb.blocs and fb.blocs[s.object].formed:
        start = fb.blocs[s.object].formed.earliest
    else:
        start = MIN
    end = s.until.latest if s.until is not None else MAX
    return start, end


def _overlaps(span: tuple, period: DateRange) -> bool:
    return span[0] <= span[1] and span[0] <= period.latest and period.earliest <= span[1]


# -- rows ----------------------------------------------------------------------------
def source_entry(fb: FactBase, c: Citation, since: DateRange | None = None,
                 until: DateRange | None = None, note: str | None = None) -> dict:
    """One entry of a row's `sources`: the article, its date, the quote, and how the
    article dates the fact where it does."""
    src = fb.sources[c.source]
    out = {"id": src.id, "date": src.published.label, "quote": c.quote}
    if src.url:
        out["url"] = src.url
    if since is not None:
        out["since"] = since.label
    if until is not None:
        out["until"] = until.label
    if note or c.note:
        out["note"] = note or c.note
    return out


def cite(fb: FactBase, s: Statement) -> dict:
    return source_entry(fb, s.citation, s.since, s.until)


def _cites(fb: FactBase, statements) -> list[dict]:
    seen, out = set(), []
    for s in sorted(statements, key=lambda s: (s.stated.earliest, s.citation.source)):
        key = (s.citation.source, s.citation.quote)
        if key not in seen:
            seen.add(key)
            out.append(cite(fb, s))
    return out


def _combine(ranges) -> tuple[DateRange | None, bool]:
    """The days every source allows for since/until; (None, False) if they cannot agree."""
    out = None
    for r in ranges:
        if r is None:
            continue
        out = r if out is None else out.intersect(r)
        if out is None:
            return None, False
    return out, True


def subject_name(fb: FactBase, s: Statement) -> str:
    if s.group is None:
        return fb.name_of(s.subject)
    bloc = fb.blocs[s.group.bloc]
    short = bloc.aliases[0] if bloc.aliases else bloc.name
    if s.group.exclude:
        return f"{short} members except {', '.join(fb.name_of(e) for e in s.group.exclude)}"
    return f"{short} members"


def _row(fb: FactBase, statements: list[Statement], status: str, basis: str,
         period: DateRange) -> list[dict]:
    """One row for statements that agree; one per distinct since/until when they do not."""
    since, ok1 = _combine(s.since for s in statements)
    until, ok2 = _combine(s.until for s in statements)
    if not (ok1 and ok2):
        groups: dict = {}
        for s in statements:
            groups.setdefault((s.since, s.until), []).append(s)
        return [r for g in groups.values() for r in _row(fb, g, status, basis, period)]
    s0 = statements[0]
    obj_key = "bloc" if s0.relation == "membership" else "entity"
    row = {
        "state": subject_name(fb, s0),
        obj_key: fb.name_of(s0.object),
        "status": status,
        "since": since.label if since else None,
        "until": until.label if until else None,
        "basis": basis,
        "as_of": period.label,
        "state_id": s0.subject if s0.group is None else None,
        f"{obj_key}_id": s0.object,
        "sources": _cites(fb, statements),
    }
    if s0.group is not None:
        row["group"] = {"members_of": s0.group.bloc, "except": list(s0.group.exclude)}
    return [row]


def _evaluate(fb: FactBase, statements: list[Statement], rosters: list[Roster],
              period: DateRange) -> list[dict]:
    """Rows for statements already narrowed to one relation (see module docstring)."""
    keyed: dict = {}
    for s in statements:
        keyed.setdefault((s.subject, s.object, s.group), []).append(s)
    rows = []
    for (subject, obj, group), group_statements in keyed.items():
        stated = [s for s in group_statements if _overlaps(stated_span(s), period)]
        possible = [s for s in group_statements
                    if s not in stated and _overlaps(possible_span(fb, s), period)]
        if stated:
            chosen, basis = stated, "stated"
        else:
            earlier = [s for s in possible if s.status in LISTABLE]
            omitted = _omitting_roster(subject, obj, group_statements, rosters, period)
            if omitted is not None and earlier:
                basis = "stated" if omitted.stated.overlaps(period) else "possible"
                row = _row(fb, earlier, NOT_LISTED, basis, period)[0]
                row["sources"] = _cites(fb, earlier) + [_roster_cite(fb, omitted)]
                row["since"] = row["until"] = None
                rows.append(row)
                continue
            chosen, basis = possible, "possible"
        by_status: dict = {}
        for s in chosen:
            by_status.setdefault(s.status, []).append(s)
        for status, ss in by_status.items():
            if basis == "stated":
                # Sources that do not place the fact in the period but date its start or
                # end are cited too: they are where the row's since/until come from.
                ss = ss + [s for s in possible if s.status == status
                           and (s.since is not None or s.until is not None)]
            rows.extend(_row(fb, ss, status, basis, period))
    return rows


def _roster_cite(fb: FactBase, r: Roster) -> dict:
    return source_entry(fb, r.citation, note="complete list of members that omits this state")


def _omitting_roster(state, bloc, statements, rosters, period) -> Roster | None:
    """The latest complete list of `bloc`, dated after every statement about `state`
    and no later than the period, that leaves the state out."""
    if not any(s.status in LISTABLE for s in statements):
        return None
    last = max(s.stated.latest for s in statements)
    best = None
    for r in rosters:
        if (r.bloc == bloc and r.complete and state not in r.states
                and r.stated.earliest > last and r.stated.earliest <= period.latest):
            if best is None or r.stated.earliest > best.stated.earliest:
                best = r
    return best


# -- filters -------------------------------------------------------------------------
def _admitted(fb: FactBase, filters: Filters, statements, rosters=()):
    """Only what the chosen articles say (--source, --known-at)."""
    if filters == NO_FILTER:
        return list(statements), list(rosters)
    return ([s for s in statements if filters.admits(fb, s.citation.source)],
            [r for r in rosters if filters.admits(fb, r.citation.source)])


def latest_stated(statements) -> DateRange | None:
    """The date of the most recent article among these statements (the default --as-of)."""
    best = None
    for s in statements:
        if best is None or s.stated.latest > best.latest:
            best = s.stated
    return best


STATUS_ORDER = {"member": 0, "associate": 1, "observer": 2, "partner": 3, "aspirant": 4,
                "proposed": 5, NOT_LISTED: 6, "former-member": 7, "non-member": 8,
                "recognizes": 0, "does-not-recognize": 1}


def _sort(fb: FactBase, rows: list[dict], key: str) -> list[dict]:
    return sorted(rows, key=lambda r: (STATUS_ORDER.get(r["status"], 9), fold(r[key])))


# -- the questions -------------------------------------------------------------------
class Answer(NamedTuple):
    """Rows plus what the tool should say about them (why empty, what is hidden)."""

    rows: list[dict]
    notes: list[str]


def members(fb: FactBase, bloc: str, period: DateRange | None = None,
            statuses: set[str] | None = None, filters: Filters = NO_FILTER) -> Answer:
    stmts, rosters = _admitted(fb, filters, fb.for_objects([bloc]), fb.rosters_for([bloc]))
    mine = [s for s in stmts if s.relation == "membership"]
    notes = []
    if period is None:
        period = latest_stated(mine)
        if period is None:
            return Answer([], [f"{fb.blocs[bloc].name}: no membership facts"
                               + (" from the chosen sources" if filters != NO_FILTER else "")])
    rows = _evaluate(fb, mine, rosters, period)
    rows, hidden = _filter_status(rows, statuses)
    if hidden:
        names = ", ".join(f"{r['state']} ({r['status']})" for r in hidden)
        notes.append(f"not shown: {names}; use --all to include")
    before = existence_notes(fb, bloc, period)
    notes.extend(before)
    if not rows and not hidden and not before:
        dates = sorted({s.stated.label for s in mine})
        notes.append(f"no article places anyone in {fb.blocs[bloc].name} in {period.label}; "
                     f"the articles speak of it as of {', '.join(dates)}")
    return Answer(_sort(fb, rows, "state"), notes)


def _filter_status(rows, statuses):
    if statuses is None:
        keep = [r for r in rows if r["status"] not in DEFAULT_HIDDEN]
        return keep, [r for r in rows if r["status"] in DEFAULT_HIDDEN]
    if "all" in statuses:
        return rows, []
    return [r for r in rows if r["status"] in statuses], []


def existence_notes(fb: FactBase, bloc: str, period: DateRange) -> list[str]:
    """Say so when the period is before the bloc was formed, or the bloc was only proposed."""
    b = fb.blocs[bloc]
    short = b.aliases[0] if b.aliases else b.name
    out = []
    if b.formed is not None and period.latest < b.formed.earliest:
        src = b.formed_citation
        out.append(f"{short}: formed {b.formed.label} per {src.source} "
                   f"(\u201c{src.quote}\u201d); {period.label} is before that")
    if b.proposed:
        out.append(f"{short}: a proposed bloc, still being negotiated per its sources")
    return out


def memberships(fb: FactBase, state: str, period: DateRange | None = None,
                statuses: set[str] | None = None, filters: Filters = NO_FILTER) -> Answer:
    """Every bloc the state belongs to; without a period, each bloc at its own latest date."""
    blocs = [s.object for s in fb.for_subject(state) if s.relation == "membership"]
    stmts, rosters = _admitted(fb, filters, fb.for_objects(blocs), fb.rosters_for(blocs))
    rows = []
    for bloc in dict.fromkeys(blocs):
        of_bloc = [s for s in stmts if s.relation == "membership" and s.object == bloc]
        mine = [s for s in of_bloc if s.subject == state and s.group is None]
        if not mine:
            continue
        p = period or latest_stated(of_bloc)
        rows.extend(_evaluate(fb, mine, rosters, p))
    rows, hidden = _filter_status(rows, statuses)
    notes = []
    if hidden:
        notes.append("not shown: " + ", ".join(f"{r['bloc']} ({r['status']})" for r in hidden)
                     + "; use --all to include")
    return Answer(_sort(fb, rows, "bloc"), notes)


def recognizers(fb: FactBase, entity: str, period: DateRange | None = None,
                include_negative: bool = False, filters: Filters = NO_FILTER) -> Answer:
    """States that recognise the entity; without a period, everything the articles say."""
    stmts, _ = _admitted(fb, filters, fb.for_objects([entity]))
    mine = [s for s in stmts if s.relation == "recognition"]
    rows = _evaluate(fb, mine, [], period or ALL_TIME)
    if not include_negative:
        rows = [r for r in rows if r["status"] == "recognizes"]
    return Answer(_sort(fb, rows, "state"), [])


def compare(fb: FactBase, a: str, b: str, period: DateRange | None = None,
            filters: Filters = NO_FILTER) -> Answer:
    """Members of both blocs, of A only, of B only; without a period, the later of the two
    blocs' latest dates that both have facts for (the earlier of their latest dates)."""
    stmts, _ = _admitted(fb, filters, fb.for_objects([a, b]))
    if period is None:
        lasts = [latest_stated([s for s in stmts if s.relation == "membership" and s.object == x])
                 for x in (a, b)]
        if None in lasts:
            period = next(x for x in lasts if x is not None) if any(lasts) else ALL_TIME
        else:
            period = min(lasts, key=lambda d: d.latest)
    sides = {x: {r["state_id"]: r for r in members(fb, x, period, {"member"}, filters).rows
                 if r["state_id"]} for x in (a, b)}
    short = {x: (fb.blocs[x].aliases or (fb.blocs[x].name,))[0] for x in (a, b)}
    rows = []
    for state in sorted(set(sides[a]) | set(sides[b]), key=lambda i: fold(fb.name_of(i))):
        ra, rb = sides[a].get(state), sides[b].get(state)
        where = "both" if ra and rb else f"only {short[a]}" if ra else f"only {short[b]}"
        rows.append({
            "state": fb.name_of(state), "state_id": state, "in": where,
            "bloc_a": short[a], "status_a": ra["status"] if ra else None,
            "bloc_b": short[b], "status_b": rb["status"] if rb else None,
            "as_of": period.label,
            "sources": _union(ra["sources"] if ra else [], rb["sources"] if rb else []),
        })
    order = {"both": 0, f"only {short[a]}": 1, f"only {short[b]}": 2}
    rows.sort(key=lambda r: order[r["in"]])
    notes = existence_notes(fb, a, period) + existence_notes(fb, b, period)
    return Answer(rows, notes)


def _union(a: list[dict], b: list[dict]) -> list[dict]:
    return a + [c for c in b if c not in a]


def shared(fb: FactBase, a: str, b: str, period: DateRange | None = None,
           filters: Filters = NO_FILTER) -> Answer:
    """The blocs both states belong to, each with its own status (the dyadic view)."""
    ra = {r["bloc_id"]: r for r in memberships(fb, a, period, None, filters).rows}
    rb = {r["bloc_id"]: r for r in memberships(fb, b, period, None, filters).rows}
    rows = []
    for bloc in [x for x in ra if x in rb]:
        rows.append({
            "bloc": fb.blocs[bloc].name, "bloc_id": bloc,
            "state_a": fb.name_of(a), "status_a": ra[bloc]["status"],
            "state_b": fb.name_of(b), "status_b": rb[bloc]["status"],
            "as_of": ra[bloc]["as_of"],
            "sources": _union(ra[bloc]["sources"], rb[bloc]["sources"]),
        })
    return Answer(rows, [])


def timeline(fb: FactBase, kind: str, ident: str, filters: Filters = NO_FILTER) -> Answer:
    """Every dated event about a bloc, a state or an entity, in date order."""
    about = fb.for_objects([ident]) + (fb.for_subject(ident) if kind == "entity" else [])
    stmts, _ = _admitted(fb, filters, about)
    events = []

    def add(when: DateRange, event: str, s: Statement | None, subject: str, obj: str,
            cites: list[dict]):
        events.append({"date": when.label, "event": event, "state": subject, "object": obj,
                       "status": s.status if s else None,
                       # "no later than X" sorts at X, not before everything else
                       "_sort": (when.latest if when.earliest == MIN else when.earliest,
                                 when.latest),
                       "sources": cites})

    if kind == "bloc":
        b = fb.blocs[ident]
        if b.formed and filters.admits(fb, b.formed_citation.source):
            c = b.formed_citation
            add(b.formed, "formed", None, "", b.name, [source_entry(fb, c)])
        relevant = [s for s in stmts if s.relation == "membership" and s.object == ident]
        if b.proposed:
            for c in b.citations:
                if filters.admits(fb, c.source):
                    add(fb.sources[c.source].published, "proposed", None, "", b.name,
                        [source_entry(fb, c)])
    elif kind == "entity":
        relevant = [s for s in stmts if s.subject == ident and s.group is None
                    or (s.relation == "recognition" and s.object == ident)]
    words = {
        ("membership", "member"): ("joined", "withdrew", "listed as member"),
        ("membership", "observer"): ("observer from", "observer until", "listed as observer"),
        ("membership", "former-member"): (None, None, "stated as former member"),
        ("recognition", "recognizes"): ("recognized", None, "stated as recognizing"),
        ("recognition", "does-not-recognize"): (None, None, "said not to recognize"),
    }
    for s in relevant:
        start, end, stated = words.get((s.relation, s.status),
                                       (f"{s.status} from", f"{s.status} until",
                                        f"stated as {s.status}"))
        subject, obj = subject_name(fb, s), fb.name_of(s.object)
        c = [cite(fb, s)]
        if s.since is not None and start and s.status != "former-member":
            add(s.since, start, s, subject, obj, c)
        if s.until is not None and end:
            if s.status == "member":
                continue  # the former-member statement carries the withdrawal
            add(s.until, end, s, subject, obj, c)
        if s.status == "former-member":
            add(s.since, "withdrew", s, subject, obj, c)
            continue
        add(s.stated, stated, s, subject, obj, c)
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
    """Where articles disagree: omissions from a later complete list, statuses that clash
    at the same time, and dates that cannot both be true."""
    stmts, rosters = _admitted(fb, filters, fb.statements, fb.rosters)
    rows = []
    listable: dict = {}
    for s in stmts:
        if s.relation == "membership" and s.status in LISTABLE and s.group is None:
            listable.setdefault(s.object, []).append(s)
    for r in rosters:
        if not r.complete:
            continue
        earlier = [s for s in listable.get(r.bloc, ())
                   if s.stated.latest < r.stated.earliest and s.subject not in r.states
                   and possible_span(fb, s)[1] >= r.stated.earliest]
        by_state: dict = {}
        for s in earlier:
            by_state.setdefault(s.subject, []).append(s)
        for state, ss in by_state.items():
            rows.append({
                "kind": "omission", "state": fb.name_of(state), "object": fb.name_of(r.bloc),
                "claim_a": f"{ss[0].status} (stated {ss[-1].stated.label})",
                "claim_b": f"not in the list of {r.stated.label}",
                "sources": _cites(fb, ss) + [_roster_cite(fb, r)],
            })
    keyed: dict = {}
    for s in stmts:
        keyed.setdefault((s.relation, s.subject, s.object, s.group), []).append(s)
    clash = {tuple(sorted(p)) for p in (("recognizes", "does-not-recognize"),
                                         ("member", "non-member"), ("observer", "non-member"))}
    for (relation, subject, obj, group), ss in keyed.items():
        if len(ss) < 2 or len({s.citation.source for s in ss}) < 2:
            continue
        for i, x in enumerate(ss):
            for y in ss[i + 1:]:
                if x.citation.source == y.citation.source:
                    continue
                if x.status == y.status:
                    if not (x.since and y.since and x.since.intersect(y.since) is None):
                        continue
                    kind = "date"
                elif tuple(sorted((x.status, y.status))) in clash and _overlaps(
                        (max(stated_span(x)[0], stated_span(y)[0]),
                         min(stated_span(x)[1], stated_span(y)[1])), ALL_TIME):
                    kind = "status"
                else:
                    continue
                rows.append({
                    "kind": kind, "state": subject_name(fb, x), "object": fb.name_of(obj),
                    "claim_a": _claim(x), "claim_b": _claim(y),
                    "sources": [cite(fb, x), cite(fb, y)],
                })
    return Answer(rows, [])


def _claim(s: Statement) -> str:
    parts = [s.status]
    if s.since:
        parts.append(f"since {s.since.label}")
    if s.until:
        parts.append(f"until {s.until.label}")
    parts.append(f"(stated {s.stated.label})")
    return " ".join(parts)


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
                             "since": b.formed.label if c is b.formed_citation else None,
                             "until": None, "quote": c.quote, "note": c.note, "_line": c.line})
    return Answer(rows, [])


def order_by_text(rows: list[dict], text: str) -> list[dict]:
    """Sort claim rows by where their quote stands in the article's text."""
    from .check import normalise

    norm = normalise(text)

    def pos(r):
        i = norm.find(normalise(r["quote"]))
        return (i if i >= 0 else len(norm), r["_line"])

    out = sorted(rows, key=pos)
    for r in out:
        r.pop("_line", None)
    return out


def search(fb: FactBase, text: str) -> Answer:
    """Names, aliases, quotes and notes that mention the text (case-insensitive)."""
    needle = fold(text)
    rows = []
    for table, kind in ((fb.blocs, "bloc"), (fb.entities, "entity")):
        for ident, item in table.items():
            for n in (item.name, *item.aliases):
                if needle in fold(n):
                    rows.append({"kind": kind, "id": ident, "name": item.name, "field": "name",
                                 "text": n, "source": None})
    for sid, src in fb.sources.items():
        if needle in fold(src.title) or needle in fold(sid):
            rows.append({"kind": "source", "id": sid, "name": src.title, "field": "title",
                         "text": src.title, "source": sid})
    seen = set()
    for s in fb.statements:
        c = s.citation
        for field, value in (("quote", c.quote), ("note", c.note)):
            if value and needle in fold(value) and (c.source, value) not in seen:
                seen.add((c.source, value))
                rows.append({"kind": s.relation, "id": f"{c.file}:{c.line}",
                             "name": f"{subject_name(fb, s)} / {fb.name_of(s.object)}",
                             "field": field, "text": value, "source": c.source})
    return Answer(rows, [])

"""One name over time and the articles themselves: timeline, disputes, claims (what one
article states) and search (where a text occurs). Split from query.py, which re-exports
every name.
"""

from __future__ import annotations

from ..facts.dates import MAX, MIN, DateRange
from ..facts.model import ENDED, NOT_LISTED, STATUSES, FactBase, fold
from .evaluate import Evidence, exclusive
from .filters import NO_FILTER, Answer, EmptyName, Filters
from .gathering import evidence, evidence_each
from .rows import _day, _roster_cite, cite, evidence_cites, source_entry, subject_name

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


def timeline(fb: FactBase, kind: str, ident: str, filters: Filters = NO_FILTER,
             as_object: bool = False) -> Answer:
    """Every dated event about a bloc, a state or an entity, in date order, from the same
    combined evidence as the verdicts: starts with their combined bounds, each article's
    report, and omissions from a later complete list. as_object: of an entity, only the
    events of its recognition (those whose object it is), not of its own memberships."""
    if kind == "bloc":
        about = [s for s in fb.for_objects([ident]) if s.relation == "membership"]
        rosters = fb.rosters_for([ident])
    elif as_object:
        about = [s for s in fb.for_objects([ident]) if s.relation == "recognition"]
        rosters = []
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
        if not ev.disputed:
            continue
        seen = set()
        cites = None  # every row of a key cites its evidence: built once per key
        for e in ev.episodes:
            # (a later complete list that leaves the state out is a change, `not-listed`,
            # not a dispute: R4b; a list of the same day as a listing is, as an omission)
            for _lo, _hi, other, kind in e.disputes:
                pair = (kind, *sorted((e.status, other)))
                if pair in seen:
                    continue
                seen.add(pair)
                claim_b = (f"{other} (stated {_stated_of(ev, other)})" if kind == "status"
                           else "dates that cannot all be true: " + "; ".join(
                               f"{s.citation.source} since {s.since.label}"
                               for s in e.claims if s.since is not None))
                if cites is None:
                    cites = evidence_cites(fb, ev)
                yield _dispute_row(fb, ev, kind,
                                   f"{e.status} (stated {_stated_of(ev, e.status)})", claim_b,
                                   cites)


def _stated_of(ev: Evidence, status: str) -> str:
    labels = {s.stated.label for s in ev.statements if s.status == status}
    if not labels:  # `not-listed`: the dates of the complete lists that leave the state out
        labels = {c.stated.label for e in ev.episodes if e.status == status for c in e.claims}
    return ", ".join(sorted(labels))


def _dispute_row(fb, ev: Evidence, kind: str, claim_a: str, claim_b: str,
                 cites=None) -> dict:
    return {"kind": kind, "state": subject_name(fb, ev),
            "state_id": ev.subject if ev.group is None else None,
            "object": fb.name_of(ev.object), "object_id": ev.object,
            "claim_a": claim_a, "claim_b": claim_b,
            "sources": evidence_cites(fb, ev) if cites is None else cites}


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

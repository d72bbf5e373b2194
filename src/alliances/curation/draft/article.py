"""The whole article: every rule over every sentence, with what the sentences around a
sentence lend it (the bloc of "the organization", the entities of "the two regions"), and
the sentences no rule read."""

from __future__ import annotations

import re

from ...facts.dates import DateRange
from . import news
from .rules import Draft, _ids, _memberships, _recognitions, _rosters
from .sentences import Names, _tag, sentences

_UNREAD_WORDS = re.compile(r"\b(?:members?(?:hip)?|join(?:s|ed|ing)?|observers?|partners?|"
                           r"associate|recogni[sz]\w*|withdr[ae]w\w*|suspen\w+|leav(?:e|es|ing)|"
                           r"left|exit\w*|accession|admi(?:t|ts|tted)|particip\w+|re-?entered|"
                           r"rejoin\w*|aspir\w+|excludes?|revok\w+|retract\w*|"
                           r"independen\w+)\b", re.I)


# -- the whole article -------------------------------------------------------------------
def draft(text: str, published: DateRange, fb, source_id: str) -> Draft:
    """Candidate statements of one article, proposed from its wording alone."""
    from .gazetteer import extend

    fb, gazetteer = extend(fb)
    names = Names(fb)
    d = Draft(source_id, published, fb)
    sents = sentences(text)
    for s in sents:
        _tag(s, names, published)
    bloc_at = [[sent.mentions[i][3] for _a, _b, i in _ids(sent, "bloc")
                if not fb.blocs[sent.mentions[i][3]].proposed] for sent in sents]
    def objects_near(k: int) -> list[str]:
        order = [k] + [j for off in range(1, 4) for j in (k - off, k + off)
                       if 0 <= j < len(sents)]
        for j in order:
            objs = []
            for _a, _b, i in _ids(sents[j], "entity"):
                ident = sents[j].mentions[i][3]
                if fb.entities[ident].kind != "state" and ident not in objs \
                        and not sents[j].mentions[i][4]:
                    objs.append(ident)
            if objs:
                return objs
        return []

    # The bloc a common noun ("the organization", "the pact") points back to: the one
    # named most often before sentence k (the latest on a tie), leaving out blocs named only
    # as a comparison ("a pact resembling NATO"). One pass, counted as it goes.
    topics: list = []
    count: dict = {}
    for j, sent in enumerate(sents):
        topics.append(max(count, key=lambda b: count[b]) if count else None)
        for a, _b, i in _ids(sent, "bloc"):
            bloc = sent.mentions[i][3]
            if fb.blocs[bloc].proposed or re.search(
                    r"\b(?:resembling|similar(?:\s+\w+)?\s+to|like|unlike|than|such\s+as|"
                    r"modell?ed\s+on)\s+(?:the\s+)?$", sent.tagged[max(0, a - 40):a], re.I):
                continue
            count[bloc] = (count.get(bloc, (0, 0))[0] + 1, j)

    # memberships and rosters first: a collective refusal needs the article's own members
    for k, s in enumerate(sents):
        prev = next((bloc_at[j][0] for j in range(k - 1, max(-1, k - 4), -1) if bloc_at[j]),
                    None)
        _rosters(d, s)
        _memberships(d, s, prev, lambda k=k: objects_near(k))
        ctx = news.Ctx(topics[k])
        news.rosters(d, s, ctx)
        news.memberships(d, s, ctx)

    recognising: set[str] = set()

    def members(bloc: str, objects: list[str]):
        listed: list[str] = []
        for r in d.rosters:
            if r["bloc"] == bloc:
                listed += [m for m in r["members"] if m not in listed]
        for m in d.memberships:
            blocs = m["bloc"] if isinstance(m["bloc"], list) else [m["bloc"]]
            states = m["state"] if isinstance(m["state"], list) else [m["state"]]
            if bloc in blocs and m["status"] == "member" and "until" not in m:
                listed += [s for s in states if isinstance(s, str) and s not in listed]
        return listed, recognising

    def context(k: int):
        for off in range(1, 6):
            for j in (k - off, k + off):
                if 0 <= j < len(sents) and bloc_at[j]:
                    return bloc_at[j][0], sents[k - 1] if k > 0 else None
        return None

    # positive recognitions first (on a scratch draft), so that refusals leave out the
    # states this article says recognise
    scratch = Draft(source_id, published, fb)
    scratch.rosters, scratch.memberships = d.rosters, d.memberships
    for k, s in enumerate(sents):
        _recognitions(scratch, s, objects_near(k), context(k), members)
        news.recognitions(scratch, s, objects_near(k), None)
    for r in scratch.recognitions:
        if r["status"] == "recognizes" and not isinstance(r["state"], dict):
            recognising.update(r["state"] if isinstance(r["state"], list) else [r["state"]])
    for k, s in enumerate(sents):
        _recognitions(d, s, objects_near(k), context(k), members)
        news.recognitions(d, s, objects_near(k), None)
    for s in sents:
        if s.text not in d.read and _UNREAD_WORDS.search(s.text) and any(
                m[2] == "bloc" or fb.entities[m[3]].kind == "state" for m in s.mentions):
            d.unread.append({"line": s.line, "text": s.text})
    d.prune()
    used = {s for section in (d.rosters, d.memberships, d.recognitions) for e in section
            for key in ("members", "observers", "associates", "dialogue_partners", "state")
            for v in [e.get(key)] for s in (v if isinstance(v, list) else [v])
            if isinstance(s, str)}
    d.new_states = {i: gazetteer[i] for i in sorted(used) if i in gazetteer}
    return d



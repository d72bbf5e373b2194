"""The whole article: every rule over every sentence, with what the sentences around a
sentence lend it (the bloc of "the organization", the entities of "the two regions"), and
the sentences no rule read."""

from __future__ import annotations

import re

from ...facts.dates import DateRange
from . import grammar, news
from .rules import Draft, _ids, _memberships, _recognitions, _rosters
from .sentences import Names, _tag, sentences

_UNREAD_WORDS = re.compile(r"\b(?:members?(?:hip|s)?|join(?:s|ed|ing)?|observers?|partners?|"
                           r"partnership|associate\w*|recogni[sz]\w*|recognition\w*|withdr[ae]w\w*|suspen\w+|"
                           r"leav(?:e|es|ing)|left|exit\w*|accession|accede\w*|admi(?:t|ts|"
                           r"tted|ssion)|particip\w+|re-?entered|enter(?:s|ed)?|rejoin\w*|"
                           r"aspir\w+|excludes?|revok\w+|retract\w*|independen\w+|quit\w*|"
                           r"grant\w*|status|found(?:ed|ing|ers?)|establish\w*|set\s+up|"
                           r"sign(?:ed|ing|atory|atories)|ratif\w+|protocol|treaty|charter|"
                           r"alliance|allies|ally|bloc|dialogue|incorporat\w+|accept\w*|"
                           r"expel\w*|return\w*|prolong\w*|sovereign\w*|integrity|"
                           r"breakaway|secede\w*|secession\w*|annex\w*)\b", re.I)


def _settle(d, sents) -> None:
    """Where the grammar read a (state, object) pair of a sentence with another status
    than a phrasing rule did ("intends to become a full member": aspirant, not member;
    "joined B as partners in dialogue": dialogue partner), the grammar's reading stands;
    and a region's parent state (Georgia) is never proposed as recognising it."""
    from .grammar import PARENTS
    from .rules import ROSTER_KEYS

    fb = d.fb
    by_name = {e.name: e.id for e in fb.entities.values()}
    parents = {by_name[r]: by_name[p] for r, p in PARENTS.items()
               if r in by_name and p in by_name}
    said: dict = {}
    for section, obj in (("memberships", "bloc"), ("recognitions", "entity")):
        for e in getattr(d, section):
            if e.get("_rule", "").startswith(grammar.RULE_MARK):
                for s in _as_list(e["state"]):
                    for o in _as_list(e[obj]):
                        said.setdefault((e["quote"], s, o), set()).add(e["status"])

    def keep(quote, s, o, status) -> bool:
        other = said.get((quote, s, o))
        return other is None or status in other

    for section, obj in (("memberships", "bloc"), ("recognitions", "entity")):
        kept = []
        for e in getattr(d, section):
            states = _as_list(e["state"])
            objects = _as_list(e[obj])
            mine = e.get("_rule", "").startswith(grammar.RULE_MARK)
            left = [s for s in states if not isinstance(s, str) or mine or all(
                keep(e["quote"], s, o, e["status"]) for o in objects)]
            if section == "recognitions":
                left = [s for s in left if not isinstance(s, str)
                        or all(parents.get(o) != s for o in objects)]
            if not left:
                continue
            if len(left) < len(states):
                e["state"] = left[0] if len(left) == 1 else left
            kept.append(e)
        setattr(d, section, kept)
    for r in d.rosters:
        for key, status in ROSTER_KEYS:
            if key in r:
                r[key] = [s for s in r[key] if keep(r["quote"], s, r["bloc"], status)]
    d.rosters = [r for r in d.rosters if any(r.get(k) for k, _s in ROSTER_KEYS)]


def _as_list(v):
    return v if isinstance(v, list) else [v]


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
    regions = [e.id for e in fb.entities.values() if "region" in e.kind]

    def objects_near(k: int) -> list[str]:
        order = [k] + [j for off in range(1, 4) for j in (k - off, k + off)
                       if 0 <= j < len(sents)]
        plural = grammar.plural_objects(sents[k])
        objs: list[str] = []
        for j in order:
            for _a, _b, i in _ids(sents[j], "entity"):
                ident = sents[j].mentions[i][3]
                if fb.entities[ident].kind != "state" and ident not in objs \
                        and not sents[j].mentions[i][4]:
                    objs.append(ident)
            # "them", "both regions", "the two regions": more than one, read nearby
            if objs and (not plural or len(objs) >= 2):
                return objs
        if plural and len(objs) < 2 and len(regions) == 2 and re.search(
                r"\b(?:breakaway|separatist|rebel|two|both)\b", sents[k].text, re.I):
            objs += [r for r in regions if r not in objs]
        return objs

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
        ctx.prev = sents[k - 1].tagged if k else ""
        news.rosters(d, s, ctx)
        news.memberships(d, s, ctx)
        grammar.memberships(d, s, ctx)

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
        grammar.recognitions(scratch, s, objects_near(k), None)
    for r in scratch.recognitions:
        if r["status"] == "recognizes" and not isinstance(r["state"], dict):
            recognising.update(r["state"] if isinstance(r["state"], list) else [r["state"]])
    for k, s in enumerate(sents):
        _recognitions(d, s, objects_near(k), context(k), members)
        news.recognitions(d, s, objects_near(k), None)
        grammar.recognitions(d, s, objects_near(k), None)
    _settle(d, sents)
    # a sentence whose every proposal the settling dropped is not read after all
    d.read = {e.get("quote") for section in (d.rosters, d.memberships, d.recognitions)
              for e in section}
    # nothing silently missed: every sentence that names a known state, bloc or entity
    # (by any of its names) with a word of membership or recognition, and yields no
    # proposal, is listed for the curator with the names it found
    for s in sents:
        if s.text not in d.read and s.mentions and _UNREAD_WORDS.search(s.text):
            found: list[str] = []
            for m in s.mentions:
                name = s.text[m[0]:m[1]]
                if name not in found:
                    found.append(name)
            d.unread.append({"line": s.line, "text": s.text, "names": found})
    d.prune()
    used = {s for section in (d.rosters, d.memberships, d.recognitions) for e in section
            for key in ("members", "observers", "associates", "dialogue_partners", "state")
            for v in [e.get(key)] for s in (v if isinstance(v, list) else [v])
            if isinstance(s, str)}
    d.new_states = {i: gazetteer[i] for i in sorted(used) if i in gazetteer}
    return d



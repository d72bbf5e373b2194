"""The whole article: every rule over every sentence, with what the sentences around a
sentence lend it (the bloc of "the organization", the entities of "the two regions"), and
the sentences no rule read."""

from __future__ import annotations

import re

from ...facts.dates import DateRange
from . import grammar, news
from .rules import Draft, _ids, _memberships, _recognitions, _rosters
from .sentences import Names, _tag, sentences

# The relation lexicon: words of membership or recognition, any inflection. A sentence
# with a known name and one of these is either read by a rule or listed for the curator.
_UNREAD_WORDS = re.compile(r"\b(?:members?(?:hip|s)?|join(?:s|ed|ing)?|observers?|partners?|"
                           r"partnership|associate\w*|recogni[sz]\w*|recognition\w*|withdr[ae]w\w*|suspen\w+|"
                           r"leav(?:e|es|ing)|left|exit\w*|accession|accede\w*|admi(?:t|ts|"
                           r"tted|ssion)|particip\w+|re-?entered|enter(?:s|ed)?|rejoin\w*|"
                           r"aspir\w+|excludes?|revok\w+|retract\w*|independen\w+|quit\w*|"
                           r"grant\w*|status|found(?:ed|ing|ers?)|establish\w*|set\s+up|"
                           r"sign(?:ed|ing|atory|atories)|ratif\w+|protocol|treaty|charter|"
                           r"alliance|allies|ally|bloc|dialogue|incorporat\w+|accept\w*|"
                           r"expel\w*|return\w*|prolong\w*|sovereign\w*|integrity|"
                           r"breakaway|secede\w*|secession\w*|annex\w*|parts?\s+of|"
                           r"belong\w*|consist\w*|compris\w*|includ\w*|grouping|"
                           r"brings?\s+together|unit(?:es|ing)|"
                           r"united(?!\s+(?:states|nations|kingdom|arab))|pact|accords?|"
                           r"agreements?|appl(?:y|ies|ied|ying|ications?)|candida\w*|bids?|upgrad\w*|"
                           r"enlarg\w*|expan\w*|refus\w*|reject\w*|renounc\w*|"
                           r"abandon\w*|cancel\w*|terminat\w*|reverse\w*|"
                           r"follow\w*\s+(?:suit|(?:\S+\s+)?lead))\b", re.I)


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
    # proposal, is listed for the curator with the names it found; so is a sentence read
    # only in part (a name, a role, a group or a list its proposals leave out)
    d.unread = listing(d, sents, topics)
    d.prune()
    used = {s for section in (d.rosters, d.memberships, d.recognitions) for e in section
            for key in ("members", "observers", "associates", "dialogue_partners", "state")
            for v in [e.get(key)] for s in (v if isinstance(v, list) else [v])
            if isinstance(s, str)}
    d.new_states = {i: gazetteer[i] for i in sorted(used) if i in gazetteer}
    return d




# -- the listing: nothing silently missed ------------------------------------------------
# Words that make a statement about a whole group ("only", "no other", "every"): a sentence
# with one yields a group statement (every other state not yet) the curator may record.
_GROUP = re.compile(r"\b(?:only|no\s+other|none|every|all\s+(?:the\s+)?(?:other\s+)?"
                    r"(?:states|countries|members|nations)|the\s+rest|any\s+other|alone)\b",
                    re.I)
# Role words and the statuses that read them: a sentence that says "observer" and yields
# no observer proposal was read only in part.
_MEMBER_FAMILY = {"member", "aspirant", "proposed", "non-member", "suspended"}
_RECOGNITION_FAMILY = {"recognizes", "does-not-recognize", "not-yet"}
_ROLES = (
    (re.compile(r"\bobservers?\b", re.I), {"observer"}, "observer"),
    (re.compile(r"\b(?:partners?|partnership|dialogue)\b", re.I),
     {"partner", "dialogue-partner"}, "partner"),
    (re.compile(r"\bassociate\w*", re.I), {"associate"}, "associate"),
    (re.compile(r"\b(?:members?(?:hip)?|join(?:s|ed|ing)?|accession|accede\w*)\b", re.I),
     _MEMBER_FAMILY, "member"),
    (re.compile(r"\b(?:recogni[sz]\w*|recognition)\b", re.I), _RECOGNITION_FAMILY,
     "recognition"),
    (re.compile(r"\b(?:suspen\w+|frozen|freez\w+)\b", re.I), {"suspended"}, "suspended"),
)
# A group of states named by a common noun ("the nine original signatory countries",
# "the member states"): with a word of the lexicon, it speaks of the article's bloc.
_COLLECTIVE = re.compile(r"\b(?:[\w-]+\s+)?(?:countries|states|nations|members|republics|"
                         r"governments|signator(?:y|ies)|participants|parties)\b", re.I)
# A bloc's name used of its members ("the CIS countries", "SCO states").
_BLOC_OF = re.compile(r"«\d+»\s+(?:member[- ])?(?:countries|states|nations|members|"
                      r"governments|republics|leaders|partners)\b", re.I)


def _ids_of(value) -> list[str]:
    out = []
    for v in value if isinstance(value, list) else [value]:
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            if v.get("members_of"):
                out.append(v["members_of"])
            out += [x for x in v.get("except") or [] if isinstance(x, str)]
    return out


def listing(d, sents, topics) -> list[dict]:
    """The sentences the curator must read: each that yielded no proposal though it has a
    word of the relation lexicon and a known name (or a group noun of the article's bloc),
    and each a rule read whose proposals leave out part of what it says: a state, bloc or
    region it names that no proposal of the sentence uses, a role word no proposal
    carries, a group word ("only") with no group proposal, or a list that names only some
    (complete: false).
    Each comes with the names found and, when read in part, what was left out."""
    from .grammar import PARENTS
    from .rules import ROSTER_KEYS

    fb = d.fb
    by_name = {e.name: e.id for e in fb.entities.values()}
    parent_of = {by_name[r]: by_name[p] for r, p in PARENTS.items()
                 if r in by_name and p in by_name}
    used: dict[str, set] = {}
    statuses: dict[str, set] = {}
    group: set[str] = set()
    partial: set[str] = set()
    for section, obj in (("rosters", "bloc"), ("memberships", "bloc"),
                         ("recognitions", "entity")):
        for e in getattr(d, section):
            q = e.get("quote")
            ids = used.setdefault(q, set())
            ids.update(_ids_of(e.get(obj)))
            if section == "rosters":
                for key, status in ROSTER_KEYS:
                    if e.get(key):
                        ids.update(e[key])
                        statuses.setdefault(q, set()).add(status)
                if e.get("complete") is False:
                    partial.add(q)
                continue
            ids.update(_ids_of(e.get("state")))
            statuses.setdefault(q, set()).add(e["status"])
            if any(isinstance(v, dict) for v in _as_list(e.get("state"))):
                group.add(q)
    out: list[dict] = []
    for k, s in enumerate(sents):
        found: list[str] = []
        for m in s.mentions:
            name = s.text[m[0]:m[1]]
            if name not in found:
                found.append(name)
        if s.text not in d.read:
            if not (_UNREAD_WORDS.search(s.text) or _BLOC_OF.search(s.tagged)):
                continue
            if s.mentions:
                out.append({"line": s.line, "text": s.text, "names": found})
            elif topics[k] and (noun := _COLLECTIVE.search(s.text)):
                # no name, but a group of states of the article's bloc
                out.append({"line": s.line, "text": s.text,
                            "names": [f"{noun.group(0)} "
                                      f"(the article's bloc: {fb.name_of(topics[k])})"]})
            continue
        ids = used.get(s.text, set())
        have = statuses.get(s.text, set())
        left: list[str] = []
        named = {m[3] for m in s.mentions if m[3] in ids}
        parents = {parent_of[i] for i in ids | named if i in parent_of}
        for m in s.mentions:
            name = s.text[m[0]:m[1]]
            if m[4] or m[3] in ids or m[3] in parents or name in left:
                continue   # an adjective ("Russian troops"), used, or a region's parent
            left.append(name)
        why = []
        if left:
            why.append("no proposal for " + ", ".join(left))
        for pattern, family, label in _ROLES:
            if pattern.search(s.text) and not have & family:
                why.append(f"no {label} proposal")
        word = _GROUP.search(s.text)
        if word and s.text not in group:
            why.append(f"'{word.group(0)}': no group proposal")
        if s.text in partial:
            why.append("a list that names only some")
        if why:
            out.append({"line": s.line, "text": s.text, "names": found,
                        "partly": "; ".join(why)})
    return out

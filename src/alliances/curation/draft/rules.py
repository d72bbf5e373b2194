"""The wording rules: rosters, memberships, recognitions, and the whole article."""

from __future__ import annotations

import json
import re

from ...facts.dates import DateRange
from .dates import MONTHS, NUMBERS, WEEKDAYS, When, _describe
from .sentences import _SUBJECT_BEFORE, TOKEN, Names, Sentence

ROSTER_KEYS = (("members", "member"), ("observers", "observer"), ("associates", "associate"),
               ("dialogue_partners", "dialogue-partner"))


# -- rules -------------------------------------------------------------------------------
class Draft:
    """Proposals for one article; `rows()` lists one candidate statement each."""

    def __init__(self, source_id: str, pub: DateRange, fb):
        self.source_id, self.pub, self.fb = source_id, pub, fb
        self.rosters: list[dict] = []
        self.memberships: list[dict] = []
        self.recognitions: list[dict] = []
        self.entities: dict[str, dict] = {}
        self.new_states: dict[str, dict] = {}   # gazetteer states the data lacks, with codes
        self.new_blocs: dict[str, dict] = {}
        self.unread: list[dict] = []             # sentences no rule read ("could not read")
        self._seen: set = set()
        self.read: set = set()                   # the sentences a rule read

    def add(self, section: str, entry: dict, rule: str) -> None:
        key = (section, json.dumps(entry, sort_keys=True, default=str))
        if key in self._seen:
            return
        self._seen.add(key)
        self.read.add(entry.get("quote"))
        entry["_rule"] = rule
        getattr(self, section).append(entry)

    def prune(self) -> None:
        """Drop a proposal that says nothing new: all its statements already proposed by
        another sentence, and no date of its own (the dated ones are kept, and first)."""
        for section in ("rosters", "memberships", "recognitions"):
            # the same statement from the same sentence by two rules: the first one stays
            seen_same: set = set()
            kept = []
            for e in getattr(self, section):
                key = json.dumps({k: v for k, v in e.items() if k not in ("note", "_rule")},
                                 sort_keys=True, default=str)
                if key not in seen_same:
                    seen_same.add(key)
                    kept.append(e)
            setattr(self, section, kept)
        for section in ("memberships", "recognitions"):
            entries = getattr(self, section)
            seen: set = set()
            keep = set()
            order = sorted(range(len(entries)),
                           key=lambda i: not ("since" in entries[i] or "until" in entries[i]))
            for i in order:
                mine = _expand(entries[i], "bloc" if section == "memberships" else "entity")
                if "since" in entries[i] or "until" in entries[i] or not mine <= seen:
                    keep.add(i)
                    seen |= mine
            setattr(self, section, [e for i, e in enumerate(entries) if i in keep])

    def triples(self) -> set[tuple[str, str, str]]:
        """(subject, object, status) of every proposal, as the coverage measure counts them."""
        out = set()
        for r in self.rosters:
            for key, status in ROSTER_KEYS:
                for s in r.get(key, []):
                    out.add((s, r["bloc"], status))
        for section, obj in ((self.memberships, "bloc"), (self.recognitions, "entity")):
            for m in section:
                subjects = m["state"] if isinstance(m["state"], list) else [m["state"]]
                objects = m[obj] if isinstance(m[obj], list) else [m[obj]]
                for s in subjects:
                    if isinstance(s, dict):
                        s = "*" if s.get("all_states") else f"members_of:{s['members_of']}"
                    for o in objects:
                        out.add((s, o, m["status"]))
        return out


def _expand(entry: dict, obj: str) -> set:
    states = entry["state"] if isinstance(entry["state"], list) else [entry["state"]]
    objects = entry[obj] if isinstance(entry[obj], list) else [entry[obj]]
    return {(json.dumps(s, sort_keys=True), o, entry["status"]) for s in states
            for o in objects}


def _ids(sent: Sentence, kind: str, lo: int = 0, hi: int | None = None, adj: bool = False):
    """Mention indexes of a kind in the tagged span [lo, hi)."""
    hi = len(sent.tagged) if hi is None else hi
    out = []
    for m in TOKEN.finditer(sent.tagged, lo, hi):
        i = int(m.group(1))
        mk = sent.mentions[i]
        if mk[2] == kind and (adj or not mk[4]):
            out.append((m.start(), m.end(), i))
    return out


_LIST_SEP = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?(?:by\s+)?(?:the\s+(?=«))?"
                       r"|\s+(?:and|or|&)\s+(?:by\s+)?(?:the\s+(?=«))?"
                       r"(?:(?:political|regional|traditional|nuclear-armed|neighbouring|"
                       r"neighboring|fellow)\s+(?:rivals|allies|neighbou?rs|partners)\s+"
                       r"(?=«))?)"
                       r"(?:the\s+[^«,.;()]{0,40}?\b(?:of|from)\s+)?")
_LIST_LEAD = re.compile(r"\s*:?\s*(?:namely\s*:?\s*|i\.e\.\s*,?\s*)?(?:the\s+(?=«)|the\s+"
                        r"(?:states|countries|nations|republics)\s+of\s+)?")
_UNNAMED = re.compile(r"\s*,?\s*(?:and|or|plus)\s+(?:the\s+)?(?:\d+|two|three|four|five|six|"
                      r"seven|eight|nine|ten|other|several|some|a few|various)\b", re.I)


def _take_list(sent: Sentence, pos: int, kind: str = "entity"):
    """Entity ids of a list starting at `pos` of the tagged text; (ids, end, unnamed_more)."""
    t = sent.tagged
    m = _LIST_LEAD.match(t, pos)
    pos = m.end() if m else pos
    ids, end = [], pos
    while True:
        m = TOKEN.match(t, pos)
        if not m:
            break
        mk = sent.mentions[int(m.group(1))]
        if mk[2] != kind or mk[4]:
            break
        if mk[3] not in ids:
            ids.append(mk[3])
        end = m.end()
        # "Russia-led": the leader's suffix is not the end of the list
        sep = _LIST_SEP.match(t, end)
        if not sep:
            break
        pos = sep.end()
    more = bool(_UNNAMED.match(t, end))
    return ids, end, more


def _eligible(sent: Sentence, tok_start: int, i: int) -> bool:
    """Whether a named state can be a clause's subject: not possessive, not an adjective,
    and not the object of a verb or preposition."""
    mk = sent.mentions[i]
    if mk[4] or mk[5]:
        return False
    before = sent.tagged[:tok_start].rstrip()
    if re.search(r"(?:^|[,;:(]\s*|\b(?:and|but|while)\s+)[Tt]he$", before):
        before = before[:-3].rstrip()   # "The US does not recognise"
    if not before or before[-1] in ",;:–—-(\"“»" or before.endswith("--"):
        return True
    word = re.search(r"([A-Za-z]+)$", before)
    if re.search(r"\b(?:state|country|nation|republic|kingdom|island|government)\s+of$",
                 before, re.I):
        return True   # "the small island state of Vanuatu ... has recognized"
    return word is not None and word.group(1).lower() in _SUBJECT_BEFORE


def _nearest_date(sent: Sentence, at: int):
    """The date phrase nearest to raw offset `at`, outside relative clauses (", which ...")."""
    best = None
    for a, b, when in sent.dates:
        clause = sent.text.rfind(", which", 0, a), sent.text.rfind(", who", 0, a)
        rel = max(clause)
        if rel != -1 and rel > at and sent.text.find(",", rel + 2, a) == -1:
            continue
        if rel != -1 and rel < a and at < rel:
            continue
        d = 0 if a <= at <= b else min(abs(at - a), abs(at - b))
        if best is None or d < best[0]:
            best = (d, when)
    return best[1] if best else None


def _clause_date(sent: Sentence, a: int, b: int):
    """The nearest date phrase to the raw span [a, b) in the same clause: no comma, semicolon
    or dash between them (", followed by Venezuela on September 10, 2009" dates Venezuela,
    not the clause before it)."""
    best = None
    for lo, hi, when in sent.dates:
        gap = sent.text[b:lo] if lo >= b else sent.text[hi:a] if hi <= a else ""
        if re.search(r"[,;:()]|\s[-–—]\s", gap):
            continue
        dist = lo - b if lo >= b else a - hi if hi <= a else 0
        if best is None or dist < best[0]:
            best = (dist, when)
    return best[1] if best else None


def _raw(sent: Sentence, tagged_pos: int) -> int:
    """Offset in the sentence's text of a position in its tagged form."""
    shift = 0
    for m in TOKEN.finditer(sent.tagged, 0, tagged_pos):
        mk = sent.mentions[int(m.group(1))]
        shift += (mk[1] - mk[0]) - (m.end() - m.start())
    return tagged_pos + shift


_ROSTER_VERB = re.compile(r"\b(comprises|comprising|comprised of|includes|including|included|"
                          r"grouping|groups|consists of|consisting of|made up of|"
                          r"brings together|bringing together|unites|uniting)\b", re.I)
_OBSERVERS = re.compile(r"\(?\s*with\s+(?P<list>.{1,200}?)\s+(?:holding|having|with|as|"
                        r"enjoying)\s+(?:an?\s+)?observer", re.I)


def _rosters(d: Draft, sent: Sentence) -> None:
    t = sent.tagged
    for b0, b1, bi in _ids(sent, "bloc"):
        bloc = sent.mentions[bi][3]
        if d.fb.blocs[bloc].proposed:
            continue
        # B [, which | -- which | (ALIAS) | also | currently] VERB LIST
        m = re.compile(r"(?:\s*\([^()]{0,30}\)|\s*«\d+»)?\s*(?:,|--|—|–)?\s*(?:which\s+|that\s+|"
                       r"also\s+|currently\s+|now\s+|still\s+)*").match(t, b1)
        assert m is not None  # (every part is optional: it always matches)
        v = _ROSTER_VERB.match(t, m.end())
        if not v:
            continue
        members, end, more = _take_list(sent, v.end())
        if len(members) < 2 or re.match(r"\s*as\s+(?:\w+\s+)?(?:observers?|dialogue|associate|"
                                        r"partners?)", t[end:], re.I):
            continue
        # "The Russia-led B": a leader is a member
        lead = re.search(r"«(\d+)»-led\s*$", t[max(0, b0 - 40):b0])
        if lead and sent.mentions[int(lead.group(1))][2] == "entity":
            leader = sent.mentions[int(lead.group(1))][3]
            if leader not in members:
                members.insert(0, leader)
        entry = {"bloc": bloc, "members": members}
        obs = _OBSERVERS.match(t, end) or _OBSERVERS.match(t, end + 1)
        if obs:
            o_ids, _, _ = _take_list(sent, obs.start("list"))
            if o_ids:
                entry["observers"] = [o for o in o_ids if o not in members]
        partial = more or v.group(1).lower() in ("including", "included")
        if partial:
            entry["complete"] = False
        rule = f"the list after '{v.group(1)}'" + (" (it names only some: complete: false)"
                                                   if partial else "")
        if lead:
            rule += f"; {d.fb.name_of(entry['members'][0])} from '-led'"
        d.add("rosters", _cite(d, sent, entry), rule)
    # LIST -- all members of B  /  LIST, members of B
    for m in re.finditer(r"(?:--|—|–|,|\()\s*(?:all|both|each|the)?\s*(?:full\s+)?"
                         r"(?:members|member states) of (?:the )?«(\d+)»", t):
        bi = int(m.group(1))
        if sent.mentions[bi][2] != "bloc":
            continue
        head = t[:m.start()]
        toks = list(TOKEN.finditer(head))
        ids = _list_before(sent, head)
        if len(ids) >= 1 and toks:
            d.add("rosters", _cite(d, sent, {"bloc": sent.mentions[bi][3], "members": ids,
                                              "complete": False}),
                  "states named just before 'members of' (a partial list: complete: false)")


def _list_before(sent: Sentence, head: str) -> list[str]:
    """The run of entity tokens a text ends with: "China, Kazakhstan and Uzbekistan "."""
    ids: list[str] = []
    rest = head.rstrip()
    while True:
        m = re.search(r"«(\d+)»$", rest)
        if not m:
            break
        mk = sent.mentions[int(m.group(1))]
        if mk[2] != "entity" or mk[4] or mk[5]:
            break
        ids.insert(0, mk[3])
        rest = rest[:m.start()]
        sep = re.search(r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)$", rest)
        if not sep:
            break
        rest = rest[:sep.start()]
    return ids


def _cite(d: Draft, sent: Sentence, entry: dict, when_key: str | None = None,
          when=None, note: str | None = None) -> dict:
    out = dict(entry)
    if when is not None and when_key:
        out[when_key] = when.value
    out["source"] = d.source_id
    out["quote"] = sent.text
    notes = [n for n in (when.note if when is not None else None, note) if n]
    if notes:
        out["note"] = " ".join(notes)
    out["_line"] = sent.line
    return out


def _subject_before(sent: Sentence, pos: int, any_form: bool = False):
    """The nearest named state before tagged position `pos` (not possessive)."""
    found = None
    for _a, _b, i in _ids(sent, "entity", 0, pos, adj=any_form):
        if not sent.mentions[i][5]:
            found = sent.mentions[i][3]
    return found


_MEMBERSHIP_RULES = (
    # (pattern after which a bloc token follows, status, rule text)
    (r"\b(?:wants|want|wanted|seeks|seek|sought|hopes|hope|aspires|aspire|plans|plan|"
     r"applied|bid|bids|pushing|pushes|pressing|presses|eager)\s+(?:to\s+)?(?:join|"
     r"membership (?:in|of)|for membership (?:in|of))\s+(?:the\s+)?$", "aspirant",
     "'wants / seeks to join'"),
    (r"\b(?:pursues|pursue|pursuing|seeks|seeking)\s+(?:the\s+)?$", "aspirant@entry",
     "'pursues ... entry / membership'"),
    (r"\b(?:association|partnership|cooperation)\s+agreement\s+with\s+(?:the\s+)?$",
     "partner", "'association / partnership agreement with'"),
    (r"\bnon-$", "non-member@list", "'non-B members X'"),
    (r"\bpartners?\s+in\s+(?:the\s+)?$", "member@partners", "'partners in B'"),
    (r"\b(?:is|are|was|were|became|become|as)\s+(?:an?\s+)?observers?\s+(?:in|at|of|to)\s+"
     r"(?:the\s+)?$", "observer", "'observer in B'"),
    (r"\b(?:is|are|was|were|remains|became|become)\s+(?:a\s+|full\s+|founding\s+)*members?\s+"
     r"of\s+(?:the\s+)?$", "member", "'is a member of B'"),
    (r"\b(?:joined|joins|join)\s+(?:the\s+)?$", "member@joined", "'joined B'"),
)


# After an adjective of a place (Russian, Abkhazian), the words that make it a party.
_ACTOR = (r"\s+(?:President|Prime Minister|Foreign Minister|leader|leaders|side|government|"
          r"authorities|officials?|delegation|de facto)\b")


_GROUP_NOUN = (r"\bthe\s+(two|three|four|five|six)\s+(?:[\w-]+\s+){0,3}?"
               r"(?:nations|republics|regions|states|countries|provinces|entities|territories|enclaves)\b")


def _numbered(sent: Sentence, near):
    """'the two Caucasus nations': the entities named nearby, when there are that many."""
    m = re.search(_GROUP_NOUN, sent.text, re.I)
    if not m:
        return None
    ids = near()
    return (m.group(0), ids) if len(ids) == NUMBERS[m.group(1).lower()] else None


def _memberships(d: Draft, sent: Sentence, context_bloc: str | None, near=None) -> None:
    t = sent.tagged
    for b0, b1, bi in _ids(sent, "bloc"):
        bloc = sent.mentions[bi][3]
        head = t[:b0]
        for pattern, status, rule in _MEMBERSHIP_RULES:
            m = re.search(pattern, head, re.I)
            if not m:
                continue
            status, _, how = status.partition("@")
            at = _raw(sent, b0)
            if how == "entry":
                if not re.match(r"\s*(?:entry|membership|accession)\b", t[b1:]):
                    continue
                subj = _subject_before(sent, m.start())
                states = [subj] if subj else []
            elif how == "list":
                lead = (re.match(r"\s*members?\s*", t[b1:])
                        if re.match(r"\s*members?\b", t[b1:]) else None)
                states, _, _ = _take_list(sent, lead.end() + b1 if lead else b1)
            elif how == "partners":
                states = [sent.mentions[i][3] for a, b, i in
                          _ids(sent, "entity", max(0, m.start() - 80), m.start(), adj=True)
                          if not sent.mentions[i][5]]
            elif how == "joined":
                if re.search(r"\b(?:to|will|would|plans?|poised)\s+$", head[:m.start()] + " "):
                    continue
                subj = _subject_before(sent, m.start())
                states = [subj] if subj else []
            else:
                subj = _subject_before(sent, m.start())
                states = [subj] if subj else []
            states = [s for s in states if s]
            if not states:
                continue
            # dated only where the words date the tie itself ("recently signed an
            # association agreement", "joined in 2004"), not any date in the sentence
            when = _nearest_date(sent, at) if how in ("", "joined") else None
            key = "since" if status in ("member", "partner", "observer") and when else None
            d.add("memberships", _cite(d, sent, {"state": _one(states), "bloc": bloc,
                                                 "status": status},
                                       key, when if key else None), rule)
        # B excludes X (the bloc before the verb)
        m = re.match(r"\s*(?:excludes|excluded|excluding)\s+", t[b1:])
        if m:
            states, _, _ = _take_list(sent, b1 + m.end())
            if states:
                d.add("memberships", _cite(d, sent, {"state": _one(states), "bloc": bloc,
                                                     "status": "non-member"}),
                      "'B excludes X'")
        # B and its partner(s), X
        m = re.match(r"\s*and\s+its\s+partners?\s*,?\s*", t[b1:])
        if m:
            states, _, _ = _take_list(sent, b1 + m.end())
            if states:
                d.add("memberships", _cite(d, sent, {"state": _one(states), "bloc": bloc,
                                                     "status": "partner"}),
                      "'B and its partner, X'")
        # B -- X's favoured bloc
        m = re.match(r"\s*(?:--|—|–|,|\()\s*«(\d+)»['’]s\s+(?:[\w-]+\s+){0,3}(?:bloc|alliance|"
                     r"organi[sz]ation|grouping|union|club)\b", t[b1:])
        if m and sent.mentions[int(m.group(1))][2] == "entity":
            d.add("memberships", _cite(d, sent, {"state": sent.mentions[int(m.group(1))][3],
                                                 "bloc": bloc, "status": "member"}),
                  "'B -- X's bloc': X belongs to it")
        # X-led B (outside a list, which _rosters handles)
        m = re.search(r"«(\d+)»-led\s+(?:[\w-]+\s+){0,3}$", head)
        if m and sent.mentions[int(m.group(1))][2] == "entity":
            d.add("memberships", _cite(d, sent, {"state": sent.mentions[int(m.group(1))][3],
                                                 "bloc": bloc, "status": "member"}),
                  "'X-led B': the leader is a member")
        # A proposed bloc: every state named with it takes part in the proposal
        if d.fb.blocs[bloc].proposed:
            states = []
            for _a, b, i in _ids(sent, "entity", adj=True):
                mk = sent.mentions[i]
                if mk[4] and not re.match(_ACTOR, t[b:]):
                    continue  # "Georgian territory": an adjective, not a party
                if mk[3] not in states:
                    states.append(mk[3])
            named = _numbered(sent, near) if near else None
            note = None
            if named:
                phrase, ids = named
                states += [i for i in ids if i not in states]
                note = (f"'{phrase}' read as {' and '.join(d.fb.name_of(i) for i in ids)}, "
                        "named nearby.")
            if states:
                when = _nearest_date(sent, _raw(sent, b0))
                d.add("memberships", _cite(d, sent, {"state": _one(states), "bloc": bloc,
                                                     "status": "proposed"},
                                           "since" if when else None, when, note),
                      f"named with {d.fb.blocs[bloc].name}, which the data marks as proposed")
    # X, a member of (both) the B1 and B2 -- and X was a member but withdrew (in 1999)
    for m in re.finditer(r"«(\d+)»,\s+(?:a|an|itself a)\s+(?:full\s+|founding\s+)?member of\s+"
                         r"(?:both\s+)?(?:the\s+)?«(\d+)»((?:\s*(?:,|and)\s*(?:the\s+)?«\d+»)*)",
                         t):
        subj = sent.mentions[int(m.group(1))]
        blocs = [sent.mentions[int(m.group(2))]] + [sent.mentions[int(x)] for x in
                                                     TOKEN.findall(m.group(3))]
        if subj[2] == "entity" and all(b[2] == "bloc" for b in blocs):
            d.add("memberships", _cite(d, sent, {"state": subj[3],
                                                 "bloc": _one([b[3] for b in blocs]),
                                                 "status": "member"}),
                  "'X, a member of B'")
    for m in re.finditer(r"«(\d+)»\s+(?:was|had been|used to be)\s+(?:a\s+|an\s+)?(?:founding\s+)?"
                         r"member(?:\s+of\s+(?:the\s+)?«(\d+)»)?[^.;]{0,40}?\b(?:withdrew|left|"
                         r"quit|pulled out)\b(?:\s+from\s+(?:the\s+)?«(\d+)»)?", t):
        subj = sent.mentions[int(m.group(1))]
        bi = m.group(2) or m.group(3)
        bloc = sent.mentions[int(bi)][3] if bi else context_bloc
        if subj[2] != "entity" or bloc is None or (bi and sent.mentions[int(bi)][2] != "bloc"):
            continue
        at = _raw(sent, m.end())
        when = _nearest_date(sent, at)
        note = None if bi else (f"The sentence names no bloc: {d.fb.name_of(bloc)} is the "
                                "bloc of the sentence before.")
        d.add("memberships", _cite(d, sent, {"state": subj[3], "bloc": bloc,
                                             "status": "member"},
                                   "until" if when else None, when, note),
              "'was a member but withdrew': member until the withdrawal")


def _one(ids: list[str]):
    return ids[0] if len(ids) == 1 else list(ids)


# recognition wording
_RECOG = r"recogni(?:[sz](?:e|es|ed|ing|ation)|tion)"
_REFUSE = re.compile(
    r"\b(?:stopped short of|stop short of|stops short of|did not|didn['’]t|do not|don['’]t|"
    r"does not|doesn['’]t|has not|have not|hasn['’]t|haven['’]t|had not|would not|will not|"
    r"won['’]t|failed to|fail to|fails to|refused to|refuse to|refuses to|declined to|"
    r"decline to|declines to|unwillingness to|unwilling to|reluctance to|reluctant to|"
    r"rejected|refused|never)\b", re.I)
_NOT_YET = re.compile(r"\b(?:has|have|had)\s+yet\s+to\b|\byet\s+to\s+" + _RECOG, re.I)
_PASSIVE_NO = re.compile(r"\b(?:were|was|are|is|have been|has been|remain|remains|remained)\s+"
                         r"(?:not|never)\s+(?:\w+ly\s+)?" + _RECOG + r"\b(?!\s+by\b)", re.I)
_POSITIVE = re.compile(r"\b(?:" + _RECOG + r"|follow(?:ed|s)? suit|followed\s+«\d+»['’]s\s+lead)"
                       r"\b", re.I)
_LEADER = re.compile(r"«(\d+)»['’]s?\s+(?:\w+\s+){0,2}?(?:lead|recognition|decision to "
                     + _RECOG + r"|move to " + _RECOG + r"|decisions, including the recognition)",
                     re.I)
_FOLLOWED = re.compile(r"\b(?:followed|joined|joining)\s+«(\d+)»(?:['’]s\s+lead|\s+in\s+"
                       + _RECOG + r")", re.I)
_COLLECTIVE = re.compile(r"\b(?:ministers|allies|members|leaders|countries|states|"
                         r"governments|partners|group|bloc|organi[sz]ation|alliance|"
                         r"heads of state)\b", re.I)


def _recognitions(d: Draft, sent: Sentence, objects: list[str], ctx, members) -> None:
    """Recognition candidates of one sentence. `objects` are the entities it (or, when it
    names none, its neighbour) speaks of; `ctx` gives the neighbouring bloc and date for a
    collective subject; `members(bloc)` the bloc's members in this article."""
    t, raw = sent.tagged, sent.text
    has_recog = re.search(_RECOG, raw, re.I)
    anaphora = re.search(r"\b(?:do so|done so|followed suit|follow(?:ed|s)? suit|followed "
                         r"«\d+»['’]s lead)\b", t, re.I)
    if not (has_recog or anaphora) or not objects:
        return
    objs = _one(objects)
    leaders = set()
    for m in _LEADER.finditer(t):
        mk = sent.mentions[int(m.group(1))]
        if mk[2] == "entity" and not mk[4] and mk[3] not in objects and (
                "lead" not in m.group(0) or has_recog):
            leaders.add(mk[3])
            when = None
            if "recognition" in m.group(0):
                # only a date inside the noun phrase: "X's recognition last month"
                at = _raw(sent, m.end())
                when = next((w for a, _b, w in sent.dates if at <= a <= at + 2), None)
            d.add("recognitions", _cite(d, sent, {"state": mk[3], "entity": objs,
                                                  "status": "recognizes"},
                                        "since" if when else None, when),
                  "'X's recognition / X's lead in recognising': X recognises")
    for m in _FOLLOWED.finditer(t):
        mk = sent.mentions[int(m.group(1))]
        if mk[2] == "entity" and mk[3] not in objects:
            leaders.add(mk[3])
            d.add("recognitions", _cite(d, sent, {"state": mk[3], "entity": objs,
                                                  "status": "recognizes"}),
                  "'followed / joined X in recognising': X recognises")
    # clauses: each cue with the states before it (after the previous cue)
    cues = []
    for m in _REFUSE.finditer(t):
        rest = t[m.end():m.end() + 90]
        if re.match(r"\s*(?:\w+\s+){0,5}?(?:" + _RECOG + r"|follow|back\s+\w+\s+in\s+"
                    + _RECOG + r")", rest, re.I) or m.group(0).lower().startswith(
                        ("unwilling", "reluctan", "stop")) and has_recog:
            cues.append((m.start(), m.end(), "does-not-recognize", m.group(0)))
    for m in _NOT_YET.finditer(t):
        cues.append((m.start(), m.end(), "not-yet", m.group(0)))
    for m in _PASSIVE_NO.finditer(t):
        cues.append((m.start(), m.end(), "all", m.group(0)))
    negative_spans = [(a, b) for a, b, *_ in cues]
    for m in _POSITIVE.finditer(t):
        if any(a <= m.start() <= b + 90 for a, b in negative_spans):
            continue  # "stopped short of recognizing": the cue's own verb
        if re.match(r"\s+(?:«\d+»['’]s?\s+)?(?:the\s+)?(?:territorial\s+integrity|sovereignty|"
                    r"borders)", t[m.end():m.end() + 40], re.I):
            continue  # "recognises Georgia's territorial integrity": not the region's
        before = t[max(0, m.start() - 12):m.start()]
        if re.search(r"\b(?:to|the|its|their|of)\s+$", before, re.I) and "suit" not in m.group(0):
            continue  # "planned to recognise", "the recognition of": no subject here
        cues.append((m.start(), m.end(), "recognizes", m.group(0)))
    cues.sort()
    prev_end = 0
    for a, b, status, word in cues:
        word = TOKEN.sub(lambda m: sent.text[sent.mentions[int(m.group(1))][0]:
                                             sent.mentions[int(m.group(1))][1]], word)
        subj = [sent.mentions[i][3] for s0, s1, i in _ids(sent, "entity", prev_end, a)
                if _eligible(sent, s0, i) and sent.mentions[i][3] not in objects]
        prev_end = b
        if status == "all":
            when = _nearest_date(sent, _raw(sent, a))
            d.add("recognitions", _cite(d, sent, {"state": {"all_states": True},
                                                  "entity": objs,
                                                  "status": "not-yet"},
                                        "since" if when else None, when),
                  f"'{word}' with no one named: no state had recognised them (not yet)")
            continue
        when = _clause_date(sent, _raw(sent, a), _raw(sent, b))
        if status == "recognizes":
            subj = [s for s in subj if s]
            if not subj:
                continue
            if "suit" in word or re.search(r"follow(?!ed\s+by)", t[a:b + 20], re.I):
                # a follower: no earlier than the leader's date, no more precise
                if when is not None:
                    when = When(when.phrase, when.lo, None, d.pub,
                                f"it followed, so no earlier than {_describe(when.lo, when.lo)}"
                                if when.lo else "") if when.lo else None
            d.add("recognitions", _cite(d, sent, {"state": _one(subj), "entity": objs,
                                                  "status": "recognizes"},
                                        "since" if when else None, when),
                  f"'{word}' with the states named before it")
            continue
        if subj:
            d.add("recognitions", _cite(d, sent, {"state": _one(subj), "entity": objs,
                                                  "status": status},
                                        "since" if when else None, when),
                  f"'{word}' with the states named before it")
            continue
        # a collective subject: a bloc named before the cue, or the neighbours' bloc
        blocs = [sent.mentions[i][3] for s0, s1, i in _ids(sent, "bloc", 0, a)
                 if not d.fb.blocs[sent.mentions[i][3]].proposed]
        note_from = ""
        if blocs:
            bloc = blocs[-1]
        elif (collective := _COLLECTIVE.search(t[:a])) and ctx is not None:
            bloc, _ctx_sent = ctx
            note_from = f"'{collective.group(0)}' read as {d.fb.name_of(bloc)}'s, " \
                        "the bloc of the sentence nearest to it"
            # (never dated by that other sentence: a date comes from the fact's own words)
            note_from += "."
        else:
            continue
        listed, recognisers = members(bloc, objects)
        others = set()
        if re.search(r"\bother\s+(?:\w+\s+)?(?:members|allies|states|countries|partners)\b",
                     t[:a], re.I):
            # "other members of B ... don't recognize": not the states the sentence names
            others = {sent.mentions[i][3] for _x, _y, i in _ids(sent, "entity")
                      if sent.mentions[i][3] not in objects}
            leaders = leaders | others
        states = [s for s in listed if s not in recognisers and s not in leaders]
        if states:
            note = (f"The states are {d.fb.name_of(bloc)}'s members as this article lists "
                    "them" + (", less " + ", ".join(d.fb.name_of(r) for r in listed
                                                     if r in recognisers or r in leaders)
                              if len(states) < len(listed) else "") + ". " + note_from)
            d.add("recognitions", _cite(d, sent, {"state": _one(states), "entity": objs,
                                                  "status": status},
                                        "since" if when else None, when, note.strip()),
                  f"'{word}' said of {d.fb.name_of(bloc)} (its members in this article)")
        else:
            except_ = sorted(leaders or recognisers)
            group = {"members_of": bloc}
            if except_:
                group["except"] = except_
            d.add("recognitions", _cite(d, sent, {"state": group, "entity": objs,
                                                  "status": status},
                                        "since" if when else None, when,
                                        note_from or None),
                  f"'{word}' said of {d.fb.name_of(bloc)}, whose members this article does "
                  "not list: list the states instead if you can")


# -- candidates for new entities ----------------------------------------------------------
_STATE_NOUNS = (r"(?:president|prime minister|government|foreign minister|defen[cs]e minister|"
                r"ambassador|army|troops|parliament|capital|territory|border|borders|leader|"
                r"leadership|independence|sovereignty|embassy)")
_NOT_STATES = {"asia", "central asia", "eurasia", "europe", "africa", "america", "caucasus",
               "the caucasus", "media", "siberia", "scandinavia", "the west", "west", "east"}


def _new_entities(d: Draft, sent: Sentence, names: Names) -> None:
    raw = sent.text
    cap = r"((?:[A-Z][a-z]+(?:[- ](?:[A-Z][a-z]+|of|and))*?)(?:\s+Republic)?)"
    found = []
    for m in re.finditer(cap + r"['’]s\s+(?:\w+\s+)?" + _STATE_NOUNS + r"\b", raw):
        found.append((m.group(1), "named with 'X's president / government'"))
    for m in re.finditer(r"\b(?:President|Prime Minister|government|capital|territory|"
                         r"[Rr]epublic|borders?|invasion) of (?:the\s+)?" + cap, raw):
        found.append((m.group(1), "named as 'the president / government of X'"))
    for m in re.finditer(r"\b(?:in|to|from|with|through|into|against|and|border|borders)\s+"
                         r"(?:the\s+)?([A-Z][a-z]+(?:stan|ia|land|ine|ey)|[A-Z][a-z]+ Republic|"
                         r"United [A-Z][a-z]+)\b", raw):
        found.append((m.group(1), "a country-like name"))
    for name, why in found:
        name = name.strip()
        key = " ".join(name.casefold().split())
        if (not name or key in names.kind or key in d.fb.names or key in _NOT_STATES
                or name in MONTHS or name in WEEKDAYS or len(name) < 3
                or name.split()[0] in ("The", "A", "An", "President", "Prime")):
            continue
        ident = re.sub(r"[^a-z0-9]+", "-", key).strip("-")
        if ident and ident not in d.entities and ident not in d.fb.entities \
                and ident not in d.fb.blocs:
            d.entities[ident] = {"name": name, "why": why, "line": sent.line,
                                 "context": _around(raw, name)}


def _around(text: str, word: str, width: int = 60) -> str:
    i = text.find(word)
    lo, hi = max(0, i - width // 2), min(len(text), i + len(word) + width // 2)
    return ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")

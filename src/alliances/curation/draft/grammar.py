"""A small grammar over the tagged sentence: relation words x lists of names.

Where rules.py and news.py read one phrasing each, this module reads a clause as
(subjects) VERB (role) (objects), with the verbs and roles as tables:

- a list of states is every run of state tokens ("X, Y and by Z", "X along with Y");
- a role is a ROLE phrase next to the verb ("as dialogue partners", "observer status",
  "the status of an observer", "full members");
- the verb decides the direction: a GRANT verb ("granted", "admitted", "accepted",
  "incorporates", "made") gives the role to the list around it; FOUND verbs ("founded by",
  "set the group up") make founding members, dated by the clause; a FUTURE or intent word
  before the verb ("will", "intends to", "decided to", "the procedure for") turns the
  change into `aspirant` (the state's own wish) or `proposed` (the bloc's decision to come),
  dated at the announcement (the sentence's own date, else the article's);
- recognition in three voices: active ("X has recognized"), passive ("recognized (as
  independent) by X, Y and Z", "but not by W": W refuses) and ordinal ("X became the sixth
  state to recognize");
- negation and scope: "never joined / did not become a member" (non-member), "never
  recognized" (refusal), "territorial integrity" (not a recognition of the region).

Every proposal carries the date of its own clause when it has one (`_clause_date`).
"""

from __future__ import annotations

import re

from .dates import When
from .news import ANAPHORA, _bloc_near, _date_in, _lists
from .rules import TOKEN, _cite, _clause_date, _one, _raw

# -- the tables ----------------------------------------------------------------------------
ROLE_WORDS = (
    ("dialogue-partner", r"(?:dialogue[- ]partners?|partners?\s+in\s+(?:the\s+)?dialogue|"
                         r"dialogue\s+partnership|partner(?:ship)?\s+status|status\s+of\s+"
                         r"(?:an?\s+|the\s+)?(?:«\d+»\s+)?dialogue[- ]partners?)"),
    ("observer", r"(?:observers?(?:[- ](?:states?|countries|nations|members?|status))?|"
                 r"status\s+of\s+(?:an?\s+|the\s+)?(?:«\d+»\s+)?observers?)"),
    ("associate", r"(?:associate(?:d)?[- ]members?(?:hip)?|associate\s+status)"),
    ("member", r"(?:(?:full(?:[- ]fledged)?|permanent|official|founding)[- ])?(?:members?"
               r"(?:[- ]states?|\s+countries|\s+nations)?|membership)"),
)
GRANT = (r"(?:grant(?:s|ed|ing)?|award(?:s|ed|ing)?|accord(?:s|ed|ing)?|giv(?:e|es|en|ing)|"
         r"gave|provid(?:e|es|ed|ing)|admit(?:s|ted|ting)?|accept(?:s|ed|ing)?|made|makes|"
         r"upgraded|receiv(?:e|es|ed|ing)|got|gets|obtained|won|incorporat(?:e|es|ed|ing)|"
         r"welcom(?:e|es|ed|ing)|approv(?:e|es|ed|ing)|joined|joins|join|became|become|"
         r"becomes|becoming|enjoys?|holds?|ha(?:s|ve|d))")
FUTURE = (r"(?:\bwill\b|\bwould\b|\bshall\b|\bto\s+be\b|\bgoing\s+to\b|\bset\s+to\b|"
          r"\bintends?\s+to\b|\bintended\s+to\b|\bplans?\s+to\b|\bplanned\s+to\b|"
          r"\bwants?\s+to\b|\bwanted\s+to\b|\bhopes?\s+to\b|\bseeks?\s+to\b|\baims?\s+to\b|"
          r"\bdecided\s+to\b|\bdecision\s+to\b|\bagreed\s+to\b|\bprocedures?\b|"
          r"\bapplication\b|\bapplied\b|\bbid\b|\bis\s+to\b|\bare\s+to\b|\bmay\b|\bcould\b|"
          r"\bready\s+to\b|\bexpected\s+to\b|\brequested\s+to\b|\basked\s+to\b|"
          r"\bvoted\s+(?:\w+\s+)?to\b|\bis\s+on\s+course\s+to\b)")
FUTURE_GRANT = FUTURE.replace(r"\bdecided\s+to\b|\bdecision\s+to\b|\bagreed\s+to\b|", "")
# the bloc decides (it will grant, it launched the procedure): proposed; else the state wants
BLOC_DECIDES = r"(?:procedures?|grant|granted|admit|accept|approv|to\s+be\b|start)"
FOUND = (r"(?:founded|established|created|formed|set\s+up|launched|signed)")
_ORDINAL = (r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
            r"\d+(?:st|nd|rd|th))")
_R = r"recogni(?:[sz](?:e|es|ed|ing|ation)|tion)"
PLURAL_OBJECTS = re.compile(r"\b(?:them|both\s+(?:of\s+them|(?:breakaway\s+|separatist\s+)?"
                            r"(?:regions|republics|territories|entities|provinces))|the\s+(?:two|twin)\s+(?:breakaway\s+|"
                            r"separatist\s+|rebel\s+)?(?:regions|republics|territories|"
                            r"entities|provinces|enclaves)|(?:breakaway|separatist|rebel)\s+"
                            r"(?:regions|republics|territories|provinces|enclaves))\b", re.I)
# states a region broke away from, by the region's name in the fact base: never proposed
# as recognising their own region
PARENTS = {"Abkhazia": "Georgia", "South Ossetia": "Georgia"}
RULE_MARK = "grammar: "


def _announced(d, sent, at: int) -> When:
    """The date of an announcement: its clause's own date, else the article's."""
    when = _clause_date(sent, at, at + 1)
    if when is not None:
        return when
    return When("the article's date", d.pub.earliest, d.pub.latest, d.pub,
                f"announced by the article's date, {d.pub.label}")


def _clauses(t: str):
    """(start, end) of each clause of the tagged text: cut at ';', ' while ', ' whereas ',
    ' but ', and at ', and' before a new subject ("..., and Belarus got its status")."""
    cuts = [0]
    for m in re.finditer(r";|\s(?:while|whereas|but|however)\s|"
                         r",\s+and\s+(?=«\d+»\s+(?!,|and\b|or\b)[a-z])", t):
        # "X, Y, and Z were admitted" is one list; "X and Y, and Z got" starts a clause
        if m.group(0).startswith(",") and t[:m.start()].endswith("»") and not re.search(
                r"\b(?:and|or)\s+«\d+»$", t[:m.start()]):
            continue
        cuts.append(m.end())
    cuts.append(len(t))
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def _role_at(text: str):
    """The first role phrase of a span: (start, end, status)."""
    best = None
    for status, word in ROLE_WORDS:
        for m in re.finditer(r"\b" + word + r"\b", text, re.I):
            if best is None or m.start() < best[0]:
                best = (m.start(), m.end(), status)
            break
    return best


# -- memberships ---------------------------------------------------------------------------
def memberships(d, sent, ctx) -> None:
    m: re.Match[str] | None
    t = sent.tagged
    lists = [x for x in _lists(d, sent) if not _possessive_only(sent, x)]

    def add(states, bloc, status, rule, when=None, until=None, note=None):
        states = [s for s in states if s]
        if not states or not bloc:
            return
        entry = {"state": _one(states), "bloc": bloc, "status": status}
        out = _cite(d, sent, entry, "since" if when is not None else None, when, note)
        if until is not None:
            out["until"] = until.value
            out["note"] = " ".join(x for x in (out.get("note"), "Until: " + until.note) if x)
            if until.lo is not None and until.lo > d.pub.latest:
                out["forecast"] = True  # an announced date after the article's (check asks)
        d.add("memberships", out, RULE_MARK + rule)

    for c0, c1 in _clauses(t):
        clause = t[c0:c1]
        here = [x for x in lists if c0 <= x[0] < c1]
        if not here:
            continue
        # founding: "founded (on DATE) by LIST" / "LIST set the group up (in YEAR)"
        for m in re.finditer(r"\b" + FOUND + r"\s+(?:[^;«]{0,40}?\s)?by\s+", clause, re.I):
            at = c0 + m.end()
            ids = next((x[2] for x in here if x[0] == at
                        or (x[0] > at and re.fullmatch(r"[\s\w,-]{0,30}", t[at:x[0]]))), None)
            if not ids:
                continue
            bloc, how = _bloc_near(d, sent, c0 + m.start(), ctx, (0, at))
            if bloc is None:
                bloc, how = ctx.bloc, None
            when = _date_in(sent, _raw(sent, c0 + m.start()), _raw(sent, at))
            add(ids, bloc, "member", f"'{m.group(0).strip()} X': founding members, since the "
                "founding", when, note=how)
        for a, b, ids, _more in here:
            rest = t[b:c1]
            m = re.match(r"\s*(?:,\s*)?(?:(?:who|which|that)\s+)?(?:have\s+|has\s+|had\s+|"
                         r"jointly\s+|together\s+)*(?:(?:founded|established|created|formed|"
                         r"set\s+up)\s+(?:the\s+)?(?:«\d+»|" + ANAPHORA + r")|set\s+(?:the\s+"
                         r"[\w-]+|it|«\d+»)\s+up)\b", rest, re.I)
            if m and not re.search(FUTURE + r"\s*$", t[max(0, a - 30):a], re.I):
                bloc, how = _bloc_near(d, sent, b + m.end(), ctx, (b, b + m.end() + 5))
                if bloc is None:
                    bloc, how = ctx.bloc, (f"{d.fb.name_of(ctx.bloc)} is the bloc of an "
                                           "earlier sentence." if ctx.bloc else None)
                when = _clause_date(sent, _raw(sent, b), _raw(sent, b + m.end()))
                add(ids, bloc, "member", "'X founded / set up B': founding members", when,
                    note=how)
    # a role with a granting verb in one clause: "B granted X dialogue partner status",
    # "status of observer was granted to X, Y and Z", "X joined B as partners in dialogue",
    # "B incorporates X and Y as full members", "X will be granted observer status"
    for c0, c1 in _clauses(t):
        clause = t[c0:c1]
        verb = re.search(r"\b" + GRANT + r"\b", clause, re.I)
        if not verb:
            continue
        role = _role_at(clause[verb.end():verb.end() + 90])
        if role is not None:
            role = (role[0] + verb.end(), role[1] + verb.end(), role[2])
        else:
            role = _role_at(clause[max(0, verb.start() - 60):verb.start()])
            if role is not None:
                shift = max(0, verb.start() - 60)
                role = (role[0] + shift, role[1] + shift, role[2])
        hit = re.search(r"\b(?:this|the|that|such|same)\s+status\b(?!\s+of)", clause, re.I)
        if hit is not None and (role is None or role[0] > hit.start()):
            # "this status was granted to X": the role of the sentence before
            prev = _role_at(getattr(ctx, "prev", "") or "")
            if prev is not None:
                role = (hit.start(), hit.end(), prev[2])
        if role is None:
            continue
        status = role[2]
        if status == "member" and not re.search(r"\bas\s+(?:an?\s+)?(?:«\d+»\s+)?"
                                                r"(?:full(?:[- ]fledged)?\s+|permanent\s+)?"
                                                r"members?\b|\bfull\s+membership\b",
                                                clause, re.I):
            continue   # "member" alone is read by the roster and membership rules
        here = [x for x in lists if c0 <= x[0] < c1 and not _located(sent, x[0])]
        if not here:
            continue
        verb_at = c0 + verb.start()
        role_at = c0 + role[0]
        bloc, how = _bloc_near(d, sent, role_at, ctx, (c0, c1))
        if bloc is None:
            bloc, how = ctx.bloc, (f"The clause names no bloc: {d.fb.name_of(ctx.bloc)} is "
                                   "the bloc of an earlier sentence." if ctx.bloc else None)
        lo = min(verb_at, role_at)
        front = t[max(c0, lo - 60):lo]
        future = re.search(FUTURE_GRANT, front + t[lo:max(verb_at, role_at)], re.I)
        negated = re.search(r"\b(?:not|never|no)\s+(?:\w+\s+){0,2}$", front, re.I)
        if negated:
            continue
        for a, b, ids, _more in here:
            # "Belarus, a member of X": the list's own apposition is read by other rules
            if re.match(r"\s*,\s*(?:an?|the)\s+", t[b:b + 8]) and a > lo:
                continue
            if b <= max(verb_at, role_at) and re.search(
                    r"\b(?:not|never|no\s+longer)\b|n't\b", t[b:max(verb_at, role_at)], re.I):
                continue   # "X has not been admitted as a permanent member"
            at = _raw(sent, a)
            if future:
                st = "proposed" if re.search(BLOC_DECIDES, future.group(0) + front
                                             + verb.group(0), re.I) else "aspirant"
                add(ids, bloc, st, f"'{future.group(0).strip()} ... {role[2]}': an announced "
                    f"change ({st}), dated at the announcement", _announced(d, sent, at),
                    note=how)
                continue
            when = _clause_date(sent, min(at, _raw(sent, lo)), max(at, _raw(sent, lo)) + 1)
            add(ids, bloc, status, f"'{verb.group(0)}' with '{role[2]}' in one clause", when,
                note=how)
    # intent and announced change: "X intends to become a member of / join B", "X will join
    # B", "X's decision to join B" (aspirant); "X will quit B on DATE" (member until then)
    for _a, b, ids, _more in lists:
        rest = t[b:b + 140]
        m = re.match(r"(?:['’]s?\s+(?:\w+\s+){0,2}?(?:decision|intention|bid|plan|application|"
                     r"request)\s+to\s+|\s+(?:\w+\s+){0,3}?" + FUTURE + r"\s+(?:\w+\s+){0,2}?)"
                     r"(?:join|become\s+(?:an?\s+)?(?:full\s+|full-fledged\s+)?members?\s+of|"
                     r"enter|accede\s+to)\s+(?:the\s+)?", rest, re.I)
        if m and not re.search(r"\b(?:not|never)\b", m.group(0), re.I):
            bloc, how = _bloc_near(d, sent, b + m.end(), ctx, (b + m.end(), b + m.end() + 12))
            if bloc is None and re.search(r"\b(?:it|" + ANAPHORA + r")\b",
                                          t[b + m.end():b + m.end() + 20], re.I):
                bloc, how = ctx.bloc, None
            add(ids, bloc, "aspirant", "'X will / intends to join B': an announced change "
                "(aspirant), dated at the announcement", _announced(d, sent, _raw(sent, b)),
                note=how)
        m = re.match(r"\s+(?:\w+\s+){0,2}?(?:will|would|is\s+to|shall|to)\s+(?:\w+ly\s+)?"
                     r"(?:quit|leave|exit|withdraw\s+from)\s+(?:the\s+)?", rest, re.I)
        if m:
            bloc, how = _bloc_near(d, sent, b + m.end(), ctx, (b + m.end(), b + m.end() + 12))
            if bloc is not None:
                at = _raw(sent, b + m.end())
                until = _date_in(sent, at, at + 80) or _written_date(d, sent, at, at + 80)
                add(ids, bloc, "member", "'X will quit B (on DATE)': a member leaving, the "
                    "announced date as its `until`", until=until,
                    note="Announced: the exit had not taken effect at the article's date."
                    if until is None or until.lo is None or until.lo > d.pub.latest else None)
        # "X never entered it", "X did not become a B member state"
        m = re.match(r"\s+(?:\w+\s+){0,3}?(?:never|did\s+not|didn['’]t|has\s+not|have\s+not|"
                     r"had\s+not)\s+(?:\w+\s+)?(?:joined|join|entered|enter|become|became)\s+"
                     r"(?:an?\s+)?(?:the\s+)?(?:«\d+»\s+)?(?:full\s+)?(?:members?(?:\s+state)?"
                     r"\s+(?:of\s+)?(?:the\s+)?)?", rest, re.I)
        if m:
            bloc, how = _bloc_near(d, sent, b + m.end() - 12, ctx,
                                   (b, min(len(t), b + m.end() + 12)))
            if bloc is None and re.match(r"\s*(?:it|them)\b", t[b + m.end():], re.I):
                bloc, how = ctx.bloc, None
            add(ids, bloc, "non-member", "'X never entered / did not become a member of B'",
                note=how)
    # "X joined two years later", "LIST - joined the Creation Agreement": no bloc named
    # after the verb, the bloc the article is about (the topic)
    for a, b, ids, _more in lists:
        m = re.match(r"\s*(?:[-–—]+\s*|,\s*)?(?:also\s+|then\s+|formally\s+|officially\s+)?"
                     r"(?:joined|acceded|entered)\b(?!\s+(?:the\s+)?«)", t[b:b + 40], re.I)
        if not m or ctx.bloc is None or _located(sent, a) or re.search(
                FUTURE + r"\s*$", t[max(0, a - 30):a], re.I):
            continue
        nxt = t[b + m.end():b + m.end() + 60]
        if re.match(r"\s+(?:in|on|at)\s+(?:[A-Z]|«)|\s+(?:forces|hands|talks)", nxt):
            continue   # "joined in recognising", "joined forces"
        when = _date_in(sent, _raw(sent, b), _raw(sent, b + m.end()) + 60)
        if when is None:
            only = [w for _x, _y, w in sent.dates]
            when = only[0] if len(only) == 1 else None
        add(ids, ctx.bloc, "member", "'X joined' with no bloc named: the article's bloc",
            when, note=f"The sentence names no bloc: {d.fb.name_of(ctx.bloc)} is the bloc "
            "the article speaks of.")
    # "X, a dialogue partner of B," / "X, an observer in B": the apposition's role
    for _a, b, ids, _more in lists:
        m = re.match(r"\s*,\s*(?:an?|the|itself\s+an?|also\s+an?)\s+(?:«\d+»\s+)?("
                     + "|".join(w for _s, w in ROLE_WORDS[:3]) + r")\s+(?:of|in|to|at)\s+"
                     r"(?:the\s+)?«(\d+)»", t[b:b + 90], re.I)
        if m and sent.mentions[int(m.group(2))][2] == "bloc":
            role = _role_at(m.group(1))
            if role is not None:
                add(ids, sent.mentions[int(m.group(2))][3], role[2],
                    f"'X, a {role[2]} of B' (an apposition)")
    # "X and Y are B members, but not Z": Z is not
    for m in re.finditer(r"\bbut\s+not\s+(?:by\s+|the\s+)?", t, re.I):
        item = next((x for x in lists if x[0] == m.end()), None)
        before = t[max(0, m.start() - 120):m.start()]
        if item is None or re.search(_R, before, re.I) or not re.search(
                r"\b(?:members?|membership)\b", before, re.I):
            continue
        bloc, how = _bloc_near(d, sent, m.start(), ctx, (max(0, m.start() - 120), m.start()))
        add(item[2], bloc, "non-member", "'B members, but not X': X is not one", note=how)
    # co-subjects: "X left B in 1999, along with Y and Z": Y and Z as X is
    for m in re.finditer(r"\b(?:along|together)\s+with\s+(?:the\s+)?", t, re.I):
        item = next((x for x in lists if x[0] == m.end()), None)
        if item is None or re.search(_R, sent.text, re.I):
            continue
        for e in list(d.memberships):
            if e.get("quote") != sent.text or e.get("_rule", "").startswith(RULE_MARK):
                continue
            first = _as_list(e["state"])
            if any(x in first for x in item[2]) or not all(isinstance(x, str) for x in first):
                continue
            out = {k: v for k, v in e.items() if k not in ("_rule",)}
            out["state"] = _one(item[2])
            d.add("memberships", out, RULE_MARK + f"'along with X': as {d.fb.name_of(first[0])}"
                  f" ({e['_rule']})")
    # "X is not a member of B" / "X is not a B member": not one; "X became the ninth
    # member of B (on DATE)": one since then
    for _a, b, ids, _more in lists:
        m = re.match(r"\s+(?:is|are|was|were|remains|remain)\s+(?:still\s+)?not\s+(?:yet\s+)?"
                     r"(?:an?\s+)?(?:«(\d+)»\s+)?members?(?:\s+states?)?(?:\s+of\s+(?:the\s+)?"
                     r"«(\d+)»)?", t[b:b + 80], re.I)
        if m and (m.group(1) or m.group(2)):
            bi = int(m.group(1) or m.group(2))
            if sent.mentions[bi][2] == "bloc":
                add(ids, sent.mentions[bi][3], "non-member", "'X is not a member of B'")
        m = re.match(r"\s+(?:has\s+|have\s+)?(?:became|become|becomes|is|was)\s+the\s+"
                     + _ORDINAL + r"\s+(?:full\s+)?member(?:\s+state)?\s+of\s+(?:the\s+)?"
                     r"«(\d+)»", t[b:b + 80], re.I)
        if m and sent.mentions[int(m.group(1))][2] == "bloc":
            at = _raw(sent, b + m.end())
            add(ids, sent.mentions[int(m.group(1))][3], "member", "'X became the Nth member "
                "of B'", _date_in(sent, at, at + 40))
    # "the procedure(s) to accept / for (the) accession of LIST": aspirants
    for m in re.finditer(r"\bprocedures?\s+(?:\w+\s+){0,3}?(?:accept|admit|accession\s+of|"
                         r"admission\s+of|joining\s+of|membership\s+(?:of|for))\s+"
                         r"(?:(?:new\s+)?members?\s*,?\s*)?", t, re.I):
        item = next((x for x in lists if x[0] >= m.end() and x[0] - m.end() < 12), None)
        ends = [b for _a, b in _clauses(t) if b > m.end()]
        ids = _states_in(d, sent, item[0], min(item[1], ends[0])) if item and ends else []
        if ids:
            bloc, how = _bloc_near(d, sent, m.start(), ctx)
            if bloc is None:
                bloc, how = ctx.bloc, None
            add(ids, bloc, "aspirant", "'the procedure for the accession of X': aspirant "
                "(a procedure started is not the change: docs/curation.md, 'Decided to'), "
                "dated at the announcement", _announced(d, sent, _raw(sent, m.start())),
                note=how)
    # "X, Y and Z signed / ratified / acceded to B (the treaty) on DATE": parties since then
    for a, b, ids, _more in lists:
        m = re.match(r"\s*(?:,\s*)?(?:have\s+|has\s+|had\s+|also\s+|formally\s+)*(?:signed|"
                     r"ratified|acceded\s+to)\s+(?:the\s+)?«(\d+)»", t[b:b + 80], re.I)
        if not m or sent.mentions[int(m.group(1))][2] != "bloc" or _located(sent, a) or \
                re.search(FUTURE + r"\s*$", t[max(0, a - 30):a], re.I) or re.search(
                    r"\b(?:not|never)\s*$", t[b:b + m.start(1)], re.I):
            continue
        bloc = sent.mentions[int(m.group(1))][3]
        if d.fb.blocs[bloc].proposed:
            continue
        when = _date_in(sent, _raw(sent, b + m.end()), _raw(sent, b + m.end()) + 80)
        add(ids, bloc, "member", "'X signed / ratified B': a party since then", when)
    # treaty mechanics: "X signed the prolongation / extension protocol" (member);
    # "X never signed / did not sign / refused to sign it" (member until then, if dated)
    for a, b, ids, _more in lists:
        rest = t[b:b + 120]
        m = re.match(r"\s+(?:\w+\s+){0,2}?(?:signed|ratified)\s+(?:the\s+)?(?:[\w-]+\s+)?"
                     r"(?:prolongation|extension|renewal)\s+(?:protocol|agreement)", rest, re.I)
        if m:
            bloc, how = _bloc_near(d, sent, b, ctx)
            if bloc is None:
                bloc, how = ctx.bloc, None
            add(ids, bloc, "member", "'X signed the prolongation protocol': a member going on",
                _clause_date(sent, _raw(sent, a), _raw(sent, b + m.end())), note=how)
        m = re.match(r"\s+(?:\w+\s+){0,2}?(?:never\s+signed|did\s+not\s+sign|didn['’]t\s+sign|"
                     r"refused\s+to\s+sign|declined\s+to\s+sign|will\s+not\s+sign|won['’]t\s+"
                     r"sign|did\s+not\s+prolong|will\s+not\s+prolong|refused\s+to\s+prolong|"
                     r"declined\s+to\s+(?:prolong|extend|renew))", rest, re.I)
        if m:
            bloc, how = _bloc_near(d, sent, b, ctx)
            if bloc is None:
                bloc, how = ctx.bloc, None
            until = _clause_date(sent, _raw(sent, a), _raw(sent, min(len(t), b + m.end() + 40)))
            add(ids, bloc, "member", "'X never signed / will not prolong': a member leaving "
                "(its `until` the date the treaty lapses for it, if the article gives one)",
                until=until, note=how)


def _written_date(d, sent, lo: int, hi: int):
    """A date written out with its year in the raw span [lo, hi), even one after the
    article's date (an announced exit: "will quit on August 18, 2009"), which the
    sentence's own date phrases leave out (they date only the past)."""
    from ...facts.dates import parse_partial
    from .dates import date_phrases

    for _a, _b, when in date_phrases(sent.text[lo:hi], parse_partial("8999")):
        if re.search(r"\b(?:1[89]|20)\d\d\b", when.phrase) and when.lo and when.hi:
            return When(when.phrase, when.lo, when.hi, d.pub,
                        f"written in the sentence (announced, after the article's date "
                        f"{d.pub.label})" if when.lo > d.pub.latest else "")
    return None


def _as_list(v):
    return v if isinstance(v, list) else [v]


def _states_in(d, sent, a: int, b: int) -> list[str]:
    out: list[str] = []
    for m in TOKEN.finditer(sent.tagged, a, b):
        mk = sent.mentions[int(m.group(1))]
        if mk[2] == "entity" and d.fb.entities[mk[3]].kind == "state" and mk[3] not in out:
            out.append(mk[3])
    return out


def _located(sent, a: int) -> bool:
    """A state named as a place: "in Ufa, Russia", "UFA, RUSSIA --", "held in Uzbekistan"."""
    before = sent.tagged[max(0, a - 40):a]
    return bool(re.search(r"(?:\b(?:in|at|near)\s+(?:the\s+)?(?:city\s+of\s+)?"
                          r"(?:[A-Z][\w’'-]+,\s*)?|^\W*[A-Z][\w’'-]+,\s*|"
                          r"\b[A-Z][\w’'-]+,\s*)$", before))


def _possessive_only(sent, item) -> bool:
    """A one-state run that is a possessive ("Turkey's"): an owner, not a list item."""
    a, _b, ids, _more = item
    m = TOKEN.match(sent.tagged, a)
    return len(ids) == 1 and m is not None and bool(sent.mentions[int(m.group(1))][5])


# -- recognitions --------------------------------------------------------------------------
def recognitions(d, sent, objects, ctx) -> None:
    m: re.Match[str] | None
    t = sent.tagged
    if not objects or not re.search(_R, sent.text, re.I):
        return
    objs = _one(objects)
    lists = _lists(d, sent)

    def add(states, status, rule, when=None, note=None):
        states = [s for s in states if s and s not in objects]
        if not states:
            return
        entry = {"state": _one(states), "entity": objs, "status": status}
        d.add("recognitions", _cite(d, sent, entry, "since" if when else None, when, note),
              RULE_MARK + rule)

    # passive: "recognized (as independent) by X, Y and (by) Z (but not by W)"
    for m in re.finditer(r"\brecogni[sz]ed\s+(?:(?:as\s+(?:an?\s+)?independent(?:\s+"
                         r"(?:states?|countries|nations|republics))?|diplomatically|officially|"
                         r"formally|also|already|so\s+far|only)\s+)*(?:(?:of|for)\s+[^,;]{0,40}?"
                         r"\s)?by\s+(?:the\s+[^«,;]{0,40}?\b(?:of\s+)?)?", t, re.I):
        if re.search(r"\b(?:not|never|no)\s+(?:\w+\s+){0,2}$", t[max(0, m.start() - 30):
                                                                   m.start()], re.I):
            continue   # "were not recognized by X": read by the refusal rules
        item = next((x for x in lists if x[0] == m.end()), None)
        if not item:
            continue
        a, b, ids, _more = item
        when = _clause_date(sent, _raw(sent, m.start()), _raw(sent, b))
        add(ids, "recognizes", "'recognized (as independent) by X, Y and Z'", when)
    for m in re.finditer(r"\bbut\s+not\s+(?:by\s+)?(?:the\s+)?", t, re.I):
        item = next((x for x in lists if x[0] == m.end()), None)
        if item and re.search(_R, t[:m.start()], re.I):
            add(item[2], "does-not-recognize", "'recognized by ... but not by X'")
    # ordinal: "X has become the sixth state to recognize", "X, the fourth country to do so"
    for m in re.finditer(r"\b(?:has\s+become|have\s+become|became|becomes|is|was|as)?\s*"
                         r"(?:,\s*)?the\s+(?:latest\s+|" + _ORDINAL + r"\s+)(?:(?:[\w-]+|«\d+»)\s+)"
                         r"{0,3}?"
                         r"(?:country|state|nation|government|member|one)?\s*(?:in\s+the\s+"
                         r"world\s+)?to\s+(?:formally\s+|officially\s+)?(?:" + _R + r"|do\s+so"
                         r"|follow)", t, re.I):
        # a new subject between the list and the verb ("the US and Europe, Moscow was the
        # first"): a capitalised word after a comma that is not a known name
        before = [x for x in lists if x[1] <= m.start() and
                  not re.search(r"[.;]|,\s+[A-Z]", t[x[1]:m.start()])
                  and m.start() - x[1] < 60]
        if not before:
            continue
        a, b, ids, _more = before[-1]
        when = _clause_date(sent, _raw(sent, a), _raw(sent, m.end()))
        add(ids, "recognizes", "'X became the Nth state to recognize': X recognises", when)
    # "X announced / confirmed its recognition of A (on DATE)": X recognises
    for a, b, ids, _more in lists:
        m = re.match(r"\s+(?:has\s+|have\s+|had\s+|also\s+|formally\s+|officially\s+)*"
                     r"(?:announced|declared|confirmed|extended|granted|gave|formalized|"
                     r"formalised)\s+(?:its|their)\s+(?:formal\s+|official\s+|diplomatic\s+)?"
                     r"recognition\b", t[b:b + 80], re.I)
        if m and not re.search(r"\b(?:not|never)\b", m.group(0), re.I):
            when = _clause_date(sent, _raw(sent, a), _raw(sent, b + m.end()))
            add(ids, "recognizes", "'X announced its recognition of A'", when)
    # "X, which recognized A in 2011, reversed its decision in 2014": recognised until then
    for _a, b, ids, _more in lists:
        m = re.search(r"\b(?:reversed|revoked|withdrew|withdrawn|retracted|rescinded|annulled|"
                      r"scrapped)\s+(?:its|their)\s+(?:\w+\s+)?(?:decision|recognition)\b",
                      t[b:b + 160], re.I)
        if not m or any(sent.mentions[int(x.group(1))][2] == "entity" and d.fb.entities[
                sent.mentions[int(x.group(1))][3]].kind == "state"
                for x in TOKEN.finditer(t, b, b + m.start())):
            continue   # another state stands between: not this list's decision
        at = _raw(sent, b + m.end())
        ended = _date_in(sent, at, at + 40)
        until = ended or When(
            m.group(0), None, d.pub.latest, d.pub, f"by the article's date, {d.pub.label}")
        since = _clause_date(sent, _raw(sent, b), _raw(sent, b + m.start()))
        if since is not None and since is ended:
            since = None   # "withdrew its recognition on July 12, 2013": the end, not a start
        states = [x for x in ids if x not in objects]
        if states:
            entry = {"state": _one(states), "entity": objs, "status": "recognizes"}
            out = _cite(d, sent, entry, "since" if since else None, since)
            out["until"] = until.value
            out["note"] = " ".join(x for x in (out.get("note"), "Until: " + until.note) if x)
            d.add("recognitions", out, RULE_MARK + "'X ... reversed its decision / withdrew "
                  "its recognition': recognised until then")
    # "X never recognized", "X does not / will not recognize" (refusals said with never)
    for _a, b, ids, _more in lists:
        m = re.match(r"\s+(?:\w+\s+){0,2}?never\s+(?:\w+\s+)?" + _R, t[b:b + 60], re.I)
        if m:
            add(ids, "does-not-recognize", "'X never recognized'")


def plural_objects(sent) -> bool:
    return bool(PLURAL_OBJECTS.search(sent.text))

"""Rules for the language of news: rosters by role, the bloc of an earlier sentence,
passive and list forms of recognition, ends (withdrawals, revocations, exits), suspension,
re-entry, dialogue partners, and "the only countries" (every other state: not yet).

Each rule is a pattern over the tagged sentence (names replaced by «i», see sentences.py);
a date is taken only from the words next to what it dates (the clause, or the list item
"Venezuela on September 10, 2009"), never from another sentence.
"""

from __future__ import annotations

import re
from datetime import date

from .dates import When
from .rules import TOKEN, _cite, _one, _raw, _take_list

E = r"«\d+»"
# a bloc named again by a common noun: the bloc of this or an earlier sentence
ANAPHORA = (r"(?:the\s+(?:[A-Z][\w-]+\s+)?(?:organi[sz]ation|bloc|pact|group|grouping|"
            r"alliance|treaty|league|union|commonwealth|security pact|security bloc|"
            r"military bloc)|it|its)")
ROLE = {
    "dialogue-partner": r"dialogue[- ]partners?",
    "observer": r"observers?(?:\s+(?:states?|countries|nations|members?|status))?|status\s+of\s+"
                r"(?:an?\s+)?observers?",
    "associate": r"associate(?:\s+members?)?",
    "member": r"(?:full[- ]|official\s+|founding\s+|permanent\s+)?members?(?:[- ]states?|\s+"
              r"countries|\s+nations)?|member[- ]states",
}
ROSTER_KEY = {"member": "members", "observer": "observers", "associate": "associates",
              "dialogue-partner": "dialogue_partners"}
_FILL = (r"(?:\s|,|:|--|—|–|-|\b(?:of|in|the|now|are|is|were|was|currently|today|also|as|"
         r"to|other|two|three|four|five|six|seven|eight|nine|ten|\d+|countries|states|nations|"
         r"there|include|includes|including|and|its|unofficial|de\s+facto|namely|have|has|"
         r"had|hold|holds|enjoy|enjoys|with|already|still)\b|«\d+»)*")
_ROSTER_VERB = (r"(?:consists?\s+of|consisted\s+of|consisting\s+of|comprises?|comprised\s+of|"
                r"comprising|includes?|included|including|made\s+up\s+of|groups|grouping|"
                r"brings\s+together|unites)")


class Ctx:
    """What a sentence may lean on: the bloc of the nearest earlier sentence."""

    def __init__(self, bloc=None):
        self.bloc = bloc
        self.prev = ""   # the sentence before, tagged (its role: "this status")


def _blocs(d, sent, lo=0, hi=None):
    hi = len(sent.tagged) if hi is None else hi
    out = []
    for m in TOKEN.finditer(sent.tagged, lo, hi):
        mk = sent.mentions[int(m.group(1))]
        if mk[2] == "bloc" and not d.fb.blocs[mk[3]].proposed:
            out.append((m.start(), mk[3]))
    return out


def _bloc_near(d, sent, at, ctx, window=(0, None)):
    """The bloc a clause speaks of: the one named nearest to `at`, else an anaphora's."""
    found = _blocs(d, sent, *window)
    if found:
        return min(found, key=lambda b: abs(b[0] - at))[1], None
    if ctx.bloc and re.search(r"\b" + ANAPHORA + r"\b", sent.tagged, re.I):
        return ctx.bloc, (f"'{re.search(ANAPHORA, sent.tagged, re.I).group(0)}' read as "
                          f"{d.fb.name_of(ctx.bloc)}, the bloc of an earlier sentence.")
    return None, None


def _lists(d, sent):
    """Every run of named states: (start, end, ids) in the tagged text."""
    out, pos, t = [], 0, sent.tagged
    while True:
        m = TOKEN.search(t, pos)
        if not m:
            return out
        mk = sent.mentions[int(m.group(1))]
        if mk[2] != "entity" or mk[4] or d.fb.entities[mk[3]].kind != "state":
            pos = m.end()
            continue
        ids, end, more = _take_list(sent, m.start())
        ids = [i for i in ids if d.fb.entities[i].kind == "state"]
        if ids:
            out.append((m.start(), end, ids, more))
        pos = max(end, m.end())


def _date_in(sent, lo: int, hi: int):
    """The date phrase inside the raw span [lo, hi), the first one."""
    best = None
    for a, b, when in sent.dates:
        if lo <= a and b <= hi and (best is None or a < best[0]):
            best = (a, when)
    return best[1] if best else None


def rosters(d, sent, ctx) -> None:
    t = sent.tagged
    lists = _lists(d, sent)
    found: dict = {}
    prev_end = 0
    for k, (a, b, ids, more) in enumerate(lists):
        nxt = lists[k + 1][0] if k + 1 < len(lists) else len(t)
        left, right = t[max(prev_end, a - 90):a], t[b:min(nxt, b + 90)]
        prev_end = b
        role = None
        partial = more
        # LIST are (the B) ROLE / LIST as ROLE / LIST are in the status of observers
        if re.match(r"\s*,\s*and\b", right):
            right = ""   # ", and 14 dialogue partners": the next item's role, not this list's
        right = re.sub(r"^\s+and\s+the\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*", "", right)
        for status, word in ROLE.items():
            if re.match(r"\s*(?:(?:are|is|were|was|remain|remains)\s+|as\s+|,\s+(?:the\s+)?)"
                        + _FILL + r"\b(?:" + word + r")\b", right, re.I):
                if status == "member" and not re.match(r"\s*(?:are|is|were|was|remain|"
                                                         r"remains|,)\b", right):
                    continue
                role = status
                break
        if role is None:
            # ROLE (of B) (now) are: LIST / includes as ROLE LIST / ROLE in LIST / VERB LIST
            best = None
            for status, word in ROLE.items():
                for m in re.finditer(r"\b(?:" + word + r")\b", left, re.I):
                    if re.fullmatch(_FILL, left[m.end():], re.I) and (
                            best is None or m.start() > best[0]):
                        best = (m.start(), status)
            verb = None
            for m in re.finditer(r"\b" + _ROSTER_VERB + r"\b", left, re.I):
                if re.fullmatch(_FILL, left[m.end():], re.I):
                    verb = m
            if best and (verb is None or best[0] > verb.start()
                         or verb.group(0).lower() == "including"):
                role = best[1]
            elif verb:
                role = "member"
            if re.search(r"\bincluding\s*$", left, re.I):
                partial = True
            if best is None and verb is None:
                continue
            if re.search(r"\bnon-«\d+»\s*(?:members?|states?|countries)?\s*$", left):
                continue  # "non-SCO members Belarus and Armenia"
            if role == "member" and best is None and re.search(
                    r"\b(?:apart from|besides|except|other than|in addition to)\b",
                    left[-40:], re.I):
                continue
        if role is None:
            continue
        bloc, how = _bloc_near(d, sent, a, ctx)
        if bloc is None and ctx.bloc and role != "member":
            bloc, how = ctx.bloc, (f"The sentence names no bloc: {d.fb.name_of(ctx.bloc)} is "
                                   "the bloc of an earlier sentence.")
        if bloc is None:
            continue
        founding = [m.start() for m in re.finditer(r"\b(?:initially|originally|at first|"
                                                   r"founded|founding)\b", t[:a], re.I)]
        # the verb nearest the list governs it: "founded in 2001 that brings together X, Y"
        # is the article's present roster, not its founders ("consisted of" is past)
        present = [m.start() for m in re.finditer(r"\b(?:consists\s+of|comprises|includes|"
                                                  r"brings\s+together|unites|groups)\b",
                                                  t[:a], re.I)]
        if role == "member" and founding and not (present and present[-1] > founding[-1]):
            founded = re.search(r"\b(?:founded|established|created|formed|set\s+up)\b",
                                sent.text, re.I)
            when = _date_in(sent, founded.end(), founded.end() + 40) if founded else None
            d.add("memberships", _cite(d, sent, {"state": _one(ids), "bloc": bloc,
                                                 "status": "member"},
                                       "since" if when else None, when,
                                       note=" ".join(x for x in (how, "Its first members: the "
                                                     "founding date, if the article gives one, "
                                                     "is the `since` to add.") if x)),
                  "the founding members ('initially consisted of')")
            continue
        if role == "member" and re.search(r"\b(?:until|till|before|used to|formerly|"
                                          r"earlier)\b", t[:a] + right[:60], re.I):
            continue  # a past list: read by the dated rules, not as the current roster
        if re.search(r"\b(?:joined|join|left|withdrew|suspend|became|become)\b", right[:40], re.I):
            continue
        entry = found.setdefault(bloc, {"bloc": bloc, "_how": how, "_partial": False})
        key = ROSTER_KEY[role]
        entry.setdefault(key, [])
        entry[key] += [i for i in ids if i not in entry[key]]
        entry["_partial"] |= partial
    for _bloc, entry in found.items():
        how, partial = entry.pop("_how"), entry.pop("_partial")
        if "members" not in entry:
            entry["members"] = []
            partial = True
        if partial:
            entry["complete"] = False
        roles = ", ".join(k.replace("_", " ") for k in ROSTER_KEY.values() if k in entry
                          and entry[k])
        d.add("rosters", _cite(d, sent, entry, note=how),
              f"states listed with their role ({roles})"
              + (" (it names only some: complete: false)" if partial else ""))


# -- memberships ---------------------------------------------------------------------------
_JOIN = r"(?:joined|joins|entered|acceded\s+to)"
_LEAVE = (r"(?:withdrew|withdrawn|withdraws|left|leaves|quit|quits|pulled\s+out|exited|exits)")


def memberships(d, sent, ctx) -> None:
    t = sent.tagged

    def add(states, bloc, status, rule, since=None, until=None, note=None, how=None):
        states = [s for s in states if s]
        if not states or not bloc:
            return
        entry = {"state": _one(states), "bloc": bloc, "status": status}
        out = _cite(d, sent, entry, "since" if since else None, since,
                    " ".join(n for n in (note, how) if n) or None)
        if until is not None:
            out["until"] = until.value
            out["note"] = " ".join(x for x in (out.get("note"), "Until: " + until.note) if x)
        d.add("memberships", out, rule)

    lists = _lists(d, sent)
    for a, b, ids, _more in lists:
        rest = t[b:]
        raw_b = _raw(sent, b)
        # X (on Thursday) joined B (in 2017), and Y in 2023
        m = re.match(r"\s*(?:(?:,\s*)?(?:on\s+\w+|in\s+\d{4}|last\s+\w+)\s*(?:,\s*)?)?\s*"
                     r"(?:has\s+|have\s+|had\s+|officially\s+|formally\s+)*" + _JOIN
                     + r"\s+(?:the\s+)?", rest, re.I)
        if m and not re.search(r"\b(?:to|will|would|plans?|poised|set|going)\s*$", t[:a]):
            bloc, how = _bloc_near(d, sent, b + m.end(), ctx, (b, b + m.end() + 40))
            if bloc is None:
                bloc, how = _bloc_near(d, sent, b, ctx)
            span_end = t.find(",", b + m.end())
            when = _date_in(sent, _raw(sent, a) - 40 if a > 0 else 0,
                            _raw(sent, span_end) if span_end > 0 else len(sent.text))
            add(ids, bloc, "member", "'X joined B'", when, note=None, how=how)
            # ", and Y in 2023": the same verb for another state
            for e in re.finditer(r",?\s*and\s+(«\d+»)\s+(in\s+\d{4}|on\s+\w+\s+\d+(?:,\s*\d{4})?)",
                                 t[b + m.end():]):
                i = sent.mentions[int(e.group(1)[1:-1])]
                if i[2] == "entity":
                    at = _raw(sent, b + m.end() + e.start(2))
                    add([i[3]], bloc, "member", "'X joined B, and Y in YEAR'",
                        _date_in(sent, at, at + len(e.group(2)) + 2), how=how)
        # X withdrew / left (from) B (on DATE)
        m = re.match(r"\s*(?:officially\s+|formally\s+|has\s+|had\s+|have\s+)*" + _LEAVE
                     + r"\s+(?:from\s+)?(?:the\s+)?", rest, re.I)
        if m and not re.match(r"\s*(?:its|their)\s+(?:recogni|decision)", rest[m.end():], re.I):
            bloc, how = _bloc_near(d, sent, b + m.end(), ctx, (b, b + m.end() + 60))
            when = _date_in(sent, raw_b, _raw(sent, min(len(t), b + m.end() + 120)))
            add(ids, bloc, "member", "'X withdrew from / left B': member until then",
                until=when, how=how)
            # "..., but re-entered in 2006"
            r = re.search(r"\b(?:re-?entered|rejoined|returned\s+to)\b", rest, re.I)
            if r:
                at = _raw(sent, b + r.start())
                add(ids, bloc, "member", "'re-entered / rejoined': a new spell",
                    _date_in(sent, at, at + 40), how=how)
        # X returned to B in 2006-2012 / X re-entered
        m = re.match(r"\s*(?:[\w-]+\s+)?(?:returned|re-?entered|rejoined)\s+(?:to\s+)?(?:the\s+)?",
                     rest, re.I)
        if m:
            bloc, how = _bloc_near(d, sent, b + m.end(), ctx, (b, b + m.end() + 40))
            y = re.search(r"\b(?:in\s+)?((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)\b", sent.text)
            if y:
                lo = When(y.group(1), date(int(y.group(1)), 1, 1), date(int(y.group(1)), 12, 31),
                          d.pub)
                hi = When(y.group(2), date(int(y.group(2)), 1, 1), date(int(y.group(2)), 12, 31),
                          d.pub)
                add(ids, bloc, "member", "'returned to B in YEAR-YEAR': a spell", lo, hi,
                    how=how)
            else:
                at = _raw(sent, b)
                add(ids, bloc, "member", "'returned to / re-entered B'",
                    _date_in(sent, at, at + 80), how=how)
        # Until 1999, X also participated in the treaty
        m = re.match(r"\s*(?:also\s+)?(?:participated|took\s+part)\s+in\s+(?:the\s+)?", rest, re.I)
        u = re.search(r"\buntil\s+(\d{4})\b", t[:a], re.I)
        if m and u:
            bloc, how = _bloc_near(d, sent, b + m.end(), ctx, (b, b + m.end() + 40))
            at = _raw(sent, u.start())
            add(ids, bloc, "member", "'until YEAR, X participated in B': member until then",
                until=_date_in(sent, at, at + len(u.group(0)) + 1), how=how)
        # X suspends its participation in B / X's participation in B is frozen
        m = (re.match(r"\s*(?:has\s+)?(?:suspends?|suspended|froze|freezes|frozen)\s+"
                      r"(?:its|their)\s+(?:participation|membership)\s+in\s+(?:the\s+)?",
                      rest, re.I)
             or re.match(r"['’]s\s+(?:participation|membership)\s+in\s+(?:the\s+)?«\d+»"
                         r"(?:\s*\([^)]*\))?\s+(?:is|has\s+been|was)\s+(?:frozen|suspended)",
                         rest, re.I))
        if m:
            bloc, how = _bloc_near(d, sent, b + 5, ctx, (b, b + m.end() + 40))
            at = _raw(sent, b)
            add(ids, bloc, "suspended", "'suspends its participation in B'",
                _date_in(sent, at, at + 120), how=how)
        # X was an (official) member since 1994
        m = re.match(r"\s*(?:was|has\s+been|had\s+been|is)\s+(?:an?\s+)?(?:official\s+|full\s+|"
                     r"founding\s+)?member\s+(?:of\s+(?:the\s+)?«\d+»\s+)?since\s+", rest, re.I)
        if m:
            bloc, how = _bloc_near(d, sent, b, ctx, (b, b + m.end() + 10))
            at = _raw(sent, b + m.end()) - 6
            add(ids, bloc, "member", "'was a member since YEAR'", _date_in(sent, at, at + 30),
                how=how)
        # X became a dialogue partner in B in 2010 and an observer state in 2015
        m = re.match(r"\s*(?:became|becomes|was\s+granted|gained|got)\s+", rest, re.I)
        if m:
            pos = b + m.end()
            for part in re.finditer(r"(?:^|\s*,?\s*and\s+)(?:an?\s+)?(?:the\s+)?(?:status\s+of\s+"
                                    r"(?:an?\s+)?)?(" + "|".join(
                                        f"(?P<r{k}>{w})" for k, w in enumerate(ROLE.values()))
                                    + r")\b(?:\s+(?:status\s+)?(?:in|of|at)\s+(?:the\s+)?«\d+»)?"
                                    r"(\s+(?:in|on|since)\s+(?:[\w ,]*?\s)?\d{4})?",
                                    t[pos:pos + 200]):
                if part.start() and not re.match(r"\s*,?\s*and", part.group(0)):
                    break
                status = next(s for k, s in enumerate(ROLE) if part.group(f"r{k}"))
                bloc, how = _bloc_near(d, sent, pos + part.start(), ctx,
                                       (b, min(len(t), pos + part.end() + 30)))
                at = _raw(sent, pos + part.start())
                add(ids, bloc, status, f"'X became a {status} of B'",
                    _date_in(sent, at, _raw(sent, pos + part.end()) + 1), how=how)
                pos = pos + part.end()
                if not re.match(r"\s*,?\s*and\s", t[pos:pos + 8]):
                    break
        # X and Y were B observer countries (earlier) -- handled as a roster unless dated past
        m = re.match(r"\s*(?:were|was)\s+(?:the\s+)?(?:«\d+»\s+)?(" + ROLE["observer"] + r")",
                     rest, re.I)
        if m and re.search(r"\b(?:earlier|previously|formerly|before)\b", t[:a], re.I):
            bloc, how = _bloc_near(d, sent, b, ctx, (b, b + m.end() + 5))
            add(ids, bloc, "observer", "'X were observers earlier'", how=how)
    # approved applications of X and Y for (full) B membership
    for m in re.finditer(r"\b(?:approved|accepted|admitted)\s+(?:the\s+)?(?:applications?|bids?|"
                         r"requests?)\s+(?:of|by|from)\s+", t, re.I):
        ids, end, _ = _take_list(sent, m.end())
        rest = t[end:end + 60]
        mm = re.match(r"\s*(?:for|to)\s+(?:full\s+)?(?:«(\d+)»\s+)?(?:full\s+)?membership", rest,
                      re.I)
        if ids and mm:
            bloc, how = _bloc_near(d, sent, end, ctx)
            when = _date_in(sent, _raw(sent, end), len(sent.text))
            add(ids, bloc, "member", "'approved the applications of X for membership'", when,
                how=how)
    # welcomed X into B / X is becoming a member / path to membership for X / requested to join
    for m in re.finditer(r"\bwelcomed\s+(«\d+»)\s+(?:into|to)\s+(?:the\s+)?", t, re.I):
        i = sent.mentions[int(m.group(1)[1:-1])]
        if i[2] == "entity":
            bloc, how = _bloc_near(d, sent, m.end(), ctx)
            add([i[3]], bloc, "member", "'welcomed X into B'", how=how)
    for m in re.finditer(r"(«\d+»)\s+(?:is|was)\s+becoming\s+a\s+(?:full\s+)?member\s+of\s+"
                         r"(?:\(the\)\s+|the\s+)?", t, re.I):
        i = sent.mentions[int(m.group(1)[1:-1])]
        if i[2] == "entity":
            bloc, how = _bloc_near(d, sent, m.end(), ctx)
            add([i[3]], bloc, "member", "'X is becoming a member of B'", how=how)
    for m in re.finditer(r"\b(?:path|way|road)\s+to\s+(?:full\s+)?membership\s+for\s+(«\d+»)", t,
                         re.I):
        i = sent.mentions[int(m.group(1)[1:-1])]
        if i[2] == "entity":
            bloc, how = _bloc_near(d, sent, m.start(), ctx)
            add([i[3]], bloc, "aspirant", "'a path to membership for X'", how=how)
    # X is a B member state
    for m in re.finditer(r"(«\d+»)\s+(?:is|was|remains)\s+an?\s+«(\d+)»\s+member(?:[- ]state)?\b",
                         t):
        i, bl = sent.mentions[int(m.group(1)[1:-1])], sent.mentions[int(m.group(2))]
        if i[2] == "entity" and bl[2] == "bloc":
            add([i[3]], bl[3], "member", "'X is a B member state'")
    # Initially, it consisted of six countries -- LIST (founders, since the founding)
    # handled as a roster: the founding date is the curator's reading


# -- recognitions ----------------------------------------------------------------------------
_R = r"recogni(?:[sz](?:e|es|ed|ing|ation)|tion)"


def recognitions(d, sent, objects, ctx) -> None:
    t = sent.tagged
    if not objects:
        return
    objs = _one(objects)

    def add(states, status, rule, since=None, until=None, note=None, subject=None):
        states = [s for s in states if s and s not in objects]
        if not states and subject is None:
            return
        entry = {"state": subject if subject is not None else _one(states), "entity": objs,
                 "status": status}
        out = _cite(d, sent, entry, "since" if since else None, since, note)
        if until is not None:
            out["until"] = until.value
            out["note"] = " ".join(x for x in (out.get("note"), "Until: " + until.note) if x)
        d.add("recognitions", out, rule)

    def state(i):
        mk = sent.mentions[i]
        return mk[3] if mk[2] == "entity" and d.fb.entities[mk[3]].kind == "state" else None

    # ... were (first) recognized by X (DATE)
    for m in re.finditer(r"\b(?:were|was|been)\s+(?:first\s+|also\s+)?" + _R + r"\s+by\s+(«(\d+)»)",
                         t, re.I):
        s = state(int(m.group(2)))
        at = _raw(sent, m.end())
        nxt = t.find(",", m.end() + 1)
        when = _date_in(sent, at, _raw(sent, nxt) if nxt > 0 and nxt - m.end() < 30
                        else at + 30)
        add([s], "recognizes", "'recognized by X'", when)
    # DATE, X also recognized them / X recognized ... (with the date beside it)
    for m in re.finditer(r"(«(\d+)»)\s+(?:also\s+|then\s+|officially\s+)?(?:has\s+|have\s+)?"
                         r"(?:recogni[sz]ed|recogni[sz]es)\b", t, re.I):
        s = state(int(m.group(2)))
        if s is None or re.match(r"\s+(?:«\d+»['’]s?\s+)?(?:the\s+)?(?:territorial\s+integrity|"
                                 r"sovereignty|borders)", t[m.end():m.end() + 40], re.I):
            continue   # "X recognizes Georgia's territorial integrity": not the region's
        a = _raw(sent, m.start())
        when = _date_in(sent, max(0, a - 25), a)
        if when is None:
            nxt = t.find(",", m.end())
            when = _date_in(sent, _raw(sent, m.end()),
                            _raw(sent, nxt) if nxt > 0 else len(sent.text))
        add([s], "recognizes", "'X recognized'", when)
    # followed by X on DATE, Y on DATE, by Z DATE / along with LIST / joining LIST
    for m in re.finditer(r"\b(?:followed\s+by|along\s+with|joining|joined|together\s+with)\s+", t,
                         re.I):
        if not re.search(_R, sent.text, re.I):
            continue
        pos = m.end()
        while True:
            e = re.match(r"(?:by\s+|the\s+)?(?:[\w-]+\s+){0,4}?(?:[\w-]+,\s+)?(«(\d+)»)",
                         t[pos:pos + 60])
            if not e:
                break
            s = state(int(e.group(2)))
            if s is None:
                break
            after = t[pos + e.end():]
            dm = re.match(r"\s*(?:on\s+|in\s+)?(?:" + "|".join(
                ("January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December")) + r")\s+\d{1,2},?\s*\d{0,4}|"
                r"\s*(?:in\s+)\d{4}", after)
            when = None
            if dm:
                at = _raw(sent, pos + e.end())
                when = _date_in(sent, at, at + dm.end() + 1)
            add([s], "recognizes", f"'{m.group(0).strip()} X (DATE)': X recognises", when)
            pos += e.end() + (dm.end() if dm else 0)
            sep = re.match(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)", t[pos:])
            if not sep:
                break
            pos += sep.end()
    # X withdrew / retracted / revoked its recognition (on DATE) -- recognised until then
    for m in re.finditer(r"(«(\d+)»)\s+(?:has\s+|had\s+)?(?:also\s+)?(?:withdrawn|withdrew|"
                         r"withdraws|retracted|retracts|revoked|revokes|reversed|scrapped|"
                         r"scraps)\s+(?:its|the)\s+(?:decision\s+to\s+" + _R + r"|" + _R + r")",
                         t, re.I):
        s = state(int(m.group(2)))
        at = _raw(sent, m.end())
        # its own date follows the verb ("withdrew its recognition on July 12, 2013"); a
        # date before it may belong to another clause, so it is only the second choice
        when = _date_in(sent, at, at + 40) or _date_in(
            sent, max(0, _raw(sent, m.start()) - 25), at)
        if when is None:
            when = When("has withdrawn", None, d.pub.latest, d.pub,
                        f"by the article's date, {d.pub.label}")
        add([s], "recognizes", "'X withdrew its recognition': recognised until then",
            until=when)
    # revokes a decision by X in 2011 to recognize
    for m in re.finditer(r"\b(?:revokes?|revoked|reverses|reversed|reversing|annuls?|annulled)\s+"
                         r"(?:a|the|its)\s+(?:\d{4}\s+)?decision\s+(?:by\s+(«(\d+)»)\s+)?"
                         r"(in\s+\d{4}\s+)?to\s+" + _R, t, re.I):
        if not m.group(2):
            continue
        s = state(int(m.group(2)))
        since = None
        if m.group(3):
            at = _raw(sent, m.start(3))
            since = _date_in(sent, at, at + len(m.group(3)))
        until = When(m.group(0).split()[0], None, d.pub.latest, d.pub,
                     f"by the article's date, {d.pub.label}")
        add([s], "recognizes", "'revokes a decision by X to recognize': recognised until then",
            since, until)
    # X recognizes Georgia's territorial integrity / considers A and B part of Georgia
    for m in re.finditer(r"(«(\d+)»)\s+(?:\w+\s+){0,2}?(?:recogni[sz]es|respects|supports|"
                         r"recogni[sz]ed)\s+(?:the\s+)?(?:«\d+»['’]s\s+)?territorial\s+integrity",
                         t, re.I):
        add([state(int(m.group(2)))], "does-not-recognize",
            "'X recognizes Georgia's territorial integrity'")
    # (no \b before a token: «, a non-word character, has no word boundary after a space)
    for m in re.finditer(r"(?:\bit|(«(\d+)»))\s+considers\s+(?:«\d+»\s+and\s+«\d+»|them|the\s+"
                         r"\w+\s+regions)\s+(?:as\s+)?(?:a\s+)?part\s+of\b", t, re.I):
        s = state(int(m.group(2))) if m.group(2) else None
        if s is None:
            prev = [state(int(x)) for x in re.findall(r"«(\d+)»", t[:m.start()])]
            prev = [p for p in prev if p and p != "georgia"]
            s = prev[-1] if prev else None
        add([s], "does-not-recognize", "'considers them part of Georgia'")
    # X is also contemplating / considering recognizing: not yet
    for m in re.finditer(r"(«(\d+)»)\s+(?:is|was|are)\s+(?:also\s+|still\s+)?(?:contemplating|"
                         r"considering|weighing|mulling)\s+" + _R, t, re.I):
        add([state(int(m.group(2)))], "not-yet", "'X is contemplating recognizing': not yet")
    # the only (other) countries / the second / fourth country to recognize: nobody else yet
    only = re.search(r"\bthe\s+(?:only\s+(?:other\s+)?(?:countries|states|nations)|(second|"
                     r"third|fourth|fifth|sixth|seventh)\s+(?:country|state|nation))\b", t, re.I)
    if only and re.search(_R, sent.text, re.I):
        named = []
        for x in re.findall(r"«(\d+)»", t):
            s = state(int(x))
            if s and s not in named and s != "georgia":
                named.append(s)
        first = [e.id for e in d.fb.entities.values() if e.id == "russia"]
        named = sorted(set(named) | set(first))
        add([], "not-yet", f"'{only.group(0)}': no other state had recognised them",
            subject={"all_states": True, "except": named},
            note="Every state but those named (and the first to recognise, Russia): not yet, "
                 "as of the article's date.")

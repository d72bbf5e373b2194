"""Combined evidence kept between runs, by the content of what combining it reads.

`evaluate.combine` is a function of one key's relation, subject, object, statements, the
bloc's lists and its formation, and of this code. A key whose statements all come from
its object's shard of the cached fact base (with no --source or --known-at) is therefore
fixed by: the content of that shard (its bytes' checksums), which statements and lists of
the shard it reads (their positions; a statement expanded from a group statement by that
statement's position and the membership it was expanded from), the formation date, and the
code key. Such a key's spells are written to the data directory's
cache folder (one file per bloc or entity, `spells-<hash>.kept`), and a later run that
finds the same shard content, positions and formation reads them instead of combining
again; anything else (an edited shard, another code, a damaged file) is a miss, combined
anew. A shard an edit did not touch keeps its spells, so after editing one fact only the
keys of the objects it touched are combined again.

The files live under the cache's rules (checked directory handles, written privately and
renamed into place, `facts/cache.py`); what is read from them is checked field by field,
and any entry of another shape is a miss. Only the bulk commands keep spells (`disputes`,
`export`, names through `-`: gathering.keep_spells), so a single question's start-up reads
no more files than before.
"""

from __future__ import annotations

import zlib
from datetime import date

from ..facts.cache import _d as _r
from ..facts.dates import DateRange
from ..facts.model import NOT_LISTED, STATUSES, Statement
from .evaluate import Dispute, Episode, Evidence

KEPT_FORMAT = 6
_PANEL_CODES = frozenset((-9, -1, 0, 1, 2, 3))  # (answers/panel.py's CODES)


def _name(obj: str) -> str:
    raw = obj.encode("utf-8", "surrogatepass")
    return f"spells-{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}.kept"


# -- encoding (a date range as the cache's shards write it) ----------------------------------


def _claim(c: Statement, at: dict, ss, rs):
    i = at.get(id(c))
    if i is not None and ss[i] is c:
        return i
    if c.status == NOT_LISTED and c.roster:
        for k, r in enumerate(rs):  # a complete list's omission (evaluate._omissions)
            if r.citation is c.citation and r.stated == c.stated:
                return ["r", k]
    for k, s in enumerate(ss):  # a derived end dated at its exit (evaluate._at_exit)
        if s.citation is c.citation and s[:6] == c[:6] and s[7:] == c[7:]:
            return ["x", k, _r(c.stated)]
    raise ValueError("a claim of no known statement")


def encode(ev: Evidence, ss, rs) -> list:
    at = {id(s): i for i, s in enumerate(ss)}
    rat = {id(r): i for i, r in enumerate(rs)}
    eps = []
    for e in ev.episodes:
        eps.append([e.status, [_claim(c, at, ss, rs) for c in e.claims],
                    [rat[id(r)] for r in e.rosters], _r(e.since), _r(e.until),
                    [d.toordinal() for d in (e.start_lo, e.start_hi, e.carry_from, e.end_hi,
                                             e.last_certain, e.first_certain, e.earliest_sure,
                                             e.latest_sure)],
                    [[d.lo.toordinal(), d.hi.toordinal(), d.other, d.kind] for d in e.disputes],
                    list(e.derived), e.spell])
    return [eps, [rat[id(r)] for r in ev.rosters], bool(ev.disputed)]


# -- decoding, checked: any other shape raises, and the key is combined anew ----------------
_BAD = (ValueError, TypeError, IndexError, OverflowError, KeyError, StopIteration)


def _str(v, none: bool = False):
    if (v is None and none) or type(v) is str:
        return v
    raise ValueError("text")


def _ranges():
    """A decoder of date ranges, sharing equal ones (most spells have few distinct dates)."""
    memo: dict = {}
    fromordinal = date.fromordinal

    def get(v):
        if v is None:
            return None
        k = tuple(v)  # (a list of any other shape fails below, or in the unpacking)
        got = memo.get(k)
        if got is None:
            a, b, label, start, end = k
            got = memo[k] = DateRange(fromordinal(a), fromordinal(b), _str(label),
                                      _str(start, True), _str(end, True))
        return got
    return get


def _at(v, seq):
    if type(v) is not int or v < 0:
        raise ValueError("index")
    return seq[v]


def decode(text: str, relation, subject, obj, ss, rs) -> tuple[tuple, tuple]:
    """(the spells, the lists that omit the state) of one kept record (its JSON)."""
    from ..facts.cache import _loads

    eps_v, omit_v, _disputed = _loads(text.encode("utf-8", "surrogatepass"))
    rng = _ranges()
    fromordinal = date.fromordinal
    ordinals: dict = {}  # (a key's disputes are many, over few days)

    def day(v):
        got = ordinals.get(v)
        if got is None:
            if type(v) is not int:
                raise ValueError("day")
            got = ordinals[v] = fromordinal(v)
        return got
    _new = tuple.__new__
    eps = []
    for status, claims_v, rost_v, since, until, days, disputes, derived, spell in eps_v:
        if status not in STATUSES or type(spell) is not int:
            raise ValueError("status")
        claims = []
        for c in claims_v:
            if type(c) is int and c >= 0:
                claims.append(ss[c])
            elif c[0] == "r" and len(c) == 2:
                r = _at(c[1], rs)
                claims.append(Statement("membership", subject, obj, NOT_LISTED, None, None,
                                        r.stated, r.citation, roster=True))
            elif c[0] == "x" and len(c) == 3 and c[2] is not None:
                claims.append(_at(c[1], ss)._replace(stated=rng(c[2])))
            else:
                raise ValueError("claim")
        if not claims:
            raise ValueError("spell")
        e = Episode.__new__(Episode)
        e.status, e.claims, e.spell, e.reports = status, claims, spell, None
        e.rosters = [_at(i, rs) for i in rost_v]
        e.since, e.until = rng(since), rng(until)
        (e.start_lo, e.start_hi, e.carry_from, e.end_hi, e.last_certain, e.first_certain,
         e.earliest_sure, e.latest_sure) = map(fromordinal, days)
        e.disputes = [_new(Dispute, (day(lo), day(hi), _str(other), _str(kind)))
                      for lo, hi, other, kind in disputes]
        e.derived = [_str(x) for x in derived]
        eps.append(e)
    return tuple(eps), tuple(_at(i, rs) for i in omit_v)


# the slots a kept key fills when first read (the descriptors of Evidence's __slots__)
_SLOT_EPISODES = Evidence.__dict__["episodes"]
_SLOT_ROSTERS = Evidence.__dict__["rosters"]


class KeptEvidence(Evidence):
    """A key's evidence whose spells are decoded from a kept record when first read (so
    `disputes` decodes only the keys that have one); a record that turns out to be of
    another shape is combined anew then, as a miss."""

    __slots__ = ("_todo",)

    def __init__(self, todo, relation, subject, obj, ss, disputed: bool):
        self.relation, self.subject, self.object, self.group = relation, subject, obj, None
        self.statements, self.disputed, self._todo = tuple(ss), disputed, todo
        self.kept = None

    def _fill(self) -> None:
        store, key, rec, ss, rs, formed = self._todo
        self._todo = None
        store.decoded += 1
        try:
            eps, omitting = decode(rec, self.relation, self.subject, self.object, ss, rs)
        except _BAD:
            from .evaluate import combine

            store.bad(self.object, key)
            done = combine(self.relation, self.subject, self.object, None, ss, rs, formed)
            store.put(key, self.object, done, ss, rs)
            eps, omitting = done.episodes, done.rosters
            self.disputed = done.disputed
        _SLOT_EPISODES.__set__(self, eps)
        _SLOT_ROSTERS.__set__(self, omitting)

    @property
    def episodes(self):
        if self._todo is not None:
            self._fill()
        return _SLOT_EPISODES.__get__(self)

    @property
    def rosters(self):
        if self._todo is not None:
            self._fill()
        return _SLOT_ROSTERS.__get__(self)


# -- the store ------------------------------------------------------------------------------
class SpellStore:
    """The kept spells of one cached fact base, per object, read when first asked for and
    written back (save) for the objects that gained keys."""

    def __init__(self, fb):
        self.fb = fb
        self.files: dict[str, dict] = {}     # obj -> {key: record}, as read (current only)
        self.added: dict[str, dict] = {}     # obj -> {key: record}, combined in this run
        self.places: dict[str, tuple[dict, dict, dict]] = {}
        self.grouped: dict[str, bool] = {}  # a bloc with a group statement of membership
        self.hits = self.misses = 0
        self.decoded = 0  # kept keys whose spells were decoded (each time they were)
        self.coded = [0, 0]  # a panel's keys whose codes were read, evaluated

    def _places(self, obj: str):
        """Where each statement and list of an object stands in its shard; and each group
        statement, by what an expanded statement keeps of it (-1 where two share it)."""
        got = self.places.get(obj)
        if got is None:
            st, ro = self.fb.shard_items(obj)
            groups: dict = {}
            for i, s in enumerate(st):
                if s.group is not None:
                    k = (id(s.citation), s.status, s.since, s.until, s.stated, s.forecast)
                    groups[k] = -1 if k in groups else i
            got = self.places[obj] = ({id(s): i for i, s in enumerate(st)},
                                      {id(r): i for i, r in enumerate(ro)}, groups)
        return got

    def _file(self, obj: str) -> dict:
        got = self.files.get(obj)
        if got is None:
            got = self.files[obj] = self._read(obj)
        return got

    def _read(self, obj: str) -> dict:
        from ..facts.cache import code_key

        raw = self.fb.read_kept(_name(obj))
        if raw is None:
            return {}
        # a header line (format, code key, object, the shard's sums, the body's checksum),
        # then the body: a file changed after it was written is a miss as a whole
        head, _, body = raw.partition(b"\n")
        try:
            from ..facts.cache import _loads

            h = _loads(head)
            if not (type(h) is list and len(h) == 5 and h[0] == KEPT_FORMAT
                    and h[1] == code_key() and h[2] == obj and h[3] == self.fb.shard_sum(obj)
                    and h[4] == zlib.crc32(body)):
                return {}
            v = _loads(body)
        except Exception:  # damaged: a miss
            return {}
        return v if type(v) is dict else {}

    @staticmethod
    def _key(relation, subject, ss_at: list, rs_at: list, formed) -> str:
        # (the formation as combine reads it: its days and its label, for the note it
        # makes; the repr of a tuple of strings, numbers and tuples is one text for one
        # value, whatever the names hold)
        return repr((relation, subject, _r(formed), tuple(ss_at), tuple(rs_at)))

    def where(self, relation, subject, obj, ss, rs, formed):
        """The key of this evidence in the store, or None when it cannot be kept (a
        statement or list not of the object's shard, such as an expanded group's)."""
        if self.fb.shard_sum(obj) is None:
            return None
        at, rat, groups = self._places(obj)
        ss_at: list = []
        own = False
        for s in ss:
            if s.via is None:
                i = at.get(id(s))
                own = True
            else:  # expanded from a group statement: which one, and through what
                i = groups.get((id(s.citation), s.status, s.since, s.until, s.stated,
                                s.forecast))
                if i is not None and i >= 0:
                    ss_at.append((i, s.via))
                    continue
            if i is None or i < 0:
                return None
            ss_at.append(i)
        try:
            rs_at = [rat[id(r)] for r in rs]
        except KeyError:
            return None
        if not own and relation == "membership":
            # the same spells for every state the groups reach, but for which lists name it
            subject = ("lists", tuple(subject in r.states for r in rs))
        elif not own:
            subject = ("any",)
        return self._key(relation, subject, ss_at, rs_at, formed)

    # -- a bloc's members on a date (gathering._members_at), read from its spells alone ---
    def members_where(self, bloc, when: DateRange, formed) -> str | None:
        """The key of a bloc's members on a date, or None when its membership evidence is
        not all its shard's own (a group statement about its members)."""
        if self.fb.shard_sum(bloc) is None:
            return None
        grouped = self.grouped.get(bloc)
        if grouped is None:
            st, _ = self.fb.shard_items(bloc)
            grouped = self.grouped[bloc] = any(
                s.group is not None and s.relation == "membership" for s in st)
        if grouped:
            return None
        return repr(("members", _r(formed), when.earliest.toordinal(), when.latest.toordinal()))

    def members_get(self, bloc, key) -> list | None:
        text = self._file(bloc).get(key)
        if type(text) is not str:
            self.misses += 1
            return None
        try:
            from ..facts.cache import _loads

            out = []
            rec = _loads(text.encode("utf-8", "surrogatepass"))
            if type(rec) is not list:
                raise ValueError("members")
            for v in rec:
                if (type(v) is not list or len(v) != 3 or v[1] not in ("stated", "possible")
                        or type(v[2]) is not list):
                    raise ValueError("member")
                out.append((_str(v[0]), v[1], tuple(_str(x) for x in v[2])))
        except _BAD:
            self.files[bloc].pop(key, None)
            self.misses += 1
            return None
        self.hits += 1
        return out

    def members_put(self, bloc, key, out) -> None:
        self.added.setdefault(bloc, {})[key] = _json([[a, b, list(c)] for a, b, c in out])

    # -- a key's codes in the state-year panel (answers/panel.py), kept beside its spells --
    def codes_get(self, obj: str, key: str) -> tuple | None:
        """(first year, (panel's first year, last year), steps) of a key, as codes_put kept
        them: the first year its spells can reach, and, for the panel's years, its code from
        each (year, code) step to the next; None when not kept, or of another shape."""
        text = self._file(obj).get("c" + key)
        if type(text) is not str:
            return None
        try:
            from ..facts.cache import _loads

            first, lo, hi, steps = _loads(text.encode("utf-8", "surrogatepass"))
            ok = (type(first) is int and type(lo) is int and type(hi) is int and lo <= hi
                  and type(steps) is list and steps)
            prev = lo - 1
            for st in steps if ok else ():
                if not (type(st) is list and len(st) == 2 and type(st[0]) is int
                        and prev < st[0] <= hi and st[1] in _PANEL_CODES):
                    ok = False
                    break
                prev = st[0]
            if not ok or steps[0][0] != lo:
                raise ValueError("codes")
        except _BAD:
            self.files[obj].pop("c" + key, None)
            return None
        return first, (lo, hi), steps

    def codes_put(self, obj: str, key: str, first: int, years: tuple, steps: list) -> None:
        self.added.setdefault(obj, {})["c" + key] = _json([first, years[0], years[1], steps])

    def get(self, key, relation, subject, obj, ss, rs, formed) -> Evidence | None:
        # a record is kept as its JSON text, read only when its spells are (so a run that
        # reads every key holds the text, not the lists), after one letter: whether the key
        # has a dispute
        text = self._file(obj).get(key)
        if type(text) is not str or text[:1] not in ("0", "1"):
            self.misses += 1
            return None
        self.hits += 1
        return KeptEvidence((self, key, text[1:], ss, rs, formed), relation, subject, obj, ss,
                            text[0] == "1")

    def bad(self, obj, key) -> None:
        """A record read as kept that is of another shape: counted, and replaced."""
        self.files.get(obj, {}).pop(key, None)
        self.hits -= 1
        self.misses += 1

    def put(self, key, obj, ev: Evidence, ss, rs) -> None:
        try:
            rec = encode(ev, ss, rs)
        except (ValueError, KeyError):
            return
        # held as its JSON until saved: a run that combines every key of a large record
        # holds about a quarter of what the lists would take
        self.added.setdefault(obj, {})[key] = ("1" if ev.disputed else "0") + _json(rec)

    def save(self) -> None:
        """Write each object's file with its kept and new keys (quietly not when the cache
        folder cannot be used: keeping spells only saves time)."""
        from ..facts.cache import _debug, _dumps, code_key

        _debug(f"kept spells: {self.hits} read, {self.misses} combined, {self.decoded} "
               "decoded")
        if any(self.coded):
            _debug(f"kept codes: {self.coded[0]} read, {self.coded[1]} evaluated")
        for obj, new in self.added.items():
            old = {k: v for k, v in self._file(obj).items() if k not in new}
            body = _dumps({**old, **new})
            head = _dumps([KEPT_FORMAT, code_key(), obj, self.fb.shard_sum(obj),
                           zlib.crc32(body)])
            if not self.fb.write_kept(_name(obj), head + b"\n" + body):
                break
        self.added = {}


def _json(v) -> str:
    from ..facts.cache import _dumps

    return _dumps(v).decode("utf-8", "surrogatepass")


_STORES: dict = {}
KEEP: list = [False]  # set by gathering.keep_spells for this run


def store_for(fb) -> SpellStore | None:
    """The store of a cached fact base (one per process), or None for a fact base built
    in this run (its shards have no checksums until the cache serves them)."""
    if not hasattr(fb, "shard_sum"):
        return None
    got = _STORES.get("store")
    if got is None or got.fb is not fb:
        got = _STORES["store"] = SpellStore(fb)
    return got


def save_all() -> None:
    got = _STORES.get("store")
    if got is not None:
        got.save()


def forget() -> None:
    """End of a run: no store, and no keeping, until a bulk command asks again."""
    _STORES.clear()
    KEEP[0] = False

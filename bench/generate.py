"""Write a synthetic data directory at N times today's fact count, for the benchmark.

    python bench/generate.py OUTDIR --scale N [--seed S] [--base DATA_DIR]

The output has the layout of data/ (blocs.yaml, sources/sources.yaml, sources/*.txt). It
starts from the real data, unchanged in meaning, so `members CSTO` and `recognizes "South
Ossetia"` give the same answer at every scale and a timing difference between scales is the
cost of a bigger fact base, not of a bigger answer. To that it adds (N-1) times the real
number of rosters, memberships and recognitions, about made-up blocs (~0.3 N), states
(~0.2 N), breakaway regions and articles (~0.3 N). Every quote is written verbatim into its
made-up article, so `alliances check --data OUTDIR` passes. Names, ids and aliases are
unique case-insensitively (the loader refuses a collision). Seeded: the same arguments give
byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REAL_DATA = os.path.join(os.path.dirname(HERE), "data")
MARKER = ".synthetic"          # lets a rerun replace a directory this script wrote
SEED = 20080826
RELATIONS = ("rosters", "memberships", "recognitions")


# -- reading the real data ---------------------------------------------------------------
class _Loader(yaml.SafeLoader):
    """Safe loading, but "2008-09-04" stays a string, as the alliances loader keeps it."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(path: str):
    with open(path, encoding="utf-8-sig") as fh:
        return yaml.load(fh, Loader=_Loader)


def fold(name: str) -> str:
    """The alliances loader's name key (casefold + NFKC + whitespace), to avoid collisions."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


# -- writing YAML --------------------------------------------------------------------------
# A small block-style emitter: yaml.dump of ~30,000 facts takes many seconds, and strings
# written as JSON literals are valid YAML double-quoted scalars that the loader keeps as
# strings ("2008" stays a date string, not an int).
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _q(text: str) -> str:
    return (json.dumps(text, ensure_ascii=False)
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return _q(str(value))


def _key(k) -> str:
    k = str(k)
    return k if _PLAIN_KEY.match(k) and k not in ("null", "true", "false", "y", "n", "yes",
                                                  "no", "on", "off") else _q(k)


def _is_scalar(v) -> bool:
    return not isinstance(v, (dict, list))


def _flow(v) -> str | None:
    """A one-line rendering for short scalar-only lists and mappings, else None."""
    if isinstance(v, list) and all(_is_scalar(x) for x in v):
        return "[" + ", ".join(_scalar(x) for x in v) + "]"
    if isinstance(v, dict) and len(v) <= 3 and all(_is_scalar(x) for x in v.values()):
        return "{" + ", ".join(f"{_key(k)}: {_scalar(x)}" for k, x in v.items()) + "}"
    return None


def _emit(node, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(node, dict):
        for k, v in node.items():
            if _is_scalar(v):
                out.append(f"{pad}{_key(k)}: {_scalar(v)}\n")
                continue
            flat = _flow(v)
            if flat is not None:
                out.append(f"{pad}{_key(k)}: {flat}\n")
            else:
                out.append(f"{pad}{_key(k)}:\n")
                _emit(v, indent + 2, out)
    else:
        for item in node:
            if _is_scalar(item) or not item:
                out.append(f"{pad}- {_scalar(item) if _is_scalar(item) else _flow(item)}\n")
                continue
            if isinstance(item, list):
                out.append(f"{pad}-\n")
                _emit(item, indent + 2, out)
                continue
            sub: list[str] = []
            _emit(item, indent + 2, sub)
            sub[0] = f"{pad}- " + sub[0][indent + 2:]
            out.extend(sub)


def dump(tree: dict, header: str) -> str:
    out = [header]
    _emit(tree, 0, out)
    return "".join(out)


# -- names ---------------------------------------------------------------------------------
_ONSET = ["b", "d", "k", "l", "m", "n", "r", "s", "t", "v", "z", "br", "dr", "kr", "st",
          "tr", "gr", "sh", "th", "h", "p", "f", "g", "ch"]
_VOWEL = ["a", "e", "i", "o", "u", "ar", "el", "or", "an", "is", "au", "ei"]
_END = ["ia", "ania", "stan", "land", "ova", "ara", "eth", "ora", "avia", "una", "enia",
        "aria", "istan", "onia", "ica"]
_ACCENT = {"a": "á", "e": "é", "o": "ö", "u": "ü", "i": "í"}
_REGIONS = ["Northern", "Southern", "Eastern", "Western", "Central", "Caspian", "Baltic",
            "Pontic", "Danubian", "Steppe", "Highland", "Coastal", "Arctic", "Andean",
            "Sahelian", "Pacific", "Atlantic", "Nordic", "Carpathian", "Caucasian",
            "Levantine", "Iberian", "Adriatic", "Aegean", "Tian Shan", "Amur", "Volga",
            "Transoxian", "Red Sea", "Gulf", "Horn", "Mekong", "Indus", "Altai", "Pamir",
            "Ural", "Sea of Azov", "Black Sea", "White Sea", "Great Lakes"]
_THEMES = ["Defence", "Security", "Mutual Assistance", "Economic", "Customs", "Energy",
           "Maritime", "Air Defence", "Border", "Cooperation", "Collective Security",
           "Friendship"]
_TYPES = ["Pact", "Treaty Organization", "Council", "Union", "Alliance", "Community",
          "Compact", "League", "Partnership", "Forum"]
_MILITARY = {"Defence", "Security", "Mutual Assistance", "Air Defence", "Border",
             "Collective Security", "Maritime"}
_PUBLISHERS = ["Meridian Wire", "Steppe Courier", "Northern Ledger", "Caspian Monitor",
               "Frontier Dispatch", "Harbour Gazette", "Continental Review", "Atlas Press",
               "Lowland Herald", "Eastern Signal", "Pivot Weekly", "Beacon Daily"]
_AUTHORS = ["Mara Ilves", "Tomas Reuben", "Aiko Brandt", "Leyla Orzu", "Pavel Sirin",
            "Nadia Kowal", "Jon Eskander", "Rhea Montalvo", "Iskra Dobreva", "Omar Tallis"]
_CITIES = ["ALMARA", "KESTRO", "VALDIN", "ORSK-NOVA", "TIRGAN", "BELMOR", "SUDAK-ORA"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_FILLER = [
    "Officials declined to comment further.",
    "The statement was issued after a closed session that ran late into the evening.",
    "Analysts said the move had been expected for months.",
    "Diplomats described the talks as “frank but constructive”.",
    "No timetable was announced.",
    "The ministry’s spokesman did not respond to a request for comment.",
    "Opposition deputies criticised the decision in parliament on the same day.",
    "Observers noted that the summit communiqué avoided any mention of the dispute.",
    "The foreign minister is due to travel to the region next week.",
    "Trade between the neighbours fell sharply last year.",
]
_LEADS = ["Officials said", "According to diplomats,", "The communiqué noted that",
          "In a statement,", "As the agency reported,", "Speaking to reporters, he said",
          "Separately,", "Earlier,", "The text adds that", "By most accounts,"]


class Names:
    """Hands out display names and ids that collide with nothing already taken."""

    def __init__(self, rng: random.Random, taken):
        self.rng = rng
        self.taken = {fold(t) for t in taken}

    def free(self, *names: str) -> bool:
        return not any(fold(n) in self.taken for n in names)

    def claim(self, *names: str) -> None:
        self.taken.update(fold(n) for n in names)

    def node(self, ident: str, name: str, aliases=()) -> dict | None:
        """Claim an id, a name and aliases together and return their YAML node, or None
        when any of them is already taken."""
        if not self.free(ident, name, *aliases):
            return None
        self.claim(ident, name, *aliases)
        return {"name": name, **({"aliases": list(aliases)} if aliases else {})}

    def word(self) -> str:
        r = self.rng
        stem = r.choice(_ONSET) + r.choice(_VOWEL)
        if r.random() < 0.6:
            stem += r.choice(_ONSET) + r.choice(_VOWEL)
        return (stem + r.choice(_END)).capitalize()


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


# -- dates ---------------------------------------------------------------------------------
@dataclass
class When:
    """A date value for the YAML, the days it covers, and how an article would phrase it."""

    value: object
    earliest: date
    latest: date
    phrase: str          # "in March 1997": ready to follow a verb
    bare: str = ""       # "March 1997": for "between ... and ..."


def _day_phrase(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _partial(rng: random.Random, d: date, limit: date) -> When:
    """d as a year, month or day, choosing only granularities that end before `limit`."""
    options = ["day"]
    if (d.year, d.month) < (limit.year, limit.month):
        options.append("month")
    if d.year < limit.year:
        options += ["year", "year"]
    g = rng.choice(options)
    if g == "year":
        return When(str(d.year), date(d.year, 1, 1), date(d.year, 12, 31), f"in {d.year}",
                    str(d.year))
    if g == "month":
        first = d.replace(day=1)
        nxt = (first + timedelta(days=32)).replace(day=1)
        month = f"{_MONTHS[d.month - 1]} {d.year}"
        return When(f"{d.year}-{d.month:02d}", first, nxt - timedelta(days=1), f"in {month}",
                    month)
    return When(d.isoformat(), d, d, f"on {_day_phrase(d)}", _day_phrase(d))


def _rand_day(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


def pick_when(rng: random.Random, lo: date, limit: date, cap: date,
              bounds_share: float = 0.3) -> When | None:
    """A date in [lo, limit): partial, or {not_before, not_after} bounds; None if no room.
    An open not_after is closed by the loader at the article's date (`cap`)."""
    hi = limit - timedelta(days=1)
    if hi < lo:
        return None
    if rng.random() >= bounds_share:
        return _partial(rng, _rand_day(rng, lo, hi), limit)
    a, b = sorted((_rand_day(rng, lo, hi), _rand_day(rng, lo, hi)))
    pa, pb = _partial(rng, a, limit), _partial(rng, b, limit)
    form = rng.random()
    if form < 0.5 and pa.earliest <= pb.latest:
        return When({"not_before": pa.value, "not_after": pb.value}, pa.earliest, pb.latest,
                    f"between {pa.bare} and {pb.bare}")
    if form < 0.8:
        return When({"not_before": pa.value}, pa.earliest, cap, f"some time after {pa.bare}")
    return When({"not_after": pb.value}, date.min, pb.latest, f"by {pb.bare}")


# -- the synthetic world -------------------------------------------------------------------
@dataclass
class Source:
    id: str
    meta: dict
    earliest: date
    latest: date
    title: str
    paragraphs: list[str] = field(default_factory=list)
    quotes: set[str] = field(default_factory=set)


@dataclass
class SynBloc:
    id: str
    name: str
    short: str                    # how articles usually refer to it (acronym or name)
    formed_latest: date
    core: list[str]
    observers: list[str]
    associates: list[str]


def _join(names: list[str], oxford: bool = False) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ("," if oxford and len(names) > 2 else "") + " and " + names[-1]


class World:
    """Builds the made-up states, regions, blocs, articles and facts, seeded."""

    def __init__(self, rng: random.Random, scale: int, real_blocs: dict, real_sources: dict):
        self.rng = rng
        taken = []
        for table in (real_blocs.get("entities") or {}, real_blocs.get("blocs") or {}):
            for ident, node in table.items():
                taken += [ident, node.get("name", ""), *(node.get("aliases") or [])]
        taken += list(real_sources.get("sources") or {})
        self.names = Names(rng, taken)
        self.scale = scale
        self.entities: dict[str, dict] = {}
        self.display: dict[str, list[str]] = {}   # id -> names an article may use
        self.states: list[str] = []
        self.regions: list[str] = []
        self.blocs: dict[str, dict] = {}
        self.syn_blocs: list[SynBloc] = []
        self.sources: list[Source] = []
        self.source_ids = set(real_sources.get("sources") or {})
        self.facts = {k: [] for k in RELATIONS}

    # -- entities
    def make_states(self, n: int) -> None:
        while len(self.states) < n:
            name = self.names.word()
            if self.rng.random() < 0.06:   # a few names with diacritics, as real names have
                i = next((i for i, ch in enumerate(name) if ch in _ACCENT), None)
                if i is not None:
                    name = name[:i] + _ACCENT[name[i]] + name[i + 1:]
            ident = slug(name)
            aliases = []
            if self.rng.random() < 0.3:
                aliases.append(f"Republic of {name}")
            if self.rng.random() < 0.08:
                aliases.append(self.names.word())
            node = self.names.node(ident, name, aliases)
            if node is None:
                continue
            self.entities[ident] = node
            self.display[ident] = [name, *[a for a in aliases if a.startswith("Republic")]]
            self.states.append(ident)

    def make_regions(self, n: int) -> None:
        forms = ["North {}", "Upper {}", "{} Highlands", "Free {}", "East {}", "{} Littoral"]
        while len(self.regions) < n:
            parent = self.entities[self.rng.choice(self.states)]["name"]
            name = self.rng.choice(forms).format(parent)
            ident = slug(name)
            node = self.names.node(ident, name)
            if node is None:
                continue
            self.entities[ident] = {**node, "kind": "breakaway region"}
            self.display[ident] = [name]
            self.regions.append(ident)

    # -- articles
    def make_sources(self, n: int) -> None:
        r = self.rng
        k = 0
        while len(self.sources) < n:
            k += 1
            publisher = r.choice(_PUBLISHERS)
            d = _rand_day(r, date(1995, 1, 1), date(2024, 12, 31))
            sid = f"{slug(publisher)}-{d.year}-{k:04d}"
            if sid in self.source_ids:
                continue
            self.source_ids.add(sid)
            form = r.random()
            if form < 0.7:
                published, lo, hi = d.isoformat(), d, d
                note = f"Dateline reads {_day_phrase(d)}."
            elif form < 0.8:
                w = _partial(r, d, date(9999, 1, 1))
                published, lo, hi = w.value, w.earliest, w.latest
                note = "The archive copy gives only a partial date."
            else:
                hi = d + timedelta(days=r.randint(1, 3))
                published, lo = {"not_before": d.isoformat(), "not_after": hi.isoformat()}, d
                note = ("The text gives no dateline; the events it reports in the past and "
                        "future tense fix it to these days.")
            title = r.choice([
                "{a} and {b} trade accusations over border incident",
                "Summit in {c} ends without joint statement",
                "{a} weighs its options as regional blocs shift",
                "Ministers meet in {c} amid tensions with {b}",
                "{b} says talks with {a} will continue",
            ]).format(a=self.entities[r.choice(self.states)]["name"],
                      b=self.entities[r.choice(self.states)]["name"],
                      c=r.choice(_CITIES).title())
            meta = {"file": f"{sid}.txt", "title": title,
                    "publisher": publisher if r.random() < 0.85 else None,
                    "author": r.choice(_AUTHORS) if r.random() < 0.7 else None,
                    "published": published, "date_note": note}
            if r.random() < 0.3:
                meta["url"] = f"https://example.org/{slug(publisher)}/{d.year}/{k:04d}"
            self.sources.append(Source(sid, meta, lo, hi, title))

    def cite(self, src: Source, quote: str) -> bool:
        """Put the quote into the article's text; False if that article already has it."""
        if quote in src.quotes:
            return False
        src.quotes.add(quote)
        r = self.rng
        lead = r.choice(_LEADS) + " " if quote[0].islower() or r.random() < 0.5 else ""
        tail = " " + r.choice(_FILLER) if r.random() < 0.6 else ""
        src.paragraphs.append(f"{lead}{quote}{'' if quote.endswith('.') else '.'}{tail}")
        return True

    # -- blocs
    def make_blocs(self, n: int) -> None:
        r = self.rng
        while len(self.syn_blocs) < n:
            region, theme, kind = r.choice(_REGIONS), r.choice(_THEMES), r.choice(_TYPES)
            name = f"{region} {theme} {kind}"
            acronym = "".join(w[0] for w in name.replace("-", " ").split()).upper()
            aliases = [acronym] if self.names.free(name, acronym) else []
            if "Organization" in name and r.random() < 0.5:
                aliases.append(name.replace("Organization", "Organisation"))
            ident = acronym.lower() if aliases[:1] == [acronym] else slug(name)
            node = self.names.node(ident, name, aliases)
            if node is None:
                continue
            node["kind"] = "military alliance" if theme in _MILITARY else r.choice(
                ["regional organisation", "economic bloc", "union"])
            formed_latest = date(r.randint(1946, 1990), 12, 31)
            src = r.choice(self.sources)
            if r.random() < 0.5:
                y = formed_latest.year
                if r.random() < 0.6:
                    node["formed"] = {"date": str(y), "source": src.id,
                                      "quote": f"the {name}, founded in {y}"}
                else:
                    decade = y - y % 10
                    formed_latest = date(decade + 3, 12, 31)
                    node["formed"] = {"not_before": str(decade), "not_after": str(decade + 3),
                                      "source": src.id,
                                      "quote": f"Formed in the early {decade}s, the {name}"}
                    node["formed"]["note"] = f"'early {decade}s' is read as {decade}-{decade + 3}."
                if not self.cite(src, node["formed"]["quote"]):
                    del node["formed"]
            if "formed" not in node or r.random() < 0.6:
                src = r.choice(self.sources)
                quote = (f"the {name} ({acronym})" if aliases[:1] == [acronym]
                         else f"members of the {name}")
                if self.cite(src, quote):
                    node["cited"] = [{"source": src.id, "quote": quote}]
            if "formed" not in node and "cited" not in node:
                continue
            if r.random() < 0.08:
                node["proposed"] = True
            self.blocs[ident] = node
            size = r.randint(4, min(14, len(self.states) - 3))
            pool = r.sample(self.states, size + 3)
            self.syn_blocs.append(SynBloc(
                ident, name, aliases[0] if aliases[:1] == [acronym] else name, formed_latest,
                pool[:size], pool[size:size + r.randint(0, 2)], pool[size + 2:size + 3]
                if r.random() < 0.2 else []))

    # -- facts
    def _say(self, ident: str) -> str:
        return self.rng.choice(self.display[ident])

    def _bloc_ref(self, b: SynBloc) -> str:
        return f"the {b.short}" if self.rng.random() < 0.6 else f"the {b.name}"

    def _source_for(self, i: int) -> Source:
        return self.sources[i] if i < len(self.sources) else self.rng.choice(self.sources)

    def roster(self, i: int) -> None:
        r = self.rng
        b, src = r.choice(self.syn_blocs), self._source_for(i)
        members = list(b.core)
        r.shuffle(members)
        if r.random() < 0.15 and len(members) > 3:
            members.pop()                                  # a later list that omits one
        fact = {"bloc": b.id}
        complete = True
        if r.random() < 0.15:
            members = members[: r.randint(2, len(members) - 1)]
            complete = False
        names = [self._say(m) for m in members]
        quote = r.choice(["{bloc}, which comprises {list}", "{bloc} currently comprises {list}",
                          "{bloc} also includes {list}", "{bloc} — grouping {list} —"]).format(
            bloc=self._bloc_ref(b), list=_join(names, oxford=r.random() < 0.3))
        fact["members"] = members
        if b.observers and r.random() < 0.4:
            fact["observers"] = list(b.observers)
            obs = _join([self._say(o) for o in b.observers])
            quote += f" (with {obs} holding an observer status)"
        if b.associates and r.random() < 0.5:
            fact["associates"] = list(b.associates)
            quote += f", with {_join([self._say(a) for a in b.associates])} as associate members"
        if not complete:
            fact["complete"] = False
            if r.random() < 0.5:
                fact["note"] = "The article names only some of the members."
        self._add("rosters", fact, src, quote)

    _MEMBERSHIP = [("member", 45), ("observer", 10), ("associate", 5), ("partner", 12),
                   ("aspirant", 10), ("proposed", 5), ("non-member", 13)]
    # status -> (one state, several states): how an article would say it
    _SAYS = {
        "observer": ("holds observer status in", "hold observer status in"),
        "associate": ("is an associate member of", "are associate members of"),
        "partner": ("signed a partnership agreement with", "signed partnership agreements with"),
        "aspirant": ("still seeks to join", "still seek to join"),
        "proposed": ("is in talks on joining", "are in talks on joining"),
        "non-member": ("is not a member of", "are not members of"),
    }
    _NOTES = ["The article does not say when this began.",
              "Read together with the article's earlier paragraph.",
              "The date is the article's own, relative to its dateline."]

    def membership(self, i: int) -> None:
        r = self.rng
        src = self._source_for(i)
        status = r.choices([s for s, _ in self._MEMBERSHIP], [w for _, w in self._MEMBERSHIP])[0]
        blocs = r.sample(self.syn_blocs, 2 if r.random() < 0.15 else 1)
        pool = blocs[0].core if status == "member" else self.states
        states = r.sample(pool, min(len(pool), 1 if r.random() < 0.7 else r.randint(2, 4)))
        one = len(states) == 1
        who = _join([self._say(s) for s in states])
        where = " and ".join(self._bloc_ref(b) for b in blocs)
        lo = max(date(1991, 1, 1), *(b.formed_latest + timedelta(days=1) for b in blocs))
        fact = {"state": states[0] if one else states,
                "bloc": blocs[0].id if len(blocs) == 1 else [b.id for b in blocs],
                "status": status}
        since = pick_when(r, lo, src.earliest, src.latest) if r.random() < 0.5 else None
        until = None
        if status == "member" and r.random() < 0.25:
            until = pick_when(r, since.latest + timedelta(days=1) if since else lo,
                              src.earliest, src.latest, bounds_share=0.15)
            if until is not None and until.earliest == date.min:
                until = None   # "left by ..." with no start says too little
        if since:
            fact["since"] = since.value
        if until:
            fact["until"] = until.value
        when = f" {since.phrase}" if since else ""
        if status == "member" and until:
            was = "was a member" if one else "were members"
            quote = (f"{who} joined {where}{when} but withdrew {until.phrase}" if since
                     else f"{who} {was} of {where} but withdrew {until.phrase}")
        elif status == "member" and since:
            quote = r.choice([f"{who} joined {where}{when}",
                              f"{who} became {'a member' if one else 'members'} of {where}{when}"])
        elif status == "member":
            quote = r.choice([f"{who}, {'a member' if one else 'members'} of {where},",
                              f"{who} {'is' if one else 'are'} among the founding states of "
                              f"{where}"])
        else:
            quote = f"{who} {self._SAYS[status][0 if one else 1]} {where}{when}"
        if r.random() < 0.15:
            fact["note"] = r.choice(self._NOTES)
        if status == "proposed" and r.random() < 0.1:
            fact["forecast"] = True
        self._add("memberships", fact, src, quote)

    def recognition(self, i: int) -> None:
        r = self.rng
        src = self._source_for(i)
        ents = r.sample(self.regions, min(len(self.regions), 1 if r.random() < 0.5 else 2))
        what = _join([self._say(e) for e in ents])
        status = "recognizes" if r.random() < 0.4 else "does-not-recognize"
        fact: dict = {}
        if status == "does-not-recognize" and r.random() < 0.05:
            b = r.choice(self.syn_blocs)
            fact["state"] = {"members_of": b.id, "except": [b.core[0]]}
            quote = (f"other members of {self._bloc_ref(b)} — besides "
                     f"{self._say(b.core[0])} — don't recognize {what}")
        else:
            states = r.sample(self.states, r.choice([1, 1, 2, 2, 3, 4, 6, 8]))
            one = len(states) == 1
            fact["state"] = states[0] if one else states
            who = _join([self._say(s) for s in states])
            since = None
            if status == "recognizes":
                since = pick_when(r, date(1991, 1, 1), src.earliest, src.latest) \
                    if r.random() < 0.6 else None
                quote = (f"{who} recognized {what} as independent {since.phrase}" if since
                         else f"{who} {'recognises' if one else 'recognise'} {what}")
            else:
                quote = r.choice([f"{who} stopped short of recognizing the independence of "
                                  f"{what}",
                                  f"{who} {'has' if one else 'have'} yet to recognise {what}",
                                  f"{who} did not follow suit and recognise {what}"])
        fact["entity"] = ents[0] if len(ents) == 1 else ents
        fact["status"] = status
        if status == "recognizes" and since:
            fact["since"] = since.value
        self._add("recognitions", fact, src, quote)

    def _add(self, kind: str, fact: dict, src: Source, quote: str) -> None:
        if not self.cite(src, quote):          # rare exact repeat: let another article say it
            for other in self.rng.sample(self.sources, min(5, len(self.sources))):
                if self.cite(other, quote):
                    src = other
                    break
            else:
                return
        note = fact.pop("note", None)
        fact["source"] = src.id
        fact["quote"] = quote
        if note:
            fact["note"] = note
        self.facts[kind].append(fact)


# -- the article texts ---------------------------------------------------------------------
def article(src: Source, rng: random.Random) -> str:
    """An article: dateline, title, then the quoted passages in filler prose."""
    city = rng.choice(_CITIES)
    publisher = src.meta["publisher"] or "Staff"
    lines = [f"{src.earliest.isoformat()}", "", src.title, "",
             f"{city} ({publisher}) — {rng.choice(_FILLER)}", ""]
    paras = list(src.paragraphs)
    rng.shuffle(paras)
    for p in paras:
        lines += [p, ""]
    lines.append(rng.choice(_FILLER))
    return "\n".join(lines) + "\n"


# -- driver --------------------------------------------------------------------------------
def generate(outdir: str, scale: int, seed: int = SEED, base: str = REAL_DATA) -> dict:
    """Write the data directory; return counts for the caller to print."""
    if scale < 1:
        raise ValueError("--scale must be 1 or more")
    real_blocs = _read_yaml(os.path.join(base, "blocs.yaml"))
    real_sources = _read_yaml(os.path.join(base, "sources", "sources.yaml"))
    real_counts = {k: len(real_blocs.get(k) or []) for k in RELATIONS}

    if os.path.exists(outdir) and os.listdir(outdir):
        if not os.path.exists(os.path.join(outdir, MARKER)):
            raise SystemExit(f"{outdir} exists and was not written by this script; refusing "
                             "to overwrite it")
        shutil.rmtree(outdir)
    shutil.copytree(os.path.join(base, "sources"), os.path.join(outdir, "sources"))
    with open(os.path.join(outdir, MARKER), "w") as fh:
        fh.write(f"scale={scale} seed={seed}\n")

    rng = random.Random(seed)
    w = World(rng, scale, real_blocs, real_sources)
    extra = scale - 1
    if extra:
        w.make_states(max(12, round(0.2 * scale)))
        w.make_regions(max(2, round(0.02 * scale)))
        w.make_sources(max(3, round(0.3 * scale)))
        w.make_blocs(max(3, round(0.3 * scale)))
        makers = {"rosters": w.roster, "memberships": w.membership,
                  "recognitions": w.recognition}
        order = [k for k in RELATIONS for _ in range(real_counts[k] * extra)]
        for i, kind in enumerate(order):   # the first facts visit every article once
            makers[kind](i)

    tree = dict(real_blocs)
    tree["entities"] = {**(real_blocs.get("entities") or {}), **w.entities}
    tree["blocs"] = {**(real_blocs.get("blocs") or {}), **w.blocs}
    for k in RELATIONS:
        tree[k] = list(real_blocs.get(k) or []) + w.facts[k]
    src_tree = dict(real_sources)
    src_tree["sources"] = {**(real_sources.get("sources") or {}),
                           **{s.id: s.meta for s in w.sources}}

    header = (f"# Synthetic fact base for the benchmark: the real data plus {extra} times its "
              f"facts, made up\n# (bench/generate.py --scale {scale} --seed {seed}). Not "
              "facts about the world.\n")
    with open(os.path.join(outdir, "blocs.yaml"), "w", encoding="utf-8") as fh:
        fh.write(dump(tree, header))
    with open(os.path.join(outdir, "sources", "sources.yaml"), "w", encoding="utf-8") as fh:
        fh.write(dump(src_tree, header))
    text_rng = random.Random(seed + 1)
    for s in w.sources:
        with open(os.path.join(outdir, "sources", s.meta["file"]), "w", encoding="utf-8") as fh:
            fh.write(article(s, text_rng))

    facts = {k: len(tree[k]) for k in RELATIONS}
    return {"scale": scale, "facts": sum(facts.values()), **facts,
            "statements_estimate": _statement_estimate(tree),
            "blocs": len(tree["blocs"]), "entities": len(tree["entities"]),
            "sources": len(src_tree["sources"]),
            "blocs_yaml_bytes": os.path.getsize(os.path.join(outdir, "blocs.yaml"))}


def _statement_estimate(tree: dict) -> int:
    """Statements as the loader counts them (one per subject x object, plus former-member)."""
    def n(v):
        return len(v) if isinstance(v, list) else 1

    total = 0
    for r in tree["rosters"]:
        total += sum(len(r.get(k) or []) for k in ("members", "observers", "associates"))
    for m in tree["memberships"]:
        total += n(m["state"]) * n(m["bloc"]) * (2 if "until" in m and m["status"] == "member"
                                                 else 1)
    for r in tree["recognitions"]:
        total += (1 if isinstance(r["state"], dict) else n(r["state"])) * n(r["entity"])
    return total


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("outdir")
    p.add_argument("--scale", type=int, default=1, help="times today's fact count (default 1)")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--base", default=REAL_DATA, help="the real data directory to start from")
    a = p.parse_args(argv)
    t0 = time.perf_counter()
    stats = generate(a.outdir, a.scale, a.seed, a.base)
    stats["seconds"] = round(time.perf_counter() - t0, 2)
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""States as a gazetteer finds them: ISO 3166-1 (pycountry) names and their common forms.

A name is a state only when it is in this list (or in the fact base): a capitalised word
that is not ("Maia", "Assad", "South") is never proposed as one. Each state comes with its
ISO codes; COW numbers are not here (no COW list is redistributed with this package), so
a proposed state leaves `ccode` for the curator.

pycountry is imported by `draft` and `apply` only (about 40 ms, its JSON read on first
use), never on the query path.
"""

from __future__ import annotations

import re

# Forms news writes that ISO's names are not (by alpha-3). All-capital forms match only in
# capitals ("US", never "us").
COMMON = {
    "RUS": ["Russia"], "USA": ["United States", "U.S.", "US", "USA", "United States of America"],
    "GBR": ["Britain", "Great Britain", "UK", "U.K."], "TUR": ["Turkey", "Turkiye", "Türkiye"],
    "ARE": ["UAE", "United Arab Emirates"], "CZE": ["Czech Republic"],
    "CIV": ["Ivory Coast"], "MKD": ["Macedonia"], "MMR": ["Burma"], "SWZ": ["Swaziland"],
    "CPV": ["Cape Verde"], "TLS": ["East Timor"], "COD": ["DR Congo"], "VAT": ["Vatican"],
    "BRN": ["Brunei"], "KOR": ["South Korea"], "PRK": ["North Korea"], "SYR": ["Syria"],
    "LAO": ["Laos"], "VNM": ["Vietnam"], "PSE": ["Palestine"], "MDA": ["Moldova"],
    "BOL": ["Bolivia"], "FSM": ["Micronesia"], "IRN": ["Iran"], "VEN": ["Venezuela"],
    "TZA": ["Tanzania"], "TWN": ["Taiwan"],
}
# The capitals news names a breakaway region by ("Sokhumi says", "Tskhinvali's
# independence"), by the region's name in the fact base.
REGION_CAPITALS = {"Abkhazia": ["Sokhumi", "Sukhumi", "Sukhum"],
                   "South Ossetia": ["Tskhinvali", "Tskhinval"]}
# ISO entries that are not states a bloc admits or a recognition concerns.
NOT_STATES = {"ATA", "BVT", "HMD", "IOT", "UMI", "ATF", "SGS"}


def _slug(name: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.casefold()).strip("-")


def states() -> list[dict]:
    """Every state: {id, name, names, iso3, iso2}; `name` is the common form."""
    import pycountry

    out = []
    for c in pycountry.countries:
        if c.alpha_3 in NOT_STATES:
            continue
        common = COMMON.get(c.alpha_3, [])
        name = (common[0] if common else getattr(c, "common_name", None)
                or c.name.split(",")[0])
        names = [name]
        for n in (*common, getattr(c, "common_name", None), c.name,
                  getattr(c, "official_name", None)):
            if n and "," not in n and n not in names:
                names.append(n)
        out.append({"id": _slug(name), "name": name, "names": names, "iso3": c.alpha_3,
                    "iso2": c.alpha_2})
    return out


def extend(fb):
    """The fact base with every gazetteer state it lacks (by ISO code and by name) added as
    an entity, and {id: state} of those added."""
    from ...facts.model import Entity, FactBase, fold

    have_iso = {e.iso3: e.id for e in fb.entities.values() if e.iso3}
    taken = set(fb.names)
    extra, info = {}, {}
    # the fact base's own states under every name ISO gives them ("Russian Federation",
    # "Republic of India", "Kyrgyz Republic"), and its regions under their capitals' names
    more: dict[str, list[str]] = {}
    for e in fb.entities.values():
        for n in REGION_CAPITALS.get(e.name, []):
            if fold(n) not in taken:
                more.setdefault(e.id, []).append(n)
                taken.add(fold(n))
    for st in states():
        if st["iso3"] in have_iso:
            ident = have_iso[st["iso3"]]
            for n in st["names"]:
                if fold(n) not in taken:
                    more.setdefault(ident, []).append(n)
                    taken.add(fold(n))
            continue
        if st["id"] in fb.entities or st["id"] in fb.blocs:
            continue
        names = [n for n in st["names"] if fold(n) not in taken]
        if not names or fold(st["name"]) in taken:
            continue
        taken.update(fold(n) for n in names)
        extra[st["id"]] = Entity(st["id"], names[0], tuple(names[1:]), "state", None,
                                 st["iso3"], st["iso2"])
        info[st["id"]] = st
    bloc_more: dict[str, list[str]] = {}
    for b in fb.blocs.values():
        for n in bloc_names(b.name):
            if fold(n) not in taken:
                bloc_more.setdefault(b.id, []).append(n)
                taken.add(fold(n))
    if not extra and not more and not bloc_more:
        return fb, {}
    known = {i: e._replace(aliases=(*e.aliases, *more[i])) if i in more else e
             for i, e in fb.entities.items()}
    blocs = {i: b._replace(aliases=(*b.aliases, *bloc_more[i])) if i in bloc_more else b
             for i, b in fb.blocs.items()}
    view = FactBase(fb.data_dir, fb.sources, {**known, **extra}, blocs,
                    fb.statements, fb.rosters)
    view.names = {**fb.names, **{fold(n): ("entity", e.id) for e in extra.values()
                                 for n in (e.name, *e.aliases)},
                  **{fold(n): ("entity", i) for i, ns in more.items() for n in ns},
                  **{fold(n): ("bloc", i) for i, ns in bloc_more.items() for n in ns}}
    return view, info


def bloc_names(name: str) -> list[str]:
    """The names a bloc goes by that its full name implies: an organisation named after
    its treaty by the treaty ("Collective Security Treaty Organization": "Collective
    Security Treaty", and its initials "CST"; "North Atlantic Treaty Organization": "North
    Atlantic Treaty"). Only a name of three words or more, ending in Treaty, Pact or
    Charter, once 'Organization' is taken off: "Shanghai Cooperation" is not a name."""
    m = re.fullmatch(r"(.+\b(?:Treaty|Pact|Charter))\s+Organi[sz]ation", name.strip())
    if not m or len(m.group(1).split()) < 3:
        return []
    base = m.group(1)
    initials = "".join(w[0] for w in base.split() if w[:1].isupper())
    return [base] + ([initials] if len(initials) >= 3 else [])

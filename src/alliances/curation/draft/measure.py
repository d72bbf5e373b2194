"""How much of a curated record the drafts propose.

The articles the rules were tuned on and the ones held out (chosen before the rules for the
twelve articles of 2008-2024 were written, and never looked at while writing them)."""

from __future__ import annotations

from .article import draft
from .rules import ROSTER_KEYS

TUNED = ("aa-2024", "dfwatch-2014", "kg-2024", "mc-2023", "pti-2014", "trend-2008", "voa-2009")
HELD_OUT = ("afp-2018", "blog-2009", "mt-2012", "ria-2009", "trend-2017")

# -- measurement -------------------------------------------------------------------------
def curated(fb, source_id: str) -> set[tuple[str, str, str]]:
    """(subject, object, status) of every statement the data states from one article; a
    roster's members and observers count, `until`'s derived former-member does not, and a
    statement about every state counts as subject '*'."""
    out = set()
    for s in fb.statements:
        if s.citation.source != source_id or s.status == "former-member":
            continue
        subject = "*" if s.group is not None and s.group.everyone else s.subject
        if s.group is not None and not s.group.everyone:
            subject = f"members_of:{s.subject}"
        out.add((subject, s.object, s.status))
    return out


def with_known_blocs(fb, known):
    """The data's fact base, plus the blocs of `known` (the shipped data) that it lacks and
    whose names it does not use otherwise: a new fact base (alliances init) has no blocs
    until an article cites one, and the draft proposes that citation."""
    from ...facts.model import FactBase, fold

    extra = {}
    for b in known.blocs.values():
        keys = {fold(n) for n in (b.name, *b.aliases)}
        if b.id in fb.blocs or b.id in fb.entities or keys & set(fb.names):
            continue
        extra[b.id] = b._replace(formed=None, formed_citation=None, citations=())
    if not extra:
        return fb, {}
    view = FactBase(fb.data_dir, fb.sources, fb.entities, {**fb.blocs, **extra},
                    fb.statements, fb.rosters)
    view.names = {**fb.names, **{fold(n): ("bloc", b.id) for b in extra.values()
                                 for n in (b.name, *b.aliases)}}
    return view, extra


def names_only(fb):
    """The fact base with its facts removed: what a draft may use (names, blocs, sources)."""
    from ...facts.model import FactBase

    empty = FactBase(fb.data_dir, fb.sources, fb.entities, fb.blocs, [], [])
    empty.names = fb.names
    return empty


def coverage(fb) -> dict:
    """Draft every article as if the facts file were empty and compare with the curated
    statements: the share of curated (subject, object, status) the drafts propose, and the
    proposals a curator would reject (not curated for that article)."""
    from ...facts.paths import source_text

    blank = names_only(fb)
    per, found, total, rejected, proposed = {}, 0, 0, 0, 0
    for sid, src in sorted(fb.sources.items()):
        want = curated(fb, sid)
        got = draft(source_text(fb, src), src.published, blank, sid).triples()
        hit = want & got
        per[sid] = {"curated": len(want), "proposed": len(got), "found": len(hit),
                    "missed": sorted(want - got), "rejected": sorted(got - want)}
        found += len(hit)
        total += len(want)
        proposed += len(got)
        rejected += len(got - want)
    return {"curated": total, "found": found, "share": found / total if total else 1.0,
            "proposed": proposed, "rejected": rejected, "sources": per}



# -- measurement against a curated record, as a curator starting from `init` would ---------


def _published(value):
    from ...facts.dates import MAX, MIN, bounds, parse_partial

    if isinstance(value, dict):
        lo = parse_partial(value["not_before"]).earliest if value.get("not_before") else MIN
        hi = parse_partial(value["not_after"]).latest if value.get("not_after") else MAX
        return bounds(lo, hi)
    return parse_partial(str(value))


def _subjects(value) -> list[str]:
    out = []
    for s in value if isinstance(value, list) else [value]:
        if isinstance(s, dict):
            out.append("*" if s.get("all_states") else f"members_of:{s.get('members_of')}")
        else:
            out.append(s)
    return out


def record_triples(tree: dict) -> dict[str, set]:
    """(subject, object, status) per source of a blocs.yaml tree read as plain YAML (so a
    record in a schema newer than this engine's is still measured)."""
    per: dict[str, set] = {}
    for r in tree.get("rosters") or []:
        for key, status in ROSTER_KEYS:
            for s in r.get(key) or []:
                per.setdefault(r["source"], set()).add((s, r["bloc"], status))
    for section, obj in (("memberships", "bloc"), ("recognitions", "entity")):
        for m in tree.get(section) or []:
            objects = m[obj] if isinstance(m[obj], list) else [m[obj]]
            for s in _subjects(m["state"]):
                for o in objects:
                    per.setdefault(m["source"], set()).add((s, o, m["status"]))
    return per


def _record_ids(tree: dict):
    """name/alias/ISO code -> the record's id, to map a draft's new ids onto the record's."""
    from ...facts.model import fold

    by_name: dict[str, str] = {}
    for section in ("entities", "blocs"):
        for ident, e in (tree.get(section) or {}).items():
            for n in (e.get("name", ident), *(e.get("aliases") or [])):
                by_name.setdefault(fold(n), ident)
    by_iso = {c.get("iso3"): ident for ident, c in (tree.get("codes") or {}).items()
              if c.get("iso3")}
    return by_name, by_iso


def measure(record_dir: str, only=None) -> dict:
    """Draft every article of a curated record as a curator would (a fact base made by
    `alliances init`: the shipped names and codes, no facts) and compare with what the
    record states from each: recall (curated statements proposed with the right subject,
    object and status) and precision (proposals that are curated)."""
    import os

    import yaml

    from ...facts.model import fold
    from ...facts.paths import default_data_dir
    from ...facts.store import build_factbase

    with open(os.path.join(record_dir, "blocs.yaml"), encoding="utf-8") as fh:
        tree = yaml.safe_load(fh)
    with open(os.path.join(record_dir, "sources", "sources.yaml"), encoding="utf-8") as fh:
        sources = yaml.safe_load(fh)["sources"]
    want_all = record_triples(tree)
    by_name, by_iso = _record_ids(tree)
    shipped = build_factbase(default_data_dir())[0]
    blank = names_only(shipped)
    per, found, total, proposed = {}, 0, 0, 0
    for sid, meta in sorted(sources.items()):
        if only is not None and sid not in only:
            continue
        with open(os.path.join(record_dir, "sources", meta["file"]), encoding="utf-8") as fh:
            text = fh.read()
        d = draft(text, _published(meta["published"]), blank, sid)
        rename = {}
        for ident, info in d.new_states.items():
            rename[ident] = by_iso.get(info.get("iso3")) or by_name.get(fold(info["name"]),
                                                                      ident)
        for ident, info in d.new_blocs.items():
            rename[ident] = by_name.get(fold(info["name"]), ident)
        got = {(rename.get(s, s), rename.get(o, o), st) for s, o, st in d.triples()}
        want = want_all.get(sid, set())
        hit = want & got
        per[sid] = {"curated": len(want), "proposed": len(got), "found": len(hit),
                    "missed": sorted(want - got), "rejected": sorted(got - want)}
        found += len(hit)
        total += len(want)
        proposed += len(got)
    return {"curated": total, "found": found, "proposed": proposed,
            "recall": found / total if total else 1.0,
            "precision": found / proposed if proposed else 1.0, "sources": per}

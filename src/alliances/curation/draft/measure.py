"""How much of a curated record the drafts propose."""

from __future__ import annotations

from .rules import draft

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


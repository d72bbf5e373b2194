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


def _drafts(record_dir: str, sources: dict, only, blank):
    """(id, draft) of each article of a record (or of those in `only`), in id order, each
    drafted against `blank` as a curator adding it would."""
    import os

    for sid, meta in sorted(sources.items()):
        if only is not None and sid not in only:
            continue
        with open(os.path.join(record_dir, "sources", meta["file"]), encoding="utf-8") as fh:
            text = fh.read()
        yield sid, draft(text, _published(meta["published"]), blank, sid)


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
    for sid, d in _drafts(record_dir, sources, only, blank):
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


# -- saved drafts scored against a curated record, dates included --------------------------
# The unseen protocol (docs/curation.md): drafts are saved before anyone reads their
# articles (bench/unseen.py), and scored here once the articles are curated. A proposal is
# right only when its subject, object and status are a curated statement's AND its dates
# agree with that statement's: overlapping ranges, or no date proposed (a proposal dated
# where the record is not dated is wrong). `recall_strict` also counts an undated proposal
# of a dated statement as a miss: how often the draft dates as the curator does.


def _range(value):
    """A since/until value (a partial date, bounds, or a YAML date) as a DateRange."""
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        return _published(value)
    return _published(str(value))


def record_statements(tree: dict) -> dict[str, list[dict]]:
    """Per source, every (subject, object, status, since, until, quote) a record states."""
    per: dict[str, list[dict]] = {}
    for r in tree.get("rosters") or []:
        for key, status in ROSTER_KEYS:
            for s in r.get(key) or []:
                per.setdefault(r["source"], []).append(
                    {"state": s, "object": r["bloc"], "status": status, "since": None,
                     "until": None, "quote": r.get("quote") or ""})
    for section, obj in (("memberships", "bloc"), ("recognitions", "entity")):
        for m in tree.get(section) or []:
            objects = m[obj] if isinstance(m[obj], list) else [m[obj]]
            for s in _subjects(m["state"]):
                for o in objects:
                    per.setdefault(m["source"], []).append(
                        {"state": s, "object": o, "status": m["status"],
                         "since": _range(m.get("since")), "until": _range(m.get("until")),
                         "quote": m.get("quote") or ""})
    return per


def _agree(proposed, curated, strict: bool = False) -> bool:
    """Whether a proposal's date agrees with the record's: overlapping ranges; an undated
    proposal agrees (the sentence may give no date), unless `strict`; a dated proposal
    where the record has no date does not (the draft read a date the curator did not)."""
    if proposed is None:
        return curated is None or not strict
    if curated is None:
        return False
    return proposed.earliest <= curated.latest and curated.earliest <= proposed.latest


def _flat(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _in_list(w: dict, listed: list[str]) -> bool:
    """Whether a curated statement's quote is within a sentence the draft listed (or the
    other way round, for a quote longer than one sentence)."""
    q = _flat(w["quote"])
    return bool(q) and any(q in u or (bool(u) and u in q) for u in listed)


def _subject_of(row) -> str:
    s = row.get("state")
    if isinstance(s, dict):
        return "*" if s.get("all_states") else f"members_of:{s.get('members_of')}"
    return s


def _score_article(rows: list[dict], want: list[dict], by_name, by_iso) -> dict:
    """One article's draft rows (`alliances draft --format json`) against the statements the
    record states from it (record_statements): recall and precision with dates scored and
    without, and which curated statements were proposed, listed, or missed."""
    from ...facts.model import fold

    rename = {}
    for r in rows:
        if r.get("section") == "entities":
            rename[r["state"]] = by_iso.get(r.get("iso3")) or by_name.get(
                fold(r.get("name") or ""), r["state"])
    got, listed = [], []
    for r in rows:
        if r.get("section") == "unread":
            listed.append(_flat(r.get("quote") or ""))
        elif r.get("section") in ("rosters", "memberships", "recognitions"):
            s = _subject_of(r)
            got.append({"state": rename.get(s, s), "object": rename.get(r["object"],
                                                                       r["object"]),
                        "status": r["status"], "since": _range(r.get("since")),
                        "until": _range(r.get("until"))})
    # a proposal is one distinct (subject, object, status, since, until)
    uniq = {(g["state"], g["object"], g["status"], g["since"], g["until"]): g for g in got}
    got = list(uniq.values())

    def same(g, w) -> bool:
        return (g["state"], g["object"], g["status"]) == (w["state"], w["object"],
                                                          w["status"])

    def dated(g, w, strict: bool = False) -> bool:
        return same(g, w) and _agree(g["since"], w["since"], strict) and _agree(
            g["until"], w["until"], strict)

    found = [w for w in want if any(dated(g, w) for g in got)]
    found_strict = [w for w in want if any(dated(g, w, True) for g in got)]
    found_u = [w for w in want if any(same(g, w) for g in got)]
    right = [g for g in got if any(dated(g, w) for w in want)]
    right_u = {(g["state"], g["object"], g["status"]) for g in got
               if any(same(g, w) for w in want)}
    proposed_u = {(g["state"], g["object"], g["status"]) for g in got}
    listed_n = [w for w in want if w not in found and _in_list(w, listed)]
    return {"curated": len(want), "proposed": len(got), "right": len(right),
            "found": len(found), "found_undated": len(found_u),
            "found_strict": len(found_strict),
            "proposed_undated": len(proposed_u), "right_undated": len(right_u),
            "listed": len(listed_n), "covered": len(found) + len(listed_n),
            "missed": sorted(f"{w['state']} {w['status']} {w['object']}"
                             for w in want if w not in found and w not in listed_n),
            "missed_quotes": [(f"{w['state']} {w['status']} {w['object']}", w["quote"])
                              for w in want if w not in found and w not in listed_n],
            "wrong": sorted(f"{g['state']} {g['status']} {g['object']}"
                            for g in got if g not in right)}


_SUMMED = ("curated", "proposed", "right", "found", "listed", "covered", "found_undated",
           "found_strict", "right_undated", "proposed_undated")


def _totals(per: dict) -> dict:
    totals = dict.fromkeys(_SUMMED, 0)
    for r in per.values():
        if not r.get("missing"):
            for k in _SUMMED:
                totals[k] += r[k]

    def share(a, b):
        return a / b if b else None

    return {**totals,
            "recall": share(totals["found"], totals["curated"]),
            "precision": share(totals["right"], totals["proposed"]),
            "recall_undated": share(totals["found_undated"], totals["curated"]),
            "recall_strict": share(totals["found_strict"], totals["curated"]),
            "precision_undated": share(totals["right_undated"], totals["proposed_undated"]),
            "proposed_or_listed": share(totals["covered"], totals["curated"]),
            "sources": per}


def _record(record_dir: str):
    import os

    import yaml

    with open(os.path.join(record_dir, "blocs.yaml"), encoding="utf-8") as fh:
        tree = yaml.safe_load(fh) or {}
    with open(os.path.join(record_dir, "sources", "sources.yaml"), encoding="utf-8") as fh:
        sources = (yaml.safe_load(fh) or {}).get("sources") or {}
    return tree, sources


def score_saved(saved_dir: str, record_dir: str, only=None) -> dict:
    """Score the saved JSON drafts of `saved_dir` (<id>.json, `alliances draft --format
    json`) against the record in `record_dir` (blocs.yaml and sources/sources.yaml): per
    article and in total, recall and precision with dates scored, the same without dates,
    and coverage: the share of curated statements either proposed (dates scored) or whose
    sentence the draft lists under "Could not read"."""
    import json
    import os

    tree, sources = _record(record_dir)
    want_all = record_statements(tree)
    by_name, by_iso = _record_ids(tree)
    per: dict = {}
    for sid in sorted(sources):
        if only is not None and sid not in only:
            continue
        path = os.path.join(saved_dir, f"{sid}.json")
        if not os.path.exists(path):
            per[sid] = {"missing": True}
            continue
        with open(path, encoding="utf-8") as fh:
            rows = json.load(fh)
        per[sid] = _score_article(rows, want_all.get(sid, []), by_name, by_iso)
    return _totals(per)


def score_live(record_dir: str, only=None) -> dict:
    """Draft every article of a curated record now, in-process, with the record's own names
    and aliases but none of its facts (names_only: a curator adding the article to this
    fact base), and score the drafts as score_saved does: dates scored, and "proposed or
    listed". Measured on articles the rules were written from: not an unseen figure."""

    from ...facts.store import build_factbase
    from .output import rows as draft_rows

    tree, sources = _record(record_dir)
    want_all = record_statements(tree)
    by_name, by_iso = _record_ids(tree)
    blank = names_only(build_factbase(record_dir)[0])
    per: dict = {}
    for sid, d in _drafts(record_dir, sources, only, blank):
        per[sid] = _score_article(draft_rows(d), want_all.get(sid, []), by_name, by_iso)
    return _totals(per)


def table(result: dict, label: str) -> str:
    """The scored drafts as a Markdown table, per article and in total."""
    def pct(x):
        return "–" if x is None else f"{100 * x:.0f}%"

    lines = [f"| {label} | curated | proposed | recall (dates) | precision (dates) | "
             "recall (no dates) | recall (dated as curated) | proposed or listed |",
             "|---|---|---|---|---|---|---|---|"]
    for sid, r in result["sources"].items():
        if r.get("missing"):
            lines.append(f"| {sid} | no saved draft | | | | | | |")
            continue
        lines.append(f"| {sid} | {r['curated']} | {r['proposed']} | "
                     f"{pct(r['found'] / r['curated'] if r['curated'] else None)} | "
                     f"{pct(r['right'] / r['proposed'] if r['proposed'] else None)} | "
                     f"{pct(r['found_undated'] / r['curated'] if r['curated'] else None)} | "
                     f"{pct(r['found_strict'] / r['curated'] if r['curated'] else None)} | "
                     f"{pct(r['covered'] / r['curated'] if r['curated'] else None)} |")
    lines.append(f"| **total** | {result['curated']} | {result['proposed']} | "
                 f"{pct(result['recall'])} | {pct(result['precision'])} | "
                 f"{pct(result['recall_undated'])} | {pct(result['recall_strict'])} | "
                 f"{pct(result['proposed_or_listed'])} |")
    return "\n".join(lines)

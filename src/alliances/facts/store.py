"""The fact base, composed in one place: read and validate the YAML, verify it against the
articles, and serve it from the cache while the files are unchanged."""

from __future__ import annotations

import os

from .load import DataError, read_yaml
from .model import BLOCS_FILE, SOURCES_FILE, FactBase
from .paths import inside


def build_factbase(data_dir: str, strict: bool = True,
                   keep: dict | None = None) -> tuple[FactBase, list[DataError]]:
    """Parse and validate both YAML files; strict stops at the first problem. `keep`, when
    a dict, receives blocs.yaml's bytes ("raw"), its text ("text") and which records each
    of its items made ("spans", validate.Builder's)."""
    from .load import decode, parse_yaml, read_bytes
    from .validate import Builder, build, build_sources

    b = Builder(data_dir, strict)
    trees = []
    for rel in (SOURCES_FILE, BLOCS_FILE):
        try:
            if keep is not None and rel == BLOCS_FILE:
                raw = read_bytes(inside(data_dir, rel, rel), rel)
                keep["raw"], keep["spans"] = raw, b.spans
                keep["text"] = decode(raw, rel)
                trees.append(parse_yaml(keep["text"], rel))
            else:
                trees.append(read_yaml(inside(data_dir, rel, rel), rel))
        except DataError as e:
            if strict:
                raise
            b.problems.append(e)
            trees.append(None)
    sources = build_sources(trees[0], b) if trees[0] is not None else {}
    if trees[1] is None:
        # Empty or only comments: never a fact base (init writes `schema: 1`), most likely
        # a file caught while an editor rewrites it. Say so rather than answer from nothing.
        if not b.problems or b.problems[-1].file != BLOCS_FILE:
            empty = DataError(BLOCS_FILE, 1, "no top-level 'schema:' (the file is empty or "
                                             "only comments; was it being saved?)")
            if strict:
                raise empty
            b.problems.append(empty)
        return FactBase(data_dir, sources, {}, {}, [], []), b.problems
    return build(trees[1], sources, b), b.problems


def build_verified(data_dir: str) -> FactBase:
    """The fact base with what `alliances check` would find in it (quotes in their
    articles, unchanged texts, dates, codes) recorded on it: done when the cache is built,
    once per change of the files, so that a query on unverified data can say so."""
    from .cache import QuoteMemo
    from .items import Built, layout_of
    from .verify import verify

    keep: dict = {}
    fb = Built.of(build_factbase(data_dir, keep=keep)[0], keep.get("spans"))
    # which records each item of blocs.yaml made (and below, which problems), so that the
    # cache can be brought up to date item by item after an edit (facts/items.py)
    fb.layout = (layout_of(keep.pop("raw"), keep.pop("text"), fb) if "text" in keep
                 else None)
    memo = QuoteMemo.open(data_dir)
    parts: list = []
    problems, fb.texts = verify(fb, codes=None, memo=memo, parts=parts)
    memo.save()
    fb.problems = tuple((p.file, p.line, p.message) for p in problems)
    if fb.layout is not None:
        fb.layout.add_problems(parts)
    return fb


def load(data_dir: str) -> FactBase:
    """The fact base for queries, from the cache when the files have not changed."""
    from . import cache

    return cache.cached(data_dir, lambda: build_verified(data_dir))


def check_dir(data_dir: str) -> dict:
    """Check a data directory; return the report (problems empty means it all holds)."""
    from .cache import QuoteMemo, paused_collector
    from .verify import citations, verify

    # As when the cache is built: every object made here lives to the end (the
    # collector's passes over them cost 2.5 s of a `check` at 1,000x).
    with paused_collector():
        fb, problems = build_factbase(data_dir, strict=False)
        memo = QuoteMemo.open(data_dir)
        cited = list(citations(fb))
        found, _ = verify(fb, memo=memo, cited=cited)
        memo.save()
    problems = problems + found
    total = len(cited)
    unverified = {(p.file, p.line) for p in found if p.message.startswith("quote not found")}
    missing = {sid for sid, src in fb.sources.items()
               if any(p.message.startswith(f"source {sid!r}: ") for p in found)}
    verified = sum(1 for c in cited
                   if (c.file, c.line) not in unverified and c.source not in missing)
    seen, unique = set(), []
    for p in problems:
        key = (p.file, p.line, p.message)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    unique.sort(key=lambda p: (p.file, p.line))
    return {
        "data": os.path.abspath(data_dir),
        "ok": not unique,
        "counts": {"facts": fb.fact_count, "statements": len(fb.statements),
                   "sources": len(fb.sources), "blocs": len(fb.blocs),
                   "entities": len(fb.entities), "quotes": total, "quotes_verified": verified,
                   "problems": len(unique)},
        "problems": [{"file": p.file, "line": p.line, "message": p.message} for p in unique],
    }

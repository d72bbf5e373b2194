"""Turn the YAML trees into a FactBase, checking shape, references, statuses and dates.

Every problem is a DataError with file:line. Queries stop at the first (`strict=True`);
`alliances check` collects them all. The checks that need the source texts (quotes present)
live in check.py, so a query never reads an article it does not print.
"""

from __future__ import annotations

import os
from typing import cast

from .dates import DateError, DateRange, bounds, parse_bounds, parse_partial
from .load import DataError, Map, Seq
from .model import (
    BLOCS_FILE,
    ENDED,
    EVERYONE,
    MEMBERSHIP_STATUSES,
    RECOGNITION_STATUSES,
    SOURCES_FILE,
    STATUSES,
    Bloc,
    Citation,
    Entity,
    FactBase,
    Group,
    Roster,
    Source,
    Statement,
    fold,
)
from .names import did_you_mean

SCHEMA_VERSION = 1

SOURCE_FIELDS = {"file": True, "title": True, "publisher": True, "author": True,
                 "published": True, "date_note": True, "url": False, "sha256": False,
                 "retrieved_from": False, "copy_note": False}
ENTITY_FIELDS = {"name": True, "aliases": False, "kind": False, "parent": False,
                 "exists_from": False}
CODE_FIELDS = {"ccode": False, "iso3": False, "iso2": False}
BLOC_FIELDS = {"name": True, "aliases": False, "kind": False, "formed": False, "cow": False,
               "proposed": False, "cited": False}
CITE_FIELDS = {"source": True, "quote": True, "note": False}
FORMED_FIELDS = {"date": False, "not_before": False, "not_after": False, **CITE_FIELDS}
ROSTER_FIELDS = {"bloc": True, "members": True, "observers": False, "associates": False,
                 "dialogue_partners": False,
                 "complete": False, **CITE_FIELDS}
MEMBERSHIP_FIELDS = {"state": True, "bloc": True, "status": True, "since": False,
                     "until": False, "forecast": False, **CITE_FIELDS}
RECOGNITION_FIELDS = {"state": True, "entity": True, "status": True, "since": False,
                      "until": False,
                      "forecast": False, **CITE_FIELDS}
TOP_FIELDS = {"schema": True, "entities": True, "codes": False, "blocs": False,
              "rosters": False, "memberships": False, "recognitions": False}
SOURCES_TOP = {"schema": True, "sources": True}


class Builder:
    """Collects problems while building; `strict` raises on the first one."""

    def __init__(self, data_dir: str, strict: bool):
        self.data_dir, self.strict = data_dir, strict
        self.problems: list[DataError] = []
        # per item of ITEM_SECTIONS, in build order: (section rank, line, first and end
        # statement, first and end roster, facts): which records each item made
        self.spans: list[tuple[int, int, int, int, int, int, int]] = []

    def fail(self, file: str, line: int, message: str) -> None:
        err = DataError(file, line, message)
        if self.strict:
            raise err
        self.problems.append(err)

    # -- shape helpers -------------------------------------------------------------
    def fields(self, node, allowed: dict, file: str, what: str) -> bool:
        if not isinstance(node, Map):
            self.fail(file, getattr(node, "line", 0), f"{what} must be a mapping")
            return False
        ok = True
        for key in node:
            if key not in allowed:
                near = did_you_mean(str(key), allowed)
                hint = f" ({near})" if near else ""
                self.fail(file, node.key_lines[key], f"unknown field {key!r} in {what}{hint}")
                ok = False
        for key, required in allowed.items():
            if required and key not in node:
                self.fail(file, node.line, f"{what} is missing required field {key!r}")
                ok = False
        return ok

    def text(self, node: Map, key: str, file: str, optional: bool = False) -> str | None:
        value = node.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(file, node.key_lines.get(key, node.line),
                      f"{key!r} must be a non-empty string")
            return None
        return value

    def ids(self, node: Map, key: str, table: dict, file: str, what: str) -> list[str]:
        """One id or a list of ids, each of which must exist in `table`."""
        value = node.get(key)
        if type(value) is str and value in table:  # the common case: one known id
            return [value]
        line = node.key_lines.get(key, node.line)
        items = value if isinstance(value, list) else [value]
        lines = value.item_lines if isinstance(value, Seq) else [line]
        out = []
        for item, ln in zip(items, lines, strict=False):
            if not isinstance(item, str):
                self.fail(file, ln, f"{key!r} must be a {what} id or a list of them")
            elif item not in table:
                self.fail(file, ln, f"unknown {what} {item!r}{suggest(item, table)}")
            else:
                out.append(item)
        return out

    def date(self, value, file: str, line: int, cap: DateRange | None = None) -> DateRange | None:
        """A partial date string or {not_before, not_after}; an open upper end is closed at
        `cap` (the article's date: it reports as past what it dates)."""
        try:
            if isinstance(value, (str, int)):
                return parse_partial(str(value))
            if isinstance(value, Map):
                extra = set(value) - {"not_before", "not_after"}
                if extra:
                    raise DateError(f"unknown field {sorted(extra)[0]!r} in a date bound")
                hi = value.get("not_after")
                if hi is None and cap is not None:
                    hi = cap.latest.isoformat()
                lo = value.get("not_before")
                return parse_bounds(None if lo is None else str(lo),
                                    None if hi is None else str(hi))
            raise DateError("a date must be YYYY, YYYY-MM, YYYY-MM-DD or {not_before, not_after}")
        except DateError as e:
            fix = "" if "YYYY" in str(e) else (" (write YYYY, YYYY-MM, YYYY-MM-DD or "
                                               "{not_before: ..., not_after: ...})")
            self.fail(file, line, f"{e}{fix}")
            return None

    def citation(self, node: Map, file: str, sources: dict) -> Citation | None:
        src = node.get("source")
        if not isinstance(src, str) or src not in sources:
            self.fail(file, node.key_lines.get("source", node.line),
                      f"unknown source {src!r}{suggest(str(src), sources)}: a source is an "
                      f"id in {SOURCES_FILE} (`alliances add-article` adds one)")
            return None
        quote = self.text(node, "quote", file)
        note = self.text(node, "note", file, optional=True)
        if quote is None:
            return None
        return Citation(src, quote, note, file, node.key_lines.get("quote", node.line))


def suggest(name: str, table) -> str:
    near = did_you_mean(name, table, sep=", ")
    return f" ({near})" if near else ""


def build_sources(tree, b: Builder, file: str = SOURCES_FILE) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    if not b.fields(tree, SOURCES_TOP, file, "the sources file"):
        if not isinstance(tree, Map) or not isinstance(tree.get("sources"), Map):
            return sources
    _schema(tree, b, file)
    table = tree.get("sources")
    if table is None:  # `sources:` with only comments under it: none yet (alliances init)
        return sources
    if not isinstance(table, Map):
        b.fail(file, getattr(table, "line", tree.line),
               "'sources' must be a mapping of id to metadata")
        return sources
    for sid, node in table.items():
        if not b.fields(node, SOURCE_FIELDS, file, f"source {sid!r}"):
            continue
        fname = b.text(node, "file", file)
        title = b.text(node, "title", file)
        note = b.text(node, "date_note", file)
        published = b.date(node.get("published"), file, node.key_lines["published"])
        if published is not None and published.latest.year > 9000:
            b.fail(file, node.key_lines["published"], "'published' needs an upper bound")
            published = None
        for key in ("publisher", "author", "url", "retrieved_from", "copy_note"):
            if node.get(key) is not None and not isinstance(node.get(key), str):
                b.fail(file, node.key_lines[key], f"{key!r} must be a string or null")
        for key in ("url", "retrieved_from"):
            url = node.get(key)
            if isinstance(url, str) and not (url.startswith(("https://", "http://"))
                                             and url.isprintable() and " " not in url):
                b.fail(file, node.key_lines[key], f"{key!r} must be an http(s) address "
                                                  "without spaces or control characters")
        digest = node.get("sha256")
        if digest is not None and not (isinstance(digest, str) and len(digest) == 64
                                       and all(c in "0123456789abcdef" for c in digest)):
            b.fail(file, node.key_lines["sha256"], "'sha256' must be 64 lowercase hexadecimal "
                                                   "digits (alliances add-article records it)")
            digest = None
        if fname is None or title is None or note is None or published is None:
            continue
        if os.path.isabs(fname) or os.path.normpath(fname).startswith(".."):
            b.fail(file, node.key_lines["file"], f"source file {fname!r} must be a path inside "
                                                 "the sources directory")
            continue
        sources[sid] = Source(sid, title, node.get("publisher"), node.get("author"), published,
                              note, fname, node.get("url"), digest, table.key_lines[sid],
                              node.get("retrieved_from"), node.get("copy_note"))
    return sources


def _schema(tree: Map, b: Builder, file: str) -> None:
    if tree.get("schema") != SCHEMA_VERSION:
        b.fail(file, tree.key_lines.get("schema", tree.line),
               f"'schema' must be {SCHEMA_VERSION} (this version of alliances reads schema "
               f"{SCHEMA_VERSION})")


def _names(node: Map, file: str, b: Builder) -> tuple[str, ...]:
    aliases = node.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        b.fail(file, node.key_lines.get("aliases", node.line), "'aliases' must be a list of names")
        return ()
    return tuple(aliases)


def build(blocs_tree, sources: dict[str, Source], b: Builder) -> FactBase:
    """The fact base from blocs.yaml's tree and the already-built sources."""
    file = BLOCS_FILE
    fb = FactBase(b.data_dir, sources, {}, {}, [], [])
    if not b.fields(blocs_tree, TOP_FIELDS, file, "blocs.yaml"):
        if not isinstance(blocs_tree, Map):
            return fb
    _schema(blocs_tree, b, file)

    names: dict[str, tuple[str, str, int]] = {}
    codes: dict[int, str] = {}

    def claim(name: str, kind: str, ident: str, line: int) -> None:
        key = fold(name)
        prev = names.get(key)
        if prev and prev[:2] != (kind, ident):
            b.fail(file, line, f"name {name!r} is already used by {prev[0]} {prev[1]!r} "
                               f"(line {prev[2]})")
        else:
            names[key] = (kind, ident, line)

    for ident, node in _table(blocs_tree, "entities", file, b):
        if not b.fields(node, ENTITY_FIELDS, file, f"entity {ident!r}"):
            continue
        name = b.text(node, "name", file)
        if name is None:
            continue
        exists_from = node.get("exists_from")
        if exists_from is not None:
            try:
                parse_partial(exists_from)
            except DateError as err:
                b.fail(file, node.key_lines["exists_from"], f"entity {ident!r}: {err}")
                exists_from = None
        ent = Entity(ident, name, _names(node, file, b), node.get("kind") or "state",
                     line=node.line, parent=node.get("parent"), exists_from=exists_from)
        fb.entities[ident] = ent
    for ident, ent in fb.entities.items():
        if ent.parent is not None and ent.parent not in fb.entities:
            b.fail(file, ent.line, f"entity {ident!r}: parent {ent.parent!r} is not an entity"
                                   f"{suggest(str(ent.parent), fb.entities)}")
            fb.entities[ident] = ent._replace(parent=None)
    for ident, node in _table(blocs_tree, "codes", file, b):
        if ident not in fb.entities:
            b.fail(file, node.line if isinstance(node, Map) else 0,
                   f"codes for unknown entity {ident!r}{suggest(ident, fb.entities)}")
            continue
        if b.fields(node, CODE_FIELDS, file, f"codes of {ident!r}"):
            fb.entities[ident] = fb.entities[ident]._replace(
                **dict(zip(("ccode", "iso3", "iso2"), _codes(node, ident, file, b, codes),
                           strict=False)),
                line=node.line)
    for ident, node in _table(blocs_tree, "blocs", file, b):
        if not b.fields(node, BLOC_FIELDS, file, f"bloc {ident!r}"):
            continue
        name = b.text(node, "name", file)
        if name is None:
            continue
        if ident in fb.entities:
            b.fail(file, node.line, f"bloc id {ident!r} is also an entity id")
        formed = formed_cite = None
        f = node.get("formed")
        if f is not None and b.fields(f, FORMED_FIELDS, file, f"bloc {ident!r} formed"):
            formed_cite = b.citation(f, file, sources)
            cap = sources[formed_cite.source].published if formed_cite else None
            when = f.get("date") if "date" in f else Map(
                {k: f[k] for k in ("not_before", "not_after") if k in f})
            formed = b.date(when, file, f.line, cap)
        cites = []
        cited = node.get("cited") or []
        if not isinstance(cited, list):
            b.fail(file, node.key_lines["cited"], "'cited' must be a list of {source, quote}")
            cited = []
        for c in cited:
            if b.fields(c, CITE_FIELDS, file, f"a citation of bloc {ident!r}"):
                cite = b.citation(c, file, sources)
                if cite:
                    cites.append(cite)
        proposed = node.get("proposed", False)
        if not isinstance(proposed, bool):
            b.fail(file, node.key_lines["proposed"], "'proposed' must be true or false")
        if not cites and formed_cite is None:
            b.fail(file, node.line, f"bloc {ident!r} needs a 'cited' quote or a 'formed' citation")
        cow = node.get("cow")
        if cow is not None and not (isinstance(cow, str) and cow.isascii() and cow.isidentifier()):
            b.fail(file, node.key_lines["cow"], f"bloc {ident!r}: cow must be the bloc's COW IGO "
                                                "column name (letters, digits, _)")
            cow = None
        fb.blocs[ident] = Bloc(ident, name, _names(node, file, b), node.get("kind") or "bloc",
                               formed, formed_cite, proposed is True, tuple(cites), cow)
    for table, kind in ((fb.entities, "entity"), (fb.blocs, "bloc")):
        for ident, item in table.items():
            for n in (ident, item.name, *item.aliases):
                claim(n, kind, ident, 0)
    for ident, e in fb.entities.items():  # a state is found by its codes too (365, RUS, ru)
        for code in (e.ccode, e.iso3, e.iso2):
            if code is not None:
                claim(str(code), "entity", ident, e.line)
    fb.names = {k: v[:2] for k, v in names.items()}

    spans = b.spans
    for rank, key in enumerate(ITEM_SECTIONS):
        items = _list(blocs_tree, key, file, b)
        lines = items.item_lines if isinstance(items, Seq) else ()
        for node, line in zip(items, lines, strict=False):
            s0, r0, c0 = len(fb.statements), len(fb.rosters), fb.fact_count
            build_item(rank, node, fb, b)
            spans.append((rank, line, s0, len(fb.statements), r0, len(fb.rosters),
                           fb.fact_count - c0))
    return fb


# The top-level lists of blocs.yaml whose items are facts, in the order build() reads them
# (its statements are in this order: rosters' first, whatever the file's order).
ITEM_SECTIONS = ("rosters", "memberships", "recognitions")


def build_item(rank: int, node, fb: FactBase, b: Builder) -> None:
    """One item of the top-level list ITEM_SECTIONS[rank], checked against the sources,
    entities and blocs already in fb, its statements and roster appended to fb's: what
    build() does for each item, and all it does (an item's records depend on nothing
    else, so facts/items.py can build an edited item alone)."""
    if rank == 0:
        _roster(node, fb, b)
    else:
        _fact(node, fb, b, "membership" if rank == 1 else "recognition")


def _codes(node, ident: str, file: str, b: Builder, seen: dict) -> tuple:
    """COW state number and ISO 3166-1 codes of an entity, checked for form here (check
    verifies the ISO codes name a real country)."""
    ccode = node.get("ccode")
    if ccode is not None and (isinstance(ccode, bool) or not isinstance(ccode, int)
                              or ccode < 1):
        b.fail(file, node.key_lines["ccode"], f"entity {ident!r}: ccode must be a positive "
                                              "whole number (the COW state number)")
        ccode = None
    if ccode is not None:
        if ccode in seen:
            b.fail(file, node.key_lines["ccode"], f"entity {ident!r}: ccode {ccode} is "
                                                  f"already {seen[ccode]!r}'s")
        seen.setdefault(ccode, ident)
    out = [ccode]
    for key, n in (("iso3", 3), ("iso2", 2)):
        value = node.get(key)
        if value is not None and not (isinstance(value, str) and len(value) == n
                                      and value.isascii() and value.isalpha()
                                      and value.isupper()):
            b.fail(file, node.key_lines[key], f"entity {ident!r}: {key} must be {n} capital "
                                              f"letters (ISO 3166-1 alpha-{n}), not {value!r}")
            value = None
        out.append(value)
    return tuple(out)


def _table(tree, key, file, b):
    table = tree.get(key) if isinstance(tree, Map) else None
    if table is None:
        return []
    if not isinstance(table, Map):
        b.fail(file, tree.key_lines.get(key, 0), f"{key!r} must be a mapping of id to fields")
        return []
    return list(table.items())


def _list(tree, key, file, b):
    items = tree.get(key) if isinstance(tree, Map) else None
    if items is None:
        return []
    if not isinstance(items, Seq):
        b.fail(file, tree.key_lines.get(key, 0), f"{key!r} must be a list")
        return []
    return items


def _roster(node, fb: FactBase, b: Builder) -> None:
    file = BLOCS_FILE
    if not b.fields(node, ROSTER_FIELDS, file, "a roster"):
        return
    cite = b.citation(node, file, fb.sources)
    blocs = b.ids(node, "bloc", fb.blocs, file, "bloc")
    complete = node.get("complete", True)
    if not isinstance(complete, bool):
        b.fail(file, node.key_lines["complete"], "'complete' must be true or false")
    if cite is None or len(blocs) != 1:
        return
    stated = fb.sources[cite.source].published
    listed: set[str] = set()
    fb.fact_count += 1
    for key, status in (("members", "member"), ("observers", "observer"),
                        ("associates", "associate"), ("dialogue_partners", "dialogue-partner")):
        if key not in node:
            continue
        for state in b.ids(node, key, fb.entities, file, "entity"):
            listed.add(state)
            fb.statements.append(Statement("membership", state, blocs[0], status, None, None,
                                           stated, cite, roster=True))
    fb.rosters.append(Roster(blocs[0], cite, stated, frozenset(listed), complete is True))


def _fact(node, fb: FactBase, b: Builder, relation: str) -> None:
    file = BLOCS_FILE
    fields = MEMBERSHIP_FIELDS if relation == "membership" else RECOGNITION_FIELDS
    if not b.fields(node, fields, file, f"a {relation}"):
        return
    cite = b.citation(node, file, fb.sources)
    status = node.get("status")
    allowed = MEMBERSHIP_STATUSES if relation == "membership" else RECOGNITION_STATUSES
    if status not in allowed or not STATUSES[status].written:
        usable = [s for s in allowed if STATUSES[s].written]
        ended = {v: k for k, v in ENDED.items()}
        b.fail(file, node.key_lines["status"],
               f"status {status!r} is not one of: {', '.join(usable)}"
               + (f" (write status: {ended[status]} with 'until')" if status in ended else ""))
        status = None
    forecast = node.get("forecast", False)
    if not isinstance(forecast, bool):
        b.fail(file, node.key_lines["forecast"], "'forecast' must be true or false")
    objects = (b.ids(node, "bloc", fb.blocs, file, "bloc") if relation == "membership"
               else b.ids(node, "entity", fb.entities, file, "entity"))
    group = None
    subj = node.get("state")
    if isinstance(subj, Map) and relation == "membership":
        b.fail(file, subj.line, "a group of states is for recognitions; list the states of a "
                                "membership by id")
        subj = None
        subjects = []
    elif isinstance(subj, Map):
        if b.fields(subj, {"members_of": False, "except": False, "all_states": False}, file,
                    "a group of states"):
            if "all_states" in subj:
                if (subj["all_states"] is not True or "members_of" in subj
                        or relation != "recognition"):
                    b.fail(file, subj.line, "'all_states: true' (with optional 'except') is "
                                            "for a recognition (\"were not recognized\" by "
                                            "anyone, \"only Nicaragua has followed\")")
                else:
                    ex = (b.ids(subj, "except", fb.entities, file, "entity") if "except" in subj
                          else [])
                    group = Group(None, tuple(ex), True)
            elif "members_of" not in subj:
                b.fail(file, subj.line, "a group of states needs 'members_of: BLOC' (with "
                                        "optional 'except') or 'all_states: true'")
            else:
                g = b.ids(subj, "members_of", fb.blocs, file, "bloc")
                ex = (b.ids(subj, "except", fb.entities, file, "entity") if "except" in subj
                      else [])
                if g:
                    group = Group(g[0], tuple(ex))
        # (a group names its bloc unless it is everyone)
        subjects = [EVERYONE if group.everyone else cast(str, group.bloc)] if group else []
    else:
        subjects = b.ids(node, "state", fb.entities, file, "entity")
    if cite is None or status is None:
        return
    stated = fb.sources[cite.source].published
    cap = None if forecast is True else stated
    since = until = None
    if "since" in node:
        since = b.date(node["since"], file, node.key_lines["since"], cap)
    if "until" in node:
        until = b.date(node["until"], file, node.key_lines["until"], cap)
    if since and until and since.earliest > until.latest:
        b.fail(file, node.key_lines["since"], f"since {since} is after until {until}")
        return
    fb.fact_count += 1
    for s in subjects:
        for o in objects:
            fb.statements.append(Statement(relation, s, o, status, since, until, stated, cite,
                                           group=group, forecast=forecast is True))
            if until is not None and status in ENDED:
                # A member (recognizes) statement with `until` also says the state was a
                # former member (had withdrawn its recognition) from then on, as of the
                # article's date.
                # (an end is never before its start: "recognised in 2011 ... has
                # withdrawn" ends no earlier than 2011)
                ended_since = until
                if since is not None and since.earliest > until.earliest:
                    ended_since = bounds(since.earliest, until.latest)
                fb.statements.append(Statement(relation, s, o, ENDED[status], ended_since, None,
                                               stated, cite, group=group,
                                               forecast=forecast is True))


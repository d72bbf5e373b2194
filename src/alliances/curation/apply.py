"""`alliances apply FILE`: merge reviewed proposals (a draft) into a fact base's blocs.yaml.

The file is edited as text, never re-emitted: every line already there stays as it was
(comments, layout, key order), new entries are inserted at the end of the section they
belong to (a section the file lacks is added at its end, an empty `rosters: []` becomes a
block), and a key or an entry that is already there is left alone, so applying the same
draft twice adds nothing the second time. Before anything is written:

- every proposal's quote must be in its article (as `check` compares them: whitespace,
  typographic quotes and dashes folded, nothing else), else the whole apply is refused;
- the merged file must load (strict YAML, every id resolves, the documented statuses).

`--dry-run` prints the change as a unified diff and writes nothing.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from typing import TYPE_CHECKING

from .curate import CurateError, yaml_str

if TYPE_CHECKING:
    from typing import Any

MAPPINGS = ("entities", "codes", "blocs")
LISTS = ("rosters", "memberships", "recognitions")
ORDER = {
    "rosters": ("bloc", "source", "quote", "members", "observers", "associates",
                "dialogue_partners", "complete", "note"),
    "memberships": ("state", "bloc", "status", "since", "until", "source", "quote", "note",
                    "forecast"),
    "recognitions": ("state", "entity", "status", "since", "until", "source", "quote", "note",
                     "forecast"),
}


def write_replacing(path: str, text: str, expected: str | None = None) -> None:
    """Replace a file with new text through output/files.py (locked, atomic, owner and mode
    kept, no planted symlink followed). With `expected`, the file must still hold that
    text under the lock (else another writer got there first: refused, nothing written)."""
    from ..facts.load import DataError, decode, read_bytes
    from ..output.files import WriteError, locked, replace_file

    name = os.path.basename(path)
    try:
        with locked(os.path.dirname(os.path.realpath(path))):
            try:
                raw = read_bytes(path, name)
                now = decode(raw, name)
            except DataError as e:
                raise CurateError(str(e)) from None
            if expected is not None and now != expected:
                raise CurateError(f"{name} changed while this apply ran; nothing was "
                                  "applied: run it again")
            # the text was read without its byte-order mark (if any): it is kept
            bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
            replace_file(path, bom + text, expect_exists=True)
    except WriteError as e:
        raise CurateError(str(e)) from None


# -- emitting YAML in the file's own style ----------------------------------------------------
def _scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str) and re.fullmatch(r"[a-z][a-z0-9_-]*", v) and v not in (
            "true", "false", "null", "yes", "no", "on", "off"):
        return v
    return yaml_str(str(v))


def _flow(v) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_flow(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_flow(x)}" for k, x in v.items()) + "}"
    return _scalar(v)


def _entry_lines(section: str, entry: dict, indent: int) -> list[str]:
    keys = [k for k in ORDER[section] if k in entry] + [k for k in entry
                                                       if k not in ORDER[section]]
    out = []
    for n, k in enumerate(keys):
        lead = " " * indent + ("- " if n == 0 else "  ")
        v = entry[k]
        text = yaml_str(v) if k in ("quote", "note", "source") and isinstance(v, str) else \
            yaml_str(v) if k in ("since", "until") and isinstance(v, str) else _flow(v)
        out.append(f"{lead}{k}: {text}")
    return out


def _mapping_lines(section: str, key: str, value, indent: int) -> list[str]:
    pad = " " * indent
    if section in ("entities", "codes") or not isinstance(value, dict):
        return [f"{pad}{key}: {_flow(value)}"]
    out = [f"{pad}{key}:"]
    for k, v in value.items():
        if k == "cited" and isinstance(v, list):
            out.append(f"{pad}  cited:")
            for c in v:
                first = True
                for ck, cv in c.items():
                    out.append(f"{pad}    {'- ' if first else '  '}{ck}: "
                               f"{yaml_str(cv) if isinstance(cv, str) else _flow(cv)}")
                    first = False
        else:
            out.append(f"{pad}  {k}: {_flow(v)}")
    return out


# -- where things go in the target text ------------------------------------------------------
def _sections(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Top-level key -> (its line index, the index after its block's last content line)."""
    tops = [(i, m.group(1)) for i, ln in enumerate(lines)
            if (m := re.match(r"([A-Za-z_][\w-]*)\s*:", ln))]
    out = {}
    for n, (i, key) in enumerate(tops):
        nxt = tops[n + 1][0] if n + 1 < len(tops) else len(lines)
        end = i + 1
        for j in range(i + 1, nxt):
            if lines[j].strip() and lines[j].startswith((" ", "\t")):
                end = j + 1       # the last indented line: comments after it stay after
        out[key] = (i, end)
    return out


def _indent(lines: list[str], start: int, end: int, default: int) -> int:
    for j in range(start + 1, end):
        m = re.match(r"( +)(?:- )?\S", lines[j])
        if m and not lines[j].lstrip().startswith("#"):
            return len(m.group(1))
    return default


def _same(a, b) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True,
                                                                    default=str)


# -- the merge -------------------------------------------------------------------------------
def merge(target_text: str, draft_tree) -> tuple[str, dict]:
    """The target's text with the draft's new keys and entries added; and what was done."""
    from ..facts.load import parse_yaml

    tree = parse_yaml(target_text, "blocs.yaml") or {}
    newline = "\r\n" if "\r\n" in target_text else "\n"
    lines = target_text.splitlines()
    done: dict[str, Any] = {"added": 0, "kept": 0, "sections": []}
    inserts: dict[int, list[str]] = {}
    appended: list[str] = []
    secs = _sections(lines)
    for section in (*MAPPINGS, *LISTS):
        new = draft_tree.get(section)
        if not new:
            continue
        have = tree.get(section)
        add: list[str] = []
        if section in MAPPINGS:
            if not isinstance(new, dict):
                raise CurateError(f"the draft's {section}: is not a mapping of ids")
            have = have if isinstance(have, dict) else {}
            indent = _indent(lines, *secs[section], 2) if section in secs else 2
            for key, value in new.items():
                if key in have:
                    done["kept"] += 1
                    continue
                add += _mapping_lines(section, key, value, indent)
                done["added"] += 1
        else:
            if not isinstance(new, list):
                raise CurateError(f"the draft's {section}: is not a list of entries")
            have = have if isinstance(have, list) else []
            indent = _indent(lines, *secs[section], 2) if section in secs else 2
            for entry in new:
                if any(_same(entry, h) for h in have):
                    done["kept"] += 1
                    continue
                add += _entry_lines(section, dict(entry), indent)
                done["added"] += 1
        if not add:
            continue
        done["sections"].append(section)
        if section in secs:
            i, end = secs[section]
            value = lines[i].split(":", 1)[1].split("#", 1)[0].strip()
            if value in ("[]", "{}", "null", "~"):
                lines[i] = f"{section}:"   # `rosters: []`: the empty value becomes a block
            elif value:
                raise CurateError(f"blocs.yaml:{i + 1}: {section}: is written on one line; "
                                  "write it as an indented block so entries can be added")
            inserts.setdefault(end, []).extend(add)
        else:
            appended += ["", f"{section}:", *add]
    out = []
    for j, line in enumerate(lines):
        out.extend(inserts.pop(j, []))
        out.append(line)
    out.extend(inserts.pop(len(lines), []))
    out.extend(appended)
    text = newline.join(out) + newline
    return text, done


def apply(data_dir: str, draft_text: str, label: str, dry_run: bool) -> dict:
    """Merge a reviewed draft into DATA_DIR/blocs.yaml; refuse before writing anything when
    a quote is not in its article or the result would not load."""
    from ..facts.load import DataError, parse_yaml, read_text, read_yaml
    from ..facts.model import BLOCS_FILE, SOURCES_FILE
    from ..facts.paths import inside, source_text
    from ..facts.store import build_factbase
    from ..facts.validate import Builder, build, build_sources
    from ..facts.verify import normalise

    try:
        draft_tree = parse_yaml(draft_text, label)
    except DataError as e:
        raise CurateError(f"{label}:{e.line}: {e.message}") from None
    if not isinstance(draft_tree, dict):
        raise CurateError(f"{label}: not a draft (expected sections such as memberships:)")
    unknown = sorted(set(draft_tree) - set(MAPPINGS) - set(LISTS) - {"schema"})
    if unknown:
        raise CurateError(f"{label}: unknown section {unknown[0]!r}: a draft has "
                          f"{', '.join((*MAPPINGS, *LISTS))}")
    fb, _ = build_factbase(data_dir)       # the fact base must load before we add to it
    texts: dict[str, str] = {}
    for section in LISTS + ("blocs",):
        items: Any = draft_tree.get(section) or []
        if section == "blocs":
            items = [dict(c, _where=f"blocs: {k}") for k, b in (items or {}).items()
                     if isinstance(b, dict) for c in (b.get("cited") or [])
                     if isinstance(c, dict)]
        for n, entry in enumerate(items):
            if not isinstance(entry, dict) or "quote" not in entry or "source" not in entry:
                raise CurateError(f"{label}: {section} entry {n + 1} has no source and quote")
            sid = entry["source"]
            line = (draft_tree[section].item_lines[n] if section != "blocs"
                    and hasattr(draft_tree[section], "item_lines") else None)
            where = f"{label}:{line}" if line else f"{label} ({entry.get('_where', section)})"
            if sid not in fb.sources:
                raise CurateError(f"{where}: unknown source {sid!r}: add the article first "
                                  "(alliances add-article)")
            if sid not in texts:
                texts[sid] = normalise(source_text(fb, fb.sources[sid]))
            if normalise(str(entry["quote"])) not in texts[sid]:
                raise CurateError(f"{where}: the quote is not in source {sid!r}: "
                                  f"\u201c{str(entry['quote'])[:80]}\u201d (copy the exact words "
                                  f"with `alliances quote {sid} ...`); nothing was applied")
    path = os.path.join(data_dir, BLOCS_FILE)
    old = read_text(path, BLOCS_FILE)
    new, done = merge(old, draft_tree)
    # the merged file must load as a fact base, as `check` and every query will read it
    b = Builder(data_dir, strict=False)
    try:
        sources = build_sources(read_yaml(inside(data_dir, SOURCES_FILE, SOURCES_FILE),
                                          SOURCES_FILE), b)
        build(parse_yaml(new, BLOCS_FILE), sources, b)
    except DataError as e:
        b.problems.append(e)
    if b.problems:
        p = b.problems[0]
        raise CurateError(f"the merged blocs.yaml would not load: {p.file}:{p.line}: "
                          f"{p.message}; nothing was applied")
    diff = "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                        f"a/{BLOCS_FILE}", f"b/{BLOCS_FILE}"))
    if not dry_run and new != old:
        write_replacing(path, new, old)
        from ..output.files import sweep

        sweep(os.path.join(data_dir, "sources"))  # what a killed add-article left there
    return {**done, "diff": diff, "changed": new != old}

"""The proposals as blocs.yaml sections, or as rows."""

from __future__ import annotations

import re

from ..curate import yaml_str as _q  # one YAML quoting for every writer
from .rules import ROSTER_KEYS, Draft


# -- output ------------------------------------------------------------------------------
def _id(value) -> str:
    return value if re.fullmatch(r"[a-z0-9][a-z0-9_-]*", value) else _q(value)


def _val(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_id(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = []
        for k, v in value.items():
            if isinstance(v, bool):
                inner.append(f"{k}: {'true' if v else 'false'}")
            elif k in ("not_before", "not_after"):
                inner.append(f"{k}: {_q(v)}")
            else:
                inner.append(f"{k}: {_val(v)}")
        return "{" + ", ".join(inner) + "}"
    return _id(value)


def _comment(text: str) -> str:
    from ...output.render import clean

    return clean(" ".join(str(text).split()))


ORDER = {"rosters": ("bloc", "source", "quote", "members", "observers", "associates",
                     "dialogue_partners", "complete", "note"),
         "memberships": ("state", "bloc", "status", "since", "until", "forecast", "source",
                         "quote", "note"),
         "recognitions": ("state", "entity", "status", "since", "until", "forecast", "source",
                          "quote", "note")}


def to_yaml(d: Draft, source, new_blocs: dict | None = None) -> str:
    """The proposals as blocs.yaml sections, each entry with a `# review:` comment; blocs
    the data lacks (`new_blocs`, from with_known_blocs) come first, cited by the article."""
    new_blocs = new_blocs or {}
    lines = [
        f"# Draft from source {source.id!r} ({_comment(source.title)}), published "
        f"{source.published.label}, by `alliances draft`.",
        "# Proposals only, written nowhere: review each entry against the article (the quote",
        "# is the whole sentence: trim it to the words that state the fact), fix or delete it,",
        "# then merge it with `alliances apply FILE --data DIR` (--dry-run shows the change)",
        "# and run `alliances check`.",
    ]
    if d.new_states:
        lines.append("# States the article names that the data does not have yet, with their ISO "
                     "codes")
        lines.append("# (pycountry). No COW list comes with this tool: add `ccode` yourself "
                     "(review):")
        lines.append("entities:")
        for ident, info in d.new_states.items():
            lines.append(f"  {ident}: {{name: {_q(info['name'])}}}")
        lines.append("codes:")
        for ident, info in d.new_states.items():
            lines.append(f"  {ident}: {{iso3: {_q(info['iso3'])}, iso2: {_q(info['iso2'])}}}")
    for section in ("rosters", "memberships", "recognitions"):
        entries = getattr(d, section)
        if not entries:
            lines.append(f"{section}: []")
            continue
        lines.append(f"{section}:")
        for e in entries:
            lines.append(f"  # review (line {e['_line']}): {_comment(e['_rule'])}")
            first = True
            for key in ORDER[section]:
                if key not in e:
                    continue
                v = e[key]
                if key in ("source", "quote", "note"):
                    text = _q(v)
                elif key in ("complete", "forecast"):
                    text = "true" if v else "false"
                elif key in ("since", "until"):
                    text = _q(v) if isinstance(v, str) else _val(v)
                else:
                    text = _val(v)
                lines.append(f"  {'- ' if first else '  '}{key}: {text}")
                first = False
    if new_blocs:
        used: dict[str, dict] = {}
        for entries in (d.rosters, d.memberships):
            for e in entries:
                for b in (e["bloc"] if isinstance(e["bloc"], list) else [e["bloc"]]):
                    used.setdefault(b, e)
        cited = [b for b in new_blocs.values() if b.id in used]
        if cited:
            lines.append("# Blocs the article names that the data does not have yet, with the "
                         "article's")
            lines.append("# sentence as their citation (review):")
            lines.append("blocs:")
            for b in cited:
                e = used[b.id]
                lines.append(f"  # review (line {e['_line']}): named by the article")
                lines.append(f"  {b.id}:")
                lines.append(f"    name: {_q(b.name)}")
                if b.aliases:
                    lines.append(f"    aliases: [{', '.join(_q(a) for a in b.aliases)}]")
                lines.append(f"    kind: {_q(b.kind)}")
                if b.cow:
                    lines.append(f"    cow: {_q(b.cow)}")
                lines.append("    cited:")
                lines.append(f"      - source: {_q(e['source'])}")
                lines.append(f"        quote: {_q(e['quote'])}")
    if d.unread:
        lines.append("# Could not read: these sentences name a bloc, a state or a region "
                     "with a word of")
        lines.append("# membership or recognition, and no rule read them, or read them only "
                     "in part (what")
        lines.append("# the proposals leave out after 'read in part'; the names found in "
                     "brackets).")
        lines.append("# Read them yourself:")
        for u in d.unread:
            names = (" " + _comment(f"[names: {', '.join(u['names'])}]")
                     if u.get("names") else "")
            part = f" (read in part: {_comment(u['partly'])})" if u.get("partly") else ""
            lines.append(f"#   line {u['line']}{part}: {_comment(_q(u['text']))}{names}")
    return "\n".join(lines) + "\n"


def rows(d: Draft) -> list[dict]:
    """One row per candidate statement (for --format json)."""
    out = []
    for section, kind in (("rosters", None), ("memberships", "bloc"),
                          ("recognitions", "entity")):
        for e in getattr(d, section):
            base = {"section": section, "line": e["_line"], "rule": e["_rule"],
                    "quote": e["quote"], "note": e.get("note")}
            if section == "rosters":
                for key, status in ROSTER_KEYS:
                    for s in e.get(key, []):
                        out.append({**base, "state": s, "object": e["bloc"], "status": status,
                                    "since": None, "until": None,
                                    "complete": e.get("complete", True)})
                continue
            states = e["state"] if isinstance(e["state"], list) else [e["state"]]
            objects = e[kind] if isinstance(e[kind], list) else [e[kind]]
            for s in states:
                for o in objects:
                    out.append({**base, "state": s, "object": o, "status": e["status"],
                                "since": e.get("since"), "until": e.get("until")})
    for ident, info in d.new_states.items():
        out.append({"section": "entities", "line": None, "rule": "a state the data lacks",
                    "quote": None, "note": None, "state": ident, "object": None,
                    "status": "new-state", "since": None, "until": None,
                    "name": info["name"], "iso3": info["iso3"], "iso2": info["iso2"]})
    for u in d.unread:
        out.append({"section": "unread", "line": u["line"], "rule": "could not read",
                    "quote": u["text"], "note": None, "state": None, "object": None,
                    "status": None, "since": None, "until": None,
                    "names": u.get("names", []), "partly": u.get("partly")})
    return out



"""The sources as bibliography entries: BibTeX and CSL JSON (`alliances sources`)."""

from __future__ import annotations

import re

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_BIB_SPECIAL = re.compile(r"[\\{}%&#_$~^]")
_BIB_ESCAPE = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&",
               "#": r"\#", "_": r"\_", "$": r"\$", "~": r"\textasciitilde{}",
               "^": r"\textasciicircum{}"}
_ROLE = re.compile(r"\s*\([^()]*\)\s*$")


def bib_escape(text: str) -> str:
    """A value safe inside BibTeX braces: the ten special characters escaped, whitespace
    (newlines included) folded to single spaces."""
    text = " ".join(str(text).split())
    return _BIB_SPECIAL.sub(lambda m: _BIB_ESCAPE[m[0]], text)


def split_authors(author: str | None) -> list[str]:
    """"Conor Sweeney (reporting); Oleg Shchedrov (writing)" -> ["Conor Sweeney",
    "Oleg Shchedrov"]: split on ";", a trailing role in parentheses dropped. The full credit
    line stays in the source's `author` field of every export."""
    if not author:
        return []
    out = []
    for part in author.split(";"):
        name = " ".join(_ROLE.sub("", part).split())
        if name:
            out.append(name)
    return out


def _ends(r) -> tuple[str | None, str | None]:
    """A DateRange as EDTF-style (start, end) partial dates; None for an open end; the same
    string twice for a plain partial date."""
    return r.start, r.end


def _parts(partial: str) -> list[int]:
    return [int(p) for p in partial.split("-")]


def bibtex(fb) -> str:
    """One @article per source, for BibTeX and BibLaTeX.

    Fields, each omitted when the source has no value: author (names joined with " and ",
    roles dropped, see split_authors), title (double-braced so styles keep the headline's
    capitals), journal (the publisher), year and month (only when the date's possible days
    all share them), date (BibLaTeX, EDTF: "2008-09-04", or "2008-09-04/2008-09-05" for a
    date known only within bounds), url (only when sources.yaml gives one) and annote (the
    date_note: how the date and credits were established; an annotation for the curator,
    which citation styles do not print in a reference list). Nothing is invented."""
    entries = []
    for s in fb.sources.values():
        fields: list[tuple[str, str]] = []
        names = split_authors(s.author)
        if names:
            fields.append(("author", " and ".join(
                f"{{{bib_escape(n)}}}" if re.search(r"\sand\s", n, re.I) else bib_escape(n)
                for n in names)))
        fields.append(("title", f"{{{bib_escape(s.title)}}}"))
        if s.publisher:
            fields.append(("journal", bib_escape(s.publisher)))
        lo, hi = _ends(s.published)
        if lo is not None and hi is not None:
            a, b = _parts(lo), _parts(hi)
            if a[0] == b[0]:
                fields.append(("year", str(a[0])))
                if len(a) > 1 and len(b) > 1 and a[1] == b[1]:
                    fields.append(("month", _MONTHS[a[1] - 1]))
            fields.append(("date", lo if lo == hi else f"{lo}/{hi}"))
        if s.url:
            fields.append(("url", s.url.replace("{", "%7B").replace("}", "%7D")))
        if s.date_note:
            fields.append(("annote", bib_escape(" ".join(s.date_note.split()))))
        key = re.sub(r"[^A-Za-z0-9_:.\-]", "-", s.id)
        lines = [f"@article{{{key},"]
        for name, value in fields:
            rendered = value if name == "month" else f"{{{value}}}"
            lines.append(f"  {name} = {rendered},")
        lines[-1] = lines[-1].rstrip(",")
        lines.append("}")
        entries.append("\n".join(lines))
    return "\n\n".join(entries) + "\n" if entries else ""


def csl_item(s) -> dict:
    """One source as a CSL-JSON item (article-newspaper)."""
    item: dict = {"id": s.id, "type": "article-newspaper", "title": s.title}
    names = split_authors(s.author)
    if names:
        item["author"] = [{"literal": n} for n in names]
    if s.publisher:
        item["container-title"] = s.publisher
        item["publisher"] = s.publisher
    lo, hi = _ends(s.published)
    if lo is not None and hi is not None:
        item["issued"] = {"date-parts": [_parts(lo)] if lo == hi else [_parts(lo), _parts(hi)]}
    else:
        item["issued"] = {"literal": s.published.label}
    if s.date_note:
        item["annote"] = " ".join(s.date_note.split())
    if s.url:
        item["URL"] = s.url
    return item


def csl_json(fb) -> str:
    """A CSL-JSON array of every source (for pandoc --citeproc, Zotero, citeproc-js).

    type article-newspaper; author as [{"literal": name}] (split as split_authors does);
    container-title and publisher are the publisher; issued is {"date-parts": [[y, m, d]]},
    or two date-parts ([[2008, 9, 4], [2008, 9, 5]]) for a date known within bounds; annote
    is the date_note (not printed by citation styles); URL only when sources.yaml gives
    one."""
    from .render import to_json

    return to_json([csl_item(s) for s in fb.sources.values()]) + "\n"

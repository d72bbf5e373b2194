"""Growing a fact base: start one (`init`), add an article (`add-article`), and find the
exact words to quote (`quote`).

The rule these follow is the one curated-data projects live by: make the right edit easy
and the wrong one impossible to miss. An article is stored byte for byte with its SHA-256,
so `check` can tell when a text changed under its quotes; sources.yaml is only ever
appended to, never re-emitted, so a curator's comments and layout stay as they wrote them.
None of this is imported by a query.
"""

from __future__ import annotations

import hashlib
import json
import os
import re

from ..facts.load import DataError, Map, decode, parse_yaml, read_bytes
from ..facts.model import BLOCS_FILE, SOURCES_FILE
from ..facts.text import PLAIN, sentence_spans

ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class CurateError(Exception):
    """A refusal with the reason and the fix, in one line (exit 1)."""


def yaml_str(text: str) -> str:
    """A YAML double-quoted scalar: JSON's escapes (valid YAML), plus an escape for every
    character a reader could not see or that YAML treats as a line break."""
    out = json.dumps(text, ensure_ascii=False)
    return "".join(c if c.isprintable() else (f"\\u{ord(c):04x}" if ord(c) < 0x10000
                                               else f"\\U{ord(c):08x}") for c in out)


# -- init ------------------------------------------------------------------------------------
BLOCS_HEAD = """\
# Curated facts, each as one article states it (the rules: README.md in this directory).
#
# `source` is an id from sources/sources.yaml and `quote` is a verbatim passage of that
# article: `alliances check` proves it is there (`alliances quote SOURCE "..."` finds the
# exact words). Dates are partial (YYYY, YYYY-MM, YYYY-MM-DD) or bounds {not_before,
# not_after}, never more precise than the article allows; a `note` says how a date was
# derived ("last month" in an article of 2008-09-04 is {not_before: 2008-08, not_after:
# 2008-08}). A list of members is the article's claim at its own date, nothing more.
#
# Sections: entities, codes (COW ccode, ISO iso3/iso2), blocs (each cited by an article),
# then the facts: rosters (an article's list of a bloc's members), memberships and
# recognitions. `alliances draft SOURCE` proposes blocs and facts from an article for you
# to review and paste at the end of this file.
schema: 1
"""

FACT_EXAMPLES = """
# Facts go below, in three sections. Commented examples of each shape:
#
# rosters:
#   - bloc: csto
#     source: my-article
#     quote: "the CSTO, which comprises Russia, Armenia and Belarus"
#     members: [russia, armenia, belarus]
#     complete: false          # the list may leave members out
#
# memberships:
#   - state: uzbekistan
#     bloc: csto
#     status: member           # member, associate, observer, partner, aspirant, proposed,
#     until: "1999"            # non-member; leaving is a member with `until` (former-member
#     source: my-article       # is derived from it, never written)
#     quote: "Uzbekistan withdrew from the treaty in 1999"
#
# recognitions:
#   - state: nicaragua
#     entity: abkhazia
#     status: recognizes       # recognizes, does-not-recognize, not-yet
#     since: {not_before: "2008-08", not_after: "2008-08"}
#     source: my-article
#     quote: "Nicaragua recognised the two regions last month"
#     note: "'last month' in an article of 2008-09-04: August 2008"
"""

SOURCES_TEXT = """\
# Metadata for the source articles. Each text file beside this one is the article exactly
# as archived; add one with `alliances add-article FILE --id ID ...`, which stores the text
# byte for byte and appends its entry here (this file is never rewritten). `published` is a
# partial date or bounds {not_before, not_after}; `date_note` says how it was established;
# `sha256` is the digest of the text when it was added: `alliances check` fails when the
# text no longer matches it.
#
#   my-article:
#     file: my-article.txt
#     sha256: <written by add-article>
#     title: "Title as the article gives it"
#     publisher: null
#     author: null
#     published: "2008-09-04"
#     date_note: "Dateline 'September 4, 2008'."
schema: 1
sources:
"""

README_TEXT = """\
# A fact base for `alliances`

Use it with `--data {path}` or `export ALLIANCES_DATA={path}`.

The loop, each step through the CLI:

    alliances add-article article.txt --id my-article --title "..." \\
        --published 2008-09-04 --date-note "Dateline 'September 4, 2008'." --data {path}
    alliances draft my-article --data {path}       # candidate facts, to review
    alliances quote my-article "what you remember of a sentence" --data {path}
    # paste the reviewed facts into blocs.yaml
    alliances check --data {path}                  # every quote, date and reference
    alliances members CSTO --data {path}

The rules (the project README, "Curating facts"):
- Read each article whole first. Record what it says, as it says it: a list of members
  is a claim by that article at its date, not a timeless truth.
- Never invent: no fact without a verbatim quote, no date more precise than the text
  allows ("last month" in a 4 Sept 2008 article is August 2008), and a `note` that says
  how a derived date was reached. No URLs or names the articles do not give.
- When articles disagree, keep both: the tool shows the disagreement.
- Never edit an article's text after adding it: `check` compares it with its sha256.
"""


def init_dir(path: str, empty: bool = False) -> list[str]:
    """Write a new data directory at `path`; return the files written. The shipped data's
    states and their codes come along unless `empty`: names are not facts. Blocs do not,
    since a bloc is cited by an article (`alliances draft` proposes one, quoting yours).
    The directory is built beside `path` and put in place whole (output/files.py): an init
    that fails or is interrupted leaves nothing behind."""
    from ..output.files import WriteError, replace_dir

    try:
        target = os.path.abspath(os.path.expanduser(path))
        os.fsencode(target)
    except (OSError, ValueError, UnicodeError) as e:
        raise CurateError(f"{_shown(path)}: not a usable directory name ({e})") from None
    if os.path.islink(target) and not os.path.exists(target):
        raise CurateError(f"{_shown(path)}: is a symlink to {os.readlink(target)!r}, which "
                          "does not exist; choose a new directory")
    if os.path.exists(target) and not os.path.isdir(target):
        raise CurateError(f"{_shown(path)}: exists and is not a directory; choose a new "
                          "directory")
    try:
        if os.path.isdir(target) and os.listdir(target):
            raise CurateError(f"{_shown(path)}: directory is not empty; choose a new or empty "
                              "directory (init never overwrites a fact base)")
    except OSError as e:
        raise CurateError(f"{_shown(path)}: {e.strerror or e}") from None
    names = ("\nentities:\n#  russia: {name: Russia, aliases: [Russian Federation]}\n"
             if empty else _shipped_names())
    blocs = BLOCS_HEAD + names + BLOC_EXAMPLE + FACT_EXAMPLES
    files = ((BLOCS_FILE, blocs), (SOURCES_FILE, SOURCES_TEXT),
             ("README.md", README_TEXT.format(path=_shown(path))))

    def fill(tmp: str) -> None:
        os.mkdir(os.path.join(tmp, "sources"), 0o777 & ~_umask())
        for rel, text in files:
            with open(os.path.join(tmp, rel), "x", encoding="utf-8") as fh:
                fh.write(text)

    try:
        replace_dir(target, fill, expect_exists=False)
    except WriteError as e:
        raise CurateError(_shown(str(e))) from None
    return [rel for rel, _ in files]


def _shown(text: str) -> str:
    """A path as text that can be printed (undecodable bytes escaped)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8") if isinstance(text, str) \
        else str(text)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


BLOC_EXAMPLE = """
# blocs:
#   csto:
#     name: Collective Security Treaty Organization
#     aliases: [CSTO, ODKB]
#     kind: military alliance
#     cow: csto                # its column in the COW IGO data (alliances crosscheck)
#     cited:
#       - source: my-article
#         quote: "the Collective Security Treaty Organization (CSTO)"
"""


def _shipped_names() -> str:
    """entities and codes of the shipped data, one line each."""
    from ..facts.paths import default_data_dir
    from ..facts.store import build_factbase

    fb = build_factbase(default_data_dir())[0]
    out = ["\n# The states and regions the shipped data names, with their codes (no facts).",
           "entities:"]
    for e in fb.entities.values():
        fields = [f"name: {yaml_str(e.name)}"]
        if e.aliases:
            fields.append("aliases: [" + ", ".join(yaml_str(a) for a in e.aliases) + "]")
        if e.kind != "state":
            fields.append(f"kind: {yaml_str(e.kind)}")
        if e.parent is not None:
            fields.append(f"parent: {e.parent}")
        if e.exists_from is not None:
            fields.append(f"exists_from: {yaml_str(e.exists_from)}")
        out.append(f"  {e.id}: {{{', '.join(fields)}}}")
    out += ["", "codes:"]
    for e in fb.entities.values():
        codes = [f"{k}: {v if k == 'ccode' else yaml_str(str(v))}"
                 for k, v in (("ccode", e.ccode), ("iso3", e.iso3), ("iso2", e.iso2))
                 if v is not None]
        if codes:
            out.append(f"  {e.id}: {{{', '.join(codes)}}}")
    return "\n".join(out) + "\n"


# -- add-article -----------------------------------------------------------------------------
MAX_ID = 64  # characters of a source id (it is also a file name)


def add_article(data_dir: str, raw: bytes, meta: dict) -> dict:
    """Store an article's bytes as sources/ID.txt and append its entry to sources.yaml.

    Refuses an id or a text already there, a text that is not UTF-8, and metadata the
    loader would reject: the appended file is validated before anything is written.
    Under the lock of the sources directory (output/files.py), so that two add-article at
    once both land; sources.yaml keeps its bytes (BOM, line endings) with the entry added,
    and both files are replaced atomically: a failure leaves neither."""
    from ..output.files import WriteError, locked

    sid = meta["id"]
    if not ID.match(sid) or len(sid) > MAX_ID:
        raise CurateError(f"--id {sid[:80]!r}{'…' if len(sid) > 80 else ''}: use at most "
                          f"{MAX_ID} lowercase letters, digits and hyphens (e.g. reuters-2008)")
    if not raw.strip():
        raise CurateError("the article text is empty")
    try:
        decode(raw, "the article")
    except DataError as e:
        raise CurateError(f"the article text is {e.message}: save it as UTF-8") from None
    try:
        with locked(os.path.join(data_dir, "sources")):
            return _add_locked(data_dir, raw, meta, sid)
    except WriteError as e:
        raise CurateError(str(e)) from None


def _add_locked(data_dir: str, raw: bytes, meta: dict, sid: str) -> dict:
    from ..facts.dates import DateError, parse_partial, parse_period, split_interval
    from ..facts.paths import read_source
    from ..facts.store import build_factbase
    from ..facts.validate import Builder, build_sources
    from ..output.files import replace_file, signals_held, undone_on_signals

    sources_path = os.path.join(data_dir, SOURCES_FILE)
    old_raw = read_bytes(sources_path, SOURCES_FILE)
    text = decode(old_raw, SOURCES_FILE)
    fb, _ = build_factbase(data_dir)  # the data must load before we add to it
    if sid in fb.sources:
        raise CurateError(f"source id {sid!r} is already in {SOURCES_FILE} (line "
                          f"{fb.sources[sid].line}); choose another --id")
    digest = hashlib.sha256(raw).hexdigest()
    for other in fb.sources.values():
        try:
            _, other_raw, _ = read_source(fb, other)
        except DataError:
            continue
        if hashlib.sha256(other_raw).hexdigest() == digest:
            raise CurateError(f"this text is already in the fact base as source {other.id!r} "
                              f"(sources/{other.file}); cite that id instead")
    fname = f"{sid}.txt"
    text_path = os.path.join(data_dir, "sources", fname)
    leftover = False
    if os.path.lexists(text_path):
        # The very bytes, named by no entry: an add-article killed between its two writes.
        try:
            leftover = not os.path.islink(text_path) and read_bytes(text_path, fname) == raw
        except DataError:
            leftover = False
        if not leftover:
            raise CurateError(f"sources/{fname} already exists; choose another --id")
    try:
        published = meta["published"]
        ends = split_interval(published)  # A..B or EDTF's A/B
        period = parse_period(published) if ends else parse_partial(published)
    except DateError as e:
        raise CurateError(f"--published: {e} (or an interval A..B when the text does not "
                          "fix the day)") from None
    if ends:
        lo, hi = (e.strip() for e in ends)
        if not lo or not hi:
            raise CurateError("--published: an interval needs both ends (A..B): an article "
                              "is published on a day within known bounds")
        when = f"{{not_before: {yaml_str(lo)}, not_after: {yaml_str(hi)}}}"
    else:
        when = yaml_str(period.label)

    indent = _entry_indent(text, sources_path)
    pad, field = " " * indent, " " * (indent + 2)
    lines = [f"{pad}{sid}:", f"{field}file: {fname}", f"{field}sha256: {digest}",
             f"{field}title: {yaml_str(meta['title'])}"]
    for key in ("publisher", "author"):
        lines.append(f"{field}{key}: {yaml_str(meta[key]) if meta.get(key) else 'null'}")
    lines.append(f"{field}published: {when}")
    lines.append(f"{field}date_note: {yaml_str(meta['date_note'])}")
    for key in ("url", "retrieved_from", "copy_note"):
        if meta.get(key):
            lines.append(f"{field}{key}: {yaml_str(meta[key])}")
    # The file's own bytes, then the entry in the file's own line ending: nothing of what
    # is there is re-encoded (a BOM, CRLF lines and comments stay as they are).
    eol = b"\r\n" if b"\r\n" in old_raw else b"\n"
    entry = eol.join(line.encode("utf-8") for line in lines) + eol
    body = old_raw[3:] if old_raw.startswith(b"\xef\xbb\xbf") else old_raw
    new_raw = old_raw + (eol if body and not old_raw.endswith(b"\n") else b"") + entry
    new_text = decode(new_raw, SOURCES_FILE)

    b = Builder(data_dir, strict=False)
    built = build_sources(parse_yaml(new_text, SOURCES_FILE), b)
    if b.problems or sid not in built:
        p = b.problems[0] if b.problems else DataError(SOURCES_FILE, 0, "the entry did not load")
        raise CurateError(f"the new entry would not load: {p.message}")

    # One transaction: SIGTERM or SIGHUP from here on raises (as Ctrl-C does), and
    # whatever stopped it, the article is removed again unless its entry landed too.
    with undone_on_signals():
        try:
            replace_file(text_path, raw, expect_exists=None if leftover else False)
            replace_file(sources_path, new_raw, expect_exists=True)
        except BaseException:
            with signals_held():
                _undo_article(sources_path, new_raw, text_path, raw)
            raise
    return {"id": sid, "file": f"sources/{fname}", "bytes": len(raw), "sha256": digest,
            "line": new_text.count("\n") - len(lines) + 1}


def _undo_article(sources_path: str, new_raw: bytes, text_path: str, raw: bytes) -> None:
    """After a failed or interrupted add-article: the article file goes unless the entry
    naming it is in sources.yaml (then both stay: the new state, whole)."""
    try:
        with open(sources_path, "rb") as fh:
            if fh.read() == new_raw:
                return
        with open(text_path, "rb") as fh:
            if fh.read() != raw:
                return
        os.unlink(text_path)
    except OSError:
        pass


def _entry_indent(text: str, path: str) -> int:
    """How far the existing entries are indented, and that appending at the end of the
    file puts a new one inside the `sources` mapping (it must be the last key, block style)."""
    tree = parse_yaml(text, SOURCES_FILE)
    if not isinstance(tree, Map) or "sources" not in tree:
        raise CurateError(f"{SOURCES_FILE}: no top-level 'sources:' to add to")
    last = max(tree.key_lines.values())
    line = tree.key_lines["sources"]
    if line != last:
        raise CurateError(f"{SOURCES_FILE}:{line}: 'sources:' must be the file's last section "
                          "for add-article to append to it; move it to the end")
    table = tree["sources"]
    if table is None:
        return 2
    if not isinstance(table, Map) or table.line == line:
        raise CurateError(f"{SOURCES_FILE}:{line}: 'sources' is written in flow style ({{...}}); "
                          "write it as an indented block so entries can be appended")
    first = min(table.key_lines.values())
    src_line = text.splitlines()[first - 1]
    return len(src_line) - len(src_line.lstrip(" "))


def read_input(path: str) -> bytes:
    """The article's bytes from a file, or from standard input for '-', within the size
    limit either way (standard input is read in chunks and stopped past it)."""
    if path == "-":
        import sys

        from ..facts.load import max_bytes, read_limited

        stdin = sys.stdin
        if stdin is None or getattr(stdin, "buffer", None) is None:
            raise DataError("standard input", 0, "is closed: give the article as FILE or "
                                                  "pipe it in")
        try:
            return read_limited(stdin.buffer, max_bytes(), "standard input")
        except OSError as e:
            raise DataError("standard input", 0, f"cannot read: {e.strerror or e}") from None
    return read_bytes(path, path)


# -- quote -----------------------------------------------------------------------------------


def folded(text: str) -> tuple[str, list[int]]:
    """The text as a curator might type it (quotes and dashes plain, one space for any run
    of whitespace, case folded), with each folded character's offset in the original."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space and out:
                out.append(" ")
                where.append(i)
            space = True
            continue
        space = False
        for c in ch.translate(PLAIN).casefold():
            out.append(c)
            where.append(i)
    if out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where


SHORT = 256          # a passage up to this many characters is aligned over the whole text
CANDIDATES = 20      # otherwise at most this many places are scored, found by anchor words
ANCHOR_WORDS = 200   # the rarest words of what was typed, each seen at most...
ANCHOR_HITS = 200    # ...this many times in the article, vote for where it starts


def find_quote(text: str, remembered: str, threshold: float = 90.0, nearest: int = 3) -> dict:
    """The article's own words for what a curator remembers of a passage.

    An exact match after folding quotes, dashes, spacing and case comes first. Otherwise a
    passage is aligned (rapidfuzz, imported here only): over the whole text when what was
    typed is short (up to SHORT characters), else at the CANDIDATES places its rarest words
    point to. The passage is widened to whole words and to the words typed at its edges,
    then scored with one measure, fuzz.ratio of what was typed against the passage; it is
    returned when that score reaches `threshold` (0-100), and the same score is what a
    refusal reports. Bounded: O(n + m) to index and vote, then at most CANDIDATES
    alignments of O(m^2 / 64) each (n the article's length, m the typed passage's)."""
    hay, where = folded(text)
    needle, _ = folded(remembered)
    if not needle:
        raise CurateError("give some words of the passage to look for")
    start = hay.find(needle)
    if start >= 0:
        passage = _span(text, where[start], where[start + len(needle) - 1] + 1)
        return {"found": True, "score": 100.0, "exact": True, **passage, "nearest": []}
    from rapidfuzz import fuzz

    spans = []
    if len(needle) <= SHORT:
        best = fuzz.partial_ratio_alignment(needle, hay)
        if best is not None and best.dest_end > best.dest_start:
            spans.append((best.dest_start, best.dest_end))
    spans += _anchored(hay, needle)
    scored = []
    for lo, hi in spans:
        lo, hi = _edges(hay, needle, *_words(hay, lo, min(hi, len(hay))), fuzz)
        if hi > lo:
            scored.append((fuzz.ratio(needle, hay[lo:hi]), lo, hi))
    scored.sort(key=lambda r: (-r[0], r[1]))
    if scored and scored[0][0] >= threshold:
        score, lo, hi = scored[0]
        passage = _span(text, where[lo], where[hi - 1] + 1)
        return {"found": True, "score": round(score, 1), "exact": False, **passage,
                "nearest": []}
    ranked = []
    words = set(needle.split())
    for sentence_start, sentence in _sentences(text):
        f, _ = folded(sentence)
        if f:
            ranked.append((len(words & set(f.split())), sentence_start, sentence, f))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    near = sorted(((fuzz.ratio(needle, f), st, sent) for _n, st, sent, f in
                   ranked[:CANDIDATES]), key=lambda r: (-r[0], r[1]))
    if near and near[0][0] >= threshold:   # the same measure, the same threshold
        score, st, sent = near[0]
        return {"found": True, "score": round(score, 1), "exact": False,
                **_span(text, st, st + len(sent)), "nearest": []}
    best_score = max([r[0] for r in scored[:1]] + [r[0] for r in near[:1]] + [0.0])
    return {"found": False, "score": round(best_score, 1),
            "exact": False, "quote": None, "line": None,
            "nearest": [{**_span(text, st, st + len(sent)), "score": round(sc, 1)}
                        for sc, st, sent in near[:nearest]]}


def _anchored(hay: str, needle: str) -> list[tuple[int, int]]:
    """Where a long typed passage may be: each of its rarest words, found in the article,
    votes for the start that its offset in the passage implies."""
    import collections

    at: dict[str, list[int]] = collections.defaultdict(list)
    for m in re.finditer(r"\S+", hay):
        at[m.group()].append(m.start())
    offsets: dict[str, int] = {}
    for m in re.finditer(r"\S+", needle):
        offsets.setdefault(m.group(), m.start())
    usable = sorted((w for w in offsets if 0 < len(at.get(w, ())) <= ANCHOR_HITS),
                    key=lambda w: len(at[w]))[:ANCHOR_WORDS]
    votes: collections.Counter = collections.Counter()
    bucket = max(8, len(needle) // 20)
    for w in usable:
        for p in at[w]:
            votes[max(0, p - offsets[w]) // bucket] += 1
    out = []
    for b, _n in votes.most_common(CANDIDATES):
        lo = b * bucket
        out.append((lo, min(len(hay), lo + len(needle) + bucket)))
    return out


def _edges(hay: str, needle: str, lo: int, hi: int, fuzz) -> tuple[int, int]:
    """Keep the words typed at the passage's edges: take in a word before or after it (up
    to three each side) while that brings the passage closer to what was typed, and drop
    a trailing or leading word that takes it further away."""
    def score(a, b):
        return fuzz.ratio(needle, hay[a:b])

    best = score(lo, hi)
    for _ in range(3):
        changed = False
        cands = []
        p = hay.rfind(" ", 0, max(0, lo - 1))
        cands.append((p + 1 if p >= 0 else 0, hi))
        q = hay.find(" ", hi + 1)
        cands.append((lo, q if q >= 0 else len(hay)))
        p = hay.find(" ", lo)
        if 0 <= p < hi:
            cands.append((p + 1, hi))
        q = hay.rfind(" ", lo, hi)
        if q > lo:
            cands.append((lo, q))
        for a, b in cands:
            if (a, b) != (lo, hi) and b > a and score(a, b) > best:
                best, lo, hi, changed = score(a, b), a, b, True
        if not changed:
            break
    return lo, hi


def _words(hay: str, lo: int, hi: int) -> tuple[int, int]:
    """Widen a folded span to whole words."""
    while lo > 0 and hay[lo - 1].isalnum() and hay[lo].isalnum():
        lo -= 1
    while hi < len(hay) and hay[hi - 1].isalnum() and hay[hi].isalnum():
        hi += 1
    while lo < hi and hay[lo] == " ":
        lo += 1
    while hi > lo and hay[hi - 1] == " ":
        hi -= 1
    return lo, hi


def _span(text: str, start: int, end: int) -> dict:
    """The original passage (whitespace runs as one space, which `check` also allows) and
    the line it starts on."""
    return {"quote": " ".join(text[start:end].split()), "line": text.count("\n", 0, start) + 1}


def _sentences(text: str):
    """(offset, sentence) of each sentence of each line, cut as everywhere (facts/text)."""
    pos = 0
    for line in text.splitlines(True):
        for a, b in sentence_spans(line):
            piece = line[a:b]
            if piece.strip():
                yield pos + a + len(piece) - len(piece.lstrip()), piece.strip()
        pos += len(line)

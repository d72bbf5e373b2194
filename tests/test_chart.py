"""`alliances chart`: the SVG agrees with `alliances timeline`, escapes the data, is
self-contained, and draws (in a real headless Chromium) one band per state, in order."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

SVG = "{http://www.w3.org/2000/svg}"
TITLE = "\x1b]0;pwned\x07"


def fact_base(tmp: Path, entities: dict, facts: list, published: str = "2010-06-01") -> Path:
    """A data directory with one bloc `bee`, one article `a1` and the given facts
    (state, status, since or None, sentence); names are YAML double-quoted strings."""
    d = tmp / "data"
    (d / "sources").mkdir(parents=True)
    sentences = [f[3] for f in facts]
    (d / "sources" / "a1.txt").write_text("\n".join(sentences) + "\n", "utf-8")
    (d / "sources" / "sources.yaml").write_text(
        "schema: 1\nsources:\n  a1:\n    file: a1.txt\n    title: \"T <b>&amp; \\\"q\\\"\"\n"
        f"    publisher: null\n    author: null\n    published: \"{published}\"\n"
        "    date_note: \"test\"\n", "utf-8")
    lines = ["schema: 1", "entities:"]
    lines += [f"  {k}: {{name: {json.dumps(v)}}}" for k, v in entities.items()]
    lines += ["blocs:", "  bee: {name: Bee, cited: [{source: a1, quote: "
              f"{json.dumps(sentences[0])}}}]}}", "memberships:"]
    for state, status, since, sentence in facts:
        lines += [f"  - state: {state}", "    bloc: bee", f"    status: {status}"]
        if since:
            lines.append(f"    since: \"{since}\"")
        lines += ["    source: a1", f"    quote: {json.dumps(sentence)}"]
    (d / "blocs.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    return d


def svg_of(cli, *args) -> tuple[str, ET.Element]:
    r = cli("chart", *args, "-o", "-")
    assert r.stdout.startswith("<svg"), r.stdout[:200]
    return r.stdout, ET.fromstring(r.stdout)


def svg_rows(root) -> list[dict]:
    out = []
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "row":
            continue
        spells = [{"status": s.get("data-status"), "events": json.loads(s.get("data-events")),
                   "start": s.get("data-start"), "end": s.get("data-end")}
                  for s in g.iter(f"{SVG}g") if s.get("class") == "spell"]
        out.append({"key": json.loads(g.get("data-key")), "state": g.get("data-state"),
                    "y": float(g.get("data-y")), "h": float(g.get("data-height")),
                    "spells": spells})
    return out


def timeline_of(cli, name):
    return cli.json("timeline", name)


# -- the picture is the timeline ---------------------------------------------------------
@pytest.mark.parametrize("name,args", [("CSTO", ["--all"]), ("CSTO", []), ("SCO", ["--all"]),
                                       ("Abkhazia", ["--all"]), ("South Ossetia", []),
                                       ("Russia", ["--all"]), ("Georgia", ["--all"])])
def test_every_row_and_spell_is_a_timeline_row(cli, name, args):
    rows = [r for r in timeline_of(cli, name) if r["status"] is not None]
    _, root = svg_of(cli, name, *args)
    drawn = svg_rows(root)
    assert drawn, "nothing drawn"
    wanted = None if args == ["--all"] else (
        {"member"} if name in ("CSTO", "SCO") else {"recognizes"})
    # each event a spell is made of is exactly one timeline row of that state's lane
    def lane(r):
        return [r["state_id"] or f"name:{r['state']}", r["object_id"]]

    made = [(tuple(row["key"]), tuple(ev), sp["status"])
            for row in drawn for sp in row["spells"] for ev in sp["events"]]
    expect = [(tuple(lane(r)), (r["date"], r["event"]), r["status"]) for r in rows
              if wanted is None or r["status"] in wanted]
    assert sorted(made) == sorted(expect)
    # rows in the order the timeline first names each lane, none twice
    order = list(dict.fromkeys(tuple(lane(r)) for r in rows
                               if wanted is None or r["status"] in wanted))
    assert [tuple(row["key"]) for row in drawn] == order
    # a spell is one of the evaluation's, as the timeline rows it is made of carry it:
    # every event of a drawn spell belongs to one spell, whose bounds the picture shows
    def label(pair):
        if pair is None:
            return ""
        lo, hi = pair
        return lo if lo == hi else f"{lo or ''}..{hi or ''}"

    for row in drawn:
        for sp in row["spells"]:
            mine = [r for r in rows if lane(r) == row["key"]
                    and [r["date"], r["event"]] in sp["events"] and r["status"] == sp["status"]]
            spells = {json.dumps(r["spell"], sort_keys=True) for r in mine}
            assert len(spells) == 1, (row["key"], sp)
            field = mine[0]["spell"]
            assert (sp["start"], sp["end"]) == (label(field["start"]), label(field["end"]))


def test_default_statuses_are_the_queries_and_the_rest_is_noted(cli):
    r = cli("chart", "CSTO", "-o", "-")
    _, root = svg_of(cli, "CSTO")
    drawn = svg_rows(root)
    assert {sp["status"] for row in drawn for sp in row["spells"]} == {"member"}
    assert {row["state"] for row in drawn} == cli.names("members", "CSTO", "--as-of",
                                                        "1991..2014") | {"Georgia"}
    assert "not shown: China (non-member), Afghanistan (observer), Serbia (observer)" in r.stderr
    only = svg_rows(svg_of(cli, "CSTO", "--status", "observer")[1])
    assert [row["state"] for row in only] == ["Afghanistan", "Serbia"]


def test_withdrawal_and_dispute_are_marked(cli):
    text, root = svg_of(cli, "CSTO")
    georgia = next(g for g in root.iter(f"{SVG}g") if g.get("data-state") == "Georgia")
    ending = [p for p in georgia.iter(f"{SVG}polygon") if p.get("class") == "ending"]
    assert len(ending) == 1
    assert "withdrew 1999" in ending[0].find(f"{SVG}title").text
    uzbek = next(g for g in root.iter(f"{SVG}g") if g.get("data-state") == "Uzbekistan")
    # a later complete list that leaves Uzbekistan out is not-listed, not a dispute (R4b):
    # no verdict of 2014 is disputed, so nothing is outlined
    assert not [r for r in uzbek.iter(f"{SVG}rect") if r.get("class") == "disputed"]
    assert "disputed" not in {r["basis"] for r in cli.json("members", "CSTO", "--as-of",
                                                            "2014", "--all")
                              if r["state"] == "Uzbekistan"}
    assert "left out of a complete list 2014-09-03" in "".join(uzbek.itertext())
    # uncertain bounds are drawn as such: Georgia's start is only known to be 1991-12..1999
    assert [r for r in georgia.iter(f"{SVG}rect") if r.get("class") == "uncertain"]


def test_each_spell_cites_and_links_its_sources(cli):
    text, root = svg_of(cli, "South Ossetia")
    ids = {g.get("id") for g in root.iter(f"{SVG}g") if g.get("class") == "source"}
    links = {a.get("href") for a in root.iter(f"{SVG}a")}
    assert links and all(h.startswith("#") and h[1:] in ids for h in links)
    russia = next(g for g in root.iter(f"{SVG}g") if g.get("data-state") == "Russia")
    tip = russia.find(f"{SVG}g").find(f"{SVG}title").text
    rows = [r for r in timeline_of(cli, "South Ossetia") if r["state"] == "Russia"
            and r["status"] == "recognizes"]
    for c in rows[0]["sources"]:
        assert c["id"] in tip and c["date"] in tip and c["quote"] in tip


def test_as_of_sets_the_years_drawn(cli):
    _, root = svg_of(cli, "CSTO", "--all", "--as-of", "2005..2010")
    drawn = {row["state"] for row in svg_rows(root)}
    assert "Armenia" in drawn and "Georgia" in drawn  # Georgia: former member, carried on
    assert "Serbia" not in drawn  # an observer from 2014 only
    years = [t.text for t in root.iter(f"{SVG}text") if t.text and re.fullmatch(r"\d{4}", t.text)]
    assert years[0] == "2005" and years[-1] == "2010"


def test_to_a_file_and_errors(cli, tmp_path):
    out = tmp_path / "c.svg"
    cli("chart", "CSTO", "-o", out)
    ET.parse(out)
    r = cli("chart", "Narnia", "-o", "-", code=1)
    assert r.stderr.startswith("alliances: error: unknown bloc or state")
    assert r.stderr.count("\n") == 1
    r = cli("chart", "CSTO", "--status", "recognizes", "-o", "-", code=2)
    assert "unknown status 'recognizes'" in r.stderr
    r = cli("chart", "CSTO", "-o", tmp_path / "missing" / "c.svg", code=1)  # a write refused
    assert r.stderr.startswith("alliances: error: cannot write") and r.stderr.count("\n") == 1
    r = cli("chart", "CSTO", "--as-of", "2014..2005", "-o", "-", code=2)
    assert "start is after the end" in r.stderr


# -- hostile names, self-containment ---------------------------------------------------------
@pytest.fixture
def hostile(tmp_path):
    return fact_base(tmp_path, {
        "lt": f"<script>alert(1)</script> & \"q\" 'a' {TITLE}",
        "amp": "A&B ]]> <!-- --> \u202e",
        "plain": "Plain",
    }, [("lt", "member", "2001", "One <i>said</i> & \"quoted\" it."),
        ("amp", "observer", "2003-05", "Two said it."),
        ("plain", "associate", None, "Three said it.")])


def test_every_text_from_the_data_is_escaped(cli, hostile):
    text, root = svg_of(cli, "Bee", "--all", "--data", hostile)
    assert "<script" not in text and "<i>" not in text and "<b>" not in text
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    names = {row["state"] for row in svg_rows(root)}
    assert "<script>alert(1)</script> & \"q\" 'a' \\x1b]0;pwned\\x07" in names
    assert "A&B ]]> <!-- --> \\u202e" in names
    assert "One <i>said</i> & \"quoted\" it." in "".join(root.itertext())
    assert "T <b>&amp; \"q\"" in "".join(root.itertext())  # the source's title


@pytest.mark.parametrize("name", ["CSTO", "Abkhazia", "Russia"])
def test_self_contained(cli, name, hostile):
    for text in (svg_of(cli, name, "--all")[0], svg_of(cli, "Bee", "--all", "--data", hostile)[0]):
        root = ET.fromstring(text)
        assert not re.search(r"<script|<image|<foreignObject|<style|@import|<use\b", text)
        for el in root.iter():
            for k, v in el.attrib.items():
                assert not k.lower().startswith("on"), (el.tag, k)
                if k.endswith("href"):
                    assert v.startswith("#"), v
                if "url(" in v:
                    assert re.fullmatch(r"url\(#[\w.-]+\)", v), v
                if k == "font-family":
                    assert v in ("sans-serif", "serif", "monospace"), v


# -- a real browser draws it ------------------------------------------------------------------
def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB bytes) of an 8-bit RGB or RGBA, non-interlaced PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        rows.append(bytes(v for k, v in enumerate(line) if bpp == 3 or k % 4 != 3))
    return width, height, rows


def screenshot(svg_path: Path, tmp: Path) -> tuple[int, int, list[bytes]]:
    root = ET.parse(svg_path).getroot()
    w, h = int(root.get("width")), int(root.get("height"))
    png = tmp / "shot.png"
    subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--hide-scrollbars", "--force-device-scale-factor=1",
                    f"--screenshot={png}", f"--window-size={w},{h}", svg_path.as_uri()],
                   check=True, capture_output=True, timeout=120)
    return read_png(png)


def colours_in(rows, y0: int, y1: int, x0: int = 0) -> set[tuple]:
    out = set()
    for y in range(y0, y1):
        line = rows[y]
        out.update(tuple(line[i:i + 3]) for i in range(3 * x0, len(line), 3))
    return out


def hexrgb(h: str) -> tuple:
    return tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))


needs_chromium = pytest.mark.skipif(chromium() is None, reason="no Chromium installed "
                                    "(Debian: apt-get install chromium)")


@needs_chromium
def test_chromium_draws_each_state_band_in_order(cli, tmp_path):
    from alliances.output.chart import COLOURS

    d = fact_base(tmp_path, {"one": "One", "two": "Two", "three": "Three"}, [
        ("one", "member", "2001", "One is a member since 2001."),
        ("two", "observer", "2004", "Two is an observer since 2004."),
        ("three", "associate", "2007", "Three is an associate since 2007.")])
    out = tmp_path / "bee.svg"
    cli("chart", "Bee", "--all", "--data", d, "-o", out)
    drawn = svg_rows(ET.parse(out).getroot())
    assert [r["state"] for r in drawn] == ["One", "Two", "Three"]
    _, height, png = screenshot(out, tmp_path)
    expect = [COLOURS["member"], COLOURS["observer"], COLOURS["associate"]]
    found = []
    for r in drawn:
        band = colours_in(png, int(r["y"]) + 2, int(r["y"] + r["h"]) - 2, x0=200)
        found.append([c for c in expect if hexrgb(c) in band])
    # each band holds its own status colour and no other state's
    assert found == [[c] for c in expect], found
    # and the bands are where the SVG puts them, top to bottom (nothing of them between)
    ys = [r["y"] for r in drawn]
    assert ys == sorted(ys) and max(ys) + drawn[-1]["h"] < height


@needs_chromium
def test_chromium_draws_the_shipped_csto_chart(cli, tmp_path):
    from alliances.output.chart import COLOURS

    out = tmp_path / "csto.svg"
    cli("chart", "CSTO", "-o", out)
    drawn = svg_rows(ET.parse(out).getroot())
    _, _, png = screenshot(out, tmp_path)
    member = hexrgb(COLOURS["member"])
    rows_with_member = [r["state"] for r in drawn
                        if member in colours_in(png, int(r["y"]), int(r["y"] + r["h"]), x0=120)]
    # every state's row shows member blue (Georgia's only hatched), in the timeline's order
    assert rows_with_member == [r["state"] for r in drawn]
    assert rows_with_member[0] == "Georgia" and len(rows_with_member) == 8


def test_the_readme_chart_has_not_drifted():
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "docs" / "chart.py"
    spec = importlib.util.spec_from_file_location("docs_chart", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main(["--check"]) == 0, "docs/csto.svg has drifted: run python docs/chart.py"
    readme = (path.parent.parent / "README.md").read_text("utf-8")
    assert "![" in readme and "(docs/csto.svg)" in readme


PROBE = """<!doctype html><html><body style="margin:0"><div id="chart">{svg}</div>
<pre id="out"></pre><script>
const svg = document.querySelector('#chart svg');
const box = e => {{ const b = e.getBoundingClientRect();
                   return [b.left, b.right, b.top, b.bottom]; }};
const out = {{svg: box(svg), years: [], marks: [], texts: []}};
for (const t of svg.querySelectorAll('g.axis > text')) out.years.push([t.textContent, box(t)]);
for (const r of svg.querySelectorAll('rect.disputed, rect.uncertain')) {{
  const row = r.closest('g.row'), sp = r.closest('g.spell');
  out.marks.push({{cls: r.getAttribute('class'), key: JSON.parse(row.dataset.key),
                  status: sp.dataset.status, number: +sp.dataset.number, lo: r.dataset.lo,
                  hi: r.dataset.hi, box: box(r)}});
}}
for (const t of svg.querySelectorAll('text'))
  if (t.textContent.trim()) out.texts.push([t.textContent, box(t)]);
document.getElementById('out').textContent = JSON.stringify(out);
</script></body></html>"""


def drawn_in_chromium(svg_text: str, tmp: Path, width: int) -> dict:
    """What Chromium lays out: the boxes of the axis's year labels, of every disputed and
    uncertain mark (with its spell and its data-lo/data-hi), and of every text."""
    page = tmp / f"probe-{width}.html"
    page.write_text(PROBE.format(svg=svg_text), "utf-8")
    r = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                        f"--window-size={width},1200", "--dump-dom", page.as_uri()],
                       check=True, capture_output=True, timeout=120, text=True)
    m = re.search(r'<pre id="out">(.*?)</pre>', r.stdout, re.S)
    assert m and m.group(1), r.stdout[-500:]
    import html
    return json.loads(html.unescape(m.group(1)))


def expected_marks(kind: str, ident: str) -> tuple[dict, dict]:
    """From the evaluation itself: each spell's disputed days and uncertain start (and
    bounded end), keyed by (lane key, status, spell number)."""
    from alliances.answers.query import NO_FILTER, evidence, spell_field
    from alliances.facts.dates import MAX, MIN
    from alliances.facts.paths import resolve_data_dir
    from alliances.facts.store import load

    fb = load(resolve_data_dir(None))
    if kind == "bloc":
        about = [s for s in fb.for_objects([ident]) if s.relation == "membership"]
        rosters = fb.rosters_for([ident])
    else:
        about = [s for s in fb.for_objects([ident]) if s.relation == "recognition"]
        rosters = []

    def iso(d):
        return "" if d in (MIN, MAX) else d.isoformat()

    disputed, uncertain = {}, {}
    for ev in evidence(fb, about, rosters, NO_FILTER):
        if ev.group is not None:
            continue
        for e in ev.episodes:
            k = (ev.subject, ev.object, e.status, e.spell)
            disputed[k] = sorted((iso(d.lo), iso(d.hi)) for d in e.disputes)
            field = spell_field(ev, e)
            spans = []
            if field["start"] and field["start"][0] != field["start"][1]:
                spans.append(tuple(d or "" for d in field["start"]))
            if field["end"]:
                # an end no article bounds below does not fall before the start (R1)
                lo = field["end"][0] or (field["start"] or field["stated"][0])[0]
                if lo != field["end"][1]:
                    spans.append((lo, field["end"][1] or ""))
            uncertain[k] = sorted(spans)
    return disputed, uncertain


@needs_chromium
@pytest.mark.shipped
@pytest.mark.parametrize("name,kind,ident", [("Abkhazia", "entity", "abkhazia"),
                                             ("CSTO", "bloc", "csto")])
def test_chromium_draws_each_dispute_and_uncertain_bound_over_its_days(cli, tmp_path, name,
                                                                       kind, ident):
    from datetime import date, timedelta

    text = cli("chart", name, "--all", "-o", "-").stdout
    disputed, uncertain = expected_marks(kind, ident)
    assert any(disputed.values()) and any(uncertain.values())
    for width in (1400, 390):
        seen = drawn_in_chromium(text, tmp_path, width)
        # the day -> x of the picture, from where Chromium put two year labels (1 January)
        (y1, b1), (y2, b2) = seen["years"][0], seen["years"][-1]
        d1, d2 = date(int(y1), 1, 1), date(int(y2), 1, 1)
        per_day = ((b2[0] + b2[1]) - (b1[0] + b1[1])) / 2 / (d2 - d1).days

        def x(day: str, end: bool = False, d1=d1, b1=b1, per_day=per_day) -> float:
            d = date.fromisoformat(day) + (timedelta(days=1) if end else timedelta())
            return (b1[0] + b1[1]) / 2 + (d - d1).days * per_day

        first = seen["years"][0][0]  # the window: the picture's own years
        drawn: dict = {}
        for m in seen["marks"]:
            k = (*m["key"], m["status"], m["number"])
            drawn.setdefault((m["cls"], k), []).append(m)
        for cls, want in (("disputed", disputed), ("uncertain", uncertain)):
            got = {k: sorted((m["lo"], m["hi"]) for m in ms)
                   for (c, k), ms in drawn.items() if c == cls and k[1] == ident}
            # each spell's marks are its own days, and only those
            assert {k: v for k, v in got.items()} == {k: v for k, v in want.items() if v}, cls
            for (c, k), ms in drawn.items():
                if c != cls or k[1] != ident:
                    continue
                for m in ms:
                    left, right = m["box"][0], m["box"][1]
                    lo = max(m["lo"] or "0001-01-01", f"{first}-01-01")
                    if m["lo"] and m["lo"] >= f"{first}-01-01":
                        # drawn from its first day (a 2 px minimum width for one day)
                        assert abs(left - x(lo)) <= 2, (cls, m, x(lo))
                    if m["hi"] and right - left > 3:
                        assert abs(right - x(m["hi"], end=True)) <= 2, (cls, m)
        # no text cut at the picture's edges, none overlapping another
        sb = seen["svg"]
        boxes = [(t, b) for t, b in seen["texts"]]
        for t, b in boxes:
            assert sb[0] - 0.5 <= b[0] and b[1] <= sb[1] + 0.5, (width, t, b, sb)
        for i, (t, b) in enumerate(boxes):
            for u, c in boxes[i + 1:]:
                overlap_x = min(b[1], c[1]) - max(b[0], c[0])
                overlap_y = min(b[3], c[3]) - max(b[2], c[2])
                assert overlap_x <= 0.5 or overlap_y <= 0.5, (width, t, u, b, c)


@pytest.mark.shipped
def test_tooltips_break_lines_and_dispute_outlines_cover_only_the_days(cli):
    text, root = svg_of(cli, "Abkhazia", "--all")
    titles = [t.text or "" for t in root.iter(f"{SVG}title")]
    assert titles and not [t for t in titles if "\\x0a" in t]
    nicaragua = next(g for g in root.iter(f"{SVG}g") if g.get("data-state") == "Nicaragua")
    spell = next(s for s in nicaragua.iter(f"{SVG}g") if s.get("data-status") == "recognizes")
    assert len(spell.find(f"{SVG}title").text.splitlines()) > 2  # one line per citation
    # the articles date Nicaragua's recognition 2 to 5 September 2008 (trend-2008,
    # dfwatch-2014): the outline covers the days they disagree on, not 2008-2019
    outlined = [(r.get("data-lo"), r.get("data-hi")) for r in spell.iter(f"{SVG}rect")
                if r.get("class") == "disputed"]
    assert outlined and all(lo >= "2008-09-02" and hi <= "2008-09-05" for lo, hi in outlined)

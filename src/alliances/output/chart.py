"""`alliances chart`: the rows of `alliances timeline` drawn as an SVG timeline.

Pure functions, standard library only: `lanes(rows, ident)` groups timeline rows into one
lane per state (or, for a state's own chart, per bloc or entity) and each lane into the
*spells* of the evaluation, by the `spell` each row carries (its bounds, the days articles
state it, the spell that ends it); `svg(lanes, ...)` draws them. Nothing is evaluated or
parsed back here: every date is an ISO day a timeline row's spell carries (with its
disputed days, `output/spells.timeline_rows`), so the picture,
`alliances timeline` and the sqlite export's `spells` table cannot disagree.

How a spell is drawn (the legend says it in the picture):
- solid: the days an article places the status on (a report's date; from a stated start
  to the article that states it);
- light: carried forward between or after the articles (the answer is only `possible`);
- hatched: an uncertain start or end, over every day it could have fallen on;
- blank: silence, no article speaks of it;
- a red dashed outline: only the days the evaluation disputes the spell on (each spell's
  `disputes`, the days its readings disagree, R3/R5), never the whole spell; "!" beside a
  lane that has any;
- a black triangle: a withdrawal, or a later complete list leaving the state out; the
  status it ends into (former-member, withdrawn) is a spell of its own, and a return a
  second spell of the status, each with its own bounds.

Every text from the data is made safe for a terminal (`render.clean`: control characters
shown as \\xNN) and XML-escaped; ids in links are reduced to safe fragment names. The SVG
has no script, no external file, font or image, and only generic font families.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as _xml_escape

from ..facts.dates import MAX, MIN
from ..facts.model import NOT_LISTED
from .render import clean

if TYPE_CHECKING:
    from collections.abc import Sequence

# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies).
COLOURS = {
    "member": "#0072b2", "associate": "#56b4e9", "observer": "#009e73",
    "dialogue-partner": "#cc79a7", "partner": "#cc79a7", "aspirant": "#e69f00",
    "proposed": "#f0e442", "suspended": "#d55e00", "former-member": "#999999",
    "non-member": "#555555", NOT_LISTED: "#bbbbbb",
    "recognizes": "#0072b2", "does-not-recognize": "#d55e00", "not-yet": "#e69f00",
    "withdrawn": "#999999",
}
OTHER_COLOUR = "#7f7f7f"
DISPUTE_COLOUR = "#e00000"
# A spell of these statuses starting ends the one before with a marked withdrawal.
ENDINGS = {"former-member": "withdrew", NOT_LISTED: "left out of a complete list",
           "withdrawn": "withdrew recognition", "suspended": "suspended"}

WIDTH = 960
MARGIN = 16
ROW_H = 18
ROW_GAP = 8
FONT = "font-family=\"sans-serif\""
DAY = timedelta(days=1)


# -- text -------------------------------------------------------------------------------
def text(value) -> str:
    """Data text as XML character data: control characters shown as \\xNN (as on a
    terminal), characters XML cannot hold at all replaced, then escaped."""
    s = clean(value)
    if not s.isprintable() or any("\ud800" <= c <= "\udfff" or c in "\ufffe\uffff"
                                  for c in s):
        s = "".join(c if c.isprintable() and not ("\ud800" <= c <= "\udfff")
                    and c not in "\ufffe\uffff" else f"\\u{ord(c):04x}" for c in s)
    return _xml_escape(s)


def attr(value) -> str:
    """Data text as the inside of a double-quoted XML attribute."""
    return text(value).replace('"', "&quot;")


def fragment(source_id: str) -> str:
    """A source id as an XML id usable in `href="#..."`: anything but letters, digits,
    `-`, `_` and `.` becomes `_` plus its code point, so two ids never meet."""
    out = []
    for c in source_id:
        out.append(c if (c.isascii() and (c.isalnum() or c in "-_.")) else f"_{ord(c):x}_")
    return "source-" + "".join(out)


def _short(s: str, n: int) -> str:
    return s if len(s) <= n else s[: max(n - 1, 1)] + "\u2026"


# -- dates ------------------------------------------------------------------------------
def _days(pair) -> tuple[date, date] | None:
    """An [earliest, latest] pair of ISO days (null for an open end) as dates."""
    if pair is None:
        return None
    lo, hi = pair
    return (date.fromisoformat(lo) if lo else MIN, date.fromisoformat(hi) if hi else MAX)


def _when(row: dict) -> tuple[date, date]:
    return _days([row["date_earliest"], row["date_latest"]])  # type: ignore[return-value]


def _lo(r):
    return r[1] if r[0] == MIN else r[0]


def _hi(r):
    return r[0] if r[1] == MAX else r[1]


# -- rows to lanes and spells -----------------------------------------------------------
def lanes(rows: list[dict], ident: str) -> list[dict]:
    """Timeline rows (of `answers.query.timeline`) as lanes: one per (state, bloc or
    entity), in the order the timeline first names them, each with its spells. A lane is
    {key, label, state, state_id, object, object_id, spells, rows}; a spell is {status,
    start, end, stated, rows, cites, end_row} with day ranges as (earliest, latest)."""
    by_key: dict = {}
    for at, r in enumerate(rows):
        if r.get("status") is None:
            continue  # the bloc's own events (formed, proposed): drawn on the axis
        subject = r["state_id"] or f"name:{r['state']}"
        key = (subject, r["object_id"])
        lane = by_key.get(key)
        if lane is None:
            own = r["state_id"] is not None and r["state_id"] == ident
            lane = by_key[key] = {
                "key": key, "label": r["object"] if own else r["state"],
                "state": r["state"], "state_id": r["state_id"], "object": r["object"],
                "object_id": r["object_id"], "rows": []}
        lane["rows"].append(r)
        lane.setdefault("at", []).append(at)  # its place in the timeline
    out = []
    for lane in by_key.values():
        lane["spells"] = _spells(lane["rows"])
        out.append(lane)
    return out


def _spells(rows: list[dict]) -> list[dict]:
    """A lane's rows grouped by the spell each belongs to (the row's `spell`, as the
    evaluation made it): bounds, stated days and what ends it are the spell's own."""
    spells: dict = {}
    for r in rows:
        f = r["spell"]
        sp = spells.get((f["status"], f["number"]))
        if sp is None:
            sp = spells[(f["status"], f["number"])] = {
                "status": f["status"], "number": f["number"], "start": _days(f["start"]),
                "end": _days(f["end"]), "stated": [_days(s) for s in f["stated"]],
                "rows": [], "cites": [],
                "disputes": [(*(_days(d[:2]) or ()), d[2], d[3])
                             for d in f.get("disputes", [])],
                "end_row": None, "ended_by": f["ended_by"]}
        sp["rows"].append(r)
        for c in r["sources"]:
            if c not in sp["cites"]:
                sp["cites"].append(c)
    for sp in spells.values():
        after = sp.pop("ended_by")
        nxt = spells.get((after["status"], after["number"])) if after else None
        sp["end_row"] = nxt["rows"][0] if nxt else None
    return list(spells.values())


def _first(sp) -> date:
    if sp["start"] is not None:
        return _lo(sp["start"])
    return sp["stated"][0][0] if sp["stated"] else _lo(_when(sp["rows"][0]))


def _last(sp) -> date:
    """The last day the spell reaches (MAX when it is carried on)."""
    return sp["end"][1] if sp["end"] else MAX


def select(all_lanes: list[dict], wanted: set[str] | None, window) -> tuple[list, list]:
    """(lanes to draw, lanes hidden by the status filter): a lane is drawn with its spells
    of the wanted statuses ({"all"}: every status) that meet the window."""
    shown, hidden = [], []
    for lane in all_lanes:
        keep = [sp for sp in lane["spells"]
                if (wanted is None or "all" in wanted or sp["status"] in wanted)
                and _first(sp) <= window[1] and _last(sp) >= window[0]]
        if keep:
            shown.append({**lane, "shown": keep})
        elif any(_first(sp) <= window[1] and _last(sp) >= window[0]
                 for sp in lane["spells"]):
            hidden.append(lane)
    # in the order the timeline first names each lane's drawn statuses
    def first(lane):
        drawn = {id(r) for sp in lane["shown"] for r in sp["rows"]}
        return min(at for r, at in zip(lane["rows"], lane["at"], strict=False) if id(r) in drawn)
    return sorted(shown, key=first), hidden


def default_window(all_lanes: list[dict], axis_rows: list[dict], latest=None):
    """Whole years from the first to the last day any row names (the latest article's
    date when later: a spell carried on is drawn to it)."""
    days = [d for r in [*(r for lane in all_lanes for r in lane["rows"]), *axis_rows]
            for d in _when(r) if d not in (MIN, MAX)]
    if latest is not None:
        days.append(latest)
    if not days:
        return None
    return date(min(days).year, 1, 1), date(max(days).year, 12, 31)


# -- drawing ----------------------------------------------------------------------------
def _year_step(years: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100):
        if years / step <= 14:
            return step
    return 200


def _citation(c: dict) -> str:
    bits = [f"{c.get('id')} ({c.get('date')})"]
    if c.get("status"):
        bits.append(c["status"])
    if c.get("since"):
        bits.append(f"since {c['since']}")
    if c.get("until"):
        bits.append(f"until {c['until']}")
    line = ", ".join(bits) + f": \u201c{c.get('quote', '')}\u201d"
    if c.get("note"):
        line += f" [note: {c['note']}]"
    return line


def _label(r) -> str:
    if r is None:
        return "open"
    lo, hi = r
    if lo == hi:
        return lo.isoformat()
    a = "" if lo == MIN else lo.isoformat()
    b = "" if hi == MAX else hi.isoformat()
    return f"{a}..{b}"


def svg(drawn: list[dict], window, *, title: str, subtitle: str = "",
        axis_rows: Sequence[dict] = (), sources: dict | None = None,
        notes: Sequence[str] = ()) -> str:
    """The SVG text of a chart: `drawn` are the lanes `select` keeps (with `shown`
    spells), `window` the (first, last) day drawn, `sources` id -> {title, date,
    publisher, url} for the sources legend. A lane's "!" and each red outline are its
    spells' own disputed days (the evaluation's, on each timeline row's spell)."""
    sources = sources or {}
    lo_day, hi_day = window
    span_days = max((hi_day - lo_day).days + 1, 1)
    label_chars = max([len(clean(lane["label"])) for lane in drawn] or [8])
    label_w = int(min(260, max(90, 6.6 * min(label_chars, 38) + 14)))
    x0, x1 = MARGIN + label_w, WIDTH - MARGIN - 8

    def x(d: date, end: bool = False) -> float:
        d = min(max(d, lo_day), hi_day)
        return x0 + (x1 - x0) * (((d - lo_day).days + (1 if end else 0)) / span_days)

    statuses = list(dict.fromkeys(sp["status"] for lane in drawn for sp in lane["shown"]))

    out: list[str] = []
    top = 58
    axis_y = top + 14
    rows_y = axis_y + 10
    rows_h = len(drawn) * (ROW_H + ROW_GAP)
    legend_y = rows_y + rows_h + 18
    cited = list(dict.fromkeys(c["id"] for lane in drawn for sp in lane["shown"]
                               for c in sp["cites"]))
    for r in axis_rows:
        for c in r.get("sources", []):
            if c["id"] not in cited:
                cited.append(c["id"])
    legend_rows = 2 + (1 if notes else 0)
    sources_y = legend_y + legend_rows * 20 + 14
    height = sources_y + 18 * (len(cited) + 1) + MARGIN

    out.append(f'<svg xmlns="http://www.w3.org/2000/svg" '
               f'xmlns:xlink="http://www.w3.org/1999/xlink" width="{WIDTH}" '
               f'height="{height}" viewBox="0 0 {WIDTH} {height}" {FONT} font-size="12" '
               f'style="max-width:100%;height:auto">')
    out.append(f"<title>{text(title)}</title>")
    out.append("<defs>")
    for st in statuses:
        colour = COLOURS.get(st, OTHER_COLOUR)
        out.append(f'<pattern id="hatch-{_pid(st)}" patternUnits="userSpaceOnUse" width="6" '
                   f'height="6" patternTransform="rotate(45)"><rect width="6" height="6" '
                   f'fill="#ffffff"/><rect width="3" height="6" fill="{colour}"/></pattern>')
    out.append('<pattern id="hatch-legend" patternUnits="userSpaceOnUse" width="6" height="6" '
               'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
               '<rect width="3" height="6" fill="#444444"/></pattern>')
    out.append("</defs>")
    out.append(f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>')
    out.append(f'<text x="{MARGIN}" y="26" font-size="16" font-weight="bold">'
               f'{text(title)}</text>')
    if subtitle:
        out.append(f'<text x="{MARGIN}" y="44" fill="#444444">{text(subtitle)}</text>')

    # axis: a grid line and label per year step; the bloc's formation as a band
    years = hi_day.year - lo_day.year + 1
    step = _year_step(years)
    first = lo_day.year + (-lo_day.year) % step
    out.append('<g class="axis">')
    grid: list[str] = []
    for y in range(first, hi_day.year + 1, step):
        jan1 = date(y, 1, 1)
        if jan1 < lo_day:
            continue
        gx = x(jan1)
        grid.append(f'<line x1="{gx:.1f}" y1="{axis_y}" x2="{gx:.1f}" '
                    f'y2="{rows_y + rows_h - ROW_GAP / 2}" stroke="#000000" '
                    f'stroke-opacity="0.1"/>')
        out.append(f'<text x="{gx:.1f}" y="{axis_y - 4}" text-anchor="middle" '
                   f'fill="#444444">{y}</text>')
    for r in axis_rows:
        w = _when(r)
        if w[0] > hi_day or w[1] < lo_day:
            continue
        a, b = x(_lo(w)), x(_hi(w), end=True)
        tip = f"{r['event']} {r['date']}: " + "; ".join(_citation(c) for c in r["sources"])
        href = fragment(r["sources"][0]["id"]) if r.get("sources") else None
        out.append('<g class="bloc-event">' + (f'<a href="#{href}" xlink:href="#{href}">'
                                                if href else ""))
        out.append(f"<title>{text(tip)}</title>")
        out.append(f'<rect x="{a:.1f}" y="{axis_y}" width="{max(b - a, 2):.1f}" height="6" '
                   f'fill="url(#hatch-legend)"/>')
        out.append(f'<text x="{a:.1f}" y="{axis_y + 16}" font-size="10" '
                   f'fill="#444444">{text(r["event"])}</text>' if not drawn else "")
        out.append(("</a>" if href else "") + "</g>")
    out.append("</g>")

    for i, lane in enumerate(drawn):
        y = rows_y + i * (ROW_H + ROW_GAP)
        band = "#f2f2f2" if i % 2 == 0 else "#ffffff"
        lane_disputes = [(sp["status"], *d) for sp in lane["spells"] for d in sp["disputes"]]
        out.append(f'<g class="row" data-key="{attr(json.dumps(list(lane["key"])))}" '
                   f'data-state="{attr(lane["state"])}" '
                   f'data-object-id="{attr(lane["object_id"])}" data-y="{y}" '
                   f'data-height="{ROW_H}">')
        out.append(f'<rect x="0" y="{y - ROW_GAP / 2}" width="{WIDTH}" '
                   f'height="{ROW_H + ROW_GAP}" fill="{band}"/>')
        label = _short(clean(lane["label"]), 38)
        out.append(f'<text x="{MARGIN}" y="{y + ROW_H - 5}"><title>{text(lane["label"])}'
                   f'</title>{_xml_escape(label)}</text>')
        if lane_disputes:
            tip = "disputed (alliances disputes): " + "; ".join(dict.fromkeys(
                f"{st} {_label((lo, hi))} ({'dates' if other == st else 'against ' + other})"
                for st, lo, hi, other, _kind in lane_disputes))
            out.append(f'<text x="{x0 - 10}" y="{y + ROW_H - 5}" fill="{DISPUTE_COLOUR}" '
                       f'font-weight="bold" text-anchor="middle"><title>{text(tip)}</title>!'
                       f'</text>')
        lanes_in_row = _sublanes(lane["shown"])
        n = max(lanes_in_row.values()) + 1 if lanes_in_row else 1
        h = ROW_H / n
        for j, sp in enumerate(lane["shown"]):
            sy = y + lanes_in_row[j] * h
            out.append(_spell(sp, x, sy, h, window))
        out.append("</g>")

    out.append('<g class="grid">' + "".join(grid) + "</g>")
    out.append(_legend(statuses, legend_y, notes))
    out.append(f'<g class="sources"><text x="{MARGIN}" y="{sources_y}" '
               f'font-weight="bold">Sources</text>')
    for n, sid in enumerate(cited):
        meta = sources.get(sid, {})
        entry = f"{sid}: {meta.get('title') or ''}"
        if meta.get("publisher"):
            entry += f", {meta['publisher']}"
        if meta.get("date"):
            entry += f", {meta['date']}"
        tip = entry + (f" <{meta['url']}>" if meta.get("url") else "")
        out.append(f'<g id="{fragment(sid)}" class="source"><title>{text(tip)}</title>'
                   f'<text x="{MARGIN}" y="{sources_y + 18 * (n + 1)}">'
                   f'{_xml_escape(_short(clean(entry), 140))}</text></g>')
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(s for s in out if s) + "\n"


def _pid(status: str) -> str:
    return "".join(c if c.isascii() and c.isalnum() else "_" for c in status)


def _sublanes(spells) -> dict[int, int]:
    """Spells that overlap in time (compatible statuses) share the row in thin lanes."""
    ends: list[date] = []
    out = {}
    for j, sp in sorted(enumerate(spells), key=lambda t: _first(t[1])):
        for k, e in enumerate(ends):
            if e < _first(sp):
                ends[k] = _last(sp)
                out[j] = k
                break
        else:
            out[j] = len(ends)
            ends.append(_last(sp))
    return out


def _days_attr(lo: date, hi: date) -> str:
    """The days a mark covers, as data attributes (ISO; empty for an open end)."""
    return (f'data-lo="{"" if lo == MIN else lo.isoformat()}" '
            f'data-hi="{"" if hi == MAX else hi.isoformat()}"')


def _spell(sp, x, y, h, window) -> str:
    lo_day, hi_day = window
    status = sp["status"]
    colour = COLOURS.get(status, OTHER_COLOUR)
    start, end = sp["start"], sp["end"]
    body_lo = start[1] if start else _first(sp)
    if body_lo == MAX:
        body_lo = _lo(start)
    body_hi = end[0] if end else MAX  # carried on: open (drawn to the window's end)
    first = _label(sp["stated"][0] if sp["stated"] else None)
    tip = [f"{status}: start "
           f"{_label(start) if start else 'not stated (first article ' + first + ')'}"
           f", end {_label(end) if end else 'not stated (carried forward)'}"]
    tip += [_citation(c) for c in sp["cites"]]
    for lo, hi, other, kind in sp["disputes"]:
        tip.append(f"disputed {_label((lo, hi))}: "
                   + (f"the readings of its {'dates' if kind == 'date' else 'list'} disagree"
                      if other == status else f"clashes with {other}"))
    events = [[r["date"], r["event"]] for r in sp["rows"]]
    g = [f'<g class="spell" data-status="{attr(status)}" '
         f'data-start="{attr(_label(start) if start else "")}" '
         f'data-end="{attr(_label(end) if end else "")}" '
         f'data-number="{sp["number"]}" '
         f'data-events="{attr(json.dumps(events, ensure_ascii=False))}">',
         "<title>" + "\n".join(text(line) for line in tip) + "</title>"]
    top, height = y + 1, max(h - 2, 2)
    if body_lo <= body_hi and body_lo <= hi_day and body_hi >= lo_day:  # carried: possible
        a, b = x(body_lo), x(body_hi, end=True)
        g.append(f'<rect class="carried" {_days_attr(body_lo, body_hi)} x="{a:.1f}" '
                 f'y="{top:.1f}" width="{max(b - a, 1):.1f}" '
                 f'height="{height:.1f}" fill="{colour}" fill-opacity="0.3"/>')
    for r in (start, end and (max(end[0], _first(sp)), end[1])):
        # (an end no article bounds below is drawn from the spell's first day: R1, a
        # spell does not end before it begins)
        if r is not None and r[0] != r[1]:
            a, b = x(max(r[0], lo_day)), x(min(r[1], hi_day), end=True)
            if r[0] <= hi_day and r[1] >= lo_day:
                g.append(f'<rect class="uncertain" {_days_attr(*r)} x="{a:.1f}" y="{top:.1f}" '
                         f'width="{max(b - a, 1):.1f}" height="{height:.1f}" '
                         f'fill="url(#hatch-{_pid(status)})" stroke="{colour}" '
                         f'stroke-width="0.5"/>')
    for a_day, b_day in sp["stated"]:
        if a_day > hi_day or b_day < lo_day:
            continue
        a, b = x(a_day), x(b_day, end=True)
        cites = [c for c in sp["cites"]]
        href = fragment(cites[0]["id"]) if cites else None
        g.append((f'<a href="#{href}" xlink:href="#{href}">' if href else "")
                 + f'<rect class="stated" {_days_attr(a_day, b_day)} x="{a:.1f}" '
                 f'y="{top:.1f}" width="{max(b - a, 2):.1f}" '
                 f'height="{height:.1f}" fill="{colour}"><title>'
                 f'{text(f"{status} stated {_label((a_day, b_day))}")}</title></rect>'
                 + ("</a>" if href else ""))
    for d_lo, d_hi, other, _kind in sp["disputes"]:
        # only the days the readings disagree on (evaluate: Episode.disputes)
        if d_lo > hi_day or d_hi < lo_day:
            continue
        a, b = x(max(d_lo, lo_day)), x(min(d_hi, hi_day), end=True)
        g.append(f'<rect class="disputed" {_days_attr(d_lo, d_hi)} '
                 f'data-other="{attr(other)}" x="{a:.1f}" y="{top - 1:.1f}" '
                 f'width="{max(b - a, 2):.1f}" height="{height + 2:.1f}" fill="none" '
                 f'stroke="{DISPUTE_COLOUR}" stroke-width="1.5" stroke-dasharray="4 2"><title>'
                 f'{text(f"disputed {_label((d_lo, d_hi))}")}</title></rect>')
    er = sp["end_row"]
    if er is not None and er["status"] in ENDINGS and end is not None and end[0] <= hi_day:
        e_lo = max(end[0], _first(sp))
        mid = x(min(max(e_lo + (end[1] - e_lo) / 2, lo_day), hi_day))
        words = f"{ENDINGS[er['status']]} {er['date']}: " + "; ".join(
            _citation(c) for c in er["sources"])
        href = fragment(er["sources"][0]["id"]) if er["sources"] else None
        g.append((f'<a href="#{href}" xlink:href="#{href}">' if href else "")
                 + f'<polygon class="ending" points="{mid - 5:.1f},{y - 3:.1f} '
                 f'{mid + 5:.1f},{y - 3:.1f} {mid:.1f},{y + 5:.1f}" fill="#222222">'
                 f"<title>{text(words)}</title></polygon>" + ("</a>" if href else ""))
    g.append("</g>")
    return "\n".join(g)


def _legend(statuses, y, notes) -> str:
    out = ['<g class="legend">']
    xx = MARGIN
    for st in statuses:
        colour = COLOURS.get(st, OTHER_COLOUR)
        out.append(f'<rect x="{xx}" y="{y - 10}" width="14" height="12" fill="{colour}"/>'
                   f'<text x="{xx + 18}" y="{y}">{text(st)}</text>')
        xx += 18 + int(6.6 * len(clean(st))) + 18
    y2 = y + 20
    g = "#444444"
    keys = [
        (f'<rect x="{{x}}" y="{y2 - 10}" width="14" height="12" fill="{g}"/>',
         "stated by an article"),
        (f'<rect x="{{x}}" y="{y2 - 10}" width="14" height="12" fill="{g}" '
         f'fill-opacity="0.3"/>', "carried forward (possible)"),
        (f'<rect x="{{x}}" y="{y2 - 10}" width="14" height="12" fill="url(#hatch-legend)"/>',
         "uncertain start or end"),
        (f'<rect x="{{x}}" y="{y2 - 10}" width="14" height="12" fill="none" '
         f'stroke="#cccccc"/>', "blank: no article speaks"),
        (f'<rect x="{{x}}" y="{y2 - 10}" width="14" height="12" fill="none" '
         f'stroke="{DISPUTE_COLOUR}" stroke-width="1.5" stroke-dasharray="4 2"/>',
         "! disputed"),
        (f'<polygon points="{{a}},{y2 - 10} {{b}},{y2 - 10} {{c}},{y2}" fill="#222222"/>',
         "withdrawal or left out"),
    ]
    xx = MARGIN
    for shape, words in keys:
        out.append(shape.format(x=xx, a=xx + 2, b=xx + 12, c=xx + 7)
                   + f'<text x="{xx + 18}" y="{y2}">{words}</text>')
        xx += 18 + int(6.2 * len(words)) + 16
    for n in notes[:1]:
        out.append(f'<text x="{MARGIN}" y="{y2 + 20}" fill="#444444" font-size="11">'
                   f'{text(_short(n, 150))}</text>')
    out.append("</g>")
    return "\n".join(out)

"""`alliances crosscheck FILE`: the articles' verdicts against a COW IGO state-year file.

COW distributes its IGO data as CSV with `ccode`, `state`, `year` and one column per IGO
named by its short name (`csto`, `sco`, ...; upper-case in some releases, lower-case as
igoR writes it); igoR also writes it long, one row per state, IGO and year (`ioname`,
`ccode`, `year`, `status`). Codes: 1 full member, 2 associate, 3 observer, 0 none, -9
missing, -1 not in existence. Each bloc that names its COW IGO (`cow:` in blocs.yaml,
matched case-insensitively to the column or the `ioname`) is compared cell by cell, for
the states the fact base knows by ccode and the years the articles speak of, with the code
the panel gives that cell (the same verdict every query reads): agree, disagree (with the
verdict's citations and COW's code) or silent (the articles leave it -9).
"""

from __future__ import annotations

from ..facts.load import DataError
from ..facts.names import short_name

COW_CODES = {1, 2, 3, 0, -9, -1}
MAX_INPUT = 512 * 1024 * 1024  # COW's whole IGO state-year file is about a tenth of this
# Columns of a wide file that are not IGOs (COW's own, and igoR's).
NOT_IGO = {"ccode", "state", "stateabb", "statename", "statenme", "country", "year", "version"}
# The code column of a long file (one row per state, IGO and year), as igoR and users name it.
LONG_CODE = ("status", "code", "value", "membership")


class Cow:
    """A COW IGO state-year file as read: its IGOs and its cells, in either layout."""

    def __init__(self, layout: str, igos: list[str], cells: list):
        self.layout = layout      # "wide" or "long"
        self.igos = igos          # as the file spells them (csto, CSTO, SCO...)
        self.cells = cells        # (line, ccode, year, igo, raw code)


def read_cow(path: str) -> Cow:
    """Every cell of a COW state-year CSV, wide (ccode, year, one column per IGO, in any
    case: COW's upper-case release or igoR's lower-case) or long (ioname, ccode, year and
    a status column, one row per state, IGO and year); DataError with file:line for
    anything that is not one."""
    import csv
    import io

    from ..facts.load import env_size, read_limited

    label = path
    try:
        # Any file, pipe or device, but never more than the limit (/dev/zero is refused
        # after ALLIANCES_MAX_INPUT_BYTES, not read for ever).
        with open(path, "rb") as raw:
            data = read_limited(raw, env_size("ALLIANCES_MAX_INPUT_BYTES", MAX_INPUT), label,
                                "ALLIANCES_MAX_INPUT_BYTES")
        with io.StringIO(data.decode("utf-8-sig"), newline="") as fh:
            del data
            reader = csv.reader(fh)
            header = next(reader, None) or []
            lower = [h.strip().lower() for h in header]
            col = {h: i for i, h in reversed(list(enumerate(lower)))}
            missing = [c for c in ("ccode", "year") if c not in col]
            if missing:
                raise DataError(label, 1, f"not a COW state-year file: no {missing[0]!r} column "
                                          "(expected ccode, year and one column per IGO, or "
                                          "ioname, ccode, year and status)")
            code = next((c for c in LONG_CODE if c in col), None)
            if "ioname" in col and code is None:
                raise DataError(label, 1, "a long COW file (with an 'ioname' column) needs a "
                                          f"code column: one of {', '.join(LONG_CODE)}")
            long = "ioname" in col
            wide = [(i, header[i].strip()) for i, h in enumerate(lower) if h not in NOT_IGO]
            cells: list[tuple] = []
            igos: dict[str, str] = {}
            for row in reader:
                line = reader.line_num
                if not any(x.strip() for x in row):
                    continue

                def get(i):  # (called within this iteration only)
                    return row[i].strip() if i < len(row) else ""  # noqa: B023
                try:
                    ccode, year = int(get(col["ccode"])), int(get(col["year"]))
                except ValueError:
                    raise DataError(label, line, "ccode and year must be whole numbers, not "
                                                 f"{get(col['ccode'])!r}, "
                                                 f"{get(col['year'])!r}") from None
                if long:
                    assert code is not None  # (a long file without one was refused above)
                    igo = get(col["ioname"])
                    igos.setdefault(igo.lower(), igo)
                    cells.append((line, ccode, year, igo, get(col[code])))
                else:
                    for i, igo in wide:
                        cells.append((line, ccode, year, igo, get(i)))
            if not long:
                igos = {igo.lower(): igo for _, igo in wide}
            return Cow("long" if long else "wide", list(igos.values()), cells)
    except OSError as e:
        raise DataError(label, 0, f"cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise DataError(label, 0, f"not valid UTF-8 ({e.reason})") from None
    except csv.Error as e:
        raise DataError(label, 0, f"not CSV: {e}") from None


def crosscheck(fb, path: str):
    """Rows comparing each COW cell with the articles' code for it, and the counts (with
    the cells skipped: states or IGOs the fact base does not have, years the articles do
    not speak of)."""
    from ..facts.dates import parse_partial
    from .evaluate import verdicts
    from .panel import MISSING, _code, panel_years
    from .query import NO_FILTER, evidence, evidence_cites

    cow = read_cow(path)
    by_cow = {b.cow.lower(): b for b in fb.blocs.values() if b.cow}
    matched = [igo for igo in cow.igos if igo.lower() in by_cow]
    if not matched:
        known = sorted({b.cow for b in by_cow.values()})
        raise DataError(path, 1, "none of the file's IGOs is a bloc of the fact base (the file "
                                 f"has {_few(cow.igos) or 'no IGO columns'}; the blocs' COW "
                                 f"names are {', '.join(known) or 'none'}: `cow:` in blocs.yaml)")
    by_ccode = {e.ccode: e for e in fb.entities.values() if e.ccode is not None}
    evs = evidence(fb, [s for s in fb.statements if s.relation == "membership"
                        and s.group is None], fb.rosters, NO_FILTER)
    keyed = {(ev.subject, ev.object): ev for ev in evs}
    span = panel_years(fb, evs) or (0, -1)
    counts = {"agree": 0, "disagree": 0, "silent": 0}
    skipped = {"state": 0, "igo": 0, "year": 0}
    out = []
    periods: dict = {}
    for line, ccode, year, igo, raw in cow.cells:
        state = by_ccode.get(ccode)
        b = by_cow.get(igo.lower())
        if state is None:
            skipped["state"] += 1
            continue
        if b is None:
            skipped["igo"] += 1
            continue
        if not span[0] <= year <= span[1]:
            skipped["year"] += 1
            continue
        where = f"column {igo!r}" if cow.layout == "wide" else f"ioname {igo!r}"
        try:
            code = int(raw)
        except ValueError:
            raise DataError(path, line, f"{where}: {raw!r} is not a COW code "
                                        "(1, 2, 3, 0, -9 or -1)") from None
        if code not in COW_CODES:
            raise DataError(path, line, f"{where}: {code} is not a COW code "
                                        "(1, 2, 3, 0, -9 or -1)")
        period = periods.get(year) or periods.setdefault(year, parse_partial(f"{year:04d}"))
        ev = keyed.get((state.id, b.id))
        vs = verdicts(ev, period) if ev is not None else []
        ours = _code(fb, b.id, period, vs)
        result = "silent" if ours == MISSING else "agree" if ours == code else "disagree"
        counts[result] += 1
        out.append({"result": result, "ccode": state.ccode, "iso3": state.iso3,
                    "state": state.name, "state_id": state.id, "year": year,
                    "bloc": short_name(b), "bloc_id": b.id,
                    "articles": ours, "cow": code, "line": line,
                    "statuses": sorted({f"{v.status} ({v.basis})" for v in vs}),
                    "sources": evidence_cites(fb, ev) if ev is not None and vs else []})
    if cow.layout == "long":  # as a wide file would list them: by state, then year
        out.sort(key=lambda r: (r["state"], r["year"], r["bloc"]))
    return out, {**counts, "skipped": skipped, "span": span, "layout": cow.layout}, matched


def _few(names: list[str], n: int = 6) -> str:
    shown = ", ".join(names[:n])
    return shown + (f" and {len(names) - n} more" if len(names) > n else "")

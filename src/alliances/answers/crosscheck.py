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


MAX_LINE = 1 << 20  # characters of one line of the file


class Cow:
    """A COW IGO state-year file as read: its IGOs and its cells, in either layout. `cells`
    is an iterator read from the file as it is consumed (once), so nothing but the current
    line is held; `igos` of a long file grows as its rows are read."""

    def __init__(self, layout: str, igos: list[str], cells):
        self.layout = layout      # "wide" or "long"
        self.igos = igos          # as the file spells them (csto, CSTO, SCO...)
        self.cells = cells        # (line, ccode, year, igo, raw code), one at a time


def _limited(raw, limit: int, label: str):
    """A binary stream that raises DataError once more than `limit` bytes were read
    (/dev/zero is refused after ALLIANCES_MAX_INPUT_BYTES, not read for ever)."""
    import io

    class Limited(io.RawIOBase):
        total = 0

        def readable(self) -> bool:
            return True

        def readinto(self, b) -> int:
            n = raw.readinto(b)
            self.total += n or 0
            if self.total > limit:
                raise DataError(label, 0, f"input is over the {limit}-byte limit (set "
                                          "ALLIANCES_MAX_INPUT_BYTES to raise it)")
            return n

    return io.BufferedReader(Limited(), 1 << 16)


def _lines(fh, label: str):
    """The text's lines, none longer than MAX_LINE (a file of one endless line is refused
    rather than held)."""
    n = 0
    while True:
        line = fh.readline(MAX_LINE)
        if not line:
            return
        n += 1
        if len(line) == MAX_LINE and not line.endswith(("\n", "\r")):
            raise DataError(label, n, f"a line longer than {MAX_LINE} characters: not a COW "
                                      "state-year file")
        yield line


def read_cow(path: str) -> Cow:
    """Every cell of a COW state-year CSV, wide (ccode, year, one column per IGO, in any
    case: COW's upper-case release or igoR's lower-case) or long (ioname, ccode, year and
    a status column, one row per state, IGO and year); DataError with file:line for
    anything that is not one. The cells are read as they are iterated: the file stays
    open until then (and is closed when they are done)."""
    import io

    from ..facts.load import env_size

    label = path
    limit = env_size("ALLIANCES_MAX_INPUT_BYTES", MAX_INPUT)
    try:
        raw = open(path, "rb")  # noqa: SIM115  (closed by the cells' iterator)
    except OSError as e:
        raise DataError(label, 0, f"cannot read: {e.strerror or e}") from None
    try:
        fh = io.TextIOWrapper(_limited(raw, limit, label), encoding="utf-8-sig", newline="")
        reader, header = _header(fh, label)
    except BaseException:
        raw.close()
        raise
    lower = [h.strip().lower() for h in header]
    col = {h: i for i, h in reversed(list(enumerate(lower)))}
    missing = [c for c in ("ccode", "year") if c not in col]
    code = next((c for c in LONG_CODE if c in col), None)
    if missing or ("ioname" in col and code is None):
        raw.close()
        if missing:
            raise DataError(label, 1, f"not a COW state-year file: no {missing[0]!r} column "
                                      "(expected ccode, year and one column per IGO, or "
                                      "ioname, ccode, year and status)")
        raise DataError(label, 1, "a long COW file (with an 'ioname' column) needs a "
                                  f"code column: one of {', '.join(LONG_CODE)}")
    long = "ioname" in col
    wide = [(i, header[i].strip()) for i, h in enumerate(lower) if h not in NOT_IGO]
    igos: dict[str, str] = {} if long else {igo.lower(): igo for _, igo in wide}
    cow = Cow("long" if long else "wide", list(igos.values()), None)
    cow.cells = _cells(raw, reader, label, col, code, long, wide, igos, cow)
    return cow


def _header(fh, label: str):
    import csv

    try:
        reader = csv.reader(_lines(fh, label))
        return reader, next(reader, None) or []
    except UnicodeDecodeError as e:
        raise DataError(label, 0, f"not valid UTF-8 ({e.reason})") from None
    except csv.Error as e:
        raise DataError(label, 0, f"not CSV: {e}") from None
    except OSError as e:
        raise DataError(label, 0, f"cannot read: {e.strerror or e}") from None


def _cells(raw, reader, label, col, code, long, wide, igos, cow):
    import csv

    ci, yi = col["ccode"], col["year"]
    ii = col.get("ioname", 0)
    vi = col[code] if code is not None else 0
    try:
        for row in reader:
            line = reader.line_num
            if not any(x.strip() for x in row):
                continue
            n = len(row)
            try:
                ccode = int(row[ci].strip() if ci < n else "")
                year = int(row[yi].strip() if yi < n else "")
            except ValueError:
                def get(i):
                    return row[i].strip() if i < n else ""  # noqa: B023
                raise DataError(label, line, "ccode and year must be whole numbers, not "
                                             f"{get(ci)!r}, {get(yi)!r}") from None
            if long:
                igo = row[ii].strip() if ii < n else ""
                if igo.lower() not in igos:
                    igos[igo.lower()] = igo
                    cow.igos.append(igo)
                yield line, ccode, year, igo, row[vi].strip() if vi < n else ""
            else:
                for i, igo in wide:
                    yield line, ccode, year, igo, row[i].strip() if i < n else ""
    except OSError as e:
        raise DataError(label, 0, f"cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise DataError(label, 0, f"not valid UTF-8 ({e.reason})") from None
    except csv.Error as e:
        raise DataError(label, 0, f"not CSV: {e}") from None
    finally:
        raw.close()


def crosscheck(fb, path: str, keep=None):
    """Rows comparing each COW cell with the articles' code for it, and the counts (with
    the cells skipped: states or IGOs the fact base does not have, years the articles do
    not speak of). `keep`: the results to return rows for (all when None; the others are
    only counted). The file is read as a stream and each (state, bloc, year) is judged
    once: memory is a constant, plus the rows returned."""
    from ..facts.dates import parse_partial
    from .evaluate import verdicts
    from .panel import MISSING, _code, panel_years
    from .query import NO_FILTER, evidence, evidence_cites

    cow = read_cow(path)
    by_cow = {b.cow.lower(): b for b in fb.blocs.values() if b.cow}
    known = sorted({b.cow for b in by_cow.values()})

    def none_matched():
        cow.cells.close()
        return DataError(path, 1, "none of the file's IGOs is a bloc of the fact base (the "
                                  f"file has {_few(cow.igos) or 'no IGO columns'}; the blocs' "
                                  f"COW names are {', '.join(known) or 'none'}: `cow:` in "
                                  "blocs.yaml)")

    if cow.layout == "wide" and not any(igo.lower() in by_cow for igo in cow.igos):
        raise none_matched()
    by_ccode = {e.ccode: e for e in fb.entities.values() if e.ccode is not None}
    evs = evidence(fb, [s for s in fb.statements if s.relation == "membership"
                        and s.group is None], fb.rosters, NO_FILTER)
    keyed = {(ev.subject, ev.object): ev for ev in evs}
    span = panel_years(fb, evs) or (0, -1)
    counts = {"agree": 0, "disagree": 0, "silent": 0}
    skipped = {"state": 0, "igo": 0, "year": 0}
    out = []
    judged: dict = {}  # (state, bloc, year) -> (code, statuses, sources): a constant's worth
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
            cow.cells.close()
            raise DataError(path, line, f"{where}: {raw!r} is not a COW code "
                                        "(1, 2, 3, 0, -9 or -1)") from None
        if code not in COW_CODES:
            cow.cells.close()
            raise DataError(path, line, f"{where}: {code} is not a COW code "
                                        "(1, 2, 3, 0, -9 or -1)")
        key = (state.id, b.id, year)
        seen = judged.get(key)
        if seen is None:
            period = parse_partial(f"{year:04d}")
            ev = keyed.get((state.id, b.id))
            vs = verdicts(ev, period) if ev is not None else []
            seen = judged[key] = (_code(fb, b.id, period, vs),
                                  sorted({f"{v.status} ({v.basis})" for v in vs}),
                                  evidence_cites(fb, ev) if ev is not None and vs else [],
                                  short_name(b))
        ours, statuses, sources, bloc = seen
        result = "silent" if ours == MISSING else "agree" if ours == code else "disagree"
        counts[result] += 1
        if keep is None or result in keep:
            out.append({"result": result, "ccode": state.ccode, "iso3": state.iso3,
                        "state": state.name, "state_id": state.id, "year": year,
                        "bloc": bloc, "bloc_id": b.id, "articles": ours, "cow": code,
                        "line": line, "statuses": statuses, "sources": sources})
    matched = [igo for igo in cow.igos if igo.lower() in by_cow]
    if not matched:
        raise none_matched()
    if cow.layout == "long":  # as a wide file would list them: by state, then year
        out.sort(key=lambda r: (r["state"], r["year"], r["bloc"]))
    return out, {**counts, "skipped": skipped, "span": span, "layout": cow.layout}, matched


def _few(names: list[str], n: int = 6) -> str:
    shown = ", ".join(names[:n])
    return shown + (f" and {len(names) - n} more" if len(names) > n else "")

"""`alliances crosscheck FILE`: the articles' verdicts against a COW IGO state-year file.

COW distributes its IGO data as CSV with `ccode`, `state`, `year` and one column per IGO
named by its short name (`csto`, `sco`, ...), coded 1 full member, 2 associate, 3 observer,
0 none, -9 missing, -1 not in existence. Each bloc that names its COW column (`cow:` in
blocs.yaml) is compared cell by cell, for the states the fact base knows by ccode and the
years the articles speak of, with the code the panel gives that cell (the same verdict every
query reads): agree, disagree (with the verdict's citations and COW's code) or silent (the
articles leave it -9).
"""

from __future__ import annotations

from ..facts.load import DataError

COW_CODES = {1, 2, 3, 0, -9, -1}
MAX_INPUT = 512 * 1024 * 1024  # COW's whole IGO state-year file is about a tenth of this


def read_cow(path: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and (line, row) pairs of a COW state-year CSV; DataError with file:line
    for anything that is not one."""
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
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            missing = [c for c in ("ccode", "year") if c not in header]
            if missing:
                raise DataError(label, 1, f"not a COW state-year file: no {missing[0]!r} column "
                                          "(expected ccode, state, year and one column per IGO)")
            rows = []
            for row in reader:
                line = reader.line_num
                try:
                    ccode, year = int(row["ccode"]), int(row["year"])
                except (TypeError, ValueError):
                    raise DataError(label, line, f"ccode and year must be whole numbers, not "
                                                 f"{row.get('ccode')!r}, {row.get('year')!r}") from None
                rows.append((line, {**row, "ccode": ccode, "year": year}))
            return header, rows
    except OSError as e:
        raise DataError(label, 0, f"cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise DataError(label, 0, f"not valid UTF-8 ({e.reason})") from None
    except csv.Error as e:
        raise DataError(label, 0, f"not CSV: {e}") from None


def crosscheck(fb, path: str):
    """Rows comparing each COW cell with the articles' code for it, and the counts."""
    from ..facts.dates import parse_partial
    from .evaluate import verdicts
    from .panel import MISSING, _code, panel_years
    from .query import NO_FILTER, evidence, evidence_cites

    header, rows = read_cow(path)
    blocs = [b for b in fb.blocs.values() if b.cow and b.cow in header]
    by_ccode = {e.ccode: e for e in fb.entities.values() if e.ccode is not None}
    evs = evidence(fb, [s for s in fb.statements if s.relation == "membership"
                        and s.group is None], fb.rosters, NO_FILTER)
    keyed = {(ev.subject, ev.object): ev for ev in evs}
    span = panel_years(fb, evs) or (0, -1)
    counts = {"agree": 0, "disagree": 0, "silent": 0}
    out = []
    for line, row in rows:
        state = by_ccode.get(row["ccode"])
        if state is None or not span[0] <= row["year"] <= span[1]:
            continue
        period = parse_partial(f"{row['year']:04d}")
        for b in blocs:
            raw = (row.get(b.cow) or "").strip()
            try:
                cow = int(raw)
            except ValueError:
                raise DataError(path, line, f"column {b.cow!r}: {raw!r} is not a COW code "
                                            "(1, 2, 3, 0, -9 or -1)") from None
            if cow not in COW_CODES:
                raise DataError(path, line, f"column {b.cow!r}: {cow} is not a COW code "
                                            "(1, 2, 3, 0, -9 or -1)")
            ev = keyed.get((state.id, b.id))
            vs = verdicts(ev, period) if ev is not None else []
            ours = _code(fb, b.id, period, vs)
            result = "silent" if ours == MISSING else "agree" if ours == cow else "disagree"
            counts[result] += 1
            out.append({"result": result, "ccode": state.ccode, "iso3": state.iso3,
                        "state": state.name, "state_id": state.id, "year": row["year"],
                        "bloc": b.aliases[0] if b.aliases else b.name, "bloc_id": b.id,
                        "articles": ours, "cow": cow, "line": line,
                        "statuses": sorted({f"{v.status} ({v.basis})" for v in vs}),
                        "sources": evidence_cites(fb, ev) if ev is not None and vs else []})
    return out, counts, [b.cow for b in blocs]

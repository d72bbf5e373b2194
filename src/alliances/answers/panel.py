"""The COW-layout panels: every state-year (and dyad-year) coded from the verdicts alone."""

from __future__ import annotations

from datetime import date

from ..facts.model import STATUSES
from .evaluate import HELD


class PanelError(Exception):
    """A panel that cannot be built from this fact base (the message is for the user)."""


# -- the COW state-year panel ----------------------------------------------------------
NOT_IN_EXISTENCE = -1
MISSING = -9
NO_MEMBERSHIP = 0
CODES = {1: "full member", 2: "associate member", 3: "observer", 0: "no membership",
         -9: "missing: the articles do not settle it",
         -1: "bloc not in existence (proposed only, or before its earliest formation date)"}
# From the status table (facts/model.py STATUSES): COW's own codes 1, 2, 3; a suspended
# member is coded 1 (COW codes formal membership, which a suspension does not end); the
# statuses short of membership (dialogue partner, partner, aspirant, former or non-member)
# are 0; proposed and not-listed settle nothing (-9 unless something else is stated).
_STATUS_CODE = {k: v.cow for k, v in STATUSES.items() if v.cow in (1, 2, 3)}
_SHORT_OF_MEMBERSHIP = tuple(k for k, v in STATUSES.items()
                             if v.cow == 0 and v.relation == "membership")
PANEL_KEYS = ("ccode", "iso3", "state", "state_id", "year")

PANEL_DOC = """\
State-year panel: `alliances export OUT --panel state-year`

The layout of the Correlates of War (COW) IGO state-year data: one row per state (every
entity in the fact base, breakaway regions included) and year, one integer column per bloc,
named by the bloc's id (csto, sco, nato, ...). Rows carry `ccode` (the COW state number, as
COW's own files do, so the panel merges with COW, V-Dem or World Bank data), `iso3`,
`state` (the name), `state_id` (the fact base id) and `year`; the breakaway regions have no
codes (empty cells).

Years run from the earliest year any membership verdict can reach (a bloc's earliest
formation date, the earliest day a fact is carried from) to the latest article's year.

Codes are COW IGO v3's:
    1  full member           2  associate member       3  observer
    0  no membership        -9  missing data          -1  bloc not in existence

A cell is coded from the verdict alone: the same verdict `alliances memberships STATE
--as-of YEAR --all` shows for that bloc (a year is the whole year), so the panel and the
queries never differ. The first rule that applies:

1. -1 if the bloc is recorded only as proposed (still being negotiated per its sources), or
   the whole year is before the earliest date its formation allows.
2. -9 if the verdict is disputed (admitted articles that cannot all be right meet in that
   year).
3. 1, 2 or 3 if the verdict is member, associate or observer with basis "stated" (an
   article places the state in the bloc in that year) or "bracketed" (the year lies
   between two reports of one spell, with no end or contrary report between them: as the
   COW data codes a membership in every year from entry to exit); the strongest status
   wins. A state
   that withdraws during a year is a member for that year: Georgia "was a member but
   withdrew in 1999" is 1 in 1999 and 0 from 2000 to 2008 (and 0 in 2014, when
   outline-2014's complete list leaves the former member out).
4. 0 if an article rules the tie out for that year: a stated verdict of former member,
   non-member, partner or aspirant (an article that says the state wants to join, or is a
   partner, says it is not a member).
5. -9 in every other case: the articles are silent for that year, the verdict is only
   "possible" (carried forward from an article of another year), or the state is
   "not-listed" (an earlier article lists it, a later complete list leaves it out: the tool
   does not decide which article is right: Uzbekistan in the CSTO is 1 in 2008, -9 in
   2014). Kyrgyzstan in the CSTO is 1 in 2008 and 2014 and -9 from 2009 to 2013.
   Silence is never coded 0: no article about the CSTO in 2008 names an observer, so
   Serbia and Afghanistan are -9 in 2008, not 0.
"""


DYAD_KEYS = ("dyadid", "ccode1", "iso3_1", "state1", "ccode2", "iso3_2", "state2", "year")
JOINT_FULL, NOT_JOINT = 1, 0

DYAD_DOC = """\
Dyad-year panel: `alliances export OUT --panel dyad-year`

The layout of COW's dyadic IGO data (dyadic_formatv3), as igoR's igo_dyadic() builds it:
one row per pair of states and year, one integer column per bloc. Pairs are the states
with a COW state number (members of the state system, as in COW's file; the breakaway
regions have none), each pair once, ccode1 < ccode2; `dyadid` is 1000 * ccode1 + ccode2.
Years are the state-year panel's.

Each cell is computed from the two states' state-year cells, never from the evidence
again, so the dyad panel cannot disagree with the state-year panel or with a query (the
rule of igoR's recode_joint_matrix):
   -9  missing: either state's cell is -9 (silent or disputed)
   -1  either cell is -1 (the bloc did not exist)
    1  joint full membership: both cells are 1
    0  otherwise (at least one state is an associate, an observer or not a member)
An associate or observer beside a full member is therefore 0, as in COW's dyadic data.
"""


def _joint(a: int, b: int) -> int:
    if a == MISSING or b == MISSING:
        return MISSING
    if a == NOT_IN_EXISTENCE or b == NOT_IN_EXISTENCE:
        return NOT_IN_EXISTENCE
    return JOINT_FULL if a == b == 1 else NOT_JOINT


_CODES = (-9, -1, 0, 1, 2, 3)
JOINT = {(a, b): _joint(a, b) for a in _CODES for b in _CODES}


def dyad_panel(fb, clean_names=None):
    """(columns, rows): rows is a generator of tuples, one per pair and year, so that the
    file is written as it is computed; memory holds only the state-year cells."""
    columns, rows = panel(fb)
    blocs = columns[len(PANEL_KEYS):]
    cells: dict[str, dict[int, tuple]] = {}
    for r in rows:
        if r["ccode"] is not None:
            cells.setdefault(r["state_id"], {})[r["year"]] = tuple(r[b] for b in blocs)
    del rows
    states = sorted((fb.entities[s] for s in cells), key=lambda e: (e.ccode, e.id))
    name = clean_names or (lambda n: n)
    joint = JOINT

    def generate():
        for i, a in enumerate(states):
            mine = cells[a.id]
            for b in states[i + 1:]:
                theirs = cells[b.id]
                head = (1000 * a.ccode + b.ccode, a.ccode, a.iso3, name(a.name), b.ccode,
                        b.iso3, name(b.name))
                for year, codes in mine.items():
                    yield (*head, year,
                           *[joint[pair] for pair in zip(codes, theirs[year], strict=False)])

    return [*DYAD_KEYS, *blocs], generate()


def _code(fb, bloc: str, year_period, vs) -> int:
    """One cell: the rules of PANEL_DOC, in order, over the verdicts of one key."""
    b = fb.blocs[bloc]
    if b.proposed or (b.formed is not None and year_period.latest < b.formed.earliest):
        return NOT_IN_EXISTENCE                                             # rule 1
    return _verdict_code(vs)


def _verdict_code(vs) -> int:
    """Rules 2 to 5 of PANEL_DOC: what the verdicts alone make of a cell."""
    if any(v.basis == "disputed" for v in vs):
        return MISSING                                                      # rule 2
    stated = [v for v in vs if v.basis in HELD]
    codes = [_STATUS_CODE[v.status] for v in stated if v.status in _STATUS_CODE]
    if codes:
        return min(codes, key=lambda c: (c != 1, c))                        # rule 3
    if any(v.status in _SHORT_OF_MEMBERSHIP for v in stated):
        return NO_MEMBERSHIP                                                # rule 4
    return MISSING                                                          # rule 5


def panel(fb) -> tuple[list[str], list[dict]]:
    """The state-year panel: (column names, rows), coded as PANEL_DOC describes. Evidence
    is combined once per (state, bloc); each key is then evaluated once per run of years
    that none of its dates separates (evaluate.verdict_runs), and a bloc's cells without
    evidence once per year, so the time grows with statements plus cells. A key whose
    spells are kept between runs (answers/kept.py) keeps its codes beside them, so a later
    run over the same record evaluates only the keys an edit touched."""
    from ..facts.dates import parse_partial
    from ..facts.model import fold
    from .query import NO_FILTER, evidence

    blocs = list(fb.blocs)
    clash = [b for b in blocs if b in PANEL_KEYS]
    if clash:
        raise PanelError(f"bloc id {clash[0]!r} clashes with the panel column of the same "
                          "name; rename the bloc to export a state-year panel")
    columns = [*PANEL_KEYS, *blocs]
    evs = evidence(fb, _memberships(fb), fb.rosters_for(blocs), NO_FILTER)
    kept = [_kept_codes(ev) for ev in evs]
    years = _years(fb, [_first_year(ev, k) for ev, k in zip(evs, kept, strict=True)])
    if years is None:
        return columns, []
    first, last = years
    year_list = list(range(first, last + 1))
    periods = [parse_partial(f"{y:04d}") for y in year_list]
    # a cell no evidence speaks to: rule 1 or 5, the same for every state (one per bloc
    # and year)
    silent = [{b: _code(fb, b, p, []) for b in blocs} for p in periods]
    by_state: dict[str, list] = {}
    for ev, k in zip(evs, kept, strict=True):
        by_state.setdefault(ev.subject, []).append((ev, k))
    rows = []
    for e in sorted(fb.entities.values(), key=lambda e: (fold(e.name), e.id)):
        cells = [dict(codes) for codes in silent]
        for ev, k in by_state.get(e.id, []):
            obj = ev.object
            steps = _steps(ev, k, years, year_list, periods)
            for n, (y, code) in enumerate(steps):
                stop = steps[n + 1][0] if n + 1 < len(steps) else last + 1
                for i in range(y - first, stop - first):
                    # rule 1 depends on the year alone: it is the silent cell's -1
                    cells[i][obj] = (NOT_IN_EXISTENCE if silent[i][obj] == NOT_IN_EXISTENCE
                                     else code)
        head = {"ccode": e.ccode, "iso3": e.iso3, "state": e.name, "state_id": e.id}
        for year, codes in zip(year_list, cells, strict=True):
            rows.append({**head, "year": year, **codes})
    return columns, rows


def _memberships(fb) -> list:
    """The statements of the panel's keys: every membership not about a group. (They live
    in their blocs' shards, read one bloc at a time: the record's order is not needed, as
    each key fills its own cells and the years are a minimum and a maximum.)"""
    return [s for b in fb.blocs for s in fb.for_objects([b])
            if s.relation == "membership" and s.group is None]


def _kept_codes(ev):
    """What the store keeps of a key's codes (kept.SpellStore.codes_get), or None."""
    return None if ev.kept is None else ev.kept[0].codes_get(ev.object, ev.kept[1])


def _first_year(ev, kept=None) -> int | None:
    """The first year a key's spells can reach (None without spells): kept beside its
    codes when the store holds them (`kept`: _kept_codes(ev)), else read from its spells,
    which decodes them."""
    if kept is not None:
        return kept[0]
    return min((ep.carry_from.year for ep in ev.episodes), default=None)


def _steps(ev, kept, years, year_list, periods) -> list:
    """A key's codes over the panel's years as steps [(year, code), ...]: the code holds
    from its year to the next step's. Read from the store when kept for these years, else
    evaluated once per run of years (evaluate.verdict_runs), and kept when the key is."""
    from .evaluate import verdict_runs

    if kept is not None and kept[1] == years:
        ev.kept[0].coded[0] += 1
        return kept[2]
    steps: list = []
    for i, _, vs in verdict_runs(ev, periods):
        code = _verdict_code(vs)
        if not steps or steps[-1][1] != code:
            steps.append([year_list[i], code])
    if ev.kept is not None:
        ev.kept[0].coded[1] += 1
        first = _first_year(ev, kept)
        if first is not None:
            ev.kept[0].codes_put(ev.object, ev.kept[1], first, years, steps)
    return steps


def _years(fb, firsts) -> tuple[int, int] | None:
    """(first, last) year of the panel from each key's first year (None for a key without
    spells), or None when there are no keys."""
    starts: list[int] = []
    seen = False
    for y in firsts:
        seen = True
        if y is not None:
            starts.append(y)
    if not seen:
        return None
    starts += [b.formed.earliest.year for b in fb.blocs.values()
               if b.formed is not None and b.formed.earliest != date.min]
    ends = [src.published.latest.year for src in fb.sources.values()]
    return min(starts), max(ends)


def panel_years(fb, evs=None) -> tuple[int, int] | None:
    """(first, last) year of the panel, or None when there are no membership facts."""
    if evs is None:
        from .query import NO_FILTER, evidence_each

        # one key at a time: only the years are kept (an export streams)
        evs = evidence_each(fb, _memberships(fb), fb.rosters, NO_FILTER)
    return _years(fb, (_first_year(ev, _kept_codes(ev)) for ev in evs))


# -- records of the whole fact base -----------------------------------------------------

"""Evaluation once per key per run (issue 33): the shortcuts give the answers the plain
evaluation gives, period by period and name by name."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from alliances.answers import evaluate
from alliances.answers.evaluate import combine, verdict_runs, verdicts, verdicts_each
from alliances.answers.query import NO_FILTER, evidence_each
from alliances.facts.dates import parse_partial
from alliances.facts.paths import default_data_dir
from alliances.facts.store import build_factbase


def _shape(vs):
    return [(v.status, v.basis, v.since, v.until, v.period, v.disputed_with, v.derived,
             v.episode) for v in vs]


FB = build_factbase(default_data_dir(), strict=False)[0]
KEYS = list(evidence_each(FB, FB.statements, FB.rosters, NO_FILTER))


def test_each_year_is_the_verdict_of_that_year_alone():
    years = [parse_partial(f"{y:04d}") for y in range(1985, 2027)]
    months = [parse_partial(f"2008-{m:02d}") for m in range(1, 13)]
    runs = evaluated = 0
    for ev in KEYS:
        for periods in (years, months):
            got = list(verdicts_each(ev, periods))
            assert [_shape(vs) for vs in got] == [_shape(verdicts(ev, p)) for p in periods], \
                (ev.subject, ev.object)
            spans = list(verdict_runs(ev, periods))
            # the runs cover the periods in order, without gaps
            assert [i for i, _, _ in spans] == [0, *[j for _, j, _ in spans[:-1]]]
            assert spans[-1][1] == len(periods)
            runs += len(spans)
            evaluated += len(periods)
    # and the point of it: most keys change in few of the years
    assert runs < evaluated / 2, (runs, evaluated)


def test_a_key_combined_again_is_the_same_evidence():
    evaluate._COMBINED.clear()
    ev = next(e for e in KEYS if e.relation == "membership" and e.group is None
              and len(e.statements) > 2)
    # as gather() does for a bloc's members, then `disputes` for the same key
    statements = list(ev.statements)
    rosters = [r for r in FB.rosters if r.bloc == ev.object]
    formed = FB.blocs[ev.object].formed
    first = list(evaluate.gather_each(statements, rosters, lambda b: formed, remember=True))
    again = list(evaluate.gather_each(statements, rosters, lambda b: formed))
    assert again[0] is first[0]
    fresh = combine("membership", ev.subject, ev.object, None, statements, rosters, formed)
    assert [(e.status, e.start_lo, e.start_hi, e.carry_from, e.end_hi, e.last_certain,
             list(e.disputes)) for e in fresh.episodes] == [
        (e.status, e.start_lo, e.start_hi, e.carry_from, e.end_hi, e.last_certain,
         list(e.disputes)) for e in first[0].episodes]
    evaluate._COMBINED.clear()


def test_names_through_stdin_asked_again_answer_as_alone(tmp_path):
    names = ["Russia", "Georgia", "russia", "Kyrgyzstan", "Georgia", "Nowhere", "Russia"]

    def run(*args, stdin=""):
        env_cmd = [sys.executable, "-m", "alliances", *args]
        return subprocess.run(env_cmd, input=stdin, capture_output=True, text=True,
                              env={**os.environ, "ALLIANCES_CACHE_DIR": str(tmp_path)})

    many = run("memberships", "-", "--as-of", "2008", "--all", "--format", "jsonl",
               stdin="\n".join(names) + "\n")
    assert many.returncode == 1  # "Nowhere" is not a state: an error line, exit 1 at the end
    assert "Nowhere" in many.stderr
    rows = [json.loads(line) for line in many.stdout.splitlines()]
    for name in dict.fromkeys(n for n in names if n != "Nowhere"):
        alone = run("memberships", name, "--as-of", "2008", "--all", "--format", "jsonl")
        assert alone.returncode == 0, alone.stderr
        expected = [json.loads(line) for line in alone.stdout.splitlines()]
        assert expected
        got = [{k: v for k, v in r.items() if k != "query"} for r in rows
               if r["query"] == name]
        assert got == expected * names.count(name), name

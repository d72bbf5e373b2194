"""Draft every curated article now and score it against the curation: recall and precision
with dates scored, and "proposed or listed" (issue 31: nothing silently missed).

    python bench/coverage.py [--data DIR] [--json] [--misses]

MEASURED ON ARTICLES THE RULES WERE WRITTEN FROM / AFTER READING: every article of the
shipped data has been read by the people who wrote the draft's rules, so these figures are
not unseen ones and are never added to the unseen table (bench/unseen.py score). Each
article is drafted in-process with the fact base's names and aliases but none of its facts
(measure.score_live); `--misses` prints each curated statement neither proposed nor
listed, with its quote, and each wrong proposal.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "src"))


def main(argv=None) -> int:
    from alliances.curation.draft.measure import score_live, table
    from alliances.facts.paths import default_data_dir

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default=str(default_data_dir()))
    p.add_argument("--json", action="store_true")
    p.add_argument("--misses", action="store_true")
    a = p.parse_args(argv)
    result = score_live(a.data)
    if a.json:
        print(json.dumps(result, indent=2, default=str))
        return 0
    print(table(result, "all curated (seen)"))
    print(f"\nproposed or listed: {result['covered']} of {result['curated']}; "
          f"proposed with dates: {result['found']}; "
          f"right proposals: {result['right']} of {result['proposed']}")
    if a.misses:
        for sid, r in result["sources"].items():
            for what, quote in r["missed_quotes"]:
                print(f"MISS {sid}: {what} | {' '.join(quote.split())[:160]}")
            for what in r["wrong"]:
                print(f"WRONG {sid}: {what}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

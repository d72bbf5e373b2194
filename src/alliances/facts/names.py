"""Names shown to people: a bloc's short name, and "did you mean" for a name not found.

One helper per job, used by the queries, the validator and the commands alike.
"""

from __future__ import annotations


def short_name(bloc) -> str:
    """A bloc as tables and titles name it: its first alias (CSTO), else its name."""
    return bloc.aliases[0] if bloc.aliases else bloc.name


def closest(name: str, candidates) -> list[str]:
    """Likely meant names, best first: close spellings, and among them those that start the
    same way first ("Belorussia" is Belarus before Russia). Compared as given: fold both
    sides first for a case-insensitive match."""
    import difflib
    import os

    candidates = list(dict.fromkeys(candidates))
    close = difflib.get_close_matches(name, candidates, n=6, cutoff=0.6)
    # a misspelt field keeps its first letters ("sinc" for since) even when short
    close += [c for c in candidates if c not in close and len(name) >= 3
              and c[:3] == name[:3]][:1]

    def rank(c: str):
        prefix = len(os.path.commonprefix([name, c]))
        return (-min(prefix, 3), -difflib.SequenceMatcher(None, name, c).ratio())

    return sorted(close, key=rank)[:3]


def did_you_mean(name: str, candidates, sep: str = " or ") -> str:
    """`; did you mean 'a' or 'b'?`, or "" when nothing is close."""
    close = closest(name, candidates)
    return f"did you mean {sep.join(repr(c) for c in close)}?" if close else ""

"""What a user touches tells the truth: help, usage, listings, formats, completion, export.

Dates asserted here are read from the articles' own datelines: reuters-2008 "September 4,
2008", rferl-2008 4 or 5 September 2008, goodenough-2008 "September 5, 2008",
eurasianet-2014 "Sep 2, 2014", outline-2014 "03/09/2014" (3 September 2014).
"""

from __future__ import annotations

import pytest

COMMANDS = ["members", "recognizes", "recognitions", "memberships", "compare", "shared",
            "timeline", "changes", "disputes", "claims", "search", "blocs", "states",
            "sources", "source", "check", "export"]


def test_sources_are_listed_oldest_first(cli):
    assert cli("sources", "--format", "plain").stdout.split() == [
        "reuters-2008", "rferl-2008", "goodenough-2008", "eurasianet-2014", "outline-2014"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_examples_and_plain_usage(cli, command):
    out = cli(command, "--help").stdout
    assert "Examples:" in out or "Example:" in out
    usage = out.splitlines()[0]
    assert usage.startswith(f"Usage: alliances {command}") or usage.startswith("Usage: ")
    assert "{" not in usage and "}" not in usage, usage

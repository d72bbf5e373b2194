"""Shared fixtures: run the real CLI in-process, with a private cache directory."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from typer.testing import CliRunner

from alliances.cli import app
from alliances.facts.paths import default_data_dir

# The fact base of the first five articles (2008 and 2014), frozen as it was curated: the
# fixture the engine and command tests read, so that growing the shipped record does not
# move their ground. Tests of the shipped record itself are marked `shipped`.
FIVE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "five-articles")


def pytest_configure(config):
    config.addinivalue_line("markers", "shipped: reads the shipped fact base, not the fixture")
    # A run started in the background of a non-interactive shell (`pytest &`) inherits
    # SIGINT ignored, and an ignored signal stays ignored in every process it starts: the
    # tests that send Ctrl-C to the tool would wait for nothing. A handler is reset to the
    # default in a started process.
    import signal

    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch, request):
    """Never touch the user's cache; never inherit a data directory from the caller: the
    five-article fixture, or the shipped data for tests marked `shipped`."""
    monkeypatch.setenv("ALLIANCES_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    if request.node.get_closest_marker("shipped"):
        monkeypatch.delenv("ALLIANCES_DATA", raising=False)
    else:
        monkeypatch.setenv("ALLIANCES_DATA", FIVE)
    monkeypatch.delenv("ALLIANCES_NO_CACHE", raising=False)


class Cli:
    """`cli("members", "CSTO")` runs the command; `.json(...)` parses its JSON output."""

    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args, code: int | None = 0):
        result = self.runner.invoke(app, [str(a) for a in args])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        if code is not None:
            assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
        return result

    def json(self, *args):
        return json.loads(self(*args, "--format", "json").stdout)

    def names(self, *args, key: str = "state") -> set[str]:
        return {row[key] for row in self.json(*args)}


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def data_copy(tmp_path, request):
    """A writable copy of the test's data directory (the fixture, or the shipped data for
    a `shipped` test), to change in one place."""
    dest = tmp_path / "data"
    shutil.copytree(default_data_dir() if request.node.get_closest_marker("shipped")
                    else FIVE, dest)
    return dest


def rehash(data_dir, source_id: str) -> None:
    """Record an article's new SHA-256 after a test changed its text on purpose (as a
    curator does after re-checking its quotes), leaving the rest of sources.yaml as it is."""
    import hashlib
    import re
    from pathlib import Path

    sources = Path(data_dir) / "sources" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    entry = re.search(rf"(?m)^  {re.escape(source_id)}:\n((?:    .*\n|\n)*)", text)
    fname = re.search(r"(?m)^    file: (.+)$", entry[1])[1].strip().strip('"')
    digest = hashlib.sha256((Path(data_dir) / "sources" / fname).read_bytes()).hexdigest()
    body = re.sub(r"(?m)^    sha256: .*$", f"    sha256: {digest}", entry[1])
    sources.write_text(text[:entry.start(1)] + body + text[entry.end(1):], encoding="utf-8")

"""The `alliances` command line: thin commands over facts -> answers -> output.

app.py holds the typer app, the options every command shares and the one place that maps
errors to exit codes; each module beside it registers one group of commands, as the manual
groups them. Heavy modules are imported inside commands, so start-up stays near typer's own.
"""

from __future__ import annotations

from .app import app, console, main

# In the order `alliances --help` lists them (registration order).
from . import questions, reference, charts, exports, curating  # noqa: E402, F401, I001

__all__ = ["app", "console", "main"]

"""`python -m alliances`."""

from . import _entry  # Ctrl-C handled before anything heavy is imported
from .cli import console

_entry.install()
console()

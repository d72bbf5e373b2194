"""`python -m alliances`."""

from .cli import console

console()

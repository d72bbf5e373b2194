"""`python -m alliances`."""

from .cli import main

main()

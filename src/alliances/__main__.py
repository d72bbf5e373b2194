"""`python -m alliances`."""

from .cli import interrupt

interrupt.install()  # Ctrl-C handled before anything heavy is imported

from .cli.core import console  # noqa: E402

console()

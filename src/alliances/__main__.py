"""`python -m alliances`."""

import gc

gc.disable()  # for the whole run, imports included: cli/core.py's console() says why

from .cli import interrupt  # noqa: E402

interrupt.install()  # Ctrl-C handled before anything heavy is imported

from .cli.core import console  # noqa: E402

console()

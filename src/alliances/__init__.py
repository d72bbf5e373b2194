"""alliances: cited answers about military and political blocs, from the shell."""

__version__ = "0.1.0"

"""alliances: cited answers about military and political blocs, from the shell and from
Python.

    import alliances

    facts = alliances.open()                  # the shipped fact base, or open("my-facts")
    facts.members("CSTO", as_of="2008").to_dicts()

The Python API (docs/api.md) is `alliances.api`; its names are reachable from here too,
imported only when first used, so that `import alliances` (and the command line, which
never uses them) costs nothing more.
"""

__version__ = "0.1.0"

_API = ("open", "Alliances", "Rows", "Row", "Citation", "PanelRow", "DyadRow", "ROW_TYPES",
        "OptionError", "NameNotFound", "EmptyName", "DataError")

# (`open` is left out of a star import, which would hide the builtin)
__all__ = ["__version__", *(name for name in _API if name != "open")]


def __getattr__(name: str):
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'alliances' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})

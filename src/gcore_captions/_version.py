"""
The package version, one place: ``pyproject.toml`` reads it from here (hatch),
and reading it costs nothing at import time (no ``importlib.metadata``).
"""

__version__ = "0.2.0.dev0"

"""nachtwacht: a nightly accessibility and top-task monitor for Dutch municipal websites."""

from core import __version__

__all__ = ["__version__"]

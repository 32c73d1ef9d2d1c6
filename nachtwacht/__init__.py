"""nachtwacht: a nightly accessibility and top-task monitor for Dutch municipal websites."""

__version__ = "0.1.0"

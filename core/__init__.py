"""The core every layer may use: the store, the config model, URL identity, WCAG data.

It imports nothing else of nachtwacht's; crawler/, audits/, reports/ and nachtwacht/ build on it.
"""

__version__ = "0.1.0"

"""Stopping a run on SIGTERM or SIGINT so that it can be recorded as incomplete.

Scrapy handles these signals itself while it crawls (a graceful stop, with
``finish_reason`` "shutdown"); before and after the crawl our handler raises
``Interrupted`` so that open transactions roll back and the run is marked.
"""

from __future__ import annotations

import signal

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Interrupted(Exception):
    """The run was asked to stop; the message names the signal."""


def _raise(signum: int, _frame) -> None:
    raise Interrupted(signal.Signals(signum).name)


def install() -> dict:
    """Raise ``Interrupted`` on SIGTERM/SIGINT; returns the handlers it replaced."""
    return {s: signal.signal(s, _raise) for s in SIGNALS}


def restore(previous: dict) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)


def after_crawl(stats: dict) -> None:
    """Take the signals back from Scrapy; raise when a signal stopped the crawl."""
    install()
    if stats.get("finish_reason") == "shutdown":
        raise Interrupted("SIGTERM/SIGINT tijdens het crawlen")

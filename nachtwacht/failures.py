"""How a run fails: the one-line reasons behind exit codes 3 and 4.

Imports nothing of ours, so that the command line can report a crash even while the rest of
nachtwacht is being loaded.
"""

from __future__ import annotations


class RunFailed(Exception):
    """The run could not be done (exit code 3); the message is one line for the operator."""


class SiteUnreachable(RunFailed):
    """The start page could not be fetched: no answer, a refused connection, robots.txt unread."""


def internal_error(error: BaseException) -> str:
    """One line naming an unexpected error (exit code 4), for the run's record and the terminal."""
    text = (str(error).strip().splitlines() or [""])[0][:200]
    return f"interne fout in nachtwacht ({type(error).__name__}{': ' + text if text else ''})"

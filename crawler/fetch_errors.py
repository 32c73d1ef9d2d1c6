"""Why a request got no answer, in one short word: the reason pages, link checks, documents
and robots.txt are recorded with (``fetch_error``)."""

from __future__ import annotations

import scrapy
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TimeoutError
from twisted.web._newclient import ResponseNeverReceived


def _exceptions(*names: str) -> tuple[type, ...]:
    """Scrapy's own download exceptions, where this Scrapy version has them."""
    return tuple(getattr(scrapy.exceptions, n) for n in names if hasattr(scrapy.exceptions, n))


# No server there at all (the exceptions of Twisted and of Scrapy >= 2.14)
UNKNOWN_HOST = (DNSLookupError, *_exceptions("CannotResolveHostError"))
REFUSED = (ConnectionRefusedError, *_exceptions("DownloadConnectionRefusedError"))

FETCH_ERRORS = (  # reason, the exceptions that mean it
    ("dns", UNKNOWN_HOST),
    ("connection", REFUSED),
    ("timeout", (TimeoutError, *_exceptions("DownloadTimeoutError"))),
    ("connection", (ResponseNeverReceived,
                    *_exceptions("DownloadFailedError", "ResponseDataLossError"))),
    ("robots", (scrapy.exceptions.IgnoreRequest,)),
    ("too-large", _exceptions("DownloadCancelledError")),   # over DOWNLOAD_MAXSIZE
)


def fetch_error_reason(failure) -> str:
    """A short reason for a request that got no answer."""
    for reason, kinds in FETCH_ERRORS:
        if failure.check(*kinds):
            return reason
    if "timeout" in type(failure.value).__name__.lower():
        return "timeout"
    return type(failure.value).__name__

"""URL identity: the one form in which a page's URL is stored, compared and scoped."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Names of query or path parameters that carry a session id.
SESSION_NAMES = r"jsessionid|phpsessid|aspsessionid\w*|sid|sessionid|session_id|session|cfid|cftoken"
# Query parameters that name a visitor, a session or a campaign, not a page.
VISITOR_PARAMS = re.compile(
    r"utm_\w+|gclid|gbraid|wbraid|fbclid|msclkid|dclid|yclid|mc_cid|mc_eid|_ga|_gl|"
    + SESSION_NAMES, re.IGNORECASE)
SESSION_IN_PATH = re.compile(rf";({SESSION_NAMES})=[^/;]*", re.IGNORECASE)
# ASP.NET's cookieless sessions put the id in a path segment: /(S(abc123))/page
SESSION_SEGMENT = re.compile(r"/\(s\([a-z0-9]+\)\)", re.IGNORECASE)


def page_key(url: str) -> str:
    """The form in which a page's URL is stored and compared.

    No fragment, sorted query, and without session ids and tracking parameters, so that
    one page reached through a newsletter or with a session id is still one page.
    """
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not VISITOR_PARAMS.fullmatch(k)]
    path = SESSION_SEGMENT.sub("", SESSION_IN_PATH.sub("", parts.path))
    url = urlunsplit(parts._replace(path=path, query=urlencode(query) if query else ""))
    return canonicalize_url(url, keep_fragments=False)


def has_session_id(url: str) -> bool:
    """Whether the URL carries a session id (in its query, its path parameters or a segment)."""
    parts = urlsplit(url)
    names = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    return bool(SESSION_IN_PATH.search(parts.path) or SESSION_SEGMENT.search(parts.path)
                or any(re.fullmatch(SESSION_NAMES, name, re.IGNORECASE) for name in names))


def on_allowed_domain(url: str, domains: list[str]) -> bool:
    """Whether the URL's host is one of the domains or a subdomain of one (any port)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d.lower() or host.endswith("." + d.lower()) for d in domains)

"""URL identity: the one form in which a page's URL is stored, compared and scoped."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit, urlunsplit

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
DEFAULT_PORTS = {"http": 80, "https": 443}
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def _query_names(query: str) -> list[tuple[str, str]]:
    """(name, raw pair) for each parameter; the pair keeps its encoding as written (%E9 stays)."""
    pairs = [pair for pair in query.split("&") if pair]
    return [(unquote(pair.split("=", 1)[0].replace("+", " ")), pair) for pair in pairs]


def _netloc(parts) -> str:
    """The host part without a default port (``:443`` for https, ``:80`` for http)."""
    try:
        port = parts.port
    except ValueError:
        return parts.netloc
    if port is not None and DEFAULT_PORTS.get(parts.scheme.lower()) == port:
        return parts.netloc.rsplit(":", 1)[0]
    return parts.netloc


def page_key(url: str) -> str:
    """The form in which a page's URL is stored and compared.

    No fragment, sorted query, and without session ids and tracking parameters, so that
    one page reached through a newsletter or with a session id is still one page.
    """
    parts = urlsplit(url)
    query = "&".join(pair for name, pair in _query_names(parts.query)
                     if not VISITOR_PARAMS.fullmatch(name))
    path = SESSION_SEGMENT.sub("", SESSION_IN_PATH.sub("", parts.path))
    url = urlunsplit(parts._replace(netloc=_netloc(parts), path=path, query=query))
    return canonicalize_url(url, keep_fragments=False)


def start_url(typed: str) -> str:
    """A start URL as a person types it, made into the page's key.

    ``www.gemeente.nl`` means https; no trailing slash, an upper-case host, the default
    port and tracking parameters all name the same start page.
    """
    typed = typed.strip()
    if not SCHEME.match(typed):
        typed = "https://" + typed.removeprefix("//")
    return page_key(typed)


def has_session_id(url: str) -> bool:
    """Whether the URL carries a session id (in its query, its path parameters or a segment)."""
    parts = urlsplit(url)
    names = {name.lower() for name, _ in _query_names(parts.query)}
    return bool(SESSION_IN_PATH.search(parts.path) or SESSION_SEGMENT.search(parts.path)
                or any(re.fullmatch(SESSION_NAMES, name, re.IGNORECASE) for name in names))


def url_scheme(url: str) -> str:
    """The URL's scheme in lower case; "" for a URL that cannot be read (``http://[x``)."""
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return ""


def on_allowed_domain(url: str, domains: list[str]) -> bool:
    """Whether the URL's host is one of the domains or a subdomain of one (any port);
    False for a URL that cannot be read."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    return any(host == d.lower() or host.endswith("." + d.lower()) for d in domains)

"""Reading a fetched HTML page: title, language, links and resources with their text, forms.

Every URL a page uses is a link here, with its ``kind`` (the contract's names): ``link``
(a, area), ``image`` (img src/srcset, picture source, video poster), ``stylesheet``,
``script``, ``frame`` (iframe, frame), ``media`` (video, audio, source, track, object,
embed), ``refresh`` (meta http-equiv=refresh) and ``form`` (only a form action that is not
a URL; working actions are in the form inventory).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import urlsplit

from scrapy.http import TextResponse

from core.pages import is_html_type
from core.urls import page_key

SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "fax:", "blob:", "about:")
# Schemes a visitor's browser cannot follow from a web page: reported as malformed.
MALFORMED_SCHEMES = ("file",)
SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.-]*):", re.IGNORECASE)
STYLESHEETS = ("//link[@href][contains(concat(' ', normalize-space(translate(@rel, "
               "'STYLESHEET', 'stylesheet')), ' '), ' stylesheet ')]")
# (XPath of the elements, attribute, kind); srcset and refresh are read apart.
RESOURCES = (
    ("//a[@href] | //area[@href]", "href", "link"),
    ("//img[@src] | //input[@type='image'][@src]", "src", "image"),
    ("//video[@poster]", "poster", "image"),
    (STYLESHEETS, "href", "stylesheet"),
    ("//script[@src]", "src", "script"),
    ("//iframe[@src] | //frame[@src]", "src", "frame"),
    ("//video[@src] | //audio[@src] | //source[@src] | //track[@src] | //embed[@src]",
     "src", "media"),
    ("//object[@data]", "data", "media"),
)
REFRESH_URL = re.compile(r"^\s*\d*(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?(['\"]?)(.+?)\1\s*$",
                         re.IGNORECASE | re.DOTALL)
# Fields anywhere inside the form (usually wrapped in divs and fieldsets), not only children.
FIELD_TAGS = ".//input[not(@type='hidden' or @type='submit' or @type='button' " \
             "or @type='reset' or @type='image')] | .//select | .//textarea"


# A page's menu, footer and breadcrumb links are on every page: each target's key is made
# once (w3lib's canonicalize_url is the costliest step of reading a link).
target_key = lru_cache(maxsize=16384)(page_key)


def clean_text(parts: list[str]) -> str:
    return " ".join(" ".join(parts).split())


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def is_html(response) -> bool:
    ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    return isinstance(response, TextResponse) and (is_html_type(ctype) or not ctype)


def page_facts(response: TextResponse) -> dict:
    """Title, h1 and language of an HTML page."""
    return {
        "title": clean_text(response.xpath("//title//text()").getall())[:500] or None,
        "h1": clean_text(response.xpath("(//h1)[1]//text()").getall())[:500] or None,
        "lang": (response.xpath("/html/@lang").get() or "").strip() or None,
    }


def links(response: TextResponse) -> list[dict]:
    """Every link and resource on the page, in page order: absolute target, the href made
    absolute, the text a reader sees (an image's alt), the tag and the kind."""
    found = []
    for xpath, attribute, kind in RESOURCES:
        for element in response.xpath(xpath):
            link = make_link(response, element.attrib[attribute], kind, element)
            if link:
                found.append(link)
    for element in response.xpath("//img[@srcset] | //picture/source[@srcset]"):
        for candidate in srcset_urls(element.attrib["srcset"]):
            link = make_link(response, candidate, "image", element)
            if link:
                found.append(link)
    for element in response.xpath("//meta[@content][translate(@http-equiv, 'REFSH', "
                                  "'refsh')='refresh']"):
        match = REFRESH_URL.match(element.attrib["content"])
        if match and not match.group(2).strip().replace(".", "").isdigit():
            link = make_link(response, match.group(2), "refresh", element)
            if link:
                found.append(link)
    return found


def make_link(response: TextResponse, href: str, kind: str, element) -> dict | None:
    """One link row, or None for what is no link to check (mailto:, javascript:, "#", …)."""
    href = href.strip()
    if not href or href.lower().startswith(SKIPPED_SCHEMES) or href == "#":
        return None
    text = resource_text(element, kind)
    absolute = absolute_url(response, href)
    if absolute is None:
        # Kept as written, so the link check can report it as malformed.
        return {"target": href, "href": href, "text": text, "tag": element.root.tag,
                "kind": kind, "malformed": 1}
    if urlsplit(absolute).scheme not in ("http", "https"):
        return None
    return {"target": target_key(absolute), "href": absolute, "text": text,
            "tag": element.root.tag, "kind": kind}


def resource_text(element, kind: str) -> str:
    """What helps an editor find it: a link's text, an image's alt, a frame's title."""
    if kind == "link":
        return link_text(element)
    attributes = ("alt", "title", "aria-label") if kind == "image" else ("title", "aria-label")
    for name in attributes:
        value = " ".join((element.attrib.get(name) or "").split())
        if value:
            return value[:300]
    return ""


def srcset_urls(srcset: str) -> list[str]:
    """The image URLs of a srcset ("a.jpg 1x, b.jpg 2x"), read as the HTML standard does:
    a URL runs to whitespace (a comma inside it stays), its descriptors to the next comma."""
    urls, pos, size = [], 0, len(srcset)
    while pos < size:
        while pos < size and (srcset[pos].isspace() or srcset[pos] == ","):
            pos += 1
        start = pos
        while pos < size and not srcset[pos].isspace():
            pos += 1
        url = srcset[start:pos]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            while pos < size and srcset[pos] != ",":
                pos += 1
        if url:
            urls.append(url)
    return urls


def link_text(anchor) -> str:
    """The text a reader sees: the link's text, the alt of a linked image, or its label."""
    # itertext: the text nodes that ".//text()" selects, without an XPath per link
    text = clean_text(list(anchor.root.itertext())) \
        or clean_text(anchor.xpath(".//img/@alt").getall()) \
        or (anchor.attrib.get("aria-label") or anchor.attrib.get("title") or "").strip()
    return text[:300]


def absolute_url(response: TextResponse, href: str) -> str | None:
    """The href made absolute, or None when it is not a usable URL (no host, bad port, …).

    ``http://`` and ``https:`` without a host are malformed: urljoin would quietly make
    them the page itself. So is a ``file:`` link, which no visitor can follow.
    """
    scheme = SCHEME.match(href)
    if scheme:
        name = scheme.group(1).lower()
        if name in MALFORMED_SCHEMES:
            return None
        if name in ("http", "https") and not href[scheme.end():].startswith("//"):
            return None         # "http:" or "http:pagina": no host
    if href.startswith("//") and not urlsplit(href).netloc:
        return None
    try:
        if scheme and scheme.group(1).lower() in ("http", "https") and \
                not urlsplit(href.strip()).hostname:
            return None
        absolute = response.urljoin(href)
        parts = urlsplit(absolute)
        _ = parts.port      # raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme in ("http", "https") and (not parts.hostname or " " in parts.netloc):
        return None
    return absolute


def anchors(response: TextResponse) -> list[str]:
    """Every fragment target on the page: element ids and named anchors, in page order."""
    names = response.xpath("//@id | //a/@name").getall()
    return list(dict.fromkeys(n for n in names if n))


def forms(response: TextResponse) -> list[dict]:
    """Every form: resolved action, method and its fields (name, type, id)."""
    found = []
    for form in response.xpath("//form"):
        written = form.attrib.get("action", "").strip()
        action = absolute_url(response, written) if written else response.url
        if action is None:          # not a URL: kept as written (see malformed_form_links)
            action = written
        fields = [
            {"tag": f.root.tag, "type": f.attrib.get("type", "text" if f.root.tag == "input"
                                                  else f.root.tag),
             "name": f.attrib.get("name"), "id": f.attrib.get("id"),
             **field_label(response, f)}
            for f in form.xpath(FIELD_TAGS)
        ]
        found.append({"action": action, "method": form.attrib.get("method", "get").lower(),
                      "fields": fields})
    return found


def malformed_form_links(response: TextResponse) -> list[dict]:
    """A form action that is not a URL, as a link of kind "form" (reported as malformed)."""
    found = []
    for form in response.xpath("//form[@action]"):
        written = form.attrib["action"].strip()
        if written and absolute_url(response, written) is None and \
                not written.lower().startswith(SKIPPED_SCHEMES):
            text = clean_text(form.xpath(".//button//text() | .//input[@type='submit']/@value")
                              .getall()) or (form.attrib.get("aria-label") or "").strip()
            found.append({"target": written, "href": written, "text": text[:300],
                          "tag": "form", "kind": "form", "malformed": 1})
    return found


def field_label(response: TextResponse, field) -> dict:
    """The field's label and where it comes from (``label_source`` None: no label at all).

    In the order of the accessible-name computation: aria-labelledby, aria-label,
    label[for], a wrapping label, title. A placeholder is not a label.
    """
    ids = (field.attrib.get("aria-labelledby") or "").split()
    field_id = field.attrib.get("id")
    sources = [
        ("aria-labelledby", " ".join(clean_text(response.xpath("//*[@id=$i]//text()", i=i)
                                                .getall()) for i in ids)),
        ("aria-label", field.attrib.get("aria-label", "")),
        ("label", clean_text(response.xpath("//label[@for=$i]//text()", i=field_id).getall())
         if field_id else ""),
        ("label", clean_text(field.xpath("ancestor::label[1]//text()").getall())),
        ("title", field.attrib.get("title", "")),
    ]
    for source, text in sources:
        if text.strip():
            return {"label": " ".join(text.split())[:200], "label_source": source}
    return {"label": None, "label_source": None}

"""Reading a fetched HTML page: title, language, links with their text, forms."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from scrapy.http import TextResponse

from core.urls import page_key

SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "fax:")
# Fields anywhere inside the form (usually wrapped in divs and fieldsets), not only children.
FIELD_TAGS = ".//input[not(@type='hidden' or @type='submit' or @type='button' " \
             "or @type='reset' or @type='image')] | .//select | .//textarea"


def clean_text(parts: list[str]) -> str:
    return " ".join(" ".join(parts).split())


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def is_html(response) -> bool:
    ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    return isinstance(response, TextResponse) and ("html" in ctype or not ctype)


def page_facts(response: TextResponse) -> dict:
    """Title, h1 and language of an HTML page."""
    return {
        "title": clean_text(response.xpath("//title//text()").getall())[:500] or None,
        "h1": clean_text(response.xpath("(//h1)[1]//text()").getall())[:500] or None,
        "lang": (response.xpath("/html/@lang").get() or "").strip() or None,
    }


def links(response: TextResponse) -> list[dict]:
    """Every link on the page: absolute target, the href as written, the text a reader sees."""
    found = []
    for anchor in response.xpath("//a[@href] | //area[@href]"):
        href = anchor.attrib["href"].strip()
        if not href or href.lower().startswith(SKIPPED_SCHEMES) or href == "#":
            continue
        absolute = absolute_url(response, href)
        if absolute is None:
            # Kept as written, so the link check can report it as malformed.
            found.append({"target": href, "href": href, "text": link_text(anchor),
                          "tag": anchor.root.tag, "malformed": 1})
            continue
        if urlsplit(absolute).scheme not in ("http", "https"):
            continue
        found.append({"target": page_key(absolute), "href": absolute, "text": link_text(anchor),
                      "tag": anchor.root.tag})
    return found


def link_text(anchor) -> str:
    """The text a reader sees: the link's text, the alt of a linked image, or its label."""
    text = clean_text(anchor.xpath(".//text()").getall()) \
        or clean_text(anchor.xpath(".//img/@alt").getall()) \
        or (anchor.attrib.get("aria-label") or anchor.attrib.get("title") or "").strip()
    return text[:300]


def absolute_url(response: TextResponse, href: str) -> str | None:
    """The href made absolute, or None when it is not a usable URL (no host, bad port, …)."""
    try:
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
        action = response.urljoin(form.attrib.get("action", "").strip() or response.url)
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

"""The main text of an HTML page, for the readability check: the content, not the template.

The ``main`` landmark (``<main>`` or ``role="main"``) when the page has one, else the body
without header, navigation, footer and asides; never scripts, styles, form controls or
hidden parts. Block elements (headings, paragraphs, list items, table cells) end a line,
so a heading never runs into the sentence under it.

It reads the tree Scrapy already parsed (lxml, through parsel): on an 87 KB page with a
big menu that takes about a millisecond, where parsing the page again with BeautifulSoup
took 120 to 260 (docs/checks/readability.md).
"""

from __future__ import annotations

import parsel
import scrapy
from lxml import etree

MAX_CHARS = 20_000      # per page: more than the longest municipal page, bounded storage
NOT_TEXT = ("script", "style", "noscript", "template", "svg", "canvas", "iframe", "object",
            "select", "button", "textarea", "input")
# Navigation and asides are not the page's text, inside the main landmark either; header
# and footer only outside it (inside, an article's header holds its h1).
IN_PAGE_NAVIGATION = ("nav", "aside")
IN_PAGE_ROLES = ("navigation", "complementary", "search")
TEMPLATE = ("header", "footer")
TEMPLATE_ROLES = ("banner", "contentinfo")
BLOCKS = frozenset({
    "address", "article", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "label", "legend", "li", "main", "ol", "p", "pre", "section", "summary", "table", "td",
    "th", "tr", "ul"})


SKIP_IN_MAIN = (frozenset(NOT_TEXT + IN_PAGE_NAVIGATION), frozenset(IN_PAGE_ROLES))
SKIP_IN_BODY = (frozenset(NOT_TEXT + IN_PAGE_NAVIGATION + TEMPLATE),
                frozenset(IN_PAGE_ROLES + TEMPLATE_ROLES))


class PageTextItem(scrapy.Item):
    """The main text of one HTML page (table ``page_texts``)."""

    url = scrapy.Field()
    text = scrapy.Field()           # lines of text, one per block, at most MAX_CHARS
    source = scrapy.Field()         # main | body: where the text came from
    truncated = scrapy.Field()      # 1 when the page had more text than MAX_CHARS


def main_text(html: str) -> tuple[str, str, bool]:
    """The page's main text as lines, where it came from (main or body), and whether it
    was cut at MAX_CHARS."""
    return selector_text(parsel.Selector(text=html))


def selector_text(page: parsel.Selector) -> tuple[str, str, bool]:
    """:func:`main_text` of a page Scrapy already parsed."""
    mains = page.root.xpath("(//main | //*[@role='main'])[1]")
    if mains:
        start, source, skip = mains[0], "main", SKIP_IN_MAIN
    else:
        bodies = page.root.xpath("//body")
        start, source, skip = (bodies[0] if bodies else page.root), "body", SKIP_IN_BODY
    tags, roles = skip
    parts: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(start, False)]
    while stack:    # depth first, without recursion: a hostile page may nest very deep
        element, closing = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else None   # None: a comment
        if closing or tag is None or tag in tags or element.get("role") in roles or \
                element.get("hidden") is not None or element.get("aria-hidden") == "true":
            if closing and tag in BLOCKS:
                parts.append("\n")
            if element is not start:
                parts.append(element.tail or "")
            continue
        if tag in BLOCKS:
            parts.append("\n")
        parts.append(element.text or "")
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    text = "\n".join(line for line in lines if line)
    return text[:MAX_CHARS], source, len(text) > MAX_CHARS


def text_item(response, url: str) -> PageTextItem:
    """The item the spider yields for an HTML page."""
    text, source, truncated = selector_text(response.selector)
    return PageTextItem(url=url, text=text, source=source, truncated=int(truncated))

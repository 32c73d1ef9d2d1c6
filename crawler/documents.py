"""Fetching the documents on the site: PDFs downloaded for checking, office files inventoried.

A link to a document (by its suffix, see ``core/data/documents.toml``) on an allowed
domain is fetched once per run, through the crawl's per-host slots and robots.txt rules,
after the pages (the check priority). A PDF is fetched with GET up to the size cap
(``download_maxsize``) and written to the run's temporary folder for the document stage;
an office file (docx, xlsx, odt …) only with HEAD: its type, size and date come from the
headers. The answer also goes to ``link_checks``, so broken-link judging sees documents
as before.

Later nights ask conditionally (``If-None-Match`` / ``If-Modified-Since`` from the last
checked record): a 304 downloads nothing and takes over the stored facts. A page URL
that turns out to be a document (``PageDocumentMiddleware``) is kept from the page request.
"""

from __future__ import annotations

import hashlib

import scrapy

from core import store
from core.documents import MB, document_dir, document_type, previous_documents, suffix_type
from core.urls import on_allowed_domain, page_key
from crawler.checks import CHECK_META, CHECK_PRIORITY, HEAD_REFUSED
from crawler.fetch_errors import fetch_error_reason
from crawler.items import CheckItem

DOWNLOADED_TYPES = {"pdf"}      # checked after the crawl; the others are inventoried


class DocumentItem(scrapy.Item):
    """One document as fetched: headers, size and hash; the file waits in ``file``."""

    url = scrapy.Field()
    type = scrapy.Field()
    method = scrapy.Field()
    status = scrapy.Field()
    content_type = scrapy.Field()
    bytes = scrapy.Field()
    etag = scrapy.Field()
    last_modified = scrapy.Field()   # the Last-Modified header as the server sent it
    sha256 = scrapy.Field()
    file = scrapy.Field()
    fetch_error = scrapy.Field()
    reused_from = scrapy.Field()     # a 304: the run whose facts still hold


def header(response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def keep_file(settings, sha256: str, body: bytes) -> str | None:
    """Write a downloaded document to the run's temporary folder; None without a store."""
    db_path, run_id = settings.get("NACHTWACHT_DB"), settings.getint("NACHTWACHT_RUN_ID")
    if not (db_path and run_id):
        return None
    folder = document_dir(db_path, run_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sha256}.pdf"
    path.write_bytes(body)
    return str(path)


def downloaded(response, url: str, doc_type: str, settings) -> DocumentItem:
    """The item for a document that came with a 200 answer to a GET: size, hash, the file."""
    item = DocumentItem(url=url, type=doc_type, method="GET", status=response.status,
                        content_type=header(response, "Content-Type"),
                        etag=header(response, "ETag"),
                        last_modified=header(response, "Last-Modified"),
                        bytes=len(response.body),
                        sha256=hashlib.sha256(response.body).hexdigest())
    if doc_type in DOWNLOADED_TYPES:
        item["file"] = keep_file(settings, item["sha256"], response.body)
    return item


class PageDocumentMiddleware:
    """A page URL that answers with a document (``/download?id=3`` as ``application/pdf``):
    the page request already holds the file, so it is kept for the check as well."""

    def __init__(self, crawler):
        self.settings = crawler.settings

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def document(self, response) -> DocumentItem | None:
        if not (response.meta.get("page") and response.status == 200 and
                self.settings.getbool("NACHTWACHT_DOCUMENTS", True)):
            return None
        doc_type = document_type(response.url, header(response, "Content-Type"))
        if doc_type is None or "html" in (header(response, "Content-Type") or ""):
            return None
        return downloaded(response, page_key(response.request.url), doc_type, self.settings)

    def process_spider_output(self, response, result, spider=None):
        yield from result
        if item := self.document(response):
            yield item

    async def process_spider_output_async(self, response, result, spider=None):
        async for output in result:
            yield output
        if item := self.document(response):
            yield item


class DocumentFetchMixin:
    """Spider methods for fetching the site's own documents (before ``LinkCheckMixin``)."""

    def check_request(self, url: str, method: str = "HEAD") -> scrapy.Request:
        """Every URL the spider would only check: the site's documents are fetched instead
        (unless ``[checks] documents = false``: then they are only checked, like links)."""
        if method == "HEAD" and self.is_document(url) and \
                self.settings.getbool("NACHTWACHT_DOCUMENTS", True):
            return self.document_request(url)
        return super().check_request(url, method)

    def is_document(self, url: str) -> bool:
        return suffix_type(url) is not None and on_allowed_domain(url, self.allowed_domains)

    @property
    def known_documents(self) -> dict[str, dict]:
        """The last checked record of each document, from earlier runs (for conditional GET)."""
        if not hasattr(self, "_known_documents"):
            db_path = self.settings.get("NACHTWACHT_DB")
            run_id = self.settings.getint("NACHTWACHT_RUN_ID")
            self._known_documents = {}
            if db_path and run_id:
                db = store.open_db(db_path)
                self._known_documents = previous_documents(db, run_id)
                db.close()
        return self._known_documents

    def document_request(self, url: str, method: str | None = None) -> scrapy.Request:
        doc_type = suffix_type(url)
        method = method or ("GET" if doc_type in DOWNLOADED_TYPES else "HEAD")
        headers = {}
        known = self.known_documents.get(url)
        if method == "GET" and known and known.get("status") == 200:
            if known.get("etag"):
                headers["If-None-Match"] = known["etag"]
            if known.get("last_modified"):
                headers["If-Modified-Since"] = known["last_modified"]
        cap = self.settings.getfloat("NACHTWACHT_MAX_DOCUMENT_MB", 25.0)
        timeout = max(self.settings.getfloat("NACHTWACHT_CHECK_TIMEOUT", 15.0),
                      self.settings.getfloat("DOWNLOAD_TIMEOUT", 20.0))
        return scrapy.Request(url, method=method, headers=headers, callback=self.parse_document,
                              errback=self.document_failed, priority=CHECK_PRIORITY,
                              meta={**CHECK_META, "download_timeout": timeout,
                                    "download_maxsize": int(cap * MB), "document": doc_type})

    def parse_document(self, response):
        request = response.request
        url = page_key(request.url)
        if request.method == "HEAD" and response.status in HEAD_REFUSED:
            yield self.document_request(request.url, "GET")
            return
        ctype = header(response, "Content-Type")
        check = CheckItem(url=url, method=request.method, status=response.status,
                          content_type=ctype,
                          response_ms=round(1000 * response.meta.get("download_latency", 0), 1))
        if 300 <= response.status < 400 and response.status != 304 \
                and b"Location" in response.headers:
            check["location"] = page_key(response.urljoin(header(response, "Location")))
            yield check
            yield self.check_request(check["location"])     # a step of the chain, still checked
            return
        yield check
        item = DocumentItem(url=url, type=response.meta["document"], method=request.method,
                            status=response.status, content_type=ctype,
                            etag=header(response, "ETag"),
                            last_modified=header(response, "Last-Modified"))
        if response.status == 304 and url in self.known_documents:
            item["reused_from"] = self.known_documents[url]["run_id"]
        elif request.method == "GET" and response.status == 200:
            item = downloaded(response, url, item["type"], self.settings)
        elif response.status == 200:
            length = header(response, "Content-Length")
            item["bytes"] = int(length) if length and length.isdigit() else None
        yield item

    def document_failed(self, failure):

        reason = fetch_error_reason(failure)
        if reason == "robots":      # not allowed to look: the status stays unknown
            return
        request = failure.request
        url = page_key(request.url)
        yield CheckItem(url=url, method=request.method, fetch_error=reason)
        yield DocumentItem(url=url, type=request.meta.get("document"), method=request.method,
                           fetch_error=reason)

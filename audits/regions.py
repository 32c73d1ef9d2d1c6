"""Template regions audited once: which axe-core rules may take over a region's stored
results, and the run's store of those results (docs/checks/template-once.md).

A region (header, main menu, footer: an outermost landmark outside ``<main>``) has keys
computed in the page by regions.js: ``local`` (its HTML, its ancestors, the computed style and
inner layout of every element in it, IDREFs that stay inside it), ``geo`` (``local`` plus its
place on the screen, with nothing from outside overlapping it) and ``spacing`` (``geo``, for
target-size, which also needs no target from outside within 24 px, or every element passing
on its own size). A rule in ``LOCAL`` reads nothing about an element beyond what ``local``
covers; ``GEOMETRY`` and ``SPACING`` also read rectangles. Every other rule runs over the
whole page, always.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

# Read from axe-core 4.14's rule metadata and check sources (.venv/axe-core): each looks at
# the element, its subtree, its ancestors' roles and attributes, computed styles, and IDREFs
# (aria-labelledby, label[for], headers …), which the local key keeps inside the region.
LOCAL = (
    "area-alt", "aria-allowed-attr", "aria-braille-equivalent", "aria-command-name",
    "aria-conditional-attr", "aria-deprecated-role", "aria-input-field-name", "aria-meter-name",
    "aria-progressbar-name", "aria-prohibited-attr", "aria-required-attr",
    "aria-required-children", "aria-required-parent", "aria-roles", "aria-tab-name",
    "aria-toggle-field-name", "aria-tooltip-name", "aria-valid-attr", "aria-valid-attr-value",
    "autocomplete-valid", "avoid-inline-spacing", "button-name", "definition-list", "dlitem",
    "form-field-multiple-labels", "image-alt", "input-button-name", "input-image-alt", "label",
    "label-content-name-mismatch", "link-name", "list", "listitem", "nested-interactive",
    "object-alt", "role-img-alt", "select-name", "server-side-image-map", "summary-name",
    "svg-img-alt", "td-headers-attr", "th-has-data-cells", "valid-lang",
)
# Rules that read rectangles: the text and background stack under an element (contrast,
# using the viewport), neighbouring targets within 24 px, scroll sizes, being on screen.
GEOMETRY = (
    "color-contrast", "link-in-text-block", "scrollable-region-focusable", "blink", "marquee",
)
# target-size also measures the distance to targets around it: its key asks for no target
# from outside within 24 px of the region.
SPACING = ("target-size",)
# Always over the whole page (not taken over), for the record: page-level rules and rules on
# <html> or <head> (bypass, document-title, html-*, meta-*, css-orientation-lock,
# frame-focusable-content), rules that combine elements (duplicate-id-aria,
# frame-title-unique), aria-hidden-body, aria-hidden-focus (an open modal anywhere),
# frame-title, video-caption and no-autoplay-audio (media state), and any rule not named above.
GROUPS = {"local": list(LOCAL), "geo": list(GEOMETRY), "spacing": list(SPACING)}
LIMIT = 5000  # region versions kept per run; the least recently used go first


class RegionCache:
    """The results of template regions audited this run, shared by all its browsers.

    Keyed by the audit fingerprint, the group and the region's key; thread-safe.
    """

    def __init__(self, fingerprint: str, limit: int = LIMIT) -> None:
        self.fingerprint = fingerprint
        self.limit = limit
        self._lock = threading.Lock()
        self._stored: OrderedDict[tuple[str, str, str], dict] = OrderedDict()

    def get(self, group: str, key: str | None) -> dict | None:
        if not key:
            return None
        with self._lock:
            found = self._stored.get((self.fingerprint, group, key))
            if found is not None:
                self._stored.move_to_end((self.fingerprint, group, key))
            return found

    def put(self, group: str, key: str, rules: dict) -> None:
        with self._lock:
            self._stored[(self.fingerprint, group, key)] = rules
            self._stored.move_to_end((self.fingerprint, group, key))
            while len(self._stored) > self.limit:
                self._stored.popitem(last=False)

    def plan(self, keys: list[dict]) -> dict:
        """The plan for axe_run.js: the groups, the page's region keys, the stored results."""
        reuse = {}
        for index, region in enumerate(keys):
            known = {group: found for group in GROUPS
                     if (found := self.get(group, region.get(group))) is not None}
            if known:
                reuse[str(index)] = known
        return {"groups": GROUPS, "keys": keys, "reuse": reuse}

    def keep(self, harvested: list[dict]) -> None:
        """Store the results of the page's new regions (with target-size's conditions)."""
        for region in harvested:
            self.put(region["group"], region["key"], {
                key: region[key] for key in ("rules", "apart", "free") if key in region})

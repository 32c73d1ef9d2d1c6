"""What a page check is: one module that looks at a loaded page in the audit browser.

The browser visit (audits/axe.py) loads a page once, runs axe-core, then every
enabled page check in turn on the same page. A check answers with outcomes in
EARL's words (failed, passed, cant_tell, inapplicable) per check id, and may
leave facts about the page (its navigation, say) for the site checks, which are
functions over all pages' facts (audits/site_checks/).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ClassVar

OUTCOMES = ("failed", "passed", "cant_tell", "inapplicable")
HERE = Path(__file__).parent


def read_script(name: str, *helpers: str) -> str:
    """A check's JavaScript, kept beside its module (``audits/checks/<name>``), after the
    shared ``helpers`` it uses (such as ``elements.js``)."""
    return "\n".join((HERE / part).read_text(encoding="utf-8") for part in (*helpers, name))


@dataclass
class Element:
    target: str       # CSS selector
    html: str         # the element's start, trimmed
    detail: str = ""  # what the check saw on it ("rechts 412 px buiten beeld")


@dataclass
class CheckResult:
    """One check's outcome on one page."""

    check: str                     # "reflow", "focus-visible" …
    wcag: list[str]                # ["1.4.10"]
    outcome: str                   # one of OUTCOMES
    elements: list[Element] = field(default_factory=list)
    note: str = ""                 # what was (not) seen, for the report (Dutch-neutral data)
    heuristic: bool = False        # an indication: the report says "zelf nakijken"
    template: str | None = None    # the page template this result stands for (keyboard walk)
    inherited: bool = False        # not walked here: the walked page of ``template`` decides

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")
        self.elements = [e if isinstance(e, Element) else Element(**e) for e in self.elements]

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class CheckContext:
    """What a check knows about the page it runs on, and the run it is part of."""

    url: str
    final_url: str
    deadline: float                 # time.perf_counter() by which the check must be done
    html_limit: int = 500           # characters of an element's HTML kept
    priority: bool = False          # a toptaak page: never skipped as a copy of its template
    shared: SharedState | None = None
    facts: dict[str, Any] = field(default_factory=dict)  # page facts for the site checks
    requests: Callable[[], list[dict]] | None = None  # the page's requests (Browser.requests)
    # axe's violations on this page, worst first: (rule, the first element's selector)
    violations: list[tuple[str, str]] = field(default_factory=list)
    screenshot_dir: str | None = None   # where pictures of violations go (audits/checks/screenshot.py)

    def time_left(self) -> float:
        return self.deadline - time.perf_counter()


class SharedState:
    """State shared by all browsers of one run (thread-safe): which templates were walked."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._claimed: dict[str, set[str]] = {}
        self._taken: dict[str, int] = {}

    def take(self, kind: str, limit: int) -> bool:
        """True for the first ``limit`` callers of this ``kind``, False after (a per-run cap)."""
        with self._lock:
            self._taken[kind] = self._taken.get(kind, 0) + 1
            return self._taken[kind] <= limit

    def claim(self, kind: str, key: str) -> bool:
        """True for the first caller with this ``key`` (of this ``kind``), False after."""
        with self._lock:
            seen = self._claimed.setdefault(kind, set())
            if key in seen:
                return False
            seen.add(key)
            return True


class PageCheck:
    """A check that runs on every audited page, in the same browser visit as axe-core.

    Subclasses set ``id`` (the module's name), ``setting`` (its switch in ``[checks]``),
    ``criteria`` (check id -> WCAG criteria it reports on), ``version`` (bumped when its
    results change, so stored audits are not reused) and implement ``run``.
    """

    id: str = ""
    setting: str = ""
    version: int = 1
    criteria: ClassVar[dict[str, list[str]]] = {}
    # The longest the check may take on one page (seconds), part of the page's budget.
    budget: float = 10.0

    def prepare(self, driver) -> None:
        """Once per browser, after it started (CDP registrations, say)."""

    def before_load(self, driver) -> None:
        """Before each page is loaded (listeners that must exist before navigation)."""

    def run(self, driver, context: CheckContext) -> list[CheckResult]:
        """The outcomes on the loaded page; may raise WebDriverException (recorded as cant_tell)."""
        raise NotImplementedError

    def fingerprint(self) -> str:
        return f"{self.id}:{self.version}"

    def unable(self, why: str) -> list[CheckResult]:
        """cant_tell for every check id of this module, with the reason."""
        return [CheckResult(check, wcag, "cant_tell", note=why)
                for check, wcag in self.criteria.items()]

"""Progress on the terminal: pages crawled, audited and left, with the time left.

Shown only when standard output is a terminal (and the crawl log is not); under cron and
systemd the run stays quiet and prints one line at the end. The figures are read from the
run's own rows in the database, once a second, so the crawl and the browsers need no hooks.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from pathlib import Path
from typing import Self

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

INTERVAL = 1.0
HTML = "(content_type like '%html%' and status between 200 and 299)"


class RunProgress:
    """A live display of one run's progress while the ``with`` block runs."""

    def __init__(self, db_path: Path, run_id: int, enabled: bool | None = None):
        self.db_path, self.run_id = db_path, run_id
        self.enabled = sys.stdout.isatty() if enabled is None else enabled
        self.stage = "crawl"
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def __enter__(self) -> Self:
        if self.enabled:
            self.thread = threading.Thread(target=self._show, daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(timeout=5)

    def audit_started(self) -> None:
        self.stage = "audit"

    def counts(self, db: sqlite3.Connection) -> tuple[int, int, int]:
        """Pages crawled, HTML pages to audit and pages audited (or taken over) so far."""
        crawled, html = db.execute(
            f"select count(status), sum({HTML}) from pages where run_id = ?",
            [self.run_id]).fetchone()
        audited = 0
        if db.execute("select 1 from sqlite_master where name = 'audits'").fetchone():
            audited = db.execute("select count(*) from audits where run_id = ?",
                                 [self.run_id]).fetchone()[0]
        return crawled or 0, html or 0, audited

    def _show(self) -> None:
        console = Console(file=sys.stdout)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("nog"), TimeRemainingColumn())
        db = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=5)
        try:
            with Progress(*columns, console=console, transient=True) as bar:
                crawl = bar.add_task("Pagina's ophalen", total=None)
                audit = None
                last = False
                while not last:
                    last = self.stopped.wait(INTERVAL)     # once more after the end
                    try:
                        crawled, html, audited = self.counts(db)
                    except sqlite3.Error:
                        continue     # busy or not yet there: next second
                    bar.update(crawl, completed=crawled)
                    if self.stage == "audit":
                        if audit is None:
                            bar.update(crawl, total=crawled)
                            audit = bar.add_task("Toegankelijkheid", total=html)
                        bar.update(audit, completed=audited, total=html)
                bar.refresh()
        finally:
            db.close()

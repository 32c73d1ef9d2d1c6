"""A run that is safe to start from cron every night: one at a time per OUT folder,
and a run that is killed or interrupted is recorded as incomplete, never left 'running'
(if it was crawling, the next run goes on with it: nachtwacht/crawljob.py)."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import sqlite_utils

from core import access, store
from core.config import SiteConfig
from nachtwacht import interrupt, mail, notify
from nachtwacht.lock import RunLock
from nachtwacht.run import RunFailed, run_site


def mark_unfinished(db: sqlite_utils.Database, reason: str) -> list[int]:
    """Record every run still marked 'running' as incomplete; returns their ids.

    Only called while holding the OUT lock, so no 'running' run can be alive.
    """
    ids = [row["id"] for row in db["runs"].rows_where("status = 'running'", order_by="id")]
    with db.conn:
        for run_id in ids:
            store.finish_run(db, run_id, "incomplete", error=reason)
    return ids


def guarded_run(config: SiteConfig, out: Path, **options) -> dict:
    """``run_site`` under the OUT lock, with earlier abandoned runs and interruptions recorded."""
    access.resolve(config.access)       # a missing secret is a configuration error, before anything runs
    with RunLock(out):
        db_path = out / "nachtwacht.db"
        if db_path.exists():
            db = store.open_db(db_path)
            mark_unfinished(db, "afgebroken: het proces bestond niet meer")
            db.close()
        previous = interrupt.install()
        try:
            outcome = run_site(config, out, **options)
        except (interrupt.Interrupted, KeyboardInterrupt) as stop:
            db = store.open_db(db_path)
            mark_unfinished(db, f"onderbroken ({stop or 'SIGINT'})")
            raise RunFailed(f"de controle is onderbroken ({stop or 'SIGINT'}) en is "
                            "vastgelegd als onvolledig") from None
        except Exception:
            # On a full disk even this may fail: the first error is the one to report.
            with contextlib.suppress(sqlite3.Error):
                mark_unfinished(store.open_db(db_path), "afgebroken door een fout in nachtwacht")
            raise
        finally:
            interrupt.restore(previous)
    notify.notify(config.webhook_url, outcome)
    mail.send_digest(outcome, config.notify, options.get("lang", "nl"),
                     str((out / "report" / "index.html").resolve()))
    return outcome

"""The crawl's job folder, ``OUT/crawl-job/``: a crawl interrupted by a signal or a kill goes
on in the next run (the same run, the same id) instead of starting over.

The folder holds ``job.json`` (the run, the fingerprint of the crawl's settings, whether the
crawl stopped cleanly) and ``scrapy/``, Scrapy's JOBDIR. The next run resumes the crawl when
the folder's run is the newest run of the site and still unfinished, its crawl settings are
unchanged, and it started less than ``MAX_AGE`` ago. After a clean stop (SIGTERM, Ctrl-C)
Scrapy's queue and duplicate filter are used as they are; after a hard kill they cannot be
trusted (Scrapy writes its queue only when it stops), so they are dropped and the crawl is
rebuilt from the run's stored rows alone (``crawler/resume.py``). A crawl that ends by
itself removes the folder.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

FOLDER = "crawl-job"
# A nightly tool: an interrupted crawl is resumed the same night (a restart after a reboot, an
# OOM kill, the morning after), never the next night, whose report must be that night's site.
MAX_AGE = timedelta(hours=12)
UNFINISHED = ("running", "incomplete")


@dataclass
class CrawlJob:
    """Where one run's crawl keeps its state, and which interrupted run (if any) it resumes."""

    folder: Path
    fingerprint: str
    resume_run: int | None = None
    note: str | None = None     # one Dutch line for the log: resumed, or why not

    @property
    def jobdir(self) -> Path:
        return self.folder / "scrapy"

    @property
    def state_file(self) -> Path:
        return self.folder / "job.json"

    def begin(self, run_id: int) -> None:
        """The crawl of ``run_id`` starts (or goes on) in this folder; not stopped cleanly yet."""
        self.jobdir.mkdir(parents=True, exist_ok=True)
        self.write({"run": run_id, "fingerprint": self.fingerprint, "clean": False})

    def end(self, finish_reason: str | None) -> None:
        """After the crawl: kept for the next run when a signal stopped it, else removed."""
        if finish_reason == "shutdown":     # Scrapy stopped cleanly and wrote its queue
            self.write({**json.loads(self.state_file.read_text(encoding="utf-8")),
                        "clean": True})
        else:       # job.json first: a folder that a kill left half removed is no job
            self.state_file.unlink(missing_ok=True)
            shutil.rmtree(self.folder, ignore_errors=True)

    def write(self, state: dict) -> None:
        part = self.state_file.with_suffix(".part")
        part.write_text(json.dumps(state), encoding="utf-8")
        os.replace(part, self.state_file)


def read_state(job: CrawlJob) -> dict:
    """job.json, checked; ValueError (or OSError) when it cannot be used."""
    state = json.loads(job.state_file.read_text(encoding="utf-8"))
    if not (isinstance(state, dict) and isinstance(state.get("run"), int)
            and isinstance(state.get("fingerprint"), str)
            and isinstance(state.get("clean"), bool)):
        raise ValueError("job.json is onvolledig")  # noqa: TRY004 - bad content, not a bad call
    return state


def scrapy_state_readable(job: CrawlJob) -> bool:
    """Whether Scrapy's own record of its queue is there and reads as JSON."""
    try:
        json.loads((job.jobdir / "requests.queue" / "active.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return True


def why_not(state: dict, run: dict | None, newest: int | None, site: str, fingerprint: str,
            now: datetime) -> str | None:
    """Why the interrupted crawl of job.json cannot go on, or None when it can."""
    if run is None:
        return f"controle {state['run']} staat niet in de database"
    if run["id"] != newest:
        return f"na controle {run['id']} is er een nieuwere controle ({newest})"
    if run["status"] not in UNFINISHED:
        return f"controle {run['id']} is al afgesloten ({run['status']})"
    if run["site"] != site:
        return f"controle {run['id']} is van een andere site ({run['site']})"
    if state["fingerprint"] != fingerprint:
        return "de instellingen voor de crawl zijn veranderd"
    if now - datetime.fromisoformat(run["started"]) > MAX_AGE:
        hours = int(MAX_AGE.total_seconds() // 3600)
        return f"die begon op {run['started']}, meer dan {hours} uur geleden (een nieuwe nacht)"
    return None


def open_job(out: Path, db, site: str, fingerprint: str, now: datetime | None = None) -> CrawlJob:
    """The job for tonight's crawl: resuming the interrupted run in ``out`` when it can,
    else a fresh one (the folder of a crawl that cannot go on is removed)."""
    job = CrawlJob(out / FOLDER, fingerprint)
    if not job.state_file.exists():     # no crawl was interrupted (or only its clean-up was)
        shutil.rmtree(job.folder, ignore_errors=True)
        return job
    try:
        state = read_state(job)
    except (OSError, ValueError) as error:
        reason = f"de gegevens in {job.folder} zijn onleesbaar ({error})"
        state = None
    else:
        run = next(db["runs"].rows_where("id = ?", [state["run"]]), None)
        newest = db.execute("select max(id) from runs where site = ?", [site]).fetchone()[0]
        reason = why_not(state, run, newest, site, fingerprint, now or datetime.now(UTC))
    if reason is not None:
        shutil.rmtree(job.folder, ignore_errors=True)
        job.note = f"De onderbroken crawl wordt niet hervat: {reason}; de crawl begint opnieuw."
        return job
    job.resume_run = state["run"]
    rebuilt = not (state["clean"] and scrapy_state_readable(job))
    if rebuilt:     # killed: Scrapy's queue is lost and its duplicate filter may lie
        shutil.rmtree(job.jobdir, ignore_errors=True)
    pages = db.execute("select count(*) from pages where run_id = ?", [job.resume_run]).fetchone()[0]
    job.note = (f"De onderbroken crawl van controle {job.resume_run} (gestart {run['started']}) "
                f"gaat verder: {pages} pagina's waren al opgehaald"
                + (", de rest wordt uit de database opgebouwd." if rebuilt else "."))
    return job


def reopen(db, run_id: int) -> None:
    """The interrupted run is running again."""
    db["runs"].update(run_id, {"status": "running", "error": None, "finished": None})

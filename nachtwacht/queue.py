"""A region on a work queue: one Celery job per site, on a Redis broker.

``nachtwacht queue`` puts one job per site configuration on the queue and waits for them;
``nachtwacht worker`` (a Celery worker) runs them, on as many machines as share the broker.
A job runs ``nachtwacht run`` in a process of its own, as ``nachtwacht run --config A
--config B`` does: Twisted's reactor cannot restart inside a long-lived worker process. The
configuration travels inside the job, so a worker needs no copy of the config folder; its
OUT folder is the worker's (a shared disk gives one place for all reports). Browsers can
be a Selenium Grid (``grid_url`` in each site's config).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

from celery import Celery
from celery.exceptions import TimeoutError as CeleryTimeout
from kombu.exceptions import OperationalError

from core import config
from nachtwacht.sites import child_command, folder_name, site_entry, write_index

BROKER_VARIABLE = "NACHTWACHT_BROKER"
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
QUEUE = "nachtwacht"
# Exit code 3 (site unreachable, browser not startable, lock held) is worth another try.
RETRY_CODES = {3}
RETRIES = 2
RETRY_AFTER = 300          # seconds
JOB_TIME_LIMIT = 10 * 3600  # one site may take a long night, not two


def broker_url() -> str:
    return os.environ.get(BROKER_VARIABLE, DEFAULT_BROKER)


app = Celery("nachtwacht", broker=broker_url(), backend=broker_url())
app.conf.update(
    task_default_queue=QUEUE,
    # A job is acknowledged when it is done: a worker that dies hands it to another.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,      # a long job does not keep others waiting behind it
    task_time_limit=JOB_TIME_LIMIT,
    result_expires=7 * 24 * 3600,
    broker_connection_retry_on_startup=True,
    task_serializer="json", result_serializer="json", accept_content=["json"],
)


def site_options(lang: str = "nl", full: bool = False, fail_on_new: bool = False,
                 fail_under: float | None = None, max_pages: int | None = None,
                 browsers: int | None = None) -> dict:
    """The ``nachtwacht run`` options a job carries (the same for every site of a queue)."""
    return {"lang": lang, "full": full, "fail_on_new": fail_on_new, "fail_under": fail_under,
            "max_pages": max_pages, "browsers": browsers}


@app.task(bind=True, name="nachtwacht.run_site", max_retries=RETRIES)
def run_site_job(self, name: str, config_text: str, out: str, options: dict) -> dict:
    """Run one site into ``out`` on this worker; retried later when it could not be done."""
    with tempfile.TemporaryDirectory(prefix="nachtwacht-job-") as folder:
        config_path = Path(folder) / "site.toml"
        config_path.write_text(config_text, encoding="utf-8")
        args = SimpleNamespace(verbose=False, **options)
        code = subprocess.run(child_command(args, config_path, Path(out)), check=False,
                              stdin=subprocess.DEVNULL).returncode
    code = code if 0 <= code <= 4 else 3            # killed by a signal: not done
    if code in RETRY_CODES and self.request.retries < self.max_retries:
        raise self.retry(countdown=RETRY_AFTER)
    entry = site_entry(name, Path(out).name, Path(out), code)
    entry["worker"] = self.request.hostname or socket.gethostname()
    return entry


def config_files(paths: list[Path]) -> list[Path]:
    """The site configurations named: files as given, folders by their ``*.toml`` files."""
    found: list[Path] = []
    for path in paths:
        found += sorted(path.glob("*.toml")) if path.is_dir() else [path]
    if not found:
        raise config.ConfigError(f"geen configuratiebestanden (*.toml) in {', '.join(map(str, paths))}")
    return found


def enqueue(paths: list[Path], out: Path, options: dict) -> list[tuple[str, str, object]]:
    """One job per site; returns (site name, folder, AsyncResult) in the order of the files."""
    files = config_files(paths)
    sites = [config.load(path) for path in files]           # all checked before any job
    taken: set[str] = set()
    jobs = []
    for path, site in zip(files, sites, strict=True):
        folder = folder_name(site.name, taken)
        result = run_site_job.apply_async(args=(
            site.name, path.read_text(encoding="utf-8"), str(out.resolve() / folder), options))
        jobs.append((site.name, folder, result))
    return jobs


def wait(jobs: list[tuple[str, str, object]], out: Path, lang: str,
         timeout: float | None = None) -> int:
    """Wait for every job, write OUT/index.html; the exit code is the worst of the sites'."""
    entries, codes = [], []
    for name, folder, result in jobs:
        try:
            entry = result.get(timeout=timeout, propagate=False)
        except CeleryTimeout:
            entry = None
        if not isinstance(entry, dict):   # timed out, or the job itself failed on its worker
            why = "geen antwoord op tijd" if entry is None else f"{type(entry).__name__}: {entry}"
            print(f"nachtwacht: {name}: niet gedaan ({why})", file=sys.stderr)
            entry = site_entry(name, folder, out / folder, 3 if entry is None else 4)
        entries.append(entry)
        codes.append(entry["exit_code"])
        print(f"nachtwacht: {name} klaar (exitcode {entry['exit_code']}, "
              f"{entry.get('worker', '?')})", flush=True)
    index = write_index(entries, out, lang)
    print(f"Overzicht: {index.resolve()}")
    return max(codes)


def reachable(url: str, timeout: float = 5.0) -> bool:
    """Whether the broker answers (a one-line error beats a worker that retries for ever)."""
    try:
        with app.connection_for_write(url) as connection:
            connection.ensure_connection(max_retries=1, timeout=timeout)
        return True
    except (OperationalError, OSError):
        return False

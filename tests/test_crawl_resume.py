"""A crawl interrupted by a kill or a signal goes on in the next run (Scrapy's JOBDIR and the
run's stored rows): the same run, every page fetched once, the same pages and links as a run
that was never interrupted, and the site's robots.txt and per-host limit kept throughout."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import threading
import time
from collections import Counter
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from core import store
from nachtwacht import crawljob
from nachtwacht.siteserver import SiteServer, send
from tests.conftest import page
from tests.helpers import Started, nachtwacht, results_of, start, write_files

SECTIONS = 8
HELD = "/p5"            # the crawl is held here, and interrupted while it waits
CRAWL_DELAY = 0.1
STOPPED = "onderbroken (SIGTERM/SIGINT tijdens het crawlen)"


class ResumeSite:
    """A small site that counts what it answered the crawler, and can hold one request."""

    def __init__(self, root):
        self.gate = threading.Event()       # set: HELD answers at once
        self.gate.set()
        self.held = threading.Event()       # HELD was asked while the gate was shut
        self.drop = False                   # the held request gets no answer (its asker died)
        self.lock = threading.Lock()
        self.reset()
        paths = ["/", "/wees", "/logo.gif"] + [f"/p{n}" for n in range(SECTIONS)] + \
            [f"/p{n}/verder" for n in range(SECTIONS)]
        self.server = SiteServer(root=root, routes=dict.fromkeys(paths, self.answer)).start()

    def reset(self) -> None:
        self.answered: Counter = Counter()  # (method, path) answered to the crawler
        self.asked: list[tuple[float, str]] = []
        self.in_flight = self.most_in_flight = 0

    def hold(self) -> None:
        self.gate.clear()
        self.held.clear()
        self.drop = False

    def answer(self, handler) -> None:
        path = urlsplit(handler.path).path
        if not handler.headers.get("User-Agent", "").startswith("nachtwacht/"):
            self.send(handler, path)        # the audit browser: not counted
            return
        with self.lock:
            self.asked.append((time.monotonic(), path))
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if path == HELD and not self.gate.is_set():
                self.held.set()
                self.gate.wait(120)
                if self.drop:
                    return
            self.send(handler, path)
            with self.lock:
                self.answered[(handler.command, path)] += 1
        finally:
            with self.lock:
                self.in_flight -= 1

    @staticmethod
    def send(handler, path: str) -> None:
        if path == "/logo.gif":
            send(handler, 200, b"GIF89a", content_type="image/gif")
        elif path == "/":
            links = "".join(f'<a href="/p{n}">Onderdeel {n}</a> ' for n in range(SECTIONS))
            send(handler, 200, page("Home", f'<nav>{links}<a href="/geheim">Intern</a></nav>'
                                            '<img src="/logo.gif" alt="Voorbeeld">'))
        elif path.endswith("/verder") or path == "/wees":
            send(handler, 200, page(f"Pagina {path}", '<a href="/">Home</a>'))
        else:
            send(handler, 200, page(f"Onderdeel {path}",
                                    f'<a href="/">Home</a> <a href="{path}/verder">Verder</a>'
                                    '<img src="/logo.gif" alt="Voorbeeld">'))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = write_files(tmp_path_factory.mktemp("site"), {
        "robots.txt": f"User-agent: *\nDisallow: /geheim\nCrawl-delay: {CRAWL_DELAY}\n",
        "sitemap.xml": '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                       'sitemap/0.9"><url><loc>__ORIGIN__/</loc></url>'
                       '<url><loc>__ORIGIN__/wees</loc></url></urlset>'})
    resume_site = ResumeSite(root)
    yield resume_site
    resume_site.gate.set()
    resume_site.server.stop()


def config_file(path, site: ResumeSite, max_pages: int = 100):
    checks = "\n".join(f"{name} = false" for name in (
        "reflow", "text_spacing", "keyboard", "orientation", "site", "privacy", "documents",
        "screenshots", "readability"))
    path.write_text(f'[site]\nname = "Hervat"\nstart_urls = ["{site.server.url("/")}"]\n'
                    f"concurrency_per_host = 1\nbrowsers = 1\nmax_pages = {max_pages}\n\n"
                    f"[checks]\n{checks}\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def uninterrupted(site, tmp_path_factory):
    """An OUT folder of one run that nobody interrupted, and what the crawler asked for."""
    folder = tmp_path_factory.mktemp("uninterrupted")
    config = config_file(folder / "site.toml", site)
    site.reset()
    done = nachtwacht("run", "--config", config, "--out", folder / "out")
    assert done.returncode == 0, done.stderr
    answered = dict(site.answered)
    assert set(answered.values()) == {1}
    assert ("GET", HELD) in answered and ("HEAD", "/logo.gif") in answered
    return folder / "out", answered


def start_run(config, out) -> Started:
    return start("run", "--config", config, "--out", out)


def database(out) -> closing[sqlite3.Connection]:
    """The run's database, closed after use: a connection left open in this process would lose
    its locks when another file handle on the database closes (POSIX locks)."""
    return closing(sqlite3.connect(out / "nachtwacht.db"))


def runs(out) -> list[tuple]:
    with database(out) as db:
        return db.execute("select id, status, error from runs order by id").fetchall()


def stored_pages(out, run_id: int = 1) -> int:
    with database(out) as db:
        return db.execute("select count(*) from pages where run_id = ?", [run_id]).fetchone()[0]


def copy_out(out, target) -> None:
    """A copy of an OUT folder, the database through SQLite's backup."""
    shutil.copytree(out, target, ignore=shutil.ignore_patterns("nachtwacht.db*", "*.lock"))
    with database(out) as source, closing(sqlite3.connect(target / "nachtwacht.db")) as copy:
        source.backup(copy)


def held_with_everything_stored(site: ResumeSite, out) -> None:
    """Until the crawl waits at HELD and has stored every page it was answered before."""
    assert site.held.wait(120), "the crawl never reached the held page"
    deadline = time.monotonic() + 30
    while not (out / "nachtwacht.db").exists() or stored_pages(out) < sum(
            method == "GET" for method, _ in site.answered):
        assert time.monotonic() < deadline, "answered pages were not stored"
        time.sleep(0.1)


def crawl_of(out, run_id: int = 1) -> dict:
    """What a run gathered, without ids and timings, for comparing two runs."""
    with database(out) as db:
        pages = db.execute("select url, status, content_hash, found_via, fetch_error "
                           "from pages where run_id = ?", [run_id]).fetchall()
        links = db.execute("select source, target, text, kind from links where run_id = ?",
                           [run_id]).fetchall()
        checks = db.execute("select url, method, status from link_checks where run_id = ?",
                            [run_id]).fetchall()
        entries = db.execute("select url, sitemap from sitemap_entries where run_id = ?",
                             [run_id]).fetchall()
    pages_of_results = sorted((p["url"], p["depth"], p["orphan"])
                              for p in results_of(out)["pages"])
    return {"pages": Counter(pages), "links": Counter(links), "checks": Counter(checks),
            "sitemap_entries": Counter(entries), "results": pages_of_results}


def same_site(out, base) -> None:
    """The run gathered what the uninterrupted run did, each page once."""
    crawl, expected = crawl_of(out), crawl_of(base)
    for key, found in crawl.items():
        assert found == expected[key], key
    assert all(n == 1 for n in crawl["pages"].values()), "a page stored twice"


def assert_polite(site: ResumeSite, resumed_from: int) -> None:
    """One request at a time (concurrency_per_host) and nothing robots.txt disallows, before
    and after the interruption; the resumed crawl keeps robots.txt's Crawl-delay."""
    assert site.most_in_flight == 1
    assert "/geheim" not in [path for _, path in site.asked]
    times = [t for t, _ in site.asked[resumed_from:]]
    # Over the whole resumed crawl, not per gap: this busy machine's threads note a request
    # late now and then.
    assert times[-1] - times[0] >= (len(times) - 1) * CRAWL_DELAY * 0.9


def robots_first(site: ResumeSite, since: int) -> None:
    """The resumed crawl read robots.txt again before it asked for any page."""
    paths = [r.path for r in site.server.requests[since:]
             if r.headers.get("User-Agent", "").startswith("nachtwacht/")]
    assert paths[0] == "/robots.txt", paths[:3]


def held_run(site: ResumeSite, tmp_path: Path) -> tuple[Path, Path, Started]:
    """A run of the site's config started and held mid-crawl, with what it fetched stored."""
    config = config_file(tmp_path / "site.toml", site)
    out = tmp_path / "out"
    site.reset()
    site.hold()
    process = start_run(config, out)
    held_with_everything_stored(site, out)
    return config, out, process


def test_a_crawl_killed_with_sigkill_goes_on_in_the_same_run(site, uninterrupted, tmp_path):
    base, answered_once = uninterrupted
    config, out, killed = held_run(site, tmp_path)
    before = stored_pages(out)
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    site.drop = True            # nobody is left to answer
    site.gate.set()
    assert runs(out) == [(1, "running", None)]
    assert 0 < before < len([k for k in answered_once if k[0] == "GET"])
    state = json.loads((out / "crawl-job" / "job.json").read_text())
    assert state["run"] == 1 and state["clean"] is False

    since, resumed_from = len(site.server.requests), len(site.asked)
    again = nachtwacht("run", "--config", config, "--out", out)
    assert again.returncode == 0, again.stderr
    assert "onderbroken crawl van controle 1" in again.stdout
    assert f"gaat verder: {before} pagina's waren al opgehaald" in again.stdout
    log = (out / "nachtwacht.log").read_text(encoding="utf-8")
    assert f"gaat verder: {before} pagina's waren al opgehaald, de rest wordt uit de " \
           "database opgebouwd" in log
    assert runs(out) == [(1, "complete", None)]
    assert results_of(out)["run"]["id"] == 1
    assert not (out / "crawl-job").exists()      # a finished crawl leaves no job behind

    # Every page and link check answered once over both processes (the held request of the
    # killed one was never answered), and the same as the run nobody interrupted.
    assert dict(site.answered) == answered_once
    same_site(out, base)
    assert_polite(site, resumed_from)
    robots_first(site, since)


def test_a_crawl_stopped_with_sigterm_goes_on_from_scrapys_own_queue(site, uninterrupted,
                                                                        tmp_path):
    base, answered_once = uninterrupted
    config, out, stopped = held_run(site, tmp_path)
    stopped.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    site.gate.set()             # Scrapy stops cleanly: the held request is answered and kept
    assert stopped.wait(timeout=60) == 3
    assert "onderbroken" in stopped.stderr.read()
    assert runs(out) == [(1, "incomplete", STOPPED)]
    state = json.loads((out / "crawl-job" / "job.json").read_text())
    assert state == {**state, "run": 1, "clean": True}
    assert (out / "crawl-job" / "scrapy" / "requests.queue" / "active.json").exists()
    before = stored_pages(out)
    interrupted = tmp_path / "interrupted"
    copy_out(out, interrupted)

    resumed_from = len(site.asked)
    again = nachtwacht("run", "--config", config, "--out", out)
    assert again.returncode == 0, again.stderr
    assert f"De onderbroken crawl van controle 1 (gestart {started(out)}) gaat verder: " \
           f"{before} pagina's waren al opgehaald." in again.stdout
    assert runs(out) == [(1, "complete", None)]
    assert not (out / "crawl-job").exists()
    assert dict(site.answered) == answered_once
    same_site(out, base)
    assert_polite(site, resumed_from)

    # The same interrupted crawl with other crawl settings: a new run, and the log says why.
    changed = config_file(tmp_path / "changed.toml", site, max_pages=99)
    fresh = nachtwacht("run", "--config", changed, "--out", interrupted)
    assert fresh.returncode == 0, fresh.stderr
    assert runs(interrupted) == [(1, "incomplete", STOPPED), (2, "complete", None)]
    reason = ("De onderbroken crawl wordt niet hervat: de instellingen voor de crawl zijn "
              "veranderd; de crawl begint opnieuw.")
    assert reason in (interrupted / "nachtwacht.log").read_text(encoding="utf-8")
    assert crawl_of(interrupted, 2)["pages"] == crawl_of(base)["pages"]


def started(out, run_id: int = 1) -> str:
    with database(out) as db:
        return db.execute("select started from runs where id = ?", [run_id]).fetchone()[0]


@pytest.fixture
def interrupted_out(tmp_path):
    """An OUT folder whose run 1 was interrupted during its crawl (as job.json records it)."""
    out = tmp_path / "out"
    out.mkdir()
    db = store.open_db(out / "nachtwacht.db")
    run_id = store.start_run(db, "Hervat", "http://127.0.0.1:1/", {}, "test")
    store.finish_run(db, run_id, "incomplete", error="afgebroken: het proces bestond niet meer")
    job = crawljob.CrawlJob(out / crawljob.FOLDER, "vingerafdruk")
    job.begin(run_id)
    return out, db


def test_an_interrupted_crawl_is_resumed_only_the_same_night_with_the_same_settings(
        interrupted_out):
    out, db = interrupted_out
    now = datetime.now(UTC)
    job = crawljob.open_job(out, db, "Hervat", "vingerafdruk", now=now + timedelta(hours=11))
    assert job.resume_run == 1
    assert "gaat verder: 0 pagina's" in job.note
    assert (out / "crawl-job" / "job.json").exists()

    later = crawljob.open_job(out, db, "Hervat", "vingerafdruk", now=now + timedelta(hours=13))
    assert later.resume_run is None
    assert "meer dan 12 uur geleden (een nieuwe nacht)" in later.note
    assert not (out / "crawl-job").exists()


@pytest.mark.parametrize(("spoil", "reason"), [
    (lambda out, db: (out / "crawl-job" / "job.json").write_text("{niet af"),
     "zijn onleesbaar"),
    (lambda out, db: (out / "crawl-job" / "job.json").write_text('{"run": "een"}'),
     "zijn onleesbaar"),
    (lambda out, db: store.finish_run(db, 1, "complete"), "is al afgesloten (complete)"),
    (lambda out, db: store.start_run(db, "Hervat", "http://127.0.0.1:1/", {}, "test"),
     "is er een nieuwere controle (2)"),
])
def test_an_interrupted_crawl_that_cannot_go_on_starts_over_and_says_why(interrupted_out, spoil,
                                                                         reason):
    out, db = interrupted_out
    spoil(out, db)
    job = crawljob.open_job(out, db, "Hervat", "vingerafdruk")
    assert job.resume_run is None
    assert reason in job.note and job.note.endswith("de crawl begint opnieuw.")
    assert not (out / "crawl-job").exists()
    assert crawljob.open_job(out, db, "Hervat", "vingerafdruk").note is None   # said once


def test_changed_crawl_settings_start_over(interrupted_out):
    out, db = interrupted_out
    job = crawljob.open_job(out, db, "Hervat", "een andere vingerafdruk")
    assert job.resume_run is None
    assert "de instellingen voor de crawl zijn veranderd" in job.note


def test_a_job_folder_whose_clean_up_was_killed_is_no_job(interrupted_out):
    out, db = interrupted_out
    (out / "crawl-job" / "job.json").unlink()       # removed first, then the kill came
    job = crawljob.open_job(out, db, "Hervat", "vingerafdruk")
    assert (job.resume_run, job.note) == (None, None)
    assert not (out / "crawl-job").exists()

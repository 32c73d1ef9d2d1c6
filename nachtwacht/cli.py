"""The command line: a thin layer over the library functions.

Exit codes: 0 done; 1 done but under the score threshold (or new findings); 2 usage or
configuration error; 3 the run could not be done; 4 an unexpected internal error (the run is
recorded as failed, the traceback goes to OUT/nachtwacht.log). Exit 1 never means a crash.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import traceback
from pathlib import Path

from core import __version__, config, store, urls
from nachtwacht.failures import RunFailed, SiteUnreachable, internal_error
from nachtwacht.history import format_history, history_rows, load_history
from nachtwacht.lock import RunLocked
from nachtwacht.thresholds import threshold_problems

# The crawler, the audits and the report are imported by the commands that need them, inside
# main's error handling: a crash while loading them is exit 4 too, never Python's exit 1.
EXIT_OK, EXIT_THRESHOLD, EXIT_USAGE, EXIT_FAILED, EXIT_INTERNAL = 0, 1, 2, 3, 4
DEFAULT_OUT = Path("nachtwacht-out")


class UsageError(Exception):
    pass


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="nachtwacht", description=(
        "Nachtelijke controle van een gemeentewebsite: toegankelijkheid, links en toptaken."))
    main.add_argument("--version", action="version", version=f"nachtwacht {__version__}")
    main.add_argument("-v", "--verbose", action="store_true", help="laat het crawllog zien")
    sub = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def out_option(p, required=False):
        p.add_argument("--out", type=Path, default=None if required else DEFAULT_OUT,
                       required=required, help="map voor database, results.json en rapport")

    run = sub.add_parser("run", help="controleer een website")
    run.add_argument("start_url", nargs="?", help="startadres (http of https)")
    run.add_argument("--config", type=Path, action="append",
                     help="configuratiebestand (TOML); herhaal voor meer sites na elkaar")
    out_option(run)
    run.add_argument("--max-pages", type=int, help="hoogstens zoveel pagina's")
    run.add_argument("--browsers", type=int,
                     help="zoveel browsers tegelijk voor de toegankelijkheidscontrole "
                          "(standaard: het aantal processorkernen)")
    run.add_argument("--lang", choices=("nl", "en"), default="nl", help="taal van het rapport")
    run.add_argument("--full", action="store_true", help="controleer alle pagina's opnieuw")
    run.add_argument("--fail-under", type=float, help="exitcode 1 onder deze sitescore")
    run.add_argument("--fail-on-new", action="store_true",
                     help="exitcode 1 bij nieuwe fouten of kapotte links sinds de vorige controle")

    demo = sub.add_parser("demo", help="draai tegen de voorbeeldsite Voorbeeldstad")
    out_option(demo)
    demo.add_argument("--lang", choices=("nl", "en"), default="nl")

    report = sub.add_parser("report", help="maak het rapport opnieuw uit de database")
    out_option(report, required=True)
    report.add_argument("--run", type=int, help="nummer van de controle (standaard de laatste)")
    report.add_argument("--lang", choices=("nl", "en"), default="nl")

    export = sub.add_parser("export", help="exporteer de resultaten")
    out_option(export, required=True)
    export.add_argument("--format", choices=("json", "csv", "earl"), default="json")
    export.add_argument("--run", type=int)

    history = sub.add_parser("history", help="de eerdere controles")
    out_option(history, required=True)

    enqueue = sub.add_parser("queue", help="zet elke site van een map met configuraties als "
                                           "taak in de wachtrij (Celery, Redis) en wacht erop")
    enqueue.add_argument("configs", nargs="+", type=Path,
                         help="configuratiebestanden of mappen met *.toml")
    out_option(enqueue)
    enqueue.add_argument("--broker", help="Redis-adres (standaard $NACHTWACHT_BROKER of "
                                          "redis://127.0.0.1:6379/0)")
    enqueue.add_argument("--lang", choices=("nl", "en"), default="nl")
    enqueue.add_argument("--full", action="store_true")
    enqueue.add_argument("--max-pages", type=int)
    enqueue.add_argument("--timeout", type=float, help="hoogstens zoveel seconden wachten")
    enqueue.add_argument("--no-wait", action="store_true",
                         help="alleen in de wachtrij zetten, niet wachten")

    worker = sub.add_parser("worker", help="voer taken uit de wachtrij uit (een Celery-worker)")
    worker.add_argument("--broker", help="Redis-adres, zoals bij 'queue'")
    worker.add_argument("--concurrency", type=int, default=1,
                        help="zoveel sites tegelijk op deze machine (standaard 1)")
    worker.add_argument("--name", help="naam van deze worker (standaard de computernaam)")
    return main


def load_config(args) -> config.SiteConfig:
    if args.config:
        site = config.load(args.config, start_url=args.start_url)
    elif args.start_url:
        site = config.site_from_url(args.start_url)
    else:
        raise UsageError("geef een START_URL of --config FILE op")
    if args.max_pages is not None:
        if args.max_pages < 1:
            raise UsageError("--max-pages moet 1 of meer zijn")
        site.max_pages = args.max_pages
    if args.browsers is not None:
        if args.browsers < 1:
            raise UsageError("--browsers moet 1 of meer zijn")
        site.browsers = args.browsers
    return site


def https_assumed(args) -> str:
    """A hint when the START_URL was typed without a scheme: nachtwacht took it for https."""
    typed = (args.start_url or "").strip()
    if args.config or not typed or urls.SCHEME.match(typed):
        return ""
    return ("Zonder http:// ervoor neemt nachtwacht https aan; werkt de site alleen met http, "
            f"typ dan http://{typed.removeprefix('//')}")


def threshold_exit(results: dict, fail_under: float | None, fail_on_new: bool = False) -> int:
    problems = threshold_problems(results, fail_under, fail_on_new)
    for problem in problems:
        print(f"nachtwacht: {problem}", file=sys.stderr)
    return EXIT_THRESHOLD if problems else EXIT_OK


def cmd_run(args) -> int:
    configs = args.config or []
    if len(configs) > 1:
        from nachtwacht.sites import run_sites
        return run_sites(args, configs)
    args.config = configs[0] if configs else None
    from nachtwacht.nightly import guarded_run
    site = load_config(args)
    try:
        results = guarded_run(site, args.out, lang=args.lang, full=args.full,
                              verbose=args.verbose)
    except SiteUnreachable as error:
        hint = https_assumed(args)
        raise SiteUnreachable(f"{str(error).rstrip('.')}. {hint}" if hint else error) from None
    print(f"Rapport: {(args.out / 'report' / 'index.html').resolve()}")
    fail_under = args.fail_under if args.fail_under is not None else site.fail_under
    return threshold_exit(results, fail_under, args.fail_on_new or site.fail_on_new)


def cmd_demo(args) -> int:
    from nachtwacht.demo import run_demo
    run_demo(args.out, lang=args.lang, verbose=args.verbose)
    return EXIT_OK


def stored_results(out: Path, run_id: int | None) -> dict:
    db_path = out / "nachtwacht.db"
    if not db_path.exists():
        raise UsageError(f"{db_path}: geen database gevonden (eerst 'nachtwacht run')")
    from nachtwacht.results import stored
    db = store.open_db(db_path)
    # the newest run that kept its results (a run whose report failed to render kept them)
    ids = [run_id] if run_id else [row[0] for row in db.execute(
        "select id from runs order by id desc")]
    for candidate in ids:
        found = stored(out, db, candidate)
        if found is not None:
            return found
    raise UsageError(f"{db_path}: controle {run_id or ''} niet gevonden".replace("  ", " "))


def cmd_report(args) -> int:
    from reports.render import render_report
    results = stored_results(args.out, args.run)
    run = results.get("run") or {}
    index = render_report(results, args.out / "report", lang=args.lang, history=load_history(
        args.out / "nachtwacht.db", run.get("site"), run.get("id")))
    print(f"Rapport: {index.resolve()}")
    return EXIT_OK


def cmd_export(args) -> int:
    from reports.export import export
    for path in export(stored_results(args.out, args.run), args.out, args.format):
        print(path)
    return EXIT_OK


def cmd_history(args) -> int:
    db_path = args.out / "nachtwacht.db"
    if not db_path.exists():
        raise UsageError(f"{db_path}: geen database gevonden")
    print(format_history(history_rows(store.open_db(db_path))))
    return EXIT_OK


def queue_app(broker: str | None):
    """The Celery app on ``broker``; RunFailed with one line when the broker does not answer."""
    from nachtwacht import queue
    url = broker or queue.broker_url()
    queue.app.conf.broker_url = queue.app.conf.result_backend = url
    if not queue.reachable(url):
        raise RunFailed(f"de wachtrij op {url} is niet bereikbaar (draait redis-server?)")
    return queue


def cmd_queue(args) -> int:
    queue = queue_app(args.broker)
    options = queue.site_options(lang=args.lang, full=args.full, max_pages=args.max_pages)
    jobs = queue.enqueue(args.configs, args.out, options)
    print(f"nachtwacht: {len(jobs)} sites in de wachtrij", flush=True)
    if args.no_wait:
        return EXIT_OK
    return queue.wait(jobs, args.out, args.lang, args.timeout)


def cmd_worker(args) -> int:
    queue = queue_app(args.broker)
    name = f"{args.name}@%h" if args.name else "nachtwacht@%h"
    queue.app.worker_main(["worker", "--loglevel", "INFO", "--concurrency",
                           str(args.concurrency), "--hostname", name, "--queues", queue.QUEUE])
    return EXIT_OK


COMMANDS = {"run": cmd_run, "demo": cmd_demo, "report": cmd_report, "export": cmd_export,
            "history": cmd_history, "queue": cmd_queue, "worker": cmd_worker}


def log_traceback(out: Path | None) -> str:
    """Append the current exception's traceback to OUT/nachtwacht.log; says where it went."""
    text = f"\n{store.now()} interne fout in nachtwacht\n{traceback.format_exc()}"
    if out is not None:
        try:
            out.mkdir(parents=True, exist_ok=True)
            with open(out / "nachtwacht.log", "a", encoding="utf-8") as log:
                log.write(text)
            return f"details in {out / 'nachtwacht.log'}"
        except OSError:
            pass
    sys.stderr.write(text)
    return "details hierboven"


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (config.ConfigError, UsageError) as error:
        print(f"nachtwacht: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (RunFailed, RunLocked) as error:
        print(f"nachtwacht: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("nachtwacht: onderbroken", file=sys.stderr)
        return EXIT_FAILED
    except OSError as error:     # the output folder cannot be made or written
        where = f" in {error.filename}" if error.filename else ""
        print(f"nachtwacht: kan niet schrijven{where} ({error.strerror or error})",
              file=sys.stderr)
        return EXIT_FAILED
    except sqlite3.DatabaseError as error:
        print(f"nachtwacht: de database kan niet worden bijgewerkt ({error})", file=sys.stderr)
        return EXIT_FAILED
    except Exception as error:  # noqa: BLE001 -- a bug in nachtwacht: exit 4, never 1
        where = log_traceback(getattr(args, "out", None))
        print(f"nachtwacht: {internal_error(error)}; {where}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())

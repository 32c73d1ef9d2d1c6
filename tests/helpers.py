"""Running the real command line in a subprocess, as an operator would."""

from __future__ import annotations

import atexit
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import weakref
from pathlib import Path

NACHTWACHT = [sys.executable, "-m", "nachtwacht.cli"]

# Each call of `nachtwacht(...)` is a new process that runs the real command line, as a shell
# would start it, but forked from a server that has imported nachtwacht once: Python's own
# multiprocessing "forkserver". Importing nachtwacht's crawl, audit and report code costs
# about 1.4 CPU-s a start, a third of a small run; the suite starts it some 150 times.
# A call with its own whole ``env`` starts a fresh interpreter, as NACHTWACHT does: a hostile
# environment (HOME, TMPDIR, locale) acts on the interpreter's start too.
_FORKSERVER = multiprocessing.get_context("forkserver")
_FORKSERVER.set_forkserver_preload(["tests.preload"])


def nachtwacht(*args: str, timeout: float = 300, env: dict | None = None,
               extra_env: dict | None = None, cwd: Path | str | None = None
               ) -> subprocess.CompletedProcess:
    """Run ``nachtwacht ARGS`` and return the finished process (text output captured).

    ``env``: the whole environment; ``extra_env``: variables added to this one's.
    """
    if env is not None:
        return subprocess.run([*NACHTWACHT, *map(str, args)], capture_output=True, text=True,
                              check=False, timeout=timeout, env=env, cwd=cwd)
    started = start(*args, extra_env=extra_env, cwd=cwd)
    try:
        code = started.wait(timeout)
    except subprocess.TimeoutExpired:
        started.kill()
        started.wait()
        raise
    return subprocess.CompletedProcess(started.args, code, started.output("stdout"),
                                       started.output("stderr"))


def start(*args: str, extra_env: dict | None = None, cwd: Path | str | None = None) -> Started:
    """Start ``nachtwacht ARGS`` and return at once, for a test that signals or waits on it."""
    argv = [str(arg) for arg in args]
    return forked(_cli, argv, extra_env=extra_env, cwd=cwd, name=[*NACHTWACHT, *argv])


def forked(function, *args, extra_env: dict | None = None, cwd: Path | str | None = None,
           name: list[str] | None = None) -> Started:
    """Start ``function(*args)`` (a module-level function; its return value is the exit code) in
    a process forked from the fork server, with its own environment, folder and output files."""
    folder = Path(tempfile.mkdtemp(prefix="nachtwacht-cli-"))
    environ = {**os.environ, **(extra_env or {})}
    for stream in ("stdout", "stderr"):
        (folder / stream).touch()
    process = _FORKSERVER.Process(target=_in_child, args=(function, args, environ,
                                                          str(cwd or os.getcwd()), folder))
    process.start()
    return Started(name or [getattr(function, "__name__", "forked")], process, folder)


class Started:
    """A started ``nachtwacht``: the part of subprocess.Popen the tests use."""

    def __init__(self, args: list[str], process, folder: Path) -> None:
        self.args, self.pid, self._process, self._folder = args, process.pid, process, folder
        self.stderr = open(folder / "stderr", encoding="utf-8", errors="replace")  # noqa: SIM115
        weakref.finalize(self, _remove, self.stderr, folder)

    @property
    def returncode(self) -> int | None:
        return self._process.exitcode

    def poll(self) -> int | None:
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        self._process.join(timeout)
        if self._process.exitcode is None:
            raise subprocess.TimeoutExpired(self.args, timeout)
        return self._process.exitcode

    def send_signal(self, signum: int) -> None:
        if self._process.exitcode is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def output(self, name: str) -> str:
        """All the process wrote to ``stdout`` or ``stderr``, newlines as text mode reads them."""
        return (self._folder / name).read_text(encoding="utf-8", errors="replace"
                                               ).replace("\r\n", "\n")


def _remove(stderr, folder: Path) -> None:
    stderr.close()
    shutil.rmtree(folder, ignore_errors=True)


def _in_child(function, args: tuple, environ: dict, cwd: str, folder: Path) -> None:
    """In the forked process: the shell's part (environment, folder, output), then ``function``."""
    os.environ.clear()
    os.environ.update(environ)
    os.chdir(cwd)
    for fd, name in ((1, "stdout"), (2, "stderr")):
        opened = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        os.dup2(opened, fd)
        os.close(opened)
    try:
        code = function(*args)
    finally:
        atexit._run_exitfuncs()   # multiprocessing ends a child with os._exit
    sys.exit(code)


def _cli(args: list[str]) -> int:
    from nachtwacht.cli import main
    return main(args)


def never_answers(handler) -> None:
    """A route that keeps the request open and answers nothing (a page that waits on it hangs)."""
    time.sleep(30)


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a test site's ``{path: content}`` files under ``root``; returns ``root``."""
    for name, content in files.items():
        target = root / name.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def results_of(out: Path) -> dict:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def by_url(entries: list[dict], origin: str) -> dict[str, dict]:
    """Entries keyed by their path, for readable assertions."""
    return {e["url"].removeprefix(origin): e for e in entries}


# The browser's page checks (reflow, text spacing, keyboard walk, orientation) relayout or walk
# every page and screenshots photograph every finding: a test that is not about them switches
# them off, axe itself stays on (tests/test_checks_*.py, test_page_checks.py and
# test_screenshots.py test them).
QUICK_CHECKS = ("[checks]\nreflow = false\ntext_spacing = false\nkeyboard = false\n"
                "orientation = false\nscreenshots = false\n")


def checks_off(folder: Path) -> Path:
    """A configuration of only ``QUICK_CHECKS``, for ``nachtwacht run START_URL --config``: the
    same site as ``nachtwacht run START_URL`` (name, tasks, bounds) without the page checks."""
    path = Path(folder) / "checks-off.toml"
    if not path.is_file():
        path.write_text(QUICK_CHECKS, encoding="utf-8")
    return path


def quick(folder: Path) -> list[str]:
    """``--config checks-off.toml`` for ``nachtwacht("run", url, *quick(tmp_path), ...)``."""
    return ["--config", str(checks_off(folder))]

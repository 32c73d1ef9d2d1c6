"""The PDF check run bounded: ``Checker`` keeps one small worker process that checks each
file (``audits/pdf.py``) in a fresh child with limits on memory, CPU and wall time, so a
hostile file (a decompression bomb, thousands of pages) ends as a recorded reason, never as
a hang or a crash of the run. The run itself never loads pikepdf.
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Self

from core.documents import MB, settings


def _limit(limits: dict) -> None:
    memory = limits["memory_mb"] * MB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = limits["cpu_seconds"]
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _check_in_child(path: str, limits: dict, check: Callable[[str, dict], dict]) -> dict:
    """Fork, limit the child's memory and CPU, check the file there; kill it after the wall time."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:        # the child: never returns
        os.close(read_end)
        code = 0
        try:
            _limit(limits)
            from audits.pdf import check_file  # pikepdf: in the worker only, never the run
            result = check_file(path, limits)
        except MemoryError:
            result = {"error": "too-complex", "detail": "te veel geheugen nodig"}
        except Exception as error:  # noqa: BLE001 - whatever breaks, the parent gets a reason
            result, code = {"error": "broken", "detail": str(error)[:200]}, 1
        with os.fdopen(write_end, "wb") as out:
            out.write(json.dumps(result).encode())
        os._exit(code)
    os.close(write_end)
    deadline = time.monotonic() + limits["wall_seconds"]
    data = b""
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        while (left := deadline - time.monotonic()) > 0:
            if not select.select([pipe], [], [], left)[0]:
                continue
            chunk = pipe.read(65536)
            if not chunk:
                break
            data += chunk
        else:
            os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if data:
        try:
            return json.loads(data)
        except ValueError:
            pass
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL and not data:
        detail = "lezen duurde te lang" if time.monotonic() >= deadline else "afgebroken"
    elif os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
        detail = "te veel rekentijd"
    else:
        detail = f"lezen brak af (status {status})"
    return {"error": "too-complex", "detail": detail}


def serve(limits: dict) -> None:
    """The checking worker: reads file paths, one a line; writes one JSON answer a line.
    pikepdf is loaded here once, before the children are forked."""
    from audits.pdf import check_file  # in the worker only: the run never loads pikepdf

    for line in sys.stdin:
        result = _check_in_child(line.rstrip("\n"), limits, check_file)
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        sys.stdout.flush()


class Checker:
    """A worker process with pikepdf loaded that checks each file in a fresh, bounded child.

    The run never forks itself (it holds Twisted's and Chromium's threads); the worker is
    small, and a check costs a fork, not a Python start-up.
    """

    def __init__(self, limits: dict | None = None):
        self.limits = limits or settings()["parse"]
        self.worker: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        if self.worker is None or self.worker.poll() is not None:
            self.worker = subprocess.Popen(
                [sys.executable, "-m", "audits.pdf_worker", json.dumps(self.limits)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                cwd=Path(__file__).resolve().parents[1])
        return self.worker

    def check(self, path: Path | str) -> dict:
        """The facts of one PDF, or ``{"error": reason, "detail": …}``; never raises for the file."""
        worker = self._start()
        worker.stdin.write(f"{path}\n")
        worker.stdin.flush()
        # The worker kills a slow child itself; this is only for a worker that went away.
        if select.select([worker.stdout], [], [], self.limits["wall_seconds"] + 15)[0]:
            line = worker.stdout.readline()
            if line:
                return json.loads(line)
        self.close()
        return {"error": "too-complex", "detail": "de controle gaf geen antwoord"}

    def close(self) -> None:
        if self.worker is not None:
            self.worker.kill()
            self.worker.wait()
            self.worker = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


if __name__ == "__main__":
    serve(json.loads(sys.argv[1]))

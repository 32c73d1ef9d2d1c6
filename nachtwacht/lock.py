"""One run at a time per OUT folder: an flock on OUT/nachtwacht.lock.

The operating system drops the lock when the process ends, however it ends
(SIGKILL, power loss), so a crashed run never leaves it stuck.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Self

LOCK_NAME = "nachtwacht.lock"


class RunLocked(Exception):
    """Another run holds the lock on this OUT folder; the message is one line."""


class RunLock:
    """Hold the lock on ``out`` for the life of the ``with`` block (or of the process)."""

    def __init__(self, out: Path):
        self.path = Path(out) / LOCK_NAME
        self.fd: int | None = None

    def acquire(self) -> Self:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise RunLocked(f"er loopt al een controle in {self.path.parent} "
                            f"(proces {holder}); deze controle is niet gestart") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)    # closing the descriptor drops the flock
            self.fd = None

    def __enter__(self) -> Self:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()

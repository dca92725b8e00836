"""One writer at a time per warehouse file: an OS file lock beside it, released even if the process dies."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from warehouse.base import WarehouseError


@contextlib.contextmanager
def writer_lock(path: Path, wait_s: float, on_wait: Callable[[str], None]) -> Iterator[None]:
    """One writer at a time per warehouse file (an OS file lock, released even if the process dies). The holder
    writes its PID into the lock file so that a waiting run can say whom it waits for."""
    lock_path = path.with_name(f".{path.name}.lock")
    try:
        handle = open(lock_path, "a+")  # noqa: SIM115 - closed below; "a+" so a waiter never truncates the holder's PID
    except OSError as exc:
        raise WarehouseError(
            f"cannot write beside the warehouse in {path.parent} ({exc.strerror}): a run needs "
            f"its lock file and a staging copy there; nothing was changed"
        ) from None
    with handle:
        _acquire(handle, path, wait_s, on_wait)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _acquire(handle, path: Path, wait_s: float, on_wait: Callable[[str], None]) -> None:
    """Take the lock, telling `on_wait` when (and every 30 s while) another run holds it."""
    clock, told = time.monotonic(), -1
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            waited = time.monotonic() - clock
            if waited > wait_s:
                raise WarehouseError(
                    f"another qtwatch run is writing {path} ({_holder(handle)}); waited "
                    f"{waited:.0f}s (QTWATCH_WRITER_WAIT_S={wait_s:g}); nothing was "
                    f"changed"
                ) from None
            if int(waited // 30) > told:
                told = int(waited // 30)
                on_wait(
                    f"waiting for the warehouse writer lock on {path}: {_holder(handle)} is writing it; "
                    f"waited {waited:.0f}s of at most {wait_s:g}s (QTWATCH_WRITER_WAIT_S)"
                )
            time.sleep(min(0.5, max(0.0, wait_s - waited)) or 0.05)
    if told >= 0:
        on_wait(f"got the warehouse writer lock on {path} after waiting {time.monotonic() - clock:.1f}s")


def _holder(handle) -> str:
    handle.seek(0)
    pid = handle.read().strip()
    return f"pid {pid}" if pid.isdigit() else "another process"

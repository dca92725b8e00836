"""Named fault points for the crash tests: `QTWATCH_FAULT_AT=<point>[:KILL|TERM|INT]` kills this process there.

The pipeline and the staged write call `point(name)` at each step where a crash would leave a different state on
disk. Unset (always, outside tests) it costs one environment lookup. The fault suite (tests/faults_tests/) runs
`qtwatch run` once per point and checks what a crash there leaves behind.
"""

from __future__ import annotations

import os
import signal

FAULT_ENV = "QTWATCH_FAULT_AT"
SIGNALS = {"KILL": signal.SIGKILL, "TERM": signal.SIGTERM, "INT": signal.SIGINT}


def point(name: str) -> None:
    """Signal this process (SIGKILL unless the setting names TERM or INT) when QTWATCH_FAULT_AT names `name`."""
    wanted = os.environ.get(FAULT_ENV)
    if not wanted:
        return
    target, _, how = wanted.partition(":")
    if target == name:
        signum = SIGNALS.get(how.upper() or "KILL", signal.SIGKILL)
        os.kill(os.getpid(), signum)
        if signum == signal.SIGKILL:  # PID 1 (a container's init) ignores its own SIGKILL: die as abruptly anyway
            os._exit(128 + signal.SIGKILL)

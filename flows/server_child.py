"""Launcher for a child that must not outlive its parent: `python -m flows.server_child PARENT_PID CMD ARGS...`.

It asks the kernel to SIGKILL it when the parent dies (Linux `prctl(PR_SET_PDEATHSIG)`, kept across exec), checks
the parent did not die before that took effect, and execs CMD. Standard library only: it runs before anything else.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def main(argv: list[str]) -> None:
    """Arm the parent-death signal, then replace this process with argv[1:] (argv[0] is the parent's PID)."""
    parent, command = int(argv[0]), argv[1:]
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:  # the parent died before the signal was armed: nobody is left to stop us
        sys.exit(1)
    os.execv(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])

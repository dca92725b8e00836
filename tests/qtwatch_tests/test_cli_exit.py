"""The `qtwatch` console script leaves without the interpreter's teardown, but only after everything a normal exit
does: its exit status, flushed output and every atexit handler (Prefect's workers, logging, a tool's own)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_main(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess:
    """`qtwatch.cli.main(argv)` in a child that registered an atexit handler first."""
    marker = tmp_path / "atexit-ran"
    code = textwrap.dedent(f"""
        import atexit, pathlib
        atexit.register(lambda: pathlib.Path({str(marker)!r}).write_text("yes"))
        from qtwatch.cli import main
        main({list(argv)!r})
    """)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_success_keeps_its_status_output_and_atexit_handlers(tmp_path) -> None:
    done = run_main(tmp_path, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()  # the version line was flushed before the process left
    assert (tmp_path / "atexit-ran").read_text() == "yes"


def test_a_wrong_argument_keeps_its_status_and_one_line(tmp_path) -> None:
    done = run_main(tmp_path, "no-such-command")
    assert done.returncode == 2
    assert "No such command" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "atexit-ran").read_text() == "yes"


def test_the_console_script_is_main() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert 'qtwatch = "qtwatch.cli:main"' in text

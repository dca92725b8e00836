"""Run `qtwatch run` in this process (its own PREFECT_HOME, given by the test) against the fake host (in process),
where the FRED API answers 400 with a body that echoes the request — the key raw, URL-encoded, JSON-escaped, inside
a dict repr, bare and cut. Usage: python key_echo_run.py WORKDIR AS_OF; writes WORKDIR/exit_code. The key comes from
FRED_API_KEY.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.fake_host import FakeHost  # noqa: E402


def echo_fault(source: str, fmt: str, query, body: bytes) -> tuple[int, bytes]:  # noqa: ARG001 - Fault signature
    """FRED's 400 for an unregistered key, made worse: it repeats the request every way a server might."""
    if fmt != "fred_api":
        return 200, body
    key = query["api_key"]
    params = {"series_id": query["series_id"], "api_key": key, "file_type": "json"}
    message = (
        f"Bad Request. The value for variable api_key is not registered. api_key={key} bare {key} "
        f"encoded {quote(key, safe='')} params {params!r} head {key[:12]} tail {key[-9:]}"
    )
    return 400, json.dumps({"error_code": 400, "error_message": message, "request": {"api_key": key}}).encode()


def main(workdir: Path, as_of: date) -> int:
    from qtwatch.cli import app

    with FakeHost(as_of, faults={"fred": echo_fault}).in_process():
        try:
            # dts lands and rebuilds marts.tga_daily (its only source), so the run also writes its report
            chosen = ["fred", "nyfed_repo", "dts"]  # sources: chosen, above
            app(["run", *[arg for source in chosen for arg in ("--source", source)], "--as-of", as_of.isoformat()])
        except SystemExit as exc:
            return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    work = Path(sys.argv[1])
    code = main(work, date.fromisoformat(sys.argv[2]))
    (work / "exit_code").write_text(str(code))
    sys.exit(code)

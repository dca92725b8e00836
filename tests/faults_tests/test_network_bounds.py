"""Issue 28 items 3 (network part), 7 and 14 against a misbehaving server on 127.0.0.1 (slow_server.py): a request's
total time is bounded (a body at 1 byte/s ran 15 minutes with QTWATCH_HTTP_TIMEOUT_S=5), a long Retry-After fails at
once in one line (one of 3600 s slept an hour), SIGTERM ends a process whose worker thread is stuck in a read, a
response is capped once decompressed (gzip and CFTC zip bombs), and a body cut mid-transfer is retried, then named."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import time
import tracemalloc
import zipfile
from dataclasses import replace
from datetime import date

import pytest

from flows.http import SourceError, get_bytes, make_session
from flows.http_limits import MB, Limits
from flows.sources import Window, cftc
from tests.conftest import fetch_request
from tests.faults_tests.harness import ROOT
from tests.faults_tests.slow_server import BODY, fault_server, gzip_bomb
from transforms.registry import HttpPolicy

POLICY = HttpPolicy(
    "faults", "http://127.0.0.1/", "faults_url", min_interval_s=0.0, retries=4, backoff_factor=0.0, timeout_s=5.0
)


def session(**limits: float):
    return make_session(POLICY, "qtwatch-faults", limits=Limits(**limits))  # type: ignore[arg-type]


@pytest.mark.slow
def test_a_body_at_one_byte_a_second_is_bounded_by_the_total_time() -> None:
    with fault_server() as server:
        clock = time.monotonic()
        with pytest.raises(SourceError) as caught:
            get_bytes(session(total_s=3.0), server.url("slow/x.csv"), None, source="faults", expect="csv")
        spent = time.monotonic() - clock
    assert spent < 6, f"took {spent:.1f}s with a 3s total (the read timeout is 5s per read)"
    assert "gave up after 3s in all (QTWATCH_HTTP_TOTAL_S" in caught.value.cause and caught.value.transient


def test_a_long_retry_after_gives_up_at_once_in_one_line() -> None:
    with fault_server() as server:
        clock = time.monotonic()
        with pytest.raises(SourceError) as caught:
            get_bytes(
                session(max_retry_after_s=60.0), server.url("throttle/x.csv"), None, source="faults", expect="csv"
            )
        spent = time.monotonic() - clock
        hits = server.hits["throttle"]
    assert spent < 3 and hits == 1, (spent, hits)
    message = str(caught.value)
    assert "asked to wait 3,600s (Retry-After), longer than QTWATCH_HTTP_MAX_RETRY_AFTER_S=60s" in message
    assert "\n" not in message


def test_a_body_cut_mid_transfer_is_retried() -> None:
    with fault_server() as server:
        server.cuts = 2
        body, _ = get_bytes(session(), server.url("cut-then-ok/x.csv"), None, source="faults", expect="csv")
        assert body == BODY and server.hits["cut-then-ok"] == 3


def test_a_body_always_cut_says_so_not_cannot_reach() -> None:
    with fault_server() as server:
        with pytest.raises(SourceError) as caught:
            get_bytes(session(), server.url("cut/x.csv"), None, source="faults", expect="csv")
        hits = server.hits["cut"]
    assert "cut mid-transfer (ended early, of 2,000 announced), 3 times" in caught.value.cause, caught.value.cause
    assert "cannot reach" not in caught.value.cause and caught.value.transient and hits == 3


@pytest.mark.slow
def test_a_gzip_bomb_is_refused_past_the_cap_with_bounded_memory() -> None:
    bomb = gzip_bomb(400)  # ~400 KB on the wire, 400 MB inflated
    with fault_server() as server:
        server.bomb = bomb
        tracemalloc.start()
        try:
            with pytest.raises(SourceError) as caught:
                get_bytes(session(max_bytes=16 * MB), server.url("bomb/x.csv"), None, source="faults", expect="csv")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert "response larger than 16 MB decompressed (QTWATCH_MAX_RESPONSE_MB): refused" in caught.value.cause
    assert peak < 64 * MB, f"peak {peak / MB:.0f} MB for a 16 MB cap"


@pytest.mark.slow
def test_a_cftc_zip_bomb_is_refused_not_reported_as_an_empty_body() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("FinFutYY.txt", "w") as member:
        zeros = bytes(MB)
        for _ in range(300):  # SYNTHETIC: 300 MB of zeros, ~300 KB zipped
            member.write(zeros)
    with fault_server() as server:
        server.zip_body = buffer.getvalue()
        request = replace(
            fetch_request("cftc", window=Window(date(2026, 3, 1), date(2026, 6, 30))), base_url=server.url("zip/")
        )
        tracemalloc.start()
        try:
            with pytest.raises(SourceError) as caught:
                cftc.fetch_cftc(session(max_bytes=16 * MB), request)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert "inflates to 300 MB, more than the 16 MB limit (QTWATCH_MAX_RESPONSE_MB): refused" in str(caught.value)
    assert "empty" not in str(caught.value) and peak < 64 * MB


STUCK_WORKER = """
import sys, time
from concurrent.futures import ThreadPoolExecutor
from flows import interrupts
from flows.http import get_bytes, make_session
from flows.http_limits import Limits
from tests.faults_tests.test_network_bounds import POLICY
session = make_session(POLICY, "qtwatch-faults", limits=Limits(total_s=600.0))
try:
    with interrupts.handling_signals(), ThreadPoolExecutor(1) as pool:
        future = pool.submit(get_bytes, session, sys.argv[1], None, source="faults", expect="csv")
        print("started", flush=True)
        future.result()
except interrupts.Interrupted as exc:
    print("interrupted", exc.signum, flush=True)
    sys.exit(128 + exc.signum)
"""


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_ends_a_process_whose_worker_is_stuck_in_a_read(signum: int) -> None:
    with fault_server() as server:
        process = subprocess.Popen(
            [sys.executable, "-c", STUCK_WORKER, server.url("slow/x.csv")],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "started"
        deadline = time.monotonic() + 60
        while not server.hits.get("slow") and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)  # the worker is now blocked reading the trickled body
        clock = time.monotonic()
        process.send_signal(signum)
        try:
            out, err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            pytest.fail("the process was still alive 20 s after the signal")
        spent = time.monotonic() - clock
    assert process.returncode == 128 + signum, err[-2000:]
    assert spent < 5, f"{spent:.1f}s from the signal to the exit"


@pytest.mark.slow
def test_sigterm_ends_qtwatch_run_stuck_on_a_slow_source_within_seconds(tmp_path) -> None:
    """The real `qtwatch run` (its own temporary Prefect server), NY Fed rates served at 1 byte/s: SIGTERM once the
    request is in flight ends it in one line with 143, its server with it (before: 90 s to 11 min)."""
    from tests.faults_tests.harness import QTWATCH, case_env, orphans_after

    with fault_server() as server:
        env = case_env(
            tmp_path,
            tmp_path / "wh" / "qtwatch.duckdb",
            QTWATCH_NYFED_URL=server.url("slow/"),
            QTWATCH_HTTP_TOTAL_S="600",
        )
        err = tmp_path / "stderr.log"
        with open(err, "w") as handle:
            process = subprocess.Popen(
                [QTWATCH, "run", "--source", "nyfed_rates"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=handle,
                text=True,
            )
        deadline = time.monotonic() + 240
        while not server.hits.get("slow"):
            assert process.poll() is None and time.monotonic() < deadline, err.read_text()[-2000:]
            time.sleep(0.1)
        time.sleep(1.0)
        clock = time.monotonic()
        process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            pytest.fail("qtwatch run was still alive 60 s after SIGTERM")
        spent = time.monotonic() - clock
    stderr = err.read_text()
    assert process.returncode == 143, stderr[-2000:]
    assert "run interrupted by SIGTERM" in stderr and "Traceback" not in stderr
    assert spent < 15, f"{spent:.1f}s from SIGTERM to the exit"
    assert orphans_after(env["QTWATCH_FAULT_CASE"]) == []

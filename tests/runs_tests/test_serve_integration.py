"""End to end on localhost: a real Prefect server, the deployments served by `qtwatch serve --no-server`, one replay
run that completes (schedule, logs and artifact checked through the API), one run with a corrupted source file that
fails and reaches the alert receiver, and the warehouse writer slot refusing a second writer."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from pytest_httpserver import HTTPServer
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from flows.alerts import STRESS_EVENT
from flows.deployments import CADENCES, TIMEZONE, start_server, stop_process, wait_healthy
from flows.writer_slot import WRITER_LIMIT

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2025-07-01"  # SOFR for the 2025-06-30 quarter end (a flagged stress day) is published on 07-01
RUN_TIMEOUT_S = 100.0  # both runs together; measured ~35 s on 2 cores
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(home: Path, api_url: str, alert_url: str, tmp: Path) -> dict[str, str]:
    """A clean Prefect/qtwatch environment: temporary home and warehouse, no scheduler, fast runner polling."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "QTWATCH_"))}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        # the schedules must exist, but no scheduled (live, networked) run may start during the test
        PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
        PREFECT_RUNNER_POLL_FREQUENCY="1",
        QTWATCH_WAREHOUSE=str(tmp / "qtwatch.duckdb"),
        QTWATCH_GX_DOCS_DIR=str(tmp / "gx_docs"),
        QTWATCH_REPORT_PATH=str(tmp / "report.html"),  # never the user's data/report.html
        QTWATCH_ALERT_WEBHOOK_URL=alert_url,
        GX_ANALYTICS_ENABLED="false",
    )
    return env


# A busy test server (2 cores, two flow runs writing to its SQLite) answers 503 now and then: retry those.
_SESSION = requests.Session()
_SESSION.mount(
    "http://",
    HTTPAdapter(max_retries=Retry(total=6, backoff_factor=0.5, status_forcelist=(502, 503), allowed_methods=None)),
)


def _api(base: str, method: str, path: str, **body):
    response = _SESSION.request(method, f"{base}{path}", json=None if method == "GET" else body, timeout=10)
    response.raise_for_status()
    return response.json()


def _wait(predicate, timeout_s: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(1)
    tail = log.read_text()[-3000:] if log and log.exists() else ""
    raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what}\n{tail}")


def _broken_replay(tmp: Path) -> Path:
    """A copy of replay/ whose NY Fed rates file is an HTML error page (what a proxy or outage serves)."""
    copy = tmp / "replay_broken"
    shutil.copytree(ROOT / "replay", copy)
    (copy / "nyfed" / "rates_all.csv").write_text("<html><body>503 Service Unavailable</body></html>")
    return copy


def _start_serving(env: dict[str, str], log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "qtwatch.cli", "serve", "--no-server"]
    with open(log, "ab") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _trigger(api: str, deployment: str, **parameters) -> str:
    dep = _api(api, "GET", f"/deployments/name/qtwatch-pipeline/{deployment}")
    return _api(api, "POST", f"/deployments/{dep['id']}/create_flow_run", parameters=parameters)["id"]


def _terminal(api: str, run_ids: list[str]) -> dict | None:
    runs = {r: _api(api, "GET", f"/flow_runs/{r}") for r in run_ids}
    return runs if all(run["state"]["type"] in TERMINAL for run in runs.values()) else None


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """Server + receiver + `qtwatch serve`; triggers both runs and waits for them. Everything is torn down."""
    tmp = tmp_path_factory.mktemp("serve")
    receiver = HTTPServer(host="127.0.0.1", port=0)
    receiver.expect_request("/alert", method="POST").respond_with_data("ok")
    receiver.start()
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = _environment(tmp / "prefect_home", api, receiver.url_for("/alert"), tmp)
    server = serving = None
    timings = {}
    try:
        server = start_server("127.0.0.1", port, tmp / "server.log", env=env)
        timings["server_start_s"] = wait_healthy(api, timeout_s=60, process=server)
        serving = _start_serving({**env, "PREFECT_API_URL": api}, tmp / "serve.log")
        _wait(
            lambda: len(_api(api, "POST", "/deployments/filter")) == len(CADENCES),
            60,
            "the deployments",
            tmp / "serve.log",
        )
        clock = time.monotonic()
        good = _trigger(api, "catch-up-daily", replay=True, as_of=AS_OF)
        broken = _trigger(api, "nyfed-rates-morning", replay=True, as_of=AS_OF, replay_dir=str(_broken_replay(tmp)))
        runs = _wait(lambda: _terminal(api, [good, broken]), RUN_TIMEOUT_S, "both runs", tmp / "serve.log")
        timings["two_runs_s"] = time.monotonic() - clock
        yield {
            "api": api,
            "good": runs[good],
            "broken": runs[broken],
            "receiver": receiver,
            "timings": timings,
            "env": env,
        }
    finally:
        for process in (serving, server):
            if process is not None:
                stop_process(process, grace_s=10)
        receiver.clear()
        if receiver.is_running():
            receiver.stop()


def test_deployments_have_new_york_cron_schedules(stack):
    deployments = {d["name"]: d for d in _api(stack["api"], "POST", "/deployments/filter")}
    for cadence in CADENCES:
        (schedule,) = deployments[cadence.name]["schedules"]
        assert schedule["schedule"] == {"cron": cadence.cron, "timezone": TIMEZONE, "day_or": True}
        assert schedule["active"]
        assert deployments[cadence.name]["concurrency_options"]["collision_strategy"] == "ENQUEUE"


def test_replay_run_completes_with_logs_and_artifact(stack):
    run = stack["good"]
    assert run["state"]["type"] == "COMPLETED", run["state"]
    assert run["name"] == f"replay-all-asof-{AS_OF}"
    logs = _api(stack["api"], "POST", "/logs/filter", logs={"flow_run_id": {"any_": [run["id"]]}}, limit=200)
    messages = "\n".join(entry["message"] for entry in logs)
    assert "holding the warehouse writer slot" in messages and "published" in messages
    artifacts = _api(
        stack["api"],
        "POST",
        "/artifacts/filter",
        artifacts={"flow_run_id": {"any_": [run["id"]]}, "key": {"any_": ["qtwatch-run"]}},
    )
    (artifact,) = artifacts
    assert artifact["type"] == "markdown"
    for section in (
        "| fred | published |",
        "## Validation",
        "## Headline metrics",
        "Reserves (WRESBAL",
        "## Freshness",
    ):
        assert section in artifact["data"]


def _posts(stack) -> list[dict]:
    """The bodies the alert receiver got so far (the Custom Webhook block's {"text", "subject", "body"})."""
    return [request.get_json() for request, _ in stack["receiver"].log]


def test_broken_source_fails_and_alerts(stack):
    """A served run's failure reaches the receiver through the Prefect automation `qtwatch: run failed`, once."""
    run = stack["broken"]
    assert run["state"]["type"] == "FAILED"
    assert "nyfed_rates" in run["state"]["message"]
    failures = _wait(
        lambda: [b for b in _posts(stack) if run["name"] in b.get("subject", "")],
        60,
        f"the automation's message about {run['name']}",
    )
    assert len(failures) == 1 and failures[0]["subject"] == f"qtwatch run {run['name']} ended Failed"
    assert "nyfed_rates" in failures[0]["text"] and f"/runs/flow-run/{run['id']}" in failures[0]["body"]
    assert not [b for b in _posts(stack) if stack["good"]["name"] in b.get("subject", "")]  # it completed


def _stress_events(api: str) -> list[dict]:
    return _api(api, "POST", "/events/filter", filter={"event": {"name": [STRESS_EVENT]}}, limit=10)["events"]


def test_stress_day_raises_an_event_and_a_message(stack):
    """As of 2025-07-01 the quarter end 2025-06-30 is a funding event (SOFR 4.45% over IORB 4.40%, SRF take-up
    $11bn: NY Fed, 2025-07-01); the automation `qtwatch: funding stress` posts the event's line for that day."""
    events = _wait(lambda: _stress_events(stack["api"]), 30, f"a {STRESS_EVENT} event")  # persisted in batches
    day = events[0]["payload"]["date"]
    assert day == "2025-06-30" and events[0]["resource"]["prefect.resource.id"] == "qtwatch.mart.funding_daily"
    stress = _wait(
        lambda: [b for b in _posts(stack) if b.get("subject") == "qtwatch funding stress"],
        60,
        "the automation's stress message",
    )
    assert len(stress) == 1 and f"funding stress on {day} (quarter end)" in stress[0]["text"]


def _in_fresh_process(stack, code: str) -> str:
    """Run `code` in a new interpreter against the test server. Not in this process: Prefect keeps per-process
    clients (the concurrency service singleton) bound to the API they first used, which would outlive this server."""
    env = {**stack["env"], "PREFECT_API_URL": stack["api"]}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def test_stress_message_once_per_flagged_day(stack):
    day = _wait(lambda: _stress_events(stack["api"]), 30, f"a {STRESS_EVENT} event")[0]["payload"]["date"]
    code = f"from flows.alerts import _first_alert_for as f; print(f('{day}'), f('2099-01-02'), f('2099-01-02'))"
    assert _in_fresh_process(stack, code) == "False True False"


SECOND_WRITER = """
import threading
from flows.writer_slot import WarehouseBusy, writer_slot
held, release = threading.Event(), threading.Event()
def first_writer():
    with writer_slot(wait_s=10):
        held.set()
        release.wait(30)
thread = threading.Thread(target=first_writer)
thread.start()
assert held.wait(20), "the first writer never got the slot"
try:
    with writer_slot(wait_s=2):
        print("second writer got the slot")
except WarehouseBusy as exc:
    print(f"busy: {exc}")
finally:
    release.set()
    thread.join(30)
"""


def test_writer_slot_is_released_and_refuses_a_second_writer(stack):
    limit = _api(stack["api"], "GET", f"/v2/concurrency_limits/{WRITER_LIMIT}")
    assert (limit["limit"], limit["active_slots"]) == (1, 0)
    outcome = _in_fresh_process(stack, SECOND_WRITER)
    assert outcome.startswith("busy: ") and "wrote nothing" in outcome


def test_report_timings(stack, record_property):
    """Not an assertion on speed: records the measured timings in the JUnit report (and -s output)."""
    for key, value in stack["timings"].items():
        record_property(key, round(value, 1))
    sys.stderr.write(f"\nprefect integration timings: {stack['timings']}\n")
    assert stack["timings"]["two_runs_s"] < RUN_TIMEOUT_S


def test_teardown_helper_stops_a_process_group(tmp_path):
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)
    stop_process(process, grace_s=5)
    assert process.returncode == -signal.SIGTERM

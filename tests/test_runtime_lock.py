"""Issue 25 item 4: requirements.lock alone (plus the wheel without dependencies) is a working install — every
runtime dependency and everything they need is pinned there — and CI checks it by installing it in a fresh venv.

Reproduce: .venv/bin/python -m pytest tests/test_runtime_lock.py -q
The whole check (needs PyPI, ~3-5 min): .ci/runtime-lock
"""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def normal(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: str) -> dict[str, str]:
    """name -> pinned version of a uv-compiled lock file."""
    return {
        normal(line.split("==")[0]): line.split("==")[1].split(";")[0].strip()
        for line in (ROOT / lock).read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }


def test_every_runtime_dependency_is_pinned_in_the_runtime_lock() -> None:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    missing = sorted(normal(Requirement(d).name) for d in deps) - pins("requirements.lock").keys()
    assert not missing, f"requirements.lock lacks {missing}: run `make lock`"


def test_the_runtime_lock_is_closed_under_what_its_packages_require() -> None:
    locked = pins("requirements.lock")
    needed: dict[str, str] = {}
    for name in locked:
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError:  # pinned for another platform only (a marker): nothing installed to read
            continue
        for text in requires:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                needed.setdefault(normal(req.name), name)
    absent = {dep: by for dep, by in needed.items() if dep not in locked}
    assert not absent, f"requirements.lock lacks what its packages need (dependency: needed by): {absent}"


def test_ci_installs_the_runtime_lock_alone_and_runs_it() -> None:
    script = (ROOT / ".ci" / "runtime-lock").read_text()
    assert ".ci/runtime-lock" in (ROOT / ".ci" / "run").read_text()
    assert "-m venv" in script and "install --quiet -r requirements.lock" in script
    assert "--no-deps" in script and 'qtwatch" --version' in script and 'qtwatch" run --replay' in script

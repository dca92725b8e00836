"""A non-editable install is a working qtwatch: the wheel holds the packages and their data files, no generic
top-level `scripts`, and `qtwatch --version` answers from it (built offline from the repository)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    source = out / "src"  # a copy: setuptools writes build/ and *.egg-info beside the sources it builds
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".venv", ".venv-team", ".git", "data", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache"
        ),
    )
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=out,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    return next(out.glob("qtwatch-*.whl"))


def test_wheel_has_the_packages_and_their_data_but_no_scripts_package(wheel) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.startswith("qtwatch-")}
    assert tops == {"qtwatch", "flows", "transforms", "expectations", "warehouse"}
    assert {f"warehouse/schema/{p.name}" for p in (ROOT / "warehouse/schema").glob("*.sql")} <= set(names)
    assert {f"warehouse/migrations/{p.name}" for p in (ROOT / "warehouse/migrations").glob("*.sql")} <= set(names)
    assert {f"warehouse/queries/{p.name}" for p in (ROOT / "warehouse/queries").glob("*.sql")} <= set(names)
    assert {f"warehouse/seeds/{p.name}" for p in (ROOT / "warehouse/seeds").glob("*.csv")} <= set(names)
    assert any(n.endswith("/licenses/LICENSE") for n in names)


def test_wheel_ships_the_data_docs_assets_with_their_licences(wheel) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    static = ROOT / "expectations" / "docs_static"
    shipped = {f"expectations/docs_static/{p.relative_to(static).as_posix()}" for p in static.rglob("*") if p.is_file()}
    assert shipped <= names, sorted(shipped - names)[:5]


def test_installed_wheel_answers_version(wheel, tmp_path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import qtwatch.cli, sys; print(qtwatch.cli.__file__); "
            "sys.argv = ['qtwatch', '--version']; qtwatch.cli.app()",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
        env=env,
    )
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert run.returncode == 0, run.stderr[-2000:]
    module, answer = run.stdout.strip().splitlines()
    assert Path(module).is_relative_to(site) and answer == f"qtwatch {version}"


def test_make_install_installs_from_the_lock_file() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet -r $(LOCK)" in makefile and "LOCK := requirements-dev.lock" in makefile
    lock = (ROOT / "requirements-dev.lock").read_text()
    pins = {line.split("==")[0].lower() for line in lock.splitlines() if "==" in line and not line.startswith("#")}
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [d for d in deps["dependencies"] + deps["optional-dependencies"]["dev"]]
    names = {d.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower() for d in wanted}
    assert names <= pins, names - pins

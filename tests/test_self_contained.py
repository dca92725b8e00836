"""Meta-tests: the suite runs from the repository alone and leaves the user's files alone."""

from __future__ import annotations

import re
from pathlib import Path

from flows.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
# The one script that reads the project's shared recordings: it cuts them into tests/fixtures/recorded (not a test).
CUTTER = ROOT / "tests" / "fixtures" / "recorded" / "cut.py"
OUTSIDE = re.compile(r"\.\./shared|/work/|[\"']shared[\"']\s*/|/\s*[\"']shared[\"']|parents\[\d\]\s*\.parent")


def test_no_test_reads_outside_the_repository() -> None:
    tests = [p for p in sorted((ROOT / "tests").rglob("*.py")) if p not in (CUTTER, Path(__file__))]
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in tests
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert not offenders, f"tests must read only the repository (replay/ or tests/fixtures/): {offenders}"


def test_every_fixture_folder_says_where_its_data_came_from() -> None:
    folders = [p for p in (ROOT / "tests" / "fixtures").iterdir() if p.is_dir()]
    missing = [p.name for p in folders if not ((p / "README.md").exists() or (p / "PROVENANCE.md").exists())]
    assert folders and not missing, f"fixture folders without a README.md / PROVENANCE.md: {missing}"


def test_recorded_fixture_copies_are_small() -> None:
    files = [p for p in (ROOT / "tests" / "fixtures").rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 1_000_000
    assert max(p.stat().st_size for p in files) < 150_000


def test_runs_started_by_tests_write_outside_the_users_data_folder() -> None:
    settings = Settings()
    for path in (settings.warehouse, settings.gx_docs_dir, settings.report_path):
        assert not path.resolve().is_relative_to(ROOT / "data"), path


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    names = [
        (field.validation_alias.choices[0] if field.validation_alias is not None else f"QTWATCH_{name.upper()}")
        for name, field in Settings.model_fields.items()
    ]
    missing = [n for n in names if f"`{n}`" not in readme]
    assert not missing, f"settings not documented in README.md (as `NAME`): {missing}"


def test_no_machine_specific_paths_in_docs_or_code() -> None:
    files = [
        p
        for p in ROOT.rglob("*")
        if p.suffix in (".md", ".py", ".yaml", ".toml")
        and p.is_file()
        and not {".venv", ".venv-team", ".git", "fixtures", "data"} & set(p.relative_to(ROOT).parts)
    ]
    offenders = [str(p.relative_to(ROOT)) for p in files if p != Path(__file__) and "/work/" in p.read_text()]
    assert not offenders, f"machine-specific paths (/work/...) in: {offenders}"

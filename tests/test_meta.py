"""Meta-tests: the layers keep their dependency direction, every dataset has a suite, every command is documented,
and one fake stands in for every source host."""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Collection
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STDLIB = set(sys.stdlib_module_names) | {"__future__"}
# What each layer may import besides the standard library and itself (docs/CONTRACTS.md, style guide lesson 1).
ALLOWED = {
    # holidays: the Federal Reserve / SIFMA business-day calendars of transforms/calendar.py (pure date data; a
    # library rather than a hand-kept list); sortedcontainers: transforms/basis.py's expanding percentile in
    # O(n log n) (pure Python, no I/O)
    "transforms": {"polars", "holidays", "sortedcontainers"},
    "warehouse": {"duckdb", "polars", "pyarrow", "transforms"},
    "expectations": {"great_expectations", "polars", "pandas", "transforms", "warehouse"},
}
# Nothing below the CLI package imports it (not lazily, not under TYPE_CHECKING: ast.walk sees every import).
BELOW_CLI = ("transforms", "warehouse", "expectations", "flows")


def imported_roots(path: Path) -> set[str]:
    """Top-level package names a module imports (absolute imports only)."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("layer", sorted(ALLOWED), ids=sorted(ALLOWED))
def test_layer_imports_only_what_it_may(layer: str) -> None:
    allowed = ALLOWED[layer] | STDLIB | {layer}
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) - allowed) for path in (ROOT / layer).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize("layer", BELOW_CLI)
def test_no_layer_below_the_cli_imports_it(layer: str) -> None:
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / layer).rglob("*.py") if "qtwatch" in imported_roots(p)]
    assert offenders == []


def test_prefect_is_imported_only_by_flows_and_the_cli() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for layer in ("transforms", "warehouse", "expectations")
        for p in (ROOT / layer).rglob("*.py")
        if imported_roots(p) & {"prefect", "requests", "qtwatch"}
    ]
    assert offenders == []


def test_network_and_prefect_stay_out_of_the_pure_layers() -> None:
    for layer in ALLOWED:
        for path in (ROOT / layer).rglob("*.py"):
            assert not imported_roots(path) & {"requests", "prefect", "urllib3"}, path


def test_every_raw_dataset_and_mart_has_a_suite() -> None:
    from expectations.suites import registry
    from transforms.marts_registry import MARTS
    from transforms.registry import DATASETS

    assert set(DATASETS) | set(MARTS) <= set(registry)


def test_every_cli_command_is_in_the_readme() -> None:
    from qtwatch.cli import app

    readme = (ROOT / "README.md").read_text()
    names = [c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands]
    assert names, "the CLI registers no command"
    assert [n for n in names if f"qtwatch {n}" not in readme] == []


def test_every_source_is_documented_in_the_readme() -> None:
    from transforms.registry import SOURCES

    readme = (ROOT / "README.md").read_text()
    assert [s for s in SOURCES if f"`{s}`" not in readme] == []


def test_every_mart_reads_datasets_marts_or_ref_tables_it_declares() -> None:
    from transforms.marts_registry import MARTS, upstream
    from transforms.registry import DATASETS

    order = list(MARTS)
    for mart in MARTS.values():
        assert all(i in DATASETS or i in MARTS or i.startswith("ref.") for i in mart.inputs), mart.name
        assert all(order.index(m) < order.index(mart.name) for m in upstream(mart.name)), mart.name


def hand_listed_marts(source: str, marts: Collection[str]) -> list[tuple[int, list[str]]]:
    """(line, names) of each literal list, tuple, set or dict in `source` that lists three or more marts by name: as
    its elements or keys, or inside its pairs (e.g. `("funding_daily", "date")`, `("marts", "tga_daily")`). A table
    of cases about particular marts (a mart, a break, the rule it breaks) is not a list of marts."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict):
            continue
        items = [k for k in node.keys if k is not None] if isinstance(node, ast.Dict) else node.elts
        named = set()
        for item in items:
            parts = item.elts if isinstance(item, ast.Tuple) and len(item.elts) == 2 else [item]
            named |= {p.value for p in parts if isinstance(p, ast.Constant) and p.value in marts}
        if len(named) >= 3:
            found.append((node.lineno, sorted(named)))
    return found


def test_no_test_file_lists_mart_names_by_hand() -> None:
    """A hand-kept copy of the mart registry in a test misses the next mart: derive it from
    transforms.marts_registry.MARTS instead, so a new mart gets every cross-mart test."""
    from transforms.marts_registry import MARTS

    files = sorted((ROOT / "tests").rglob("*.py"))
    found = [
        f"{path.relative_to(ROOT)}:{line} lists {', '.join(names)}"
        for path in files
        for line, names in hand_listed_marts(path.read_text(), MARTS)
    ]
    assert found == []


def test_the_hand_list_check_finds_the_lists_it_replaced() -> None:
    """SYNTHETIC sources in the shapes the registry replaced: a list, a dict by mart, (mart, column) pairs."""
    marts = {"a_mart", "b_mart", "c_mart"}
    for source in (
        'M = ["a_mart", "b_mart", "c_mart"]',
        'M = {"a_mart": 1, "b_mart": 2, "c_mart": 3}',
        'M = (("a_mart", "d"), ("b_mart", "d"), ("c_mart", "d"))',
        'M = {("marts", "a_mart"): 1, ("marts", "b_mart"): 2, ("marts", "c_mart"): 3}',
    ):
        assert hand_listed_marts(source, marts) == [(1, sorted(marts))], source
    cases = 'B = [("a_mart", f, "rule 1"), ("b_mart", g, "rule 2"), ("c_mart", h, "rule 3")]'
    assert hand_listed_marts(cases, marts) == []


def test_the_test_folders_mirror_the_packages() -> None:
    """A folder of tests per package, one for whole-flow runs, one for faults, the team suite; shared fixtures in
    tests/support (registered in tests/conftest.py), recorded data in tests/fixtures. No folder by project history."""
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} & {*ALLOWED, *BELOW_CLI, "qtwatch", "benchmarks"}
    expected = {f"{p}_tests" for p in packages} | {"runs_tests", "faults_tests", "team_tests", "support", "fixtures"}
    folders = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == expected


MAX_FUNCTION_LINES = 40  # issue 21: a function that needs more is doing two things


def long_functions(source: str, limit: int = MAX_FUNCTION_LINES) -> list[tuple[int, str, int]]:
    """(line, name, length) of every function in `source` longer than `limit` lines, from its `def` to its last
    line (docstring included, decorators not); a nested function counts on its own and inside its parent."""
    return [
        (node.lineno, node.name, length)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (length := (node.end_lineno or node.lineno) - node.lineno + 1) > limit
    ]


@pytest.mark.parametrize("package", [*ALLOWED, "flows", "qtwatch"])
def test_no_function_in_the_packages_is_longer_than_40_lines(package: str) -> None:
    found = {
        f"{path.relative_to(ROOT)}:{line} {name}": length
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, name, length in long_functions(path.read_text())
    }
    assert found == {}


def test_the_length_check_counts_from_def_to_the_last_line() -> None:
    """SYNTHETIC sources: 40 lines pass, 41 do not, a decorator is not counted, a nested function is."""
    body = "\n".join(f"    x{i} = {i}" for i in range(39))
    assert long_functions(f"@decorator\ndef ok():\n{body}\n") == []
    assert long_functions(f"def long():\n{body}\n    x = 0\n") == [(1, "long", 41)]
    nested = "\n".join(f"        y{i} = {i}" for i in range(40))
    assert [name for _, name, _ in long_functions(f"def outer():\n    def inner():\n{nested}\n")] == ["outer", "inner"]


# One fake of every source host (issue 21): tests/support/fake_host.py answers any URL from the replay snapshot; no
# other test module registers an answer for every URL, and the fakes it replaced do not come back.
FAKE_HOST = ROOT / "tests" / "support" / "fake_host.py"
REPLACED = ("fake_servers", "fake_sources", "FakeSources")
REGISTERS = {"add", "add_callback", "get", "expect_request", "expect_oneshot_request", "expect_ordered_request"}
ANY_URL = re.compile(r"\^?(https?\??://)?\.[*+]")  # a URL pattern whose host is a wildcard


def _name(node: ast.AST) -> str:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def _any_url_patterns(call: ast.Call) -> list[str]:
    """The `re.compile("...")` URL patterns among a call's arguments that match every host."""
    patterns = [
        a.args[0].value
        for a in [*call.args, *(k.value for k in call.keywords)]
        if isinstance(a, ast.Call) and _name(a.func) == "compile" and a.args and isinstance(a.args[0], ast.Constant)
    ]
    return [p for p in patterns if isinstance(p, str) and ANY_URL.match(p)]


def catch_all_answers(source: str) -> list[str]:
    """What in `source` answers every URL: a `responses` or pytest-httpserver registration on a regular expression
    whose host is a wildcard, a pytest-httpserver URIPattern (it matches any path it likes), or a replaced fake."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef) and any(_name(base) == "URIPattern" for base in node.bases):
            found.append(f"{node.lineno}: a URIPattern ({node.name})")
        elif isinstance(node, ast.Call) and _name(node.func) in REGISTERS:
            found += [f"{node.lineno}: {_name(node.func)}({p!r})" for p in _any_url_patterns(node)]
    lines = enumerate(source.splitlines(), 1)
    return found + [f"{n}: {word}" for n, line in lines for word in REPLACED if word in line]


def test_only_the_fake_host_answers_every_url() -> None:
    """A test that needs the sources' hosts uses the `fake_host` fixture (tests/support/fake_host.py); a mock of one
    URL for a hand-made wire case is fine, a second fake of every host is not."""
    files = [p for p in sorted((ROOT / "tests").rglob("*.py")) if p not in (FAKE_HOST, Path(__file__))]
    found = [f"{path.relative_to(ROOT)}:{hit}" for path in files for hit in catch_all_answers(path.read_text())]
    assert found == []
    assert len(catch_all_answers(FAKE_HOST.read_text())) == 2  # the check sees the two the fake host registers


def test_the_catch_all_check_finds_the_fakes_it_replaced() -> None:
    """SYNTHETIC sources in the shapes fake_sources and fake_servers had; mocks of one URL are not catch-alls."""
    for source in (
        'rsps.add_callback(responses.GET, re.compile(r"https://.*"), callback=fake.respond)',
        'responses.add(method="GET", url=re.compile(".*"), body=b"")',
        "class _AnyPath(URIPattern):\n    pass",
        "from tests import fake_servers",
        "from tests.faults_tests.fake_sources import FakeSources, serving",
    ):
        assert catch_all_answers(source), source
    for source in (
        'responses.get("https://www.cftc.gov/files/dea/history/fut_fin_txt_2025.zip", body=b"")',
        'server.expect_request("/slow.csv").respond_with_handler(sleepy)',
        'mocked.get(re.compile(r"https://api\\.stlouisfed\\.org/fred/series.*"), json={})',
        'LINE = re.compile(r".* rows of WALCL")',
    ):
        assert catch_all_answers(source) == [], source


def _make_recipe(target: str) -> str:
    """The command lines of a Makefile target."""
    text = (ROOT / "Makefile").read_text()
    match = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", text, re.MULTILINE)
    assert match, f"no `{target}` target in the Makefile"
    return match.group(1)


def test_ci_runs_every_test_make_test_leaves_to_make_test_slow() -> None:
    """`make test` leaves out exactly the cases marked slow, `make test-slow` runs exactly those, and .ci/run runs
    both: no test is left out of CI (issue 21: a quick default suite, the slow cases still run in CI)."""
    assert 'pytest -m "not slow"' in _make_recipe("test")
    assert "pytest -m slow" in _make_recipe("test-slow")
    ci = [line.split("#")[0].strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert {"make test", "make test-slow", "make test-team"} <= set(ci)

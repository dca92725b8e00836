"""Meta-tests of the source registry: every hook a `Source` entry names resolves, its fixtures and suite exist, and
no test keeps its own list of source names (cross-source tests iterate `transforms.registry.SOURCES`)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from flows.replay import resolve
from transforms.registry import DATASETS, SOURCES

ROOT = Path(__file__).resolve().parents[1]
CALLABLE_HOOKS = ("fetch", "replay", "before_land", "probe")
# A literal list, tuple, set or dict (its keys, or the names inside its pairs) holding more registered source or
# dataset names than this is a hand-written list of them, unless its line says why these and no others:
# `# sources: chosen, <why>` (a scenario, not a sweep).
MAX_NAMES_IN_A_LITERAL = 2
CHOSEN = "# sources: chosen"
# Case tables keyed by every source or dataset: one cited fact or one recording per row. Each is allowed only with a
# guard against the registry that fails when a registered source or dataset has no row:
# path -> (the table, the guard).
CASE_TABLES = {
    "tests/flows_tests/test_contracts.py": ("CONTRACTS", "test_every_source_has_a_contract_case_on_a_recorded_body"),
    "tests/transforms_tests/test_publication.py": ("ONE_ROW", "test_every_source_has_a_publication_case"),
    "tests/support/gx_batches.py": ("mart_batches", "assert set(frames) == recorded_inputs()"),
    "tests/support/replay_frames.py": ("load_replay_core", "assert set(DATASETS) <= set(frames)"),
    "tests/expectations_tests/test_suites.py": ("RAW_FIXTURES", "test_every_dataset_s_suite_is_tested_on_a_recorded"),
}


@pytest.mark.parametrize("name", list(SOURCES))
def test_every_dotted_path_of_a_source_resolves(name: str) -> None:
    source = SOURCES[name]
    hooks = source.hooks()
    assert "fetch" in hooks
    for field, dotted in hooks.items():
        module, colon, attribute = dotted.partition(":")
        assert colon and module and attribute, f"{name}.{field} = {dotted!r} is not 'package.module:name'"
        target = resolve(dotted)
        if field in CALLABLE_HOOKS:
            assert callable(target), f"{name}.{field} = {dotted!r} is not callable"
        else:
            assert isinstance(target, str) and target, f"{name}.{field} = {dotted!r} is not an endpoint path"


@pytest.mark.parametrize("name", [n for n, s in SOURCES.items() if s.probe])
def test_every_probe_takes_source_key_and_day(name: str) -> None:
    assert list(inspect.signature(resolve(SOURCES[name].probe or "")).parameters) == ["source", "api_key", "today"]


@pytest.mark.parametrize("name", list(SOURCES))
def test_every_source_has_a_suite_and_its_declared_fixtures(name: str) -> None:
    source = SOURCES[name]
    assert (ROOT / "expectations" / f"{source.dataset.name}.py").is_file()
    if source.fixtures:
        folder = ROOT / source.fixtures
        assert folder.is_dir() and (folder / "README.md").is_file(), f"{name}: {source.fixtures} needs a README.md"


def test_sources_sharing_a_base_url_each_own_an_endpoint() -> None:
    by_setting: dict[str, list[str]] = {}
    for source in SOURCES.values():
        by_setting.setdefault(source.http.base_url_setting, []).append(source.name)
    for setting, names in by_setting.items():
        if len(names) > 1:
            endpoints = [resolve(SOURCES[n].endpoint or "") if SOURCES[n].endpoint else None for n in names]
            assert None not in endpoints and len(set(endpoints)) == len(names), (setting, names, endpoints)


def _named(node: ast.AST, names: set[str]) -> list[str]:
    """The registered names a literal holds: as elements or dict keys, or inside 2-tuples (`("fred", "WALCL")`)."""
    if isinstance(node, ast.Dict):
        items = [k for k in node.keys if k is not None]
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        items = list(node.elts)
    else:
        return []
    found = []
    for item in items:
        parts = item.elts if isinstance(item, ast.Tuple) and len(item.elts) == 2 else [item]
        found += [p.value for p in parts if isinstance(p, ast.Constant) and p.value in names]
    return found


def _hand_written_lists(path: Path) -> list[str]:
    """Literals in one file naming more than MAX_NAMES_IN_A_LITERAL registered sources (or datasets)."""
    found = []
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    for node in ast.walk(ast.parse(text)):
        if not hasattr(node, "lineno") or CHOSEN in lines[node.lineno - 1]:
            continue
        for names in (set(SOURCES), set(DATASETS)):
            named = _named(node, names)
            if len(set(named)) > MAX_NAMES_IN_A_LITERAL:
                found.append(f"{path.relative_to(path.parents[1])}:{node.lineno} {sorted(set(named))}")
    return found


def test_no_hand_written_list_of_sources_in_tests() -> None:
    offenders = [
        hit
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if str(path.relative_to(ROOT)) not in CASE_TABLES
        for hit in _hand_written_lists(path)
    ]
    assert offenders == [], "iterate transforms.registry.SOURCES / DATASETS instead of listing them by hand"


def test_every_case_table_keyed_by_source_has_its_guard() -> None:
    for path, (table, guard) in CASE_TABLES.items():
        text = (ROOT / path).read_text()
        assert table in text and guard in text, (path, table, guard)


def test_the_scan_finds_a_hand_written_list(tmp_path: Path) -> None:
    listed = tmp_path / "x.py"
    listed.write_text(
        f"SOURCES = {list(SOURCES)[:3]!r}\nOK = {list(SOURCES)[:2]!r}\n"
        f"SCENARIO = {list(SOURCES)[:3]!r}  {CHOSEN}, a test of three\n"
        f"BY_SOURCE = {dict.fromkeys(list(SOURCES)[:3], 1)!r}\n"
        f"DATASETS = {list(DATASETS)[:3]!r}\n"
        f"PAIRS = {[(d, 'date') for d in list(DATASETS)[:3]]!r}\n",
        encoding="utf-8",
    )
    assert [hit.split(" ")[0].rsplit(":", 1)[1] for hit in _hand_written_lists(listed)] == ["1", "4", "5", "6"]


@pytest.mark.parametrize("name", list(SOURCES))
def test_every_source_url_routes_back_to_its_source(name: str) -> None:
    from flows.routing import owner_of

    source = SOURCES[name]
    path = str(resolve(source.endpoint)) if source.endpoint else ""
    for setting, base in source.http.url_settings().items():
        owner = owner_of(base + path + "?x=1")
        assert owner is not None and (owner.source.name, owner.setting) == (name, setting)
        local = owner_of("http://127.0.0.1:9/x/" + path, urls={setting: "http://127.0.0.1:9/x/"})
        assert local is not None and local.source.name == name


def test_a_url_no_source_serves_is_nobodys_and_the_fake_refuses_it() -> None:
    from flows.routing import owner_of
    from tests.support.fake_host import UnknownURL, source_of

    fiscal = SOURCES["dts"].http.base_url
    assert owner_of("https://example.com/data.csv") is None
    assert owner_of(fiscal + "v2/accounting/od/debt_to_penny") is None  # the host is known, the endpoint is not
    with pytest.raises(UnknownURL, match="no registered source serves"):
        source_of(fiscal + "v2/accounting/od/debt_to_penny")
    assert source_of(SOURCES["cftc"].http.base_url + "fut_fin_txt_2025.zip") == ("cftc", "cftc_zip")  # was "dts"

"""Where GX keeps what validation needs and leaves: the context, the stored suites and validation definitions, the
validation results of the kept runs, and the Data Docs site that lists them.

The pipeline uses a file-backed context beside the warehouse (`<warehouse folder>/gx`): suites, one pandas data asset
and validation definition per dataset, and the validation results of the last `keep_runs` runs (each run's results
carry the qtwatch run id as GX run name), which the Data Docs site lists. Tests use the ephemeral context."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import great_expectations as gx
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.data_context.types.resource_identifiers import ValidationResultIdentifier
from great_expectations.datasource.fluent import PandasDatasource

from expectations import docs_assets, suites

DOCS_SITE = "qtwatch_local_docs"
DATA_SOURCE = "qtwatch_batches"
DEFINITIONS_FILE = "qtwatch_definitions.json"  # in the GX project folder: dataset -> fingerprint of its stored suite
KEEP_RUNS = 20  # validation history kept in a file-backed context: about a month of daily runs


class Store:
    """One per run: the GX context, set up once, and what it keeps (definitions, results, Data Docs)."""

    def __init__(
        self, project_root: Path | None = None, *, run_name: str | None = None, keep_runs: int = KEEP_RUNS
    ) -> None:
        """A file-backed context in `project_root`/gx (history of `keep_runs` runs named `run_name`), else an
        ephemeral one; progress bars off, one pandas asset + validation definition per known dataset."""
        self.context: AbstractDataContext
        if project_root is None:
            self.context = gx.get_context(mode="ephemeral")
        else:
            Path(project_root).mkdir(parents=True, exist_ok=True)
            self.context = gx.get_context(mode="file", project_root_dir=str(project_root))
        self.run_name, self.keep_runs = run_name, max(1, keep_runs)
        # GX reads a run time out of a run name given without one (dateutil): a run id whose random suffix is digits
        # and "ad" ("...Z-8158ad": an era and an offset of +81:58) then fails every validation of the run
        self.run_time = datetime.now(UTC)
        # Without this every validation draws a tqdm bar per metric batch into the run log.
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        self._source = self._pandas_source()
        self._definitions: dict[str, gx.ValidationDefinition] = {}
        self._stamps = self._load_stamps()
        self._read_back: set[str] = set()  # datasets whose stored suite was current (so was its Data Docs page)

    @property
    def run_id(self) -> RunIdentifier | None:
        """The GX run id the run's validation results are stored under (none without a run name)."""
        return RunIdentifier(run_name=self.run_name, run_time=self.run_time) if self.run_name else None

    def run_id_of(self, part: int) -> RunIdentifier | None:
        """The run id of the `part`-th slice of a batch (flows.slicing; 0: a batch validated whole): a microsecond
        later per slice, so each slice's result is kept, under the run's name."""
        if not self.run_name:
            return None
        return RunIdentifier(run_name=self.run_name, run_time=self.run_time + timedelta(microseconds=part))

    def build_data_docs(self, path: Path) -> Path:
        """Drop validation results older than the last `keep_runs` runs, then render this run's validations (and
        the suites they used) as GX Data Docs under `path`, whose index lists every kept run; returns its
        index.html. The kept runs' pages are already on disk: rendering them again every run cost time in
        proportion to the history kept (a site without an index is rendered whole)."""
        path.mkdir(parents=True, exist_ok=True)
        self.prune_history(path)
        keys = self.result_keys()
        mine = [k for k in keys if self.run_name and (k.run_id.run_name or "") == self.run_name]
        whole = not (path / "index.html").exists() or not mine
        self._name_data_assets(keys if whole else mine)
        sites, config = self.context.list_data_docs_sites() or {}, _site_config(path)
        if DOCS_SITE not in sites:
            self.context.add_data_docs_site(DOCS_SITE, config)  # type: ignore[arg-type]
        elif sites[DOCS_SITE] != config:  # an update rewrites the context's YAML: only when the site moved
            self.context.update_data_docs_site(DOCS_SITE, config)  # type: ignore[arg-type]
        # a suite's page is rendered again only when the suite was stored anew this run or its page is missing
        used = {k.expectation_suite_identifier.name: k.expectation_suite_identifier for k in mine}
        suites_used = [
            suite
            for name, suite in used.items()
            if name not in self._read_back or not (path / "expectations" / f"{name}.html").exists()
        ]
        # GX types the list as one kind of key; each site section keeps the keys of its own kind, so both go in
        wanted = cast(list[ValidationResultIdentifier], [*mine, *suites_used])
        self.context.build_data_docs(site_names=[DOCS_SITE], resource_identifiers=None if whole else wanted)
        docs_assets.localize(path)  # the pages' CSS/JS from the shipped copies, not CDNs: they work offline
        return path / "index.html"

    def kept_runs(self) -> list[str]:
        """Run names of the validation results the context holds, newest first."""
        latest: dict[str, str] = {}
        for key in self.result_keys():
            name, stamp = key.run_id.run_name or "", str(key.run_id.run_time)
            latest[name] = max(stamp, latest.get(name, stamp))
        return sorted(latest, key=lambda name: latest[name], reverse=True)

    def prune_history(self, docs_path: Path | None = None) -> list[str]:
        """Remove the results (and their Data Docs pages) of every run but the newest `keep_runs`; returns the
        removed run names."""
        dropped = self.kept_runs()[self.keep_runs :]
        store = self.context.validation_results_store
        for key in self.result_keys():
            if (key.run_id.run_name or "") in dropped:
                store.remove_key(key)
                if docs_path is not None:  # the site index lists the pages on disk
                    suite = key.expectation_suite_identifier.name
                    shutil.rmtree(docs_path / "validations" / suite / (key.run_id.run_name or ""), ignore_errors=True)
        return dropped

    def result_keys(self) -> list[ValidationResultIdentifier]:
        """The keys of the stored validation results (the store only ever holds validation results)."""
        return cast(list[ValidationResultIdentifier], self.context.validation_results_store.list_keys())

    def _name_data_assets(self, keys: list[ValidationResultIdentifier]) -> None:
        """Data Docs print a result's asset from meta.batch_spec, which a dataframe batch lacks ("Data asset:
        None"): copy the asset name GX keeps in meta.active_batch_definition into it, once per stored result."""
        store = self.context.validation_results_store
        for key in keys:
            result = store.get(key)
            if result is None:
                continue
            spec = result.meta.get("batch_spec")
            name = (result.meta.get("active_batch_definition") or {}).get("data_asset_name")
            if name and hasattr(spec, "get") and not spec.get("data_asset_name"):
                spec["data_asset_name"] = name
                store.set(key, result)

    def _pandas_source(self) -> PandasDatasource:
        """The context's pandas data source with the assets earlier runs added, else a new one. (Updating it replaced
        it with an empty one: each run wrote the context's YAML twice per dataset to add its assets back.)"""
        try:
            source = self.context.data_sources.get(DATA_SOURCE)
        except KeyError:
            return self.context.data_sources.add_pandas(DATA_SOURCE)
        if isinstance(source, PandasDatasource):
            return source
        return self.context.data_sources.add_or_update_pandas(DATA_SOURCE)

    def definition(self, dataset: str) -> gx.ValidationDefinition:
        """The dataset's ValidationDefinition, created (or refreshed) on first use: suite + dataframe asset + batch
        definition, all named after the dataset. A file-backed context keeps a fingerprint of each suite it stored
        (DEFINITIONS_FILE): an unchanged suite's stored definition is read back (~1 ms) instead of compared and
        written again (~17 ms a dataset)."""
        if dataset in self._definitions:
            return self._definitions[dataset]
        built = suites.registry[dataset]()
        stamp = _fingerprint(built)
        if self._stamps.get(dataset) == stamp:
            with contextlib.suppress(Exception):  # anything missing or unreadable: stored again below
                self._definitions[dataset] = self.context.validation_definitions.get(dataset)
                self._read_back.add(dataset)
                return self._definitions[dataset]
        suite = self.context.suites.add_or_update(built)
        # get_asset ties a stored asset to this data source (iterating .assets does not: it has no context)
        known = {a.name for a in self._source.assets}
        asset = self._source.get_asset(dataset) if dataset in known else self._source.add_dataframe_asset(dataset)
        batches = {b.name: b for b in asset.batch_definitions}
        batch = batches.get(dataset) or asset.add_batch_definition_whole_dataframe(dataset)
        definition = gx.ValidationDefinition(name=dataset, data=batch, suite=suite)
        self._definitions[dataset] = self.context.validation_definitions.add_or_update(definition)
        self._save_stamp(dataset, stamp)
        return self._definitions[dataset]

    def _stamps_path(self) -> Path | None:
        root = getattr(self.context, "root_directory", None)
        return Path(root) / DEFINITIONS_FILE if root else None

    def _load_stamps(self) -> dict[str, str]:
        path = self._stamps_path()
        try:
            stamps = json.loads(path.read_text()) if path is not None else {}
        except (OSError, ValueError):
            return {}
        return stamps if isinstance(stamps, dict) else {}

    def _save_stamp(self, dataset: str, stamp: str) -> None:
        if (path := self._stamps_path()) is None:
            return
        self._stamps[dataset] = stamp
        partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps(self._stamps, indent=1, sort_keys=True))
        os.replace(partial, path)


def _fingerprint(suite: gx.ExpectationSuite) -> str:
    """The suite as GX would store it (and the GX version that stores it), hashed."""
    text = json.dumps([gx.__version__, suite.to_json_dict()], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _site_config(path: Path) -> dict:
    """A local-folder Data Docs site at `path` (QTWATCH_GX_DOCS_DIR), for the file and the ephemeral context alike."""
    return {
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(path)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }

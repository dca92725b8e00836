"""The run's HTML report: rendered by the installed report plugin, linked to the flow run as a Prefect artifact.

The renderer lives in the CLI layer (`qtwatch.report`, plotly), which the pipeline must not import. It is found
through the `qtwatch.renderers` entry point (declared in pyproject.toml), so a worker that installs only the
pipeline still runs the flow and simply writes no report."""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from uuid import UUID

ARTIFACT_KEY = "qtwatch-report"
RENDERER_GROUP = "qtwatch.renderers"


class NoRenderer(LookupError):
    """No report renderer is installed (the `qtwatch.renderers` entry point `report` is missing)."""


def renderer() -> Callable[..., Path]:
    """The installed `report(warehouse, out_path) -> path` renderer."""
    found = [e for e in entry_points(group=RENDERER_GROUP) if e.name == "report"]
    if not found:
        raise NoRenderer(
            f"no report renderer installed (entry point group {RENDERER_GROUP!r}); "
            "install qtwatch with its CLI to get the HTML report"
        )
    return found[0].load()


def build_report(warehouse: Path, out_path: Path, **options: object) -> Path:
    """Render the report of the published `warehouse` into `out_path` with the installed renderer (`options`,
    e.g. bundle_beside=True, are passed through)."""
    return renderer()(Path(warehouse), Path(out_path), **options)


def attach_report_artifact(path: Path) -> UUID:
    """Create a Prefect link artifact (key qtwatch-report) pointing at the report file; call inside a flow run."""
    from prefect.artifacts import create_link_artifact

    path = Path(path).resolve()
    return create_link_artifact(  # type: ignore[return-value] # sync call in a sync flow: a UUID, not a coroutine
        link=path.as_uri(),
        link_text=f"qtwatch report ({path.name})",
        key=ARTIFACT_KEY,
        description=f"HTML report of the marts written to {path} (plotly.js inlined, or in the "
        "plotly-<version>.min.js beside it); open it in a browser (no network needed).",
    )

"""Import great-expectations without the heavy packages it imports for rules and data sources qtwatch never uses.

`import great_expectations` loads every built-in expectation and every data source type:
- one rule (KL divergence) imports scipy.stats and altair at module level: ~0.7 s of CPU and ~75 MB;
- its SQL data sources import SQLAlchemy when it is installed: ~0.2 s and ~20 MB. SQLAlchemy is an optional extra of
  great-expectations (its plain install has none; it is here because Prefect's server needs it), and GX imports it
  through its own compatibility layer, which runs without it.
None of qtwatch's rules, its pandas data source or the Data Docs it renders use any of them.

Written by hand on purpose, on the standard library's `importlib.util.LazyLoader`. While `deferred()` is active, and
only in the thread that entered it:
- an import of `scipy` or `altair` (or a submodule) returns a module whose code runs at its first attribute access:
  code that does use them still works, only later;
- an import of `sqlalchemy` not yet loaded fails as if it were not installed, which is what GX expects of a plain
  install (the package imports normally once the block ends, for whoever needs it).
The finder is removed when the block ends, so it never outlives the import it was installed for."""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
from collections.abc import Iterator, Sequence
from types import ModuleType

DEFERRED = ("scipy", "altair")
WITHHELD = ("sqlalchemy",)
_lock = threading.Lock()


class _DeferringFinder(importlib.abc.MetaPathFinder):
    """In its owner thread: DEFERRED packages get a LazyLoader, WITHHELD ones are not found."""

    def __init__(self) -> None:
        self.owner = threading.get_ident()

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        top = fullname.partition(".")[0]
        if threading.get_ident() != self.owner or top not in DEFERRED + WITHHELD:
            return None
        if top in WITHHELD:
            raise ModuleNotFoundError(
                f"No module named {fullname!r} (withheld while great-expectations is imported)", name=fullname
            )
        others = [finder for finder in sys.meta_path if not isinstance(finder, _DeferringFinder)]
        for finder in others:
            spec = finder.find_spec(fullname, path, target) if hasattr(finder, "find_spec") else None
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = importlib.util.LazyLoader(spec.loader)
                return spec
        return None


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Within the block, in this thread: DEFERRED packages not yet loaded run their code at first use, WITHHELD
    packages not yet loaded cannot be imported."""
    finder = _DeferringFinder()
    with _lock:
        sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        with _lock:
            sys.meta_path.remove(finder)

"""Defer the two heavy imports great-expectations makes for rules qtwatch never uses.

`import great_expectations` loads every built-in expectation, and one of them (the KL-divergence rule) imports
scipy.stats and altair at module level: ~0.7 s of CPU and ~75 MB of memory on every run that validates, which is
most of what GX's import costs beyond pandas. None of qtwatch's rules, nor the Data Docs it renders, use either.

Written by hand on purpose, on the standard library's `importlib.util.LazyLoader`: while `deferred()` is active,
an import of `scipy` or `altair` (or of one of their submodules) returns a module whose code runs at its first
attribute access. Code that does use them still works, only later; nothing else's import changes. The finder is
removed again when the block ends, so it never outlives the import it was installed for."""

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
_lock = threading.Lock()


class _DeferringFinder(importlib.abc.MetaPathFinder):
    """Finds DEFERRED packages with the other finders, then wraps their loader in a LazyLoader."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname.partition(".")[0] not in DEFERRED:
            return None
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
    """Within the block, imports of DEFERRED packages not yet loaded run their code at first use."""
    finder = _DeferringFinder()
    with _lock:
        sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        with _lock:
            sys.meta_path.remove(finder)

"""great-expectations is imported without running scipy.stats and altair and without SQLAlchemy
(expectations.lazy_imports); code that does use them still gets them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import pytest

from expectations import lazy_imports

PROBE = textwrap.dedent("""
    import sys
    import expectations.runner  # what the pipeline imports
    state = lambda name: type(sys.modules[name]).__name__ if name in sys.modules else "absent"
    print(state("scipy.stats"), state("altair"), state("sqlalchemy"))
    from scipy import stats
    print(round(float(stats.norm.cdf(0.0)), 2))  # first use runs the module
    print(state("scipy.stats"))
    import sqlalchemy  # after GX's import it is an ordinary package again
    print(sqlalchemy.__name__)
""")


def test_gx_loads_without_scipy_stats_altair_or_sqlalchemy_and_they_work_when_used():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:4] == ["_LazyModule _LazyModule absent", "0.5", "module", "sqlalchemy"]


def test_the_finder_is_gone_after_the_block_and_leaves_other_imports_alone():
    before = list(sys.meta_path)
    with lazy_imports.deferred():
        import json  # noqa: F401 - any other import goes through the usual finders

        assert len(sys.meta_path) == len(before) + 1
    assert sys.meta_path == before


def test_only_the_thread_that_imports_gx_is_affected():
    finder = lazy_imports._DeferringFinder()
    with pytest.raises(ModuleNotFoundError, match="withheld"):
        finder.find_spec("sqlalchemy.orm", None)
    seen: list[object] = []
    worker = threading.Thread(target=lambda: seen.append(finder.find_spec("sqlalchemy", None)))
    worker.start()
    worker.join()
    assert seen == [None]  # another thread's import goes on to the usual finders

"""great-expectations is imported without running scipy.stats and altair (expectations.lazy_imports); code that
does use them still gets them, at first use."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from expectations import lazy_imports

PROBE = textwrap.dedent("""
    import sys
    import expectations.runner  # what the pipeline imports
    state = lambda name: type(sys.modules[name]).__name__ if name in sys.modules else "absent"
    print(state("scipy.stats"), state("altair"))
    from scipy import stats
    print(round(float(stats.norm.cdf(0.0)), 2))  # first use runs the module
    print(state("scipy.stats"))
""")


def test_gx_loads_without_running_scipy_stats_or_altair_and_they_work_when_used():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == ["_LazyModule _LazyModule", "0.5", "module"]


def test_the_finder_is_gone_after_the_block_and_leaves_other_imports_alone():
    before = list(sys.meta_path)
    with lazy_imports.deferred():
        import json  # noqa: F401 - any non-deferred import goes through the usual finders
        assert len(sys.meta_path) == len(before) + 1
    assert sys.meta_path == before

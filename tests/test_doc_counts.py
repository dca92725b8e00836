"""Issue 25 item 9: counts the docs state ("seven deployments", "sixteen example queries", "six sources") come from
the code — deployments from flows.deployments.CADENCES and prefect.yaml, example queries from warehouse/queries,
sources from the registry — so a new one makes this test fail until the docs say it. Also: the screenshot of the
Prefect UI shows today's deployments, and no doc calls the run's report copy self-contained.

Reproduce: .venv/bin/python -m pytest tests/test_doc_counts.py -q
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flows.deployments import CADENCES
from transforms.registry import SOURCES

ROOT = Path(__file__).resolve().parents[1]
WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
# "<count> [qualifier] <thing>"; a count in braces (a list of kill points) or "(five at the time)" is not a claim
CLAIM = re.compile(
    r"(?<![{\w])(\d+|" + "|".join(WORDS) + r") (?:scheduled |qtwatch |example |worked example |"
    r"registered |data )?(deployments|queries|sources)\b",
    re.IGNORECASE,
)
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def actual() -> dict[str, int]:
    return {
        "deployments": len(CADENCES),
        "queries": len(list((ROOT / "warehouse" / "queries").glob("*.sql"))),
        "sources": len(SOURCES),
    }


def number(text: str) -> int:
    return int(text) if text.isdigit() else WORDS.index(text.lower())


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_stated_count_is_the_codes(doc) -> None:
    wrong = [
        f"{m.group(0)!r} (the code has {actual()[m.group(2).lower()]})"
        for m in CLAIM.finditer(doc.read_text())
        if number(m.group(1)) != actual()[m.group(2).lower()]
    ]
    assert not wrong, f"{doc.name}: {wrong}"


def test_the_counts_are_what_the_docs_now_say() -> None:
    assert actual() == {"deployments": 9, "queries": 24, "sources": 8}
    names = re.findall(r"^  - name: (\S+)$", (ROOT / "prefect.yaml").read_text(), flags=re.M)
    assert names == [c.name for c in CADENCES]


def test_the_claim_pattern_finds_what_it_should() -> None:
    found = [
        m.group(0)
        for m in CLAIM.finditer(
            "serves 6 deployments; fourteen example queries; land-{5 sources}; "
            "every source (five at the time); Six deployments follow"
        )
    ]
    assert found == ["6 deployments", "fourteen example queries", "Six deployments"]


def test_the_prefect_ui_screenshot_is_current() -> None:
    """The screenshot was retaken when the seventh deployment (cftc-friday) existed; the primary dealer and OFR
    deployments came after it: until it is retaken, its caption says so (checked by its size and the caption)."""
    caption = (ROOT / "docs" / "deploying.md").read_text()
    assert "before the primary dealer and OFR ones (nyfed-pd-thursday, ofr-stfm-evening) were added" in caption
    assert (ROOT / "docs" / "prefect-ui.png").stat().st_size > 10_000


def test_no_doc_calls_the_runs_report_copy_self_contained() -> None:
    guide = (ROOT / "docs" / "report-guide.md").read_text()
    assert "is not self-contained" in guide and "plotly-<version>.min.js" in guide
    readme = (ROOT / "README.md").read_text()
    assert "# self-contained HTML report" not in readme

"""The `qtwatch` CLI refuses bad arguments with exit code 2 and one message, before any work starts."""

import re
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from qtwatch.cli import app
from transforms.registry import SOURCES

runner = CliRunner()


def error_text(output: str) -> str:
    """The text inside the error box, wrapped lines joined (rich boxes the message at the terminal width)."""
    inside = [line.strip("│ ") for line in output.splitlines() if line.startswith("│")]
    return re.sub(r"\s+", " ", " ".join(inside)).strip()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["run", "--as-of", "notadate"],
            "Invalid value: 'notadate' is not a date; use YYYY-MM-DD, e.g. --as-of 2025-06-30",
        ),
        (["run", "--as-of", (date.today() + timedelta(days=1)).isoformat()], "is in the future"),
        (["run", "--source", "nope"], "Invalid value for '--source'"),
    ],
    ids=["not-a-date", "future", "unknown-source"],
)
def test_bad_arguments_exit_2_with_one_message(args, message):
    result = runner.invoke(app, args, prog_name="qtwatch")
    assert result.exit_code == 2
    assert message in error_text(result.output)
    assert result.output.count("Invalid value") == 1
    assert "Traceback" not in result.output


def test_unknown_source_lists_the_choices():
    result = runner.invoke(app, ["run", "--source", "nope"], prog_name="qtwatch")
    assert all(name in error_text(result.output) for name in SOURCES)


def test_help_lists_run():
    result = runner.invoke(app, ["--help"], prog_name="qtwatch")
    assert result.exit_code == 0
    assert re.search(r"│ run\s", result.output)

"""The Prefect baseline: a one-task flow, timed end to end as a process (interpreter, `import prefect`, engine).

Run: python -m benchmarks.trivial_flow  (on the temporary server, or against PREFECT_API_URL when it is set)
"""

from prefect import flow, task


@task
def one(x: int) -> int:
    """Return x: the task does no work, so the process time is Prefect's own cost."""
    return x


@flow(name="bench-trivial")
def trivial() -> int:
    """One task run: what any flow pays before doing work."""
    return one(1)


if __name__ == "__main__":
    trivial()

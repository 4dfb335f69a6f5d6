"""The batch's worker pool: workers initialise once, render many, are recycled one at a time."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator

import pytest

from auditkit.services import worker_pool

pytestmark = pytest.mark.slow  # starts worker processes

_STARTS: list[str] = []  # initializer calls in this process


def _initialise(tag: str) -> None:
    _STARTS.append(tag)


def _job(value: int) -> tuple[int, int, tuple[str, ...]]:
    if value < 0:
        raise ValueError(f"bad job {value}")
    return os.getpid(), value * value, tuple(_STARTS)


def test_every_job_runs_once_in_workers_that_start_once_and_are_recycled() -> None:
    results = list(
        worker_pool.run(
            _job,
            list(range(10)),
            2,
            tasks_per_worker=3,
            initializer=_initialise,
            initargs=("warm",),
        )
    )
    assert sorted(square for _, square, _ in results) == [n * n for n in range(10)]
    per_worker = Counter(pid for pid, _, _ in results)
    assert os.getpid() not in per_worker
    assert len(per_worker) >= 4 and max(per_worker.values()) <= 3  # recycled after 3 jobs
    assert {starts for _, _, starts in results} == {("warm",)}  # initialised once per worker


def test_more_workers_than_jobs_and_no_jobs() -> None:
    assert list(worker_pool.run(_job, [], 4, tasks_per_worker=2)) == []
    assert [r[1] for r in worker_pool.run(_job, [3], 4, tasks_per_worker=2)] == [9]


def test_an_exception_in_a_job_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="bad job -1"):
        list(worker_pool.run(_job, [1, -1, 2], 2, tasks_per_worker=8))


def test_jobs_are_drawn_as_workers_free_up_not_all_before_the_first_starts() -> None:
    drawn: list[int] = []

    def jobs() -> Iterator[int]:
        for value in range(6):
            drawn.append(value)
            yield value

    seen = []
    for _, square, _ in worker_pool.run(_job, jobs(), 1, tasks_per_worker=8):
        seen.append((square, len(drawn)))
    assert [square for square, _ in seen] == [n * n for n in range(6)]
    # one job running and the next one started when the first result is handed on
    assert seen[0][1] <= 2

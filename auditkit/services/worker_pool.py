"""A pool of worker processes that start once, render many, and keep every core busy.

Each worker is its own single-process executor (a "slot"). A slot takes the next job as soon
as its previous one is done, and is replaced on its own after `tasks_per_worker` jobs (to keep
memory bounded) while the other slots go on working: no slot waits for a round to finish.
Workers fork from a forkserver that has already imported the modules named in `preload`, and
run `initializer(*initargs)` once when they start.

Jobs are drawn from an iterable as slots free up, so producing the next job (which may cost
work of its own, like deciding whether a report is unchanged) overlaps with rendering, and no
worker process is started when there turns out to be nothing to do.

Recycling by hand rather than with `max_tasks_per_child`, which deadlocks on Python 3.11-3.13
once a worker retires with work still queued (CPython gh-115634).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing.context import BaseContext
from typing import Any, TypeVar

J = TypeVar("J")
R = TypeVar("R")


class _Slot:
    """One worker process, replaced after `limit` jobs."""

    def __init__(
        self,
        context: BaseContext,
        limit: int,
        initializer: Callable[..., object] | None,
        initargs: tuple[Any, ...],
    ) -> None:
        self._context = context
        self._limit = limit
        self._initializer = initializer
        self._initargs = initargs
        self._executor: ProcessPoolExecutor | None = None
        self._done = 0

    def submit(self, func: Callable[[J], R], job: J) -> Future[R]:
        if self._executor is not None and self._done >= self._limit:
            self.close()
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=1,
                mp_context=self._context,
                initializer=self._initializer,
                initargs=self._initargs,
            )
            self._done = 0
        self._done += 1
        return self._executor.submit(func, job)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def run(
    func: Callable[[J], R],
    jobs: Iterable[J],
    workers: int,
    *,
    tasks_per_worker: int,
    preload: Sequence[str] = (),
    initializer: Callable[..., object] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[R]:
    """`func(job)` for every job in worker processes; results in the order they finish.

    `jobs` is consumed lazily: a slot draws the next job when it is free, and slots (with
    their processes) are only created for jobs that exist.
    """
    queue = iter(jobs)
    context: BaseContext | None = None
    slots: list[_Slot] = []
    pending: dict[Future[R], _Slot] = {}

    def start(slot: _Slot | None) -> bool:
        """Give the next job, if any, to `slot` (a new slot when None)."""
        nonlocal context
        for job in queue:
            if slot is None:
                if context is None:
                    context = multiprocessing.get_context("forkserver")
                    context.set_forkserver_preload(list(preload))
                slot = _Slot(context, tasks_per_worker, initializer, initargs)
                slots.append(slot)
            pending[slot.submit(func, job)] = slot
            return True
        return False

    try:
        while len(slots) < max(1, workers) and start(None):
            pass
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                slot = pending.pop(future)
                start(slot)  # the next job starts before this result is handed on
                yield future.result()
    finally:
        for slot in slots:
            slot.close()

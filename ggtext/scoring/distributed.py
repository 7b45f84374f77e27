"""Score batches on a Dask distributed cluster, partition by partition.

Each batch of items is one task. Workers build the pipeline and load the model
once per thread and keep them; results are collected in submission order with
a bounded window of tasks in flight, so the rows are those of a local run and
memory stays flat. File items carry only paths: the workers must see the same
files (a shared file system); texts from tables travel with their task. The
pipeline is shared within a worker process and used by one thread at a time,
so start workers with one thread each (``dask worker --nthreads 1``) and as
many processes as cores.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Iterable, Iterator

from .batch import BatchResult, ScoringSettings, cached_scorer


def score_on_worker(settings: ScoringSettings, items: list[Any]) -> BatchResult:
    """The task run on a Dask worker: one batch in, its rows out."""
    return cached_scorer(settings).score_batch(items)


class DaskExecutor:
    """Batches as tasks on the cluster at ``scheduler`` (an address or a ``distributed.Client``)."""

    def __init__(self, settings: ScoringSettings, scheduler: Any):
        self.settings = settings
        self.scheduler = scheduler

    def __enter__(self) -> "DaskExecutor":
        from distributed import Client

        if isinstance(self.scheduler, Client):
            self.client, self._own = self.scheduler, False
        else:
            self.client, self._own = Client(self.scheduler, set_as_default=False), True
        threads = sum(self.client.nthreads().values()) or 1
        self.window = 2 * threads
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._own:
            self.client.close()

    def map(self, batches: Iterable[list[Any]]) -> Iterator[BatchResult]:
        pending: deque = deque()
        try:
            for batch in batches:
                pending.append(self.client.submit(score_on_worker, self.settings, batch, pure=False, retries=1))
                if len(pending) >= self.window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()

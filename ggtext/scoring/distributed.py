"""Score batches on a Dask distributed cluster, partition by partition.

Each batch of items is one task. Workers build the pipeline and load the model
once per thread and keep them; results are collected in submission order with
a bounded window of tasks in flight, so the rows are those of a local run and
memory stays flat. File items carry only paths: the workers must see the same
files (a shared file system); texts from tables travel with their task. The
pipeline is shared within a worker process and used by one thread at a time,
so start workers with one thread each (``dask worker --nthreads 1``) and as
many processes as cores.

Failures end the run with a :class:`SchedulerError` (``error:`` on the command
line), never a hang: an address that is not ``tcp://host:port`` (or
``host:port``) at once; a scheduler that does not answer as Dask within
:data:`CONNECT_TIMEOUT` seconds (nothing listening, another server on the
port); a cluster without workers for :data:`NO_WORKERS_TIMEOUT` seconds (none
started, all killed); a scheduler that goes away. The per-document time limit
does not apply on Dask workers (tasks run in threads).
"""

from __future__ import annotations

import re
import time
from collections import deque
from typing import Any, Iterable, Iterator

from ..errors import GGTextError
from .batch import BatchResult, ScoringSettings, cached_scorer

#: Seconds to connect to the scheduler and hear from it as Dask.
CONNECT_TIMEOUT = 10.0
#: Seconds the run waits while the cluster has no worker before it stops.
NO_WORKERS_TIMEOUT = 60.0
#: Seconds between checks on the cluster while waiting for a batch.
POLL_SECONDS = 1.0

_ADDRESS = re.compile(r"^(?:(?:tcp|tls|inproc|ws|wss|ucx)://)?[\w.\-\[\]:]+:\d{1,5}$")


class SchedulerError(GGTextError):
    """The Dask scheduler cannot be reached, is not Dask, or has no workers."""


def score_on_worker(settings: ScoringSettings, items: list[Any]) -> BatchResult:
    """The task run on a Dask worker: one batch in, its rows out."""
    return cached_scorer(settings).score_batch(items)


def check_address(address: str) -> str:
    """``address`` if it looks like a scheduler address (``tcp://host:port``), else SchedulerError."""
    if not isinstance(address, str) or not _ADDRESS.match(address.strip()):
        raise SchedulerError(f"{address!r} is not a Dask scheduler address (expected tcp://host:port)")
    return address.strip()


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
            address = check_address(self.scheduler)
            try:
                self.client = Client(address, set_as_default=False, timeout=CONNECT_TIMEOUT)
            except Exception as error:  # OSError, TimeoutError; anything else: a server that is not Dask
                reason = (
                    f"{type(error).__name__}: {error or 'no answer'}"
                    if isinstance(error, (OSError, TimeoutError))
                    else "the server on that port does not answer as a Dask scheduler"
                )
                raise SchedulerError(
                    f"cannot connect to the Dask scheduler at {address} within {CONNECT_TIMEOUT:g} s "
                    f"({reason}); is it running, and is it Dask?"
                ) from None
            self._own = True
        self._no_workers_since: float | None = None
        try:
            threads = sum(self.client.nthreads().values())
        except Exception as error:
            self.__exit__(None)
            raise SchedulerError(f"the Dask scheduler does not answer ({type(error).__name__}: {error})") from None
        self.window = 2 * (threads or 1)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._own:
            try:
                self.client.close(timeout=CONNECT_TIMEOUT)
            except Exception:  # the scheduler is gone already
                pass

    def _check_workers(self) -> None:
        try:
            workers = self.client.nthreads()
        except Exception as error:
            raise SchedulerError(f"lost the Dask scheduler ({type(error).__name__}: {error})") from None
        if workers:
            self._no_workers_since = None
            return
        now = time.monotonic()
        if self._no_workers_since is None:
            self._no_workers_since = now
        elif now - self._no_workers_since >= NO_WORKERS_TIMEOUT:
            raise SchedulerError(
                f"the Dask cluster has had no workers for {NO_WORKERS_TIMEOUT:g} s "
                "(none started, or all stopped); start workers and rerun with --resume"
            )

    def _result(self, future: Any) -> BatchResult:
        """The future's result, checking every few seconds that the cluster can still compute it."""
        from distributed import TimeoutError as DaskTimeout

        while True:
            try:
                return future.result(timeout=POLL_SECONDS)
            except (DaskTimeout, TimeoutError):
                self._check_workers()
            except (OSError, ConnectionError) as error:
                raise SchedulerError(f"lost the Dask scheduler ({type(error).__name__}: {error})") from None

    def map(self, batches: Iterable[list[Any]]) -> Iterator[BatchResult]:
        pending: deque = deque()
        try:
            for batch in batches:
                pending.append(self.client.submit(score_on_worker, self.settings, batch, pure=False, retries=1))
                if len(pending) >= self.window:
                    yield self._result(pending.popleft())
            while pending:
                yield self._result(pending.popleft())
        finally:
            for future in pending:
                try:
                    future.cancel()
                except Exception:
                    pass

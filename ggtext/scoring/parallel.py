"""Score batches in local worker processes.

Measured on this project's pipeline: spaCy's own ``nlp.pipe(n_process=...)``
pickles every Doc back to the parent, which costs more than a blank pipeline
takes to make it (9x slower with an entity ruler). Here the pipeline and the
model are loaded once, in the parent before the workers fork (they share its
memory pages, start at once, and a bad model path fails before any work; with
``spawn`` each worker loads them in the pool initializer). Workers read their
files themselves and send back only plain rows; batches are large and results
are taken in submission order, so the output is the same as with one process.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from typing import Any, Iterable, Iterator

from .batch import BatchResult, Scorer, ScoringSettings, cached_scorer

#: The worker's scorer: inherited from the parent (fork) or built by the initializer (spawn).
_SCORER: Scorer | BaseException | None = None


def _start_worker(settings: ScoringSettings) -> None:
    # Ctrl-C is the parent's to handle: it stops the pool and keeps finished batches;
    # SIGTERM (how the pool stops workers) must end a worker, not run a handler it inherited.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    global _SCORER
    if isinstance(_SCORER, Scorer) and _SCORER.settings == settings:
        return
    try:
        _SCORER = Scorer(settings)
    except BaseException as error:  # reported with the first batch, not a pool that restarts forever
        _SCORER = error


def _score(items: list[Any]) -> BatchResult:
    if isinstance(_SCORER, BaseException):
        raise _SCORER
    return _SCORER.score_batch(items)


def _context():
    # fork: workers inherit the imported libraries (fast start) and never
    # re-import the user's script, which spawn would do.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class ProcessExecutor:
    """``n_process`` worker processes; at most ``2 * n_process`` batches in flight."""

    def __init__(self, settings: ScoringSettings, n_process: int):
        self.settings = settings
        self.n_process = n_process

    def __enter__(self) -> "ProcessExecutor":
        global _SCORER
        context = _context()
        if context.get_start_method() == "fork":
            _SCORER = cached_scorer(self.settings)  # loaded once here, shared by the forked workers
        self.pool = context.Pool(self.n_process, initializer=_start_worker, initargs=(self.settings,))
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        if exc_type is None:
            self.pool.close()
        else:
            self.pool.terminate()
        self.pool.join()

    def map(self, batches: Iterable[list[Any]]) -> Iterator[BatchResult]:
        pending: deque = deque()
        for batch in batches:
            pending.append(self.pool.apply_async(_score, (batch,)))
            if len(pending) >= 2 * self.n_process:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

"""A time limit per document: a runaway document becomes an error row, not a stuck run.

Uses ``SIGALRM`` (a real-time interval timer), so it works where batches are
scored in a process's main thread: in-process runs and local worker
processes. Where it cannot (Windows, a thread such as a Dask worker's) the
limit is not applied. The exception is raised between two Python steps, so a
single long C call (one spaCy component on a huge text) ends first.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from ..errors import InputError

#: Default seconds one document may take to read, parse and score (``--doc-timeout``).
#: Verdict time is linear in length: a 5 MB document takes about a minute.
DEFAULT_DOC_TIMEOUT = 600.0


class DocumentTimeoutError(InputError):
    """A document took longer than the per-document time limit."""


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None, what: str) -> Iterator[None]:
    """Raise :class:`DocumentTimeoutError` in the block after ``seconds`` (None or 0: no limit)."""
    if not seconds or seconds <= 0 or not _can_alarm():
        yield
        return

    def expire(signum, frame):
        raise DocumentTimeoutError(
            f"{what}: took longer than the time limit of {seconds:g} s (pass --doc-timeout to change it)"
        )

    outer, _ = signal.getitimer(signal.ITIMER_REAL)
    if 0 < outer <= seconds:  # an enclosing timer (another limit, the caller's alarm) ends first
        yield
        return
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer > 0:  # give the enclosing timer back what is left of it
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))

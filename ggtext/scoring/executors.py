"""Which executor scores the batches: this process, local worker processes, or a Dask cluster."""

from __future__ import annotations

from typing import Any

from .batch import ScoringSettings, SerialExecutor


def executor_for(settings: ScoringSettings, *, n_process: int = 1, scheduler: Any = None):
    """The executor for the run: local (1 or more processes) or a Dask cluster at ``scheduler``."""
    if scheduler is not None:
        from .distributed import DaskExecutor

        return DaskExecutor(settings, scheduler)
    if n_process > 1:
        from .parallel import ProcessExecutor

        return ProcessExecutor(settings, n_process)
    if n_process < 1:
        raise ValueError(f"n_process must be at least 1, not {n_process}")
    return SerialExecutor(settings)

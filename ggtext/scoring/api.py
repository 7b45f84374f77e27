"""``ggtext.score`` and ``score_file``: score a corpus into a table or a file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import OutputError
from .batch import DEFAULT_BATCH_SIZE, ScoringSettings, Tally, run
from .escapes import safe_rows
from .executors import executor_for
from .inputs import DEFAULT_TEXT_FIELD, resolve
from .schema import to_frame, to_table
from .timeout import DEFAULT_DOC_TIMEOUT
from .writers import ScoreWriter, read_scores


def _settings(
    unit: str, model: str | os.PathLike | None, read_options: dict[str, Any], doc_timeout: float | None
) -> ScoringSettings:
    return ScoringSettings(
        unit=unit,
        model_path=os.fspath(model) if model is not None else None,
        read_options=tuple(sorted(read_options.items())),
        doc_timeout=doc_timeout,
    )


def _check_not_an_input(stream: Any, output: str | os.PathLike) -> None:
    """Refuse an output that is one of the inputs (``--overwrite`` would delete it)."""
    target = Path(output)
    if not target.exists():
        return
    for path in getattr(stream, "paths", ()):
        try:
            same = os.path.samefile(path, target)
        except OSError:
            continue
        if same:
            raise OutputError(f"{output} is also an input: write the scores to another file")


def score_file(
    source: Any,
    output: str | os.PathLike,
    *,
    unit: str = "document",
    n_process: int = 1,
    scheduler: Any = None,
    text_field: str = DEFAULT_TEXT_FIELD,
    id_field: str | None = None,
    model: str | os.PathLike | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool = False,
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT,
    **read_options: Any,
) -> Tally:
    """Score ``source`` into ``output`` (.parquet, .csv or .jsonl), streaming; returns the tally.

    Memory stays flat however large the corpus. If the run stops (error,
    Ctrl-C), the finished batches are merged into ``output`` before the error
    is raised; after a kill they wait in ``output.parts/``. Either way,
    ``resume=True`` skips the ids already there. A run that scored nothing
    leaves no output file. ``doc_timeout``: seconds one document may take
    before it becomes an error row (None: no limit). Raises
    :class:`~ggtext.errors.OutputError` when the output is an input, is being
    written by another run, or cannot be written (read-only folder, full disk).
    """
    settings = _settings(unit, model, read_options, doc_timeout)
    stream = resolve(source, text_field=text_field, id_field=id_field)
    _check_not_an_input(stream, output)
    writer = ScoreWriter(output, unit, resume=resume, overwrite=overwrite)
    try:
        tally = run(
            stream,
            executor_for(settings, n_process=n_process, scheduler=scheduler),
            sink=writer.write,
            batch_size=batch_size,
            skip=writer.done_ids,
            total=stream.count() if progress else None,
            progress=progress,
        )
    finally:
        writer.finish()  # also on errors and Ctrl-C: keep every finished batch
    return tally


def score(
    source: Any,
    *,
    unit: str = "document",
    output: str | os.PathLike | None = None,
    n_process: int = 1,
    scheduler: Any = None,
    text_field: str = DEFAULT_TEXT_FIELD,
    id_field: str | None = None,
    model: str | os.PathLike | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool = False,
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT,
    **read_options: Any,
):
    """Score texts and return the score table as a pandas DataFrame.

    ``source``: a path, folder or glob (or a list of them), a DataFrame with a
    ``text_field`` column (its other columns become ``metadata``), or an
    iterable of texts, ``(id, text)`` pairs or dicts. ``unit`` is
    ``"document"``, ``"paragraph"`` or ``"sentence"``. ``n_process`` runs
    local worker processes; ``scheduler`` (a Dask scheduler address or
    ``distributed.Client``) runs on a cluster. With ``output``, the table is
    also written there (and ``resume`` continues it). Columns: see
    :mod:`ggtext.scoring.schema`.
    """
    options = dict(
        unit=unit,
        n_process=n_process,
        scheduler=scheduler,
        text_field=text_field,
        id_field=id_field,
        model=model,
        batch_size=batch_size,
        progress=progress,
        doc_timeout=doc_timeout,
        **read_options,
    )
    if output is not None:
        score_file(source, output, resume=resume, overwrite=overwrite, **options)
        if not Path(output).exists():  # nothing was scored
            return to_frame(to_table([], unit))
        return read_scores(Path(output))
    if resume or overwrite:
        raise ValueError("resume and overwrite need an output file")
    collected: list[dict[str, Any]] = []
    settings = _settings(unit, model, read_options, doc_timeout)
    stream = resolve(source, text_field=text_field, id_field=id_field)
    run(
        stream,
        executor_for(settings, n_process=n_process, scheduler=scheduler),
        sink=collected.extend,
        batch_size=batch_size,
        total=stream.count() if progress else None,
        progress=progress,
    )
    return to_frame(to_table(safe_rows(collected), unit))

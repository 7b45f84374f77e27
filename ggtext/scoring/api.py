"""``ggtext.score`` and ``score_file``: score a corpus into a table or a file."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
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


@dataclass(frozen=True)
class ScoreOptions:
    """How to score, shared by :func:`score` and :func:`score_file` (their keywords fill it in).

    ``unit``: ``"document"``, ``"paragraph"`` or ``"sentence"``; ``n_process``
    local worker processes, or ``scheduler`` (a Dask scheduler address or
    ``distributed.Client``); ``text_field``/``id_field`` for table inputs;
    ``model``: a model folder (default: the shipped model); ``doc_timeout``:
    seconds one document may take before it becomes an error row (None: no
    limit); ``read_options`` go to the reader (``allow_non_english``, ``encoding``, ...).
    """

    unit: str = "document"
    n_process: int = 1
    scheduler: Any = None
    text_field: str = DEFAULT_TEXT_FIELD
    id_field: str | None = None
    model: str | os.PathLike | None = None
    batch_size: int = DEFAULT_BATCH_SIZE
    progress: bool = False
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT
    read_options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, options: "ScoreOptions | None" = None, **keywords: Any) -> "ScoreOptions":
        """``options`` (or the defaults) with ``keywords`` replacing fields; unknown keywords are read options."""
        base = options or cls()
        known = {f.name for f in fields(cls)} - {"read_options"}
        chosen = {k: v for k, v in keywords.items() if k in known}
        reading = {k: v for k, v in keywords.items() if k not in known}
        return replace(base, **chosen, read_options={**base.read_options, **reading})

    def settings(self) -> ScoringSettings:
        return ScoringSettings(
            unit=self.unit,
            model_path=os.fspath(self.model) if self.model is not None else None,
            read_options=tuple(sorted(self.read_options.items())),
            doc_timeout=self.doc_timeout,
        )

    def stream(self, source: Any) -> Any:
        return resolve(source, text_field=self.text_field, id_field=self.id_field)

    def executor(self) -> Any:
        return executor_for(self.settings(), n_process=self.n_process, scheduler=self.scheduler)


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
    options: ScoreOptions | None = None,
    *,
    resume: bool = False,
    overwrite: bool = False,
    **keywords: Any,
) -> Tally:
    """Score ``source`` into ``output`` (.parquet, .csv or .jsonl), streaming; returns the tally.

    ``options`` (a :class:`ScoreOptions`) or its fields as keywords say how.
    Memory stays flat however large the corpus. If the run stops (error,
    Ctrl-C), the finished batches are merged into ``output`` before the error
    is raised; after a kill they wait in ``output.parts/``. Either way,
    ``resume=True`` skips the ids already there. A run that scored nothing
    leaves no output file. Raises :class:`~ggtext.errors.OutputError` when the
    output is an input, is being written by another run, or cannot be written
    (read-only folder, full disk).
    """
    options = ScoreOptions.of(options, **keywords)
    stream = options.stream(source)
    _check_not_an_input(stream, output)
    writer = ScoreWriter(output, options.unit, resume=resume, overwrite=overwrite)
    try:
        tally = run(
            stream,
            options.executor(),
            sink=writer.write,
            batch_size=options.batch_size,
            skip=writer.done_ids,
            total=stream.count() if options.progress else None,
            progress=options.progress,
        )
    finally:
        writer.finish()  # also on errors and Ctrl-C: keep every finished batch
    return tally


def score(
    source: Any,
    options: ScoreOptions | None = None,
    *,
    output: str | os.PathLike | None = None,
    resume: bool = False,
    overwrite: bool = False,
    **keywords: Any,
):
    """Score texts and return the score table as a pandas DataFrame.

    ``source``: a path, folder or glob (or a list of them), a DataFrame with a
    ``text_field`` column (its other columns become ``metadata``), or an
    iterable of texts, ``(id, text)`` pairs or dicts. ``options`` (a
    :class:`ScoreOptions`) or its fields as keywords (``unit="paragraph"``,
    ``n_process=2``, ``model=...``) say how. With ``output``, the table is also
    written there (and ``resume`` continues it). Columns: see
    :mod:`ggtext.scoring.schema`.
    """
    options = ScoreOptions.of(options, **keywords)
    if output is not None:
        score_file(source, output, options, resume=resume, overwrite=overwrite)
        if not Path(output).exists():  # nothing was scored
            return to_frame(to_table([], options.unit))
        return read_scores(Path(output))
    if resume or overwrite:
        raise ValueError("resume and overwrite need an output file")
    collected: list[dict[str, Any]] = []
    stream = options.stream(source)
    run(
        stream,
        options.executor(),
        sink=collected.extend,
        batch_size=options.batch_size,
        total=stream.count() if options.progress else None,
        progress=options.progress,
    )
    return to_frame(to_table(safe_rows(collected), options.unit))

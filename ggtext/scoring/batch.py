"""Stream a corpus through the pipeline and the model, batch by batch.

The driver is a chain of generators: items (paths or texts) -> batches of
items -> rows (in this process, in worker processes, or on a Dask cluster)
-> atomic part files. Only one window of batches is in flight at a time and
every batch but a worker's first few (``WARM_BATCHES``) is processed inside
spaCy's ``memory_zone``, so memory stays flat however large the corpus. One
bad document becomes a row with its ``error``; the run goes on. So does a
document that takes longer than ``doc_timeout`` seconds (:mod:`.timeout`). An
id met a second time is not scored again: it is skipped and reported (a
warning for the first few, and the summary's count).
"""

from __future__ import annotations

import threading
import time
import warnings
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from ..errors import InputError
from ..pipeline import process_document
from . import rows as rowlib
from .schema import ACTOR_PARAGRAPH_UNIT, ACTOR_UNITS, check_unit
from .timeout import DEFAULT_DOC_TIMEOUT, time_limit

#: Documents per batch: a batch is the unit of work sent to a worker and of one
#: part file; an interrupted run loses at most the batches in flight.
DEFAULT_BATCH_SIZE = 32
#: Batches a worker scores outside spaCy's memory zone first: their words stay in the
#: vocabulary (a few MB), which saves rebuilding common words' lexemes in every later batch.
WARM_BATCHES = 4


@dataclass(frozen=True)
class ScoringSettings:
    """Everything a worker needs to build its scorer (hashable: scorers are cached by it)."""

    unit: str = "document"
    model_path: str | None = None
    read_options: tuple[tuple[str, Any], ...] = ()
    #: Seconds one document may take (None: no limit); see :mod:`.timeout`.
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT

    def __post_init__(self) -> None:
        check_unit(self.unit)


@dataclass
class BatchResult:
    """The rows of one batch and what the progress bar and summary count."""

    rows: list[dict[str, Any]]
    n_documents: int
    n_errors: int
    n_words: int


#: The process's default pipeline is shared by every Scorer (and by the model's
#: features, which parse text passages with it): one thread uses it at a time, so
#: a memory zone never frees strings another thread is still using.
_PIPELINE_LOCK = threading.Lock()


class Scorer:
    """The pipeline and the passage model, loaded once; turns work items into rows."""

    def __init__(self, settings: ScoringSettings):
        from ..models import load_model
        from ..pipeline import default_pipeline
        from ..version import __version__

        self.settings = settings
        self.read_options = dict(settings.read_options)
        # The default pipeline, not a new one: the model parses text passages with it,
        # so the memory zone below must cover it too.
        self.nlp = default_pipeline()
        self.model = load_model(settings.model_path)
        self.versions = {"ggtext": __version__, "model": str(getattr(self.model, "version", "unknown"))}
        self._warm_batches_left = WARM_BATCHES

    def parse(self, item: Any) -> tuple[Any, Any]:
        """The item read and processed by the pipeline: (document, Doc)."""
        with time_limit(self.settings.doc_timeout, item.id):
            document = item.read(**self.read_options)
            return document, process_document(self.nlp, document)

    def rows_for(self, document: Any, doc: Any, verdict: Any = None) -> list[dict[str, Any]]:
        """Rows of one processed document (its verdict is computed here when not given)."""
        from .verdict import document_verdict

        unit = self.settings.unit
        if unit in ACTOR_UNITS:
            from .actor_stance import actor_stance_rows

            by = "paragraph" if unit == ACTOR_PARAGRAPH_UNIT else "document"
            return actor_stance_rows(doc, document, self.model, self.versions, unit=by)
        if unit == "sentence":
            return rowlib.sentence_rows(doc, document, self.model, self.versions)
        verdict = verdict if verdict is not None else document_verdict(doc, self.model)
        if unit == "document":
            return [rowlib.document_row(doc, document, verdict, self.versions)]
        return rowlib.paragraph_rows(doc, document, verdict, self.versions)

    def _verdicts(self, parsed: list[tuple[Any, Any]]) -> list[Any]:
        """Verdicts for a batch in two model calls; None each (scored one by one) if that fails."""
        from .verdict import document_verdicts

        if self.settings.unit in ("sentence", *ACTOR_UNITS) or not parsed:
            return [None] * len(parsed)
        limit = self.settings.doc_timeout
        try:
            with time_limit(limit * len(parsed) if limit else None, "the batch"):
                return document_verdicts([doc for _, doc in parsed], self.model)
        except Exception:  # a bad (or slow) document among them: score each alone, so only it fails
            return [None] * len(parsed)

    def score_batch(self, items: list[Any]) -> BatchResult:
        rows: list[dict[str, Any]] = []
        errors = words = 0
        # Strings and Docs made inside the zone are freed at its end: rows are plain data.
        # A worker's first batches run outside it (WARM_BATCHES), so the words they meet stay
        # in the vocabulary and later batches do not rebuild the lexemes of common words.
        zone = nullcontext() if self._warm_batches_left > 0 else self.nlp.memory_zone()
        self._warm_batches_left -= 1
        with _PIPELINE_LOCK, zone:
            parsed: dict[int, tuple[Any, Any]] = {}
            failed: dict[int, dict[str, Any]] = {}
            for k, item in enumerate(items):
                try:
                    parsed[k] = self.parse(item)
                except Exception as error:  # one bad document must not stop the run
                    failed[k] = self.error_row(item, error)
            verdicts = dict(zip(parsed, self._verdicts(list(parsed.values()))))
            for k, item in enumerate(items):
                if k in failed:
                    rows.append(failed[k])
                    errors += 1
                    continue
                document, doc = parsed[k]
                try:
                    with time_limit(self.settings.doc_timeout, item.id):
                        item_rows = self.rows_for(document, doc, verdicts[k])
                except Exception as error:
                    rows.append(self.error_row(item, error))
                    errors += 1
                    continue
                rows.extend(item_rows)
                words += document.n_words
        return BatchResult(rows, len(items), errors, words)

    def error_row(self, item: Any, error: Exception) -> dict[str, Any]:
        message = str(error) if isinstance(error, InputError) else f"{type(error).__name__}: {error}"
        return rowlib.error_row(item.id, message, self.versions, self.settings.unit, getattr(item, "metadata", None))


_LOCAL = threading.local()


def cached_scorer(settings: ScoringSettings) -> Scorer:
    """This thread's scorer for ``settings``, built on first use (pipeline and model load once)."""
    cache = getattr(_LOCAL, "scorers", None)
    if cache is None:
        cache = _LOCAL.scorers = {}
    if settings not in cache:
        cache[settings] = Scorer(settings)
    return cache[settings]


class SerialExecutor:
    """Scores batches in this process."""

    def __init__(self, settings: ScoringSettings):
        self.settings = settings

    def __enter__(self) -> "SerialExecutor":
        self.scorer = cached_scorer(self.settings)
        return self

    def __exit__(self, *exc: Any) -> None:
        pass

    def map(self, batches: Iterable[list[Any]]) -> Iterator[BatchResult]:
        for batch in batches:
            yield self.scorer.score_batch(batch)


@dataclass
class Tally:
    """Counts for the progress bar and the summary."""

    documents: int = 0
    rows: int = 0
    errors: int = 0
    skipped: int = 0
    duplicates: int = 0
    words: int = 0
    started: float = field(default_factory=time.perf_counter)
    seconds: float = 0.0

    def add(self, result: BatchResult) -> None:
        self.documents += result.n_documents
        self.rows += len(result.rows)
        self.errors += result.n_errors
        self.words += result.n_words
        self.seconds = time.perf_counter() - self.started

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0

    def __str__(self) -> str:
        text = (
            f"{self.rows:,} rows from {self.documents:,} documents, {self.errors:,} errors, "
            f"{self.words:,} words in {self.seconds:,.1f} s ({self.words_per_second:,.0f} words/s)"
        )
        if self.skipped:
            text += f"; {self.skipped:,} documents already in the output skipped"
        if self.duplicates:
            text += f"; {self.duplicates:,} repeated ids skipped (only the first document with an id is scored)"
        return text


#: Repeated ids reported one by one (a warning each); the rest are only counted.
DUPLICATES_REPORTED = 5


def batched(items: Iterable[Any], size: int, *, skip: set[str], tally: Tally) -> Iterator[list[Any]]:
    """Lists of ``size`` items, without ids in ``skip``; an id met again is skipped and reported.

    Ids are the rows' key: scoring one twice would double it in the output, and
    refusing would stop the run (and its resume) at the same place every time.
    """
    if size < 1:
        raise ValueError(f"batch_size must be at least 1, not {size}")
    seen: set[str] = set()
    batch: list[Any] = []
    for item in items:
        if item.id in seen:
            tally.duplicates += 1
            if tally.duplicates <= DUPLICATES_REPORTED:
                warnings.warn(
                    f"duplicate id {item.id!r}: only its first document is scored; ids must be unique "
                    "(use --id-field or rename the file)",
                    stacklevel=2,
                )
            continue
        seen.add(item.id)
        if item.id in skip:
            tally.skipped += 1
            continue
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def progress_bar(total: int | None, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="doc", desc="scoring", disable=not enabled, dynamic_ncols=True, smoothing=0.1)


def run(
    stream: Iterable[Any],
    executor: Any,
    *,
    sink: Any,
    batch_size: int = DEFAULT_BATCH_SIZE,
    skip: set[str] | None = None,
    total: int | None = None,
    progress: bool = False,
) -> Tally:
    """Score ``stream`` batch by batch with ``executor`` (see :mod:`.executors`), handing each
    batch's rows to ``sink(rows)``."""
    tally = Tally()
    skip = skip or set()
    # Start workers before the progress bar, so no bar thread exists when they fork.
    with executor:
        bar = progress_bar(max(total - len(skip), 0) if total is not None else None, progress)
        tally.started = time.perf_counter()
        try:
            for result in executor.map(batched(stream, batch_size, skip=skip, tally=tally)):
                sink(result.rows)
                tally.add(result)
                bar.update(result.n_documents)
                bar.set_postfix_str(f"{tally.words_per_second:,.0f} words/s, {tally.errors} errors", refresh=False)
        finally:
            bar.close()
    tally.seconds = time.perf_counter() - tally.started
    return tally

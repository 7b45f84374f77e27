"""The scoring step the corpus sections share: find a corpus's files, score them with ``ggtext.score``, mark GGIM."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from .aggregate import discusses
from .corpora import Inputs, evenly_spaced
from .settings import CorpusSettings

if TYPE_CHECKING:
    import pandas as pd


class SkipSection(Exception):
    """The section's input is missing; the message says which (and becomes the report's "Skipped:" line)."""


@dataclass
class ScoredCorpus:
    """The files scored and their score table (one row per text, with ``discusses_ggim``)."""

    files: list[Path]
    scores: pd.DataFrame


def metadata(frame: pd.DataFrame) -> pd.DataFrame:
    """The ``metadata`` JSON column as columns of its own."""
    import pandas as pd

    parsed = [json.loads(m) if isinstance(m, str) and m else {} for m in frame["metadata"]]
    return pd.DataFrame(parsed, index=frame.index)


def score_files(paths: Sequence[Path], root: Path, *, n_process: int, model: str | None) -> pd.DataFrame:
    """The document score table of ``paths``, sorted by id.

    Ids are paths relative to ``root`` without suffix, as ``ggtext score ROOT``
    names them (file names alone are not unique in the White House corpus).
    """
    from ..scoring.api import score
    from ..scoring.inputs import FileItem, ItemStream

    items = [FileItem(p.relative_to(root).with_suffix("").as_posix(), str(p)) for p in paths]
    frame = score(ItemStream(lambda: iter(items), lambda: len(items)), n_process=n_process, model=model)
    return frame.sort_values("id", kind="stable").reset_index(drop=True)


def score_corpus(
    corpus: CorpusSettings,
    find: Callable[[Path], list[Path]],
    data: Path | None,
    inputs: Inputs,
    *,
    derive: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame],
    limit: int | None,
    n_process: int,
    model_path: str | None,
    flag: str | None,
    log: Callable[[str], None],
    period: str = "",
) -> ScoredCorpus:
    """Score ``corpus``: ``find(data)`` lists its files, ``limit`` of them evenly spaced are scored.

    The files are recorded in ``inputs``; ``derive(scores, metadata)`` adds the
    corpus's own columns (year, date, ...) and may drop or sort rows; then every
    row gets ``discusses_ggim``. Raises :class:`SkipSection` when the corpus
    folder is missing or holds no file (``period`` ends that message, e.g.
    " of 2000-2024").
    """
    root = data / corpus.folder if data else None
    if root is None or not root.is_dir():
        raise SkipSection(f"the {corpus.label} corpus is missing (expected {corpus.folder} in the data directory)")
    files = evenly_spaced(find(data), limit)
    if not files:
        raise SkipSection(f"no {corpus.label} {corpus.unit}{period} was found")
    for path in files:
        inputs.add(corpus.key, path, path.relative_to(data).as_posix())
    started = time.perf_counter()
    scores = score_files(files, root, n_process=n_process, model=model_path)
    log(f"  scored {len(files)} {corpus.units} in {time.perf_counter() - started:.1f} s")
    scores = derive(scores, metadata(scores))
    scores["discusses_ggim"] = discusses(scores, flag)
    return ScoredCorpus(files, scores)

"""Dense passage features from floret word vectors learnt on the unlabelled corpora.

The table (``ggtext/data/vectors/ggim_floret.npy``, float16, one row per hash
bucket) and its floret settings (``ggim_floret.json``: dim, minn, maxn,
hash_count, hash_seed, bow, eow, and the table's sha256) are written by
``scripts/build_vectors.py``. A word's vector is spaCy's floret lookup (the
mean of the rows its word and character n-gram hashes pick), so any word,
seen or not, has one. Loading reads only a NumPy array (``allow_pickle=False``)
and JSON; nothing downloads.

:class:`PassageVectors` turns passages into the unit-normalised mean of their
word vectors (``sentence_max``: and that of their strongest stance sentence).
The table is never part of a fitted model's state: the model stores the
file's name and sha256 and reloads it, refusing a table that differs.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ..config import PACKAGE_DATA
from ..errors import ModelError
from .features import as_spans, passage_input_tags, passage_texts

VECTORS_DIR = PACKAGE_DATA / "vectors"
DEFAULT_VECTORS = "ggim_floret"
#: Words: letters, with inner apostrophes or hyphens ("don't", "burden-sharing"); no digits.
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def tokenize(text: str) -> list[str]:
    """Lower-cased words of ``text``: the tokenisation the vectors were trained and are read with."""
    return [w.replace("’", "'") for w in _WORD.findall(text.lower())]


class FloretTable:
    """A floret hash table and spaCy's floret lookup over it (word -> vector, cached per word)."""

    def __init__(self, table: np.ndarray, settings: dict):
        from spacy.vectors import Vectors

        self.settings = settings
        self.dim = int(table.shape[1])
        self._vectors = Vectors(
            data=np.ascontiguousarray(table, dtype=np.float32),
            mode="floret",
            minn=int(settings["minn"]),
            maxn=int(settings["maxn"]),
            hash_count=int(settings["hash_count"]),
            hash_seed=int(settings["hash_seed"]),
            bow=settings["bow"],
            eow=settings["eow"],
        )
        self._cache: dict[str, np.ndarray] = {}

    def words(self, words: list[str]) -> np.ndarray:
        """The vectors of ``words`` (rows in order); an empty list gives a (0, dim) array."""
        missing = sorted({w for w in words if w not in self._cache})
        if missing:
            batch = np.asarray(self._vectors.get_batch(missing), dtype=np.float32)  # spaCy's own precision
            self._cache.update(zip(missing, batch))
        if not words:
            return np.zeros((0, self.dim))
        return np.vstack([self._cache[w] for w in words]).astype(np.float64)


def vectors_files(name: str = DEFAULT_VECTORS, directory: Path = VECTORS_DIR) -> tuple[Path, Path]:
    return directory / f"{name}.npy", directory / f"{name}.json"


@lru_cache(maxsize=4)
def load_vectors(name: str = DEFAULT_VECTORS, directory: Path = VECTORS_DIR) -> FloretTable:
    """The shipped floret table ``name``; :class:`ModelError` if it is missing or its sha256 differs."""
    table_path, settings_path = vectors_files(name, directory)
    if not table_path.is_file() or not settings_path.is_file():
        raise ModelError(f"no word vectors {name!r} in {directory} (build them with scripts/build_vectors.py)")
    settings = json.loads(settings_path.read_text(encoding="utf-8"))
    digest = hashlib.sha256(table_path.read_bytes()).hexdigest()
    if digest != settings.get("sha256"):
        raise ModelError(f"{table_path}: sha256 {digest[:12]}... differs from {settings_path.name}'s")
    table = np.load(table_path, allow_pickle=False)
    return FloretTable(table, settings)


def mean_vector(table: FloretTable, text: str) -> np.ndarray:
    """The unit-normalised mean of the word vectors of ``text`` (zeros when it has no word)."""
    rows = table.words(tokenize(text))
    if not len(rows):
        return np.zeros(table.dim)
    mean = rows.mean(axis=0)
    norm = np.linalg.norm(mean)
    return mean / norm if norm > 0 else mean


class PassageVectors(TransformerMixin, BaseEstimator):
    """Passages -> the unit-normalised mean floret vector of their words.

    ``sentence_max=True`` appends the mean vector of the passage's strongest
    stance sentence (the one :class:`~ggtext.models.stance_features.StanceFeatures`
    scores highest in absolute net stance; the passage itself when it has none).
    """

    def __init__(self, vectors: str = DEFAULT_VECTORS, sentence_max: bool = False):
        self.vectors = vectors
        self.sentence_max = sentence_max

    def fit(self, X, y=None):
        table = load_vectors(self.vectors)
        self.vectors_sha256_ = table.settings["sha256"]
        self.n_features_out_ = table.dim * (2 if self.sentence_max else 1)
        return self

    def _table(self) -> FloretTable:
        check_is_fitted(self, "vectors_sha256_")
        table = load_vectors(self.vectors)
        if table.settings["sha256"] != self.vectors_sha256_:
            raise ModelError(f"the word vectors {self.vectors!r} differ from those this model was fitted with")
        return table

    def transform(self, X) -> np.ndarray:
        table = self._table()
        if not self.sentence_max:
            return np.vstack([mean_vector(table, t) for t in passage_texts(X)]) if len(X) else np.zeros((0, table.dim))
        rows = []
        for span in as_spans(X):
            rows.append(
                np.concatenate([mean_vector(table, span.text), mean_vector(table, strongest_sentence(span).text)])
            )
        return np.vstack(rows) if rows else np.zeros((0, 2 * table.dim))

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "n_features_out_")
        return np.asarray([f"vector_{k}" for k in range(self.n_features_out_)], dtype=object)

    def __sklearn_tags__(self):
        return passage_input_tags(super().__sklearn_tags__(), requires_fit=True)


def strongest_sentence(span):
    """The sentence of ``span`` with the most stance and REALIST cues (the first of equals; ``span`` if none)."""
    from ..pipeline.doc_index import sentence_bounds, sentences_of
    from .features import STANCE_CUES, _CueIndex, _inside

    if sentence_bounds(span.doc) is None:
        return span
    cues, starts, _, _ = _CueIndex().of(span.doc)
    inside = [
        c for c in _inside(cues, starts, span.start, span.end) if c.label_ in STANCE_CUES or c.label_ == "REALIST"
    ]
    best, best_count = span, 0
    for sentence in sentences_of(span):
        start, end = max(sentence.start, span.start), min(sentence.end, span.end)
        count = sum(c.start >= start and c.end <= end for c in inside)
        if count > best_count:
            best, best_count = span.doc[start:end], count
    return best

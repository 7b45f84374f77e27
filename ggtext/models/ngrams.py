"""Fast, exact n-gram counts for a fitted ``char_wb`` vectorizer.

scikit-learn's ``char_wb`` analyzer cuts every word of every text into
character n-grams in Python (about 20 per word for 2-5-grams) and looks each
one up in the vocabulary. Scoring a corpus meets the same words again and
again, so :class:`WordNgramIndex` does that once per distinct word and keeps
the vocabulary indices; counting texts is then a sparse product of their word
counts with the words' n-grams. The counts are those of
``CountVectorizer.transform`` exactly (tested against it).
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain
from typing import Callable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp

#: scikit-learn's whitespace normalisation before ``char_wb`` n-grams.
_WHITE_SPACES = re.compile(r"\s\s+")


class WordNgramIndex:
    """Vocabulary indices of each word's ``char_wb`` n-grams, computed once per word.

    ``preprocess`` is the vectorizer's preprocessor (lowercasing, accent
    stripping); ``max_words`` bounds the memory: the cache is emptied when it
    holds that many words.
    """

    def __init__(
        self,
        vocabulary: Mapping[str, int],
        ngram_range: tuple[int, int],
        preprocess: Callable[[str], str],
        max_words: int = 300_000,
    ):
        self.vocabulary = vocabulary
        self.min_n, self.max_n = ngram_range
        self.preprocess = preprocess
        self.max_words = max_words
        self._words: dict[str, tuple[int, ...]] = {}

    def word_indices(self, word: str) -> tuple[int, ...]:
        """Indices of the in-vocabulary n-grams of ``" " + word + " "``, as scikit-learn cuts them."""
        vocabulary = self.vocabulary
        padded = " " + word + " "
        length = len(padded)
        out = []
        for n in range(self.min_n, self.max_n + 1):
            offset = 0
            index = vocabulary.get(padded[offset : offset + n])
            if index is not None:
                out.append(index)
            while offset + n < length:
                offset += 1
                index = vocabulary.get(padded[offset : offset + n])
                if index is not None:
                    out.append(index)
            if offset == 0:  # a word shorter than n is counted once
                break
        return tuple(out)

    def counts(self, texts: Sequence[str], n_features: int, dtype=np.float64) -> sp.csr_matrix:
        """The document-term count matrix of ``texts`` (sorted indices, no duplicates).

        Counted as (texts x words) @ (words x n-grams): each distinct word of a
        text is looked up once, and the sparse product adds the n-grams up in C.
        """
        if len(self._words) > self.max_words:
            self._words.clear()
        columns: dict[str, int] = {}  # word -> its column in the text x word matrix
        rows: list[int] = []
        cols: list[int] = []
        frequencies: list[int] = []
        for row, text in enumerate(texts):
            for word, frequency in Counter(_WHITE_SPACES.sub(" ", self.preprocess(text)).split()).items():
                col = columns.get(word)
                if col is None:
                    col = columns[word] = len(columns)
                rows.append(row)
                cols.append(col)
                frequencies.append(frequency)
        text_words = sp.csr_matrix(
            (
                np.asarray(frequencies, dtype=dtype),
                (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)),
            ),
            shape=(len(texts), len(columns)),
        )
        matrix = (text_words @ self._word_ngrams(list(columns), n_features, dtype)).tocsr()
        matrix.sort_indices()
        return matrix

    def _word_ngrams(self, words: list[str], n_features: int, dtype) -> sp.csr_matrix:
        """The (words x n-grams) count matrix, one row per word from the cache."""
        cache = self._words
        grams = []
        for word in words:
            indices = cache.get(word)
            if indices is None:
                indices = cache[word] = self.word_indices(word)
            grams.append(indices)
        indptr = np.zeros(len(grams) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, grams), dtype=np.int64, count=len(grams)), out=indptr[1:])
        indices = np.fromiter(chain.from_iterable(grams), dtype=np.int64, count=int(indptr[-1]))
        return sp.csr_matrix((np.ones(len(indices), dtype=dtype), indices, indptr), shape=(len(words), n_features))

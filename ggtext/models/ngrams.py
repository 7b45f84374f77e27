"""Fast, exact n-gram counts for a fitted ``char_wb`` vectorizer.

scikit-learn's ``char_wb`` analyzer cuts every word of every text into
character n-grams in Python (about 20 per word for 2-5-grams) and looks each
one up in the vocabulary. Scoring a corpus meets the same words again and
again, so :class:`WordNgramIndex` does that once per distinct word and keeps
the vocabulary indices; counting a text is then one lookup per word. The
counts are those of ``CountVectorizer.transform`` exactly (tested against it).
"""

from __future__ import annotations

import re
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

    def __init__(self, vocabulary: Mapping[str, int], ngram_range: tuple[int, int],
                 preprocess: Callable[[str], str], max_words: int = 300_000):
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
            index = vocabulary.get(padded[offset:offset + n])
            if index is not None:
                out.append(index)
            while offset + n < length:
                offset += 1
                index = vocabulary.get(padded[offset:offset + n])
                if index is not None:
                    out.append(index)
            if offset == 0:  # a word shorter than n is counted once
                break
        return tuple(out)

    def counts(self, texts: Sequence[str], n_features: int, dtype=np.float64) -> sp.csr_matrix:
        """The document-term count matrix of ``texts`` (sorted indices, no duplicates)."""
        words = self._words
        if len(words) > self.max_words:
            words.clear()
        columns: list[int] = []
        indptr = [0]
        for text in texts:
            for word in _WHITE_SPACES.sub(" ", self.preprocess(text)).split():
                indices = words.get(word)
                if indices is None:
                    indices = words[word] = self.word_indices(word)
                columns.extend(indices)
            indptr.append(len(columns))
        matrix = sp.csr_matrix(
            (np.ones(len(columns), dtype=dtype), np.asarray(columns, dtype=np.int32), np.asarray(indptr, dtype=np.int32)),
            shape=(len(texts), n_features),
        )
        matrix.sum_duplicates()  # also sorts the indices
        return matrix

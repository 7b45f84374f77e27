"""Fast matching of lexicon entries: phrases, expanded patterns, anchored windows.

The cue tagger runs on every document of a large corpus, and spaCy's Matcher
pays a Python call per token for each ``IN``/``REGEX`` predicate a pattern
starts with. So :class:`LexiconMatcher`

1. matches phrases, and patterns that are only sequences of word choices
   (``[{LOWER: {IN: [argue, argues]}}, {LOWER: that, OP: "?"}]``), with
   PhraseMatchers (hash lookups), and
2. runs each remaining pattern only on windows around its *anchor*: the
   required token with the rarest words. Every match contains its anchor, and
   the window reaches as far as the pattern can, so nothing is lost; a pattern
   of unbounded length (``*``, ``+``) runs on the whole Doc.

The result is the same list of matches as one Matcher over the whole Doc.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.attrs import LOWER, ORTH
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

#: Most phrases a pattern may expand to before it stays a Matcher pattern.
MAX_PATTERN_EXPANSION = 5000
_ATTR_COLUMNS = {"LOWER": 0, "ORTH": 1}


@dataclass(frozen=True)
class _Anchor:
    column: int  # 0 = LOWER, 1 = ORTH
    hashes: np.ndarray
    before: int  # most tokens a match can have before the anchor
    after: int  # ... and after it


class LexiconMatcher:
    """Phrases and token patterns under string keys; ``__call__(doc)`` gives (key hash, start, end)."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self._phrases = {"LOWER": PhraseMatcher(vocab, attr="LOWER"), "ORTH": PhraseMatcher(vocab, attr="ORTH")}
        self._whole_doc = Matcher(vocab, validate=True)
        # One Matcher per anchored pattern, so each runs only around its own anchor.
        self._anchored: list[tuple[_Anchor, Matcher]] = []

    def add_phrases(self, key: str, phrases: list[Doc]) -> None:
        """Lower-case phrases (matched on ``token.lower``)."""
        self._phrases["LOWER"].add(key, phrases)

    def add_pattern(self, key: str, pattern: list[dict]) -> None:
        """A spaCy token pattern; raises ValueError (MatchPatternError) when spaCy rejects it."""
        sequences = word_sequences(pattern)
        if sequences is not None:
            attr, word_lists = sequences
            self._phrases[attr].add(key, [Doc(self.vocab, words=words) for words in word_lists])
            return
        anchor = _anchor(pattern, self.vocab)
        if anchor is None:
            self._whole_doc.add(key, [pattern])
        else:
            matcher = Matcher(self.vocab, validate=True)
            matcher.add(key, [pattern])
            self._anchored.append((anchor, matcher))

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        matches = [m for matcher in self._phrases.values() for m in matcher(doc)]
        if len(self._whole_doc):
            matches.extend(self._whole_doc(doc))
        if self._anchored and len(doc):
            columns = doc.to_array([LOWER, ORTH])
            for anchor, matcher in self._anchored:
                for start, end in _windows(columns, anchor):
                    matches.extend((key, start + s, start + e) for key, s, e in matcher(doc[start:end]))
        return matches


def _windows(columns: np.ndarray, anchor: _Anchor) -> list[tuple[int, int]]:
    """Merged token ranges that can hold a match around each occurrence of the anchor."""
    positions = np.flatnonzero(np.isin(columns[:, anchor.column], anchor.hashes))
    if not positions.size:
        return []
    starts = np.maximum(positions - anchor.before, 0)
    ends = np.minimum(positions + anchor.after + 1, len(columns))
    merged: list[tuple[int, int]] = []
    for start, end in zip(starts.tolist(), ends.tolist()):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def word_sequences(pattern: list[dict]) -> tuple[str, list[list[str]]] | None:
    """The word sequences a pattern matches, when it only constrains LOWER (or only ORTH).

    Each token must be ``{ATTR: word}`` or ``{ATTR: {IN: [...]}}``, optionally
    with ``OP: "?"``; anything else (other attributes, repeats) returns None.
    """
    attrs = {key for token in pattern for key in token if key != "OP"}
    if len(attrs) != 1 or not attrs <= set(_ATTR_COLUMNS):
        return None
    attr = attrs.pop()
    sequences: list[list[str]] = [[]]
    for token in pattern:
        op = token.get("OP")
        if op not in (None, "?"):
            return None
        choices = _choices(token.get(attr))
        if choices is None:
            return None
        extended = [seq + [word] for seq in sequences for word in choices]
        sequences = extended + (sequences if op == "?" else [])
        if len(sequences) > MAX_PATTERN_EXPANSION:
            return None
    sequences = [seq for seq in sequences if seq]
    return (attr, sequences) if sequences else None


def _choices(value) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(w, str) for w in value["IN"]):
        return list(value["IN"])
    return None


def _repeat_bounds(op: str | None) -> tuple[int, int | None]:
    """(min, max) times a pattern token matches; max None = unbounded."""
    if op is None:
        return (1, 1)
    if op in ("?", "!"):  # "!" takes one token that must not match; never an anchor
        return (0, 1)
    if op == "?":
        return (0, 1)
    if op in ("*", "+"):
        return (0 if op == "*" else 1, None)
    low, _, high = op.strip("{}").partition(",")
    if "," not in op:  # "{n}"
        return int(low), int(low)
    return int(low or 0), (int(high) if high else None)


def _anchor(pattern: list[dict], vocab: Vocab) -> _Anchor | None:
    """The required LOWER/ORTH token with the rarest words, and how far a match reaches around it."""
    bounds = [_repeat_bounds(token.get("OP")) for token in pattern]
    if any(high is None for _, high in bounds):
        return None
    best = None
    for i, token in enumerate(pattern):
        if bounds[i] != (1, 1):
            continue
        for attr, column in _ATTR_COLUMNS.items():
            words = _choices(token.get(attr))
            if not words:
                continue
            # Prefer tokens without stop words ("is", "the"), then the fewest choices.
            rank = (sum(w.lower() in STOP_WORDS for w in words), len(words))
            if best is None or rank < best[0]:
                best = (rank, i, column, words)
    if best is None:
        return None
    _, i, column, words = best
    hashes = np.array(sorted({vocab.strings.add(w) for w in words}), dtype=np.uint64)
    before = sum(high for _, high in bounds[:i])
    after = sum(high for _, high in bounds[i + 1 :])
    return _Anchor(column=column, hashes=hashes, before=before, after=after)

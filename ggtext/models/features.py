"""Features of passages: their text, and the linguistic cues the ggtext pipeline marks.

A *passage* is a ``str``, a spaCy ``Span`` (a sentence or paragraph of an
already processed Doc) or a ``Doc``. Text features read ``.text``; cue
features read ``doc.spans["ggtext_cues"]`` and ``doc.spans["ggtext_actors"]``
of the passage's Doc directly, so scoring never parses a text twice and a
user's own pipeline (knowledge base, lexicons) is what the features see.
Strings are parsed with the caller's ``nlp``, else the default ggtext
pipeline (:func:`ggtext.pipeline.default_pipeline`), which is never stored on
an estimator, so fitted models stay plain data that skops can save.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted
from spacy.tokens import Doc, Span

from ..errors import InputError
from ..knowledge import ACTOR_TYPES
from ..pipeline import ACTORS_KEY, CUES_KEY, default_pipeline
from ..pipeline.doc_index import doc_text, sentence_bounds, sentences_of
from .ngrams import WordNgramIndex

Passage = str | Span | Doc

#: Stance cue labels and the dimension each belongs to (the cue component's contract).
STANCE_CUES = {
    "FEASIBLE": "feasibility",
    "INFEASIBLE": "feasibility",
    "DESIRABLE": "desirability",
    "UNDESIRABLE": "desirability",
}
#: Cues that make a sentence about *governance* (with a MIGRATION cue: about GGIM).
GOVERNANCE_CUES = frozenset({"GOVERNANCE", "INSTITUTIONALIST"})
#: Actor types that are governance actors (states and generic categories are not).
GOVERNANCE_ACTOR_TYPES = frozenset(ACTOR_TYPES) - {"state", "generic_category", "illicit_network"}
#: Feature values that are proportions or signed sums, not counts (no log transform).
_SHARES = frozenset({"hedged", "attributed", "ggim_share"})


def passage_text(passage: Any) -> str:
    """The text of a passage (``str``, ``Span`` or ``Doc``); a clear error for anything else."""
    if isinstance(passage, str):
        return passage
    if isinstance(passage, (Span, Doc)):
        return passage.text
    raise InputError(f"a passage must be a str, a spaCy Span or a Doc, not {type(passage).__name__}")


def passage_texts(passages: Iterable[Any]) -> list[str]:
    """The texts of many passages; Spans are cut from their Doc's text (:func:`doc_text`)."""
    out = []
    for passage in _as_list(passages):
        if isinstance(passage, Span):
            # == Span.text, without a walk over the span's tokens
            out.append(doc_text(passage.doc)[passage.start_char : passage.end_char])
        else:
            out.append(passage_text(passage))
    return out


def as_spans(passages: Iterable[Any], *, nlp: Any = None) -> list[Span]:
    """Every passage as a Span of a Doc the ggtext pipeline has processed.

    Spans and Docs are used as they are, after checking that the cue and
    actor components ran; strings are parsed in one batch with ``nlp``
    (default: :func:`~ggtext.pipeline.default_pipeline`).
    """
    items = _as_list(passages)
    texts = [p for p in items if isinstance(p, str)]
    parsed: Iterable[Doc] = iter(())
    if texts:
        nlp = nlp or default_pipeline()
        # The stance component is what calls the model: never run it inside the model.
        scoring = [name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory == "ggtext_stance"]
        parsed = nlp.pipe(texts, disable=scoring)
    spans = []
    checked: set[int] = set()  # ids of Docs known to have cues and actors
    for item in items:
        if isinstance(item, str):
            spans.append(next(parsed)[:])
            continue
        if not isinstance(item, (Span, Doc)):
            passage_text(item)  # raises the InputError for a wrong type
        span = item[:] if isinstance(item, Doc) else item
        if id(span.doc) in checked:
            spans.append(span)
            continue
        missing = [key for key in (CUES_KEY, ACTORS_KEY) if key not in span.doc.spans]
        checked.add(id(span.doc))
        if missing:
            raise InputError(
                f"the passage's Doc has no {' or '.join(missing)} spans: process it with "
                "ggtext.load() (with actors and cues), or pass the text as a str."
            )
        spans.append(span)
    return spans


def passage_input_tags(tags, *, requires_fit: bool):
    """scikit-learn tags of a step whose input is a list of passages (str, Span, Doc), not a 2-D array."""
    tags.input_tags.string = True
    tags.input_tags.two_d_array = False
    tags.requires_fit = requires_fit
    return tags


def _as_list(passages: Iterable[Any]) -> list[Any]:
    if isinstance(passages, (str, Span, Doc)):
        raise InputError("pass a list of passages, not a single one (wrap it: [passage])")
    return list(passages)


class CompactTfidfVectorizer(TfidfVectorizer):
    """A TfidfVectorizer whose saved state holds its vocabulary as one array of terms.

    Identical in use; only ``__getstate__``/``__setstate__`` differ. skops
    writes a dict node by node, which made a model with ~150,000 n-grams take
    seconds to load; an array (terms in column order) loads at once.
    """

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: for non-sklearn classes it is the live __dict__
        # Never saved: stop_words_ (introspection only, megabytes) and a cache keyed by id() (differs per process).
        state.pop("stop_words_", None)
        state.pop("_stop_words_id", None)
        # Never saved either: caches that are rebuilt on use.
        state.pop("_ngram_index", None)
        state.pop("_fingerprint_", None)
        vocabulary = state.pop("vocabulary_", None)
        if vocabulary is not None:
            terms = sorted(vocabulary, key=vocabulary.__getitem__)
            if [vocabulary[t] for t in terms] != list(range(len(terms))):
                raise ValueError("vocabulary indices are not 0..n-1; cannot store it as an array")
            state["vocabulary_terms_"] = np.array(terms, dtype=str)
        return state

    def __setstate__(self, state):
        state = dict(state)
        terms = state.pop("vocabulary_terms_", None)
        super().__setstate__(state)
        if terms is not None:
            self.vocabulary_ = {term: index for index, term in enumerate(terms.tolist())}

    def transform(self, raw_documents):
        """TF-IDF rows of ``raw_documents``, exactly as ``TfidfVectorizer.transform`` computes them.

        Inside a :func:`shared_features` block, a vectorizer equal to one that
        already transformed the same texts (the three dimensions' classifiers
        fit identical vectorizers) returns that result. ``char_wb`` counts go
        through a per-word cache (:class:`~ggtext.models.ngrams.WordNgramIndex`).
        """
        if isinstance(raw_documents, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        texts = list(raw_documents)
        shared = _SHARED.get()
        if shared is None:
            return self._transform(texts)
        cache = shared.text_matrices
        key = (self._fingerprint(), tuple(texts))
        if key not in cache:
            cache[key] = self._transform(texts)
        return cache[key]

    def _transform(self, texts: list):
        if not self._fast_counts_apply(texts):
            return super().transform(texts)
        check_is_fitted(self, msg="The TF-IDF vectorizer is not fitted")
        index = self.__dict__.get("_ngram_index")
        if index is None:
            index = self._ngram_index = WordNgramIndex(self.vocabulary_, self.ngram_range, self.build_preprocessor())
        counts = index.counts(texts, len(self.vocabulary_), dtype=self.dtype)
        if self.binary:
            counts.data.fill(1)
        return self._tfidf.transform(counts, copy=False)

    def _fast_counts_apply(self, texts: list) -> bool:
        return (
            self.analyzer == "char_wb"
            and self.input == "content"
            and self.preprocessor is None
            and hasattr(self, "vocabulary_")
            and all(isinstance(t, str) for t in texts)
        )

    def _fingerprint(self) -> str:
        """A digest of the parameters and fitted state: equal vectorizers transform alike."""
        digest = self.__dict__.get("_fingerprint_")
        if digest is None:
            check_is_fitted(self, msg="The TF-IDF vectorizer is not fitted")
            h = hashlib.sha256(repr(sorted(self.get_params().items())).encode())
            h.update("\x00".join(sorted(self.vocabulary_, key=self.vocabulary_.__getitem__)).encode())
            h.update(np.ascontiguousarray(self.idf_).tobytes())
            digest = self._fingerprint_ = h.hexdigest()
        return digest


@dataclass
class _Shared:
    """What a ``shared_features`` block computes once: cue rows by (Doc id, start, end),
    TF-IDF matrices by (vectorizer fingerprint, texts)."""

    cue_rows: dict = field(default_factory=dict)
    text_matrices: dict = field(default_factory=dict)


_SHARED: ContextVar[_Shared | None] = ContextVar("ggtext_shared_features", default=None)


@contextmanager
def shared_features():
    """Compute each passage's cue and text features once inside this block, however many classifiers read them.

    A StanceModel runs three classifiers (and a cue rule) over the same
    passages; the caller holds the passages for the whole block, so the
    Doc ids in the keys stay valid.
    """
    token = _SHARED.set(_Shared())
    try:
        yield
    finally:
        _SHARED.reset(token)


#: What a governance actor's mention becomes in a masked text ("We reject the ggactor").
ACTOR_PLACEHOLDER = "ggactor"


def masked_passage_texts(passages: Iterable[Any]) -> list[str]:
    """Passage texts with every governance actor mention replaced by :data:`ACTOR_PLACEHOLDER`.

    The text member then learns what is said of an actor ("we reject the
    ggactor", "the ggactor was adopted") instead of which actor is named.
    Strings have no actor spans and stay as they are.
    """
    from ..pipeline.actors import actor_type

    index = _CueIndex()
    out = []
    for passage in _as_list(passages):
        span = passage[:] if isinstance(passage, Doc) else passage
        if not isinstance(span, Span):
            out.append(passage_text(passage))
            continue
        text = doc_text(span.doc)
        _, _, actors, starts = index.of(span.doc)
        pieces, at = [], span.start_char
        for actor in _inside(actors, starts, span.start, span.end):
            if actor_type(actor) in GOVERNANCE_ACTOR_TYPES and actor.start_char >= at:
                pieces += [text[at : actor.start_char], ACTOR_PLACEHOLDER]
                at = actor.end_char
        pieces.append(text[at : span.end_char])
        out.append("".join(pieces))
    return out


class PassageText(TransformerMixin, BaseEstimator):
    """Passages -> their texts, so text vectorizers accept Spans and Docs too.

    ``mask_actors``: governance actor mentions become :data:`ACTOR_PLACEHOLDER`
    (:func:`masked_passage_texts`).
    """

    def __init__(self, mask_actors: bool = False):
        self.mask_actors = mask_actors

    def fit(self, X, y=None):
        return self

    def transform(self, X) -> list[str]:
        # getattr: models saved before the option existed have no such attribute.
        return masked_passage_texts(X) if getattr(self, "mask_actors", False) else passage_texts(X)

    def get_feature_names_out(self, input_features=None):
        return np.asarray(["text"], dtype=object)

    def __sklearn_tags__(self):
        return passage_input_tags(super().__sklearn_tags__(), requires_fit=False)


class CueFeatures(TransformerMixin, BaseEstimator):
    """Passages -> numeric features from the ggtext cues and actor mentions.

    Features (see :meth:`get_feature_names_out`):

    - ``ggtext.pipeline.cues.sentence_cue_counts`` of the passage: one count
      per cue label, stance polarity after negation (own voice and reported),
      negated and hedged stance cues, hedged and attributed sentence shares,
      sentence and token counts;
    - ``<dim>_pos`` / ``<dim>_neg``: stance cues pointing each way after
      negation (the net polarity hides a passage that says both);
    - ``ggim_*``: the same, restricted to sentences about GGIM (a MIGRATION cue
      together with a governance cue or a governance actor), and their number
      and share: stance words matter where the sentence is about governing
      migration;
    - ``actors``, ``distinct_actors``, ``governance_actors`` and one count per
      actor type of the knowledge base.

    Counts are ``log1p``-transformed (signed sums keep their sign), so long
    paragraphs and single sentences live on one scale.
    """

    def __init__(self, log_counts: bool = True):
        self.log_counts = log_counts

    def fit(self, X, y=None):
        from ..pipeline.cues import CUE_COUNT_KEYS

        self.feature_names_ = np.asarray(list(CUE_COUNT_KEYS) + _OWN_FEATURES, dtype=object)
        self.n_features_out_ = len(self.feature_names_)
        return self

    def transform(self, X) -> np.ndarray:
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "feature_names_")
        spans = as_spans(X)
        rows = np.zeros((len(spans), len(self.feature_names_)), dtype=np.float64)
        index = _CueIndex()
        shared = _SHARED.get()
        cache = shared.cue_rows if shared is not None else None
        for i, span in enumerate(spans):
            if cache is None:
                values = passage_cue_features(span, index)
            else:
                key = (id(span.doc), span.start, span.end)
                values = cache.get(key)
                if values is None:
                    values = cache[key] = passage_cue_features(span, index)
            rows[i] = [values[name] for name in self.feature_names_]
        if self.log_counts:
            shares = np.isin(self.feature_names_, list(_SHARES))
            rows[:, ~shares] = np.sign(rows[:, ~shares]) * np.log1p(np.abs(rows[:, ~shares]))
        return rows

    def get_feature_names_out(self, input_features=None):
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "feature_names_")
        return self.feature_names_.copy()

    def __sklearn_tags__(self):
        return passage_input_tags(super().__sklearn_tags__(), requires_fit=True)


_OWN_FEATURES: list[str] = [
    "feasibility_pos",
    "feasibility_neg",
    "desirability_pos",
    "desirability_neg",
    "ggim_sentences",
    "ggim_share",
    "ggim_feasibility_pos",
    "ggim_feasibility_neg",
    "ggim_desirability_pos",
    "ggim_desirability_neg",
    "actors",
    "distinct_actors",
    "governance_actors",
    *(f"actor_type_{t}" for t in ACTOR_TYPES),
]


class _CueIndex:
    """Per-Doc cue and actor lists, sorted by start, built once per transform call.

    Scoring passes many sentences of one Doc; the index keeps each lookup
    to the spans inside the passage instead of scanning the whole Doc.
    """

    def __init__(self):
        self._docs: dict[int, tuple[Doc, list[Span], list[int], list[Span], list[int]]] = {}

    def of(self, doc: Doc):
        entry = self._docs.get(id(doc))
        if entry is None or entry[0] is not doc:
            cues = sorted(doc.spans[CUES_KEY], key=lambda s: (s.start, s.end))
            actors = sorted(doc.spans[ACTORS_KEY], key=lambda s: (s.start, s.end))
            entry = (doc, cues, [c.start for c in cues], actors, [a.start for a in actors])
            self._docs[id(doc)] = entry
        return entry[1:]


def _inside(spans: Sequence[Span], starts: Sequence[int], start: int, end: int) -> list[Span]:
    out = []
    for k in range(bisect_left(starts, start), len(spans)):
        span = spans[k]
        if span.start >= end:
            break
        if span.end <= end:
            out.append(span)
    return out


def passage_cue_features(span: Span, index: _CueIndex | None = None) -> dict[str, float]:
    """The raw (untransformed) cue features of one passage span; see :class:`CueFeatures`."""
    from ..pipeline.actors import actor_type
    from ..pipeline.cues import cue_polarity, sentence_cue_counts

    index = index or _CueIndex()
    all_cues, cue_starts, all_actors, actor_starts = index.of(span.doc)
    values: dict[str, float] = dict(sentence_cue_counts(span))
    values.update({name: 0.0 for name in _OWN_FEATURES})

    cues = _inside(all_cues, cue_starts, span.start, span.end)
    actors = _inside(all_actors, actor_starts, span.start, span.end)
    types = [actor_type(a) for a in actors]
    values["actors"] = float(len(actors))
    values["distinct_actors"] = float(len({a.label_ for a in actors}))
    values["governance_actors"] = float(sum(t in GOVERNANCE_ACTOR_TYPES for t in types))
    for t in types:
        if t in ACTOR_TYPES:
            values[f"actor_type_{t}"] += 1.0

    sentences = sentences_of(span) if sentence_bounds(span.doc) is not None else [span]
    # Spans of a sentence stop at the passage's edges, so a passage that cuts
    # a sentence in two only counts its own part.
    ggim_sentences = 0
    for sentence in sentences:
        start, end = max(sentence.start, span.start), min(sentence.end, span.end)
        in_sentence = [c for c in cues if c.start >= start and c.end <= end]
        labels = {c.label_ for c in in_sentence}
        governance = bool(labels & GOVERNANCE_CUES) or any(
            t in GOVERNANCE_ACTOR_TYPES for a, t in zip(actors, types) if a.start >= start and a.end <= end
        )
        ggim = "MIGRATION" in labels and governance
        ggim_sentences += ggim
        for cue in in_sentence:
            dimension = STANCE_CUES.get(cue.label_)
            if dimension is None:
                continue
            side = "pos" if cue_polarity(cue, cues=all_cues) > 0 else "neg"
            values[f"{dimension}_{side}"] += 1.0
            if ggim:
                values[f"ggim_{dimension}_{side}"] += 1.0
    values["ggim_sentences"] = float(ggim_sentences)
    values["ggim_share"] = ggim_sentences / len(sentences) if sentences else 0.0
    return values

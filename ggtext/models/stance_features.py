"""Stance features scoped to the sentence that names a GGIM actor (issue 10).

The paragraph counts of :class:`~ggtext.models.features.CueFeatures` let a
classifier read topic (compact, cooperation) as support. These features say
*who* is refused or failing and *in whose voice*:

- ``gov_<dim>_neg`` / ``gov_<dim>_pos``: sentences where a stance cue (after
  negation) points against / for, and the sentence names a governance actor or
  a governance cue (the Compact, UNHCR, burden sharing): refused support
  ("cannot support the Compact", "will not sign", "objects to its adoption"),
  failure of the system ("burden sharing remains an empty promise", "UNHCR is
  stretched to its limits");
- ``own_<dim>_neg``: the same in the author's voice (no attribution frame) with
  a first-person or state subject ("we reject", "the United States objects");
- ``sovereignty_first``: sentences joining a REALIST cue (sovereign right, our
  borders) with rejection ("not subject to negotiation", "no international body");
- ``realist_gov``: REALIST cues in sentences about governance;
- with ``sentence_max``, the strongest sentence (multiple-instance max):
  ``max_<dim>_net_neg`` / ``max_<dim>_net_pos`` (largest per-sentence surplus of
  cues one way), ``max_realist_net`` (REALIST minus INSTITUTIONALIST), and the
  share of sentences whose net stance is negative.

Raw counts are ``log1p``-transformed, like CueFeatures. Plain data only (skops).
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ..pipeline.doc_index import sentence_bounds, sentences_of
from .features import (
    _SHARED,
    GOVERNANCE_ACTOR_TYPES,
    GOVERNANCE_CUES,
    STANCE_CUES,
    _CueIndex,
    _inside,
    as_spans,
    passage_input_tags,
)

#: A rejection or failure cue containing one of these ("will not sign", "cannot support") is a
#: refusal in itself: an earlier negation in the clause ("cannot support ... and will not sign")
#: does not flip it.
NEGATION_WORDS = frozenset({"not", "n't", "n’t", "cannot", "never", "no"})
#: Words that make a sentence speak in a first-person (governmental) voice.
FIRST_PERSON = frozenset({"we", "our", "us", "i", "my", "ourselves"})

BASE_FEATURES = (
    "gov_feasibility_neg",
    "gov_feasibility_pos",
    "gov_desirability_neg",
    "gov_desirability_pos",
    "own_feasibility_neg",
    "own_desirability_neg",
    "sovereignty_first",
    "realist_gov",
)
MAX_FEATURES = (
    "max_feasibility_net_neg",
    "max_feasibility_net_pos",
    "max_desirability_net_neg",
    "max_desirability_net_pos",
    "max_realist_net",
    "share_feasibility_neg",
    "share_desirability_neg",
)
_SHARES = frozenset({"share_feasibility_neg", "share_desirability_neg"})


class StanceFeatures(TransformerMixin, BaseEstimator):
    """Passages -> actor-scoped refusal, sovereignty-first and failure features (see the module docstring)."""

    def __init__(self, sentence_max: bool = True, log_counts: bool = True):
        self.sentence_max = sentence_max
        self.log_counts = log_counts

    def fit(self, X, y=None):
        self.feature_names_ = np.asarray(BASE_FEATURES + (MAX_FEATURES if self.sentence_max else ()), dtype=object)
        self.n_features_out_ = len(self.feature_names_)
        return self

    def transform(self, X) -> np.ndarray:
        check_is_fitted(self, "feature_names_")
        spans = as_spans(X)
        index = _CueIndex()
        rows = np.zeros((len(spans), len(self.feature_names_)))
        shared = _SHARED.get()  # inside shared_features(): computed once for the three dimensions
        cache = shared.cue_rows if shared is not None else None
        for i, span in enumerate(spans):
            key = ("stance", id(span.doc), span.start, span.end)
            values = cache.get(key) if cache is not None else None
            if values is None:
                values = passage_stance_features(span, index)
                if cache is not None:
                    cache[key] = values
            rows[i] = [values[name] for name in self.feature_names_]
        if self.log_counts:
            counts = ~np.isin(self.feature_names_, list(_SHARES))
            rows[:, counts] = np.sign(rows[:, counts]) * np.log1p(np.abs(rows[:, counts]))
        return rows

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "feature_names_")
        return self.feature_names_.copy()

    def __sklearn_tags__(self):
        return passage_input_tags(super().__sklearn_tags__(), requires_fit=True)


def passage_stance_features(span, index: _CueIndex | None = None) -> dict[str, float]:
    """The raw stance features of one passage span (every name of BASE_FEATURES and MAX_FEATURES)."""
    from ..pipeline.actors import actor_type
    from ..pipeline.cues import attribution, cue_polarity

    index = index or _CueIndex()
    all_cues, cue_starts, all_actors, actor_starts = index.of(span.doc)
    cues = _inside(all_cues, cue_starts, span.start, span.end)
    actors = _inside(all_actors, actor_starts, span.start, span.end)
    types = [actor_type(a) for a in actors]
    values = dict.fromkeys(BASE_FEATURES + MAX_FEATURES, 0.0)
    sentences = sentences_of(span) if sentence_bounds(span.doc) is not None else [span]
    net = {"feasibility": [], "desirability": []}
    realist_net = []
    for sentence in sentences:
        start, end = max(sentence.start, span.start), min(sentence.end, span.end)
        if start >= end:
            continue
        inside = [c for c in cues if c.start >= start and c.end <= end]
        labels = [c.label_ for c in inside]
        realist = labels.count("REALIST")
        if not realist and not any(label in STANCE_CUES for label in labels):
            # fast path (most sentences): no stance and no realist cue, so only the max features move
            net["feasibility"].append(0)
            net["desirability"].append(0)
            realist_net.append(-labels.count("INSTITUTIONALIST"))
            continue
        here = [(a, t) for a, t in zip(actors, types) if a.start >= start and a.end <= end]
        governance = bool(set(labels) & GOVERNANCE_CUES) or any(t in GOVERNANCE_ACTOR_TYPES for _, t in here)
        sides = {"feasibility": [0, 0], "desirability": [0, 0]}  # [neg, pos]
        for cue in inside:
            dimension = STANCE_CUES.get(cue.label_)
            if dimension:
                refusal = cue.label_ in ("UNDESIRABLE", "INFEASIBLE") and any(t.lower_ in NEGATION_WORDS for t in cue)
                sides[dimension][0 if refusal or cue_polarity(cue, cues=all_cues) < 0 else 1] += 1
        for dimension, (neg, pos) in sides.items():
            if governance:
                values[f"gov_{dimension}_neg"] += neg > 0
                values[f"gov_{dimension}_pos"] += pos > 0
            if neg > pos and _own_first_person(span.doc, start, end, here, all_cues, attribution):
                values[f"own_{dimension}_neg"] += 1.0
            net[dimension].append(neg - pos)
        if realist and sides["desirability"][0]:
            values["sovereignty_first"] += 1.0
        if realist and governance:
            values["realist_gov"] += realist
        realist_net.append(realist - labels.count("INSTITUTIONALIST"))
    for dimension, scores in net.items():
        if scores:
            values[f"max_{dimension}_net_neg"] = float(max(0, max(scores)))
            values[f"max_{dimension}_net_pos"] = float(max(0, -min(scores)))
            values[f"share_{dimension}_neg"] = sum(s > 0 for s in scores) / len(scores)
    values["max_realist_net"] = float(max(realist_net)) if realist_net else 0.0
    return {k: float(v) for k, v in values.items()}


def _own_first_person(doc, start: int, end: int, actors_here, all_cues, attribution) -> bool:
    """Does the sentence ``doc[start:end]`` speak in the author's voice with a first-person or state subject?"""
    first_person = any(t == "state" for _, t in actors_here) or any(
        token.lower_ in FIRST_PERSON for token in doc[start:end]
    )
    return first_person and attribution(doc[start:end], cues=all_cues) is None

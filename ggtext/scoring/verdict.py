"""Document verdicts: passage probabilities aggregated into one score per dimension.

How passages are aggregated (also in the README):

* Units are the body paragraphs (what the classifiers were trained on). A
  paragraph's sentences that report someone else's view ("Realists argue
  that ...", "According to Koser (2010) ...") are removed before it is
  classified, so reported views do not count as the author's own; a paragraph
  made only of reported views gets weight 0.
* A paragraph's weight for a dimension is how much it takes a position on it,
  ``p(for) + p(against)`` (1 - p(none)): passages not about GGIM count little.
* ``<dim>_score = sum(w * p(for)) / sum(w * (p(for) + p(against)))``: the
  weighted share of the stance mass that is ``for`` (0.5 when balanced).
* ``<dim>_label`` is ``none`` when the passage classifier labels no paragraph
  ``for`` or ``against``, else ``for`` if the score is at least 0.5, else
  ``against``: the document's label follows its score.
* A single unit (one paragraph, or a table row) is labelled by the passage
  classifier's tuned decision rule, and its score is the decision-weighted
  share (:func:`stance_score`), so a unit labelled ``for`` never scores below
  0.5 nor one labelled ``against`` above it. The document score aggregates the
  calibrated probabilities instead: the decision weights, tuned to find rare
  classes passage by passage, would let many faint ``against`` probabilities
  outweigh the text's clear position.
* ``realist_share``/``institutionalist_share``: the expected share of
  paragraphs framed each way (mean probability); ``framing_label`` is the lens
  with the larger share, or ``none`` when the classifier gives no paragraph a
  frame.
* The title, when the reader found one (``doc.spans["ggtext_title"]``), is a
  unit like a paragraph (codebook v1.3: a title is part of the text); the
  ``passages`` table lists the body paragraphs only.
* A text that is a single paragraph gets exactly the passage classifier's labels.
* Evidence: for each dimension and side, the author's own sentences with the
  highest probability of that side, then the strongest reported view, each
  with its probability and attribution (None for the author's own voice).
  The author's sentences are taken from the paragraphs the classifier labels
  ``for`` or ``against`` on that dimension, the paragraphs that decide the
  label; a text with label ``none`` has no evidence of its own voice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import numpy as np
from spacy.tokens import Doc, Span

from ..models.labels import DIMENSIONS, STANCE_DIMENSIONS
from ..pipeline.cues import attribution
from ..pipeline.doc_index import has_word, sentences_of
from ..pipeline.excerpts import excerpt
from ..pipeline.keys import TITLE_KEY

if TYPE_CHECKING:
    from ..models.model import PassageModel  # imports scikit-learn: a Verdict alone needs none

#: Evidence sentences in the author's voice kept per dimension and side (plus one reported view).
EVIDENCE_PER_SIDE = 2
#: A sentence below this probability of a side is not evidence for it.
EVIDENCE_MIN_PROBABILITY = 0.2


@dataclass
class Verdict:
    """Document-level fields plus the per-paragraph table behind them."""

    feasibility_score: float | None
    feasibility_label: str
    desirability_score: float | None
    desirability_label: str
    realist_share: float | None
    institutionalist_share: float | None
    framing_label: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    passages: list[dict[str, Any]] = field(default_factory=list)
    #: The passage model's decision weights the scores were computed with (see :func:`stance_score`).
    decision_weights: dict[str, dict[str, float]] = field(default_factory=dict, repr=False)

    #: The document fields, named as in the result JSON and the score table.
    FIELDS = (
        "feasibility_score",
        "feasibility_label",
        "desirability_score",
        "desirability_label",
        "realist_share",
        "institutionalist_share",
        "framing_label",
        "evidence",
    )

    def __getitem__(self, name: str) -> Any:
        """``verdict["feasibility_label"]``: a document field by its name in the JSON and the score table."""
        if name not in self.FIELDS:
            raise KeyError(name)
        return getattr(self, name)

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self, name) if name in self.FIELDS else default

    def fields(self) -> dict[str, Any]:
        """The document fields, named as in the result JSON and the score table."""
        return {name: getattr(self, name) for name in self.FIELDS}


def class_probabilities(
    model: PassageModel, units: Sequence[Span]
) -> tuple[dict[str, dict[str, np.ndarray]], dict[str, list[str]]]:
    """``{dimension: {class: probabilities over units}}`` and the classifier's labels per unit."""
    if not units:
        empty = {dim: {c: np.zeros(0) for c in model.classes_[dim]} for dim in DIMENSIONS}
        return empty, {dim: [] for dim in DIMENSIONS}
    probs = model.predict_proba(list(units))
    by_class = {dim: {c: probs[dim][:, i] for i, c in enumerate(model.classes_[dim])} for dim in DIMENSIONS}
    return by_class, model.decide(probs)


def _author_voice(paragraph: Span) -> Span | None:
    """The paragraph without its reported-view sentences (None if nothing is left).

    The rest is an :func:`~ggtext.pipeline.excerpts.excerpt`: the same tokens
    and spans in a Doc of its own, never a second parse.
    """
    sentences = sentences_of(paragraph)
    own = [s for s in sentences if attribution(s) is None]
    if len(own) == len(sentences):
        return paragraph
    if not own:
        return None
    return excerpt(own)


def decision_weights_of(model: PassageModel) -> dict[str, dict[str, float]]:
    """The model's per-class decision weights (``predict`` = argmax of p * w); 1 for a model without them."""
    weights = getattr(model, "decision_weights", None)
    return weights if weights else {dim: {c: 1.0 for c in model.classes_[dim]} for dim in DIMENSIONS}


def stance_score(p_for, p_against, weights: dict[str, float]):
    """The share of the decision-weighted stance mass that is ``for``: ``w_f p_f / (w_f p_f + w_a p_a)``.

    The passage classifier labels a unit ``for`` only when ``w_f p_f`` is the largest weighted
    probability and ``against`` only when ``w_a p_a`` is, so a ``for`` unit scores at least 0.5 and
    an ``against`` unit at most 0.5: score and label cannot disagree. (For a ``none`` unit the
    score says which side it leans to.) NaN where both are 0.
    """
    weighted_for = np.asarray(p_for, dtype=float) * weights["for"]
    mass = weighted_for + np.asarray(p_against, dtype=float) * weights["against"]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(mass > 0, weighted_for / np.where(mass > 0, mass, 1.0), np.nan)


def _stance(p_for: np.ndarray, p_against: np.ndarray, labels: list[str]) -> tuple[float | None, str]:
    """Document score: the calibrated stance share, each unit weighted by its stance mass; the label
    follows the score (``none`` when no unit is labelled ``for`` or ``against``)."""
    weight = p_for + p_against
    if weight.size == 0 or np.sum(weight) == 0:
        return None, "none"
    score = round(float(np.sum(weight * p_for) / np.sum(weight * weight)), 4)
    if not any(label != "none" for label in labels):
        return score, "none"
    return score, "for" if score >= 0.5 else "against"


def _framing(p_realist: np.ndarray, p_inst: np.ndarray, labels: list[str]) -> tuple[float | None, float | None, str]:
    if p_realist.size == 0:
        return None, None, "none"
    realist, inst = float(p_realist.mean()), float(p_inst.mean())
    if not any(label != "none" for label in labels):
        label = "none"
    else:
        label = "realist" if realist > inst else "institutionalist"
    return round(realist, 4), round(inst, 4), label


def _single_paragraph(
    probs: dict[str, dict[str, np.ndarray]], labels: dict[str, list[str]], weights: dict[str, dict[str, float]]
) -> dict[str, Any]:
    """Labels exactly as the passage classifier gives them for one paragraph."""
    out: dict[str, Any] = {}
    for dim in STANCE_DIMENSIONS:
        p = probs[dim]
        score = float(stance_score(p["for"][:1], p["against"][:1], weights[dim])[0])
        out[f"{dim}_score"] = None if np.isnan(score) else round(score, 4)
        out[f"{dim}_label"] = labels[dim][0]
    f = probs["framing"]
    out["realist_share"] = round(float(f["realist"][0]), 4)
    out["institutionalist_share"] = round(float(f["institutionalist"][0]), 4)
    out["framing_label"] = labels["framing"][0]
    return out


def _evidence_candidates(paragraphs: Sequence[Span], passages: list[dict[str, Any]]):
    """Sentences that may be evidence, their attributions, and per dimension which may count.

    Reported views always are candidates; the author's own sentences only for
    the dimensions on which their paragraph is labelled ``for`` or ``against``.
    """
    sentences: list[Span] = []
    attributions: list[str | None] = []
    allowed: dict[str, list[bool]] = {dim: [] for dim in STANCE_DIMENSIONS}
    for paragraph, row in zip(paragraphs, passages):
        stance = {dim: row[f"{dim}_label"] in ("for", "against") for dim in STANCE_DIMENSIONS}
        for sentence in sentences_of(paragraph):
            source = attribution(sentence)
            if (source is None and not any(stance.values())) or not has_word(sentence):
                continue
            sentences.append(sentence)
            attributions.append(source)
            for dim in STANCE_DIMENSIONS:
                allowed[dim].append(source is not None or stance[dim])
    return sentences, attributions, allowed


def _evidence(
    sentences: list[Span],
    attributions: list[str | None],
    allowed: dict[str, list[bool]],
    probs: dict[str, dict[str, np.ndarray]],
) -> list[dict[str, Any]]:
    """The sentences that weigh most on each side of each stance dimension.

    Per dimension and side: the ``EVIDENCE_PER_SIDE`` sentences in the author's
    own voice with the highest probability of that side, then the strongest
    reported view (marked by its ``attribution``; it does not count in the
    verdict). A sentence qualifies when it is ``allowed`` for the dimension,
    that side is likelier than the other and its probability is at least
    ``EVIDENCE_MIN_PROBABILITY``.
    """
    items: list[dict[str, Any]] = []
    for dim in STANCE_DIMENSIONS:
        for side, other in (("for", "against"), ("against", "for")):
            p, q = probs[dim][side], probs[dim][other]
            # stable order: highest probability first, earlier sentence on ties
            ranked = [
                i
                for i in sorted(range(len(sentences)), key=lambda i: (-p[i], i))
                if allowed[dim][i] and p[i] >= EVIDENCE_MIN_PROBABILITY and p[i] > q[i]
            ]
            own = [i for i in ranked if attributions[i] is None][:EVIDENCE_PER_SIDE]
            reported = [i for i in ranked if attributions[i] is not None][:1]
            for i in own + reported:
                s = sentences[i]
                items.append(
                    {
                        "dimension": dim,
                        "label": side,
                        "probability": round(float(p[i]), 4),
                        "attribution": attributions[i],
                        "text": s.text.strip(),
                        "start_char": s.start_char,
                        "end_char": s.end_char,
                    }
                )
    return items


def document_verdict(doc: Doc, model: PassageModel) -> Verdict:
    """Score a processed ``doc`` with a passage ``model`` (see the module docstring)."""
    return document_verdicts([doc], model)[0]


def document_verdicts(docs: Sequence[Doc], model: PassageModel) -> list[Verdict]:
    """The verdicts of many processed Docs, as :func:`document_verdict` gives them one by one.

    The model is called twice for all of them (paragraphs, then evidence
    candidates) rather than twice per Doc: scikit-learn's per-call checks cost
    more than the features of a short speech.
    """
    weights = decision_weights_of(model)
    titles = [list(doc.spans[TITLE_KEY]) if TITLE_KEY in doc.spans else [] for doc in docs]
    # The title is a unit like a paragraph (codebook v1.3: "a title is part of the text"), first.
    voiced = [[(p, _author_voice(p)) for p in [*title, *doc._.ggtext.paragraphs]] for doc, title in zip(docs, titles)]
    units = [[v for _, v in pairs if v is not None] for pairs in voiced]
    unit_probs = _split(*class_probabilities(model, [u for group in units for u in group]), [len(g) for g in units])
    rows_with_titles = [_passage_rows(pairs, *found) for pairs, found in zip(voiced, unit_probs)]
    passages = [rows[len(title) :] for rows, title in zip(rows_with_titles, titles)]
    for rows in passages:
        for index, row in enumerate(rows):
            row["paragraph"] = index

    candidates = [_evidence_candidates([p for p, _ in pairs], rows) for pairs, rows in zip(voiced, rows_with_titles)]
    sentences = [c[0] for c in candidates]
    sentence_probs = _split(
        *class_probabilities(model, [s for group in sentences for s in group]), [len(g) for g in sentences]
    )

    verdicts = []
    for pairs, (probs, labels), rows, (doc_sentences, attributions, allowed), (s_probs, _) in zip(
        voiced, unit_probs, passages, candidates, sentence_probs
    ):
        evidence = _evidence(doc_sentences, attributions, allowed, s_probs)
        single = len(pairs) == 1 and pairs[0][1] is pairs[0][0]  # one unit, all in the author's voice
        verdicts.append(_verdict(single, probs, labels, evidence, rows, weights))
    return verdicts


def _split(probs: dict[str, dict[str, np.ndarray]], labels: dict[str, list[str]], sizes: list[int]):
    """Per-unit results of one model call cut back into consecutive groups of ``sizes``."""
    out = []
    start = 0
    for size in sizes:
        end = start + size
        out.append(
            (
                {dim: {c: p[start:end] for c, p in by_class.items()} for dim, by_class in probs.items()},
                {dim: found[start:end] for dim, found in labels.items()},
            )
        )
        start = end
    return out


def _verdict(
    single_paragraph: bool,
    probs,
    labels,
    evidence: list[dict[str, Any]],
    passages: list[dict[str, Any]],
    weights: dict[str, dict[str, float]],
) -> Verdict:
    if single_paragraph:
        return Verdict(
            **_single_paragraph(probs, labels, weights), evidence=evidence, passages=passages, decision_weights=weights
        )

    feas_score, feas_label = _stance(
        probs["feasibility"]["for"], probs["feasibility"]["against"], labels["feasibility"]
    )
    des_score, des_label = _stance(
        probs["desirability"]["for"], probs["desirability"]["against"], labels["desirability"]
    )
    realist, inst, framing = _framing(
        probs["framing"]["realist"], probs["framing"]["institutionalist"], labels["framing"]
    )
    return Verdict(
        feasibility_score=feas_score,
        feasibility_label=feas_label,
        desirability_score=des_score,
        desirability_label=des_label,
        realist_share=realist,
        institutionalist_share=inst,
        framing_label=framing,
        evidence=evidence,
        passages=passages,
        decision_weights=weights,
    )


def _passage_rows(voiced: Iterable[tuple[Span, Span | None]], probs, labels) -> list[dict[str, Any]]:
    """One row per paragraph: the passage classifier's labels and probabilities."""
    rows = []
    k = 0
    for index, (paragraph, unit) in enumerate(voiced):
        row: dict[str, Any] = {
            "paragraph": index,
            "start_char": paragraph.start_char,
            "end_char": paragraph.end_char,
            "reported_only": unit is None,
        }
        for dim in DIMENSIONS:
            if unit is None:
                row[f"{dim}_label"] = None
                continue
            row[f"{dim}_label"] = labels[dim][k]
            for c, p in probs[dim].items():
                row[f"{dim}_p_{c}"] = round(float(p[k]), 4)
        k += unit is not None
        rows.append(row)
    return rows

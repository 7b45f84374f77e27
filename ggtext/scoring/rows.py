"""Score-table rows from a processed Doc: one per document, paragraph or sentence.

Rows are plain dicts with exactly the columns of :mod:`ggtext.scoring.schema`,
so they pickle cheaply between processes and become Arrow tables in one call.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Iterable

import numpy as np
from spacy.attrs import IS_PUNCT, IS_SPACE
from spacy.tokens import Doc, Span

from ..knowledge import load_knowledge_base
from ..pipeline.doc_index import has_word, sentences_of
from .schema import PROBABILITY_FIELDS, columns
from .verdict import class_probabilities, decision_weights_of, stance_score


def dumps(value: Any) -> str:
    """Compact, deterministic JSON (keys sorted, UTF-8 kept) for the nested columns."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _word_counts(doc: Doc) -> np.ndarray:
    """Cumulative word counts: words in tokens [a, b) = ``c[b] - c[a]``.

    A word is a token that is neither punctuation nor space (textacy's
    ``n_words``, as in ``Analysis.statistics``), counted in one vectorised pass.
    """
    flags = doc.to_array([IS_PUNCT, IS_SPACE]).reshape(len(doc), 2)
    words = ~(flags[:, 0].astype(bool) | flags[:, 1].astype(bool))
    return np.concatenate([[0], np.cumsum(words, dtype=np.int64)])


def actor_counts(spans: Iterable[Span]) -> str:
    """``[{"id": ..., "mentions": n}]`` as JSON, ordered as ``actor_table``: most mentions, then first seen."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for span in spans:
        if span.label_:
            counts[span.label_] += 1
            first[span.label_] = min(first.get(span.label_, span.start_char), span.start_char)
    ordered = sorted(counts, key=lambda actor: (-counts[actor], first[actor]))
    return dumps([{"id": actor, "mentions": counts[actor]} for actor in ordered])


def _base(item_id: str, metadata: str, versions: dict[str, str], unit: str, place: dict[str, Any]) -> dict[str, Any]:
    row = dict.fromkeys(columns(unit))
    row.update(id=item_id, metadata=metadata, ggtext_version=versions["ggtext"], model_version=versions["model"])
    row.update(place)
    return row


def _whole_number(value: Any) -> int | None:
    """``value`` as an int when it is a whole number (2015, "2015", 2015.0), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def place_fields(metadata: dict[str, Any] | None) -> dict[str, Any]:
    """``iso3``, ``year`` and ``country`` from a document's metadata (nulls where unknown).

    ``country`` is the state's first name in the shipped knowledge base
    (``states.yaml``); an ``iso3`` that names no state keeps a null country.
    """
    metadata = metadata or {}
    iso3 = metadata.get("iso3")
    iso3 = iso3.strip().upper() if isinstance(iso3, str) and iso3.strip() else None
    year = _whole_number(metadata.get("year"))
    if year is not None and not -(2**31) <= year < 2**31:
        year = None
    actor = load_knowledge_base().actors.get(iso3) if iso3 else None
    country = actor.names[0] if actor is not None and actor.type == "state" else None
    return {"iso3": iso3, "year": year, "country": country}


def metadata_json(metadata: dict[str, Any]) -> str:
    return dumps(metadata or {})


def error_row(item_id: str, message: str, versions: dict[str, str], unit: str, metadata: dict | None = None) -> dict:
    """The row of a document that could not be scored: id, error and versions."""
    row = _base(item_id, metadata_json(metadata or {}), versions, unit, place_fields(metadata))
    row["error"] = message
    return row


def classifier_fields(
    probs: dict[str, dict[str, float]], labels: dict[str, str], weights: dict[str, dict[str, float]]
) -> dict[str, Any]:
    """Table fields of one unit from its class probabilities ``{dimension: {class: p}}``.

    ``labels`` are the passage classifier's own labels (its tuned decision
    rule, ``StanceModel.decide``); score = the decision-weighted share ``for``
    (:func:`~ggtext.scoring.verdict.stance_score`, so a ``for`` unit scores at
    least 0.5 and an ``against`` unit at most 0.5); shares = p(realist),
    p(institutionalist). Mirrors the verdict's single-paragraph case.
    """
    out: dict[str, Any] = {}
    for dim in ("feasibility", "desirability"):
        p = probs[dim]
        score = float(stance_score([p["for"]], [p["against"]], weights[dim])[0])
        out[f"{dim}_score"] = None if np.isnan(score) else round(score, 4)
        out[f"{dim}_label"] = labels[dim]
    framing = probs["framing"]
    out["realist_share"] = round(float(framing["realist"]), 4)
    out["institutionalist_share"] = round(float(framing["institutionalist"]), 4)
    out["framing_label"] = labels["framing"]
    return out


def probability_fields(probs: dict[str, dict[str, float]]) -> dict[str, float]:
    """The ``{dimension}_p_{class}`` columns of one unit, rounded to 4 digits as the verdict's passages."""
    out = {}
    for name in PROBABILITY_FIELDS:
        dim, _, cls = name.partition("_p_")
        out[name] = round(float(probs[dim][cls]), 4)
    return out


def _passage_probs(passage: dict[str, Any]) -> dict[str, dict[str, float]] | None:
    """``{dimension: {class: p}}`` from a verdict passage row (None for reported-only paragraphs)."""
    if passage.get("reported_only"):
        return None
    probs: dict[str, dict[str, float]] = {}
    for key, value in passage.items():
        dim, sep, cls = key.partition("_p_")
        if sep:
            probs.setdefault(dim, {})[cls] = value
    return probs


def document_row(
    doc: Doc, document: Any, verdict: Any, versions: dict[str, str], *, metadata: str | None = None
) -> dict[str, Any]:
    """The document's row: its verdict, actors and top evidence."""
    place = place_fields(document.metadata)
    row = _base(document.id, metadata or metadata_json(document.metadata), versions, "document", place)
    fields = verdict.fields()
    row.update({k: fields[k] for k in fields if k != "evidence"})
    row["n_words"] = int(_word_counts(doc)[-1])
    row["actors"] = actor_counts(doc._.ggtext.actors)
    row["evidence"] = dumps(fields["evidence"])
    return row


def paragraph_rows(doc: Doc, document: Any, verdict: Any, versions: dict[str, str]) -> list[dict[str, Any]]:
    """One row per body paragraph with the passage classifier's labels for it.

    Labels are those of the paragraph in the author's voice (reported-view
    sentences removed, as in the verdict); a paragraph made only of reported
    views has null scores and labels. Evidence: the document's evidence sentences inside it.
    """
    metadata = metadata_json(document.metadata)
    place = place_fields(document.metadata)
    words = _word_counts(doc)
    actors = doc._.ggtext.actors
    evidence = verdict.fields()["evidence"]
    rows = []
    for passage, span in zip(verdict.passages, doc._.ggtext.paragraphs):
        row = _base(document.id, metadata, versions, "paragraph", place)
        row.update(paragraph=passage["paragraph"], start_char=span.start_char, end_char=span.end_char)
        row["n_words"] = int(words[span.end] - words[span.start])
        probs = _passage_probs(passage)
        if probs is not None:  # else: only reported views, nothing of the author's to label (nulls)
            labels = {dim: passage[f"{dim}_label"] for dim in probs}
            row.update(classifier_fields(probs, labels, verdict.decision_weights))
            row.update(probability_fields(probs))
        row["actors"] = actor_counts(a for a in actors if a.start >= span.start and a.end <= span.end)
        row["evidence"] = dumps(
            [e for e in evidence if e["start_char"] >= span.start_char and e["end_char"] <= span.end_char]
        )
        row["text"] = span.text
        rows.append(row)
    return rows


def sentence_rows(doc: Doc, document: Any, model: Any, versions: dict[str, str]) -> list[dict[str, Any]]:
    """One row per sentence that has a word, with the classifier's labels for that sentence."""
    metadata = metadata_json(document.metadata)
    place = place_fields(document.metadata)
    words = _word_counts(doc)
    actors = doc._.ggtext.actors
    located: list[tuple[int, int, Span]] = [
        (p_index, s_index, sentence)
        for p_index, paragraph in enumerate(doc._.ggtext.paragraphs)
        for s_index, sentence in enumerate(sentences_of(paragraph))
        if has_word(sentence)
    ]
    probs, labels = class_probabilities(model, [s for _, _, s in located])
    weights = decision_weights_of(model)
    rows = []
    for k, (p_index, s_index, sentence) in enumerate(located):
        row = _base(document.id, metadata, versions, "sentence", place)
        row.update(paragraph=p_index, sentence=s_index, start_char=sentence.start_char, end_char=sentence.end_char)
        row["n_words"] = int(words[sentence.end] - words[sentence.start])
        unit_probs = {dim: {c: p[k] for c, p in by_class.items()} for dim, by_class in probs.items()}
        row.update(classifier_fields(unit_probs, {dim: labels[dim][k] for dim in labels}, weights))
        row.update(probability_fields(unit_probs))
        row["actors"] = actor_counts(a for a in actors if a.start >= sentence.start and a.end <= sentence.end)
        row["evidence"] = None  # a sentence is its own evidence
        row["attribution"] = sentence._.ggtext.attribution
        row["text"] = sentence.text
        rows.append(row)
    return rows

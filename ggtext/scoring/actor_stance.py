"""Stance toward each actor: desirability and feasibility of every governance actor a Doc names.

How it is computed (also in the README):

* Only governance actors count: mentions whose knowledge-base type is in
  :data:`~ggtext.models.features.GOVERNANCE_ACTOR_TYPES` (no states, no
  generic categories such as "migrants").
* A mention is judged by the *clause* that holds it, not by its whole
  sentence or paragraph. Sentences are cut into clauses at the contrastive and
  coordinating boundaries of ``ggtext/data/actor_stance.yaml`` (", but", ";",
  ", whereas", a sentence-opening "Although ...,", ...). Clauses are Spans of
  the same Doc (``doc[start:end]``), never re-parsed, and all the clauses of a
  Doc go to the passage model in one call.
* A clause's voice is its sentence's attribution
  (:func:`~ggtext.pipeline.cues.attribution`), narrowed to the clause: a
  reporting frame later in the sentence does not reach back, and a clause that
  opens with "we"/"I" after a boundary ("..., but we believe ...") is the
  author's again. An actor that is the source of its clause ("UNHCR tells us
  that ...", "according to the IOM, ...") makes the clause reported too.
  Reported clauses are kept and marked; they never set the author's labels
  (they get ``reported_*`` fields of their own).
* Per actor and dimension, over its clauses, as the verdict aggregates
  paragraphs (:mod:`ggtext.scoring.verdict`): a clause weighs its stance mass
  ``w = p(for) + p(against)``, ``score = sum(w * p(for)) / sum(w * w)``; the
  label is ``none`` when the model labels none of the clauses ``for`` or
  ``against``, else it follows the score. An actor named in one clause gets
  exactly the model's label for it and the decision-weighted share as its
  score (as a one-unit text does), so the two agree.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import yaml
from spacy.tokens import Doc, Span

from ..config import PACKAGE_DATA
from ..errors import InputError
from ..models.features import GOVERNANCE_ACTOR_TYPES
from ..models.labels import STANCE_DIMENSIONS
from ..models.model import PassageModel
from ..pipeline.actors import actor_type
from ..pipeline.cues import attribution
from ..pipeline.doc_index import sentence_of
from ..pipeline.keys import ACTORS_KEY, CUES_KEY, PARAGRAPHS_KEY
from .verdict import _stance, decision_weights_of, stance_score

#: The clause boundaries and voice rules.
SETTINGS_FILE = PACKAGE_DATA / "actor_stance.yaml"
#: Units of :func:`actor_stance`: one row per actor for the whole Doc, or per paragraph and actor.
UNITS = ("document", "paragraph")


@dataclass(frozen=True)
class ClauseRules:
    """The rules of ``actor_stance.yaml``, phrases as tuples of lower-cased tokens."""

    boundaries: tuple[tuple[str, ...], ...]
    exceptions: tuple[tuple[str, ...], ...]
    openers: tuple[tuple[str, ...], ...]
    min_clause_words: int
    own_voice: tuple[tuple[str, ...], ...]
    boundary_words: frozenset[str]
    source_verbs: frozenset[str] = frozenset()
    source_frames: tuple[tuple[str, ...], ...] = ()
    source_window: int = 0


@lru_cache(maxsize=4)
def load_rules(path: str | Path = SETTINGS_FILE) -> ClauseRules:
    """Read and check a clause-rules file (default: the shipped ``actor_stance.yaml``)."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    expected = {
        "boundaries",
        "exceptions",
        "openers",
        "min_clause_words",
        "own_voice",
        "source_verbs",
        "source_frames",
        "source_window",
    }
    if set(data) != expected:
        raise InputError(f"{path}: expected the keys {sorted(expected)}, found {sorted(data)}")

    def phrases(key: str) -> tuple[tuple[str, ...], ...]:
        items = data[key]
        if not isinstance(items, list) or not all(isinstance(p, str) and p.split() for p in items):
            raise InputError(f"{path}: {key!r} must be a list of non-empty strings")
        # ", but" is the tokens "," and "but"
        return tuple(tuple(p.lower().replace(",", " , ").replace(";", " ; ").split()) for p in items)

    for key in ("min_clause_words", "source_window"):
        if not isinstance(data[key], int) or data[key] < 1:
            raise InputError(f"{path}: {key!r} must be a positive integer")
    boundaries = phrases("boundaries")
    return ClauseRules(
        boundaries=tuple(sorted(boundaries, key=len, reverse=True)),  # longest first
        exceptions=phrases("exceptions"),
        openers=tuple(sorted(phrases("openers"), key=len, reverse=True)),
        min_clause_words=data["min_clause_words"],
        own_voice=phrases("own_voice"),
        source_verbs=frozenset(w for p in phrases("source_verbs") for w in p),
        source_frames=phrases("source_frames"),
        source_window=data["source_window"],
        boundary_words=frozenset(next(w for w in p if w.isalpha()) for p in boundaries if any(w.isalpha() for w in p)),
    )


def _matches(words: Sequence[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(words[i : i + len(phrase)]) == phrase


def _is_word(token) -> bool:
    return not (token.is_punct or token.is_space)


def clauses(sentence: Span, rules: ClauseRules | None = None) -> list[Span]:
    """``sentence`` cut into clauses at the boundaries of ``rules``: Spans of the same Doc."""
    rules = rules or load_rules()
    doc = sentence.doc
    words = [t.lower_ for t in sentence]
    cuts: list[int] = []  # token offsets within the sentence where a clause starts
    first = next((i for i, t in enumerate(sentence) if not t.is_space and not t.is_quote), 0)
    if any(_matches(words, first, opener) for opener in rules.openers) and "," in words[first:]:
        cuts.append(words.index(",", first) + 1)
    for i in range(len(words)):
        for phrase in rules.boundaries:
            if _matches(words, i, phrase):
                lead = next((k for k, w in enumerate(phrase) if w.isalpha()), len(phrase))
                cut = i + lead
                if not any(_matches(words, cut, e) for e in rules.exceptions):
                    cuts.append(cut)
                break
    names = doc.spans[ACTORS_KEY] if ACTORS_KEY in doc.spans else []
    inside = {
        i - sentence.start for a in names if sentence.start <= a.start < sentence.end for i in range(a.start + 1, a.end)
    }
    cuts = [c for c in cuts if c not in inside]  # never inside a name ("... Relief and Works Agency ...")
    counts = np.concatenate([[0], np.cumsum([_is_word(t) for t in sentence])])
    kept: list[int] = []
    for cut in sorted(set(cuts)):
        before = counts[cut] - counts[kept[-1] if kept else 0]
        if (
            0 < cut < len(words)
            and before >= rules.min_clause_words
            and counts[-1] - counts[cut] >= rules.min_clause_words
        ):
            kept.append(cut)
    bounds = [0, *kept, len(words)]
    return [doc[sentence.start + a : sentence.start + b] for a, b in zip(bounds, bounds[1:])]


def _opens_in_own_voice(clause: Span, rules: ClauseRules) -> bool:
    words = [t.lower_ for t in clause if _is_word(t)]
    k = 0
    while k < len(words) and words[k] in rules.boundary_words:
        k += 1
    return any(_matches(words, k, phrase) for phrase in rules.own_voice)


def _frames(doc: Doc) -> list[Span]:
    cues = doc.spans[CUES_KEY] if CUES_KEY in doc.spans else []
    return sorted((c for c in cues if c.label_ == "ATTRIBUTION"), key=lambda c: c.start)


def actor_source(clause: Span, mentions: list[Span], rules: ClauseRules) -> str | None:
    """The text of an actor mention in ``clause`` that is the source of what it says, or None.

    "UNHCR tells us that ...", "the IOM has reported ...", "according to UNHCR, ...":
    a source verb within ``source_window`` tokens after the mention, or a source frame
    ending at most that many tokens before it.
    """
    doc = clause.doc
    for mention in mentions:
        if not (clause.start <= mention.start < clause.end):
            continue
        after = doc[mention.end : min(mention.end + rules.source_window, clause.end)]
        if any(t.lower_ in rules.source_verbs for t in after):
            return mention.text
        words = [t.lower_ for t in doc[max(clause.start, mention.start - rules.source_window - 3) : mention.start]]
        if any(_matches(words, i, f) for f in rules.source_frames for i in range(len(words))):
            return mention.text
    return None


def clause_attribution(
    clause: Span, sentence: Span, frames: list[Span], rules: ClauseRules, mentions: list[Span] = ()
) -> str | None:
    """The source a clause reports, None in the author's voice (see the module docstring).

    ``mentions``: the governance-actor mentions, for :func:`actor_source` (an actor as the source).
    """
    source = attribution(sentence)
    if source is None:
        return actor_source(clause, list(mentions), rules)
    starts = [f.start for f in frames]
    inside = frames[bisect_left(starts, sentence.start) : bisect_left(starts, sentence.end)]
    if not inside:  # the sentence continues a reported view of the one before
        return source
    before = [f for f in inside if f.start < clause.end]
    if not before:  # "We support UNHCR, but critics say ...": the frame comes later
        return actor_source(clause, list(mentions), rules)
    frame = before[-1]
    if frame.start < clause.start and _opens_in_own_voice(clause, rules):
        return actor_source(clause, list(mentions), rules)
    return frame.kb_id_ or frame.text


@dataclass
class _Unit:
    """One clause that names an actor, with the mentions of it inside."""

    actor: str
    clause: Span
    sentence: Span
    attribution: str | None
    paragraph: int | None
    mentions: int = 1


def governance_mentions(doc: Doc) -> list[Span]:
    """The Doc's mentions of governance actors (no states, no generic categories)."""
    mentions = doc.spans[ACTORS_KEY] if ACTORS_KEY in doc.spans else []
    return [m for m in mentions if m.label_ and actor_type(m) in GOVERNANCE_ACTOR_TYPES]


def actor_units(doc: Doc, rules: ClauseRules | None = None) -> list[_Unit]:
    """One unit per (clause, actor): the clause that holds each governance-actor mention."""
    rules = rules or load_rules()
    frames = _frames(doc)
    paragraphs = list(doc.spans[PARAGRAPHS_KEY]) if PARAGRAPHS_KEY in doc.spans else []
    p_starts = [p.start for p in paragraphs]
    cut: dict[int, list[Span]] = {}
    units: dict[tuple[str, int, int], _Unit] = {}
    mentions = governance_mentions(doc)
    starts = [m.start for m in mentions]
    for mention in mentions:
        sentence = sentence_of(doc, mention.start)
        if sentence.start not in cut:
            cut[sentence.start] = clauses(sentence, rules)
        clause = next(c for c in cut[sentence.start] if c.start <= mention.start < c.end)
        key = (mention.label_, clause.start, clause.end)
        if key in units:
            units[key].mentions += 1
            continue
        k = bisect_right(p_starts, mention.start) - 1
        paragraph = k if k >= 0 and mention.start < paragraphs[k].end else None
        near = mentions[bisect_left(starts, clause.start) : bisect_left(starts, clause.end)]
        units[key] = _Unit(
            mention.label_, clause, sentence, clause_attribution(clause, sentence, frames, rules, near), paragraph
        )
    return list(units.values())


def score_units(units: list[_Unit], model: PassageModel) -> list[dict[str, Any]]:
    """The model's probabilities and labels for each unit's clause: one call for all of them."""
    if not units:
        return []
    spans: dict[tuple[int, int], Span] = {}
    for unit in units:
        spans.setdefault((unit.clause.start, unit.clause.end), unit.clause)
    order = {key: i for i, key in enumerate(spans)}
    probs = model.predict_proba(list(spans.values()))
    labels = model.decide(probs)
    scored = []
    for unit in units:
        i = order[(unit.clause.start, unit.clause.end)]
        scored.append(
            {
                dim: {
                    "label": labels[dim][i],
                    "p": {c: round(float(probs[dim][i, j]), 4) for j, c in enumerate(model.classes_[dim])},
                }
                for dim in STANCE_DIMENSIONS
            }
        )
    return scored


def aggregate(scored: list[dict[str, Any]], dim: str, weights: dict[str, float]) -> tuple[float | None, str]:
    """Score and label of one dimension over some clauses, as the verdict aggregates units.

    One clause: the model's label and the decision-weighted share
    (:func:`~ggtext.scoring.verdict.stance_score`), so they agree. Several: the
    stance-mass-weighted share of the calibrated probabilities
    (:func:`~ggtext.scoring.verdict._stance`), and the label follows it.
    """
    p_for = np.array([s[dim]["p"]["for"] for s in scored], dtype=float)
    p_against = np.array([s[dim]["p"]["against"] for s in scored], dtype=float)
    if len(scored) == 1:
        score = float(stance_score(p_for, p_against, weights)[0])
        return (None if np.isnan(score) else round(score, 4)), scored[0][dim]["label"]
    return _stance(p_for, p_against, [s[dim]["label"] for s in scored])


def _evidence(unit: _Unit, scored: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "text": unit.sentence.text.strip(),
        "start_char": unit.sentence.start_char,
        "end_char": unit.sentence.end_char,
        "clause": unit.clause.text.strip(),
        "clause_start_char": unit.clause.start_char,
        "clause_end_char": unit.clause.end_char,
        "attribution": unit.attribution,
        "mentions": unit.mentions,
    }
    for dim in STANCE_DIMENSIONS:
        label = scored[dim]["label"]
        item[f"{dim}_label"] = label
        item[f"{dim}_probability"] = scored[dim]["p"][label]
        item[f"{dim}_probabilities"] = scored[dim]["p"]
    return item


def _row(
    actor: str,
    actor_type: str | None,
    paragraph: int | None,
    pairs: list[tuple[_Unit, dict]],
    weights: dict[str, dict[str, float]],
) -> dict[str, Any]:
    own = [s for u, s in pairs if u.attribution is None]
    reported = [s for u, s in pairs if u.attribution is not None]
    row: dict[str, Any] = {
        "actor": actor,
        "type": actor_type,
        "paragraph": paragraph,
        "mentions": sum(u.mentions for u, _ in pairs),
        "voice": "author" if own else "reported",
        "reported_by": sorted({u.attribution for u, _ in pairs if u.attribution is not None}),
    }
    for dim in STANCE_DIMENSIONS:
        score, label = aggregate(own, dim, weights[dim]) if own else (None, "none")
        row[f"{dim}_label"], row[f"{dim}_score"] = label, score
    for dim in STANCE_DIMENSIONS:
        score, label = aggregate(reported, dim, weights[dim]) if reported else (None, None)
        row[f"reported_{dim}_label"], row[f"reported_{dim}_score"] = label, score
    row["evidence"] = [_evidence(u, s) for u, s in pairs]
    return row


def actor_stance(
    doc: Doc,
    model: PassageModel,
    *,
    unit: str = "document",
    split_clauses: bool = True,
    rules: ClauseRules | None = None,
) -> list[dict[str, Any]]:
    """One record per governance actor the Doc names (per paragraph and actor with ``unit="paragraph"``).

    Fields: ``actor``, ``type``, ``paragraph`` (None for the document), ``mentions``,
    ``voice`` (``author`` when at least one clause about it is the author's own, else
    ``reported``), ``reported_by``, ``desirability_label``/``_score`` and
    ``feasibility_label``/``_score`` from the author's clauses, the same with
    ``reported_`` from reported clauses, and ``evidence``: every clause naming the
    actor with its sentence, offsets, labels, probabilities and attribution.
    Ordered by mentions, then first mention. The model is called once.
    ``split_clauses=False`` scores whole sentences instead of clauses; ``rules``
    replaces the shipped clause rules (:func:`load_rules`).
    """
    if unit not in UNITS:
        raise InputError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    rules = rules or load_rules()
    if not split_clauses:
        rules = dataclasses.replace(rules, boundaries=(), openers=())
    units = actor_units(doc, rules)
    scored = score_units(units, model)
    weights = decision_weights_of(model)
    groups: dict[tuple[str, int | None], list[tuple[_Unit, dict]]] = {}
    for u, s in zip(units, scored):
        if unit == "paragraph" and u.paragraph is None:
            continue  # a title's mentions count for the document only
        groups.setdefault((u.actor, u.paragraph if unit == "paragraph" else None), []).append((u, s))
    types = {m.label_: actor_type(m) for m in governance_mentions(doc)}
    rows = [_row(actor, types[actor], paragraph, pairs, weights) for (actor, paragraph), pairs in groups.items()]
    first = {key: min(u.clause.start for u, _ in pairs) for key, pairs in groups.items()}
    if unit == "paragraph":
        rows.sort(key=lambda r: (r["paragraph"], -r["mentions"], first[(r["actor"], r["paragraph"])]))
    else:
        rows.sort(key=lambda r: (-r["mentions"], first[(r["actor"], None)]))
    return rows


#: Columns of :func:`actor_stance_table` and of the long table, in order.
COLUMNS = (
    "actor",
    "type",
    "paragraph",
    "mentions",
    "voice",
    "reported_by",
    "desirability_label",
    "desirability_score",
    "feasibility_label",
    "feasibility_score",
    "reported_desirability_label",
    "reported_desirability_score",
    "reported_feasibility_label",
    "reported_feasibility_score",
    "evidence",
)


def actor_stance_table(doc: Doc, model: PassageModel, **options: Any):
    """:func:`actor_stance` (same options) as a pandas DataFrame (columns :data:`COLUMNS`)."""
    import pandas as pd

    return pd.DataFrame(actor_stance(doc, model, **options), columns=list(COLUMNS))


def actor_stance_rows(
    doc: Doc, document: Any, model: PassageModel, versions: dict[str, str], **options: Any
) -> list[dict[str, Any]]:
    """Long-table rows, one per document x actor (x paragraph): ``id`` is the document's id.

    As the other long tables (:mod:`ggtext.scoring.tidy`), rows carry ``iso3``, ``year`` and
    ``country`` (nulls where the metadata has none), then the columns of :func:`actor_stance`.

    ``reported_by`` and ``evidence`` are JSON strings, so the rows go to CSV,
    Parquet or JSONL as they are (``ggtext score --actor-stance OUT``). ``options``
    are those of :func:`actor_stance` (``unit="paragraph"``: one row per paragraph x actor).
    """
    from .rows import dumps, metadata_json, place_fields

    place = place_fields(getattr(document, "metadata", None))
    metadata = metadata_json(getattr(document, "metadata", None) or {})
    rows = []
    for record in actor_stance(doc, model, **options):
        row = {"id": document.id, **place, "metadata": metadata, **record}
        row["reported_by"] = dumps(record["reported_by"])
        row["evidence"] = dumps(record["evidence"])
        row["ggtext_version"] = versions.get("ggtext")
        row["model_version"] = versions.get("model")
        rows.append(row)
    return rows

"""Which passages to label next: uncertainty sampling plus predicted rare classes.

The corpus is scored at paragraph level with the passage model (as ``ggtext
score --unit paragraph``); each paragraph of the author's own voice with at
least ``MIN_WORDS`` words is a candidate. Two pools fill the batch:

* **rare**: up to ``rare_share`` of the batch goes to paragraphs the model
  labels with a rare class (feasibility or desirability ``against``, framing
  ``realist``), most probable first: the classes with fewest training
  examples gain most from more;
* **uncertain**: the rest by uncertainty, the mean over the three
  dimensions of the normalised entropy of the class probabilities (1 = all
  classes equally likely); the smallest margin between the two likeliest
  classes is recorded too.

At most ``per_doc`` paragraphs come from one document, so one long speech
does not fill the batch. Ties are broken by a random order drawn from
``numpy.random.default_rng(seed)``: the same corpus, model and seed give the
same batch.
"""

from __future__ import annotations

import json
import math
import warnings
from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np

from ..models.labels import CLASSES, DIMENSIONS, ID_SEPARATOR

#: Candidates need this many words (greetings and headings are not worth a label).
MIN_WORDS = 15
#: The rare classes: (dimension, class).
RARE_CLASSES = (("feasibility", "against"), ("desirability", "against"), ("framing", "realist"))
#: Share of the batch given to predicted rare classes at most.
RARE_SHARE = 0.25


class UnreadDocumentsWarning(UserWarning):
    """Some documents of the corpus could not be read (or scored): none of their passages is suggested."""


def unit_id(document_id: str, paragraph: int) -> str:
    """The codebook id of a paragraph: ``DOC#pN`` (N = the reader's 0-based body paragraph index)."""
    return f"{document_id}{ID_SEPARATOR}p{paragraph}"


def _probabilities(row: dict[str, Any]) -> dict[str, dict[str, float]]:
    return {dim: {c: float(row[f"{dim}_p_{c}"]) for c in CLASSES[dim]} for dim in DIMENSIONS}


def uncertainty(probs: dict[str, dict[str, float]]) -> tuple[float, float]:
    """(mean normalised entropy over the dimensions, smallest top-two margin)."""
    entropies, margins = [], []
    for dim in DIMENSIONS:
        p = np.array([probs[dim][c] for c in CLASSES[dim]], dtype=float)
        p = p / p.sum() if p.sum() > 0 else np.full(len(p), 1.0 / len(p))
        nonzero = p[p > 0]
        entropies.append(float(-(nonzero * np.log(nonzero)).sum() / math.log(len(p))))
        top = np.sort(p)[::-1]
        margins.append(float(top[0] - top[1]))
    return float(np.mean(entropies)), float(min(margins))


def normalised(text: str) -> str:
    """A text with its whitespace collapsed: how an already-labelled passage is recognised."""
    return " ".join(text.split())


def candidates(
    scores: Any, *, min_words: int = MIN_WORDS, exclude: Iterable[str] = (), exclude_texts: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Candidate records from a paragraph score table (rows with probabilities and enough words).

    ``exclude``: unit ids already labelled; ``exclude_texts``: their texts
    (matched with whitespace collapsed), which also catches a passage whose id
    was numbered by another reader version.
    """
    excluded = set(exclude)
    excluded_texts = {normalised(t) for t in exclude_texts}
    out = []
    ok = scores[scores["error"].isna() & scores["feasibility_p_for"].notna() & (scores["n_words"] >= min_words)]
    for row in ok.to_dict(orient="records"):
        uid = unit_id(row["id"], int(row["paragraph"]))
        if uid in excluded or normalised(row["text"]) in excluded_texts:
            continue
        probs = _probabilities(row)
        entropy, margin = uncertainty(probs)
        labels = {dim: row[f"{dim}_label"] for dim in DIMENSIONS}
        rare = [f"{dim}={cls}" for dim, cls in RARE_CLASSES if labels[dim] == cls]
        rare_p = max((probs[dim][cls] for dim, cls in RARE_CLASSES if labels[dim] == cls), default=0.0)
        out.append(
            {
                "id": uid,
                "document": row["id"],
                "text": row["text"],
                "start_char": int(row["start_char"]),
                "end_char": int(row["end_char"]),
                "metadata": json.loads(row["metadata"]) if isinstance(row.get("metadata"), str) else {},
                "probabilities": probs,
                "labels": labels,
                "uncertainty": round(entropy, 4),
                "margin": round(margin, 4),
                "rare": rare,
                "rare_probability": round(rare_p, 4),
                "actors": [a["id"] for a in json.loads(row["actors"] or "[]")],
            }
        )
    return out


def select(
    pool: list[dict[str, Any]], n: int, *, per_doc: int = 3, seed: int = 0, rare_share: float = RARE_SHARE
) -> list[dict[str, Any]]:
    """Up to ``n`` candidates: the rare pool first (up to ``rare_share * n``), then the most uncertain.

    Each chosen record gets ``reason`` ("rare: feasibility=against" or
    "uncertain"); at most ``per_doc`` come from one document.
    """
    if n < 1 or per_doc < 1:
        raise ValueError("n and per_doc must be at least 1")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(pool))  # random tie-breaks, fixed by the seed
    shuffled = [pool[i] for i in order]
    per_document: Counter[str] = Counter()
    chosen: list[dict[str, Any]] = []
    taken: set[str] = set()

    def take(ranked: list[dict[str, Any]], limit: int, reason) -> None:
        for record in ranked:
            if len(chosen) >= limit:
                return
            if record["id"] in taken or per_document[record["document"]] >= per_doc:
                continue
            chosen.append({**record, "reason": reason(record)})
            taken.add(record["id"])
            per_document[record["document"]] += 1

    rare = sorted((r for r in shuffled if r["rare"]), key=lambda r: -r["rare_probability"])
    take(rare, min(n, round(rare_share * n)), lambda r: "rare: " + ", ".join(r["rare"]))
    uncertain = sorted(shuffled, key=lambda r: -r["uncertainty"])
    take(uncertain, n, lambda r: "uncertain")
    return chosen


def suggest(
    source: Any,
    n: int = 200,
    *,
    per_doc: int = 3,
    seed: int = 0,
    model: Any = None,
    exclude: Iterable[str] = (),
    exclude_texts: Iterable[str] = (),
    min_words: int = MIN_WORDS,
    n_process: int = 1,
    text_field: str = "text",
    id_field: str | None = None,
    **read_options: Any,
) -> list[dict[str, Any]]:
    """The ``n`` passages of ``source`` (what :func:`ggtext.score` accepts) worth labelling next.

    ``exclude``, ``exclude_texts``: ids and texts of units already labelled; ``read_options`` go to the
    reader (``encoding=``, ``allow_non_english=``). Returns suggestion records (see
    :mod:`ggtext.annotation.formats` for the files they become).
    """
    from ..scoring.api import score

    scores = score(
        source,
        unit="paragraph",
        model=model,
        n_process=n_process,
        text_field=text_field,
        id_field=id_field,
        **read_options,
    )
    failed = scores[scores["error"].notna()].drop_duplicates("id")
    if len(failed):
        first = failed.iloc[0]
        warnings.warn(
            f"{len(failed)} document(s) could not be read and are left out; {first['id']}: {first['error']}",
            UnreadDocumentsWarning,
            stacklevel=2,
        )
    pool = candidates(scores, min_words=min_words, exclude=exclude, exclude_texts=exclude_texts)
    return select(pool, n, per_doc=per_doc, seed=seed)


def labelled_units(paths: Iterable[Any]) -> tuple[set[str], set[str]]:
    """The ``id`` and ``text`` of every line of codebook-format JSONL files (units already labelled)."""
    from ..errors import InputError

    ids: set[str] = set()
    texts: set[str] = set()
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    record = json.loads(line) if line.strip() else None
                    if isinstance(record, dict):
                        if isinstance(record.get("id"), str):
                            ids.add(record["id"])
                        if isinstance(record.get("text"), str):
                            texts.add(record["text"])
        except (OSError, ValueError) as error:
            raise InputError(f"{path}: cannot read its ids ({error})") from None
    return ids, texts

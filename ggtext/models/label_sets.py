"""Training sets from several label files, without the units of a frozen split.

``merge_labelled`` joins codebook-format files (a researcher's own labels
extend the shipped training set): the same id in two files is an error
unless its text (whitespace collapsed) and labels agree, and then it counts
once. The text check matters: paragraph numbers depend on the reader's
version, and 70 of the 78 ids of ``annotation/train.jsonl`` in the 2018
speeches name another paragraph under the current reader. ``read_frozen_split`` reads
a split file (JSON with ``documents`` and ``ids``), and ``exclude_split``
drops every unit whose id is listed or whose document is: a document matches
by its id, or by its last path component (``Session 73 - 2018/AFG_73_2018``
matches ``AFG_73_2018``), so units suggested from a folder never leak
into training when the split names documents by file stem.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from .data import LabelledSet, TrainingDataError, read_labelled
from .labels import DIMENSIONS


def _fingerprint(passages: Sequence) -> tuple[str, int]:
    payload = "".join(json.dumps(asdict(p), sort_keys=True, ensure_ascii=False) + "\n" for p in passages).encode()
    return hashlib.sha256(payload).hexdigest(), len(payload)


def merge_labelled(sets: Sequence[LabelledSet]) -> LabelledSet:
    """One set of the passages of ``sets`` in order; a repeated id must have the same text and labels.

    A single set is returned as it is (its file fingerprint kept). A merged
    set is fingerprinted as its records (JSON lines, sorted keys) and named
    after its files (``a.jsonl+b.jsonl``).
    """
    if not sets:
        raise TrainingDataError("no label files given")
    if len(sets) == 1:
        return sets[0]
    seen: dict[str, tuple[dict[str, str], Path, str]] = {}
    passages = []
    problems = []
    for labelled in sets:
        for passage in labelled.passages:
            if passage.id in seen:
                labels, where, text = seen[passage.id]
                if text != " ".join(passage.text.split()):
                    problems.append(
                        f"{passage.id!r} in {where.name} and {labelled.path.name} names two different texts "
                        "(ids numbered by different reader versions? rename one)"
                    )
                elif labels != passage.labels:
                    diff = ", ".join(
                        f"{d}: {labels[d]} vs {passage.labels[d]}" for d in DIMENSIONS if labels[d] != passage.labels[d]
                    )
                    problems.append(f"{passage.id!r} in {where.name} and {labelled.path.name} ({diff})")
                continue
            seen[passage.id] = (passage.labels, labelled.path, " ".join(passage.text.split()))
            passages.append(passage)
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise TrainingDataError(
            f"{len(problems)} id(s) labelled differently in two files (adjudicate them first, "
            f"e.g. with `ggtext agreement --disagreements`):\n  {shown}{more}"
        )
    sha, size = _fingerprint(passages)
    name = "+".join(s.path.name for s in sets)
    return LabelledSet(Path(name), sha, size, tuple(passages))


@dataclass(frozen=True)
class FrozenSplit:
    """Units held out of training: listed ids and whole documents."""

    path: Path
    documents: frozenset[str]
    ids: frozenset[str]
    source_sha256: str | None = None

    def holds(self, passage_id: str, document: str) -> bool:
        return passage_id in self.ids or document in self.documents or document.rsplit("/", 1)[-1] in self.documents


def read_frozen_split(path: str | os.PathLike) -> FrozenSplit:
    """Read a split file: a JSON object with lists ``documents`` and/or ``ids`` (other keys are provenance)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise TrainingDataError(f"{path}: cannot read the frozen split ({error})") from None
    if not isinstance(data, dict):
        raise TrainingDataError(f"{path}: the frozen split must be a JSON object with 'documents' and/or 'ids'")
    lists = {}
    for key in ("documents", "ids"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TrainingDataError(f"{path}: '{key}' must be a list of strings")
        lists[key] = frozenset(value)
    if not lists["documents"] and not lists["ids"]:
        raise TrainingDataError(f"{path}: the frozen split lists no documents and no ids")
    return FrozenSplit(path, lists["documents"], lists["ids"], data.get("source_sha256"))


def exclude_split(labelled: LabelledSet, split: FrozenSplit) -> tuple[LabelledSet, int]:
    """``labelled`` without the units the split holds out, and how many were dropped."""
    keep = _held_out(labelled, split, False)
    dropped = len(labelled) - len(keep)
    if not keep:
        raise TrainingDataError(f"{split.path}: the frozen split holds out every labelled unit")
    if not dropped:
        return labelled, 0
    subset = labelled.subset(keep)
    return replace(subset, path=Path(f"{labelled.path.name}-minus-{split.path.stem}")), dropped


def without_frozen_split(labelled: LabelledSet, split_file: str | os.PathLike) -> LabelledSet:
    """``labelled`` minus the units of a frozen split file (its ``ids``, and every unit of its ``documents``)."""
    return labelled.subset(_held_out(labelled, read_frozen_split(split_file), False))


def only_frozen_split(labelled: LabelledSet, split_file: str | os.PathLike) -> LabelledSet:
    """The units of ``labelled`` that a frozen split file holds out (the complement of :func:`without_frozen_split`)."""
    return labelled.subset(_held_out(labelled, read_frozen_split(split_file), True))


def _held_out(labelled: LabelledSet, split: FrozenSplit, held: bool) -> list[int]:
    """Indices of the units the split holds out (``held``) or keeps (not ``held``)."""
    return [i for i, p in enumerate(labelled.passages) if split.holds(p.id, p.document) == held]


def training_set(
    paths: Sequence[str | os.PathLike], frozen_split: str | os.PathLike | None = None
) -> tuple[LabelledSet, int]:
    """The training set of ``paths`` (read, merged) without ``frozen_split``'s units; and the count dropped."""
    labelled = merge_labelled([read_labelled(p) for p in paths])
    if frozen_split is None:
        return labelled, 0
    return exclude_split(labelled, read_frozen_split(frozen_split))

"""Read and validate a codebook-format JSONL file of labelled passages.

One JSON object a line with ``id``, ``text`` and a label for each dimension
(see :mod:`ggtext.models.labels`), optionally ``actors``, ``source``,
``iso3``, ``year``. Every problem is reported with its line number; a file
with problems raises :class:`TrainingDataError` listing them, never a
traceback from deep inside scikit-learn.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from .labels import CLASSES, DIMENSIONS, ID_SEPARATOR, REQUIRED_FIELDS

#: At most this many problems are listed in one error message.
MAX_REPORTED = 20


class TrainingDataError(InputError):
    """A labelled-passage file is missing, unreadable or does not follow the codebook format."""


@dataclass(frozen=True)
class LabelledPassage:
    """One labelled unit (paragraph or sentence)."""

    id: str
    text: str
    labels: dict[str, str]
    actors: tuple[str, ...] = ()
    source: str | None = None
    iso3: str | None = None
    year: int | None = None
    publisher: str | None = None

    @property
    def document(self) -> str:
        """The document the unit comes from: the part of ``id`` before ``#``."""
        return document_id(self.id)


@dataclass(frozen=True)
class LabelledSet:
    """The passages of one file, with the file's fingerprint for model cards."""

    path: Path
    sha256: str
    size: int
    passages: tuple[LabelledPassage, ...] = field(repr=False)

    def __len__(self) -> int:
        return len(self.passages)

    @property
    def texts(self) -> list[str]:
        return [p.text for p in self.passages]

    @property
    def groups(self) -> np.ndarray:
        """Document id of every passage: the groups of grouped cross-validation."""
        return np.array([p.document for p in self.passages], dtype=object)

    def labels(self, dimension: str) -> np.ndarray:
        return np.array([p.labels[dimension] for p in self.passages], dtype=object)

    def label_counts(self) -> dict[str, dict[str, int]]:
        """``{dimension: {class: count}}`` over every class of the codebook (zeros included)."""
        counts = {}
        for dim in DIMENSIONS:
            seen = Counter(p.labels[dim] for p in self.passages)
            counts[dim] = {c: int(seen.get(c, 0)) for c in CLASSES[dim]}
        return counts

    def subset(self, indices) -> "LabelledSet":
        """The passages at ``indices``, fingerprinted as their own records (JSON lines, sorted keys)."""
        passages = tuple(self.passages[i] for i in indices)
        payload = "".join(json.dumps(asdict(p), sort_keys=True, ensure_ascii=False) + "\n" for p in passages).encode()
        return LabelledSet(self.path, hashlib.sha256(payload).hexdigest(), len(payload), passages)


def document_id(passage_id: str) -> str:
    """``"TZA_60_2005#p13"`` -> ``"TZA_60_2005"``."""
    return passage_id.split(ID_SEPARATOR, 1)[0]


def file_sha256(path: str | os.PathLike) -> str:
    """The sha256 of a file's bytes (hex), read in 1 MB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_labelled(path: str | os.PathLike) -> LabelledSet:
    """Read ``path`` (codebook-format JSONL) and validate every record.

    Raises :class:`TrainingDataError` naming the line and field of each
    problem: invalid JSON, a missing or empty field, an unknown label, a
    duplicate id.
    """
    path = Path(path)
    if not path.is_file():
        raise TrainingDataError(f"Training data {path} does not exist (expected a codebook-format .jsonl file).")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise TrainingDataError(f"{path}: not UTF-8 text ({err}).") from None
    passages: list[LabelledPassage] = []
    problems: list[str] = []
    seen_ids: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        record, errors = _parse_record(line)
        if record is not None and record.id in seen_ids:
            errors.append(f"duplicate id {record.id!r} (first on line {seen_ids[record.id]})")
        problems.extend(f"line {number}: {e}" for e in errors)
        if record is not None and not errors:
            seen_ids[record.id] = number
            passages.append(record)
    if problems:
        shown = "\n  ".join(problems[:MAX_REPORTED])
        more = f"\n  ... and {len(problems) - MAX_REPORTED} more" if len(problems) > MAX_REPORTED else ""
        raise TrainingDataError(
            f"{path}: {len(problems)} problem(s) with the codebook format "
            f"(required fields: {', '.join(REQUIRED_FIELDS)}):\n  {shown}{more}"
        )
    if not passages:
        raise TrainingDataError(f"{path}: no records (expected one JSON object a line).")
    return LabelledSet(path=path, sha256=hashlib.sha256(raw).hexdigest(), size=len(raw), passages=tuple(passages))


def _parse_record(line: str) -> tuple[LabelledPassage | None, list[str]]:
    """One line -> (passage or None, problems)."""
    try:
        data: Any = json.loads(line)
    except json.JSONDecodeError as err:
        return None, [f"not valid JSON ({err.msg})"]
    if not isinstance(data, dict):
        return None, [f"expected a JSON object, got {type(data).__name__}"]
    errors = []
    for name in ("id", "text"):
        value = data.get(name)
        if name not in data:
            errors.append(f"missing field {name!r}")
        elif not isinstance(value, str) or not value.strip():
            errors.append(f"field {name!r} must be a non-empty string")
    labels = {}
    for dim in DIMENSIONS:
        if dim not in data:
            errors.append(f"missing field {dim!r}")
        elif data[dim] not in CLASSES[dim]:
            errors.append(f"{dim} label {data[dim]!r} is not one of {', '.join(CLASSES[dim])}")
        else:
            labels[dim] = data[dim]
    actors = data.get("actors", [])
    if not isinstance(actors, list) or not all(isinstance(a, str) for a in actors):
        errors.append("field 'actors' must be a list of actor ids (strings)")
        actors = []
    year = data.get("year")
    if year is not None and not (isinstance(year, int) and not isinstance(year, bool)):
        errors.append("field 'year' must be an integer")
    if errors:
        return None, errors
    passage = LabelledPassage(
        id=data["id"],
        text=data["text"],
        labels=labels,
        actors=tuple(actors),
        source=data.get("source"),
        iso3=data.get("iso3"),
        year=year,
        publisher=data.get("publisher"),
    )
    return passage, []

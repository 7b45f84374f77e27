"""Suggested passages in the files labelling tools import, and their exports back to codebook JSONL.

Writing (``write_batch``), one format per tool:

* ``codebook``: the codebook's JSONL (``id``, ``text``, the three labels
  empty (null), ``actors`` empty) plus ``suggested`` (the model's labels,
  probabilities, why the passage was chosen) and provenance;
* ``labelstudio``: a JSON list of Label Studio tasks (``data.text``,
  ``data.ggtext_id``, ``data.meta``) with the model's labels as
  ``predictions``; :func:`labelstudio_config` is the matching labelling
  interface (three single-choice groups named after the dimensions);
* ``doccano``: doccano's text-classification JSONL (``text``, ``label``
  empty, other keys kept as metadata); labels are ``dimension:class``;
* ``prodigy``: Prodigy's choice JSONL (``text``, ``meta``, ``options`` with
  ids ``dimension:class``, ``accept``; use ``choice_style: multiple``).

Reading back (``read_export``) accepts each tool's export: Label Studio's
JSON (tasks with ``annotations``) or JSON-MIN, doccano's JSONL (``label``
or ``labels``), Prodigy's JSONL (``accept`` of answered ``accept`` tasks).
``annotator`` keeps one coder's labels of a shared export. Every labelled
unit must carry its ``ggtext_id`` and exactly one valid class per dimension; unlabelled, cancelled or rejected tasks are skipped and
counted, anything else is an error naming the task.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..models.labels import CLASSES, DIMENSIONS

FORMATS = ("codebook", "labelstudio", "doccano", "prodigy")
IMPORT_FORMATS = ("labelstudio", "doccano", "prodigy")
#: Provenance carried from a suggestion into the tool and back into the codebook file.
PROVENANCE = ("document", "start_char", "end_char", "source", "iso3", "year")
MAX_REPORTED = 20


class LabelImportError(InputError):
    """A labelling tool's export cannot be turned into codebook labels."""


def _provenance(record: dict[str, Any]) -> dict[str, Any]:
    meta = record.get("metadata") or {}
    out = {k: record[k] for k in ("document", "start_char", "end_char") if k in record}
    out.update({k: meta[k] for k in ("source", "iso3", "year") if meta.get(k) is not None})
    return out


def _suggested(record: dict[str, Any]) -> dict[str, Any]:
    return {
        **{dim: record["labels"][dim] for dim in DIMENSIONS},
        "probabilities": record["probabilities"],
        "reason": record["reason"],
        "uncertainty": record["uncertainty"],
        "margin": record["margin"],
        "actors": record["actors"],
    }


def codebook_record(record: dict[str, Any]) -> dict[str, Any]:
    """A suggestion as a codebook line with empty labels and the model's ``suggested`` labels."""
    return {
        "id": record["id"],
        "text": record["text"],
        **dict.fromkeys(DIMENSIONS),
        "actors": [],
        **_provenance(record),
        "suggested": _suggested(record),
    }


def _meta(record: dict[str, Any]) -> dict[str, Any]:
    return {**_provenance(record), "reason": record["reason"], "uncertainty": record["uncertainty"]}


def labelstudio_task(record: dict[str, Any]) -> dict[str, Any]:
    result = [
        {
            "id": dim,
            "from_name": dim,
            "to_name": "text",
            "type": "choices",
            "value": {"choices": [record["labels"][dim]]},
        }
        for dim in DIMENSIONS
    ]
    return {
        "data": {"text": record["text"], "ggtext_id": record["id"], "meta": _meta(record)},
        "predictions": [{"model_version": "ggtext suggest", "score": record["uncertainty"], "result": result}],
    }


def labelstudio_config() -> str:
    """The Label Studio labelling interface for the tasks: one single-choice group per dimension."""
    lines = ["<View>", '  <Text name="text" value="$text"/>']
    for dim in DIMENSIONS:
        lines.append(f'  <Header value="{dim}"/>')
        lines.append(f'  <Choices name="{dim}" toName="text" choice="single" required="true">')
        lines += [f'    <Choice value="{c}"/>' for c in CLASSES[dim]]
        lines.append("  </Choices>")
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def _options() -> list[dict[str, str]]:
    return [{"id": f"{dim}:{c}", "text": f"{dim}: {c}"} for dim in DIMENSIONS for c in CLASSES[dim]]


def doccano_line(record: dict[str, Any]) -> dict[str, Any]:
    suggested = ", ".join(f"{dim}:{record['labels'][dim]}" for dim in DIMENSIONS)
    return {"text": record["text"], "label": [], "ggtext_id": record["id"], "suggested": suggested, **_meta(record)}


def prodigy_line(record: dict[str, Any]) -> dict[str, Any]:
    suggested = ", ".join(f"{dim}:{record['labels'][dim]}" for dim in DIMENSIONS)
    return {
        "text": record["text"],
        "meta": {"ggtext_id": record["id"], "suggested": suggested, **_meta(record)},
        "options": _options(),
        "accept": [],
        "config": {"choice_style": "multiple"},
    }


def write_batch(records: Iterable[dict[str, Any]], path: str | os.PathLike, fmt: str = "codebook") -> Path:
    """Write suggestion records in ``fmt`` (one of :data:`FORMATS`); Label Studio gets a JSON list."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    path = Path(path)
    records = list(records)
    if fmt == "labelstudio":
        text = json.dumps([labelstudio_task(r) for r in records], ensure_ascii=False, indent=1) + "\n"
    else:
        make = {"codebook": codebook_record, "doccano": doccano_line, "prodigy": prodigy_line}[fmt]
        text = "".join(json.dumps(make(r), ensure_ascii=False) + "\n" for r in records)
    path.write_text(text, encoding="utf-8")
    return path


# -- reading exports -------------------------------------------------------------------


@dataclass
class ImportResult:
    """Codebook records read from an export, and what was skipped."""

    records: list[dict[str, Any]] = field(default_factory=list)
    skipped: int = 0
    notes: list[str] = field(default_factory=list)


def _labels_from_pairs(pairs: Iterable[tuple[str, str]], where: str) -> tuple[dict[str, str], list[str]]:
    """``{dimension: class}`` from (dimension, class) pairs, with the problems found."""
    labels: dict[str, str] = {}
    problems = []
    for dim, cls in pairs:
        if dim not in CLASSES:
            problems.append(f"{where}: unknown dimension {dim!r} (expected {', '.join(DIMENSIONS)})")
        elif cls not in CLASSES[dim]:
            problems.append(f"{where}: {dim} label {cls!r} is not one of {', '.join(CLASSES[dim])}")
        elif dim in labels and labels[dim] != cls:
            problems.append(f"{where}: two {dim} labels ({labels[dim]}, {cls}); choose one")
        else:
            labels[dim] = cls
    missing = [d for d in DIMENSIONS if d not in labels]
    if missing and not problems:
        problems.append(f"{where}: no {' or '.join(missing)} label")
    return labels, problems


def _split_label(value: Any) -> tuple[str, str]:
    dim, _, cls = str(value).partition(":")
    return dim.strip(), cls.strip()


def _record(unit_id: Any, text: Any, labels: dict[str, str], meta: dict[str, Any]) -> dict[str, Any]:
    out = {"id": unit_id, "text": text, **{d: labels[d] for d in DIMENSIONS}, "actors": []}
    out.update({k: meta[k] for k in PROVENANCE if meta.get(k) is not None})
    return out


def _unit_id(*places: dict[str, Any]) -> Any:
    for place in places:
        if isinstance(place, dict) and isinstance(place.get("ggtext_id"), str) and place["ggtext_id"]:
            return place["ggtext_id"]
    return None


def _by(annotation: dict[str, Any], annotator: str) -> bool:
    """Whether a Label Studio annotation was made by ``annotator`` (user id or e-mail)."""
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        return annotator in (str(who.get("id")), str(who.get("email")))
    return str(who) == annotator


def _read_labelstudio(text: str, result: ImportResult, problems: list[str], annotator: str | None = None) -> None:
    try:
        tasks = json.loads(text)
    except json.JSONDecodeError as error:
        raise LabelImportError(f"not a Label Studio JSON export ({error.msg})") from None
    if not isinstance(tasks, list):
        raise LabelImportError("a Label Studio export is a JSON list of tasks")
    multiple = 0
    for number, task in enumerate(tasks, start=1):
        where = f"task {number}"
        if not isinstance(task, dict):
            problems.append(f"{where}: not a JSON object")
            continue
        if "data" not in task:  # JSON-MIN: one flat object per task
            if not any(dim in task for dim in DIMENSIONS):
                result.skipped += 1
                continue
            pairs = [(dim, task[dim]) for dim in DIMENSIONS if dim in task]
            data, meta = task, task.get("meta") or {}
        else:
            data = task["data"] if isinstance(task["data"], dict) else {}
            meta = data.get("meta") or {}
            done = [
                a
                for a in task.get("annotations") or []
                if not a.get("was_cancelled") and (annotator is None or _by(a, annotator))
            ]
            if not done:
                result.skipped += 1
                continue
            multiple += len(done) > 1
            pairs = []
            for item in done[-1].get("result") or []:
                if item.get("type") == "choices":
                    pairs += [(item.get("from_name"), c) for c in item.get("value", {}).get("choices", [])]
        unit_id = _unit_id(data, meta)
        if unit_id is None:
            problems.append(f"{where}: no ggtext_id in its data")
            continue
        labels, found = _labels_from_pairs(pairs, f"{where} ({unit_id})")
        problems.extend(found)
        if not found:
            result.records.append(_record(unit_id, data.get("text"), labels, meta))
    if multiple:
        result.notes.append(
            f"{multiple} task(s) had several annotations: the last one was used "
            "(pass --annotator to take one coder's labels)"
        )


def _jsonl(text: str, problems: list[str]) -> Iterable[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"line {number}: not valid JSON ({error.msg})")
            continue
        if not isinstance(value, dict):
            problems.append(f"line {number}: not a JSON object")
            continue
        yield number, value


def _read_doccano(text: str, result: ImportResult, problems: list[str], annotator: str | None = None) -> None:
    if annotator is not None:
        raise LabelImportError("doccano exports one file per annotator; --annotator is for Label Studio and Prodigy")
    for number, line in _jsonl(text, problems):
        raw = line.get("label", line.get("labels", line.get("cats", [])))
        values = [v[-1] if isinstance(v, list) else v for v in raw] if isinstance(raw, list) else []
        if not values:
            result.skipped += 1
            continue
        meta = {**(line.get("meta") or {}), **line} if isinstance(line.get("meta"), dict) else line
        unit_id = _unit_id(line, line.get("meta") or {})
        if unit_id is None:
            problems.append(f"line {number}: no ggtext_id")
            continue
        labels, found = _labels_from_pairs([_split_label(v) for v in values], f"line {number} ({unit_id})")
        problems.extend(found)
        if not found:
            result.records.append(_record(unit_id, line.get("text"), labels, meta))


def _read_prodigy(text: str, result: ImportResult, problems: list[str], annotator: str | None = None) -> None:
    for number, line in _jsonl(text, problems):
        if annotator is not None and annotator not in (line.get("_annotator_id"), line.get("_session_id")):
            continue
        if line.get("answer") != "accept" or not line.get("accept"):
            result.skipped += 1
            continue
        meta = line.get("meta") or {}
        unit_id = _unit_id(meta, line)
        if unit_id is None:
            problems.append(f"line {number}: no ggtext_id in its meta")
            continue
        labels, found = _labels_from_pairs([_split_label(v) for v in line["accept"]], f"line {number} ({unit_id})")
        problems.extend(found)
        if not found:
            result.records.append(_record(unit_id, line.get("text"), labels, meta))


_READERS = {"labelstudio": _read_labelstudio, "doccano": _read_doccano, "prodigy": _read_prodigy}


def read_export(path: str | os.PathLike, fmt: str, *, annotator: str | None = None) -> ImportResult:
    """The labelled units of a tool's export as codebook records (validated; see the module docstring).

    ``annotator`` keeps one coder's labels of an export holding several: Label
    Studio's ``completed_by`` (user id or e-mail), Prodigy's ``_annotator_id``
    or ``_session_id``.
    """
    if fmt not in IMPORT_FORMATS:
        raise ValueError(f"format must be one of {', '.join(IMPORT_FORMATS)}, not {fmt!r}")
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LabelImportError(f"{path}: cannot read it ({error})") from None
    result = ImportResult()
    problems: list[str] = []
    try:
        _READERS[fmt](text, result, problems, annotator)
    except LabelImportError as error:
        raise LabelImportError(f"{path}: {error}") from None
    seen: dict[str, dict[str, Any]] = {}
    for record in result.records:
        first = seen.setdefault(record["id"], record)
        if first is not record and any(first[d] != record[d] for d in DIMENSIONS):
            problems.append(f"{record['id']}: labelled twice with different labels")
    for record in result.records:
        if not isinstance(record["text"], str) or not record["text"].strip():
            problems.append(f"{record['id']}: no text in the export")
    if problems:
        shown = "\n  ".join(problems[:MAX_REPORTED])
        more = f"\n  ... and {len(problems) - MAX_REPORTED} more" if len(problems) > MAX_REPORTED else ""
        raise LabelImportError(f"{path}: {len(problems)} problem(s) in the {fmt} export:\n  {shown}{more}")
    unique = list({r["id"]: r for r in result.records}.values())
    if len(unique) < len(result.records):
        result.notes.append(f"{len(result.records) - len(unique)} repeated unit(s) with the same labels kept once")
    result.records = unique
    return result


def write_codebook(records: Iterable[dict[str, Any]], path: str | os.PathLike) -> Path:
    """Codebook-format JSONL, one record a line, keys in the codebook's order."""
    path = Path(path)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path

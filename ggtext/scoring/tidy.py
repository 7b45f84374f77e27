"""Tidy long tables from a score table, and writing any table by its file suffix.

The score table keeps a unit's actors and evidence as JSON strings (one row
per unit). For filtering and plotting, :func:`actor_table` gives one row per
unit x actor and :func:`evidence_table` one row per evidence sentence, each
with the unit's id, position and ``iso3``/``year``/``country``. ``ggtext score
--actors OUT --evidence OUT`` writes them next to the score table.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import OutputError
from .writers import output_format

#: Columns that locate a unit, kept in the long tables where the score table has them.
_KEYS = ("id", "paragraph", "sentence", "iso3", "year", "country")
ACTOR_COLUMNS = ("actor", "type", "mentions")
EVIDENCE_COLUMNS = ("dimension", "side", "probability", "attribution", "start_char", "end_char", "text")


def _keys(scores: pd.DataFrame) -> list[str]:
    return [k for k in _KEYS if k in scores.columns]


def _parsed(value: Any) -> list[dict[str, Any]]:
    return json.loads(value) if isinstance(value, str) and value else []


def _long(scores: pd.DataFrame, column: str, columns: list[str], expand) -> pd.DataFrame:
    keys = _keys(scores)
    records = []
    for key_values, value in zip(scores[keys].itertuples(index=False, name=None), scores[column]):
        for item in _parsed(value):
            records.append((*key_values, *expand(item)))
    frame = pd.DataFrame.from_records(records, columns=[*keys, *columns])
    for key in keys:  # keep the score table's dtypes (nullable ints), also for an empty table
        frame[key] = frame[key].astype(scores[key].dtype)
    return frame


def actor_table(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per unit x actor it names: the unit's keys, ``actor``, its ``type``, ``mentions``."""
    from ..knowledge import load_knowledge_base

    kb = load_knowledge_base()
    frame = _long(scores, "actors", list(ACTOR_COLUMNS), lambda a: (a["id"], kb.type_of(a["id"]), a["mentions"]))
    frame["mentions"] = frame["mentions"].astype("int64")
    return frame


def evidence_table(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per evidence sentence: the unit's keys, dimension, side, probability, attribution, offsets, text.

    ``start_char``/``end_char`` are offsets in the analysed text (``Document.analysis_text``);
    ``attribution`` is null for the author's own voice. Sentence-unit tables
    have no evidence column to expand (each row is its own evidence).
    """
    frame = _long(
        scores,
        "evidence",
        list(EVIDENCE_COLUMNS),
        lambda e: (
            e["dimension"],
            e["label"],
            e["probability"],
            e["attribution"],
            e["start_char"],
            e["end_char"],
            e["text"],
        ),
    )
    for name in ("start_char", "end_char"):
        frame[name] = frame[name].astype("int64")
    frame["probability"] = frame["probability"].astype("float64")
    return frame


def _plain(value: Any) -> Any:
    """A JSON-ready scalar: missing values (None, NaN, pd.NA) as None, numpy numbers as Python ones."""
    if value is None or (not isinstance(value, (list, dict, str)) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def write_frame(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``frame`` as CSV, Parquet or JSONL by ``path``'s suffix (as ``ggtext score``), atomically."""
    path = Path(path)
    fmt = output_format(path)
    if not path.parent.is_dir():
        raise OutputError(f"{path.parent}: no such folder for the output")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if fmt == "parquet":
            frame.to_parquet(tmp, index=False)
        elif fmt == "csv":
            frame.to_csv(tmp, index=False)
        else:
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.writelines(
                    json.dumps({k: _plain(v) for k, v in record.items()}, ensure_ascii=False) + "\n"
                    for record in frame.to_dict(orient="records")
                )
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_long_tables(
    scores_path: str | os.PathLike,
    *,
    actors: str | os.PathLike | None = None,
    evidence: str | os.PathLike | None = None,
) -> dict[str, int]:
    """Read the score table at ``scores_path`` and write the requested long tables; rows written per table."""
    from .writers import read_scores

    scores = read_scores(scores_path)
    written = {}
    if actors is not None:
        table = actor_table(scores)
        write_frame(table, actors)
        written[str(actors)] = len(table)
    if evidence is not None:
        if "evidence" not in scores.columns or "sentence" in scores.columns:
            raise OutputError("--evidence needs --unit document or paragraph (a sentence row is its own evidence)")
        table = evidence_table(scores)
        write_frame(table, evidence)
        written[str(evidence)] = len(table)
    return written

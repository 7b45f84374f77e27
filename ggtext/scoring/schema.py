"""The score table: one documented, stable schema for every output format.

One row per unit (document, paragraph or sentence). Column names are the
field names of :class:`ggtext.reports.analysis.Analysis` and ``ggtext analyze --json``.
Nested values (``metadata``, ``actors``, ``evidence``) are JSON strings, so the
table is the same in Parquet, CSV and JSONL and needs no nested types.

Columns, in order (``*`` = only for ``--unit paragraph``/``sentence``):

=====================  =========  ============================================
column                 type       meaning
=====================  =========  ============================================
id                     string     document id (file path relative to the
                                  input folder without suffix, or the table's
                                  id field)
paragraph*             int32      index of the body paragraph (0-based)
sentence*              int32      index of the sentence in its paragraph
                                  (sentence unit only)
start_char*            int64      start offset in the analysed text (title and
                                  body: ``Document.analysis_text``)
end_char*              int64      end offset in the analysed text
iso3                   string     ISO 3166-1 alpha-3 code of the speaker's
                                  state: the metadata's ``iso3`` (UNGDC file
                                  names, or an input table's column), else null
year                   int32      the metadata's ``year`` when it is a whole
                                  number (UNGDC file names, table columns,
                                  front matter), else null
country                string     the state's name from the knowledge base
                                  (``ggtext/data/actors/states.yaml``) for
                                  ``iso3``, else null
metadata               string     JSON object: reader metadata (UNGDC
                                  ``iso3``/``session``/``year``, Markdown front
                                  matter) and the input table's extra columns
n_words                int64      words (tokens that are not punctuation or
                                  space) in the unit
feasibility_score      float64    share of the stance mass that is ``for``
feasibility_label      string     ``for`` / ``against`` / ``none``
desirability_score     float64    as feasibility, for desirability
desirability_label     string     ``for`` / ``against`` / ``none``
framing_label          string     ``realist`` / ``institutionalist`` / ``none``
realist_share          float64    expected share of realist-framed passages
institutionalist_share float64    expected share of institutionalist passages
actors                 string     JSON list ``[{"id": ..., "mentions": n}]``,
                                  most mentioned first
evidence               string     JSON list of the top evidence sentences
                                  (dimension, label, probability, attribution,
                                  text, start_char, end_char)
feasibility_p_for*     float64    the passage classifier's probability of
                                  each class for the unit (paragraph and
                                  sentence units): also ``feasibility_p_against``,
                                  ``feasibility_p_none``, ``desirability_p_for``,
                                  ``desirability_p_against``,
                                  ``desirability_p_none``,
                                  ``framing_p_realist``,
                                  ``framing_p_institutionalist``,
                                  ``framing_p_none`` (null where the scores are)
attribution*           string     reported source of a sentence, null when it
                                  is the author's own voice (sentence unit)
text*                  string     the paragraph or sentence
error                  string     null, or why the document could not be
                                  scored (then the score columns are null)
ggtext_version         string     ggtext version that wrote the row
model_version          string     version of the passage model
=====================  =========  ============================================

Document rows follow :mod:`ggtext.scoring.verdict`; paragraph and sentence
rows carry the passage classifier's labels for that unit alone (score =
p(for) / (p(for) + p(against)), shares = p(realist), p(institutionalist)).

Schema versions: 2 added ``iso3``, ``year``, ``country`` and the per-class
probabilities of paragraph and sentence rows; tables of version 1 are read by
re-scoring them (their columns differ).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

#: Bump when a column is renamed, removed or changes meaning (never silently).
SCHEMA_VERSION = "2"

UNITS = ("document", "paragraph", "sentence")
#: The long table of stance toward each actor (``ggtext score --actor-stance OUT``): one row per
#: document x actor, see :mod:`ggtext.scoring.actor_stance`.
ACTOR_UNIT = "actor"
#: The same table with one row per paragraph x actor (``--actor-stance`` with ``--unit paragraph``).
ACTOR_PARAGRAPH_UNIT = "actor_paragraph"
ACTOR_UNITS = (ACTOR_UNIT, ACTOR_PARAGRAPH_UNIT)
ALL_UNITS = (*UNITS, *ACTOR_UNITS)

_LEADING = [("id", pa.string())]
_UNIT_POSITION = {
    "document": [],
    "paragraph": [("paragraph", pa.int32()), ("start_char", pa.int64()), ("end_char", pa.int64())],
    "sentence": [
        ("paragraph", pa.int32()),
        ("sentence", pa.int32()),
        ("start_char", pa.int64()),
        ("end_char", pa.int64()),
    ],
}
_PLACE = [("iso3", pa.string()), ("year", pa.int32()), ("country", pa.string())]
_SCORES = [
    ("metadata", pa.string()),
    ("n_words", pa.int64()),
    ("feasibility_score", pa.float64()),
    ("feasibility_label", pa.string()),
    ("desirability_score", pa.float64()),
    ("desirability_label", pa.string()),
    ("framing_label", pa.string()),
    ("realist_share", pa.float64()),
    ("institutionalist_share", pa.float64()),
    ("actors", pa.string()),
    ("evidence", pa.string()),
]
#: Per-class probability columns of paragraph and sentence rows: ``{dimension}_p_{class}``.
PROBABILITY_FIELDS = tuple(
    f"{dim}_p_{cls}"
    for dim, classes in (
        ("feasibility", ("for", "against", "none")),
        ("desirability", ("for", "against", "none")),
        ("framing", ("realist", "institutionalist", "none")),
    )
    for cls in classes
)
_UNIT_PROBABILITIES = {
    "document": [],
    "paragraph": [(name, pa.float64()) for name in PROBABILITY_FIELDS],
    "sentence": [(name, pa.float64()) for name in PROBABILITY_FIELDS],
}
_UNIT_TEXT = {
    "document": [],
    "paragraph": [("text", pa.string())],
    "sentence": [("attribution", pa.string()), ("text", pa.string())],
}
_TRAILING = [("error", pa.string()), ("ggtext_version", pa.string()), ("model_version", pa.string())]

#: Columns filled from a unit's classifier output (null on error rows).
SCORE_FIELDS = tuple(name for name, _ in _SCORES[2:9])


_ACTOR_STANCE = [
    ("paragraph", pa.int32()),  # null: the whole document
    *_PLACE,
    ("metadata", pa.string()),
    ("actor", pa.string()),
    ("type", pa.string()),
    ("mentions", pa.int64()),
    ("voice", pa.string()),
    ("reported_by", pa.string()),
    ("feasibility_label", pa.string()),
    ("feasibility_score", pa.float64()),
    ("desirability_label", pa.string()),
    ("desirability_score", pa.float64()),
    ("reported_feasibility_label", pa.string()),
    ("reported_feasibility_score", pa.float64()),
    ("reported_desirability_label", pa.string()),
    ("reported_desirability_score", pa.float64()),
    ("evidence", pa.string()),
]


def check_unit(unit: str) -> str:
    if unit not in ALL_UNITS:
        raise ValueError(f"unit must be one of {', '.join(ALL_UNITS)}, not {unit!r}")
    return unit


def schema(unit: str = "document") -> pa.Schema:
    """The Arrow schema of the score table for ``unit`` (or of the actor-stance table, unit ``"actor"``)."""
    if check_unit(unit) in ACTOR_UNITS:
        fields = _LEADING + _ACTOR_STANCE + _TRAILING
    else:
        fields = (
            _LEADING
            + _UNIT_POSITION[unit]
            + _PLACE
            + _SCORES
            + _UNIT_PROBABILITIES[unit]
            + _UNIT_TEXT[unit]
            + _TRAILING
        )
    return pa.schema(fields, metadata={"ggtext.schema_version": SCHEMA_VERSION, "ggtext.unit": unit})


def columns(unit: str = "document") -> list[str]:
    return schema(unit).names


def unit_of(names: list[str]) -> str | None:
    """The unit whose columns are exactly ``names`` (None if no unit matches)."""
    for unit in ALL_UNITS:
        if list(names) == columns(unit):
            return unit
    return None


def to_table(rows: list[dict[str, Any]], unit: str) -> pa.Table:
    """Rows (dicts with the schema's keys) as an Arrow table of the schema."""
    return pa.Table.from_pylist(rows, schema=schema(unit))


def to_frame(table: pa.Table) -> "Any":
    """The pandas DataFrame of a score table: integers as nullable ``Int32``/``Int64``.

    The one conversion used by :func:`ggtext.score` and :func:`read_scores`, so
    a table scored in memory equals the same table read back from any format.
    """
    import pandas as pd

    mapper = {pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype()}
    return table.to_pandas(types_mapper=mapper.get)

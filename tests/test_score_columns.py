"""The score-table columns researchers filter on: place (iso3, year, country) and per-class probabilities."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import ggtext
from ggtext.models import load_model
from ggtext.scoring import columns
from ggtext.scoring.rows import place_fields
from ggtext.scoring.schema import PROBABILITY_FIELDS
from ggtext.scoring.tidy import actor_table, evidence_table
from ggtext.scoring.verdict import stance_score

TEXT = (
    "We welcome the Global Compact for Migration and the work of UNHCR and IOM. "
    "International cooperation on refugees is working and must be strengthened.\n\n"
    "Migration must remain a sovereign matter: no international body should decide who crosses our borders."
)


def test_place_fields_from_metadata():
    assert place_fields({"iso3": "fra", "year": "2019"}) == {"iso3": "FRA", "year": 2019, "country": "France"}
    assert place_fields({"iso3": "XXX", "year": 2019.5}) == {"iso3": "XXX", "year": None, "country": None}
    assert place_fields({"iso3": "UNHCR"})["country"] is None  # an actor of the knowledge base, not a state
    assert place_fields(None) == {"iso3": None, "year": None, "country": None}


def test_columns_per_unit():
    assert not set(PROBABILITY_FIELDS) & set(columns("document"))
    for unit in ("paragraph", "sentence"):
        names = columns(unit)
        assert names[names.index("institutionalist_share") + 3] == "feasibility_p_for"
        assert set(PROBABILITY_FIELDS) <= set(names)
    assert columns("document")[1:4] == ["iso3", "year", "country"]


@pytest.mark.parametrize("unit", ["paragraph", "sentence"])
def test_probabilities_of_table_inputs_with_place_columns(unit):
    frame = pd.DataFrame({"id": ["a", "b"], "text": [TEXT, "Hello."], "iso3": ["HUN", None], "year": [2018, None]})
    scores = ggtext.score(frame, unit=unit)
    first = scores[scores["id"] == "a"]
    assert (first["country"] == "Hungary").all() and (first["year"] == 2018).all()
    assert scores.loc[scores["id"] == "b", "year"].isna().all()
    scored = scores[scores["feasibility_label"].notna()]
    assert len(scored) >= 2
    for dim in ("feasibility", "desirability", "framing"):
        probs = scored[[f for f in PROBABILITY_FIELDS if f.startswith(dim)]]
        assert np.allclose(probs.sum(axis=1), 1.0, atol=2e-4)
    assert (scored["institutionalist_share"] == scored["framing_p_institutionalist"]).all()
    weights = load_model().decision_weights["feasibility"]
    stance = scored["feasibility_p_for"] + scored["feasibility_p_against"]
    clear = stance > 0.05  # the ratio of probabilities rounded to 4 digits is exact to ~1e-3 only there
    assert clear.any()
    expected = stance_score(scored["feasibility_p_for"], scored["feasibility_p_against"], weights)  # decision-weighted
    assert np.allclose(scored["feasibility_score"][clear], expected[clear], atol=2e-3)


def test_long_tables_of_a_document_table(seed_path):
    scores = ggtext.score([seed_path])
    actors = actor_table(scores)
    named = json.loads(scores.loc[0, "actors"])
    assert actors[["actor", "mentions"]].values.tolist() == [[a["id"], a["mentions"]] for a in named]
    assert actors["type"].notna().all()
    evidence = evidence_table(scores)
    assert len(evidence) == len(json.loads(scores.loc[0, "evidence"])) > 0
    text = ggtext.read(seed_path).analysis_text
    for row in evidence.itertuples():
        assert text[row.start_char : row.end_char].strip() == row.text
    assert set(evidence["dimension"]) <= {"feasibility", "desirability"}

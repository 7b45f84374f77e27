"""The hand-labelled actor-stance pairs still match the shared corpora and meet the issue's size."""

from __future__ import annotations

import json
import sys

import pytest

from ggtext.config import REPO_DIR

sys.path.insert(0, str(REPO_DIR))

from benchmarks.actor_stance_gold import (  # noqa: E402
    GOLD,
    GoldError,
    codebook_actor_ids,
    label_counts,
    load_gold,
)

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def pairs(data_dir):
    return load_gold(data_dir, GOLD, codebook_actor_ids())


def test_offsets_hashes_and_labels_check(pairs):
    assert all(p["sentence"].strip() == p["sentence"] for p in pairs)
    assert all(p["mention_text"] and p["mention_text"] in p["sentence"] for p in pairs)


def test_size_and_mix(pairs):
    counts = label_counts(pairs)
    assert len(pairs) >= 160
    assert counts["against_either"]["against"] >= 40
    assert len({p["doc"] for p in pairs}) >= 20
    for dimension in ("desirability", "feasibility"):
        assert set(counts[dimension]) == {"for", "against", "none"}
    assert set(counts["voice"]) == {"author", "reported"}
    sources = {p["doc"].split("/")[1] for p in pairs}
    assert sources == {"ungdc", "wh_briefings"}


def test_two_actors_with_different_stances(pairs):
    by_sentence = {}
    for p in pairs:
        by_sentence.setdefault((p["doc"], p["start"]), []).append(p["desirability"])
    assert any(len(set(labels)) > 1 for labels in by_sentence.values())


def test_a_changed_offset_is_caught(data_dir, tmp_path):
    line = json.loads(GOLD.read_text(encoding="utf-8").splitlines()[0])
    line["start"] += 1
    broken = tmp_path / "gold.jsonl"
    broken.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match="changed since labelling"):
        load_gold(data_dir, broken)


def test_an_unknown_label_is_caught(data_dir, tmp_path):
    line = json.loads(GOLD.read_text(encoding="utf-8").splitlines()[0])
    line["desirability"] = "support"
    broken = tmp_path / "gold.jsonl"
    broken.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match="desirability"):
        load_gold(data_dir, broken)

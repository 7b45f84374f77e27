"""The floret word vectors (ggtext/data/vectors) and the passage-vector feature block."""

from __future__ import annotations

import hashlib
import json
import shutil

import numpy as np
import pytest

from ggtext.errors import ModelError
from ggtext.models.classifiers import default_members, stance_pipeline
from ggtext.models.vectors import (
    DEFAULT_VECTORS,
    VECTORS_DIR,
    FloretTable,
    PassageVectors,
    load_vectors,
    strongest_sentence,
    tokenize,
    vectors_files,
)

REFUSAL = (
    "The United States objects to the adoption of the Global Compact for Migration. "
    "Decisions on border security are not subject to negotiation in international instruments."
)
SUPPORT = "We welcome the Global Compact for Migration and will work with IOM to implement it."
WEATHER = "The harvest was good this year and the rains came early in the northern provinces."


def _cosine(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_the_shipped_table_is_a_plain_array_with_its_settings():
    table_path, settings_path = vectors_files()
    settings = json.loads(settings_path.read_text(encoding="utf-8"))
    table = np.load(table_path, allow_pickle=False)  # would raise for an object (pickled) array
    assert table.dtype == np.float16
    assert table.shape == (settings["bucket"], settings["dim"])
    assert hashlib.sha256(table_path.read_bytes()).hexdigest() == settings["sha256"]
    assert settings["mode"] == "floret" and settings["hash_count"] >= 1
    assert "dev_split_v2" in settings["corpus"]["excluded"]
    assert table_path.stat().st_size < 8_000_000
    assert np.isfinite(table.astype(np.float32)).all() and np.abs(table.astype(np.float32)).max() > 0


def test_a_modified_table_is_refused(tmp_path):
    table_path, settings_path = vectors_files()
    shutil.copy(settings_path, tmp_path / settings_path.name)
    table = np.load(table_path, allow_pickle=False).copy()
    table[0, 0] += np.float16(1.0)
    np.save(tmp_path / table_path.name, table, allow_pickle=False)
    with pytest.raises(ModelError, match="sha256"):
        load_vectors(DEFAULT_VECTORS, tmp_path)
    with pytest.raises(ModelError, match="no word vectors"):
        load_vectors("absent", VECTORS_DIR)


def test_tokenize_keeps_words_only():
    assert tokenize("We cannot support the Compact’s 23 objectives; burden-sharing FAILS.") == [
        "we",
        "cannot",
        "support",
        "the",
        "compact's",
        "objectives",
        "burden-sharing",
        "fails",
    ]


def test_words_that_share_meaning_lie_closer_than_unrelated_ones():
    table = load_vectors()
    refugees, refugee, asylum, banana = table.words(["refugees", "refugee", "asylum", "banana"])
    assert _cosine(refugees, refugee) > _cosine(refugees, banana)
    assert _cosine(refugees, asylum) > _cosine(refugees, banana)
    # an unseen spelling still gets a vector from its character n-grams
    assert np.abs(table.words(["refugeeism"])[0]).sum() > 0


def test_passage_vectors_are_deterministic_and_unit_length():
    texts = [REFUSAL, SUPPORT, WEATHER, "1234 ..."]
    first = PassageVectors().fit(texts).transform(texts)
    fresh = FloretTable(np.load(vectors_files()[0], allow_pickle=False), load_vectors().settings)
    again = PassageVectors().fit(texts)
    again_rows = again.transform(texts)
    assert first.shape == (4, load_vectors().dim)
    np.testing.assert_allclose(first, again_rows, atol=1e-9)
    np.testing.assert_allclose(first[0], _normed(fresh.words(tokenize(REFUSAL)).mean(axis=0)), atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(first[:3], axis=1), 1.0, atol=1e-6)
    assert not first[3].any()  # no words, no vector
    # two passages about the Compact are closer to each other than to one about the harvest
    assert _cosine(first[0], first[1]) > _cosine(first[0], first[2])


def _normed(v):
    return v / np.linalg.norm(v)


def test_strongest_sentence_vectors(nlp):
    doc = nlp("The session opened on Monday. " + REFUSAL)
    span = doc[:]
    strongest = strongest_sentence(span)
    assert strongest.text.startswith(("The United States objects", "Decisions on border"))
    rows = PassageVectors(sentence_max=True).fit([span]).transform([span])
    assert rows.shape == (1, 2 * load_vectors().dim)
    assert not np.allclose(rows[0, : rows.shape[1] // 2], rows[0, rows.shape[1] // 2 :])


def test_the_vector_member_is_off_by_default():
    assert [name for name, _ in default_members()] == ["text", "cues"]
    members = stance_pipeline("desirability", vectors="mean").named_steps["classifier"].members
    assert [name for name, _ in members] == ["text", "cues", "vectors"]
    with pytest.raises(ValueError, match="vectors"):
        default_members(vectors="glove")


def test_a_fitted_block_refuses_other_vectors():
    block = PassageVectors().fit([SUPPORT])
    block.vectors_sha256_ = "0" * 64
    with pytest.raises(ModelError, match="differ"):
        block.transform([SUPPORT])


def test_the_vector_member_fits_the_same_twice_on_labelled_units(data_dir):
    from ggtext.models.classifiers import vector_member
    from ggtext.models.data import read_labelled

    labelled = read_labelled(data_dir / "annotation" / "train_v2.jsonl")
    subset = labelled.subset(list(range(0, len(labelled), 10)))  # every 10th unit: 274, all classes
    y = subset.labels("framing")
    first = vector_member().fit(subset.texts, y).predict_proba(subset.texts)
    second = vector_member().fit(subset.texts, y).predict_proba(subset.texts)
    np.testing.assert_allclose(first, second, atol=1e-9)
    # the vectors carry some framing signal: in-sample accuracy beats the majority class
    predicted = vector_member().fit(subset.texts, y).predict(subset.texts)
    majority = max(np.mean(np.asarray(y) == c) for c in set(y))
    assert np.mean(predicted == np.asarray(y)) > majority + 0.05

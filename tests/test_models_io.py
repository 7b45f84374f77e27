"""Model files: skops round trip, reproducible bytes, and refusal of modified or untrusted files."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import skops.io as sio
from sklearn.base import BaseEstimator
from test_models import TEXTS, small_subset

from ggtext.errors import ModelError
from ggtext.models import load_model, save_model, train_model
from ggtext.models.data import file_sha256, read_labelled
from ggtext.models.io import CARD_FILE, METADATA_FILE, MODEL_FILE, TRUSTED_TYPES, canonical_skops
from ggtext.models.labels import DIMENSIONS


class NotOurs(BaseEstimator):
    """A type no allow-list names: loading a file holding it must be refused."""

    def predict_proba(self, X):  # pragma: no cover - never loaded
        return np.ones((len(X), 3)) / 3


@pytest.fixture(scope="module")
def train_file(data_dir):
    return data_dir / "annotation" / "train.jsonl"


@pytest.fixture(scope="module")
def model(train_file):
    return train_model(small_subset(read_labelled(train_file)), random_state=0)


@pytest.fixture(scope="module")
def saved(model, tmp_path_factory):
    return save_model(model, tmp_path_factory.mktemp("models") / "ggtext-stance-test", command="pytest")


@pytest.fixture
def copy_of(saved, tmp_path):
    def make():
        target = tmp_path / saved.name
        shutil.copytree(saved, target)
        return target

    return make


@pytest.mark.shared_data
def test_round_trip_gives_the_same_probabilities(model, saved):
    assert sorted(p.name for p in saved.iterdir()) == sorted([MODEL_FILE, METADATA_FILE, CARD_FILE])
    loaded = load_model(saved)
    before, after = model.predict_proba(TEXTS), loaded.predict_proba(TEXTS)
    for dim in DIMENSIONS:
        assert np.array_equal(before[dim], after[dim])
    assert loaded.predict(TEXTS) == model.predict(TEXTS)
    assert loaded.classes_ == model.classes_
    assert loaded.version == f"ggtext-stance-test@{loaded.metadata['model_sha256'][:12]}"
    assert load_model(saved / MODEL_FILE).version == loaded.version  # the file path works too


@pytest.mark.shared_data
def test_metadata_is_a_machine_readable_card(saved):
    meta = json.loads((saved / METADATA_FILE).read_text())
    assert meta["model_sha256"] == file_sha256(saved / MODEL_FILE)
    assert meta["training_data"]["n_passages"] == 150 and len(meta["training_data"]["sha256"]) == 64
    assert meta["label_counts"]["desirability"]["against"] == 8
    assert {"scikit-learn", "spacy", "ggtext", "numpy", "skops"} <= set(meta["versions"])
    assert meta["random_state"] == 0 and meta["trusted_types"] == list(TRUSTED_TYPES)
    assert "class_weight" in meta["imbalance"] and "calibrat" in meta["calibration"].lower()
    assert "CueStackingClassifier" in meta["estimators"]["feasibility"]
    card = (saved / CARD_FILE).read_text()
    assert meta["model_sha256"] in card and "Not computed" in card  # saved without a comparison


@pytest.mark.shared_data
def test_saving_twice_writes_identical_bytes(model, saved, tmp_path):
    again = save_model(model, tmp_path / "again", command="pytest")
    assert (again / MODEL_FILE).read_bytes() == (saved / MODEL_FILE).read_bytes()


@pytest.mark.shared_data
def test_modified_bytes_are_refused(copy_of):
    folder = copy_of()
    data = bytearray((folder / MODEL_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / MODEL_FILE).write_bytes(bytes(data))
    with pytest.raises(ModelError, match="modified or corrupted.*ggtext train"):
        load_model(folder)


@pytest.mark.shared_data
def test_untrusted_types_are_refused_even_with_a_matching_hash(copy_of, model):
    folder = copy_of()
    pipelines = dict(model.pipelines)
    pipelines["framing"] = NotOurs()
    (folder / MODEL_FILE).write_bytes(canonical_skops(sio.dumps(pipelines)))
    meta = json.loads((folder / METADATA_FILE).read_text())
    meta["model_sha256"] = file_sha256(folder / MODEL_FILE)  # an attacker can fix the hash too
    (folder / METADATA_FILE).write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="does not trust: .*NotOurs"):
        load_model(folder)


@pytest.mark.shared_data
def test_other_scikit_learn_versions_are_refused(copy_of):
    folder = copy_of()
    meta = json.loads((folder / METADATA_FILE).read_text())
    meta["versions"]["scikit-learn"] = "0.24.2"
    (folder / METADATA_FILE).write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=r"scikit-learn 0\.24\.2.*retrain with `ggtext train"):
        load_model(folder)


def test_missing_or_foreign_folders_are_refused(tmp_path):
    with pytest.raises(ModelError, match="No model at .*ggtext train"):
        load_model(tmp_path / "nothing")
    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign" / MODEL_FILE).write_bytes(b"PK")
    (tmp_path / "foreign" / METADATA_FILE).write_text('{"format": "something-else"}')
    with pytest.raises(ModelError, match="not ggtext model metadata"):
        load_model(tmp_path / "foreign")
    (tmp_path / "foreign" / METADATA_FILE).write_text("{broken")
    with pytest.raises(ModelError, match="not readable JSON"):
        load_model(tmp_path / "foreign")


@pytest.mark.shared_data
def test_saving_checks_the_training_file(model, tmp_path, train_file):
    """The full file is not what the subset model was trained on: refuse to record it."""
    with pytest.raises(ModelError, match="not the file this model was trained on"):
        save_model(model, tmp_path / "m", training_data=train_file)

"""The shipped model (models/ggtext-stance): it loads, labels text sensibly, and retraining reproduces it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from ggtext.cli import main
from ggtext.models import load_model, save_model, train_model
from ggtext.models.data import file_sha256
from ggtext.models.io import DEFAULT_MODEL_NAME, METADATA_FILE, MODEL_FILE, resolve_model_dir, resource_fingerprint
from ggtext.models.labels import CLASSES, DIMENSIONS

SPLITS = Path(__file__).resolve().parents[1] / "corpora" / "annotation"

PRO = (
    "The Global Compact for Safe, Orderly and Regular Migration shows that the world can come together. "
    "We call on all States to implement it through multilateral cooperation with IOM and UNHCR."
)
REJECT = (
    "We reject the Global Compact for Migration. Migration must remain a sovereign national matter, "
    "and no international body will tell us who may enter our country."
)
FAILED = (
    "The international refugee system has failed: burden sharing remains an empty promise and the "
    "States have been unwilling to give up control."
)
REALIST = (
    "Our first duty is the national security of our people: we will protect our borders and decide "
    "ourselves who enters our territory."
)
DOMESTIC = "Our Government built three new hospitals and two schools in the northern provinces this year."


@pytest.fixture(scope="module")
def shipped():
    return load_model()


def test_the_shipped_model_loads_from_the_default_folder(shipped):
    assert resolve_model_dir().name == DEFAULT_MODEL_NAME
    assert shipped.labels == DIMENSIONS and shipped.classes_ == CLASSES
    meta = shipped.metadata
    assert shipped.version.startswith(f"{DEFAULT_MODEL_NAME}@") and meta["model_sha256"].startswith(
        shipped.version[-12:]
    )
    data = meta["training_data"]
    assert data["file"] == "train_v2.jsonl" and meta["random_state"] == 0
    assert data["n_passages"] + data["frozen_split"]["n_excluded"] == 2739
    assert sum(meta["label_counts"]["desirability"].values()) == data["n_passages"]
    assert (resolve_model_dir() / MODEL_FILE).stat().st_size < 8_000_000


def test_the_shipped_card_reports_cross_validation_against_the_baselines(shipped):
    cv = shipped.metadata["cross_validation"]
    systems = cv["systems"]
    assert set(systems) == {"majority", "tfidf-logreg", "ggtext-stance"}
    for dim in DIMENSIONS:
        ours, baseline = systems["ggtext-stance"][dim], systems["tfidf-logreg"][dim]
        assert ours["macro_f1"] > baseline["macro_f1"]
        assert ours["brier"] < baseline["brier"]
        low, high = ours["macro_f1_ci95"]
        assert low <= ours["macro_f1"] <= high
    # the CV ran on the training units (train_v2 minus the frozen split), not on the whole file
    assert cv["n_passages"] == shipped.metadata["training_data"]["n_passages"]
    assert "publisher" in cv["cv"]


def test_the_frozen_development_split_was_held_out_and_is_reported(shipped):
    split_meta = shipped.metadata["training_data"]["frozen_split"]
    split_file = SPLITS / split_meta["file"]
    assert file_sha256(split_file) == split_meta["sha256"]
    split = json.loads(split_file.read_text(encoding="utf-8"))
    assert split_meta["n_excluded"] == len(split["ids"])
    held = shipped.metadata["frozen_split_evaluation"]
    assert held["n_passages"] == len(split["ids"])
    for dim in DIMENSIONS:
        assert held["dimensions"][dim]["n"] == len(split["ids"])
        assert sum(held["dimensions"][dim]["per_class"][c]["support"] for c in CLASSES[dim]) == len(split["ids"])
    card = (resolve_model_dir() / "model_card.md").read_text(encoding="utf-8")
    assert "## Frozen development split" in card and "GOV-Hungary" in card


def test_the_shipped_model_labels_clear_cases():
    model = load_model()
    labels = model.predict([PRO, REJECT, FAILED, REALIST, DOMESTIC])
    proba = model.predict_proba([PRO, REJECT, FAILED, REALIST, DOMESTIC])
    assert labels["desirability"][0] == "for" and labels["framing"][0] == "institutionalist"
    assert labels["desirability"][1] == "against"
    assert labels["feasibility"][2] == "against"
    assert labels["framing"][3] == "realist"
    assert labels["desirability"][4] == "none" and labels["framing"][4] == "none"
    assert labels["feasibility"][4] == "none"
    against = {d: list(CLASSES[d]).index("against") for d in ("feasibility", "desirability")}
    assert proba["desirability"][1, against["desirability"]] > proba["desirability"][0, against["desirability"]]
    assert proba["feasibility"][2, against["feasibility"]] > proba["feasibility"][0, against["feasibility"]]


def test_the_shipped_model_scores_paragraphs_and_sentences_of_the_seed_essay(shipped, nlp, seed_text):
    """Runs on the held-out essay (no label assertions: the essay is the verdict's test, not tuned on)."""
    doc = nlp(seed_text)
    units = doc._.ggtext.paragraphs + list(doc[:].sents)[:50]
    proba = shipped.predict_proba(units)
    for dim in DIMENSIONS:
        assert proba[dim].shape == (len(units), 3)
        np.testing.assert_allclose(proba[dim].sum(axis=1), 1.0, atol=1e-9)


def test_the_cue_resources_are_the_ones_it_was_trained_with(shipped):
    assert shipped.metadata["feature_resources_sha256"] == resource_fingerprint(), (
        "the cue lexicons or actor knowledge base changed since the shipped model was trained: retrain it with "
        "`ggtext train $GGTEXT_DATA/annotation/train_v2.jsonl -o models/ggtext-stance --seed 0 "
        "--frozen-split corpora/annotation/dev_split_v2.json`"
    )


@pytest.mark.shared_data
def test_it_was_trained_on_the_shared_training_file(shipped, data_dir):
    data = shipped.metadata["training_data"]
    assert file_sha256(data_dir / "annotation" / data["file"]) == data["sha256"]


@pytest.mark.shared_data
def test_cli_evaluate_prints_metrics_and_confusion_matrices(data_dir, tmp_path):
    lines = (data_dir / "annotation" / "train.jsonl").read_text(encoding="utf-8").splitlines()
    sample = tmp_path / "sample.jsonl"
    sample.write_text("\n".join(lines[::25]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(resolve_model_dir()), str(sample)])
    assert result.exit_code == 0, result.output
    for dim in DIMENSIONS:
        assert f"{dim}: macro-F1" in result.output
    assert result.output.count("confusion (rows: true, columns: predicted)") == 3
    again = CliRunner().invoke(main, ["evaluate", str(resolve_model_dir()), str(sample), "--json"])
    assert json.loads(again.output)["dimensions"]["framing"]["n"] == len(lines[::25])
    assert result.output == CliRunner().invoke(main, ["evaluate", str(resolve_model_dir()), str(sample)]).output


#: How far retrained probabilities may drift from the shipped model's on another CPU or BLAS build
#: (floating-point sums differ in their last bits; measured drift is about 1e-10).
RETRAIN_RTOL, RETRAIN_ATOL = 1e-6, 1e-8


@pytest.fixture(scope="module")
def retrained(shipped, data_dir):
    data = shipped.metadata["training_data"]
    return train_model(
        data_dir / "annotation" / data["file"], random_state=0, frozen_split=SPLITS / data["frozen_split"]["file"]
    )


@pytest.mark.slow
@pytest.mark.shared_data
def test_retraining_reproduces_the_shipped_model_within_tolerance(shipped, retrained):
    texts = [PRO, REJECT, FAILED, REALIST, DOMESTIC]
    ours, theirs = retrained.predict_proba(texts), shipped.predict_proba(texts)
    for dim in DIMENSIONS:
        np.testing.assert_allclose(
            ours[dim],
            theirs[dim],
            rtol=RETRAIN_RTOL,
            atol=RETRAIN_ATOL,
            err_msg=f"{dim}: retrained probabilities differ from the shipped model",
        )
    assert retrained.predict(texts) == shipped.predict(texts)


@pytest.mark.slow
@pytest.mark.shared_data
def test_retraining_on_the_training_machine_gives_a_byte_identical_file(shipped, retrained, data_dir, tmp_path):
    """Byte-identical files are promised only where the CPU and BLAS build are the ones the model was trained on."""
    if retrained.metadata["training_machine"] != shipped.metadata.get("training_machine"):
        pytest.skip("another CPU or BLAS build than the shipped model's: only the tolerance test applies")
    train = data_dir / "annotation" / shipped.metadata["training_data"]["file"]
    folder = save_model(retrained, tmp_path / DEFAULT_MODEL_NAME, training_data=train)
    # The shipped metadata also holds the frozen-split scores; the model file itself must be identical.
    meta = json.loads((folder / METADATA_FILE).read_text())
    assert meta["model_sha256"] == shipped.metadata["model_sha256"]

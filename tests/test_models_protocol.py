"""Issue 10's development protocol: the frozen split, publisher-grouped CV, per-voice scores, stance features."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from ggtext.models.data import TrainingDataError, file_sha256, read_labelled
from ggtext.models.label_sets import only_frozen_split, without_frozen_split
from ggtext.models.protocol import class_f1, cv_groups, per_voice_f1, voices
from ggtext.models.stance_features import StanceFeatures

SPLIT = Path(__file__).resolve().parents[1] / "corpora" / "annotation" / "dev_split_v2.json"


def _record(uid, *, source="UNGDC", publisher=None, desirability="for"):
    out = {
        "id": uid,
        "source": source,
        "text": f"Text of {uid} about the Global Compact.",
        "feasibility": "none",
        "desirability": desirability,
        "framing": "none",
    }
    if publisher:
        out["publisher"] = publisher
    return out


@pytest.fixture
def small(tmp_path):
    records = [
        _record("USA_73_2018#p1"),
        _record("USA_73_2018#p2"),
        _record("FRA_73_2018#p1"),
        _record(
            "gov_hu_1#u1",
            source="GOV",
            publisher="Government of Hungary (kormany.hu), Prime Minister's Office",
            desirability="against",
        ),
        _record("gov_hu_2#u1", source="GOV", publisher="About Hungary (Government of Hungary)", desirability="against"),
        _record("gov_un_1#u1", source="GOV", publisher="UNHCR"),
        _record(
            "gov_us_1#u1", source="GOV", publisher="United States Mission to the United Nations", desirability="against"
        ),
    ]
    path = tmp_path / "train.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return read_labelled(path)


def test_cv_groups_are_documents_and_one_group_per_publisher_with_hungary_merged(small):
    groups = list(cv_groups(small))
    assert groups[:3] == ["USA_73_2018", "USA_73_2018", "FRA_73_2018"]
    assert groups[3] == groups[4] == "publisher:Government of Hungary"
    assert groups[5] == "publisher:UNHCR" and groups[6] != groups[5]
    assert list(voices(small)) == ["UNGDC"] * 3 + ["GOV-Hungary"] * 2 + ["GOV-other"] * 2


def test_frozen_split_removes_its_ids_and_every_unit_of_its_documents(small, tmp_path):
    split = tmp_path / "split.json"
    split.write_text(json.dumps({"ids": ["gov_un_1#u1"], "documents": ["USA_73_2018"]}), encoding="utf-8")
    kept = without_frozen_split(small, split)
    held = only_frozen_split(small, split)
    assert [p.id for p in held.passages] == ["USA_73_2018#p1", "USA_73_2018#p2", "gov_un_1#u1"]
    assert {p.id for p in kept.passages} | {p.id for p in held.passages} == {p.id for p in small.passages}
    assert not {p.id for p in kept.passages} & {p.id for p in held.passages}
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(TrainingDataError, match="frozen split"):
        without_frozen_split(small, bad)


def test_per_voice_f1_counts_each_voice_apart():
    truth = ["against", "against", "none", "against", "none"]
    pred = ["against", "none", "against", "against", "none"]
    unit_voices = ["UNGDC", "UNGDC", "UNGDC", "GOV-Hungary", "WH"]
    scores = per_voice_f1(truth, pred, unit_voices)
    assert scores["GOV-Hungary"]["f1"] == 1.0 and scores["WH"]["support"] == 0 and scores["WH"]["f1"] == 0.0
    assert scores["UNGDC"]["precision"] == 0.5 and scores["UNGDC"]["recall"] == 0.5
    assert scores["all"] == class_f1(truth, pred, "against")
    assert "GOV-other" not in scores


def test_the_committed_split_holds_ids_only_and_matches_its_counts():
    split = json.loads(SPLIT.read_text(encoding="utf-8"))
    assert split["source_file"] == "train_v2.jsonl" and split["codebook"] == "v1.3"
    assert set(split) == {
        "source_file",
        "source_sha256",
        "codebook",
        "grouping",
        "method",
        "seed",
        "n_units",
        "n_units_source",
        "documents",
        "ids",
        "label_counts",
    }  # ids, never text
    assert all(" " not in i and "#" in i for i in split["ids"])
    assert len(split["ids"]) == len(set(split["ids"])) == split["n_units"]
    assert {i.split("#", 1)[0] for i in split["ids"]} == set(split["documents"])
    assert sum(split["label_counts"]["framing"].values()) == len(split["ids"])


@pytest.mark.shared_data
def test_the_split_is_about_a_fifth_grouped_by_document_with_the_rare_classes(data_dir):
    split = json.loads(SPLIT.read_text(encoding="utf-8"))
    full = read_labelled(data_dir / "annotation" / "train_v2.jsonl")
    assert file_sha256(data_dir / "annotation" / "train_v2.jsonl") == split["source_sha256"]
    held, kept = only_frozen_split(full, SPLIT), without_frozen_split(full, SPLIT)
    assert len(held) == len(split["ids"]) and 0.17 < len(held) / len(full) < 0.23
    assert not set(held.groups) & set(kept.groups)
    for dim, target in (("feasibility", "against"), ("desirability", "against"), ("framing", "realist")):
        share = Counter(held.labels(dim))[target] / Counter(full.labels(dim))[target]
        assert 0.12 < share < 0.3, (dim, share)
        assert split["label_counts"][dim] == dict(sorted(Counter(held.labels(dim)).items()))


def test_stance_features_read_refusal_failure_and_sovereignty_of_a_governance_actor():
    texts = [
        "We cannot support the Compact and will not sign it.",
        "We support the Compact and will sign it.",
        "UNHCR is stretched to its limits.",
        "Decisions on our borders are not subject to negotiation or review in international instruments.",
        "We thank the President. The weather was fine. We reject the Global Compact for Migration.",
    ]
    features = StanceFeatures(sentence_max=True, log_counts=False).fit(texts)
    names = list(features.get_feature_names_out())
    rows = {name: column for name, column in zip(names, features.transform(texts).T)}
    assert rows["gov_desirability_neg"][0] > 0 and rows["gov_desirability_neg"][1] == 0
    assert rows["own_desirability_neg"][0] > 0 and rows["gov_desirability_pos"][1] > 0
    assert rows["gov_feasibility_neg"][2] > 0
    assert rows["sovereignty_first"][3] > 0
    # the strongest sentence carries the paragraph, however many neutral sentences surround it
    assert rows["max_desirability_net_neg"][4] >= 1 and 0 < rows["share_desirability_neg"][4] < 0.5
    assert np.all(np.isfinite(features.transform(texts)))


@pytest.mark.slow
@pytest.mark.shared_data
def test_cli_train_holds_the_frozen_split_out_and_reports_it(data_dir, tmp_path):
    from click.testing import CliRunner

    from ggtext.cli import main

    lines = (data_dir / "annotation" / "train_v2.jsonl").read_text(encoding="utf-8").splitlines()
    small = tmp_path / "small.jsonl"
    small.write_text("\n".join(lines[::12]) + "\n", encoding="utf-8")
    full = read_labelled(small)
    documents = sorted(set(full.groups))[::5]
    split = tmp_path / "split.json"
    split.write_text(json.dumps({"ids": [], "documents": documents}), encoding="utf-8")
    held = only_frozen_split(full, split)
    result = CliRunner().invoke(
        main, ["train", str(small), "-o", str(tmp_path / "m"), "--no-cv", "--frozen-split", str(split)]
    )
    assert result.exit_code == 0, result.output
    meta = json.loads((tmp_path / "m" / "metadata.json").read_text())
    assert meta["training_data"]["n_passages"] == len(full) - len(held)
    assert meta["training_data"]["frozen_split"] == {
        "file": "split.json",
        "sha256": file_sha256(split),
        "n_excluded": len(held),
    }
    assert meta["frozen_split_evaluation"]["n_passages"] == len(held)
    assert "--frozen-split split.json" in meta["command"]
    # evaluating on the training file itself says what those numbers are
    own = CliRunner().invoke(main, ["evaluate", str(tmp_path / "m"), str(small), "--json"])
    assert own.exit_code == 0, own.output
    assert "training-set numbers" in own.stderr and "split.json" in own.stderr
    assert "training-set numbers" in json.loads(own.stdout)["warning"]
    other = tmp_path / "other.jsonl"
    other.write_text("\n".join(lines[1::40]) + "\n", encoding="utf-8")
    fresh = CliRunner().invoke(main, ["evaluate", str(tmp_path / "m"), str(other), "--json"])
    assert fresh.exit_code == 0 and json.loads(fresh.stdout)["warning"] is None and "warning" not in fresh.stderr
    assert "## Frozen development split" in (tmp_path / "m" / "model_card.md").read_text()

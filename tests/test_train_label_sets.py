"""Training on several label files and without a frozen split's units."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ggtext.cli import main
from ggtext.models import TrainingDataError, read_labelled
from ggtext.models.label_sets import (
    exclude_split,
    merge_labelled,
    read_frozen_split,
    training_set,
)


@pytest.fixture(scope="module")
def sixty(data_dir):
    """60 lines of the shipped training file with every class at least twice (all 8 desirability 'against')."""
    rows = [json.loads(line) for line in (data_dir / "annotation" / "train.jsonl").read_text().splitlines()]
    rare = [i for i, r in enumerate(rows) if r["desirability"] == "against"]
    rare += [i for i, r in enumerate(rows) if r["feasibility"] == "against"][:6]
    rare += [i for i, r in enumerate(rows) if r["framing"] == "realist"][:6]
    chosen = sorted(set(rare))
    chosen += [i for i in range(len(rows)) if i not in chosen][: 60 - len(chosen)]
    return [rows[i] for i in sorted(chosen)]


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_merge_keeps_agreeing_repeats_once_and_refuses_conflicts(sixty, tmp_path):
    a = read_labelled(_write(tmp_path / "a.jsonl", sixty[:35]))
    b = read_labelled(_write(tmp_path / "b.jsonl", sixty[30:]))  # 5 ids in both, same labels
    merged = merge_labelled([a, b])
    assert len(merged) == 60 and [p.id for p in merged.passages] == [r["id"] for r in sixty]
    assert merged.path.name == "a.jsonl+b.jsonl" and len(merged.sha256) == 64
    assert merge_labelled([a]) is a
    changed = dict(sixty[30], feasibility="against" if sixty[30]["feasibility"] != "against" else "for")
    c = read_labelled(_write(tmp_path / "c.jsonl", [changed]))
    with pytest.raises(TrainingDataError, match=rf"{sixty[30]['id']!r} in a.jsonl and c.jsonl \(feasibility"):
        merge_labelled([a, c])
    renumbered = dict(sixty[0], text=sixty[1]["text"])  # the same id, another paragraph's text
    d = read_labelled(_write(tmp_path / "d.jsonl", [renumbered]))
    with pytest.raises(TrainingDataError, match="names two different texts"):
        merge_labelled([a, d])


def test_frozen_split_drops_listed_ids_and_documents(sixty, tmp_path):
    labelled = read_labelled(_write(tmp_path / "a.jsonl", sixty))
    document = sixty[1]["id"].split("#")[0]
    split = tmp_path / "split.json"
    split.write_text(
        json.dumps(
            {"source_file": "train.jsonl", "source_sha256": "0" * 64, "documents": [document], "ids": [sixty[-1]["id"]]}
        ),
        encoding="utf-8",
    )
    kept, dropped = exclude_split(labelled, read_frozen_split(split))
    in_document = sum(r["id"].split("#")[0] == document for r in sixty)
    assert dropped == in_document + 1 and len(kept) == 60 - dropped
    assert not any(p.document == document or p.id == sixty[-1]["id"] for p in kept.passages)
    # a document named by a folder path matches the split's file stem
    assert read_frozen_split(split).holds("x#p0", f"Session 60 - 2005/{document}")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"documents": "TZA"}), encoding="utf-8")
    with pytest.raises(TrainingDataError, match="'documents' must be a list"):
        read_frozen_split(bad)


@pytest.mark.slow
def test_train_command_with_two_files_and_a_frozen_split(sixty, tmp_path):
    a, b = _write(tmp_path / "mine.jsonl", sixty[:40]), _write(tmp_path / "shipped.jsonl", sixty[35:])
    held = sixty[2]["id"]
    split = tmp_path / "dev_split.json"
    split.write_text(json.dumps({"documents": [], "ids": [held]}), encoding="utf-8")
    out = tmp_path / "model"
    result = CliRunner().invoke(
        main, ["train", str(a), str(b), "-o", str(out), "--frozen-split", str(split), "--no-cv"]
    )
    assert result.exit_code == 0, result.output
    assert "1 unit(s) left out, 59 to train on" in result.output
    metadata = json.loads((out / "metadata.json").read_text())
    record = metadata["training_data"]
    assert record["n_passages"] == 59
    assert [f["file"] for f in record["files"]] == ["mine.jsonl", "shipped.jsonl"]
    assert record["frozen_split"]["n_excluded"] == 1
    assert "--frozen-split dev_split.json" in metadata["command"]
    merged, _ = training_set([a, b])  # the data before the split is held out (the split is recorded apart)
    assert record["sha256"] == merged.sha256

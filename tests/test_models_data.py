"""Reading and validating codebook-format training files: clear errors for bad files."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import ggtext
from ggtext.cli import main
from ggtext.errors import InputError
from ggtext.models.data import TrainingDataError, document_id, read_labelled
from ggtext.models.labels import CLASSES, DIMENSIONS
from ggtext.models.training import check_trainable


def record(i: int, doc: str = "DOC", **overrides) -> dict:
    base = {
        "id": f"{doc}#p{i}",
        "source": "TEST",
        "year": 2020,
        "text": f"Paragraph {i} about migration and the Global Compact.",
        "feasibility": "none",
        "desirability": "for",
        "framing": "institutionalist",
        "actors": ["GCM"],
    }
    base.update(overrides)
    return base


def write(path, records, *, raw_lines=()) -> str:
    lines = [json.dumps(r) for r in records] + list(raw_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_labels_are_sorted_and_cover_the_codebook():
    assert DIMENSIONS == ("feasibility", "desirability", "framing")
    for classes in CLASSES.values():
        assert list(classes) == sorted(classes) and "none" in classes


def test_valid_file_reads_with_fingerprint_groups_and_counts(tmp_path):
    path = write(tmp_path / "ok.jsonl", [record(0, "A"), record(1, "A", desirability="none"), record(0, "B")])
    data = read_labelled(path)
    assert len(data) == 3
    assert list(data.groups) == ["A", "A", "B"]
    assert list(data.labels("desirability")) == ["for", "none", "for"]
    assert data.label_counts()["desirability"] == {"against": 0, "for": 2, "none": 1}
    assert len(data.sha256) == 64 and data.size == (tmp_path / "ok.jsonl").stat().st_size
    assert document_id("TZA_60_2005#p13") == "TZA_60_2005"


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"text": None}, "field 'text' must be a non-empty string"),
        ({"text": "   "}, "field 'text' must be a non-empty string"),
        ({"feasibility": "maybe"}, "feasibility label 'maybe' is not one of against, for, none"),
        ({"framing": "constructivist"}, "framing label 'constructivist'"),
        ({"actors": "UNHCR"}, "'actors' must be a list"),
        ({"year": "2020"}, "'year' must be an integer"),
    ],
)
def test_bad_values_are_reported_with_line_numbers(tmp_path, bad, message):
    path = write(tmp_path / "bad.jsonl", [record(0), record(1, **bad)])
    with pytest.raises(TrainingDataError) as info:
        read_labelled(path)
    assert "line 2:" in str(info.value) and message in str(info.value)
    assert isinstance(info.value, InputError)


def test_missing_fields_are_each_named(tmp_path):
    broken = record(1)
    del broken["desirability"], broken["id"]
    path = write(tmp_path / "missing.jsonl", [record(0), broken])
    message = str(pytest.raises(TrainingDataError, read_labelled, path).value)
    assert "line 2: missing field 'id'" in message and "line 2: missing field 'desirability'" in message


def test_invalid_json_duplicates_and_non_objects(tmp_path):
    path = write(tmp_path / "mixed.jsonl", [record(0), record(0)], raw_lines=["{not json", "[1, 2]"])
    message = str(pytest.raises(TrainingDataError, read_labelled, path).value)
    assert "line 2: duplicate id 'DOC#p0' (first on line 1)" in message
    assert "line 3: not valid JSON" in message
    assert "line 4: expected a JSON object, got list" in message
    assert "4 problem(s)" not in message  # the duplicate, the JSON and the list: 3
    assert "3 problem(s)" in message


def test_many_problems_are_summarised(tmp_path):
    path = write(tmp_path / "many.jsonl", [record(i, feasibility="x") for i in range(30)])
    message = str(pytest.raises(TrainingDataError, read_labelled, path).value)
    assert "30 problem(s)" in message and "... and 10 more" in message


def test_missing_empty_and_binary_files(tmp_path):
    with pytest.raises(TrainingDataError, match="does not exist"):
        read_labelled(tmp_path / "nope.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n\n", encoding="utf-8")
    with pytest.raises(TrainingDataError, match="no records"):
        read_labelled(tmp_path / "empty.jsonl")
    (tmp_path / "latin1.jsonl").write_bytes(json.dumps(record(0)).replace("Paragraph", "Parágraph").encode("latin-1"))
    with pytest.raises(TrainingDataError, match="not UTF-8"):
        read_labelled(tmp_path / "latin1.jsonl")


def test_training_needs_every_class(tmp_path):
    path = write(tmp_path / "thin.jsonl", [record(i, f"D{i}") for i in range(6)])
    with pytest.raises(TrainingDataError) as info:
        check_trainable(read_labelled(path))
    message = str(info.value)
    assert "feasibility: class(es) 'against' (0), 'for' (0)" in message
    assert "framing: class(es) 'none' (0), 'realist' (0)" in message


def test_cli_train_reports_a_bad_file_without_traceback(tmp_path):
    path = write(tmp_path / "bad.jsonl", [record(0, desirability="pro")])
    result = CliRunner().invoke(main, ["train", path, "-o", str(tmp_path / "model"), "--no-cv"])
    assert result.exit_code == 2
    assert "error:" in result.output and "desirability label 'pro'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "model").exists()


# ---------------------------------------------------------------- masked actor names (text member option)


def test_masked_texts_replace_governance_actors_but_not_states():
    from ggtext.models.features import ACTOR_PLACEHOLDER, PassageText, masked_passage_texts

    nlp = ggtext.load()
    doc = nlp("We reject the Global Compact for Migration, says Hungary.\n\nUNHCR and the IOM are stretched.")
    sentences = [s for s in doc.sents if s.text.strip()]
    masked = masked_passage_texts([doc[:], *sentences])
    assert masked[1] == f"We reject the {ACTOR_PLACEHOLDER}, says Hungary."  # a state stays named
    assert masked[2] == f"{ACTOR_PLACEHOLDER} and the {ACTOR_PLACEHOLDER} are stretched."
    assert masked[0].count(ACTOR_PLACEHOLDER) == 3
    assert masked_passage_texts(["The IOM met."]) == ["The IOM met."]  # a string has no actor spans
    assert PassageText(mask_actors=True).transform(sentences) == masked[1:]
    old = PassageText()
    del old.mask_actors  # a model saved before the option existed
    assert old.transform(sentences) == [s.text for s in sentences]

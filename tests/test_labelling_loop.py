"""The labelling loop on real speeches: suggest, the label tools' formats round-tripped, import-labels."""

from __future__ import annotations

import copy
import json
import shutil
from collections import Counter

import pytest
from click.testing import CliRunner

import ggtext
from ggtext.annotation import LabelImportError, read_export, write_batch
from ggtext.annotation.suggest import candidates, select, uncertainty
from ggtext.cli import main
from ggtext.models import read_labelled
from ggtext.models.labels import CLASSES, DIMENSIONS


@pytest.fixture(scope="module")
def speeches(tmp_path_factory, ungdc_dir):
    """Ten UNGDC speeches (five of 2015, five of 2018) in a temporary folder."""
    folder = tmp_path_factory.mktemp("speeches")
    for session in ("Session 70 - 2015", "Session 73 - 2018"):
        for path in sorted((ungdc_dir / session).glob("*.txt"))[:5]:
            shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def paragraph_scores(speeches):
    return ggtext.score(speeches, unit="paragraph")


@pytest.fixture(scope="module")
def pool(paragraph_scores):
    return candidates(paragraph_scores)


def test_units_already_labelled_are_excluded_by_id_or_text(paragraph_scores, pool):
    by_id, by_text = pool[0], pool[1]
    spaced = "  " + by_text["text"].replace(" ", "\n ", 3) + " "  # the same text, wrapped differently
    kept = candidates(paragraph_scores, exclude=[by_id["id"]], exclude_texts=[spaced])
    assert {r["id"] for r in pool} - {r["id"] for r in kept} == {by_id["id"], by_text["id"]}


@pytest.fixture(scope="module")
def batch(speeches, tmp_path_factory):
    """`ggtext suggest` of 12 passages, at most 2 per speech, as codebook JSONL."""
    out = tmp_path_factory.mktemp("batch") / "batch.jsonl"
    result = CliRunner().invoke(main, ["suggest", str(speeches), "-n", "12", "--per-doc", "2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_suggest_writes_codebook_lines_located_by_offsets(batch, speeches):
    assert len(batch) == 12
    assert max(Counter(r["document"] for r in batch).values()) <= 2
    for record in batch:
        document, _, paragraph = record["id"].partition("#p")
        assert document == record["document"] and paragraph.isdigit()
        text = ggtext.read(speeches / f"{document}.txt").analysis_text
        assert text[record["start_char"] : record["end_char"]] == record["text"]
        assert all(record[dim] is None for dim in DIMENSIONS)
        suggested = record["suggested"]
        assert all(suggested[dim] in CLASSES[dim] for dim in DIMENSIONS)
        assert suggested["reason"] == "uncertain" or suggested["reason"].startswith("rare: ")
        assert record["year"] in (2015, 2018) and record["iso3"] == document[:3]
    rare = [r for r in batch if r["suggested"]["reason"] != "uncertain"]
    assert len(rare) <= 3  # a quarter of 12


def test_selection_is_seeded_capped_per_document_and_ranked(pool):
    first, again = select(pool, 15, per_doc=1, seed=3), select(pool, 15, per_doc=1, seed=3)
    assert first == again
    assert len(first) == 10 and len({r["document"] for r in first}) == 10  # one per speech
    uncertain = [r["uncertainty"] for r in first if r["reason"] == "uncertain"]
    assert uncertain == sorted(uncertain, reverse=True)
    # the most uncertain passages of the pool are chosen when the cap allows it
    top = sorted(pool, key=lambda r: -r["uncertainty"])[:5]
    wide = select(pool, 100, per_doc=100, seed=0, rare_share=0)
    assert {r["id"] for r in top} <= {r["id"] for r in wide[:6]}


def test_ties_are_broken_by_the_seed():
    pool = [
        {"id": f"D{k}#p0", "document": f"D{k}", "uncertainty": 0.5, "rare": [], "rare_probability": 0.0}
        for k in range(30)
    ]
    orders = {tuple(r["id"] for r in select(pool, 5, seed=seed)) for seed in range(5)}
    assert len(orders) > 1
    assert select(pool, 5, seed=2) == select(pool, 5, seed=2)


def test_uncertainty_of_known_distributions():
    even = {dim: {c: 1 / 3 for c in CLASSES[dim]} for dim in DIMENSIONS}
    sure = {dim: {c: float(c == CLASSES[dim][0]) for c in CLASSES[dim]} for dim in DIMENSIONS}
    assert uncertainty(even) == pytest.approx((1.0, 0.0))
    assert uncertainty(sure) == pytest.approx((0.0, 1.0))


def _choice(k: int) -> dict[str, str]:
    """The fake annotator's labels for the k-th task."""
    return {dim: CLASSES[dim][(k + j) % 3] for j, dim in enumerate(DIMENSIONS)}


def _annotate(fmt: str, written: str) -> tuple[str, dict[str, dict[str, str]]]:
    """What the tool exports after a coder labels every task but the last two (one left, one rejected)."""
    expected = {}
    if fmt == "labelstudio":
        tasks = json.loads(written)
        for k, task in enumerate(tasks):
            task["id"] = k + 1
            if k == len(tasks) - 1:
                continue  # never opened: no annotations
            labels = _choice(k)
            result = [
                {"from_name": d, "to_name": "text", "type": "choices", "value": {"choices": [labels[d]]}}
                for d in DIMENSIONS
            ]
            task["annotations"] = [{"id": k + 1, "result": result, "was_cancelled": k == len(tasks) - 2}]
            if k < len(tasks) - 2:
                expected[task["data"]["ggtext_id"]] = labels
        return json.dumps(tasks), expected
    lines = [json.loads(line) for line in written.splitlines()]
    for k, line in enumerate(lines):
        labels = _choice(k)
        chosen = [f"{d}:{labels[d]}" for d in DIMENSIONS]
        keep = k < len(lines) - 2
        if fmt == "doccano":
            line.update(id=k + 1, label=chosen if keep else [])
            if keep:
                expected[line["ggtext_id"]] = labels
        else:
            line.update(accept=chosen, answer="accept" if keep else "reject", _input_hash=k, _task_hash=k)
            if keep:
                expected[line["meta"]["ggtext_id"]] = labels
    return "".join(json.dumps(line) + "\n" for line in lines), expected


@pytest.mark.parametrize("fmt", ["labelstudio", "doccano", "prodigy"])
def test_label_tool_formats_round_trip(fmt, pool, tmp_path):
    records = select(pool, 8, per_doc=2, seed=0)
    sent = write_batch(records, tmp_path / ("tasks.json" if fmt == "labelstudio" else "tasks.jsonl"), fmt)
    exported, expected = _annotate(fmt, sent.read_text(encoding="utf-8"))
    export = tmp_path / "export.json"
    export.write_text(exported, encoding="utf-8")
    out = tmp_path / "labels.jsonl"
    result = CliRunner().invoke(main, ["import-labels", str(export), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "6 labelled units; 2 unlabelled or rejected tasks skipped" in result.output
    labelled = read_labelled(out)  # a valid codebook file: it trains as it is
    assert {p.id: p.labels for p in labelled.passages} == expected
    by_id = {r["id"]: r for r in records}
    for line in out.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert record["text"] == by_id[record["id"]]["text"]
        assert record["start_char"] == by_id[record["id"]]["start_char"]


def test_exports_with_bad_labels_name_the_task(pool, tmp_path):
    records = select(pool, 3, seed=0)
    sent = write_batch(records, tmp_path / "t.jsonl", "prodigy")
    lines = [json.loads(line) for line in sent.read_text().splitlines()]
    good = copy.deepcopy(lines[0])
    lines[0].update(accept=["feasibility:for", "desirability:maybe", "framing:none"], answer="accept")
    lines[1].update(accept=["feasibility:for", "framing:none"], answer="accept")
    lines[2].update(
        accept=["feasibility:for", "feasibility:against", "desirability:for", "framing:none"], answer="accept"
    )
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    with pytest.raises(LabelImportError) as error:
        read_export(bad, "prodigy")
    message = str(error.value)
    assert "line 1" in message and "'maybe'" in message
    assert "line 2" in message and "no desirability label" in message
    assert "line 3" in message and "two feasibility labels" in message
    good["meta"].pop("ggtext_id")
    good.update(accept=["feasibility:for", "desirability:for", "framing:none"], answer="accept")
    bad.write_text(json.dumps(good) + "\n", encoding="utf-8")
    with pytest.raises(LabelImportError, match="no ggtext_id"):
        read_export(bad, "prodigy")


def test_two_coders_in_one_label_studio_export_feed_agreement(pool, tmp_path):
    """Coder 1 labels like the fake annotator; coder 2 differs on feasibility in the first task only."""
    records = select(pool, 4, per_doc=2, seed=0)
    tasks = json.loads(write_batch(records, tmp_path / "tasks.json", "labelstudio").read_text())
    for k, task in enumerate(tasks):
        annotations = []
        for user in (1, 2):
            labels = _choice(k)
            if user == 2 and k == 0:
                labels["feasibility"] = next(c for c in CLASSES["feasibility"] if c != labels["feasibility"])
            result = [
                {"from_name": d, "to_name": "text", "type": "choices", "value": {"choices": [labels[d]]}}
                for d in DIMENSIONS
            ]
            annotations.append({"completed_by": user, "result": result, "was_cancelled": False})
        task["annotations"] = annotations
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks), encoding="utf-8")
    runner = CliRunner()
    for user in ("1", "2"):
        result = runner.invoke(
            main,
            [
                "import-labels",
                str(export),
                "--format",
                "labelstudio",
                "--annotator",
                user,
                "-o",
                str(tmp_path / f"coder{user}.jsonl"),
            ],
        )
        assert result.exit_code == 0, result.output
    shared = runner.invoke(
        main, ["import-labels", str(export), "--format", "labelstudio", "-o", str(tmp_path / "last.jsonl")]
    )
    assert "4 task(s) had several annotations" in shared.output
    result = runner.invoke(
        main,
        [
            "agreement",
            str(tmp_path / "coder1.jsonl"),
            str(tmp_path / "coder2.jsonl"),
            "--json",
            "--disagreements",
            str(tmp_path / "adjudicate.jsonl"),
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["n_units"] == {"any": 4, "in_common": 4}
    assert report["labels"]["framing"]["pairs"][0]["observed_agreement"] == 1.0
    assert report["labels"]["feasibility"]["pairs"][0]["observed_agreement"] == 0.75
    adjudicate = [json.loads(line) for line in (tmp_path / "adjudicate.jsonl").read_text().splitlines()]
    assert [(d["id"], d["dimensions"]) for d in adjudicate] == [(tasks[0]["data"]["ggtext_id"], ["feasibility"])]

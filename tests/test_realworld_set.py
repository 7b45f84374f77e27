"""The real-world development set (corpora/realworld) is consistent, and its benchmark scores."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
SET_DIR = ROOT / "corpora" / "realworld"
REQUIRED = ("id", "title", "publisher", "date", "url", "partial", "feasibility", "desirability", "framing", "rationale")
VALUES = {
    "feasibility": {"for", "against", "none"},
    "desirability": {"for", "against", "none"},
    "framing": {"realist", "institutionalist", "none"},
}


def _benchmark():
    path = ROOT / "benchmarks" / "realworld_evaluation.py"
    spec = importlib.util.spec_from_file_location("realworld_evaluation", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    lines = (SET_DIR / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_every_label_row_has_a_text_and_every_text_a_label_row(rows):
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    texts = {p.stem for p in (SET_DIR / "texts").glob("*.txt")}
    assert set(ids) == texts


def test_rows_have_the_fields_and_codebook_values(rows):
    for r in rows:
        assert all(k in r for k in REQUIRED), r["id"]
        assert set(r) <= set(REQUIRED) | {"note"}, r["id"]
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r["id"]), r["id"]
        assert re.fullmatch(r"\d{4}(-\d{2}){0,2}", r["date"]), r["id"]
        assert isinstance(r["partial"], bool), r["id"]
        assert r["rationale"].strip(), r["id"]
        for dim, allowed in VALUES.items():
            assert r[dim] in allowed, (r["id"], dim, r[dim])


def test_text_files_start_with_the_title_then_a_blank_line(rows):
    for r in rows:
        lines = (SET_DIR / "texts" / f"{r['id']}.txt").read_text(encoding="utf-8").split("\n")
        assert lines[0] == r["title"], r["id"]
        assert lines[1] == "", r["id"]
        assert len("\n".join(lines[2:]).split()) >= 30, r["id"]


def test_sources_are_us_federal_government_sites(rows):
    for r in rows:
        host = urlparse(r["url"]).hostname or ""
        federal = host.endswith((".gov", ".mil")) or host in {"share.america.gov"} or host.endswith("voanews.com")
        assert federal, (r["id"], host)


def test_size_and_share_of_texts_that_reject_ggim_or_call_it_a_failure(rows):
    assert len(rows) >= 40
    rejecting = [r for r in rows if "against" in (r["feasibility"], r["desirability"])]
    assert len(rejecting) / len(rows) >= 0.4
    # every class of every dimension occurs, so each per-class F1 is defined
    for dim, allowed in VALUES.items():
        assert {r[dim] for r in rows} == allowed, dim


def test_score_counts_a_known_confusion():
    bench = _benchmark()
    gold = [
        {"id": "a", "feasibility": "for", "desirability": "against", "framing": "realist"},
        {"id": "b", "feasibility": "none", "desirability": "for", "framing": "institutionalist"},
        {"id": "c", "feasibility": "against", "desirability": "none", "framing": "none"},
    ]
    predicted = [
        {"id": "a", "feasibility": "for", "desirability": "for", "framing": "institutionalist"},
        {"id": "b", "feasibility": "none", "desirability": "for", "framing": "institutionalist"},
        {"id": "c", "feasibility": "against", "desirability": "none", "framing": "none"},
    ]
    report = bench.score(gold, predicted)
    assert report["feasibility"]["macro_f1"] == pytest.approx(1.0)
    assert report["desirability"]["per_class_f1"]["against"] == 0.0
    assert report["desirability"]["per_class_f1"]["for"] == pytest.approx(2 / 3)
    assert report["desirability"]["confusion"][1] == [1, 0, 0]  # gold against, predicted for
    assert [e["id"] for e in report["framing"]["errors"]] == ["a"]
    with pytest.raises(ValueError):
        bench.score(gold, predicted[:2])


def test_benchmark_scores_two_texts_with_the_shipped_model(rows):
    bench = _benchmark()
    gold = bench.load_set(SET_DIR / "labels.jsonl")[:2]
    predicted = bench.predict(gold)
    assert [p["id"] for p in predicted] == [g["id"] for g in gold]
    report = bench.score(gold, predicted)
    for dim, r in report.items():
        assert 0.0 <= r["macro_f1"] <= 1.0
        assert sum(map(sum, r["confusion"])) == 2
        assert {p[dim] for p in predicted} <= VALUES[dim]
    markdown = bench.render(report, gold, {"command": "x", "date": "d", "ggtext": "v", "model": "m", "seconds": 1.0})
    assert "| feasibility |" in markdown and "confusion" in markdown

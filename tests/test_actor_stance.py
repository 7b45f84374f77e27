"""Stance toward each actor: clauses, voice, aggregation, the Analysis field and the long-table rows."""

from __future__ import annotations

import json

import pytest

import ggtext
from ggtext.models import load_model
from ggtext.models.features import GOVERNANCE_ACTOR_TYPES
from ggtext.scoring.actor_stance import (
    COLUMNS,
    actor_stance,
    actor_stance_rows,
    actor_stance_table,
    clauses,
    load_rules,
)

LABELS = {"for", "against", "none"}
CONTRAST = "The IOM has failed to manage migration, while the Global Compact for Migration offers a workable framework."


class CountingModel:
    """A passage model that counts its ``predict_proba`` calls."""

    def __init__(self, model):
        self.model = model
        self.calls = 0

    def predict_proba(self, passages, **kwargs):
        self.calls += 1
        return self.model.predict_proba(passages, **kwargs)

    def __getattr__(self, name):
        return getattr(self.model, name)


@pytest.fixture(scope="module")
def model():
    return load_model()


def by_actor(doc, model):
    return {row["actor"]: row for row in actor_stance(doc, model)}


def test_clauses_are_spans_of_the_same_doc_that_cover_the_sentence(nlp):
    doc = nlp("We strongly support UNHCR's work with refugees, but we reject the Global Compact for Migration.")
    sentence = next(doc.sents)
    parts = clauses(sentence)
    assert [p.text for p in parts] == [
        "We strongly support UNHCR's work with refugees,",
        "but we reject the Global Compact for Migration.",
    ]
    assert all(p.doc is doc for p in parts)
    assert parts[0].start == sentence.start and parts[-1].end == sentence.end
    assert all(a.end == b.start for a, b in zip(parts, parts[1:]))


def test_clause_rules_opener_exception_and_minimum(nlp):
    opened = next(nlp("Although we welcome the Global Compact for Migration, the IOM has failed to manage it.").sents)
    assert [p.text for p in clauses(opened)] == [
        "Although we welcome the Global Compact for Migration,",
        "the IOM has failed to manage it.",
    ]
    not_only = next(nlp("Not only the EU but also the African Union support the Global Compact for Migration.").sents)
    assert len(clauses(not_only)) == 1
    short = next(nlp("Small but vital, the IOM helps.").sents)  # "Small" alone would be a clause
    assert len(clauses(short)) == 1
    assert load_rules().min_clause_words >= 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "We strongly support UNHCR's work with refugees, but we reject the Global Compact for Migration.",
            {"UNHCR": ("desirability", {"for", "none"}), "GCM": ("desirability", {"against"})},
        ),
        (
            "We welcome the Global Compact on Refugees, whereas the EU has failed to manage migration.",
            {"GCR": ("desirability", {"for"}), "EU": ("feasibility", {"against"})},
        ),
        (
            CONTRAST,
            {"IOM": ("feasibility", {"against"}), "GCM": ("feasibility", {"for", "none"})},
        ),
    ],
)
def test_each_actor_gets_the_stance_of_its_own_clause(nlp, model, text, expected):
    """The rejecting clause's actor is ``against``, the other is not. (The train_v2 model reads some
    plain support clauses, "We strongly support UNHCR's work", as ``none``: a model miss, allowed here.)"""
    rows = by_actor(nlp(text), model)
    assert set(rows) == set(expected)
    for actor, (dim, allowed) in expected.items():
        label = rows[actor][f"{dim}_label"]
        assert label in allowed, (actor, rows[actor])
        assert rows[actor]["voice"] == "author"
        if label != "none":
            (item,) = rows[actor]["evidence"]
            assert item["attribution"] is None and item[f"{dim}_label"] == label


def test_whole_sentence_would_blur_the_contrast(nlp, model):
    """The point of clauses: scored as one unit, the sentence gives both actors the same labels."""
    doc = nlp(
        "The IOM has failed to manage migration, while the Global Compact for Migration offers a workable framework."
    )
    whole = model.decide(model.predict_proba([doc[:]]))
    rows = by_actor(doc, model)
    assert rows["IOM"]["feasibility_label"] != rows["GCM"]["feasibility_label"]
    assert whole["feasibility"][0] in {rows["IOM"]["feasibility_label"], rows["GCM"]["feasibility_label"]}


def test_reported_views_are_marked_and_never_set_the_authors_label(nlp, model):
    rows = by_actor(nlp("Critics argue that the Global Compact for Migration is unworkable."), model)
    gcm = rows["GCM"]
    assert gcm["voice"] == "reported" and gcm["reported_by"] == ["Critics"]
    assert gcm["desirability_label"] == gcm["feasibility_label"] == "none"
    assert gcm["desirability_score"] is None and gcm["feasibility_score"] is None
    assert gcm["reported_feasibility_label"] in LABELS
    assert gcm["evidence"][0]["attribution"] == "Critics"


def test_own_voice_after_a_contrast_in_a_reported_sentence(nlp, model):
    text = "Critics argue that the Global Compact for Migration is unworkable, but we believe the IOM can make it work."
    rows = by_actor(nlp(text), model)
    assert rows["GCM"]["voice"] == "reported"
    assert rows["IOM"]["voice"] == "author" and rows["IOM"]["reported_by"] == []
    assert rows["IOM"]["reported_desirability_label"] is None


def test_states_and_generic_categories_are_not_rows(nlp, model):
    doc = nlp("France and the EU support the Global Compact for Migration for migrants.")
    assert {a.label_ for a in doc._.ggtext.actors} >= {"FRA", "MIGRANTS", "EU", "GCM"}
    assert set(by_actor(doc, model)) == {"EU", "GCM"}


def test_one_model_call_per_document(nlp, model):
    doc = nlp(
        "We strongly support UNHCR's work with refugees, but we reject the Global Compact for Migration. "
        "The IOM has failed to manage migration, while the EU offers a workable framework."
    )
    counting = CountingModel(model)
    rows = actor_stance(doc, counting)
    assert counting.calls == 1 and len(rows) == 4
    counting.calls = 0
    assert actor_stance(nlp("Nothing here names an organisation."), counting) == [] and counting.calls == 0


@pytest.fixture(scope="module")
def seed_analysis(seed_path, model):
    return ggtext.analyze(seed_path, model=model)


def test_seed_essay_rows_for_the_governance_actors_it_names(seed_analysis):
    rows = seed_analysis.actor_stance
    named = {a["id"]: a for a in seed_analysis.actors if a["type"] in GOVERNANCE_ACTOR_TYPES}
    assert {"UN", "IOM", "UNHCR", "ILO"} <= set(named)
    assert [r["actor"] for r in rows] == list(named)  # same order as the actor table
    text = seed_analysis.doc.text
    for row in rows:
        assert row["mentions"] == named[row["actor"]]["mentions"]
        assert row["type"] == named[row["actor"]]["type"]
        assert row["voice"] in {"author", "reported"}
        for dim in ("desirability", "feasibility"):
            assert row[f"{dim}_label"] in LABELS
            assert row[f"reported_{dim}_label"] in LABELS | {None}
            score = row[f"{dim}_score"]
            assert score is None or 0.0 <= score <= 1.0
        assert row["evidence"]
        for item in row["evidence"]:
            assert text[item["start_char"] : item["end_char"]].strip() == item["text"]
            assert item["start_char"] <= item["clause_start_char"] < item["clause_end_char"] <= item["end_char"]
            assert text[item["clause_start_char"] : item["clause_end_char"]].strip() == item["clause"]
    # the essay reports other authors' views of civil society (codebook: reported views are kept, marked)
    assert any(r["reported_by"] for r in rows)


def test_seed_essay_json_has_actor_stance(seed_analysis):
    data = json.loads(seed_analysis.to_json())
    assert [r["actor"] for r in data["actor_stance"]] == [r["actor"] for r in seed_analysis.actor_stance]
    assert ggtext.analyze(text="The IOM helps.", model=None).actor_stance == []


def test_table_and_long_rows(seed_analysis, model):
    doc, document = seed_analysis.doc, seed_analysis.document
    table = actor_stance_table(doc, model)
    assert list(table.columns) == list(COLUMNS) and len(table) == len(seed_analysis.actor_stance)
    rows = actor_stance_rows(doc, document, model, {"ggtext": "0", "model": "m"})
    assert {r["id"] for r in rows} == {document.id} and all(r["paragraph"] is None for r in rows)
    assert all(r["iso3"] is None and r["year"] is None for r in rows)  # the essay is not a UNGDC file
    assert [r["actor"] for r in rows] == list(table["actor"])
    for row in rows:
        assert isinstance(row["evidence"], str) and json.loads(row["evidence"])
        assert isinstance(json.loads(row["reported_by"]), list)
    json.dumps(rows)
    paragraph_rows = actor_stance_rows(doc, document, model, {"ggtext": "0", "model": "m"}, unit="paragraph")
    assert all(isinstance(r["paragraph"], int) for r in paragraph_rows)
    assert len(paragraph_rows) >= len(rows)
    assert sum(r["mentions"] for r in paragraph_rows) <= sum(r["mentions"] for r in rows)
    with pytest.raises(ggtext.errors.InputError):
        actor_stance(doc, model, unit="sentence")


def test_even_though_cuts_once(nlp):
    sentence = next(nlp("We need to support the United Nations, even though it has failed to banish wars.").sents)
    assert [p.text for p in clauses(sentence)] == [
        "We need to support the United Nations,",
        "even though it has failed to banish wars.",
    ]


def test_whole_sentences_when_clauses_are_not_split(nlp, model):
    doc = nlp(
        "The IOM has failed to manage migration, while the Global Compact for Migration offers a workable framework."
    )
    rows = {r["actor"]: r for r in actor_stance(doc, model, split_clauses=False)}
    assert rows["IOM"]["feasibility_label"] == rows["GCM"]["feasibility_label"]
    assert rows["IOM"]["evidence"][0]["clause"] == rows["IOM"]["evidence"][0]["text"]


def _benchmark():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "actor_stance_evaluation.py"
    spec = importlib.util.spec_from_file_location("actor_stance_evaluation", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_locates_raw_sentences_in_the_clean_text(ungdc_dir, data_dir, tmp_path):
    """A gold pair by raw-file offsets (line breaks and all) is found in the reader's clean text."""
    import re

    bench = _benchmark()
    path = ungdc_dir / "Session 73 - 2018" / "USA_73_2018.txt"
    raw = path.read_bytes().decode("utf-8")
    mention = re.search(r"United\s+Nations", raw)
    start = max(raw.rfind(".", 0, mention.start()) + 1, 0)
    while raw[start].isspace():
        start += 1
    end = raw.find(".", mention.end()) + 1
    row = {
        "doc": str(path.relative_to(data_dir)),
        "start": start,
        "end": end,
        "actor": "UN",
        "mention": [mention.start(), mention.end()],
        "desirability": "none",
        "feasibility": "none",
        "voice": "author",
    }
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(row) + "\n", encoding="utf-8")
    results = bench.evaluate(data_dir, bench.load_gold(gold))
    (predicted,) = results["clause"]
    assert predicted is not None and predicted["found"]
    assert predicted["desirability"] in LABELS and predicted["voice"] in {"author", "reported"}
    out = tmp_path / "result.md"
    assert bench.main(["--data", str(data_dir), "--gold", str(gold), "--out", str(out)]) == 0
    assert "Located in the processed Doc: 1; actor found there by the pipeline: 1" in out.read_text(encoding="utf-8")


def test_an_actor_as_the_source_makes_its_clause_reported(nlp, model):
    rows = by_actor(nlp("UNHCR tells us that 71 million people have been displaced by the Islamic State."), model)
    assert rows["UNHCR"]["voice"] == "reported" and rows["UNHCR"]["reported_by"] == ["UNHCR"]
    assert rows["UNHCR"]["desirability_label"] == rows["UNHCR"]["feasibility_label"] == "none"
    rows = by_actor(nlp("According to the IOM, the Global Compact for Migration works well."), model)
    assert rows["IOM"]["voice"] == rows["GCM"]["voice"] == "reported"
    rows = by_actor(nlp("We thank UNHCR for its work, and we said so to the IOM."), model)
    assert rows["UNHCR"]["voice"] == "author"


def test_aggregate_as_the_verdict_does():
    from ggtext.scoring.actor_stance import aggregate

    def clause(p_for, p_against, label):
        p = {"for": p_for, "against": p_against, "none": 1 - p_for - p_against}
        return {"desirability": {"label": label, "p": p}}

    weights = {"for": 1.0, "against": 11.0, "none": 1.0}
    # one clause: the model's label, and the decision-weighted share as the score (they agree)
    score, label = aggregate([clause(0.6, 0.3, "against")], "desirability", weights)
    assert label == "against" and score == pytest.approx(0.6 / (0.6 + 3.3), abs=1e-3)
    # several: the stance-mass-weighted share of the calibrated probabilities; the label follows it
    score, label = aggregate([clause(0.8, 0.1, "for"), clause(0.6, 0.3, "against")], "desirability", weights)
    assert score == pytest.approx((0.9 * 0.8 + 0.9 * 0.6) / (0.81 + 0.81), abs=1e-3) and label == "for"
    score, label = aggregate([clause(0.1, 0.8, "against"), clause(0.3, 0.6, "against")], "desirability", weights)
    assert score < 0.5 and label == "against"
    assert aggregate([clause(0.8, 0.1, "none"), clause(0.7, 0.1, "none")], "desirability", weights)[1] == "none"
    assert aggregate([clause(0.0, 0.0, "none")], "desirability", weights) == (None, "none")


def test_no_cut_inside_an_actor_name(nlp):
    import dataclasses

    rules = dataclasses.replace(load_rules(), boundaries=(("and",),))
    doc = nlp("We thank the United Nations Relief and Works Agency for Palestine Refugees for its work and its staff.")
    assert any(a.label_ == "UNRWA" for a in doc._.ggtext.actors)
    parts = clauses(next(doc.sents), rules)
    assert [p.text for p in parts] == [
        "We thank the United Nations Relief and Works Agency for Palestine Refugees for its work",
        "and its staff.",
    ]


def test_html_report_shows_the_stance_toward_each_actor(seed_analysis):
    from ggtext.reports.html import render_html

    page = render_html(seed_analysis)
    assert "<th>desirable (toward it)</th><th>feasible (it works)</th>" in page
    un = next(r for r in seed_analysis.actor_stance if r["actor"] == "UN")
    row = page[page.index('<mark class="actor t-un_body">UN</mark>') :].split("</tr>")[0]
    assert f'<span class="tag label-{un["desirability_label"]}">' in row
    assert row.count('class="tag label-') == 2


def test_long_rows_of_a_ungdc_speech_carry_its_place(ungdc_dir, model):
    from ggtext.pipeline import default_pipeline, process_document

    document = ggtext.read(ungdc_dir / "Session 73 - 2018" / "USA_73_2018.txt")
    doc = process_document(default_pipeline(), document)
    rows = actor_stance_rows(doc, document, model, {"ggtext": "0", "model": "m"})
    assert rows and {(r["iso3"], r["year"]) for r in rows} == {("USA", 2018)}
    assert all(r["country"] for r in rows)
    assert not {"USA", "MIGRANTS"} & {r["actor"] for r in rows}  # a state and a generic category are no rows


def test_score_writes_the_actor_stance_long_table(tmp_path):
    from click.testing import CliRunner

    from ggtext.cli import main
    from ggtext.scoring import read_scores
    from ggtext.scoring.schema import columns

    speech = tmp_path / "speech.txt"
    speech.write_text(
        "We support UNHCR's work, but we will not sign the Global Compact for Migration.\n\n"
        "The IOM helps us every day.\n",
        encoding="utf-8",
    )
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "score",
            str(speech),
            str(empty),
            "-o",
            str(tmp_path / "s.csv"),
            "--actor-stance",
            str(tmp_path / "actors.parquet"),
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    table = read_scores(tmp_path / "actors.parquet")
    assert list(table.columns) == columns("actor")
    rows = table[table["error"].isna()].set_index("actor")
    assert {"UNHCR", "GCM", "IOM"} <= set(rows.index) and (rows.index.value_counts() == 1).all()
    assert rows.loc["UNHCR", "desirability_label"] != "against"
    assert rows.loc["GCM", "desirability_label"] == "against"
    assert table.loc[table["id"] == "empty", "error"].notna().all()  # one bad document: an error row


def test_score_writes_actor_stance_by_paragraph_with_unit_paragraph(tmp_path):
    from click.testing import CliRunner

    from ggtext.cli import main
    from ggtext.scoring import read_scores

    speech = tmp_path / "speech.txt"
    speech.write_text("We reject the Global Compact for Migration.\n\nThe IOM helps us.\n\nThe IOM is welcome.\n")
    result = CliRunner().invoke(
        main,
        [
            "score",
            str(speech),
            "-o",
            str(tmp_path / "p.csv"),
            "--unit",
            "paragraph",
            "--actor-stance",
            str(tmp_path / "a.csv"),
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    table = read_scores(tmp_path / "a.csv")
    assert table["paragraph"].notna().all()
    assert sorted(zip(table["actor"], table["paragraph"])) == [("GCM", 0), ("IOM", 1), ("IOM", 2)]

"""Document verdicts: the seed essay's conclusion, single paragraphs, reported views, extensions."""

from __future__ import annotations

import json

import pytest

import ggtext
from ggtext.models import load_model
from ggtext.scoring.verdict import document_verdict

FIELDS = (
    "feasibility_score",
    "feasibility_label",
    "desirability_score",
    "desirability_label",
    "realist_share",
    "institutionalist_share",
    "framing_label",
    "evidence",
)


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.fixture(scope="module")
def seed_analysis(seed_path, model):
    return ggtext.analyze(seed_path, model=model)


def test_seed_essay_verdict_feasibility_low_but_desirable(seed_analysis):
    """The essay concludes GGIM's feasibility is low at present, and that GGIM is desirable."""
    v = seed_analysis.verdict
    assert v["feasibility_label"] == "against"
    assert v["feasibility_score"] < 0.5
    assert v["desirability_label"] == "for"
    assert v["desirability_score"] > 0.5


def test_seed_essay_has_both_lenses(seed_analysis, seed_path, nlp, model):
    """Both lenses appear: institutionalist carries the paragraphs, realist shows in sentences."""
    v = seed_analysis.verdict
    assert v["realist_share"] > 0.05 and v["institutionalist_share"] > v["realist_share"]
    assert "institutionalist" in {p["framing_label"] for p in seed_analysis.passages}
    doc = nlp(ggtext.read(seed_path).text)
    sentences = [s for p in doc._.ggtext.paragraphs for s in p.sents]
    labels = model.predict(sentences)["framing"]
    assert labels.count("realist") >= 3 and labels.count("institutionalist") >= 3


def test_seed_essay_evidence_is_real_sentences_with_attribution(seed_analysis, seed_text):
    evidence = seed_analysis.verdict["evidence"]
    sides = {(e["dimension"], e["label"]) for e in evidence}
    assert ("feasibility", "against") in sides and ("desirability", "for") in sides
    body = " ".join(seed_text.split())
    for item in evidence:
        assert 0.2 <= item["probability"] <= 1
        assert " ".join(item["text"].split())[:60] in body
    # The strongest reported views are marked with their source, not taken as the author's.
    reported = [e for e in evidence if e["attribution"]]
    assert reported, "the essay reports realist and institutionalist views"
    own = [e for e in evidence if not e["attribution"]]
    assert own


def test_reported_views_do_not_count_as_the_authors(nlp, model):
    reported = "Realists argue that the global governance of migration has failed and remains weak."
    doc = nlp(reported + "\n\nThe weather in the capital was mild this week.")
    verdict = document_verdict(doc, model)
    assert verdict.passages[0]["reported_only"] is True
    assert verdict.passages[0]["feasibility_label"] is None
    own = nlp(
        "The global governance of migration has failed and remains weak.\n\nThe weather in the capital was mild this week."
    )
    own_verdict = document_verdict(own, model)
    assert own_verdict.passages[0]["reported_only"] is False
    assert own_verdict.passages[0]["feasibility_label"] == "against"
    assert own_verdict.passages[0]["feasibility_p_against"] > 5 * own_verdict.passages[1]["feasibility_p_against"]


def test_single_paragraph_gets_the_passage_classifiers_labels(nlp, model):
    texts = [
        "We welcome the adoption of the Global Compact for Safe, Orderly and Regular Migration, "
        "which shows that the world can come together on migration.",
        "Migration must remain a sovereign matter; my country will not sign the compact and rejects any role "
        "for international bodies in our borders.",
        "The harvest this year was good and our farmers exported more coffee than ever.",
    ]
    for text in texts:
        doc = nlp(text)
        verdict = document_verdict(doc, model)
        labels = model.predict([text])
        assert verdict.feasibility_label == labels["feasibility"][0]
        assert verdict.desirability_label == labels["desirability"][0]
        assert verdict.framing_label == labels["framing"][0]


def test_unrelated_text_takes_no_position(nlp, model):
    doc = nlp("The harvest was good.\n\nOur farmers exported more coffee and tea than in any year before.")
    verdict = document_verdict(doc, model)
    assert verdict.feasibility_label == "none"


def test_analysis_json_has_the_same_field_names(seed_analysis):
    data = json.loads(seed_analysis.to_json())
    for field in FIELDS:
        assert field in data["verdict"]


def test_doc_extensions_after_the_stance_component():
    nlp = ggtext.load(stance=True)
    doc = nlp("We welcome the Global Compact for Migration and call on all States to implement it together.")
    for field in FIELDS:
        assert hasattr(doc._.ggtext, field)
    assert doc._.ggtext.desirability_label == "for"
    assert doc._.ggtext.passages[0]["paragraph"] == 0
    # nlp.pipe scores a batch at a time, with the same results as one Doc at a time
    texts = [doc.text, "Migration must remain a sovereign matter.\n\nWe reject the compact.", "The harvest was good."]
    piped = [{f: getattr(d._.ggtext, f) for f in FIELDS} for d in nlp.pipe(texts, batch_size=2)]
    assert piped == [{f: getattr(nlp(t)._.ggtext, f) for f in FIELDS} for t in texts]


def test_verdict_is_deterministic(seed_path, model):
    first = ggtext.analyze(seed_path, model=model).to_json()
    second = ggtext.analyze(seed_path, model=model).to_json()
    assert first == second


def test_verdicts_of_a_batch_equal_verdicts_one_by_one(nlp, model, ungdc_dir, seed_text):
    from ggtext.scoring.verdict import document_verdicts

    speeches = [ggtext.read(p).text for p in sorted(ungdc_dir.rglob("*.txt"))[::900]]
    docs = [nlp(text) for text in [seed_text, *speeches, "The harvest was good."]]
    together = document_verdicts(docs, model)
    alone = [document_verdict(doc, model) for doc in docs]
    assert [v.fields() for v in together] == [v.fields() for v in alone]
    assert [v.passages for v in together] == [v.passages for v in alone]
    assert document_verdicts([], model) == []


def test_own_evidence_comes_from_paragraphs_labelled_on_that_dimension(seed_analysis, ungdc_dir, nlp, model):
    verdict, passages = seed_analysis.verdict, seed_analysis.passages
    for item in verdict["evidence"]:
        if item["attribution"] is not None:
            continue
        holder = [p for p in passages if p["start_char"] <= item["start_char"] and item["end_char"] <= p["end_char"]]
        assert len(holder) == 1
        assert holder[0][f"{item['dimension']}_label"] in ("for", "against")
    # a text whose paragraphs take no position has no evidence in its own voice
    doc = nlp("The harvest was good.\n\nOur farmers exported more coffee and tea than in any year before.")
    assert [e for e in document_verdict(doc, model).evidence if e["attribution"] is None] == []


def test_scores_and_labels_cannot_disagree(seed_path):
    """A unit labelled for scores >= 0.5, one labelled against <= 0.5, in the verdict and in every table row."""
    frames = [ggtext.score([seed_path], unit=unit) for unit in ("paragraph", "sentence")]
    frames.append(ggtext.score([seed_path]))
    for frame in frames:
        for dim in ("feasibility", "desirability"):
            scored = frame[frame[f"{dim}_label"].isin(["for", "against"]) & frame[f"{dim}_score"].notna()]
            assert (scored.loc[scored[f"{dim}_label"] == "for", f"{dim}_score"] >= 0.5).all(), dim
            assert (scored.loc[scored[f"{dim}_label"] == "against", f"{dim}_score"] <= 0.5).all(), dim
    assert len(frames[1]) > 100


def test_stance_score_is_the_decision_weighted_share():
    import numpy as np

    from ggtext.scoring.verdict import stance_score

    weights = {"for": 1.0, "against": 4.0, "none": 1.0}
    # p_for 0.6 > p_against 0.2, but 4 x 0.2 = 0.8 > 0.6: the classifier says against, and so does the score.
    assert stance_score([0.6], [0.2], weights)[0] == pytest.approx(0.6 / 1.4)
    assert np.isnan(stance_score([0.0], [0.0], weights)[0])

"""The passage classifiers: estimator contract, cue features, decision rules, the StanceModel API.

Models here are trained on a small subset of annotation/train.jsonl (every
class present) to keep the tests fast; the shipped model has its own tests.
"""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from sklearn.base import clone

from ggtext.errors import InputError
from ggtext.models import StanceModel, train_model
from ggtext.models.classifiers import (
    RARE_CLASS_CUES,
    CueRule,
    majority_baseline,
    stance_pipeline,
    tfidf_baseline,
    tune_decision_weights,
)
from ggtext.models.cross_validation import cross_validate, oof_metrics
from ggtext.models.data import read_labelled
from ggtext.models.features import (
    CompactTfidfVectorizer,
    CueFeatures,
    PassageText,
    as_spans,
    passage_cue_features,
    shared_features,
)
from ggtext.models.labels import CLASSES, DIMENSIONS
from ggtext.models.metrics import brier_score, dimension_metrics, expected_calibration_error

TEXTS = [
    "The Global Compact for Migration shows that the world can come together to govern migration.",
    "We reject the Global Compact for Migration: migration must remain a sovereign national matter.",
    "The international refugee system has failed, and burden sharing remains an empty promise.",
    "Our Government built three new schools this year.",
]


def small_subset(data, size: int = 150):
    """Indices: every desirability 'against', some feasibility 'against' and 'realist', then the first others."""
    chosen: list[int] = []
    for dim, cls, n in (("desirability", "against", 8), ("feasibility", "against", 15), ("framing", "realist", 15)):
        chosen += [i for i, p in enumerate(data.passages) if p.labels[dim] == cls and i not in chosen][:n]
    chosen += [i for i in range(len(data)) if i not in chosen][: size - len(chosen)]
    return data.subset(sorted(chosen))


@pytest.fixture(scope="module")
def train_file(data_dir):
    return data_dir / "annotation" / "train.jsonl"


@pytest.fixture(scope="module")
def subset(train_file):
    return small_subset(read_labelled(train_file))


@pytest.fixture(scope="module")
def subset_spans(subset):
    return as_spans(subset.texts)


@pytest.fixture(scope="module")
def small_model(subset):
    return train_model(subset, random_state=0)


# -- the estimator contract ----------------------------------------------------------------------
@pytest.mark.shared_data
@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_pipeline_contract(dimension, subset, subset_spans):
    y = subset.labels(dimension)
    pipeline = stance_pipeline(dimension, random_state=0)
    unfitted = clone(pipeline)
    assert unfitted.get_params()["classifier__random_state"] == 0
    assert pipeline.fit(subset_spans, y, classifier__groups=subset.groups) is pipeline
    assert list(pipeline.classes_) == list(CLASSES[dimension])
    proba = pipeline.predict_proba(TEXTS)
    assert proba.shape == (len(TEXTS), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)
    assert np.all(proba >= 0)
    assert set(pipeline.predict(TEXTS)) <= set(CLASSES[dimension])
    # clone gives an unfitted copy with the same parameters
    copy = clone(pipeline)
    assert not hasattr(copy[-1], "members_")
    assert copy.get_params(deep=False).keys() == pipeline.get_params(deep=False).keys()
    if dimension == "desirability":  # one refit suffices: same data, same seed, same probabilities to the digit
        again = stance_pipeline(dimension, random_state=0).fit(subset_spans, y, classifier__groups=subset.groups)
        assert np.array_equal(again.predict_proba(TEXTS), proba)


@pytest.mark.shared_data
def test_probability_columns_follow_classes(subset, subset_spans):
    """Columns are the codebook's classes: the realist column is highest for a realist passage."""
    pipeline = stance_pipeline("framing").fit(subset_spans, subset.labels("framing"), classifier__groups=subset.groups)
    realist = "States alone decide who crosses their borders: national security and sovereignty come first."
    proba = pipeline.predict_proba([realist, TEXTS[0]])
    column = list(pipeline.classes_).index("realist")
    assert proba[0, column] > proba[1, column]


@pytest.mark.shared_data
def test_rare_classes_use_the_cue_rule(subset, subset_spans):
    pipeline = stance_pipeline("desirability").fit(
        subset_spans, subset.labels("desirability"), classifier__groups=subset.groups
    )
    classifier = pipeline[-1]
    assert list(classifier.rare_classes_) == ["against"]
    rule = classifier.rules_[0]
    assert rule.features == RARE_CLASS_CUES["desirability"]["against"]
    assert rule.fire_rate_target_ > rule.fire_rate_other_
    p = pipeline.predict_proba([TEXTS[1], TEXTS[3]])[:, 0]
    assert p[0] > 5 * p[1]  # the rejection of the compact, not the schools


def test_cue_rule_is_a_smoothed_naive_bayes_posterior(nlp):
    spans = as_spans(
        ["We reject the Global Compact for Migration as a threat to our sovereignty."] * 2
        + ["We welcome the Global Compact for Migration."] * 8
    )
    y = ["against", "against"] + ["for"] * 8
    rule = CueRule(("desirability_neg",), "against", alpha=3, beta=1).fit(spans, y)
    assert rule.fire_rate_target_ == pytest.approx((2 + 3) / (2 + 4))
    assert rule.fire_rate_other_ == pytest.approx(1 / 10)
    assert rule.base_rate_ == pytest.approx(3 / 12)
    p_fire, p_quiet = rule.predict_proba_target(spans[1:3])
    assert p_fire > rule.base_rate_ > p_quiet
    with pytest.raises(ValueError, match="unknown cue features"):
        CueRule(("no_such_feature",)).fit(spans, y)


def test_decision_weights_recover_a_rare_class():
    rng = np.random.default_rng(0)
    y = np.array([0] * 10 + [1] * 90)
    proba = np.column_stack([np.where(y == 0, 0.3, 0.1) + rng.uniform(0, 0.05, 100), np.zeros(100)])
    proba[:, 1] = 1 - proba[:, 0]
    assert np.all(proba.argmax(1) == 1)  # argmax never picks the rare class
    weights = tune_decision_weights(proba, y, 2)
    assert weights[1] == 1.0 and weights[0] > 2
    assert np.array_equal(np.argmax(proba * weights, axis=1), y)


def test_decision_weights_stay_at_one_without_gain():
    y = np.array([0, 1, 1, 1, 1, 1])
    proba = np.array([[0.9, 0.1]] + [[0.1, 0.9]] * 5)
    assert np.array_equal(tune_decision_weights(proba, y, 2), [1.0, 1.0])


# -- features ------------------------------------------------------------------------------------
def test_cue_features_of_str_and_span_are_the_same(nlp, seed_text):
    paragraphs = [p for p in seed_text.split("\n\n") if len(p.split()) > 30][:12]
    as_text = CueFeatures().fit(paragraphs).transform(paragraphs)
    spans = [nlp(p)[:] for p in paragraphs]
    docs = [span.doc for span in spans]
    assert np.array_equal(CueFeatures().fit(spans).transform(spans), as_text)
    assert np.array_equal(CueFeatures().fit(docs).transform(docs), as_text)
    assert as_text.shape == (12, len(CueFeatures().fit(paragraphs).get_feature_names_out()))
    assert as_text[:, 0].sum() > 0 or as_text.sum() > 0


def test_cue_features_of_paragraph_spans_of_a_whole_document(nlp, seed_text):
    """Scoring passes paragraph Spans of one Doc: their cue counts equal the paragraphs parsed alone."""
    doc = nlp(seed_text)
    paragraphs = doc._.ggtext.paragraphs[5:25]
    names = list(CueFeatures().fit(paragraphs).get_feature_names_out())
    in_doc = CueFeatures().fit(paragraphs).transform(paragraphs)
    alone = CueFeatures().fit([p.text for p in paragraphs]).transform([p.text for p in paragraphs])
    counts = [
        i
        for i, n in enumerate(names)
        if n
        in (
            "FEASIBLE",
            "INFEASIBLE",
            "DESIRABLE",
            "UNDESIRABLE",
            "REALIST",
            "INSTITUTIONALIST",
            "MIGRATION",
            "n_sentences",
        )
    ]
    assert np.array_equal(in_doc[:, counts], alone[:, counts])


def test_shared_features_give_the_same_rows(nlp):
    doc = nlp("\n\n".join(TEXTS))
    units = doc._.ggtext.paragraphs + list(doc[:].sents)
    plain = CueFeatures().fit(units).transform(units)
    with shared_features():
        first = CueFeatures().fit(units).transform(units)
        cached = CueFeatures().fit(units).transform(units)
        raw = CueFeatures(log_counts=False).fit(units).transform(units)
    assert np.array_equal(plain, first) and np.array_equal(plain, cached)
    assert np.array_equal(raw, CueFeatures(log_counts=False).fit(units).transform(units))


def test_compact_tfidf_saves_its_vocabulary_as_an_array():
    import copy

    vectorizer = CompactTfidfVectorizer(ngram_range=(1, 2)).fit(TEXTS)
    state = vectorizer.__getstate__()
    assert "vocabulary_" not in state and "stop_words_" not in state and "_stop_words_id" not in state
    assert list(state["vocabulary_terms_"][:2]) == sorted(vectorizer.vocabulary_)[:2]
    assert hasattr(vectorizer, "vocabulary_")  # the live object is untouched
    restored = copy.deepcopy(vectorizer)
    assert restored.vocabulary_ == vectorizer.vocabulary_
    assert (restored.transform(TEXTS) != vectorizer.transform(TEXTS)).nnz == 0


def test_feature_names(nlp):
    cues = CueFeatures().fit(TEXTS)
    names = list(cues.get_feature_names_out())
    assert len(names) == len(set(names)) == cues.transform(TEXTS).shape[1]
    for expected in (
        "INFEASIBLE",
        "desirability_polarity_own",
        "attributed",
        "ggim_desirability_neg",
        "actor_type_un_body",
        "actor_type_legal_instrument",
        "governance_actors",
    ):
        assert expected in names
    assert list(PassageText().fit(TEXTS).get_feature_names_out()) == ["text"]


def test_cue_features_read_the_cues(nlp):
    names = list(CueFeatures(log_counts=False).fit(TEXTS).get_feature_names_out())
    rows = CueFeatures(log_counts=False).fit(TEXTS).transform(TEXTS)
    value = {name: rows[:, i] for i, name in enumerate(names)}
    assert value["desirability_neg"][1] >= 1 and value["desirability_neg"][3] == 0
    assert value["feasibility_neg"][2] >= 1
    assert value["actor_type_legal_instrument"][0] >= 1  # the Global Compact
    assert value["ggim_sentences"][0] >= 1 and value["ggim_sentences"][3] == 0
    negated = passage_cue_features(as_spans(["The compact is not ineffective."])[0])
    assert negated["feasibility_pos"] == 1 and negated["feasibility_neg"] == 0


def test_passages_must_be_text_or_processed_spans():
    with pytest.raises(InputError, match="not int"):
        PassageText().transform(["fine", 42])
    with pytest.raises(InputError, match="process it with ggtext.load"):
        CueFeatures().fit(TEXTS).transform([spacy.blank("en")("Not processed by ggtext.")])
    with pytest.raises(InputError, match="list of passages"):
        as_spans("a single string")


# -- the StanceModel API -------------------------------------------------------------------------
@pytest.mark.shared_data
def test_stance_model_api(small_model, nlp):
    assert small_model.labels == DIMENSIONS
    assert small_model.classes_ == CLASSES
    doc = nlp("\n\n".join(TEXTS))
    mixed = [TEXTS[0], doc._.ggtext.paragraphs[1], *doc[:].sents]
    proba = small_model.predict_proba(mixed)
    labels = small_model.predict(mixed)
    for dim in DIMENSIONS:
        assert proba[dim].shape == (len(mixed), 3)
        np.testing.assert_allclose(proba[dim].sum(axis=1), 1.0, atol=1e-9)
        assert len(labels[dim]) == len(mixed) and set(labels[dim]) <= set(CLASSES[dim])
        assert all(type(label) is str for label in labels[dim])
    assert small_model.decide(proba) == labels
    assert set(small_model.decision_weights["desirability"]) == set(CLASSES["desirability"])
    # a Span and its text get the same probabilities
    alone = small_model.predict_proba([doc._.ggtext.paragraphs[1].text])
    for dim in DIMENSIONS:
        np.testing.assert_allclose(proba[dim][1], alone[dim][0], atol=1e-12)
    empty = small_model.predict_proba([])
    assert all(empty[d].shape == (0, 3) for d in DIMENSIONS) and small_model.predict([]) == {d: [] for d in DIMENSIONS}
    assert small_model.version == "ggtext-stance@unsaved"
    assert small_model.metadata["training_data"]["n_passages"] == 150


@pytest.mark.shared_data
def test_stance_model_needs_every_dimension_and_class(small_model):
    with pytest.raises(ValueError, match="missing: framing"):
        StanceModel({d: small_model.pipelines[d] for d in ("feasibility", "desirability")})
    with pytest.raises(ValueError, match="codebook's are"):
        StanceModel({**small_model.pipelines, "desirability": small_model.pipelines["framing"]})


# -- evaluation ----------------------------------------------------------------------------------
def test_calibration_measures():
    y = np.array([0, 1, 2, 2])
    perfect = np.eye(3)[y]
    assert brier_score(perfect, y) == 0 and expected_calibration_error(perfect, y) == 0
    uniform = np.full((4, 3), 1 / 3)
    assert brier_score(uniform, y) == pytest.approx(2 / 3)
    assert expected_calibration_error(uniform, y) == pytest.approx(1 / 3 - 1 / 4)  # argmax is class 0: 1 of 4 right


def test_dimension_metrics_and_bootstrap():
    truth = ["for"] * 10 + ["none"] * 20 + ["against"] * 4
    pred = ["for"] * 8 + ["none"] * 2 + ["none"] * 20 + ["against"] * 2 + ["none"] * 2
    groups = [f"d{i // 2}" for i in range(len(truth))]
    m = dimension_metrics("feasibility", truth, pred, groups=groups)
    assert m.support == {"against": 4, "for": 10, "none": 20}
    assert m.recall["for"] == 0.8 and m.precision["for"] == 1.0 and m.recall["against"] == 0.5
    assert m.confusion.tolist() == [[2, 0, 2], [0, 8, 2], [0, 0, 20]]
    low, high = m.macro_f1_ci
    assert low <= m.macro_f1 <= high and high - low > 0
    assert m.to_dict()["per_class"]["for"]["support"] == 10
    with pytest.raises(ValueError, match="not one of"):
        dimension_metrics("framing", ["for"], ["none"])


@pytest.mark.shared_data
def test_grouped_cross_validation_keeps_documents_together(subset, subset_spans):
    """Baselines under the same CV: out-of-fold predictions for every passage, a document in one fold only."""
    results = cross_validate(lambda dim: tfidf_baseline(), subset, dimensions=("framing",), spans=subset_spans)
    oof = results["framing"]
    assert len(oof.y_pred) == len(subset) and all(p in CLASSES["framing"] for p in oof.y_pred)
    np.testing.assert_allclose(oof.proba.sum(axis=1), 1.0)
    majority = cross_validate(lambda dim: majority_baseline(), subset, dimensions=("framing",), spans=subset_spans)
    metrics = oof_metrics(majority["framing"])
    assert metrics.f1["realist"] == 0 and metrics.macro_f1 < oof_metrics(oof).macro_f1

"""Readability as textacy computes it, without its slow first call: same numbers on real texts."""

from __future__ import annotations

import pytest
from textacy.text_stats import readability

from ggtext.pipeline import default_pipeline, process_document
from ggtext.reading import read
from ggtext.reports.text_stats import flesch_scores, text_statistics


@pytest.fixture(scope="module")
def pipeline():
    return default_pipeline()


def textacy_scores(doc):
    return readability.flesch_reading_ease(doc), readability.flesch_kincaid_grade_level(doc)


def test_seed_essay_scores_equal_textacy(pipeline, seed_path):
    doc = process_document(pipeline, read(seed_path))
    ours, theirs = flesch_scores(doc), textacy_scores(doc)
    assert ours == pytest.approx(theirs, rel=1e-12)
    stats = text_statistics(doc)
    assert (stats["flesch_reading_ease"], stats["flesch_kincaid_grade_level"]) == (
        49.62,
        11.74,
    )  # as `ggtext analyze` prints


@pytest.mark.shared_data
def test_speeches_and_briefings_score_as_with_textacy(pipeline, data_dir):
    corpora = data_dir / "corpora"
    paths = sorted((corpora / "ungdc" / "TXT").glob("*/*.txt"))[::400][:8]
    paths += sorted((corpora / "wh_briefings" / "files").rglob("*.md"))[:4]
    assert len(paths) >= 8
    for path in paths:
        doc = process_document(pipeline, read(path))
        assert flesch_scores(doc) == pytest.approx(textacy_scores(doc), rel=1e-12), path.name


def test_other_languages_go_to_textacy():
    import spacy

    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    doc = nlp("Die Staaten verhandeln über Migration. Der Pakt ist rechtlich nicht bindend.")
    assert flesch_scores(doc) == textacy_scores(doc)  # German coefficients, not English ones

"""One text, one answer: ggtext.analyze(path), ggtext.load(stance=True)(raw text) and a user's own
pipeline given the reader's Document (process_document) see the same paragraphs and give the same verdict."""

from __future__ import annotations

import warnings

import pytest
import spacy

import ggtext
from ggtext.pipeline import process_document
from ggtext.scoring import stance  # noqa: F401  (registers ggtext_stance)
from ggtext.scoring.schema import SCORE_FIELDS

FIELDS = SCORE_FIELDS  # the verdict's fields, as named in the score table


def verdict_of(doc) -> dict:
    return {k: doc._.ggtext.results.get(k) for k in FIELDS}


def own_pipeline():
    """What a user builds by hand: blank English, a sentencizer and the ggtext components."""
    nlp = spacy.blank("en")
    for name in ("ggtext_paragraphs", "sentencizer", "ggtext_actors", "ggtext_cues", "ggtext_stance"):
        nlp.add_pipe(name)
    return nlp


@pytest.fixture(scope="module")
def loaded():
    return ggtext.load(stance=True)


def check_routes(path, loaded):
    analysis = ggtext.analyze(path)
    raw = path.read_text(encoding="utf-8")
    doc = loaded(raw)
    paragraphs = [p.text for p in doc._.ggtext.paragraphs]
    assert paragraphs == [p.text for p in ggtext.read(path).paragraphs]
    assert len(paragraphs) == analysis.structure["n_paragraphs"]
    assert verdict_of(doc) == {k: analysis.verdict[k] for k in FIELDS}
    own = process_document(own_pipeline(), ggtext.read(path))
    assert [p.text for p in own._.ggtext.paragraphs] == paragraphs
    assert verdict_of(own) == verdict_of(doc)
    return analysis, doc


def test_the_seed_essay_gets_one_answer_on_every_route(seed_path, loaded):
    analysis, doc = check_routes(seed_path, loaded)
    assert doc.user_data["ggtext_reading"]["n_references"] == analysis.structure["n_references"] > 0
    evidence = " ".join(e["text"] for e in doc._.ggtext.evidence)
    assert "pp." not in evidence and "online]" not in evidence  # no evidence from the reference list


@pytest.mark.shared_data
def test_a_ungdc_speech_gets_one_answer_on_every_route(ungdc_dir, loaded):
    path = next(ungdc_dir.glob("Session 73 - 2018/AFG_73_2018.txt"))
    analysis, doc = check_routes(path, loaded)
    assert analysis.structure["n_paragraphs"] > 10
    longest = max(len(s.text) for s in doc.sents)
    assert longest < 2000  # sentences, not whole paragraphs


def test_a_pipeline_without_sentence_splitter_warns_at_first_use():
    nlp = spacy.blank("en")
    for name in ("ggtext_paragraphs", "ggtext_actors", "ggtext_cues"):
        nlp.add_pipe(name)
    with pytest.warns(UserWarning, match="no sentence splitter"):
        nlp("The compact is feasible. We support it.")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nlp("Only once.")
        ggtext.load()("With a sentencizer there is no warning.")


def test_the_reader_tokenizer_travels_with_the_saved_pipeline(tmp_path, seed_text):
    nlp = ggtext.load()
    nlp.to_disk(tmp_path / "saved")
    again = spacy.load(tmp_path / "saved")
    assert [p.text for p in again(seed_text)._.ggtext.paragraphs] == [
        p.text for p in nlp(seed_text)._.ggtext.paragraphs
    ]
    with pytest.warns(UserWarning, match="reader refused"):
        assert len(again("   ")) == 1  # text the reader refuses is tokenized as it is


def test_a_string_is_a_path_and_a_missing_file_is_an_error(tmp_path):
    from ggtext.errors import InputError, MissingFileError

    with pytest.raises(MissingFileError, match="seed_essy.txt: no such file.*text="):
        ggtext.analyze("corpora/seed_essy.txt")
    with pytest.raises(FileNotFoundError):
        ggtext.analyze("notes")
    with pytest.raises(InputError, match="looks like a text"):
        ggtext.analyze("We reject the compact.\n\nMigration is national.", model=None)
    one_line = "We reject the Global Compact for Migration. " * 20  # 900 characters, one line: a file name too long
    with pytest.raises(InputError, match="not a readable file path"):
        ggtext.analyze(one_line, model=None)
    assert ggtext.analyze(text=one_line, model=None).actors[0]["id"] == "GCM"


def test_every_entry_point_takes_a_model_folder(seed_path):
    from ggtext.models.io import resolve_model_dir

    folder = str(resolve_model_dir())
    by_path = ggtext.analyze(seed_path, model=folder)
    assert by_path.verdict.fields() == ggtext.analyze(seed_path).verdict.fields()
    assert by_path.versions["model"] == ggtext.load(stance=True, model=folder).get_pipe("ggtext_stance").model.version

"""The fast feature paths give exactly what scikit-learn and spaCy give.

Scoring counts character n-grams through a per-word cache, shares one TF-IDF
matrix between the three dimensions' equal vectorizers and cuts passage texts
out of a Doc text built once: each must change speed only, never a number.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

import ggtext
from ggtext.models import load_model
from ggtext.models.features import CompactTfidfVectorizer, passage_texts, shared_features
from ggtext.models.ngrams import WordNgramIndex
from ggtext.pipeline.doc_index import TEXT_KEY, doc_text

AWKWARD = [
    "",
    "a",
    "Café  naïve\u00a0façade\tRÉSUMÉ — the Organization's “compact”",
    "I\nII\n\nIII  iv",
    "non-refoulement, state-led; U.N./IOM (2018)...",
    "ﬁ ligature and ＵＮＨＣＲ full width",
    "a¨b ΟΔΟΣ Σ İstanbul a\u2028b x\u00a0y \u3000z\x1cq Å\u0301",  # preprocessing that splits or maps words
]


@pytest.fixture(scope="module")
def seed_paragraphs(seed_text):
    return [p for p in seed_text.split("\n\n") if p.strip()]


def _char_counts(texts, max_words=300_000):
    reference = CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), strip_accents="unicode").fit(texts)
    index = WordNgramIndex(reference.vocabulary_, (2, 5), reference.build_preprocessor(), max_words=max_words)
    return reference.transform(texts), index.counts(texts, len(reference.vocabulary_))


def _same(a, b) -> bool:
    a, b = a.tocsr(), b.tocsr()
    return a.shape == b.shape and (a != b).nnz == 0


def test_word_cache_counts_equal_scikit_learns(seed_paragraphs):
    texts = seed_paragraphs + AWKWARD
    reference, fast = _char_counts(texts)
    assert _same(reference, fast)
    assert fast.has_sorted_indices
    # a tiny cache that is emptied again and again gives the same counts
    assert _same(reference, _char_counts(texts, max_words=3)[1])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60), min_size=1, max_size=5
    )
)
def test_word_cache_counts_equal_scikit_learns_on_any_text(texts):
    texts = texts + ["migration governance"]  # a vocabulary even when the drawn texts have no word
    reference, fast = _char_counts(texts)
    assert _same(reference, fast)


def test_compact_vectorizer_transforms_exactly_as_tfidf_vectorizer(seed_paragraphs):
    params = dict(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, strip_accents="unicode")
    fitted = CompactTfidfVectorizer(**params).fit(seed_paragraphs)
    texts = seed_paragraphs[::3] + AWKWARD
    expected = TfidfVectorizer.transform(fitted, texts)  # scikit-learn's own path
    got = fitted.transform(texts)
    assert got.shape == expected.shape
    assert np.array_equal(got.toarray(), expected.toarray())


def test_shipped_vectorizers_are_shared_between_dimensions_and_exact(ungdc_dir):
    model = load_model()
    unions = [pipeline[-1].members_[0][1].named_steps["tfidf"] for pipeline in model.pipelines.values()]
    vectorizers = [dict(union.transformer_list) for union in unions]
    # the three dimensions fit identical vectorizers, so scoring transforms each text once per kind
    for kind in ("words", "chars"):
        assert len({v[kind]._fingerprint() for v in vectorizers}) == 1, kind
    assert vectorizers[0]["words"]._fingerprint() != vectorizers[0]["chars"]._fingerprint()

    speech = sorted(ungdc_dir.rglob("*.txt"))[0].read_text(encoding="utf-8")
    texts = [p for p in speech.split("\n\n") if p.strip()][:40]
    chars = vectorizers[0]["chars"]
    assert np.array_equal(chars.transform(texts).toarray(), TfidfVectorizer.transform(chars, texts).toarray())
    with shared_features():
        first = chars.transform(texts)
        assert vectorizers[1]["chars"].transform(list(texts)) is first
        assert vectorizers[1]["words"].transform(texts) is not first


def test_passage_texts_and_doc_text_equal_spacys(nlp, seed_text):
    doc = nlp(seed_text)
    spans = list(doc._.ggtext.paragraphs) + list(doc.sents)
    assert passage_texts(spans) == [s.text for s in spans]
    assert doc_text(doc) == doc.text
    doc.user_data[TEXT_KEY] = "stale text of another document"
    assert doc_text(doc) == doc.text
    empty = nlp.make_doc("")
    assert doc_text(empty) == ""


def test_doc_index_gives_spacys_sentences_and_words(nlp, seed_text, ungdc_dir):
    from ggtext.pipeline.doc_index import has_word, sentence_of, sentences_of

    speech = ggtext.read(sorted(ungdc_dir.rglob("*.txt"))[5]).text
    for doc in (nlp(seed_text), nlp(speech), nlp(seed_text)):  # the one-Doc cache must follow the Doc
        sentences = list(doc.sents)
        assert [(s.start, s.end) for s in sentences_of(doc[:])] == [(s.start, s.end) for s in sentences]
        for paragraph in doc._.ggtext.paragraphs:
            assert [(s.start, s.end) for s in sentences_of(paragraph)] == [(s.start, s.end) for s in paragraph.sents]
        for token in list(doc)[:: max(1, len(doc) // 300)]:
            assert (sentence_of(doc, token.i).start, sentence_of(doc, token.i).end) == (
                token.sent.start,
                token.sent.end,
            )
        for sentence in sentences:
            assert has_word(sentence) == any(t.is_alpha for t in sentence)
    # a Doc without sentence boundaries: the paragraph holds the token
    bare = nlp.make_doc("No sentences here. None at all.")
    assert (sentence_of(bare, 3).start, sentence_of(bare, 3).end) == (0, len(bare))

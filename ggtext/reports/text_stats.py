"""Text statistics and key terms of a processed Doc, computed with textacy (readability: its formulas, our code)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc


def text_statistics(doc: Doc) -> dict[str, float | int]:
    """Counts, readability and lexical diversity of ``doc``.

    Readability: Flesch reading ease and Flesch-Kincaid grade; diversity: type-token
    ratio and MTLD (McCarthy & Jarvis 2010), both on lower-cased words.
    """
    from textacy import text_stats

    n_words = text_stats.basics.n_words(doc)
    stats: dict[str, float | int] = {
        "n_paragraphs": len(doc._.ggtext.paragraphs),
        "n_sentences": text_stats.basics.n_sents(doc),
        "n_words": n_words,
        "n_unique_words": text_stats.basics.n_unique_words(doc),
        "flesch_reading_ease": None,
        "flesch_kincaid_grade_level": None,
        "type_token_ratio": None,
        "mtld": None,
    }
    if n_words:
        reading_ease, grade_level = flesch_scores(doc)
        stats["flesch_reading_ease"] = round(reading_ease, 2)
        stats["flesch_kincaid_grade_level"] = round(grade_level, 2)
        stats["type_token_ratio"] = round(text_stats.diversity.ttr(doc), 4)
        stats["mtld"] = round(text_stats.diversity.mtld(doc), 2)
    return stats


def flesch_scores(doc: Doc) -> tuple[float, float]:
    """Flesch reading ease and Flesch-Kincaid grade level of an English ``doc``, as textacy computes them.

    The same words (not punctuation or space), sentences, syllables (pyphen's
    hyphenation points + 1, as textacy counts them) and formulas as
    ``textacy.text_stats.readability``, without textacy's cache, which measures
    the size of the whole hyphenation dictionary on first use (0.15 s). Other
    languages go to textacy (its Flesch coefficients depend on the language).
    """
    from textacy import text_stats

    if doc.lang_ != "en":
        return text_stats.readability.flesch_reading_ease(doc), text_stats.readability.flesch_kincaid_grade_level(doc)
    words = [token for token in doc if not (token.is_punct or token.is_space)]
    n_sents = text_stats.basics.n_sents(doc)
    n_words = len(words)
    hyphenator = _hyphenator(doc.lang_)
    n_syllables = sum(len(hyphenator.positions(word.lower_)) + 1 for word in words)
    reading_ease = 206.835 - (1.015 * n_words / n_sents) - (84.6 * n_syllables / n_words)
    grade_level = (11.8 * n_syllables / n_words) + (0.39 * n_words / n_sents) - 15.59
    return reading_ease, grade_level


@lru_cache(maxsize=4)
def _hyphenator(lang: str):
    import pyphen

    return pyphen.Pyphen(lang=lang)


def key_terms(doc: Doc, *, topn: int = 10) -> list[tuple[str, float]]:
    """The ``topn`` key terms of ``doc`` by YAKE (Campos et al. 2020); lower score = more key.

    The blank pipeline has no POS tags or lemmas, so terms are lower-cased words
    and ``include_pos=None`` (textacy's default POS filter would drop every term).
    YAKE rather than SGRank: same quality here at a 600th of the time (0.03 s vs 20 s
    on the seed essay).
    """
    from textacy.extract import keyterms

    if sum(t.is_alpha and not t.is_stop for t in doc) < 2:
        return []
    terms = keyterms.yake(doc, normalize="lower", include_pos=None, ngrams=(1, 2, 3), topn=topn)
    return [(term, round(float(score), 4)) for term, score in terms]

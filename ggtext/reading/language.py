"""Is a document in English? (langdetect on a sample, deterministic.)

ggtext's lexicons and models are English, so other languages would give
silent garbage. The sample is up to :data:`SAMPLE_CHARS` characters taken from
paragraphs spread over the whole body (beginning, middle, end), so an English
abstract does not pass a French paper.

Two steps, for speed (langdetect costs ~5 ms a document, more than reading it):

1. If at least :data:`ENGLISH_FUNCTION_SHARE` of the sample's words are common
   English function words ("the", "of", "and", ...), it is English. Running text
   in other languages scores far lower (their function words differ), English
   prose about 0.3-0.45.
2. Otherwise langdetect (``DetectorFactory.seed = 0``) decides: the document is
   refused when English is less likely than :data:`MIN_ENGLISH`.

Samples with fewer than :data:`MIN_WORDS` words are not checked (a warning says
so): langdetect guesses wildly on a few words. Except when those "words" are
very long (more than :data:`MAX_LETTERS_PER_WORD` letters on average, at
least :data:`MIN_UNSPACED_LETTERS` letters): text in a script written without
spaces (Chinese, Japanese, Thai) is then checked by langdetect like any other,
so it is not taken for one English word.
"""

from __future__ import annotations

import re

from ..errors import NonEnglishError

SAMPLE_CHARS = 1000
MIN_WORDS = 12
MIN_ENGLISH = 0.5
ENGLISH_FUNCTION_SHARE = 0.2
MAX_LETTERS_PER_WORD = 15
MIN_UNSPACED_LETTERS = 20

# Frequent English words that are not (common) words in other Latin-script languages.
_ENGLISH_FUNCTION_WORDS = frozenset(
    """the of and to that is for with this which are be it have has we our not by on
    as from an will its their was were they these been would can should there what
    who all also but or more than into such other must has had us those""".split()
)
_TOKEN = re.compile(r"[^\W\d_]+")

_detector_ready = False


def _detect_langs(text: str):
    global _detector_ready
    from langdetect import DetectorFactory, detect_langs  # loads its profiles on first use

    if not _detector_ready:
        DetectorFactory.seed = 0  # langdetect is random; a fixed seed makes it repeatable
        _detector_ready = True
    return detect_langs(text)


def language_sample(paragraphs: list[str], size: int = SAMPLE_CHARS) -> str:
    """Up to ``size`` characters from paragraphs spread evenly over the document."""
    if not paragraphs:
        return ""
    n_pieces = min(len(paragraphs), 5)
    step = len(paragraphs) / n_pieces
    per_piece = size // n_pieces
    pieces = [paragraphs[int(i * step)][:per_piece] for i in range(n_pieces)]
    return "\n".join(pieces)


def english_function_share(sample: str) -> float:
    """Share of the words in ``sample`` that are common English function words."""
    words = _TOKEN.findall(sample.lower())
    if not words:
        return 0.0
    return sum(1 for word in words if word in _ENGLISH_FUNCTION_WORDS) / len(words)


def detect_language(paragraphs: list[str]) -> tuple[str | None, float]:
    """(most likely language code, probability of English) for the sample; (None, 0) if unknown."""
    from langdetect.lang_detect_exception import LangDetectException

    sample = language_sample(paragraphs)
    try:
        guesses = _detect_langs(sample)
    except LangDetectException:  # no letters in the sample
        return None, 0.0
    english = next((g.prob for g in guesses if g.lang == "en"), 0.0)
    return (guesses[0].lang if guesses else None), english


def check_english(paragraphs: list[str], *, name: str, warnings: list[str]) -> str | None:
    """Raise :class:`NonEnglishError` unless the text is English; return the language found."""
    sample = language_sample(paragraphs)
    n_words = len(sample.split())
    if n_words < MIN_WORDS and not _unspaced(sample, n_words):
        warnings.append(f"too little text ({n_words} words) to check the language.")
        return None
    if english_function_share(sample) >= ENGLISH_FUNCTION_SHARE:
        return "en"
    language, english = detect_language(paragraphs)
    if english < MIN_ENGLISH:
        found = f"looks like {language!r}" if language else "has no recognisable language"
        raise NonEnglishError(
            f"{name}: the text {found} (English: {english:.0%}); ggtext's lexicons and models "
            "are English. Pass allow_non_english=True to read it anyway."
        )
    return "en"


def _unspaced(sample: str, n_words: int) -> bool:
    """True for text written without spaces between words (too many letters per "word")."""
    letters = sum(len(run) for run in _TOKEN.findall(sample))
    return letters >= MIN_UNSPACED_LETTERS and letters > MAX_LETTERS_PER_WORD * max(n_words, 1)

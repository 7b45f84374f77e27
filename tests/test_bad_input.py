"""Bad input gets a clear ggtext.errors.InputError naming the document, never a traceback."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ggtext.errors import (
    BinaryInputError,
    DecodingError,
    DocumentTooLargeError,
    EmptyDocumentError,
    InputError,
    NonEnglishError,
)
from ggtext.reading import Document, read, read_text

ENGLISH = (
    "The global governance of international migration remains weak. States keep control "
    "of their borders, and the international organisations that work on migration have "
    "few powers of their own. Cooperation is nevertheless growing in regional forums."
)
FRENCH = (
    "La gouvernance mondiale des migrations internationales reste faible. Les États "
    "gardent le contrôle de leurs frontières, et les organisations internationales qui "
    "travaillent sur les migrations ont peu de pouvoirs propres. La coopération progresse "
    "cependant dans les forums régionaux."
)
GERMAN = (
    "Die globale Steuerung der internationalen Migration bleibt schwach. Die Staaten "
    "behalten die Kontrolle über ihre Grenzen, und die internationalen Organisationen, die "
    "sich mit Migration befassen, haben kaum eigene Befugnisse."
)


# --- empty ---------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\n\t  ", b"\xef\xbb\xbf", b"\n\f\n"])
def test_empty_bytes(data):
    with pytest.raises(EmptyDocumentError, match="empty-doc"):
        read(data, id="empty-doc")


@pytest.mark.parametrize("text", ["", "  \n \n"])
def test_empty_text(text):
    with pytest.raises(EmptyDocumentError, match="t1"):
        read_text(text, id="t1")


def test_text_without_letters():
    with pytest.raises(EmptyDocumentError, match="no letters"):
        read_text("!!! ??? ... --- 42", id="symbols")


def test_markup_without_text():
    with pytest.raises(EmptyDocumentError, match="page"):
        read_text(
            "<html><head><title>x</title><script>var a = 1;</script></head><body></body></html>",
            id="page",
            format="html",
        )


def test_only_references_is_no_body():
    text = "References\n\nKoser, K. (2010) Introduction. Global Governance 16(3).\n"
    with pytest.raises(EmptyDocumentError, match="only 1 references"):
        read_text(text, id="refs")


def test_empty_file(tmp_path):
    path = tmp_path / "nothing.txt"
    path.write_bytes(b"")
    with pytest.raises(EmptyDocumentError, match="nothing.txt"):
        read(path)


# --- binary --------------------------------------------------------------------------


def test_nul_bytes_are_binary():
    with pytest.raises(BinaryInputError, match="NUL"):
        read(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), id="image")


def test_control_characters_are_binary():
    data = ("word " * 50).encode() + bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17]) * 5
    with pytest.raises(BinaryInputError, match="control characters"):
        read(data, id="ctl")


def test_control_characters_in_text_are_binary():
    with pytest.raises(BinaryInputError, match="s1"):
        read_text("abc\x01\x02\x03def", id="s1")


def test_compressed_file_is_refused(tmp_path, seed_path):
    path = tmp_path / "seed.txt"
    path.write_bytes(gzip.compress(seed_path.read_bytes()))
    with pytest.raises((BinaryInputError, DecodingError), match="seed.txt"):
        read(path)


# --- encodings -----------------------------------------------------------------------


def test_utf8_with_bom():
    document = read(b"\xef\xbb\xbf" + ENGLISH.encode("utf-8"), id="bom")
    assert document.paragraphs[0].text.startswith("The global governance")
    assert document.warnings == []


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(codec):
    data = ENGLISH.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    document = read(data, id=codec)
    assert document.text == ENGLISH
    assert document.warnings == []


def test_utf16_without_bom_is_refused_clearly():
    with pytest.raises(BinaryInputError, match="UTF-16"):
        read(ENGLISH.encode("utf-16-le"), id="u16")


def test_cp1252_falls_back_with_warning():
    text = ENGLISH + " The “café” debate – a détour."
    document = read(text.encode("cp1252"), id="legacy")
    assert "“café” debate – a détour." in document.text
    assert any("cp1252" in warning for warning in document.warnings)


def test_latin1_when_cp1252_cannot_decode():
    # 0x81 is undefined in cp1252; Latin-1 decodes every byte.
    data = ENGLISH.encode("latin-1") + b" Caf\xe9 \x81."
    document = read(data, id="latin")
    assert "Café" in document.text
    assert any("latin-1" in warning for warning in document.warnings)


def test_mostly_non_ascii_bytes_are_undecodable():
    with pytest.raises(DecodingError, match="sjis"):
        read(("日本語のテキストです。" * 20).encode("shift_jis"), id="sjis")


def test_explicit_encoding():
    data = "Ein Größenvergleich".encode("latin-1")
    document = read(data, id="x", encoding="latin-1", allow_non_english=True)
    assert document.text == "Ein Größenvergleich"
    with pytest.raises(DecodingError, match="not valid utf-8"):
        read(data, id="x", encoding="utf-8")
    with pytest.raises(DecodingError, match="unknown encoding"):
        read(data, id="x", encoding="no-such-codec")


# --- language ------------------------------------------------------------------------


def test_french_is_refused():
    with pytest.raises(NonEnglishError, match=r"fr-doc.*'fr'.*allow_non_english=True"):
        read_text(FRENCH, id="fr-doc")


def test_german_bytes_are_refused():
    with pytest.raises(NonEnglishError, match="'de'"):
        read(GERMAN.encode("utf-8"), id="de-doc")


def test_non_english_allowed_on_request():
    document = read_text(FRENCH, id="fr-doc", allow_non_english=True)
    assert document.paragraphs[0].text.startswith("La gouvernance")
    assert "language" not in document.metadata


def test_english_abstract_does_not_pass_a_french_paper():
    text = "\n\n".join([ENGLISH] + [FRENCH] * 6)
    with pytest.raises(NonEnglishError):
        read_text(text, id="mixed")


def test_english_is_marked():
    assert read_text(ENGLISH).metadata["language"] == "en"


def test_too_short_to_check_the_language_is_a_warning():
    document = read_text("Bonjour tout le monde.", id="short")
    assert any("too little text" in warning for warning in document.warnings)


# --- size ----------------------------------------------------------------------------


def test_oversized_bytes():
    with pytest.raises(DocumentTooLargeError, match="big-one.*2,000 bytes.*1,000"):
        read(b"a" * 2000, id="big-one", max_bytes=1000)


def test_oversized_file(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(ENGLISH * 20, encoding="utf-8")
    with pytest.raises(DocumentTooLargeError, match="big.txt"):
        read(path, max_bytes=1000)
    assert read(path, max_bytes=None).paragraphs


def test_oversized_text():
    with pytest.raises(DocumentTooLargeError, match="long-text"):
        read_text(ENGLISH * 10, id="long-text", max_bytes=500)


def test_default_limit_is_20_mb():
    from ggtext.reading.decoding import DEFAULT_MAX_BYTES

    assert DEFAULT_MAX_BYTES == 20 * 1024 * 1024
    with pytest.raises(DocumentTooLargeError):
        read(b" " * (DEFAULT_MAX_BYTES + 1), id="huge")


# --- paths and arguments -------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "missing.txt")


def test_text_passed_as_path_gets_a_hint():
    with pytest.raises(InputError, match="read_text"):
        read("This is a sentence, not a path.\nAnd another one.")


def test_directory(tmp_path):
    with pytest.raises(InputError, match="directory"):
        read(tmp_path)


@pytest.mark.parametrize("name", ["essay.pdf", "essay.docx"])
def test_unknown_extension(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError, match=r"unknown file type.*convert"):
        read(path)


def test_unknown_extension_with_format_given(tmp_path):
    path = tmp_path / "notes.log"
    path.write_text(ENGLISH, encoding="utf-8")
    assert read(path, format="text").id == "notes"


def test_wrong_argument_types():
    with pytest.raises(InputError, match="not int"):
        read(123)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="use read()"):
        read_text(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="unknown format"):
        read_text(ENGLISH, format="pdf")  # type: ignore[arg-type]


def test_broken_front_matter_is_a_warning():
    text = "---\ntitle: [unclosed\n---\n\n" + ENGLISH
    document = read_text(text, id="md", format="markdown")
    assert document.paragraphs[0].text.startswith("The global governance")
    assert any("front matter" in warning for warning in document.warnings)


def test_broken_html_still_reads():
    html = "<html><body><p>" + ENGLISH + "<p>Second <b>paragraph of text<div>and more"
    document = read_text(html, id="broken", format="html")
    assert document.paragraphs[0].text == ENGLISH


# --- arbitrary input -----------------------------------------------------------------

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data):
    try:
        document = read(data, id="fuzz")
    except InputError as error:
        assert "fuzz" in str(error)
    else:
        assert isinstance(document, Document) and document.paragraphs


@FUZZ
@given(
    st.lists(
        st.sampled_from(
            [
                ENGLISH,
                "\n",
                "\n\n",
                "\f",
                "[3]",
                "Koser (2010)",
                "References",
                "Endnotes",
                "15-29425 31/34",
                "A/70/PV.15 28/09/2015",
                "Page 2",
                "---",
                "# Head",
                "- item",
                "inter-",
                "national",
                "\x00",
                "\x01",
                "é",
                "日本",
                "<p>",
                "</p>",
            ]
        ),
        max_size=30,
    ).map("".join),
    st.sampled_from(["text", "markdown", "html"]),
)
def test_arbitrary_documents(text, format):
    try:
        document = read_text(text, id="fuzz", format=format)
    except InputError as error:
        assert "fuzz" in str(error)
    else:
        assert document.paragraphs and all(p.text.strip() for p in document.paragraphs)


@FUZZ
@given(st.text(max_size=500), st.sampled_from(["text", "markdown", "html"]))
def test_arbitrary_text(text, format):
    try:
        document = read_text(text, id="fuzz", format=format)
    except InputError as error:
        assert "fuzz" in str(error)
    else:
        assert document.paragraphs

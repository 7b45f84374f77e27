"""Bytes to clean text: size and binary checks, encoding detection, character clean-up.

Encoding policy (in this order):

1. An explicit ``encoding`` wins; bytes it cannot decode raise :class:`DecodingError`.
2. A byte-order mark decides: UTF-8 (BOM), UTF-32 or UTF-16 (little or big endian).
3. Without a BOM, NUL bytes mean binary data (or UTF-16/32 without a BOM, which
   we do not guess): :class:`BinaryInputError`.
4. Strict UTF-8.
5. Only if UTF-8 fails: Windows-1252, then Latin-1, each with a warning in
   ``Document.warnings``. The fallback is refused (:class:`DecodingError`) when
   more than :data:`MAX_LEGACY_HIGH_SHARE` of the bytes are non-ASCII: Western
   text in a legacy code page has few of them, random or Asian-encoded bytes many.

After decoding, a text with more than :data:`MAX_CONTROL_SHARE` control
characters is refused as binary. Text is then normalised: NFC, ``\\n`` line
ends, no-break spaces to spaces, invisible characters (zero-width, word
joiner, soft hyphen, BOM) removed. Form feeds stay: they mark PDF page breaks.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import BinaryInputError, DecodingError, DocumentTooLargeError, EmptyDocumentError

#: Default size limit of :func:`ggtext.read` (bytes).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: Above this share of control characters the input is treated as binary.
MAX_CONTROL_SHARE = 0.01
#: Above this share of non-ASCII bytes we do not guess a single-byte code page.
MAX_LEGACY_HIGH_SHARE = 0.25

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE BOM
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls except tab, newline, vertical tab, form feed, carriage return; DEL; C1.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_LINE_ENDS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")  # lone halves of UTF-16 pairs: not text


def check_size(n_bytes: int, max_bytes: int | None, name: str) -> None:
    """Raise :class:`DocumentTooLargeError` when ``n_bytes`` exceeds ``max_bytes``."""
    if max_bytes is not None and n_bytes > max_bytes:
        raise DocumentTooLargeError(
            f"{name}: {n_bytes:,} bytes is more than the limit of {max_bytes:,} bytes "
            "(pass max_bytes=... to read larger documents)."
        )


def decode(data: bytes, *, name: str, encoding: str | None = None) -> tuple[str, list[str]]:
    """Decode ``data`` by the policy above; return the text and any warnings."""
    if not data.strip():
        raise EmptyDocumentError(f"{name}: the document is empty.")
    warnings: list[str] = []
    if encoding is not None:
        text = _decode_strict(data, encoding, name)
    else:
        text = _decode_auto(data, name, warnings)
    check_not_binary(text, name)
    return text, warnings


def _decode_strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError:
        raise DecodingError(f"{name}: unknown encoding {encoding!r}.") from None
    except UnicodeDecodeError as error:
        raise DecodingError(f"{name}: not valid {encoding} (byte {error.start}: {error.reason}).") from None


def _decode_auto(data: bytes, name: str, warnings: list[str]) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_strict(data, codec, name)
    if b"\x00" in data:
        raise BinaryInputError(
            f"{name}: contains NUL bytes, so it is binary data (or UTF-16/32 text without "
            "a byte-order mark; save it as UTF-8 or pass encoding=... (--encoding on the command line))."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = f"byte {error.start}: {error.reason}"
    high = sum(1 for byte in data if byte >= 0x80) / len(data)
    if high > MAX_LEGACY_HIGH_SHARE:
        raise DecodingError(
            f"{name}: not valid UTF-8 ({utf8_error}) and {high:.0%} of its bytes are "
            "non-ASCII, too many for Western text in a legacy code page; pass encoding=... (--encoding on the command line) "
            "if you know the encoding."
        )
    for codec in ("cp1252", "latin-1"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        warnings.append(
            f"not valid UTF-8 ({utf8_error}); decoded as {codec}, so some characters "
            "may be wrong. Pass encoding=... (--encoding on the command line) to choose."
        )
        return text
    raise DecodingError(f"{name}: cannot decode the bytes.")  # unreachable: latin-1 decodes all


def check_not_binary(text: str, name: str) -> None:
    """Refuse text with NULs or with a high share of control characters."""
    if "\x00" in text:
        raise BinaryInputError(f"{name}: contains NUL characters, so it is not text.")
    if not text:
        return
    n_control = len(_CONTROL.findall(text))
    if n_control and n_control / len(text) > MAX_CONTROL_SHARE:
        raise BinaryInputError(
            f"{name}: {n_control} control characters in {len(text)} "
            "(more than 1%), so this looks like binary data, not text."
        )


def normalize_characters(text: str) -> str:
    """NFC, ``\\n`` line ends, plain spaces, no invisible characters or stray controls."""
    text = unicodedata.normalize("NFC", text)
    text = _LINE_ENDS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _SURROGATES.sub("\ufffd", text)
    text = text.replace("\t", " ")
    # Form feeds (page breaks) are kept on a line of their own for pdf_text.
    text = text.replace("\f", "\n\f\n")
    return _CONTROL.sub("", text)

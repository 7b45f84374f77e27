"""Exceptions ggtext raises. Every input problem is a :class:`InputError`."""


class GGTextError(Exception):
    """Base class of ggtext's own errors."""


class DataDirectoryError(GGTextError):
    """The data directory (``GGTEXT_DATA`` / ``--data``) is unset or incomplete."""


class InputError(GGTextError, ValueError):
    """A document cannot be read as text ggtext can analyse."""


class MissingFileError(InputError, FileNotFoundError):
    """A path names no file (a string given as a path is never read as text)."""


class EmptyDocumentError(InputError):
    """The document has no text (or only whitespace / markup)."""


class BinaryInputError(InputError):
    """The input looks like binary data, not text."""


class DecodingError(InputError):
    """The bytes are not valid in any supported text encoding."""


class DocumentTooLargeError(InputError):
    """The document exceeds the size limit (``max_bytes``)."""


class NonEnglishError(InputError):
    """The document is not in English (ggtext's models and lexicons are English)."""


class ModelError(GGTextError):
    """A model file is missing, tampered with, or built by incompatible versions."""


class KnowledgeBaseError(GGTextError):
    """The actor knowledge base or a lexicon file does not match its schema."""


class OutputError(GGTextError):
    """An output file cannot be written or resumed (wrong suffix, exists, other schema)."""


class StudySettingsError(GGTextError):
    """The replication's study settings file (``ggtext/data/study.yaml``) does not match its schema."""

"""The labelling loop: suggest passages to label, move them to and from labelling tools, measure agreement.

It may import reading, pipeline, models and scoring, never reports, cli or study.

    from ggtext.annotation import suggest, write_batch, read_export, read_coding, agreement
"""

from .agreement import (
    Coding,
    CodingFileError,
    agreement,
    disagreements,
    format_report,
    krippendorff_alpha,
    read_coding,
)
from .formats import (
    FORMATS,
    IMPORT_FORMATS,
    LabelImportError,
    labelstudio_config,
    read_export,
    write_batch,
    write_codebook,
)
from .suggest import suggest

__all__ = [
    "FORMATS",
    "IMPORT_FORMATS",
    "Coding",
    "CodingFileError",
    "LabelImportError",
    "agreement",
    "disagreements",
    "format_report",
    "krippendorff_alpha",
    "labelstudio_config",
    "read_coding",
    "read_export",
    "suggest",
    "write_batch",
    "write_codebook",
]

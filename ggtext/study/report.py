"""The report's building blocks and ``REPORT.md``: tables, figures, sections, Markdown and number formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .settings import ReportSettings, load_settings

#: The verdict's columns, in the order every study table shows them.
VERDICT_COLUMNS = (
    "feasibility_label",
    "feasibility_score",
    "desirability_label",
    "desirability_score",
    "framing_label",
    "realist_share",
    "institutionalist_share",
)

if TYPE_CHECKING:
    import pandas as pd

    from .corpora import Inputs


@dataclass
class Table:
    """A CSV table and the sentence that says what it shows."""

    name: str
    frame: pd.DataFrame
    caption: str
    title: str


@dataclass
class FigureFile:
    """A PNG figure and the sentence that says what it shows."""

    name: str
    caption: str
    title: str


@dataclass
class Section:
    title: str
    intro: str = ""
    items: list[Table | FigureFile] = field(default_factory=list)
    skipped: str | None = None


def pct(value: float) -> str:
    """``value`` as a percentage with one decimal."""
    return f"{100 * value:.1f}%"


def number_word(n: int) -> str:
    """``n`` in words up to ten ("ten actors"), in digits above."""
    words = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return words[n] if 0 <= n < len(words) else str(n)


def fmt(value: Any, digits: int | None = None) -> str:
    """One table cell or number in a sentence: ``digits`` decimals at most, "–" for a missing value."""
    import numpy as np

    digits = load_settings().report.digits if digits is None else digits
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if isinstance(value, (float, np.floating)):
        return f"{value:.{digits}f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(frame: pd.DataFrame, limit: int | None = None, *, digits: int | None = None) -> str:
    """``frame`` as a GitHub Markdown table (the first ``limit`` rows)."""
    shown = frame if limit is None else frame.head(limit)
    head = "| " + " | ".join(map(str, shown.columns)) + " |"
    rule = "|" + "|".join("---" for _ in shown.columns) + "|"
    rows = ["| " + " | ".join(fmt(v, digits) for v in row) + " |" for row in shown.itertuples(index=False)]
    return "\n".join([head, rule, *rows])


def render_report(
    sections: list[Section],
    inputs: Inputs,
    model: Any,
    model_files: list[tuple[str, str]],
    *,
    limit: int | None,
    settings: ReportSettings,
) -> str:
    """``REPORT.md``: versions and inputs, then each section's tables and figures with their sentences."""
    import pandas as pd

    from ..models.io import library_versions

    def table(frame: pd.DataFrame, rows: int | None = None) -> str:
        return markdown_table(frame, rows, digits=settings.digits)

    command = "ggtext replicate" + (f" --limit {limit}" if limit else "")
    lines = [
        "# ggtext replication report",
        "",
        f"Made by `{command}` (also `make replicate` / `python scripts/replicate.py`) from the raw inputs below. "
        "Every number comes from this run; tables are in the CSV files next to this report, figures in the PNG files. "
        "A second run gives identical files.",
        "",
        "## Versions and inputs",
        "",
        table(
            pd.DataFrame(
                sorted(library_versions(settings.libraries, missing="not installed").items()),
                columns=["library", "version"],
            )
        ),
        "",
        f"Model: `{model.version}`; its files:",
        "",
        table(pd.DataFrame(model_files, columns=["model file", "sha256"])),
        "",
    ]
    corpora = sorted({f["corpus"] for f in inputs.files})
    digests = [(c, *inputs.digest(c)) for c in corpora]
    lines += [
        "Data: the sha256 of each input file is in `inputs_sha256.csv`; per corpus, the sha256 of that manifest "
        "(sorted `path sha256` lines):",
        "",
        table(pd.DataFrame(digests, columns=["corpus", "files", "manifest sha256"])),
        "",
    ]
    if any(s.skipped for s in sections):
        lines += ["Skipped sections: " + "; ".join(f"{s.title} ({s.skipped})" for s in sections if s.skipped) + ".", ""]
    for section in sections:
        lines += [f"## {section.title}", ""]
        if section.skipped:
            lines += [f"**Skipped:** {section.skipped}.", ""]
            continue
        if section.intro:
            lines += [section.intro, ""]
        for item in section.items:
            lines += [f"### {item.title}", ""]
            if isinstance(item, FigureFile):
                lines += [f"![{item.title}]({item.name}.png)", "", item.caption, ""]
                continue
            lines += [item.caption + f" Table: [`{item.name}.csv`]({item.name}.csv).", ""]
            show = settings.rows_for(item.name)
            if show:
                lines.append(table(item.frame, show))
                if len(item.frame) > show:
                    lines.append(f"\n({show} of {len(item.frame)} rows shown.)")
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"

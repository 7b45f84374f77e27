"""Section 4: White House texts by month and administration."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from ..aggregate import summarise
from ..corpora import Inputs, whitehouse_files
from ..report import VERDICT_COLUMNS, FigureFile, Section, Table, fmt, pct
from ..scores import SkipSection, score_corpus
from ..settings import StudySettings, WhiteHouseSettings

_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def whitehouse_section(
    out: Path,
    data: Path | None,
    inputs: Inputs,
    settings: StudySettings,
    *,
    limit: int | None,
    n_process: int,
    model_path: str | None,
    log: Callable[[str], None],
) -> Section:
    """Score the White House texts and summarise them by month and administration, and by administration."""
    from ...reports import figures

    wh, digits = settings.whitehouse, settings.report.digits
    change = wh.administration_change
    section = Section(wh.title)
    try:
        scored = score_corpus(
            wh,
            lambda folder: whitehouse_files(folder, wh),
            data,
            inputs,
            derive=lambda scores, meta: _with_date(scores, meta, wh),
            limit=limit,
            n_process=n_process,
            model_path=model_path,
            flag=settings.actor_flag,
            log=log,
        )
    except SkipSection as skip:
        section.skipped = str(skip)
        return section
    scores = scored.scores
    section.intro = (
        f"{len(scored.files)} speeches, remarks and statements{' (an evenly spaced slice: --limit ' + str(limit) + ')' if limit else ''}, "
        f"dated by their front matter. Texts from {change.date.isoformat()} on are the {change.after} administration's, "
        f"earlier ones the {change.before} administration's, so {change.date.strftime('%B %Y')} has a row for each. "
        "Same definitions as section 3."
    )

    own = lambda rows: pd.Series(wh.speaker, index=rows.index)  # noqa: E731  (as in section 3)
    by_month = summarise(
        scores, ["month", "administration"], own=own, n_actors=wh.actors_listed_per_month, flag=settings.actor_flag
    ).round(digits)
    by_admin = summarise(
        scores,
        ["administration"],
        own=own,
        n_actors=wh.actors_listed_per_administration,
        flag=settings.actor_flag,
        extra=lambda group: {"first_date": group["date"].min(), "last_date": group["date"].max()},
    ).round(digits)

    table = scores[
        [
            "id",
            "date",
            "administration",
            "n_words",
            "discusses_ggim",
            *VERDICT_COLUMNS,
            "actors",
            "error",
        ]
    ]
    section.items.append(
        Table(
            "wh_scores",
            table.round(digits),
            title="Scores of every text",
            caption=f"One row per text ({len(table)} rows, {int(table['error'].notna().sum())} errors).",
        )
    )
    section.items.append(
        Table("wh_by_administration", by_admin, title="By administration", caption=_admin_caption(by_admin, digits))
    )
    section.items.append(Table("wh_by_month", by_month, title="By month", caption=_month_caption(by_month)))
    month = change.date.strftime("%Y-%m")
    figures.monthly_trend(by_month, out / "wh_by_month.png", change=month, title=wh.figure_title)
    section.items.append(
        FigureFile("wh_by_month", title="Trend by month", caption=_month_figure_caption(by_month, month, wh))
    )
    return section


def _with_date(scores: pd.DataFrame, meta: pd.DataFrame, wh: WhiteHouseSettings) -> pd.DataFrame:
    """``date`` (front matter, else the file name's prefix), ``month`` and ``administration``; sorted by date, id."""
    stems = scores["id"].map(lambda i: Path(i).name)
    from_name = stems.map(lambda s: (m := _DATE_PREFIX.match(s)) and m.group(1))
    dates = meta.get("date", pd.Series(index=scores.index, dtype=object)).astype(object)
    scores["date"] = [str(d)[:10] if isinstance(d, (str, date)) and str(d) else n for d, n in zip(dates, from_name)]
    scores = scores.dropna(subset=["date"])
    scores["month"] = scores["date"].str[:7]
    change = wh.administration_change
    scores["administration"] = np.where(scores["date"] >= change.date.isoformat(), change.after, change.before)
    return scores.sort_values(["date", "id"], kind="stable").reset_index(drop=True)


def _admin_caption(by_admin: pd.DataFrame, digits: int) -> str:
    parts = []
    for row in by_admin.itertuples():
        parts.append(
            f"under {row.administration} {pct(row.share_discussing)} of {row.n_texts} texts discuss GGIM, with mean "
            f"feasibility {fmt(row.mean_feasibility_score, digits)}, desirability "
            f"{fmt(row.mean_desirability_score, digits)} and "
            f"institutionalist balance {fmt(row.institutionalist_balance, digits)}"
        )
    text = "; ".join(parts) + "."
    return text[0].upper() + text[1:] if parts else "No text."


def _month_caption(by_month: pd.DataFrame) -> str:
    valid = by_month.dropna(subset=["mean_desirability_score"])
    if valid.empty:
        return f"{len(by_month)} month rows; no text discusses GGIM."
    lo = valid.loc[valid["mean_desirability_score"].idxmin()]
    return (
        f"{len(by_month)} month rows ({by_month['n_texts'].sum()} texts); the lowest mean desirability of GGIM is in "
        f"{lo['month']} under {lo['administration']} ({lo['mean_desirability_score']:.2f}, {int(lo['n_discussing'])} texts on GGIM)."
    )


def _month_figure_caption(by_month: pd.DataFrame, month: str, wh: WhiteHouseSettings) -> str:
    before = by_month[by_month["administration"] == wh.administration_change.before]
    after = by_month[by_month["administration"] == wh.administration_change.after]

    def mean(rows: pd.DataFrame, column: str) -> str:
        values = rows[column].dropna()
        return f"{values.mean():.2f}" if len(values) else "–"

    return (
        f"Monthly means among texts on GGIM, the line marking {month}: mean monthly desirability score "
        f"{mean(before, 'mean_desirability_score')} before and {mean(after, 'mean_desirability_score')} after; "
        f"institutionalist share {mean(before, 'mean_institutionalist_share')} before and "
        f"{mean(after, 'mean_institutionalist_share')} after."
    )

"""Section 3: the UN General Debate by year, the actors most named each year, and the countries of one year."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd

from ...knowledge import load_knowledge_base
from ..aggregate import actor_list, migration_actors, summarise, top_actors
from ..corpora import Inputs, ungdc_files
from ..report import VERDICT_COLUMNS, FigureFile, Section, Table, number_word, pct
from ..scores import SkipSection, score_corpus
from ..settings import StudySettings, UngdcSettings


def ungdc_section(
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
    """Score the speeches of the studied years and summarise them by year and, for one year, by country."""
    from ...reports import figures
    from ...reports.summaries import plot_summary, summarize

    un, digits = settings.ungdc, settings.report.digits
    first, last = un.years
    section = Section(un.title)
    try:
        scored = score_corpus(
            un,
            lambda folder: ungdc_files(folder, un),
            data,
            inputs,
            derive=lambda scores, meta: _with_country_and_year(scores, meta, un),
            limit=limit,
            n_process=n_process,
            model_path=model_path,
            flag=settings.actor_flag,
            log=log,
            period=f" of {first}-{last}",
        )
    except SkipSection as skip:
        section.skipped = str(skip)
        return section
    scores = scored.scores
    section.intro = (
        f"{len(scored.files)} speeches{' (an evenly spaced slice: --limit ' + str(limit) + ')' if limit else ''} scored with "
        "`ggtext.score`. A speech *discusses the governance of migration* when (a) its verdict takes a position on "
        "the feasibility or desirability of GGIM (feasibility or desirability label not `none`: at least one "
        "paragraph is more likely than not to take such a position) and (b) it names a migration actor ("
        + ", ".join(migration_actors(settings.actor_flag))
        + "); `share_positioned` is the share meeting (a) alone, "
        "`share_naming_migration_actor` (b) alone. Stance and framing means are over the speeches that discuss it; "
        "`institutionalist_balance` = institutionalist share / (realist + institutionalist share)."
    )

    kb = load_knowledge_base()
    own = lambda rows: rows[un.speaker_column]  # noqa: E731  (a state's own name is not counted)
    by_year = summarise(scores, ["year"], own=own, n_actors=un.actors_listed_per_year, flag=settings.actor_flag).round(
        digits
    )
    actor_rows = []
    for year, group in scores.groupby("year", sort=True):
        on = group[group["discusses_ggim"]]
        actor_rows += [
            {"year": int(year), "rank": r + 1, "id": a, "type": kb.type_of(a), "speeches": k, "mentions": m}
            for r, (a, k, m) in enumerate(top_actors(on, own=own(on), n=un.actors_ranked_per_year))
        ]
    actors_by_year = pd.DataFrame(actor_rows, columns=["year", "rank", "id", "type", "speeches", "mentions"])

    table = scores[
        [
            "id",
            "iso3",
            "year",
            "n_words",
            "discusses_ggim",
            *VERDICT_COLUMNS,
            "actors",
            "error",
        ]
    ]
    section.items.append(
        Table(
            "ungdc_scores",
            table.round(digits),
            title="Scores of every speech",
            caption=f"One row per speech ({len(table)} rows, {int(table['error'].notna().sum())} "
            "errors): labels, scores and actors (JSON) as `ggtext score` writes them.",
        )
    )
    section.items.append(Table("ungdc_by_year", by_year, title="By year", caption=_year_caption(by_year, un)))
    section.items.append(
        Table(
            "ungdc_actors_by_year",
            actors_by_year,
            title="Most named actors by year",
            caption=_year_actor_caption(actors_by_year, un),
        )
    )
    figures.yearly_trend(by_year, out / "ungdc_by_year.png", title=un.figure_title)
    section.items.append(FigureFile("ungdc_by_year", title="Trend by year", caption=_year_figure_caption(by_year)))
    report = settings.report
    summary = summarize(scores, ["year"], n_boot=report.bootstrap_replicates, seed=report.bootstrap_seed)
    section.items.append(
        Table(
            "ungdc_summary_by_year",
            summary,
            title="Shares by year with 95% intervals",
            caption=(
                f"`ggtext summarize` of all scored speeches by year: shares of each label with 95% percentile "
                f"intervals from {report.bootstrap_replicates:,} bootstrap resamples of speeches "
                f"(seed {report.bootstrap_seed}); all speeches, not only those on migration."
            ),
        )
    )
    plot_summary(summary, "year", out / "ungdc_summary_by_year.png", title=un.figure_title)
    section.items.append(
        FigureFile(
            "ungdc_summary_by_year",
            title="Shares by year with their 95% bands",
            caption="The same shares as lines with their bootstrap bands: where bands overlap, the years do not differ "
            "distinguishably.",
        )
    )

    year = scores[scores["year"] == un.country_year]
    countries = year[
        [
            "iso3",
            "n_words",
            "discusses_ggim",
            *VERDICT_COLUMNS,
            "error",
        ]
    ].copy()
    countries.insert(
        1, "country", [kb[c].names[0] if isinstance(c, str) and c in kb else "" for c in countries["iso3"]]
    )
    countries["top_actors"] = [
        actor_list(top_actors(year.loc[[i]], own=own(year.loc[[i]]), n=un.actors_listed_per_country))
        for i in year.index
    ]
    section.items.append(
        Table(
            f"ungdc_{un.country_year}_by_country",
            countries.reset_index(drop=True).round(digits),
            title=f"{un.country_year} by country",
            caption=_country_caption(countries, un),
        )
    )
    return section


def _with_country_and_year(scores: pd.DataFrame, meta: pd.DataFrame, un: UngdcSettings) -> pd.DataFrame:
    """``iso3`` and ``year`` from the front matter, else from the file name; sorted by year, country, id."""
    names = scores["id"].map(lambda i: un.name.match(Path(i).name))
    scores["iso3"] = meta.get("iso3", pd.Series(index=scores.index, dtype=object)).fillna(
        names.map(lambda m: m and m["iso3"])
    )
    scores["year"] = (
        meta.get("year", pd.Series(index=scores.index, dtype=object))
        .fillna(names.map(lambda m: m and int(m["year"])))
        .astype(int)
    )
    return scores.sort_values(["year", "iso3", "id"], kind="stable").reset_index(drop=True)


def _year_caption(by_year: pd.DataFrame, un: UngdcSettings) -> str:
    valid = by_year.dropna(subset=["share_discussing"])
    hi = valid.loc[valid["share_discussing"].idxmax()]
    lo = valid.loc[valid["share_discussing"].idxmin()]
    gcm = valid[valid["year"] == un.country_year]
    gcm_text = f"; in {un.country_year} it is {pct(gcm.iloc[0]['share_discussing'])}" if len(gcm) else ""
    balance = valid["institutionalist_balance"].dropna()
    balance_text = (
        f" Among them the framing leans institutionalist in {int((balance > 0.5).sum())} of {len(balance)} years."
        if len(balance)
        else ""
    )
    return (
        f"The share of speeches that discuss the governance of migration ranges from {pct(lo['share_discussing'])} "
        f"({int(lo['year'])}) to {pct(hi['share_discussing'])} ({int(hi['year'])}){gcm_text}.{balance_text}"
    )


def _year_actor_caption(actors: pd.DataFrame, un: UngdcSettings) -> str:
    if actors.empty:
        return "No actor is named in the speeches on GGIM."
    firsts = actors[actors["rank"] == 1]["id"].value_counts()
    return (
        f"The {number_word(un.actors_ranked_per_year)} actors named in the most speeches on GGIM each year (a state's own name not counted); "
        f"{firsts.index[0]} is the most named in {int(firsts.iloc[0])} of {actors['year'].nunique()} years."
    )


def _year_figure_caption(by_year: pd.DataFrame) -> str:
    valid = by_year.dropna(subset=["mean_feasibility_score", "mean_desirability_score"])
    if valid.empty:
        return "No speech discusses GGIM, so there is no stance to plot."
    return (
        f"Bars: share of speeches on GGIM per year; lines: among them, mean feasibility score "
        f"({valid['mean_feasibility_score'].min():.2f}–{valid['mean_feasibility_score'].max():.2f}) and mean "
        f"desirability score ({valid['mean_desirability_score'].min():.2f}–{valid['mean_desirability_score'].max():.2f}) "
        "with the framing shares."
    )


def _country_caption(countries: pd.DataFrame, un: UngdcSettings) -> str:
    on = countries[countries["discusses_ggim"]]
    if countries.empty:
        return f"No speech of {un.country_year} is in the slice."
    des_for = int((on["desirability_label"] == "for").sum())
    feas = on["feasibility_label"].value_counts()
    return (
        f"{len(on)} of {len(countries)} speeches of {un.country_year}, the year the Global Compact for Migration was "
        f"adopted, discuss the governance of migration; {des_for} of them find it desirable, and on feasibility "
        f"{int(feas.get('for', 0))} are for and {int(feas.get('against', 0))} against."
    )

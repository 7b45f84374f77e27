"""Section 1: the seed essay: structure, actors by type, stance and framing paragraph by paragraph, the verdict."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from ...knowledge import load_knowledge_base
from ...pipeline import default_pipeline, process_document
from ...reports.analysis import analyze_doc
from ..report import VERDICT_COLUMNS, FigureFile, Section, Table, fmt
from ..settings import StudySettings


def seed_section(out: Path, model: Any, seed: Path, settings: StudySettings) -> Section:
    """Analyse the seed essay with the default pipeline and ``model``; draw its stance trajectory into ``out``."""
    from ...reading import read
    from ...reports import figures

    digits = settings.report.digits
    section = Section(settings.seed.title)
    document = read(seed)
    doc = process_document(default_pipeline(), document)
    analysis = analyze_doc(doc, document, model=model)
    s, stats = analysis.structure, analysis.statistics
    section.intro = (
        f"“{s['title']}” by {s['author'] or 'an unknown author'}, analysed with the default pipeline "
        f"and the shipped passage model {model.version}."
    )

    structure = pd.DataFrame(
        [
            ("title", s["title"]),
            ("author", s["author"]),
            ("body paragraphs", s["n_paragraphs"]),
            ("section headings", len(s["headings"])),
            ("references", s["n_references"]),
            ("endnotes", s["n_endnotes"]),
            ("citations", len(s["citations"])),
            ("sentences", stats["n_sentences"]),
            ("words", stats["n_words"]),
            ("Flesch reading ease", stats["flesch_reading_ease"]),
            ("type-token ratio", stats["type_token_ratio"]),
        ],
        columns=["field", "value"],
    ).astype({"value": str})
    section.items.append(
        Table(
            "seed_structure",
            structure,
            title="Structure",
            caption=(
                f"The reader finds {s['n_paragraphs']} body paragraphs under {len(s['headings'])} headings, "
                f"{s['n_references']} references, {s['n_endnotes']} endnotes and {len(s['citations'])} citations; "
                f"the body has {stats['n_words']} words in {stats['n_sentences']} sentences."
            ),
        )
    )

    kb = load_knowledge_base()
    actors = pd.DataFrame(analysis.actors)
    if actors.empty:
        actors = pd.DataFrame(columns=["id", "type", "mentions", "first_position", "paragraph_share"])
    actors.insert(1, "name", [kb[a].names[0] if a in kb else "" for a in actors["id"]])
    by_type = (
        actors.groupby("type", sort=True)
        .agg(actors=("id", "count"), mentions=("mentions", "sum"), ids=("id", lambda ids: ", ".join(ids)))
        .reset_index()
        .sort_values(["mentions", "type"], ascending=[False, True], kind="stable")
    )
    section.items.append(Table("seed_actors", actors.round(digits), title="Actors", caption=_actor_caption(actors)))
    section.items.append(
        Table(
            "seed_actors_by_type",
            by_type,
            title="Actors by type",
            caption=(
                f"{len(actors)} actors of {len(by_type)} types are named; the most named type is "
                f"{by_type.iloc[0]['type']} ({int(by_type.iloc[0]['mentions'])} mentions of {int(by_type.iloc[0]['actors'])} actors)."
                if len(by_type)
                else "The essay names no governance actor."
            ),
        )
    )

    passages = _paragraphs(doc, document, analysis).round(digits)
    section.items.append(
        Table(
            "seed_paragraphs",
            passages,
            title="Stance and framing paragraph by paragraph",
            caption=_paragraph_caption(passages),
        )
    )

    verdict = analysis.verdict
    verdict_table = pd.DataFrame(
        [(k, verdict[k]) for k in VERDICT_COLUMNS],
        columns=["field", "value"],
    ).astype({"value": str})
    section.items.append(
        Table(
            "seed_verdict",
            verdict_table,
            title="Verdict",
            caption=(
                f"The document verdict: feasibility {verdict['feasibility_label']} "
                f"(score {fmt(verdict['feasibility_score'], digits)}), "
                f"desirability {verdict['desirability_label']} (score {fmt(verdict['desirability_score'], digits)}), framing "
                f"{verdict['framing_label']} (realist share {fmt(verdict['realist_share'], digits)}, institutionalist share "
                f"{fmt(verdict['institutionalist_share'], digits)})."
            ),
        )
    )
    evidence = pd.DataFrame(
        verdict["evidence"],
        columns=["dimension", "label", "probability", "attribution", "start_char", "end_char", "text"],
    )
    section.items.append(
        Table("seed_evidence", evidence.round(digits), title="Evidence", caption=_evidence_caption(evidence))
    )

    figures.stance_trajectory(passages, out / "stance_trajectory.png", title=settings.seed.figure_title)
    section.items.append(
        FigureFile("stance_trajectory", title="Stance trajectory", caption=_trajectory_caption(passages))
    )
    return section


def _actor_caption(actors: pd.DataFrame) -> str:
    if actors.empty:
        return "The essay names no governance actor."
    top = actors.head(3)
    named = ", ".join(f"{r.id} ({r.mentions})" for r in top.itertuples())
    return f"The essay names {len(actors)} actors, {int(actors['mentions'].sum())} mentions in all; the most named are {named}."


def _paragraphs(doc, document, analysis) -> pd.DataFrame:
    rows = []
    paragraphs = doc._.ggtext.paragraphs
    sections = [p.section for p in document.paragraphs] if len(document.paragraphs) == len(paragraphs) else None
    for row, span in zip(analysis.passages, paragraphs):
        ids = sorted({a.label_ for a in span._.ggtext.actors})
        record = {
            "paragraph": row["paragraph"],
            "section": sections[row["paragraph"]] if sections else None,
            "n_words": sum(1 for t in span if not (t.is_punct or t.is_space)),
            "reported_only": row["reported_only"],
        }
        for dim, classes in (
            ("feasibility", ("for", "against", "none")),
            ("desirability", ("for", "against", "none")),
            ("framing", ("realist", "institutionalist", "none")),
        ):
            record[f"{dim}_label"] = row.get(f"{dim}_label")
            for c in classes:
                record[f"{dim}_p_{c}"] = row.get(f"{dim}_p_{c}")
        record["actors"] = " ".join(ids)
        record["opening"] = span.text[:60].replace("\n", " ")
        rows.append(record)
    return pd.DataFrame(rows)


def _count_labels(frame: pd.DataFrame, dim: str, labels: Sequence[str]) -> str:
    counts = frame[f"{dim}_label"].value_counts()
    return ", ".join(f"{int(counts.get(label, 0))} {label}" for label in labels)


def _paragraph_caption(passages: pd.DataFrame) -> str:
    return (
        f"Of {len(passages)} paragraphs, the passage model labels feasibility "
        f"{_count_labels(passages, 'feasibility', ('for', 'against', 'none'))}; desirability "
        f"{_count_labels(passages, 'desirability', ('for', 'against', 'none'))}; framing "
        f"{_count_labels(passages, 'framing', ('realist', 'institutionalist', 'none'))}"
        f" ({_reported(int(passages['reported_only'].sum()))})."
    )


def _reported(count: int) -> str:
    if count == 1:
        return "1 paragraph only reports others' views and is not scored"
    return f"{count} paragraphs only report others' views and are not scored"


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _evidence_caption(evidence: pd.DataFrame) -> str:
    if evidence.empty:
        return "No sentence is more likely than not to take a position on feasibility or desirability."
    top = evidence.sort_values(["probability", "start_char"], ascending=[False, True], kind="stable").iloc[0]
    reported = evidence["attribution"].notna().sum()
    return (
        f"{len(evidence)} evidence sentences ({reported} of them reported views); the strongest is "
        f"{top['dimension']} {top['label']} (p = {top['probability']:.2f}): “{_short(top['text'])}”."
    )


def _trajectory_caption(passages: pd.DataFrame) -> str:
    scored = passages[~passages["reported_only"]]
    if scored.empty:
        return "No paragraph is scored."
    position = scored["feasibility_p_for"] - scored["feasibility_p_against"]
    desirability = scored["desirability_p_for"] - scored["desirability_p_against"]
    third = max(1, len(scored) // 3)
    return (
        f"Feasibility position (p(for) − p(against)) averages {position.head(third).mean():+.2f} in the first third "
        f"of the essay and {position.tail(third).mean():+.2f} in the last; desirability averages "
        f"{desirability.mean():+.2f} overall; the lowest feasibility is paragraph {int(scored.loc[position.idxmin(), 'paragraph'])} "
        f"({position.min():+.2f}) and the highest paragraph {int(scored.loc[position.idxmax(), 'paragraph'])} ({position.max():+.2f})."
    )

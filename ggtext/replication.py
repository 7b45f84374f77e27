"""The research replication: every table, figure and ``REPORT.md`` from the raw inputs.

``replicate(data, out)`` rebuilds four sections into ``out``:

1. the seed essay: structure, actors by type, stance and framing paragraph by
   paragraph, the verdict and its evidence, the stance trajectory figure;
2. the passage models: cross-validated metrics per label against the
   baselines and the confusion matrices, as recorded in the model card;
3. the UN General Debate 2000-2024 by year, and by country for 2018;
4. White House texts 2021-2026 by month and administration.

Every table is a CSV, every figure a PNG, and ``REPORT.md`` shows each with one
sentence written from its numbers. The run is deterministic (sorted inputs,
fixed seeds, rounded numbers, figures without timestamps): a second run gives
identical files. A section whose input is missing is reported and skipped.
``limit`` scores only an evenly spaced slice of each corpus (for tests).

Definition used throughout: a text **discusses the governance of migration**
when (a) its verdict takes a position on the feasibility or the desirability of
GGIM (``feasibility_label`` or ``desirability_label`` is not ``none``: at least
one paragraph is more likely than not to take such a position) and (b) it
names at least one migration actor (:func:`migration_actors`: the knowledge
base's actors marked ``migration: true``, e.g. migrants, refugees, the IOM,
UNHCR, the compacts, fora and conventions on migration).
(b) keeps speeches whose only "position" is on multilateralism in general
(the passage model fires on those too) from counting; the tables also give the
share meeting (a) alone, ``share_positioned``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from .errors import DataDirectoryError, InputError
from .knowledge import load_knowledge_base
from .models.data import file_sha256
from .models.io import library_versions

#: Years of the UN General Debate studied.
UNGDC_YEARS = (2000, 2024)
#: The year the Global Compact for Migration was adopted: the country table.
GCM_YEAR = 2018
#: Inauguration day of the second Trump administration: texts from this day on are "Trump".
ADMINISTRATION_CHANGE = date(2025, 1, 20)
#: Actors listed per year / month.
TOP_ACTORS = 5
#: Digits kept in every table (so reruns and platforms agree to the digit).
DIGITS = 4
#: What a run writes into ``out`` (removed first, so no stale file outlives a skipped section).
OUTPUT_PATTERNS = ("REPORT.md", "inputs_sha256.csv", "seed_*.csv", "model_*.csv", "ungdc_*.csv", "wh_*.csv",
                   "stance_trajectory.png", "confusion_*.png", "ungdc_*.png", "wh_*.png")
#: Libraries whose versions the report records.
LIBRARIES = ("ggtext", "spacy", "scikit-learn", "textacy", "pandas", "numpy", "matplotlib", "skops")

_UNGDC_NAME = re.compile(r"^(?P<iso3>[A-Z]{2,3})_(?P<session>\d+)_(?P<year>\d{4})$")
_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")


# -- the report's building blocks ----------------------------------------------------


@dataclass
class Table:
    """A CSV table and the sentence that says what it shows."""

    name: str
    frame: pd.DataFrame
    caption: str
    title: str
    #: Rows shown in REPORT.md (the CSV has them all).
    show: int = 30


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


@dataclass
class Inputs:
    """What the run read: files with their sha256, grouped by corpus."""

    files: list[dict[str, Any]] = field(default_factory=list)

    def add(self, corpus: str, path: Path, relative: str) -> None:
        self.files.append({"corpus": corpus, "path": relative, "sha256": file_sha256(path)})

    def digest(self, corpus: str) -> tuple[int, str]:
        """Number of files and the sha256 of the corpus manifest (sorted ``path sha256`` lines)."""
        lines = sorted(f"{f['path']} {f['sha256']}" for f in self.files if f["corpus"] == corpus)
        return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _round(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.round(DIGITS)


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if isinstance(value, (float, np.floating)):
        return f"{value:.{DIGITS}f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(frame: pd.DataFrame, limit: int | None = None) -> str:
    """``frame`` as a GitHub Markdown table (the first ``limit`` rows)."""
    shown = frame if limit is None else frame.head(limit)
    head = "| " + " | ".join(map(str, shown.columns)) + " |"
    rule = "|" + "|".join("---" for _ in shown.columns) + "|"
    rows = ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in shown.itertuples(index=False)]
    return "\n".join([head, rule, *rows])


# -- inputs --------------------------------------------------------------------------


def evenly_spaced(items: Sequence[Any], limit: int | None) -> list[Any]:
    """``limit`` items spread evenly over ``items`` (all of them when ``limit`` is None or larger)."""
    if limit is None or limit >= len(items):
        return list(items)
    if limit <= 0:
        return []
    if limit == 1:
        return [items[0]]
    picks = sorted({round(i * (len(items) - 1) / (limit - 1)) for i in range(limit)})
    return [items[i] for i in picks]


def _name_hash(path: Path) -> str:
    # Within a period, files are ordered by the hash of their name, so a slice takes
    # varied countries rather than the alphabetically first ones.
    return hashlib.sha1(path.name.encode()).hexdigest()


def ungdc_files(data: Path) -> list[Path]:
    """UN General Debate speeches of 2000-2024, ordered by year then by a hash of the name."""
    root = data / "corpora" / "ungdc" / "TXT"
    found = []
    for path in root.glob("Session */*.txt"):
        match = _UNGDC_NAME.match(path.stem)
        if match and UNGDC_YEARS[0] <= int(match["year"]) <= UNGDC_YEARS[1]:
            found.append((int(match["year"]), _name_hash(path), path))
    return [p for *_, p in sorted(found)]


def whitehouse_files(data: Path) -> list[Path]:
    """White House texts, ordered by the date in their name, then by path."""
    root = data / "corpora" / "wh_briefings" / "files"
    return sorted(root.rglob("*.md"), key=lambda p: (p.name[:10], p.as_posix()))


# -- scoring -------------------------------------------------------------------------


def _metadata(frame: pd.DataFrame) -> pd.DataFrame:
    """The ``metadata`` JSON column as columns of its own."""
    parsed = [json.loads(m) if isinstance(m, str) and m else {} for m in frame["metadata"]]
    return pd.DataFrame(parsed, index=frame.index)


def score_files(paths: Sequence[Path], root: Path, *, n_process: int, model: str | None) -> pd.DataFrame:
    """The document score table of ``paths``, sorted by id.

    Ids are paths relative to ``root`` without suffix, as ``ggtext score ROOT``
    names them (file names alone are not unique in the White House corpus).
    """
    from .scoring.api import score
    from .scoring.inputs import FileItem, ItemStream

    items = [FileItem(p.relative_to(root).with_suffix("").as_posix(), str(p)) for p in paths]
    frame = score(ItemStream(lambda: iter(items), lambda: len(items)), n_process=n_process, model=model)
    return frame.sort_values("id", kind="stable").reset_index(drop=True)


def takes_position(frame: pd.DataFrame) -> pd.Series:
    """True where the verdict takes a position on the feasibility or desirability of GGIM."""
    return (frame["feasibility_label"].fillna("none") != "none") | (
        frame["desirability_label"].fillna("none") != "none"
    )


def migration_actors() -> tuple[str, ...]:
    """Ids of the knowledge base's actors specific to migration and refugees (``migration: true``)."""
    return tuple(a.id for a in load_knowledge_base().actors.values() if a.migration)


def names_migration_actor(frame: pd.DataFrame) -> pd.Series:
    """True where the text names one of the :func:`migration_actors`."""
    wanted = set(migration_actors())
    return frame["actors"].map(lambda value: any(entry["id"] in wanted for entry in _actors(value))).astype(bool)


def discusses(frame: pd.DataFrame) -> pd.Series:
    """True for texts that discuss the governance of migration (see the module docstring)."""
    return takes_position(frame) & names_migration_actor(frame) & frame["error"].isna()


def _actors(value: Any) -> list[dict[str, Any]]:
    return json.loads(value) if isinstance(value, str) and value else []


def _stance_summary(group: pd.DataFrame) -> dict[str, Any]:
    """Counts, share on GGIM, and stance and framing means among the texts on GGIM."""
    ok = group[group["error"].isna()]
    on = ok[discusses(ok)]
    framing = on["framing_label"].value_counts()
    realist, inst = on["realist_share"].mean(), on["institutionalist_share"].mean()
    return {
        "n_texts": len(ok),
        "n_errors": int(group["error"].notna().sum()),
        "share_positioned": takes_position(ok).mean() if len(ok) else np.nan,
        "share_naming_migration_actor": names_migration_actor(ok).mean() if len(ok) else np.nan,
        "n_discussing": len(on),
        "share_discussing": len(on) / len(ok) if len(ok) else np.nan,
        "mean_feasibility_score": on["feasibility_score"].mean(),
        "mean_desirability_score": on["desirability_score"].mean(),
        "n_feasibility_for": int((on["feasibility_label"] == "for").sum()),
        "n_feasibility_against": int((on["feasibility_label"] == "against").sum()),
        "n_desirability_for": int((on["desirability_label"] == "for").sum()),
        "n_desirability_against": int((on["desirability_label"] == "against").sum()),
        "mean_realist_share": realist,
        "mean_institutionalist_share": inst,
        # 1 = all institutionalist, 0 = all realist, among the framed probability mass
        "institutionalist_balance": inst / (realist + inst) if (realist + inst) > 0 else np.nan,
        "n_framing_realist": int(framing.get("realist", 0)),
        "n_framing_institutionalist": int(framing.get("institutionalist", 0)),
    }


def _top_actors(group: pd.DataFrame, *, own: pd.Series | None = None, n: int = TOP_ACTORS) -> list[tuple[str, int, int]]:
    """``(id, texts naming it, mentions)`` of the ``n`` actors named in the most texts.

    ``own`` (an actor id per row, e.g. the speaker's state) is not counted in its own text.
    """
    texts: dict[str, int] = {}
    mentions: dict[str, int] = {}
    for index, value in group["actors"].items():
        skip = own.get(index) if own is not None else None
        for entry in _actors(value):
            if entry["id"] == skip:
                continue
            texts[entry["id"]] = texts.get(entry["id"], 0) + 1
            mentions[entry["id"]] = mentions.get(entry["id"], 0) + int(entry["mentions"])
    ranked = sorted(texts, key=lambda a: (-texts[a], -mentions[a], a))[:n]
    return [(a, texts[a], mentions[a]) for a in ranked]


def _actor_list(top: Iterable[tuple[str, int, int]]) -> str:
    return "; ".join(f"{a} ({k})" for a, k, _ in top)


# -- section 1: the seed essay -------------------------------------------------------


def seed_section(out: Path, model: Any, seed: Path) -> Section:
    from .analysis import analyze_doc
    from .nlp import default_pipeline
    from .reading import read
    from .reports import figures

    section = Section("1. The seed essay")
    document = read(seed)
    doc = default_pipeline()(document.text)
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
    section.items.append(Table(
        "seed_structure", structure, title="Structure",
        caption=(
            f"The reader finds {s['n_paragraphs']} body paragraphs under {len(s['headings'])} headings, "
            f"{s['n_references']} references, {s['n_endnotes']} endnotes and {len(s['citations'])} citations; "
            f"the body has {stats['n_words']} words in {stats['n_sentences']} sentences."
        ),
    ))

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
    section.items.append(Table("seed_actors", _round(actors), title="Actors", caption=_seed_actor_caption(actors)))
    section.items.append(Table(
        "seed_actors_by_type", by_type, title="Actors by type",
        caption=(
            f"{len(actors)} actors of {len(by_type)} types are named; the most named type is "
            f"{by_type.iloc[0]['type']} ({int(by_type.iloc[0]['mentions'])} mentions of {int(by_type.iloc[0]['actors'])} actors)."
            if len(by_type) else "The essay names no governance actor."
        ),
    ))

    passages = _seed_paragraphs(doc, document, analysis)
    section.items.append(Table("seed_paragraphs", passages, title="Stance and framing paragraph by paragraph",
                               caption=_paragraph_caption(passages), show=60))

    verdict = analysis.verdict
    verdict_table = pd.DataFrame(
        [(k, verdict[k]) for k in ("feasibility_label", "feasibility_score", "desirability_label", "desirability_score",
                                   "framing_label", "realist_share", "institutionalist_share")],
        columns=["field", "value"],
    ).astype({"value": str})
    section.items.append(Table(
        "seed_verdict", verdict_table, title="Verdict",
        caption=(
            f"The document verdict: feasibility {verdict['feasibility_label']} (score {_fmt(verdict['feasibility_score'])}), "
            f"desirability {verdict['desirability_label']} (score {_fmt(verdict['desirability_score'])}), framing "
            f"{verdict['framing_label']} (realist share {_fmt(verdict['realist_share'])}, institutionalist share "
            f"{_fmt(verdict['institutionalist_share'])})."
        ),
    ))
    evidence = pd.DataFrame(verdict["evidence"], columns=["dimension", "label", "probability", "attribution",
                                                          "start_char", "end_char", "text"])
    section.items.append(Table("seed_evidence", _round(evidence), title="Evidence", caption=_evidence_caption(evidence)))

    figures.stance_trajectory(passages, out / "stance_trajectory.png",
                              title="Seed essay: stance paragraph by paragraph")
    section.items.append(FigureFile("stance_trajectory", title="Stance trajectory",
                                    caption=_trajectory_caption(passages)))
    return section


def _seed_actor_caption(actors: pd.DataFrame) -> str:
    if actors.empty:
        return "The essay names no governance actor."
    top = actors.head(3)
    named = ", ".join(f"{r.id} ({r.mentions})" for r in top.itertuples())
    return f"The essay names {len(actors)} actors, {int(actors['mentions'].sum())} mentions in all; the most named are {named}."


def _seed_paragraphs(doc, document, analysis) -> pd.DataFrame:
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
        for dim, classes in (("feasibility", ("for", "against", "none")), ("desirability", ("for", "against", "none")),
                             ("framing", ("realist", "institutionalist", "none"))):
            record[f"{dim}_label"] = row.get(f"{dim}_label")
            for c in classes:
                record[f"{dim}_p_{c}"] = row.get(f"{dim}_p_{c}")
        record["actors"] = " ".join(ids)
        record["opening"] = span.text[:60].replace("\n", " ")
        rows.append(record)
    return _round(pd.DataFrame(rows))


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


# -- section 2: the passage models ---------------------------------------------------


def model_section(out: Path, model: Any, data: Path | None, inputs: Inputs, *, rerun_cv: bool, log) -> Section:
    """Cross-validated metrics per label against the baselines, and the model's confusion matrices.

    The cross-validation is :func:`ggtext.models.compare_systems`, run when the
    model is trained; its results travel in the model card (``metadata.json``).
    By default the replication reports those, and checks that the training file
    in the data directory is the one they were computed on; ``rerun_cv`` runs
    the cross-validation again on that file instead (a few minutes).
    """
    from .models import compare_systems, read_labelled
    from .models.evaluation import MODEL_SYSTEM as MODEL_SYSTEM_NAME
    from .reports import figures

    section = Section("2. Passage models: cross-validated evaluation")
    recorded = model.metadata.get("cross_validation")
    training = model.metadata.get("training_data") or {}
    train = data / "annotation" / training.get("file", "train.jsonl") if data else None
    if train is not None and train.is_file():
        inputs.add("annotation", train, train.relative_to(data).as_posix())
    if rerun_cv:
        if train is None or not train.is_file():
            section.skipped = "--rerun-cv needs annotation/train.jsonl in the data directory"
            return section
        log("  cross-validating the model and the baselines ...")
        cv = compare_systems(read_labelled(train), random_state=model.metadata.get("random_state") or 0).to_dict()
        source = (f"Cross-validated in this run with `ggtext.models.compare_systems` on `annotation/{train.name}` "
                  f"({cv['n_passages']} passages, {cv['n_documents']} documents).")
    elif recorded:
        cv = recorded
        same = None
        if train is not None and train.is_file():
            # the file's sha256 (the CV may have run on it minus a frozen split, whose records hash differently)
            same = file_sha256(train) == training.get("sha256", cv.get("data_sha256"))
        check = {True: "the training file in the data directory has the same sha256, so these are its numbers",
                 False: "**the training file in the data directory differs** (rerun with `--rerun-cv`)",
                 None: "no training file in the data directory to check it against"}[same]
        source = (f"Metrics recorded in the model card (`metadata.json` of {model.version}), computed by "
                  f"`ggtext.models.compare_systems` when the model was trained on `{cv.get('data')}` "
                  f"(sha256 `{cv.get('data_sha256')}`, {cv.get('n_passages')} passages, {cv.get('n_documents')} "
                  f"documents); {check}. `ggtext replicate --rerun-cv` recomputes them.")
    else:
        section.skipped = "the model card has no cross-validated metrics (train without --no-cv, or use --rerun-cv)"
        return section
    section.intro = f"{source} Folds: {cv.get('cv')}; intervals: {cv.get('ci')}."

    summary, per_class = model_metric_tables(cv)
    section.items.append(Table("model_cv_metrics", _round(summary), title="Macro-F1 per label against the baselines",
                               caption=_metrics_caption(summary, MODEL_SYSTEM_NAME)))
    section.items.append(Table("model_cv_per_class", _round(per_class), title="Per-class F1",
                               caption=_per_class_caption(per_class, MODEL_SYSTEM_NAME)))
    for dim, metrics in cv["systems"].get(MODEL_SYSTEM_NAME, {}).items():
        labels = metrics["confusion_matrix"]["rows_true_columns_predicted"]
        matrix = np.asarray(metrics["confusion_matrix"]["counts"])
        figures.confusion_matrix(matrix, labels, out / f"confusion_{dim}.png",
                                 title=f"{MODEL_SYSTEM_NAME}: {dim} (cross-validated)")
        worst = min(range(len(labels)), key=lambda i: (matrix[i, i] / max(matrix[i].sum(), 1), i))
        section.items.append(FigureFile(
            f"confusion_{dim}", title=f"Confusion matrix: {dim}",
            caption=(
                f"Out-of-fold predictions of {MODEL_SYSTEM_NAME} for {dim} (rows: true label): "
                f"{_pct(np.trace(matrix) / max(matrix.sum(), 1))} of {int(matrix.sum())} paragraphs correct; the "
                f"hardest class is {labels[worst]} ({int(matrix[worst, worst])} of {int(matrix[worst].sum())} recalled)."
            ),
        ))
    return section


def model_metric_tables(cv: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(per system and dimension, per class)`` tables from ``Comparison.to_dict()``."""
    summary, per_class = [], []
    for system, dims in cv["systems"].items():
        for dim, m in dims.items():
            low, high = m.get("macro_f1_ci95") or (None, None)
            summary.append({"dimension": dim, "system": system, "macro_f1": m["macro_f1"], "ci95_low": low,
                            "ci95_high": high, "accuracy": m.get("accuracy"), "brier": m.get("brier"),
                            "ece": m.get("ece")})
            for cls, c in m["per_class"].items():
                f_low, f_high = c.get("f1_ci95") or (None, None)
                per_class.append({"dimension": dim, "class": cls, "support": c["support"], "system": system,
                                  "precision": c["precision"], "recall": c["recall"], "f1": c["f1"],
                                  "f1_ci95_low": f_low, "f1_ci95_high": f_high})
    order = {d: i for i, d in enumerate(("feasibility", "desirability", "framing"))}
    summary_frame = pd.DataFrame(summary)
    summary_frame = summary_frame.sort_values(["dimension", "system"], key=lambda c: c.map(order) if c.name == "dimension" else c,
                                              kind="stable").reset_index(drop=True)
    per_class_frame = pd.DataFrame(per_class)
    per_class_frame = per_class_frame.sort_values(
        ["dimension", "class", "system"], key=lambda c: c.map(order) if c.name == "dimension" else c, kind="stable"
    ).reset_index(drop=True)
    return summary_frame, per_class_frame


def _metrics_caption(summary: pd.DataFrame, model_name: str) -> str:
    parts = []
    for dim, rows in summary.groupby("dimension", sort=False):
        ours = rows[rows["system"] == model_name]
        others = rows[rows["system"] != model_name].sort_values("macro_f1", ascending=False, kind="stable")
        if ours.empty:
            continue
        best_other = others.iloc[0] if len(others) else None
        row = ours.iloc[0]
        text = f"{dim} {row['macro_f1']:.2f} [95% CI {row['ci95_low']:.2f}, {row['ci95_high']:.2f}]"
        if best_other is not None:
            text += f" vs {best_other['macro_f1']:.2f} for {best_other['system']}"
        parts.append(text)
    return f"Cross-validated macro-F1 of {model_name} against the best baseline: " + "; ".join(parts) + "."


def _per_class_caption(per_class: pd.DataFrame, model_name: str) -> str:
    ours = per_class[per_class["system"] == model_name]
    if ours.empty:
        return "Per-class precision, recall and F1 of every system."
    worst = ours.sort_values(["f1", "support"], kind="stable").iloc[0]
    return (
        f"Per-class precision, recall and F1 of every system; {model_name}'s weakest class is {worst['dimension']} "
        f"{worst['class']} (F1 {worst['f1']:.2f}, {int(worst['support'])} examples)."
    )


# -- section 3: the UN General Debate ------------------------------------------------


def ungdc_section(out: Path, data: Path | None, inputs: Inputs, *, limit, n_process, model_path, log) -> Section:
    from .reports import figures

    section = Section(f"3. UN General Debate {UNGDC_YEARS[0]}-{UNGDC_YEARS[1]}")
    root = data / "corpora" / "ungdc" / "TXT" if data else None
    if root is None or not root.is_dir():
        section.skipped = f"the UN General Debate corpus is missing (expected corpora/ungdc/TXT in the data directory)"
        return section
    files = evenly_spaced(ungdc_files(data), limit)
    if not files:
        section.skipped = "no UN General Debate speech of 2000-2024 was found"
        return section
    for path in files:
        inputs.add("ungdc", path, path.relative_to(data).as_posix())
    started = time.perf_counter()
    scores = score_files(files, root, n_process=n_process, model=model_path)
    log(f"  scored {len(files)} speeches in {time.perf_counter() - started:.1f} s")
    meta = _metadata(scores)
    names = scores["id"].map(lambda i: _UNGDC_NAME.match(Path(i).name))
    scores["iso3"] = meta.get("iso3", pd.Series(index=scores.index, dtype=object)).fillna(names.map(lambda m: m and m["iso3"]))
    scores["year"] = meta.get("year", pd.Series(index=scores.index, dtype=object)).fillna(
        names.map(lambda m: m and int(m["year"]))).astype(int)
    scores = scores.sort_values(["year", "iso3", "id"], kind="stable").reset_index(drop=True)
    scores["discusses_ggim"] = discusses(scores)
    section.intro = (
        f"{len(files)} speeches{' (an evenly spaced slice: --limit ' + str(limit) + ')' if limit else ''} scored with "
        "`ggtext.score`. A speech *discusses the governance of migration* when (a) its verdict takes a position on "
        "the feasibility or desirability of GGIM (feasibility or desirability label not `none`: at least one "
        "paragraph is more likely than not to take such a position) and (b) it names a migration actor ("
        + ", ".join(migration_actors()) + "); `share_positioned` is the share meeting (a) alone, "
        "`share_naming_migration_actor` (b) alone. Stance and framing means are over the speeches that discuss it; "
        "`institutionalist_balance` = institutionalist share / (realist + institutionalist share)."
    )

    kb = load_knowledge_base()
    per_year, actor_rows = [], []
    for year, group in scores.groupby("year", sort=True):
        on = group[group["discusses_ggim"]]
        top = _top_actors(on, own=on["iso3"], n=10)
        per_year.append({"year": int(year), **_stance_summary(group), "top_actors": _actor_list(top[:TOP_ACTORS])})
        actor_rows += [
            {"year": int(year), "rank": r + 1, "id": a, "type": kb.type_of(a), "speeches": k, "mentions": m}
            for r, (a, k, m) in enumerate(top)
        ]
    by_year = _round(pd.DataFrame(per_year))
    actors_by_year = pd.DataFrame(actor_rows, columns=["year", "rank", "id", "type", "speeches", "mentions"])

    table = scores[["id", "iso3", "year", "n_words", "discusses_ggim", "feasibility_label", "feasibility_score",
                    "desirability_label", "desirability_score", "framing_label", "realist_share",
                    "institutionalist_share", "actors", "error"]]
    section.items.append(Table("ungdc_scores", _round(table), title="Scores of every speech", show=0,
                               caption=f"One row per speech ({len(table)} rows, {int(table['error'].notna().sum())} "
                                       "errors): labels, scores and actors (JSON) as `ggtext score` writes them."))
    section.items.append(Table("ungdc_by_year", by_year, title="By year", caption=_year_caption(by_year)))
    section.items.append(Table("ungdc_actors_by_year", actors_by_year, title="Most named actors by year", show=0,
                               caption=_year_actor_caption(actors_by_year)))
    figures.yearly_trend(by_year, out / "ungdc_by_year.png", title="UN General Debate: speeches on GGIM by year")
    section.items.append(FigureFile("ungdc_by_year", title="Trend by year", caption=_year_figure_caption(by_year)))

    year = scores[scores["year"] == GCM_YEAR]
    countries = year[["iso3", "n_words", "discusses_ggim", "feasibility_label", "feasibility_score",
                      "desirability_label", "desirability_score", "framing_label", "realist_share",
                      "institutionalist_share", "error"]].copy()
    countries.insert(1, "country", [kb[c].names[0] if isinstance(c, str) and c in kb else "" for c in countries["iso3"]])
    countries["top_actors"] = [
        _actor_list(_top_actors(year.loc[[i]], own=year.loc[[i], "iso3"], n=3)) for i in year.index
    ]
    section.items.append(Table(f"ungdc_{GCM_YEAR}_by_country", _round(countries.reset_index(drop=True)),
                               title=f"{GCM_YEAR} by country", caption=_country_caption(countries), show=40))
    return section


def _year_caption(by_year: pd.DataFrame) -> str:
    valid = by_year.dropna(subset=["share_discussing"])
    hi = valid.loc[valid["share_discussing"].idxmax()]
    lo = valid.loc[valid["share_discussing"].idxmin()]
    gcm = valid[valid["year"] == GCM_YEAR]
    gcm_text = f"; in {GCM_YEAR} it is {_pct(gcm.iloc[0]['share_discussing'])}" if len(gcm) else ""
    balance = valid["institutionalist_balance"].dropna()
    balance_text = (
        f" Among them the framing leans institutionalist in {int((balance > 0.5).sum())} of {len(balance)} years."
        if len(balance) else ""
    )
    return (
        f"The share of speeches that discuss the governance of migration ranges from {_pct(lo['share_discussing'])} "
        f"({int(lo['year'])}) to {_pct(hi['share_discussing'])} ({int(hi['year'])}){gcm_text}.{balance_text}"
    )


def _year_actor_caption(actors: pd.DataFrame) -> str:
    if actors.empty:
        return "No actor is named in the speeches on GGIM."
    firsts = actors[actors["rank"] == 1]["id"].value_counts()
    return (
        f"The ten actors named in the most speeches on GGIM each year (a state's own name not counted); "
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


def _country_caption(countries: pd.DataFrame) -> str:
    on = countries[countries["discusses_ggim"]]
    if countries.empty:
        return f"No speech of {GCM_YEAR} is in the slice."
    des_for = int((on["desirability_label"] == "for").sum())
    feas = on["feasibility_label"].value_counts()
    return (
        f"{len(on)} of {len(countries)} speeches of {GCM_YEAR}, the year the Global Compact for Migration was adopted, "
        f"discuss the governance of migration; {des_for} of them find it desirable, and on feasibility "
        f"{int(feas.get('for', 0))} are for and {int(feas.get('against', 0))} against."
    )


# -- section 4: White House ----------------------------------------------------------


def whitehouse_section(out: Path, data: Path | None, inputs: Inputs, *, limit, n_process, model_path, log) -> Section:
    from .reports import figures

    section = Section("4. White House texts 2021-2026")
    root = data / "corpora" / "wh_briefings" / "files" if data else None
    if root is None or not root.is_dir():
        section.skipped = "the White House corpus is missing (expected corpora/wh_briefings/files in the data directory)"
        return section
    files = evenly_spaced(whitehouse_files(data), limit)
    if not files:
        section.skipped = "no White House text was found"
        return section
    for path in files:
        inputs.add("wh_briefings", path, path.relative_to(data).as_posix())
    started = time.perf_counter()
    scores = score_files(files, root, n_process=n_process, model=model_path)
    log(f"  scored {len(files)} texts in {time.perf_counter() - started:.1f} s")
    meta = _metadata(scores)
    stems = scores["id"].map(lambda i: Path(i).name)
    from_name = stems.map(lambda s: (m := _DATE_PREFIX.match(s)) and m.group(1))
    dates = meta.get("date", pd.Series(index=scores.index, dtype=object)).astype(object)
    scores["date"] = [str(d)[:10] if isinstance(d, (str, date)) and str(d) else n for d, n in zip(dates, from_name)]
    scores = scores.dropna(subset=["date"])
    scores["month"] = scores["date"].str[:7]
    scores["administration"] = np.where(scores["date"] >= ADMINISTRATION_CHANGE.isoformat(), "Trump", "Biden")
    scores = scores.sort_values(["date", "id"], kind="stable").reset_index(drop=True)
    scores["discusses_ggim"] = discusses(scores)
    section.intro = (
        f"{len(files)} speeches, remarks and statements{' (an evenly spaced slice: --limit ' + str(limit) + ')' if limit else ''}, "
        f"dated by their front matter. Texts from {ADMINISTRATION_CHANGE.isoformat()} on are the Trump administration's, "
        "earlier ones the Biden administration's, so January 2025 has a row for each. Same definitions as section 3."
    )

    rows = []
    for (month, admin), group in scores.groupby(["month", "administration"], sort=True):
        on = group[group["discusses_ggim"]]
        rows.append({"month": month, "administration": admin, **_stance_summary(group),
                     "top_actors": _actor_list(_top_actors(on, own=_usa(on), n=3))})
    by_month = _round(pd.DataFrame(rows))
    admin_rows = []
    for admin, group in scores.groupby("administration", sort=True):
        on = group[group["discusses_ggim"]]
        admin_rows.append({"administration": admin, "first_date": group["date"].min(), "last_date": group["date"].max(),
                           **_stance_summary(group), "top_actors": _actor_list(_top_actors(on, own=_usa(on)))})
    by_admin = _round(pd.DataFrame(admin_rows))

    table = scores[["id", "date", "administration", "n_words", "discusses_ggim", "feasibility_label",
                    "feasibility_score", "desirability_label", "desirability_score", "framing_label",
                    "realist_share", "institutionalist_share", "actors", "error"]]
    section.items.append(Table("wh_scores", _round(table), title="Scores of every text", show=0,
                               caption=f"One row per text ({len(table)} rows, {int(table['error'].notna().sum())} errors)."))
    section.items.append(Table("wh_by_administration", by_admin, title="By administration",
                               caption=_admin_caption(by_admin)))
    section.items.append(Table("wh_by_month", by_month, title="By month", caption=_month_caption(by_month), show=80))
    change = ADMINISTRATION_CHANGE.strftime("%Y-%m")
    figures.monthly_trend(by_month, out / "wh_by_month.png", change=change,
                          title="White House texts: stance and framing by month (texts on GGIM)")
    section.items.append(FigureFile("wh_by_month", title="Trend by month",
                                    caption=_month_figure_caption(by_month, change)))
    return section


def _usa(rows: pd.DataFrame) -> pd.Series:
    # The speaker's own state is not counted among the actors it names, as in section 3.
    return pd.Series("USA", index=rows.index)


def _admin_caption(by_admin: pd.DataFrame) -> str:
    parts = []
    for row in by_admin.itertuples():
        parts.append(
            f"under {row.administration} {_pct(row.share_discussing)} of {row.n_texts} texts discuss GGIM, with mean "
            f"feasibility {_fmt(row.mean_feasibility_score)}, desirability {_fmt(row.mean_desirability_score)} and "
            f"institutionalist balance {_fmt(row.institutionalist_balance)}"
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


def _month_figure_caption(by_month: pd.DataFrame, change: str) -> str:
    before = by_month[by_month["administration"] == "Biden"]
    after = by_month[by_month["administration"] == "Trump"]
    def mean(rows: pd.DataFrame, column: str) -> str:
        values = rows[column].dropna()
        return f"{values.mean():.2f}" if len(values) else "–"
    return (
        f"Monthly means among texts on GGIM, the line marking {change}: mean monthly desirability score "
        f"{mean(before, 'mean_desirability_score')} before and {mean(after, 'mean_desirability_score')} after; "
        f"institutionalist share {mean(before, 'mean_institutionalist_share')} before and "
        f"{mean(after, 'mean_institutionalist_share')} after."
    )


# -- the run -------------------------------------------------------------------------


def _model_files(model_path: str | None) -> list[tuple[str, str]]:
    from .models.io import resolve_model_dir

    folder = resolve_model_dir(model_path)
    return [(p.relative_to(folder).as_posix(), file_sha256(p)) for p in sorted(folder.rglob("*")) if p.is_file()]


def _seed_file(data: Path | None) -> Path | None:
    from .config import SEED_ESSAY

    if SEED_ESSAY.is_file():
        return SEED_ESSAY
    if data is not None:
        found = sorted((data / "seed").glob("*.txt"))
        return found[0] if found else None
    return None


def replicate(
    data: str | os.PathLike | None = None,
    out: str | os.PathLike = "results",
    *,
    limit: int | None = None,
    n_process: int = 2,
    model_path: str | os.PathLike | None = None,
    rerun_cv: bool = False,
    log: Callable[[str], None] = lambda message: print(message, file=sys.stderr),
) -> Path:
    """Rebuild the tables, figures and ``REPORT.md`` into ``out``; return the report's path.

    ``data`` is the data directory (``$GGTEXT_DATA`` when None); a missing one
    skips the corpus sections. ``limit`` scores at most that many documents of
    each corpus, evenly spaced over its years or months. ``rerun_cv`` runs the
    models' cross-validation again instead of reporting the model card's.
    """
    from .config import data_dir
    from .models import load_model

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for pattern in OUTPUT_PATTERNS:
        for stale in out.glob(pattern):
            stale.unlink()
    data_path = data_dir(data, required=False)
    model_arg = os.fspath(model_path) if model_path is not None else None
    model = load_model(model_arg)
    model_files = _model_files(model_arg)  # hashed now: the files this run's model was loaded from
    inputs = Inputs()
    sections: list[Section] = []
    timings: list[tuple[str, float]] = []

    def timed(name: str, build: Callable[[], Section]) -> None:
        log(f"{name} ...")
        started = time.perf_counter()
        try:
            sections.append(build())
        except (DataDirectoryError, InputError) as error:  # a missing or unreadable input skips its section
            sections.append(Section(name, skipped=f"{type(error).__name__}: {error}"))
        timings.append((name, time.perf_counter() - started))
        log(f"{name}: {timings[-1][1]:.1f} s")

    seed = _seed_file(data_path)
    if seed is None:
        sections.append(Section("1. The seed essay", skipped="the seed essay is missing"))
    else:
        inputs.add("seed", seed, seed.name)
        timed("1. The seed essay", lambda: seed_section(out, model, seed))
    timed("2. Passage models", lambda: model_section(out, model, data_path, inputs, rerun_cv=rerun_cv, log=log))
    if data_path is None:
        reason = f"no data directory (pass --data DIR or set GGTEXT_DATA)"
        sections.append(Section(f"3. UN General Debate {UNGDC_YEARS[0]}-{UNGDC_YEARS[1]}", skipped=reason))
        sections.append(Section("4. White House texts 2021-2026", skipped=reason))
    else:
        options = dict(limit=limit, n_process=n_process, model_path=model_arg, log=log)
        timed("3. UN General Debate", lambda: ungdc_section(out, data_path, inputs, **options))
        timed("4. White House", lambda: whitehouse_section(out, data_path, inputs, **options))

    for section in sections:
        for item in section.items:
            if isinstance(item, Table):
                item.frame.to_csv(out / f"{item.name}.csv", index=False, lineterminator="\n")
    manifest = pd.DataFrame(inputs.files, columns=["corpus", "path", "sha256"])
    manifest.to_csv(out / "inputs_sha256.csv", index=False, lineterminator="\n")
    report = out / "REPORT.md"
    report.write_text(render_report(sections, inputs, model, model_files, limit=limit), encoding="utf-8")
    log("total: " + f"{sum(t for _, t in timings):.1f} s")
    return report


def render_report(sections: list[Section], inputs: Inputs, model: Any, model_files: list[tuple[str, str]], *,
                  limit: int | None) -> str:
    """``REPORT.md``: versions and inputs, then each section's tables and figures with their sentences."""
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
        markdown_table(pd.DataFrame(sorted(library_versions(LIBRARIES, missing="not installed").items()),
                                    columns=["library", "version"])),
        "",
        f"Model: `{model.version}`; its files:",
        "",
        markdown_table(pd.DataFrame(model_files, columns=["model file", "sha256"])),
        "",
    ]
    corpora = sorted({f["corpus"] for f in inputs.files})
    digests = [(c, *inputs.digest(c)) for c in corpora]
    lines += [
        "Data: the sha256 of each input file is in `inputs_sha256.csv`; per corpus, the sha256 of that manifest "
        "(sorted `path sha256` lines):",
        "",
        markdown_table(pd.DataFrame(digests, columns=["corpus", "files", "manifest sha256"])),
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
            if item.show:
                lines.append(markdown_table(item.frame, item.show))
                if len(item.frame) > item.show:
                    lines.append(f"\n({item.show} of {len(item.frame)} rows shown.)")
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"

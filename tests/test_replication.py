"""The replication: results/ with REPORT.md, CSV tables and PNG figures, identical on a second
run, versions and data hashes recorded, missing corpora skipped rather than crashing."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from ggtext.cli import main
from ggtext.study import load_settings, replicate
from ggtext.study.aggregate import discusses
from ggtext.study.aggregate import top_actors as _top_actors
from ggtext.study.corpora import evenly_spaced, ungdc_files
from ggtext.study.report import markdown_table

GCM_YEAR = load_settings().ungdc.country_year

REPO = Path(__file__).resolve().parents[1]
#: Documents per corpus in the slice: enough to reach 2018 and both administrations.
LIMIT = 12


# -- small pieces ----------------------------------------------------------------------


def test_evenly_spaced_keeps_both_ends_and_order():
    items = list(range(100))
    assert evenly_spaced(items, None) == items
    assert evenly_spaced(items, 500) == items
    assert evenly_spaced(items, 5) == [0, 25, 50, 74, 99]
    assert evenly_spaced(items, 1) == [0]
    assert evenly_spaced(items, 0) == []


def test_discusses_means_a_position_on_ggim_and_a_migration_actor():
    iom = json.dumps([{"id": "UN", "mentions": 3}, {"id": "IOM", "mentions": 1}])
    un = json.dumps([{"id": "UN", "mentions": 3}, {"id": "EU", "mentions": 2}])
    frame = pd.DataFrame(
        {
            "feasibility_label": ["none", "for", "none", "against", None, "for", "for"],
            "desirability_label": ["none", "none", "for", "none", None, "for", "for"],
            "actors": [iom, iom, iom, iom, iom, un, iom],
            "error": [None] * 6 + ["broken"],
        }
    )
    assert discusses(frame).tolist() == [False, True, True, True, False, False, False]


def test_migration_actors_come_from_the_knowledge_base():
    from ggtext.study.aggregate import migration_actors

    actors = set(migration_actors())
    assert {"IOM", "UNHCR", "GCM", "GCR", "GFMD", "BERNE", "MIGRANTS", "REFUGEES"} <= actors
    assert not {"UN", "EU", "UNGA", "ILO", "CIVIL_SOCIETY"} & actors


def test_top_actors_counts_texts_and_skips_the_speakers_own_state():
    frame = pd.DataFrame(
        {
            "actors": [
                json.dumps([{"id": "FRA", "mentions": 9}, {"id": "UN", "mentions": 2}]),
                json.dumps([{"id": "UN", "mentions": 1}, {"id": "FRA", "mentions": 1}, {"id": "IOM", "mentions": 5}]),
                None,
            ],
            "iso3": ["FRA", "DEU", "ITA"],
        }
    )
    top = _top_actors(frame, own=frame["iso3"])
    assert top == [("UN", 2, 3), ("IOM", 1, 5), ("FRA", 1, 1)]


def test_markdown_table_escapes_pipes_and_limits_rows():
    frame = pd.DataFrame({"a": ["x|y", "z"], "b": [0.123456, float("nan")]})
    text = markdown_table(frame, 1)
    assert text.splitlines() == ["| a | b |", "|---|---|", "| x\\|y | 0.1235 |"]


# -- whole runs ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def runs(data_dir, tmp_path_factory) -> tuple[Path, Path]:
    """The slice replicated twice: once through the API, once through ``ggtext replicate``."""
    first = tmp_path_factory.mktemp("first")
    second = tmp_path_factory.mktemp("second")
    replicate(data_dir, first, limit=LIMIT, n_process=2, log=lambda message: None)
    result = CliRunner().invoke(
        main, ["replicate", "--data", str(data_dir), "--out", str(second), "--limit", str(LIMIT)]
    )
    assert result.exit_code == 0, result.output
    return first, second


EXPECTED_TABLES = [
    "seed_structure",
    "seed_actors",
    "seed_actors_by_type",
    "seed_paragraphs",
    "seed_verdict",
    "seed_evidence",
    "model_cv_metrics",
    "model_cv_per_class",
    "ungdc_scores",
    "ungdc_by_year",
    "ungdc_summary_by_year",
    "ungdc_actors_by_year",
    f"ungdc_{GCM_YEAR}_by_country",
    "wh_scores",
    "wh_by_administration",
    "wh_by_month",
    "inputs_sha256",
]
EXPECTED_FIGURES = [
    "stance_trajectory",
    "confusion_feasibility",
    "confusion_desirability",
    "confusion_framing",
    "ungdc_by_year",
    "ungdc_summary_by_year",
    "wh_by_month",
]


@pytest.mark.slow
def test_slice_writes_report_tables_and_figures(runs):
    out, _ = runs
    for name in EXPECTED_TABLES:
        assert (out / f"{name}.csv").is_file(), name
    for name in EXPECTED_FIGURES:
        png = out / f"{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
    report = (out / "REPORT.md").read_text(encoding="utf-8")
    for name in EXPECTED_TABLES[:-1]:
        assert f"({name}.csv)" in report, name
    for name in EXPECTED_FIGURES:
        assert f"({name}.png)" in report, name
    for heading in (
        "## 1. The seed essay",
        "## 2. Passage models",
        "## 3. UN General Debate 2000-2024",
        "## 4. White House texts 2021-2026",
        "## Versions and inputs",
    ):
        assert heading in report


@pytest.mark.slow
def test_second_run_gives_identical_files(runs):
    first, second = runs
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:  # REPORT.md, every CSV and every PNG
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.slow
def test_numbers_in_the_report_come_from_the_tables(runs):
    out, _ = runs
    report = (out / "REPORT.md").read_text(encoding="utf-8")
    by_year = pd.read_csv(out / "ungdc_by_year.csv")
    assert by_year["year"].between(2000, 2024).all()
    assert (by_year["n_discussing"] <= by_year["n_texts"]).all()
    assert by_year["n_texts"].sum() == LIMIT
    assert by_year["share_discussing"].between(0, 1).all()
    assert (
        by_year["share_discussing"] <= by_year[["share_positioned", "share_naming_migration_actor"]].min(axis=1)
    ).all()
    summary = pd.read_csv(out / "ungdc_summary_by_year.csv")  # ggtext summarize: intervals around estimates
    assert set(summary["year"]) == set(by_year["year"])
    assert ((summary["ci_low"] <= summary["estimate"]) & (summary["estimate"] <= summary["ci_high"])).all()
    assert (summary.groupby("year")["n_documents"].first() == by_year.set_index("year")["n_texts"]).all()
    best = by_year.loc[by_year["share_discussing"].idxmax()]
    assert f"to {100 * best['share_discussing']:.1f}% ({int(best['year'])})" in report

    verdict = dict(pd.read_csv(out / "seed_verdict.csv").values)
    assert f"feasibility {verdict['feasibility_label']} (score" in report
    assert f"desirability {verdict['desirability_label']} (score" in report

    countries = pd.read_csv(out / f"ungdc_{GCM_YEAR}_by_country.csv", keep_default_na=False, na_values=[""])
    scores = pd.read_csv(out / "ungdc_scores.csv", keep_default_na=False, na_values=[""])
    assert len(countries) == (scores["year"] == GCM_YEAR).sum() >= 1
    assert f"{int(countries['discusses_ggim'].sum())} of {len(countries)} speeches of {GCM_YEAR}" in report

    admins = pd.read_csv(out / "wh_by_administration.csv")
    assert admins["administration"].tolist() == ["Biden", "Trump"]
    assert admins["n_texts"].sum() == LIMIT
    months = pd.read_csv(out / "wh_by_month.csv")
    assert (months.loc[months["administration"] == "Trump", "month"] >= "2025-01").all()
    assert (months.loc[months["administration"] == "Biden", "month"] <= "2025-01").all()

    paragraphs = pd.read_csv(out / "seed_paragraphs.csv")
    assert len(paragraphs) == int(dict(pd.read_csv(out / "seed_structure.csv").values)["body paragraphs"])


@pytest.mark.slow
def test_model_section_reports_the_model_cards_cross_validation(runs):
    from ggtext.models import load_model

    out, _ = runs
    card = load_model().metadata["cross_validation"]
    metrics = pd.read_csv(out / "model_cv_metrics.csv")
    assert set(metrics["system"]) == set(card["systems"]) >= {"majority", "tfidf-logreg", "ggtext-stance"}
    assert len(metrics) == 3 * len(card["systems"])
    for row in metrics.itertuples():
        assert row.macro_f1 == pytest.approx(card["systems"][row.system][row.dimension]["macro_f1"])
    report = (out / "REPORT.md").read_text(encoding="utf-8")
    ours = metrics[metrics["system"] == "ggtext-stance"].set_index("dimension")
    assert f"feasibility {ours.loc['feasibility', 'macro_f1']:.2f} [95% CI" in report
    assert "the training file in the data directory has the same sha256" in report


@pytest.mark.slow
def test_versions_and_data_hashes_are_recorded(runs, data_dir):
    out, _ = runs
    report = (out / "REPORT.md").read_text(encoding="utf-8")
    for library in ("ggtext", "spacy", "scikit-learn", "textacy", "pandas", "matplotlib"):
        assert re.search(rf"^\| {library} \| \d", report, re.M), library
    assert "Model: `" in report
    manifest = pd.read_csv(out / "inputs_sha256.csv")
    assert manifest["corpus"].value_counts().to_dict() == {
        "ungdc": LIMIT,
        "wh_briefings": LIMIT,
        "seed": 1,
        "annotation": 1,
    }
    for row in manifest[manifest["corpus"] != "seed"].head(3).itertuples():
        assert hashlib.sha256((data_dir / row.path).read_bytes()).hexdigest() == row.sha256
    # each corpus digest in the report is the sha256 of its manifest lines
    lines = sorted(f"{r.path} {r.sha256}" for r in manifest[manifest["corpus"] == "ungdc"].itertuples())
    assert hashlib.sha256("\n".join(lines).encode()).hexdigest() in report


@pytest.mark.slow
def test_missing_corpora_are_reported_and_skipped(tmp_path):
    empty = tmp_path / "data"
    empty.mkdir()
    out = tmp_path / "out"
    (out).mkdir()
    (out / "ungdc_by_year.csv").write_text("stale\n")  # a stale table of an earlier run goes
    (out / "mine.txt").write_text("kept\n")  # files the run does not own stay
    report = replicate(empty, out, limit=2, log=lambda message: None).read_text(encoding="utf-8")
    assert "**Skipped:** the UN General Debate corpus is missing" in report
    assert "**Skipped:** the White House corpus is missing" in report
    assert (out / "seed_verdict.csv").is_file() and (out / "stance_trajectory.png").is_file()
    assert not (out / "ungdc_by_year.csv").exists()
    assert (out / "mine.txt").read_text() == "kept\n"


def test_ungdc_files_cover_2000_to_2024(data_dir):
    files = ungdc_files(data_dir)
    years = {int(p.stem[-4:]) for p in files}
    assert years == set(range(2000, 2025))
    assert len(files) == 4793  # every speech, the EU's two-letter files included
    assert any(p.stem.startswith("EU_") for p in files)


def test_replicate_help_and_script():
    result = CliRunner().invoke(main, ["replicate", "--help"])
    assert result.exit_code == 0 and "--limit" in result.output and "--data" in result.output
    script = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "replicate.py"), "--help"], capture_output=True, text=True, check=True
    )
    assert "REPORT.md" in script.stdout


def test_figures_are_byte_identical_and_ignore_the_users_matplotlib_settings(tmp_path):
    import matplotlib

    from ggtext.reports import figures

    passages = pd.DataFrame(
        {
            "paragraph": range(4),
            "feasibility_p_for": [0.1, 0.6, 0.2, 0.05],
            "feasibility_p_against": [0.7, 0.1, 0.2, 0.05],
            "desirability_p_for": [0.5, 0.9, 0.4, 0.3],
            "desirability_p_against": [0.1, 0.0, 0.3, 0.1],
            "framing_label": ["realist", "institutionalist", None, "none"],
        }
    )
    figures.stance_trajectory(passages, tmp_path / "a.png", title="t")
    with matplotlib.rc_context({"font.size": 20, "lines.linewidth": 5, "figure.dpi": 300}):
        figures.stance_trajectory(passages, tmp_path / "b.png", title="t")
    figures.confusion_matrix([[5, 1], [2, 7]], ["for", "none"], tmp_path / "c.png", title="c")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert b"Software" not in (tmp_path / "a.png").read_bytes()
    assert (tmp_path / "a.png").read_bytes() != (tmp_path / "c.png").read_bytes()

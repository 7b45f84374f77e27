"""Summaries of score tables: bootstrap intervals against known cases, grouping, the CLI on real speeches."""

from __future__ import annotations

import json
import math
import shutil

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from ggtext.cli import main
from ggtext.reports.summaries import (
    bootstrap_ratios,
    group_columns,
    measures,
    summarize,
)
from ggtext.scoring import read_scores
from ggtext.scoring.schema import PROBABILITY_FIELDS


def _scores(
    labels: list[str],
    *,
    ids: list[str] | None = None,
    metadata: list[dict] | None = None,
    errors: list[str | None] | None = None,
    score: list[float] | None = None,
) -> pd.DataFrame:
    """A minimal score table: feasibility labels given, the other dimensions fixed."""
    n = len(labels)
    return pd.DataFrame(
        {
            "id": ids or [f"d{k}" for k in range(n)],
            "metadata": [json.dumps(m) for m in (metadata or [{}] * n)],
            "feasibility_label": labels,
            "feasibility_score": score or [1.0 if x == "for" else 0.0 for x in labels],
            "desirability_label": ["for"] * n,
            "desirability_score": [0.9] * n,
            "framing_label": ["institutionalist"] * n,
            "realist_share": [0.1] * n,
            "institutionalist_share": [0.3] * n,
            "error": errors or [None] * n,
        }
    )


def _row(summary: pd.DataFrame, measure: str) -> pd.Series:
    return summary[summary["measure"] == measure].iloc[0]


def test_all_equal_data_gives_zero_width_intervals():
    frame = _scores(["for"] * 30).assign(corpus="all")
    summary = summarize(frame, ["corpus"], n_boot=200)
    for measure in measures():
        row = _row(summary, measure)
        assert row["ci_low"] == row["estimate"] == row["ci_high"], measure
    assert _row(summary, "share_feasibility_for")["estimate"] == 1.0
    # realist 0.1, institutionalist 0.3 everywhere: balance = 0.3 / 0.4
    assert _row(summary, "institutionalist_balance")["estimate"] == pytest.approx(0.75)


def test_bernoulli_share_interval_matches_the_normal_approximation():
    """400 documents, 'for' with p = 0.3: the 95% interval is p_hat +- 1.96 sqrt(p_hat (1 - p_hat) / n).

    With p_hat near 0.3 the half-width is about 1.96 * sqrt(0.21 / 400) = 0.045;
    the percentile bootstrap of 2,000 replicates agrees within 0.01 at each end.
    """
    rng = np.random.default_rng(7)
    labels = np.where(rng.random(400) < 0.3, "for", "none").tolist()
    frame = _scores(labels, metadata=[{"source": "X"}] * 400)
    row = _row(summarize(frame, ["source"], n_boot=2000, seed=1), "share_feasibility_for")
    p_hat = labels.count("for") / 400
    half = 1.96 * math.sqrt(p_hat * (1 - p_hat) / 400)
    assert row["estimate"] == pytest.approx(p_hat, abs=1e-4)
    assert row["ci_low"] == pytest.approx(p_hat - half, abs=0.01)
    assert row["ci_high"] == pytest.approx(p_hat + half, abs=0.01)
    assert row["n_documents"] == 400


def test_bootstrap_is_seeded():
    rng = np.random.default_rng(3)
    frame = _scores(np.where(rng.random(60) < 0.5, "for", "against").tolist(), metadata=[{"year": 2000}] * 60)
    first = summarize(frame, ["year"], n_boot=300, seed=5)
    second = summarize(frame, ["year"], n_boot=300, seed=5)
    pd.testing.assert_frame_equal(first, second)
    other = summarize(frame, ["year"], n_boot=300, seed=6)
    assert not first["ci_low"].equals(other["ci_low"])


def test_bootstrap_resamples_documents_not_units():
    """Two documents of 10 units: one all 'for', one all 'against'.

    Resampling documents, a replicate holds 0, 1 or 2 copies of the 'for'
    document (probabilities 1/4, 1/2, 1/4), so the share is 0, 0.5 or 1 and
    the 95% interval is [0, 1]. Resampling units would give a narrow band.
    """
    labels = ["for"] * 10 + ["against"] * 10
    frame = _scores(labels, ids=["a"] * 10 + ["b"] * 10, metadata=[{"year": 1}] * 20)
    row = _row(summarize(frame, ["year"], n_boot=400), "share_feasibility_for")
    assert (row["estimate"], row["ci_low"], row["ci_high"]) == (0.5, 0.0, 1.0)
    assert (row["n_documents"], row["n_units"]) == (2, 20)


def test_ratio_replicates_with_empty_denominators_are_left_out():
    num = np.array([[1.0], [0.0]])
    den = np.array([[1.0], [0.0]])  # the second document has no unit with a score
    estimate, low, high = bootstrap_ratios(num, den, n_boot=100, rng=np.random.default_rng(0))
    assert (estimate[0], low[0], high[0]) == (1.0, 1.0, 1.0)


def test_groups_by_metadata_keys_and_columns_and_counts_errors():
    metadata = [{"source": s, "year": y} for s, y in [("A", 2001), ("A", 2001), ("B", 2001), ("B", 2002), ("B", 2002)]]
    frame = _scores(
        ["for", "against", "for", "none", "for"], metadata=metadata, errors=[None, None, None, None, "broken"]
    )
    frame.loc[4, ["feasibility_label", "feasibility_score"]] = [None, None]
    summary = summarize(frame, ["source", "year"], n_boot=50)
    counts = summary.drop_duplicates(["source", "year"]).set_index(["source", "year"])
    assert counts.loc[("A", 2001), "n_documents"] == 2
    assert counts.loc[("B", 2002), ["n_documents", "n_errors"]].tolist() == [1, 1]
    a = summary[(summary["source"] == "A")]
    assert _row(a, "share_feasibility_against")["estimate"] == 0.5
    frame["iso3"] = ["X", "X", "Y", "Y", "Y"]
    assert group_columns(frame, ["iso3", "source"]).values.tolist()[2] == ["Y", "B"]
    with pytest.raises(ValueError, match="metadata keys: source, year"):
        summarize(frame, ["nope"])


@pytest.fixture(scope="module")
def two_years(tmp_path_factory, ungdc_dir):
    """Ten UNGDC speeches, five of 2015 and five of 2018, copied to a temporary folder."""
    folder = tmp_path_factory.mktemp("ungdc10")
    for session in ("Session 70 - 2015", "Session 73 - 2018"):
        for path in sorted((ungdc_dir / session).glob("*.txt"))[:5]:
            shutil.copy(path, folder / path.name)
    return folder


def test_score_and_summarize_cli_on_ten_speeches(two_years, tmp_path):
    runner = CliRunner()
    scores, actors, evidence = tmp_path / "p.parquet", tmp_path / "actors.csv", tmp_path / "evidence.jsonl"
    result = runner.invoke(
        main,
        [
            "score",
            str(two_years),
            "-o",
            str(scores),
            "--unit",
            "paragraph",
            "--no-progress",
            "--actors",
            str(actors),
            "--evidence",
            str(evidence),
        ],
    )
    assert result.exit_code == 0, result.output
    table = read_scores(scores)
    assert set(table["year"]) == {2015, 2018}
    assert (table["iso3"] == table["id"].str[:3]).all()
    assert table.loc[table["iso3"] == "AFG", "country"].iloc[0] == "Afghanistan"
    scored = table[table["feasibility_label"].notna()]
    for dim in ("feasibility", "desirability", "framing"):
        total = scored[[f for f in PROBABILITY_FIELDS if f.startswith(dim)]].sum(axis=1)
        assert np.allclose(total, 1.0, atol=2e-4)
    assert (scored["framing_p_realist"] == scored["realist_share"]).all()

    long_actors = pd.read_csv(actors)
    assert list(long_actors.columns[:4]) == ["id", "paragraph", "iso3", "year"]
    named = sum(len(json.loads(a)) for a in table["actors"])
    assert len(long_actors) == named > 0
    assert long_actors["mentions"].ge(1).all()
    long_evidence = pd.read_json(evidence, lines=True)
    assert len(long_evidence) == sum(len(json.loads(e)) for e in table["evidence"])
    assert set(long_evidence["side"]) <= {"for", "against"}

    out, png = tmp_path / "by_year.csv", tmp_path / "by_year.png"
    result = runner.invoke(
        main, ["summarize", str(scores), "--by", "year", "-o", str(out), "--plot", str(png), "--n-boot", "200"]
    )
    assert result.exit_code == 0, result.output
    summary = pd.read_csv(out)
    assert len(summary) == 2 * len(measures())
    assert summary.drop_duplicates("year")["n_documents"].tolist() == [5, 5]
    finite = summary.dropna(subset=["estimate"])
    assert (finite["ci_low"] <= finite["estimate"] + 1e-9).all() and (
        finite["estimate"] <= finite["ci_high"] + 1e-9
    ).all()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    again = tmp_path / "again.csv"
    runner.invoke(main, ["summarize", str(scores), "--by", "year", "-o", str(again), "--n-boot", "200"])
    assert again.read_bytes() == out.read_bytes()
    # by a metadata key (session) the groups are the same as by year
    by_session = tmp_path / "by_session.jsonl"
    assert (
        runner.invoke(
            main, ["summarize", str(scores), "--by", "session", "-o", str(by_session), "--n-boot", "200"]
        ).exit_code
        == 0
    )
    assert np.allclose(pd.read_json(by_session, lines=True)["estimate"], summary["estimate"], equal_nan=True)


def test_summarize_cli_refuses_plot_of_two_groups(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "summarize",
            __file__,
            "--by",
            "a",
            "--by",
            "b",
            "-o",
            str(tmp_path / "x.csv"),
            "--plot",
            str(tmp_path / "x.png"),
        ],
    )
    assert result.exit_code == 2
    assert "single --by" in result.output

"""Summaries of a score table per group, with bootstrap confidence intervals over documents.

``summarize(scores, by=["year"])`` turns a score table (any unit) into a tidy
table: one row per group and measure with the estimate, a percentile
bootstrap interval and the group's counts. Every measure is a ratio of sums
over the group's units (a share of labels, a mean score, the
institutionalist balance), so documents of many paragraphs weigh by their
paragraphs, as in the table itself. The bootstrap resamples *documents*
(all units of a document together), ``n_boot`` times, from
``numpy.random.default_rng(seed)``: the same table and seed give the same
intervals. Error rows are left out and counted in ``n_errors``.

Measures (``measure`` column):

* ``share_feasibility_for`` / ``_against`` / ``_none`` (and desirability):
  share of the units with a label that have this label;
* ``share_framing_realist`` / ``_institutionalist`` / ``_none``;
* ``mean_feasibility_score``, ``mean_desirability_score``: mean score over
  the units that have one (score = for / (for + against));
* ``mean_realist_share``, ``mean_institutionalist_share``;
* ``institutionalist_balance``: institutionalist / (realist +
  institutionalist) share mass, 1 = all institutionalist, 0 = all realist
  (the replication's balance).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

STANCE_CLASSES = ("for", "against", "none")
FRAMING_CLASSES = ("realist", "institutionalist", "none")
#: Output columns after the group columns.
SUMMARY_COLUMNS = ("measure", "estimate", "ci_low", "ci_high", "n_documents", "n_units", "n_errors")
#: Bootstrap replicates drawn at once (bounds memory for large groups).
_CHUNK = 200


def measures() -> list[str]:
    """The measure names, in the order of the summary table."""
    names = [f"share_{dim}_{c}" for dim in ("feasibility", "desirability") for c in STANCE_CLASSES]
    names += [f"share_framing_{c}" for c in FRAMING_CLASSES]
    names += [
        "mean_feasibility_score",
        "mean_desirability_score",
        "mean_realist_share",
        "mean_institutionalist_share",
        "institutionalist_balance",
    ]
    return names


def _ratio_parts(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per unit and measure: numerator and denominator (measure = sum(num) / sum(den))."""
    num, den = [], []
    for dim in ("feasibility", "desirability"):
        labels = frame[f"{dim}_label"]
        for c in STANCE_CLASSES:
            num.append((labels == c).fillna(False).to_numpy(float))
            den.append(labels.notna().to_numpy(float))
    framing = frame["framing_label"]
    for c in FRAMING_CLASSES:
        num.append((framing == c).fillna(False).to_numpy(float))
        den.append(framing.notna().to_numpy(float))
    for column in ("feasibility_score", "desirability_score", "realist_share", "institutionalist_share"):
        values = pd.to_numeric(frame[column], errors="coerce").astype(float)
        num.append(values.fillna(0.0).to_numpy(float))
        den.append(values.notna().to_numpy(float))
    realist = pd.to_numeric(frame["realist_share"], errors="coerce").astype(float).fillna(0.0).to_numpy(float)
    inst = pd.to_numeric(frame["institutionalist_share"], errors="coerce").astype(float).fillna(0.0).to_numpy(float)
    num.append(inst)
    den.append(realist + inst)
    return np.column_stack(num), np.column_stack(den)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def bootstrap_ratios(
    num: np.ndarray, den: np.ndarray, *, n_boot: int, rng: np.random.Generator, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Estimates and percentile intervals of ``sum(num) / sum(den)`` per column, resampling rows.

    ``num`` and ``den`` are (documents x measures): each document's sums. A
    replicate draws as many documents as there are, with replacement
    (multinomial counts); replicates whose denominator is zero are left out.
    """
    n_docs = num.shape[0]
    estimate = _ratio(num.sum(axis=0), den.sum(axis=0))
    if n_docs == 0 or n_boot < 1:
        nan = np.full(num.shape[1], np.nan)
        return estimate, nan, nan.copy()
    draws = []
    for start in range(0, n_boot, _CHUNK):
        size = min(_CHUNK, n_boot - start)
        weights = rng.multinomial(n_docs, np.full(n_docs, 1.0 / n_docs), size=size).astype(float)
        draws.append(_ratio(weights @ num, weights @ den))
    replicates = np.vstack(draws)
    alpha = (1.0 - level) / 2
    low = np.full(num.shape[1], np.nan)
    high = np.full(num.shape[1], np.nan)
    for j in range(num.shape[1]):
        column = replicates[:, j]
        column = column[~np.isnan(column)]
        if column.size:
            low[j], high[j] = np.quantile(column, [alpha, 1 - alpha])
    return estimate, low, high


def group_columns(scores: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """The grouping values of every row: top-level columns, else keys of the ``metadata`` JSON."""
    out = pd.DataFrame(index=scores.index)
    parsed: list[dict[str, Any]] | None = None
    for name in by:
        if name in scores.columns and name != "metadata":
            out[name] = scores[name]
            continue
        if parsed is None:
            parsed = [json.loads(m) if isinstance(m, str) and m else {} for m in scores.get("metadata", [])]
            parsed += [{}] * (len(scores) - len(parsed))
        values = [m.get(name) for m in parsed]
        if all(v is None for v in values):
            keys = sorted({k for m in parsed for k in m})
            raise ValueError(
                f"no column or metadata key {name!r}; columns: {', '.join(map(str, scores.columns))}; "
                f"metadata keys: {', '.join(keys) or '(none)'}"
            )
        out[name] = pd.Series(values, index=scores.index, dtype=object).infer_objects()
    return out


def summarize(
    scores: pd.DataFrame, by: Sequence[str], *, n_boot: int = 1000, seed: int = 0, level: float = 0.95
) -> pd.DataFrame:
    """The tidy summary of ``scores`` per group of ``by`` (see the module docstring).

    One row per group and measure: the group values, ``measure``,
    ``estimate``, ``ci_low``, ``ci_high`` (a ``level`` percentile interval,
    documents resampled), ``n_documents``, ``n_units`` (rows) and ``n_errors``
    (error rows, left out). Groups are sorted; a missing group value is its
    own group. Estimates and bounds are rounded to 4 digits.
    """
    by = list(by)
    if not by:
        raise ValueError("summarize needs at least one column to group by")
    groups = group_columns(scores, by)
    is_error = scores["error"].notna().to_numpy() if "error" in scores.columns else np.zeros(len(scores), bool)
    num, den = _ratio_parts(scores)
    ids = scores["id"].astype(str).to_numpy()
    rng = np.random.default_rng(seed)
    names = measures()
    rows = []
    for key, index in groups.groupby(by, sort=True, dropna=False).indices.items():
        key = key if isinstance(key, tuple) else (key,)
        errors = is_error[index]
        ok = index[~errors]
        doc_codes, doc_of = np.unique(ids[ok], return_inverse=True)
        doc_num = np.zeros((len(doc_codes), len(names)))
        doc_den = np.zeros((len(doc_codes), len(names)))
        np.add.at(doc_num, doc_of, num[ok])
        np.add.at(doc_den, doc_of, den[ok])
        estimate, low, high = bootstrap_ratios(doc_num, doc_den, n_boot=n_boot, rng=rng, level=level)
        for j, name in enumerate(names):
            rows.append((*key, name, estimate[j], low[j], high[j], len(doc_codes), len(ok), int(errors.sum())))
    frame = pd.DataFrame.from_records(rows, columns=[*by, *SUMMARY_COLUMNS])
    for column in ("estimate", "ci_low", "ci_high"):
        frame[column] = frame[column].astype(float).round(4)
    for column in ("n_documents", "n_units", "n_errors"):
        frame[column] = frame[column].astype("int64")
    return frame


#: Panels of the summary figure: (title, [(measure, label, colour key)]).
_PANELS = (
    ("Feasibility", "feasibility", STANCE_CLASSES[:2]),
    ("Desirability", "desirability", STANCE_CLASSES[:2]),
    ("Framing", "framing", FRAMING_CLASSES[:2]),
)


def plot_summary(summary: pd.DataFrame, by: str, path: str | os.PathLike, *, title: str | None = None) -> None:
    """Shares over the numeric group ``by`` with their bootstrap bands, one panel per dimension, as PNG."""
    from matplotlib.ticker import MaxNLocator

    from .figures import FRAMING_COLOURS, STANCE_COLOURS, _figure, save_png

    if by not in summary.columns:
        raise ValueError(f"the summary has no group column {by!r}")
    others = [c for c in summary.columns[: list(summary.columns).index("measure")] if c != by]
    if others:
        raise ValueError(f"--plot draws one numeric group; the summary is also grouped by {', '.join(others)}")
    x_all = pd.to_numeric(summary[by], errors="coerce")
    if x_all.isna().any():
        raise ValueError(f"--plot needs a numeric group: {by!r} has values that are not numbers")
    colours = {**STANCE_COLOURS, **FRAMING_COLOURS}
    with _figure(9.0, 3.0, ncols=3, sharey=True) as (fig, axes):
        for ax, (panel, dim, classes) in zip(axes, _PANELS):
            for cls in classes:
                part = summary[summary["measure"] == f"share_{dim}_{cls}"].assign(x=x_all).sort_values("x")
                ax.plot(part["x"], part["estimate"], marker="o", markersize=3, color=colours[cls], label=cls)
                ax.fill_between(part["x"], part["ci_low"], part["ci_high"], color=colours[cls], alpha=0.2, linewidth=0)
            ax.set_title(panel)
            if (x_all == x_all.round()).all():
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_xlabel(by)
            ax.set_ylim(0, 1)
            ax.legend(frameon=False, fontsize=8, loc="upper left")
        axes[0].set_ylabel("share of units, 95% CI")
        if title:
            fig.suptitle(title)
        fig.tight_layout()
        save_png(fig, path)

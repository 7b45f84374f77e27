"""Figures of the replication, drawn with matplotlib's Agg canvas and saved as PNG.

Every figure is deterministic: a fixed size and resolution, the font matplotlib
bundles (DejaVu Sans), a fixed ``svg.hashsalt`` and no ``Software`` entry in
the PNG metadata, so the same numbers give byte-identical files. The pyplot
state machine is not used (a ``Figure`` with its own Agg canvas), so drawing
never opens a window or touches a global backend.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Any, Iterator, Sequence

import numpy as np
import pandas as pd
from matplotlib import rc_context, rcdefaults, rcParams
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

#: Dots per inch of every saved figure.
DPI = 110

#: Settings that make the output independent of the user's matplotlibrc.
_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "svg.hashsalt": "ggtext",
    "path.simplify": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
}

#: One colour per framing label, used in every figure and the HTML report.
FRAMING_COLOURS = {"realist": "#c0392b", "institutionalist": "#2471a3", "none": "#9e9e9e"}
#: Stance sides.
STANCE_COLOURS = {"for": "#1e8449", "against": "#d35400"}
#: One colour per administration in the White House figures.
ADMINISTRATION_COLOURS = {"Biden": "#2471a3", "Trump": "#c0392b"}


@contextmanager
def _figure(width: float, height: float, **subplots: Any) -> Iterator[tuple[Figure, Any]]:
    """A figure of ``width`` x ``height`` inches with its axes, under the fixed settings."""
    with rc_context():
        rcdefaults()  # matplotlib's defaults, not the user's matplotlibrc or style (undone on exit)
        rcParams.update(_RC)
        fig = Figure(figsize=(width, height), dpi=DPI)
        FigureCanvasAgg(fig)
        axes = fig.subplots(**subplots) if subplots else fig.subplots()
        yield fig, axes


def save_png(fig: Figure, path: str | os.PathLike) -> None:
    """Write ``fig`` as a PNG without the (version-dependent) ``Software`` metadata."""
    fig.savefig(path, format="png", dpi=DPI, metadata={"Software": None})


def _position(frame: pd.DataFrame, dim: str) -> np.ndarray:
    """Stance position of each unit on ``dim``: p(for) - p(against), in [-1, 1]."""
    return (frame[f"{dim}_p_for"] - frame[f"{dim}_p_against"]).to_numpy(dtype=float)


def _month_number(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def _month_name(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def stance_trajectory(passages: pd.DataFrame, path: str | os.PathLike, *, title: str) -> None:
    """Feasibility and desirability paragraph by paragraph, markers coloured by framing.

    ``passages`` has the verdict's per-paragraph columns (``paragraph``,
    ``<dim>_p_for``, ``<dim>_p_against``, ``framing_label``); paragraphs made
    only of reported views (no probabilities) are left as gaps.
    """
    x = passages["paragraph"].to_numpy()
    framing = passages["framing_label"].fillna("none").to_numpy()
    with _figure(9, 4.5) as (fig, ax):
        ax.axhline(0, color="#555555", linewidth=0.6)
        for dim, style in (("feasibility", "-"), ("desirability", "--")):
            y = _position(passages, dim)
            ax.plot(x, y, style, color="#444444", linewidth=0.9, label=dim, zorder=1)
            colours = [FRAMING_COLOURS.get(f, FRAMING_COLOURS["none"]) for f in framing]
            marker = "o" if dim == "feasibility" else "s"
            ax.scatter(x, y, c=colours, marker=marker, s=18, zorder=2, edgecolors="none")
        ax.set_ylim(-1.05, 1.05)
        ax.set_xlim(-0.5, max(len(x) - 0.5, 0.5))
        ax.set_xlabel("paragraph")
        ax.set_ylabel("p(for) - p(against)")
        ax.set_title(title)
        handles = [
            Line2D([], [], color="#444444", linestyle="-", marker="o", label="feasibility"),
            Line2D([], [], color="#444444", linestyle="--", marker="s", label="desirability"),
        ] + [
            Line2D([], [], linestyle="", marker="o", color=colour, label=f"framing: {name}")
            for name, colour in FRAMING_COLOURS.items()
        ]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.13), fontsize=7, ncol=5, frameon=False)
        fig.tight_layout()
        save_png(fig, path)


def confusion_matrix(
    matrix: Sequence[Sequence[int]], labels: Sequence[str], path: str | os.PathLike, *, title: str
) -> None:
    """A confusion matrix (rows: true label, columns: predicted), counts in the cells."""
    counts = np.asarray(matrix, dtype=int)
    with _figure(3.6, 3.2) as (fig, ax):
        ax.imshow(counts, cmap="Blues", vmin=0, vmax=max(int(counts.max()), 1))
        ticks = range(len(labels))
        ax.set_xticks(ticks, labels)
        ax.set_yticks(ticks, labels)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_title(title)
        threshold = counts.max() / 2
        for (i, j), value in np.ndenumerate(counts):
            ax.text(j, i, str(value), ha="center", va="center", color="white" if value > threshold else "black")
        fig.tight_layout()
        save_png(fig, path)


def yearly_trend(table: pd.DataFrame, path: str | os.PathLike, *, title: str) -> None:
    """UN General Debate by year: share of speeches on GGIM; mean stance and framing among them."""
    years = table["year"].to_numpy()
    with _figure(10, 5.6, nrows=2, sharex=True) as (fig, (top, bottom)):
        top.bar(years, table["share_discussing"], color="#5d6d7e", label="discuss GGIM")
        if "share_positioned" in table:
            top.plot(
                years,
                table["share_positioned"],
                ":o",
                markersize=3,
                color="#7f8c8d",
                label="take a position (any topic)",
            )
            top.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        top.set_ylabel("share of speeches")
        top.set_ylim(0, 1)
        top.set_title(title)
        bottom.axhline(0.5, color="#999999", linewidth=0.6)
        bottom.plot(
            years, table["mean_feasibility_score"], "-o", markersize=3, color="#1e8449", label="mean feasibility score"
        )
        bottom.plot(
            years,
            table["mean_desirability_score"],
            "--s",
            markersize=3,
            color="#7d3c98",
            label="mean desirability score",
        )
        bottom.plot(
            years,
            table["mean_institutionalist_share"],
            ":",
            color=FRAMING_COLOURS["institutionalist"],
            label="mean institutionalist share",
        )
        bottom.plot(
            years, table["mean_realist_share"], ":", color=FRAMING_COLOURS["realist"], label="mean realist share"
        )
        bottom.set_ylim(0, 1)
        bottom.set_xlabel("year")
        bottom.set_ylabel("among speeches on GGIM")
        bottom.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        fig.tight_layout()
        save_png(fig, path)


def monthly_trend(table: pd.DataFrame, path: str | os.PathLike, *, change: str, title: str) -> None:
    """White House texts by month: stance and framing, the change of administration marked.

    ``table`` has one row per month and administration (``month`` as
    ``YYYY-MM``); ``change`` is the month of the change (a vertical line).
    """
    months = sorted(table["month"].unique())
    first = _month_number(months[0]) if months else 0
    axis = [_month_name(n) for n in range(first, _month_number(max(months[-1], change)) + 1)] if months else [change]
    position = {m: i for i, m in enumerate(axis)}  # a true time axis: months without texts are gaps
    marker = position.get(change, 0)
    with _figure(11, 5.6, nrows=2, sharex=True) as (fig, (top, bottom)):
        for admin, rows in table.groupby("administration", sort=True):
            x = rows["month"].map(position).to_numpy()
            colour = ADMINISTRATION_COLOURS.get(str(admin), "#555555")
            top.plot(x, rows["mean_feasibility_score"], "-o", markersize=3, color=colour, label=f"{admin}: feasibility")
            top.plot(
                x,
                rows["mean_desirability_score"],
                "--s",
                markersize=3,
                color=colour,
                alpha=0.6,
                label=f"{admin}: desirability",
            )
            bottom.plot(
                x,
                rows["mean_institutionalist_share"],
                "-o",
                markersize=3,
                color=colour,
                label=f"{admin}: institutionalist share",
            )
            bottom.plot(
                x, rows["mean_realist_share"], ":^", markersize=3, color=colour, label=f"{admin}: realist share"
            )
        for ax in (top, bottom):
            ax.axvline(marker, color="#333333", linewidth=1, linestyle="-.")
            ax.set_ylim(0, 1)
            ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        top.annotate(
            f"change of administration ({change})",
            (marker, 0.02),
            xytext=(-4, 0),
            textcoords="offset points",
            fontsize=7,
            ha="right",
            va="bottom",
        )
        top.set_ylabel("mean stance score")
        top.set_title(title)
        bottom.set_ylabel("mean framing share")
        step = 3 if len(axis) <= 48 else 6
        bottom.set_xticks(range(0, len(axis), step), axis[::step], rotation=60, fontsize=7)
        bottom.set_xlabel("month")
        fig.tight_layout()
        save_png(fig, path)

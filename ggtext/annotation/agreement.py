"""Agreement between coders: Cohen's kappa, Krippendorff's alpha, bootstrap intervals, disagreements.

Each coder is one codebook-format JSONL file (``text`` is not needed; a
unit may leave a dimension out). Per dimension:

* **Krippendorff's alpha** (nominal, any number of coders, missing values
  allowed) over the units that at least two coders labelled;
* **Cohen's kappa** (scikit-learn's ``cohen_kappa_score``) for every pair of
  coders over the units both labelled, with the pair's confusion table;
* 95% percentile intervals from a bootstrap over units (seeded).

A coefficient is undefined (null) when the labels do not vary: then chance
agreement is total and the ratio is 0/0. ``disagreements`` lists the units
to adjudicate: ids and each coder's labels, no text.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..models.labels import CLASSES, DIMENSIONS

DEFAULT_N_BOOT = 1000


class CodingFileError(InputError):
    """A coder's file is missing, unreadable or has invalid labels."""


@dataclass(frozen=True)
class Coding:
    """One coder's labels: ``{unit id: {dimension: class}}``."""

    name: str
    path: Path
    labels: dict[str, dict[str, str]]


def read_coding(path: str | os.PathLike, name: str | None = None) -> Coding:
    """A coder's codebook-format JSONL: ids and labels, validated (text is not needed)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CodingFileError(f"{path}: cannot read it ({error})") from None
    labels: dict[str, dict[str, str]] = {}
    problems = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"line {number}: not valid JSON ({error.msg})")
            continue
        unit = record.get("id") if isinstance(record, dict) else None
        if not isinstance(unit, str) or not unit:
            problems.append(f"line {number}: no 'id'")
            continue
        if unit in labels:
            problems.append(f"line {number}: duplicate id {unit!r}")
            continue
        given = {}
        for dim in DIMENSIONS:
            value = record.get(dim)
            if value is None:
                continue
            if value not in CLASSES[dim]:
                problems.append(f"line {number}: {dim} label {value!r} is not one of {', '.join(CLASSES[dim])}")
            else:
                given[dim] = value
        labels[unit] = given
    if problems:
        raise CodingFileError(f"{path}: {len(problems)} problem(s):\n  " + "\n  ".join(problems[:20]))
    if not labels:
        raise CodingFileError(f"{path}: no labelled units")
    return Coding(name or path.stem, path, labels)


def _coincidences(units: Sequence[Sequence[Any]], categories: Sequence[Any]) -> np.ndarray:
    """Each unit's coincidence matrix (units x categories x categories); units of under 2 values add zeros."""
    index = {c: i for i, c in enumerate(categories)}
    out = np.zeros((len(units), len(categories), len(categories)))
    for u, unit in enumerate(units):
        present = [index[v] for v in unit if v is not None]
        if len(present) >= 2:
            counts = np.bincount(present, minlength=len(categories)).astype(float)
            out[u] = (np.outer(counts, counts) - np.diag(counts)) / (len(present) - 1)
    return out


def _alpha(coincidences: np.ndarray) -> float | None:
    margins = coincidences.sum(axis=1)
    n = margins.sum()
    expected = n**2 - (margins**2).sum()
    if n < 2 or expected <= 1e-12:
        return None
    observed = coincidences.sum() - np.trace(coincidences)
    return float(1.0 - (n - 1) * observed / expected)


def krippendorff_alpha(units: Sequence[Sequence[Any]]) -> float | None:
    """Krippendorff's alpha for nominal data; ``units`` = each unit's values (None = missing).

    With the coincidence matrix ``o[c][k]`` (each ordered pair of values in a
    unit of ``m`` values adds ``1 / (m - 1)``), ``n_c`` its margins and ``n``
    the number of pairable values: ``alpha = 1 - (n - 1) * sum_{c != k} o[c][k]
    / sum_{c != k} n_c * n_k``. None when fewer than two pairable values or no
    variation.
    """
    categories = sorted({v for unit in units for v in unit if v is not None}, key=str)
    if len(categories) < 2:
        return None
    return _alpha(_coincidences(units, categories).sum(axis=0))


def _kappa(confusion: np.ndarray) -> float | None:
    """Cohen's kappa from a confusion matrix (the formula of scikit-learn's ``cohen_kappa_score``)."""
    n = confusion.sum()
    if n == 0:
        return None
    expected = np.outer(confusion.sum(axis=1), confusion.sum(axis=0)) / n
    chance = expected.sum() - np.trace(expected)
    if chance <= 1e-12:
        return None
    return float(1.0 - (confusion.sum() - np.trace(confusion)) / chance)


def cohen_kappa(a: Sequence[str], b: Sequence[str], classes: Sequence[str]) -> float | None:
    """Cohen's kappa of two coders' labels by scikit-learn (None when undefined: no variation at all)."""
    import warnings

    from sklearn.metrics import cohen_kappa_score

    if len(a) == 0 or len(set(a) | set(b)) < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        value = cohen_kappa_score(a, b, labels=list(classes))
    return None if np.isnan(value) else float(value)


def _interval(
    statistic, per_unit: np.ndarray, n_boot: int, rng: np.random.Generator
) -> tuple[float | None, float | None]:
    """Percentile 95% interval of ``statistic(sum of resampled units' matrices)``, units drawn with replacement."""
    n_units = len(per_unit)
    if n_units < 2 or n_boot < 1:
        return None, None
    flat = per_unit.reshape(n_units, -1)
    draws = []
    for _ in range(n_boot):
        counts = np.bincount(rng.integers(0, n_units, n_units), minlength=n_units).astype(float)
        value = statistic((counts @ flat).reshape(per_unit.shape[1:]))
        if value is not None:
            draws.append(value)
    if not draws:
        return None, None
    low, high = np.quantile(draws, [0.025, 0.975])
    return round(float(low), 4), round(float(high), 4)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def agreement(codings: Sequence[Coding], *, n_boot: int = DEFAULT_N_BOOT, seed: int = 0) -> dict[str, Any]:
    """The agreement report (a JSON-ready dict) of two or more ``codings``."""
    if len(codings) < 2:
        raise CodingFileError("agreement needs at least two coders' files")
    names = [c.name for c in codings]
    if len(set(names)) < len(names):
        raise CodingFileError(f"two coders have the same name ({', '.join(names)}): rename a file")
    rng = np.random.default_rng(seed)
    all_ids = sorted(set().union(*(c.labels for c in codings)))
    report: dict[str, Any] = {
        "coders": names,
        "n_units": {"any": len(all_ids), "in_common": len(set.intersection(*(set(c.labels) for c in codings)))},
        "n_boot": n_boot,
        "seed": seed,
        "labels": {},
    }
    for dim in DIMENSIONS:
        classes = CLASSES[dim]
        rows = [[c.labels.get(u, {}).get(dim) for c in codings] for u in all_ids]
        rows = [r for r in rows if sum(v is not None for v in r) >= 2]
        alpha = krippendorff_alpha(rows)
        low, high = _interval(_alpha, _coincidences(rows, classes), n_boot, rng)
        pairs = []
        for (i, a), (j, b) in combinations(enumerate(codings), 2):
            common = [(r[i], r[j]) for r in rows if r[i] is not None and r[j] is not None]
            kappa = cohen_kappa([p[0] for p in common], [p[1] for p in common], classes)
            one_hot = np.zeros((len(common), len(classes), len(classes)))
            for t, (x, y) in enumerate(common):
                one_hot[t, classes.index(x), classes.index(y)] = 1.0
            k_low, k_high = _interval(_kappa, one_hot, n_boot, rng)
            table = one_hot.sum(axis=0).astype(int)
            pairs.append(
                {
                    "coders": [a.name, b.name],
                    "n_units": len(common),
                    "observed_agreement": _rounded(sum(x == y for x, y in common) / len(common)) if common else None,
                    "kappa": {"estimate": _rounded(kappa), "ci_low": k_low, "ci_high": k_high},
                    "confusion": {
                        ca: {cb: int(table[r, k]) for k, cb in enumerate(classes)} for r, ca in enumerate(classes)
                    },
                }
            )
        report["labels"][dim] = {
            "n_units": len(rows),
            "alpha": {"estimate": _rounded(alpha), "ci_low": low, "ci_high": high},
            "pairs": pairs,
        }
    return report


def disagreements(codings: Sequence[Coding]) -> list[dict[str, Any]]:
    """Units at least two coders labelled where some dimension differs: ids, dimensions, each coder's labels."""
    out = []
    for unit in sorted(set().union(*(c.labels for c in codings))):
        coded = {c.name: c.labels[unit] for c in codings if unit in c.labels}
        if len(coded) < 2:
            continue
        split = [d for d in DIMENSIONS if len({lab[d] for lab in coded.values() if d in lab}) > 1]
        if split:
            out.append({"id": unit, "dimensions": split, "labels": coded})
    return out


def format_report(report: dict[str, Any]) -> str:
    """The report as plain text: one block per dimension."""

    def ci(stat: dict[str, Any]) -> str:
        if stat["estimate"] is None:
            return "undefined (no variation)"
        bounds = f" [{stat['ci_low']:.3f}, {stat['ci_high']:.3f}]" if stat["ci_low"] is not None else ""
        return f"{stat['estimate']:.3f}{bounds}"

    header = (
        f"coders: {', '.join(report['coders'])}; units: {report['n_units']['any']} "
        f"({report['n_units']['in_common']} labelled by all); 95% bootstrap intervals over units "
        f"({report['n_boot']} replicates, seed {report['seed']})"
    )
    lines = [header]
    for dim, block in report["labels"].items():
        lines += ["", f"{dim}: Krippendorff's alpha {ci(block['alpha'])} over {block['n_units']} units"]
        for pair in block["pairs"]:
            a, b = pair["coders"]
            agree = "" if pair["observed_agreement"] is None else f", agreement {pair['observed_agreement']:.3f}"
            lines.append(f"  {a} vs {b}: Cohen's kappa {ci(pair['kappa'])} over {pair['n_units']} units{agree}")
            classes = list(pair["confusion"])
            head = f"{a} \\ {b}"
            first = max(len(c) for c in classes + [head]) + 2
            lines.append("    " + head.ljust(first) + "  ".join(classes))
            for ca in classes:
                lines.append(
                    "    "
                    + ca.ljust(first)
                    + "  ".join(str(pair["confusion"][ca][cb]).rjust(len(cb)) for cb in classes)
                )
    return "\n".join(lines)

"""External check: do the states that voted against or abstained on the GCM score lower?

The UN General Assembly endorsed the Global Compact for Migration on 19 December
2018 (A/RES/73/195): 5 states voted against, 12 abstained
(``corpora/external/gcm_vote_a_res_73_195.yaml``). If the desirability score
measures support for global migration governance, those states' UN General
Debate speeches of 2018 and 2019 should score lower than the other states'.
This script scores those speeches (document unit, the shipped model or
``--model``) and reports the ROC AUC of each score for telling the states that
voted in favour (or did not vote) from those that voted against or abstained
(0.5: no better than chance; 1: every non-supporter below every other state),
also for the 5 states that voted against alone, with bootstrap intervals over
states, and the non-supporters' scores.

A state's score is the mean of its 2018 and 2019 speeches. Most speeches never
mention migration governance, so the check is weak by construction; it is an
external criterion, not a target, and nothing is tuned on it.

    python benchmarks/gcm_vote_check.py --data ../shared [--model models/my-model] [--n-process 2]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
VOTE_FILE = ROOT / "corpora" / "external" / "gcm_vote_a_res_73_195.yaml"
RESULTS = ROOT / "benchmarks" / "results" / "gcm_vote_check.md"
SESSIONS = {2018: "Session 73 - 2018", 2019: "Session 74 - 2019"}
#: Per-state scores compared; higher should mean "supporter" (the paragraph maximum is negated).
SCORES = ("desirability_score", "negated_max_paragraph_p_against", "feasibility_score")
BOOTSTRAP = 2000
SEED = 0


def speech_files(data: Path) -> list[Path]:
    """The UNGDC speeches of 2018 and 2019 (``ISO_SESSION_YEAR.txt``)."""
    folder = data / "corpora" / "ungdc" / "TXT"
    files = [path for session in SESSIONS.values() for path in sorted((folder / session).glob("*.txt"))]
    if not files:
        sys.exit(f"error: no UNGDC speeches of 2018-2019 under {folder}")
    return files


def state_scores(table: pd.DataFrame, paragraphs: pd.DataFrame, vote: dict) -> pd.DataFrame:
    """One row per state: mean scores over its speeches, and whether it supported the GCM."""
    ok = table[table["error"].isna()].copy()
    strongest = paragraphs[paragraphs["error"].isna()].groupby("id")["desirability_p_against"].max()
    ok["negated_max_paragraph_p_against"] = -ok["id"].map(strongest)
    states = ok.groupby("iso3")[list(SCORES)].mean()
    states["speeches"] = ok.groupby("iso3").size()
    states["desirability_labels"] = ok.groupby("iso3")["desirability_label"].agg(lambda s: ", ".join(sorted(s)))
    against, abstained = set(vote["against"]), set(vote["abstained"])
    states["vote"] = [
        "against" if s in against else "abstained" if s in abstained else "yes or absent" for s in states.index
    ]
    states["supporter"] = states["vote"] == "yes or absent"
    return states


def auc_with_interval(states: pd.DataFrame, column: str) -> tuple[float, float, float]:
    """ROC AUC of ``column`` for supporters vs non-supporters, with a 95% bootstrap interval over states."""
    y, x = states["supporter"].to_numpy(), states[column].to_numpy()
    auc = roc_auc_score(y, x)
    rng = np.random.default_rng(SEED)
    draws = []
    for _ in range(BOOTSTRAP):
        pick = rng.integers(0, len(y), len(y))
        if y[pick].all() or not y[pick].any():
            continue
        draws.append(roc_auc_score(y[pick], x[pick]))
    low, high = np.percentile(draws, [2.5, 97.5])
    return auc, low, high


def report(states: pd.DataFrame, table: pd.DataFrame, seconds: float, command: str) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    n_non = int((~states["supporter"]).sum())
    lines = [
        "# External check: the GCM vote (A/RES/73/195) and 2018-2019 UNGDC scores",
        "",
        f"`{command}` on {when}: {len(table)} speeches ({int(table['error'].notna().sum())} error rows), "
        f"{len(states)} states, {n_non} of them voted against or abstained; {seconds:.0f} s.",
        "",
        "ROC AUC of each state's mean score for telling states that voted in favour (or did not vote)",
        "from states that voted against or abstained; 0.5 is chance, higher means non-supporters score lower.",
        f"95% intervals: {BOOTSTRAP} bootstrap resamples of states (seed {SEED}).",
        "",
        "| score | against or abstained (17) vs the rest: AUC | 95% interval | against (5) vs in favour or absent: AUC | 95% interval |",
        "|---|---|---|---|---|",
    ]
    names = {
        "desirability_score": "desirability score",
        "negated_max_paragraph_p_against": "strongest paragraph p(desirability against), negated",
        "feasibility_score": "feasibility score",
    }
    against_only = states[states["vote"] != "abstained"]
    for column in SCORES:
        auc, low, high = auc_with_interval(states, column)
        auc5, low5, high5 = auc_with_interval(against_only, column)
        lines.append(f"| {names[column]} | {auc:.2f} | {low:.2f}-{high:.2f} | {auc5:.2f} | {low5:.2f}-{high5:.2f} |")
    supporters = states[states["supporter"]]
    lines += [
        "",
        f"States in favour or absent: mean desirability score {supporters['desirability_score'].mean():.3f}, "
        f"labels {table[table['iso3'].isin(supporters.index)]['desirability_label'].value_counts().to_dict()}.",
        "",
        "| state | vote | speeches | desirability score | labels | feasibility score |",
        "|---|---|---|---|---|---|",
    ]
    for iso3, row in states[~states["supporter"]].sort_values("desirability_score").iterrows():
        lines.append(
            f"| {iso3} | {row['vote']} | {row['speeches']} | {row['desirability_score']:.3f} | "
            f"{row['desirability_labels']} | {row['feasibility_score']:.3f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the data directory (holds corpora/ungdc)")
    parser.add_argument("--model", default=None, help="a model folder (default: the shipped model)")
    parser.add_argument("--n-process", type=int, default=1, help="worker processes")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the Markdown report")
    args = parser.parse_args(argv)

    import ggtext

    vote = yaml.safe_load(VOTE_FILE.read_text(encoding="utf-8"))
    files = speech_files(args.data)
    started = time.perf_counter()
    paths = [str(p) for p in files]
    table = ggtext.score(paths, model=args.model, n_process=args.n_process, progress=True)
    paragraphs = ggtext.score(paths, model=args.model, n_process=args.n_process, unit="paragraph", progress=True)
    seconds = time.perf_counter() - started
    states = state_scores(table, paragraphs, vote)
    command = "python benchmarks/gcm_vote_check.py --data ../shared" + (f" --model {args.model}" if args.model else "")
    text = report(states, table, seconds, command)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

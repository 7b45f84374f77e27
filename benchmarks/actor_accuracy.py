"""Accuracy of actor recognition against hand-labelled passages (and the training labels).

Gold: corpora/annotation/actors_gold.jsonl (format: corpora/annotation/README.md). Each
passage is rebuilt from its source file, run through ``ggtext.load()`` and compared with
the gold mentions on the evaluated ids (the codebook's ids and the states):

* mentions: a prediction is right when its span and its id equal a gold mention;
* ids per passage: the set of ids a passage names, compared with the gold set.

When the data directory has annotation/train.jsonl, the codebook ids found in each of its
paragraphs are also compared with the project annotators' ``actors`` labels.

    python benchmarks/actor_accuracy.py --data ../shared
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpora" / "annotation" / "actors_gold.jsonl"
RESULTS = ROOT / "benchmarks" / "results" / "actor_accuracy.md"
SEED_DOC = "seed_essay"


def passage_text(doc: str, start: int, end: int, data: Path | None) -> str:
    """The passage as labelled: the raw file's characters [start:end], whitespace runs joined by one space."""
    if doc == SEED_DOC:
        from ggtext.config import SEED_ESSAY

        path = SEED_ESSAY
    else:
        if data is None:
            raise SystemExit(f"{doc} needs the data directory (--data or GGTEXT_DATA).")
        path = data / doc
    raw = path.read_text(encoding="utf-8")
    return " ".join(raw[start:end].split())


def load_gold(path: Path = GOLD, data: Path | None = None, *, seed_only: bool = False) -> list[dict]:
    """Gold passages with their text; checks each passage's checksum against its source."""
    passages = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        if seed_only and item["doc"] != SEED_DOC:
            continue
        if data is None and item["doc"] != SEED_DOC:
            continue
        text = passage_text(item["doc"], item["start"], item["end"], data)
        if hashlib.sha1(text.encode("utf-8")).hexdigest()[:12] != item["sha1"]:
            raise SystemExit(
                f"{path.name}:{number}: {item['doc']} [{item['start']}:{item['end']}] changed since labelling."
            )
        passages.append({**item, "text": text})
    return passages


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(passages: list[dict], predicted: list[list[tuple[int, int, str]]], evaluated: set[str]) -> dict:
    """Per-id counts for exact mentions and for ids per passage."""
    mention = {"tp": Counter(), "fp": Counter(), "fn": Counter()}
    ids = {"tp": Counter(), "fp": Counter(), "fn": Counter()}
    errors = []
    for passage, found in zip(passages, predicted):
        gold = {(m["start"], m["end"], m["id"]) for m in passage["mentions"]}
        pred = {p for p in found if p[2] in evaluated}
        for _, _, i in gold & pred:
            mention["tp"][i] += 1
        for s, e, i in sorted(pred - gold):
            mention["fp"][i] += 1
            errors.append((passage["doc"], "FP", i, s, e, passage["text"][s:e]))
        for s, e, i in sorted(gold - pred):
            mention["fn"][i] += 1
            errors.append((passage["doc"], "FN", i, s, e, passage["text"][s:e]))
        gold_ids, pred_ids = {g[2] for g in gold}, {p[2] for p in pred}
        for i in gold_ids & pred_ids:
            ids["tp"][i] += 1
        for i in pred_ids - gold_ids:
            ids["fp"][i] += 1
        for i in gold_ids - pred_ids:
            ids["fn"][i] += 1
    return {"mention": mention, "ids": ids, "errors": errors}


def micro(counts: dict, keep: set[str]) -> tuple[float, float, float, int]:
    tp, fp, fn = (sum(v for k, v in counts[c].items() if k in keep) for c in ("tp", "fp", "fn"))
    return (*prf(tp, fp, fn), tp + fn)


def recognise(nlp, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    return [[(s.start_char, s.end_char, s.label_) for s in doc._.ggtext.actors] for doc in nlp.pipe(texts)]


def train_id_scores(nlp, data: Path, codebook: set[str]) -> dict | None:
    path = data / "annotation" / "train.jsonl"
    if not path.exists():
        return None
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    predicted = recognise(nlp, [r["text"] for r in rows])
    counts = {"tp": Counter(), "fp": Counter(), "fn": Counter()}
    for row, found in zip(rows, predicted):
        gold, pred = set(row["actors"]), {i for _, _, i in found if i in codebook}
        for i in gold & pred:
            counts["tp"][i] += 1
        for i in pred - gold:
            counts["fp"][i] += 1
        for i in gold - pred:
            counts["fn"][i] += 1
    return {"counts": counts, "n": len(rows)}


def table(counts_by_level: list[tuple[str, dict]], ids: list[str]) -> list[str]:
    header = "| id | " + " | ".join(f"{name} P | {name} R | {name} F1 | {name} n" for name, _ in counts_by_level) + " |"
    lines = [header, "|" + "---|" * (1 + 4 * len(counts_by_level))]
    for i in ids:
        cells = []
        for _, counts in counts_by_level:
            tp, fp, fn = counts["tp"][i], counts["fp"][i], counts["fn"][i]
            p, r, f = prf(tp, fp, fn)
            cells.append(f"{p:.2f} | {r:.2f} | {f:.2f} | {tp + fn}")
        lines.append(f"| {i} | " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Actor recognition accuracy on the hand-labelled passages.")
    parser.add_argument(
        "--data", help="data directory (default: $GGTEXT_DATA); without it only the seed essay is scored"
    )
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    import ggtext
    from ggtext.config import data_dir
    from ggtext.knowledge import load_knowledge_base

    data = data_dir(args.data, required=False)
    kb = load_knowledge_base()
    codebook, states = kb.codebook_ids, kb.ids_of_type("state")
    evaluated = codebook | states
    passages = load_gold(args.gold, data)
    nlp = ggtext.load()
    result = score(passages, recognise(nlp, [p["text"] for p in passages]), evaluated)

    n_mentions = sum(len(p["mentions"]) for p in passages)
    seen = sorted({i for c in result["mention"].values() for i in c} | {i for c in result["ids"].values() for i in c})
    seen_codebook = [i for i in seen if i in codebook]
    seen_states = [i for i in seen if i in states]
    lines = [
        "# Actor recognition accuracy",
        "",
        f"Command: `python benchmarks/actor_accuracy.py{' --data ' + str(args.data) if args.data else ''}`",
        "",
        f"Gold: `{args.gold.relative_to(ROOT) if args.gold.is_relative_to(ROOT) else args.gold}`, "
        f"{len(passages)} passages ({sum(p['doc'] == SEED_DOC for p in passages)} from the seed essay), "
        f"{n_mentions} gold mentions. Evaluated ids: the {len(codebook)} codebook ids and the states.",
        "",
        "## Overall (micro)",
        "",
        "| level | ids | precision | recall | F1 | gold n |",
        "|---|---|---|---|---|---|",
    ]
    for level in ("mention", "ids"):
        for name, keep in (("all", evaluated), ("codebook", codebook), ("states", states)):
            p, r, f, n = micro(result[level], keep)
            label = "exact span + id" if level == "mention" else "ids per passage"
            lines.append(f"| {label} | {name} | {p:.3f} | {r:.3f} | {f:.3f} | {n} |")
    lines += ["", "## Per codebook id", ""]
    lines += table([("span", result["mention"]), ("passage", result["ids"])], seen_codebook)
    lines += ["", "## Per state (ids per passage)", ""]
    lines += table([("passage", result["ids"])], seen_states)
    train = train_id_scores(nlp, data, codebook) if data else None
    if train:
        p, r, f, n = micro(train["counts"], codebook)
        lines += [
            "",
            f"## Codebook ids against annotation/train.jsonl ({train['n']} paragraphs, project labels)",
            "",
            f"Micro: precision {p:.3f}, recall {r:.3f}, F1 {f:.3f} over {n} labelled ids.",
            "",
        ]
        train_ids = sorted({i for c in train["counts"].values() for i in c})
        lines += table([("paragraph", train["counts"])], train_ids)
    # Errors by passage offsets only: corpus text stays out of the repository (printed, not written).
    lines += ["", "## Errors on the gold passages (exact span + id; passage offsets)", ""]
    lines += [f"- {kind} `{i}` [{s}:{e}] {doc}" for doc, kind, i, s, e, _ in result["errors"]] or ["none"]
    report = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    for doc, kind, i, s, e, text in result["errors"]:
        print(f"{kind} {i} \u201c{text}\u201d {doc} [{s}:{e}]")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

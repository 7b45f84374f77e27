"""Load and check the hand-labelled (sentence, actor) stance pairs; print their label counts.

Gold: corpora/annotation/actor_stance_gold.jsonl (format: corpora/annotation/README.md).
Each line names a sentence of a shared corpus file by character offsets, the actor it is
labelled for (with the offsets of its mention) and three labels: ``desirability`` and
``feasibility`` toward that actor (for / against / none) and ``voice`` (author / reported).
Every sentence is rebuilt from its source file and checked against its SHA-256.

    python benchmarks/actor_stance_gold.py --data ../shared
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpora" / "annotation" / "actor_stance_gold.jsonl"
STANCES = ("for", "against", "none")
VOICES = ("author", "reported")
FIELDS = ("doc", "start", "end", "sha256", "actor", "mention", "desirability", "feasibility", "voice")


class GoldError(ValueError):
    """A gold line that is malformed or no longer matches its source text."""


def _check(item: dict, raw: str, where: str, actor_ids: set[str] | None) -> None:
    missing = [key for key in FIELDS if key not in item]
    if missing:
        raise GoldError(f"{where}: missing {', '.join(missing)}")
    start, end = item["start"], item["end"]
    if not 0 <= start < end <= len(raw):
        raise GoldError(f"{where}: offsets [{start}:{end}] outside {item['doc']}")
    sentence = raw[start:end]
    if hashlib.sha256(sentence.encode("utf-8")).hexdigest() != item["sha256"]:
        raise GoldError(f"{where}: {item['doc']} [{start}:{end}] changed since labelling")
    m_start, m_end = item["mention"]
    if not start <= m_start < m_end <= end:
        raise GoldError(f"{where}: mention {item['mention']} is not inside the sentence")
    for dimension in ("desirability", "feasibility"):
        if item[dimension] not in STANCES:
            raise GoldError(f"{where}: {dimension} {item[dimension]!r} is not one of {STANCES}")
    if item["voice"] not in VOICES:
        raise GoldError(f"{where}: voice {item['voice']!r} is not one of {VOICES}")
    if actor_ids is not None and item["actor"] not in actor_ids:
        raise GoldError(f"{where}: {item['actor']!r} is not a codebook actor id")


def load_gold(data: Path, path: Path = GOLD, actor_ids: set[str] | None = None) -> list[dict]:
    """The gold pairs with ``sentence`` and ``mention_text`` filled in from the corpus; raises GoldError."""
    pairs, texts, seen = [], {}, set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        where = f"{path.name}:{number}"
        doc = item.get("doc", "")
        if doc not in texts:
            source = data / doc
            if not source.is_file():
                raise GoldError(f"{where}: {doc} not found under {data}")
            texts[doc] = source.read_text(encoding="utf-8")
        raw = texts[doc]
        _check(item, raw, where, actor_ids)
        key = (doc, item["start"], item["actor"])
        if key in seen:
            raise GoldError(f"{where}: the pair {key} is labelled twice")
        seen.add(key)
        m_start, m_end = item["mention"]
        pairs.append({**item, "sentence": raw[item["start"] : item["end"]], "mention_text": raw[m_start:m_end]})
    return pairs


def label_counts(pairs: list[dict]) -> dict[str, Counter]:
    """Counts per label on each field, plus actors and the pairs `against` on either dimension."""
    counts = {key: Counter(p[key] for p in pairs) for key in ("desirability", "feasibility", "voice", "actor")}
    counts["against_either"] = Counter(
        "against" if "against" in (p["desirability"], p["feasibility"]) else "other" for p in pairs
    )
    return counts


def codebook_actor_ids() -> set[str]:
    """The codebook's actor ids, from the shipped knowledge base."""
    from ggtext.knowledge import load_knowledge_base

    return load_knowledge_base().codebook_ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="data directory (default: $GGTEXT_DATA)")
    parser.add_argument("--gold", type=Path, default=GOLD, help="gold file (default: %(default)s)")
    args = parser.parse_args(argv)
    from ggtext.config import data_dir

    pairs = load_gold(data_dir(args.data), args.gold, codebook_actor_ids())
    docs = {p["doc"] for p in pairs}
    print(f"{len(pairs)} pairs in {len(docs)} documents; all offsets and hashes check.")
    for key, counter in label_counts(pairs).items():
        print(f"{key}: " + ", ".join(f"{label} {n}" for label, n in counter.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

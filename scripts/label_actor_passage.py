"""Turn hand-written actor labels into gold lines with character offsets.

The annotator reads a passage and writes, in reading order, each mention as
``[surface, id]`` (optionally ``[surface, id, skip]`` to pass over ``skip`` earlier
occurrences of the same surface). This script only finds the offsets: it searches each
surface in the normalised passage from the end of the previous mention and refuses to
guess when a surface is missing. Input: JSON lines ``{"doc", "start", "end", "mentions",
"note"?}``; output: the gold format of corpora/annotation/README.md on stdout.

    python scripts/label_actor_passage.py spec.jsonl --data ../shared >> corpora/annotation/actors_gold.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.actor_accuracy import passage_text  # noqa: E402


def label(spec: dict, data: Path) -> dict:
    passage = passage_text(spec["doc"], spec["start"], spec["end"], data)
    mentions, cursor = [], 0
    for item in spec["mentions"]:
        surface, actor_id = item[0], item[1]
        skip = item[2] if len(item) > 2 else 0
        at = passage.find(surface, cursor)
        for _ in range(skip):
            at = passage.find(surface, at + 1)
        if at < 0:
            raise SystemExit(f"{spec['doc']}: {surface!r} not found after offset {cursor}")
        mentions.append({"start": at, "end": at + len(surface), "id": actor_id})
        cursor = at + len(surface)
    line = {
        "doc": spec["doc"],
        "start": spec["start"],
        "end": spec["end"],
        "sha1": hashlib.sha1(passage.encode("utf-8")).hexdigest()[:12],
        "mentions": mentions,
    }
    if spec.get("note"):
        line["note"] = spec["note"]
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", type=Path)
    parser.add_argument("--data", type=Path, required=True)
    args = parser.parse_args()
    for raw in args.spec.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            print(json.dumps(label(json.loads(raw), args.data), ensure_ascii=False))


if __name__ == "__main__":
    main()

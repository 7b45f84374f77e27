"""Write ggtext/data/vectors/ggim_floret.{npy,json}: floret word vectors learnt on the unlabelled corpora.

Text: every UN General Debate speech (``corpora/ungdc/TXT``) and every White
House file (``corpora/wh_briefings/files``, YAML front matter dropped) of the
data directory, EXCEPT the documents of the frozen development split
(``corpora/annotation/dev_split_v2.json``: its ``documents`` and the document
part of its ``ids``), so the split stays unseen by the vectors too. The
labelled GOV texts are not in the corpora and are not used. Documents are
read in sorted path order; ``--max-words`` keeps a deterministic subsample
(every k-th document) when training on everything would be too slow.

Each document becomes lines of lower-cased words (:func:`ggtext.models.vectors.tokenize`,
one line per non-empty source line). floret (mode ``floret``, skipgram, one
thread, floret's fixed seed 0) trains on them; the hash table is stored as a
float16 NumPy array, its floret settings and sha256 as JSON (no pickle).

    python scripts/build_vectors.py --data ../shared
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ggtext.config import data_dir  # noqa: E402
from ggtext.models.vectors import DEFAULT_VECTORS, VECTORS_DIR, tokenize, vectors_files  # noqa: E402
from ggtext.reading.formats import split_front_matter  # noqa: E402

SPLIT = ROOT / "corpora" / "annotation" / "dev_split_v2.json"
#: floret settings (small: the table is bucket x dim float16).
SETTINGS = {
    "model": "skipgram",
    "mode": "floret",
    "dim": 64,
    "bucket": 30000,
    "minn": 4,
    "maxn": 5,
    "hashCount": 2,
    "epoch": 5,
    "minCount": 5,
    "ws": 5,
    "neg": 5,
    "lr": 0.05,
    "thread": 1,
}


def frozen_documents(split: Path) -> set[str]:
    """Document ids the frozen split holds out (its ``documents`` and the documents of its ``ids``)."""
    data = json.loads(split.read_text(encoding="utf-8"))
    return set(data.get("documents", [])) | {i.split("#", 1)[0] for i in data.get("ids", [])}


def corpus_documents(data: Path) -> list[tuple[str, Path]]:
    """(document id, path) of every corpus file, in sorted order; ids as train_v2 names them."""
    out = []
    for path in sorted((data / "corpora" / "ungdc" / "TXT").glob("*/*.txt")):
        out.append((path.stem, path))
    root = data / "corpora" / "wh_briefings" / "files"
    for path in sorted(root.rglob("*.md")):
        out.append(("WH/" + path.relative_to(root).as_posix(), path))
    return out


def document_lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".md":
        text = split_front_matter(text, [])[1]
    lines = []
    for line in text.splitlines():
        words = tokenize(line)
        if words:
            lines.append(" ".join(words))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="data directory [default: $GGTEXT_DATA]")
    parser.add_argument("--max-words", type=int, default=0, help="subsample every k-th document to about this many")
    parser.add_argument("--out", type=Path, default=VECTORS_DIR)
    parser.add_argument("--name", default=DEFAULT_VECTORS)
    args = parser.parse_args(argv)
    import floret

    data = data_dir(args.data)
    held_out = frozen_documents(SPLIT)
    documents = [(doc, path) for doc, path in corpus_documents(data) if doc not in held_out]
    excluded = len(corpus_documents(data)) - len(documents)
    texts = [document_lines(path) for _, path in documents]
    n_words = sum(len(line.split()) for lines in texts for line in lines)
    step = 1
    if args.max_words and n_words > args.max_words:
        step = -(-n_words // args.max_words)
        texts = texts[::step]
    used_words = sum(len(line.split()) for lines in texts for line in lines)
    print(
        f"{len(documents)} documents ({excluded} of the frozen split left out), {n_words} words; "
        f"training on every {step}th: {len(texts)} documents, {used_words} words",
        file=sys.stderr,
    )

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.txt"
        corpus.write_text("".join(line + "\n" for lines in texts for line in lines), encoding="utf-8")
        model = floret.train_unsupervised(str(corpus), verbose=0, **SETTINGS)
        exported = Path(tmp) / "vectors.floret"
        model.save_floret_vectors(str(exported))
        with exported.open(encoding="utf-8") as handle:
            header = handle.readline().split()
            table = np.loadtxt(handle, dtype=np.float32, usecols=range(1, int(header[1]) + 1), comments=None)
    seconds = time.perf_counter() - started
    bucket, dim, minn, maxn, hash_count, hash_seed, bow, eow = header
    table = table.astype(np.float16)
    if table.shape != (int(bucket), int(dim)):
        raise SystemExit(f"unexpected table shape {table.shape} for header {header}")

    args.out.mkdir(parents=True, exist_ok=True)
    table_path, settings_path = vectors_files(args.name, args.out)
    np.save(table_path, table, allow_pickle=False)
    settings = {
        "mode": "floret",
        "minn": int(minn),
        "maxn": int(maxn),
        "hash_count": int(hash_count),
        "hash_seed": int(hash_seed),
        "bow": bow,
        "eow": eow,
        "dim": int(dim),
        "bucket": int(bucket),
        "dtype": "float16",
        "sha256": hashlib.sha256(table_path.read_bytes()).hexdigest(),
        "training": dict(SETTINGS) | {"seed": 0, "floret": version("floret")},
        "corpus": {
            "sources": ["corpora/ungdc/TXT (UNGDC, CC0 1.0)", "corpora/wh_briefings/files (US federal works, CC0 1.0)"],
            "excluded": "every document of corpora/annotation/dev_split_v2.json",
            "documents": len(texts),
            "documents_excluded": excluded,
            "subsample_step": step,
            "words": used_words,
            "tokenizer": "ggtext.models.vectors.tokenize (lower-cased letter words)",
        },
        "licence": "vectors derived from CC0 1.0 texts (UNGDC; US government works); released under CC0 1.0",
        "build": "python scripts/build_vectors.py --data ../shared"
        + (f" --max-words {args.max_words}" if args.max_words else ""),
    }
    settings_path.write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")
    print(
        f"wrote {table_path} ({table_path.stat().st_size / 1e6:.1f} MB) and {settings_path.name} in {seconds:.0f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

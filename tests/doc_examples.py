"""The code blocks of the README and the docs pages, and a driver that runs one page's blocks in order.

A ```python block runs in one namespace shared by the page's Python blocks (a page is one session);
a ```bash / ```sh / ```console block runs in bash (``set -euo pipefail``; for console, the ``$ `` lines).
Every block runs in one working folder, so a later block sees what an earlier one wrote. A block that
cannot run in a test is marked just before its fence with ``<!-- not-run: reason -->``.

Run by ``tests/test_doc_examples.py`` as ``python tests/doc_examples.py PAGE WORKDIR``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

RUNNABLE = {"python", "bash", "sh", "shell", "console"}
FENCE = re.compile(r"^```(\S*)\s*$")
NOT_RUN = re.compile(r"^<!--\s*not-run:\s*(.*?)\s*-->\s*$")


@dataclass(frozen=True)
class Block:
    page: str
    line: int  # of the opening fence, 1-based
    language: str
    code: str
    not_run: str | None  # the reason given in the marker, or None

    def __str__(self) -> str:
        return f"{self.page}:{self.line} ({self.language})"


def blocks(path: Path) -> tuple[list[Block], list[int]]:
    """The fenced blocks of a Markdown page, and the lines of not-run markers that precede no block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    stray: list[int] = []
    marker: tuple[int, str] | None = None
    i = 0
    while i < len(lines):
        if m := NOT_RUN.match(lines[i].strip()):
            if marker:
                stray.append(marker[0])
            marker = (i + 1, m.group(1))
        elif m := FENCE.match(lines[i]):
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            reason = marker[1] if marker and marker[0] == i else None  # the marker must be the line just before
            if marker and reason is None:
                stray.append(marker[0])
            found.append(Block(path.name, i + 1, m.group(1), "\n".join(lines[i + 1 : end]) + "\n", reason))
            marker, i = None, end
        elif lines[i].strip() and marker:
            stray.append(marker[0])
            marker = None
        i += 1
    if marker:
        stray.append(marker[0])
    return found, stray


def shell_code(block: Block) -> str:
    if block.language != "console":
        return block.code
    return "\n".join(line[2:] for line in block.code.splitlines() if line.startswith("$ ")) + "\n"


def run_page(page: Path, workdir: Path) -> int:
    """Run the page's runnable blocks in order in ``workdir``; 0 when all pass."""
    os.chdir(workdir)
    namespace: dict = {"__name__": "__main__"}
    found, _ = blocks(page)
    for block in found:
        if block.language not in RUNNABLE or block.not_run:
            continue
        started = time.perf_counter()
        if block.language == "python":
            try:
                exec(compile(block.code, str(block), "exec"), namespace)
            except BaseException:
                print(f"FAILED {block}\n{block.code}\n{traceback.format_exc()}", flush=True)
                return 1
        else:
            done = subprocess.run(["bash", "-euo", "pipefail", "-c", shell_code(block)], capture_output=True, text=True)
            if done.returncode != 0:
                print(f"FAILED {block} (exit {done.returncode})\n{block.code}\n{done.stderr[-3000:]}", flush=True)
                return 1
        print(f"ran {block} in {time.perf_counter() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(run_page(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()))

"""``replicate``: run the four sections and write their tables, figures and ``REPORT.md`` into one folder."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Callable

from ..errors import DataDirectoryError, InputError
from .corpora import Inputs, seed_file
from .report import Section, Table, render_report
from .settings import StudySettings, load_settings

#: What a run writes into ``out`` (removed first, so no stale file outlives a skipped section).
OUTPUT_PATTERNS = (
    "REPORT.md",
    "inputs_sha256.csv",
    "seed_*.csv",
    "model_*.csv",
    "ungdc_*.csv",
    "wh_*.csv",
    "stance_trajectory.png",
    "confusion_*.png",
    "ungdc_*.png",
    "wh_*.png",
)


def _model_files(model_path: str | None) -> list[tuple[str, str]]:
    from ..models.data import file_sha256
    from ..models.io import resolve_model_dir

    folder = resolve_model_dir(model_path)
    return [(p.relative_to(folder).as_posix(), file_sha256(p)) for p in sorted(folder.rglob("*")) if p.is_file()]


def replicate(
    data: str | os.PathLike | None = None,
    out: str | os.PathLike = "results",
    *,
    limit: int | None = None,
    n_process: int = 2,
    model_path: str | os.PathLike | None = None,
    rerun_cv: bool = False,
    settings: StudySettings | str | os.PathLike | None = None,
    log: Callable[[str], None] = lambda message: print(message, file=sys.stderr),
) -> Path:
    """Rebuild the tables, figures and ``REPORT.md`` into ``out``; return the report's path.

    ``data`` is the data directory (``$GGTEXT_DATA`` when None); a missing one
    skips the corpus sections. ``limit`` scores at most that many documents of
    each corpus, evenly spaced over its years or months. ``rerun_cv`` runs the
    models' cross-validation again instead of reporting the model card's.
    ``settings`` is the study settings, or a YAML file of them (the shipped
    ``ggtext/data/study.yaml`` when None).
    """
    import pandas as pd

    from ..config import data_dir
    from ..models import load_model
    from .sections.models import model_section
    from .sections.seed import seed_section
    from .sections.ungdc import ungdc_section
    from .sections.whitehouse import whitehouse_section

    if not isinstance(settings, StudySettings):
        settings = load_settings(settings)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for pattern in OUTPUT_PATTERNS:
        for stale in out.glob(pattern):
            stale.unlink()
    data_path = data_dir(data, required=False)
    model_arg = os.fspath(model_path) if model_path is not None else None
    model = load_model(model_arg)
    model_files = _model_files(model_arg)  # hashed now: the files this run's model was loaded from
    inputs = Inputs()
    sections: list[Section] = []
    timings: list[tuple[str, float]] = []

    def timed(name: str, build: Callable[[], Section]) -> None:
        log(f"{name} ...")
        started = time.perf_counter()
        try:
            sections.append(build())
        except (DataDirectoryError, InputError) as error:  # a missing or unreadable input skips its section
            sections.append(Section(name, skipped=f"{type(error).__name__}: {error}"))
        timings.append((name, time.perf_counter() - started))
        log(f"{name}: {timings[-1][1]:.1f} s")

    seed = seed_file(data_path, settings.seed)
    if seed is None:
        sections.append(Section(settings.seed.title, skipped="the seed essay is missing"))
    else:
        inputs.add("seed", seed, seed.name)
        timed(settings.seed.title, lambda: seed_section(out, model, seed, settings))
    timed(
        "2. Passage models", lambda: model_section(out, model, data_path, inputs, settings, rerun_cv=rerun_cv, log=log)
    )
    if data_path is None:
        reason = "no data directory (pass --data DIR or set GGTEXT_DATA)"
        sections.append(Section(settings.ungdc.title, skipped=reason))
        sections.append(Section(settings.whitehouse.title, skipped=reason))
    else:
        options = dict(limit=limit, n_process=n_process, model_path=model_arg, log=log)
        timed("3. UN General Debate", lambda: ungdc_section(out, data_path, inputs, settings, **options))
        timed("4. White House", lambda: whitehouse_section(out, data_path, inputs, settings, **options))

    for section in sections:
        for item in section.items:
            if isinstance(item, Table):
                item.frame.to_csv(out / f"{item.name}.csv", index=False, lineterminator="\n")
    manifest = pd.DataFrame(inputs.files, columns=["corpus", "path", "sha256"])
    manifest.to_csv(out / "inputs_sha256.csv", index=False, lineterminator="\n")
    report = out / "REPORT.md"
    report.write_text(
        render_report(sections, inputs, model, model_files, limit=limit, settings=settings.report), encoding="utf-8"
    )
    log("total: " + f"{sum(t for _, t in timings):.1f} s")
    return report

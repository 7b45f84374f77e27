"""The ``ggtext`` command line: a thin layer over the Python API."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import GGTextError


def _fail(error: Exception) -> None:
    click.echo(f"error: {error}", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ggtext")
def main() -> None:
    """ggtext: governance actors, stance and framing in texts on the global
    governance of international migration (GGIM)."""


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@click.option("--no-model", is_flag=True, help="Skip stance, framing and the score (no model needed).")
@click.option("--allow-non-english", is_flag=True, help="Analyse text that is not detected as English.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write a self-contained HTML report (actors marked, sentences tinted by stance).")
def analyze(file: Path, as_json: bool, no_model: bool, allow_non_english: bool, html_path: Path | None) -> None:
    """Analyse FILE (.txt, .md or .html): structure, statistics, key terms,
    actors, stance, framing and the feasibility score with its evidence."""
    from .analysis import analyze as run_analysis
    from .reports.console import format_analysis
    from .reports.html import write_html

    options = {"allow_non_english": True} if allow_non_english else {}
    model = None if no_model else "default"
    try:
        if html_path is not None:
            result = write_html(file, html_path, model=model, **options)
        else:
            result = run_analysis(file, model=model, **options)
    except GGTextError as error:
        _fail(error)
    if as_json:
        click.echo(result.to_json(indent=2))
    else:
        click.echo(format_analysis(result))


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Score table: .parquet (default choice), .csv or .jsonl.")
@click.option("--unit", type=click.Choice(["document", "paragraph", "sentence"]), default="document",
              show_default=True, help="One row per document, body paragraph or sentence.")
@click.option("--text-field", default="text", show_default=True, help="Text column of JSONL/CSV/Parquet inputs.")
@click.option("--id-field", default=None, help="Id column of table inputs [default: id, else row numbers].")
@click.option("--n-process", type=click.IntRange(min=1), default=1, show_default=True,
              help="Local worker processes (one per CPU core scales about linearly: 2 are 2x faster on 2 cores).")
@click.option("--scheduler", default=None, help="Dask scheduler address (tcp://host:port): score on that cluster.")
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True,
              help="Documents per batch (the unit of work and of each atomic write).")
@click.option("--resume", is_flag=True, help="Continue OUTPUT: skip the ids already in it.")
@click.option("--overwrite", is_flag=True, help="Replace an existing OUTPUT.")
@click.option("--model", "model_path", type=click.Path(exists=True, path_type=Path), default=None,
              help="Passage model file [default: the shipped model].")
@click.option("--allow-non-english", is_flag=True, help="Score texts not detected as English.")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Show a progress bar.")
def score(inputs, output, unit, text_field, id_field, n_process, scheduler, batch_size, resume, overwrite,
          model_path, allow_non_english, progress) -> None:
    """Score INPUTS into a table with one row per document (or paragraph, sentence).

    INPUTS are folders (searched recursively for .txt, .md and .html), globs,
    files, and JSONL, CSV or Parquet tables (one text per row; other columns
    are kept as metadata). A bad document becomes a row with its error; an
    interrupted run keeps its finished batches and --resume continues it.
    """
    import signal

    from .scoring import score_file
    from .scoring.inputs import from_paths

    # SIGTERM (a job scheduler, `kill`) stops the run like Ctrl-C: finished batches are kept.
    signal.signal(signal.SIGTERM, _interrupt)
    options = {"allow_non_english": True} if allow_non_english else {}
    try:
        tally = score_file(
            from_paths(inputs, text_field=text_field, id_field=id_field), output, unit=unit, n_process=n_process, scheduler=scheduler, text_field=text_field,
            id_field=id_field, model=model_path, batch_size=batch_size, resume=resume, overwrite=overwrite,
            progress=progress, **options,
        )
    except KeyboardInterrupt:
        click.echo(f"interrupted: finished batches are in {output}; rerun with --resume to go on", err=True)
        sys.exit(130)
    except GGTextError as error:
        _fail(error)
    click.echo(f"{output}: {tally}", err=True)


@main.command()
@click.option("--data", "data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Data directory with corpora/ [default: $GGTEXT_DATA]; a missing corpus skips its section.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("results"),
              show_default=True, help="Folder for REPORT.md, the CSV tables and the PNG figures.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Score only N documents of each corpus, evenly spaced in time (a quick check).")
@click.option("--n-process", type=click.IntRange(min=1), default=2, show_default=True, help="Worker processes.")
@click.option("--rerun-cv", is_flag=True, help="Cross-validate the models again instead of reporting the model card's metrics.")
def replicate(data: Path | None, out: Path, limit: int | None, n_process: int, rerun_cv: bool) -> None:
    """Rebuild every table, figure and REPORT.md of the research replication into OUT."""
    from .replication import replicate as run_replication

    try:
        report = run_replication(data, out, limit=limit, n_process=n_process, rerun_cv=rerun_cv)
    except GGTextError as error:
        _fail(error)
    click.echo(f"wrote {report}", err=True)


@main.command()
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Model folder to write (model.skops, metadata.json, model_card.md), e.g. models/ggtext-stance.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same data + seed = same model).")
@click.option("--cv/--no-cv", default=True, show_default=True,
              help="Cross-validate the model and the baselines for the model card (a few minutes).")
@click.option("--frozen-split", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="JSON file with 'ids' and 'documents' (corpora/annotation/dev_split_v2.json): hold those units "
                   "out of training and CV, and report the model on them in the card.")
def train(data: Path, out: Path, seed: int, cv: bool, frozen_split: Path | None) -> None:
    """Train the passage classifiers on DATA (codebook-format JSONL) and save them to OUT."""
    from .models import compare_systems, read_labelled, save_model, train_model
    from .models.data import only_frozen_split, without_frozen_split
    from .models.protocol import cv_groups

    def say(message: str) -> None:
        click.echo(message, err=True)

    try:
        source = read_labelled(data)
        labelled = source if frozen_split is None else without_frozen_split(source, frozen_split)
        groups = cv_groups(labelled)
        comparison = compare_systems(labelled, random_state=seed, progress=say, groups=groups) if cv else None
        say(f"training on {len(labelled)} passages ...")
        model = train_model(source, random_state=seed, frozen_split=frozen_split)
        if frozen_split is not None:
            say(f"scoring the {len(source) - len(labelled)} held-out passages of {frozen_split.name} ...")
            model.metadata["frozen_split_evaluation"] = held_out_report(model, only_frozen_split(source, frozen_split))
        command = f"ggtext train {data.name} -o {out.name} --seed {seed}" + ("" if cv else " --no-cv")
        if frozen_split is not None:
            command += f" --frozen-split {frozen_split.name}"
        folder = save_model(model, out, training_data=data, comparison=comparison, command=command)
    except GGTextError as error:
        _fail(error)
    if comparison is not None:
        click.echo(comparison.to_markdown())
    click.echo(f"wrote {folder} ({model.version})")


def held_out_report(model, held_out) -> dict:
    """The model's metrics on held-out units, with per-voice ``against``/``realist`` F1 (for the card)."""
    from .models import evaluate_model
    from .models.protocol import per_voice_f1, voices

    report = evaluate_model(model, held_out)
    pred = model.predict(held_out.texts)
    unit_voices = voices(held_out)
    per_voice = {f"{dim} {target}": per_voice_f1(held_out.labels(dim), pred[dim], unit_voices, target)
                 for dim, target in (("feasibility", "against"), ("desirability", "against"), ("framing", "realist"))}
    return {"n_passages": len(held_out), "n_documents": len(set(held_out.groups)),
            "dimensions": report.to_dict()["dimensions"], "per_voice": per_voice}


@main.command()
@click.argument("model_path", metavar="MODEL", type=click.Path(exists=True, path_type=Path))
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def evaluate(model_path: Path, data: Path, as_json: bool) -> None:
    """Evaluate the model in folder MODEL on DATA (codebook-format JSONL): per-label
    metrics with bootstrap CIs over documents, and confusion matrices."""
    import json

    from .models import evaluate_model, load_model

    try:
        report = evaluate_model(load_model(model_path), data)
    except GGTextError as error:
        _fail(error)
    click.echo(json.dumps(report.to_dict(), indent=2) if as_json else str(report).rstrip())


if __name__ == "__main__":
    main()

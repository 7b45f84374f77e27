"""The ``ggtext`` command line: a thin layer over the Python API."""

from __future__ import annotations

import atexit
import gc
import sys
from pathlib import Path

import click

from .errors import GGTextError
from .version import __version__


def _fail(error: Exception) -> None:
    click.echo(f"error: {error}", err=True)
    sys.exit(2)


# Options several commands share: one definition each, so their meaning and help cannot drift apart.


def _data_directory(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """The --data folder (or $GGTEXT_DATA), checked: a missing one is an error, not an empty corpus."""
    if value is None:
        return None
    from .config import data_dir

    try:
        return data_dir(value)
    except GGTextError as error:
        _fail(error)


data_option = click.option(
    "--data",
    "data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    envvar="GGTEXT_DATA",
    callback=_data_directory,
    metavar="DIR",
    help="Data directory with corpora/ and annotation/ [default: $GGTEXT_DATA].",
)
encoding_option = click.option(
    "--encoding",
    default=None,
    metavar="NAME",
    help="Text encoding of the text files read (e.g. cp1252; JSONL/CSV/Parquet tables are read as UTF-8) "
    "[default: BOM, then UTF-8, then a checked fallback].",
)
allow_non_english_option = click.option(
    "--allow-non-english", is_flag=True, help="Read texts that are not detected as English."
)


def _read_options(encoding: str | None, allow_non_english: bool) -> dict:
    """The reader's keywords from --encoding and --allow-non-english."""
    options: dict = {"allow_non_english": True} if allow_non_english else {}
    if encoding:
        options["encoding"] = encoding
    return options


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ggtext")
def main() -> None:
    """ggtext: governance actors, stance and framing in texts on the global
    governance of international migration (GGIM)."""
    _collect_less()


#: Allocations between collections of the youngest generation (Python's default: 700).
GC_THRESHOLD = 10_000


def _collect_less() -> None:
    """Spare a command's start-up most of Python's garbage collections.

    Start-up (spaCy, scikit-learn, pandas, the pipeline and the model) makes
    some 250,000 long-lived objects; with the default threshold the collector
    walks them again and again, and the interpreter's collections at exit walk
    them once more, freeing almost nothing: together 0.8 s of CPU in ``ggtext
    analyze`` of the seed essay. Collections are made rarer (young cycles are
    still collected; peak memory of a 150-speech ``score`` is unchanged) and,
    after every other exit handler, the remaining objects are frozen so those
    last collections skip them.
    """
    gc.set_threshold(GC_THRESHOLD)
    atexit.unregister(gc.freeze)  # once, however often main() runs in one process (tests)
    atexit.register(gc.freeze)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@click.option("--no-model", is_flag=True, help="Skip stance, framing and the score (no model needed).")
@allow_non_english_option
@encoding_option
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write a self-contained HTML report (actors marked, sentences tinted by stance).",
)
def analyze(
    file: Path, as_json: bool, no_model: bool, allow_non_english: bool, encoding: str | None, html_path: Path | None
) -> None:
    """Analyse FILE (.txt, .md or .html): structure, statistics, key terms,
    actors, stance, framing and the feasibility score with its evidence."""
    if not no_model:
        _import_models_first()
    from .reports.analysis import analyze as run_analysis
    from .reports.console import format_analysis
    from .reports.html import write_html

    options = _read_options(encoding, allow_non_english)
    model = None if no_model else "default"
    if html_path is not None and not html_path.parent.is_dir():
        _fail(GGTextError(f"{html_path.parent}: no such folder for the HTML report"))
    try:
        result = run_analysis(file, model=model, **options)
        if html_path is not None:
            write_html(result, html_path)
    except GGTextError as error:
        _fail(error)
    except OSError as error:
        _fail(GGTextError(f"cannot write {html_path}: {error.strerror or error}"))
    if as_json:
        click.echo(result.to_json(indent=2))
    else:
        click.echo(format_analysis(result))


def _import_models_first() -> None:
    """Import the model code (scikit-learn, SciPy) before spaCy, when a command will load the model.

    Importing skops looks every SciPy ufunc up in each module loaded before
    SciPy, in order: behind spaCy's 1,500 modules that takes 0.2 to 0.4 s
    longer than in front of them. Nothing else changes.
    """
    from .models import io  # noqa: F401


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Score table: .parquet (default choice), .csv or .jsonl.",
)
@click.option(
    "--unit",
    type=click.Choice(["document", "paragraph", "sentence"]),
    default="document",
    show_default=True,
    help="One row per document, body paragraph or sentence.",
)
@click.option("--text-field", default="text", show_default=True, help="Text column of JSONL/CSV/Parquet inputs.")
@click.option("--id-field", default=None, help="Id column of table inputs [default: id, else row numbers].")
@click.option(
    "--n-process",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Local worker processes (one per CPU core scales about linearly: 2 are 2x faster on 2 cores).",
)
@click.option(
    "--scheduler",
    default=None,
    help="Dask scheduler address (tcp://host:port): score on that cluster. Connecting gives up "
    "after 10 s, a cluster without workers after 60 s (an error, not a hang).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=32,
    show_default=True,
    help="Documents per batch (the unit of work and of each atomic write).",
)
@click.option("--resume", is_flag=True, help="Continue OUTPUT: skip the ids already in it.")
@click.option("--overwrite", is_flag=True, help="Replace an existing OUTPUT.")
@click.option(
    "--model",
    "model_path",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Passage model file [default: the shipped model].",
)
@allow_non_english_option
@encoding_option
@click.option("--progress/--no-progress", default=True, show_default=True, help="Show a progress bar.")
@click.option(
    "--actors",
    "actors_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write a long table: one row per unit x actor named (.csv, .parquet or .jsonl).",
)
@click.option(
    "--evidence",
    "evidence_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write a long table: one row per evidence sentence (document or paragraph unit).",
)
@click.option(
    "--actor-stance",
    "actor_stance_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the stance toward each actor: one row per document x governance actor named "
    "(a second pass over INPUTS; .csv, .parquet or .jsonl).",
)
@click.option(
    "--doc-timeout",
    type=click.FloatRange(min=0),
    default=600,
    show_default=True,
    metavar="SECONDS",
    help="Time limit per document; a document that takes longer becomes an error row (0: no limit).",
)
def score(
    inputs,
    output,
    unit,
    text_field,
    id_field,
    n_process,
    scheduler,
    batch_size,
    resume,
    overwrite,
    model_path,
    allow_non_english,
    encoding,
    progress,
    actors_path,
    evidence_path,
    actor_stance_path,
    doc_timeout,
) -> None:
    """Score INPUTS into a table with one row per document (or paragraph, sentence).

    INPUTS are folders (searched recursively for .txt, .md and .html), globs,
    files, and JSONL, CSV or Parquet tables (one text per row; other columns
    are kept as metadata). A bad document becomes a row with its error; an
    interrupted run keeps its finished batches and --resume continues it.

    OUTPUT is locked while the run goes (a second run on it refuses); a
    partial last row left by a killed run is dropped and scored again.

    \b
    Example:
      ggtext score corpus/ -o scores.parquet --actors actors.csv --evidence evidence.csv
    """
    import signal

    _import_models_first()
    from .scoring import ScoreOptions, score_file
    from .scoring.inputs import from_paths

    # SIGTERM (a job scheduler, `kill`) stops the run like Ctrl-C: finished batches are kept.
    signal.signal(signal.SIGTERM, _interrupt)
    options = _read_options(encoding, allow_non_english)
    if evidence_path is not None and unit == "sentence":
        _fail(ValueError("--evidence needs --unit document or paragraph (a sentence row is its own evidence)"))
    settings = ScoreOptions.of(
        unit=unit,
        n_process=n_process,
        scheduler=scheduler,
        text_field=text_field,
        id_field=id_field,
        model=model_path,
        batch_size=batch_size,
        progress=progress,
        doc_timeout=doc_timeout or None,
        **options,
    )
    try:
        paths = from_paths(inputs, text_field=text_field, id_field=id_field)
        tally = score_file(paths, output, settings, resume=resume, overwrite=overwrite)
        if actor_stance_path is not None:
            actors_tally = score_file(
                paths,
                actor_stance_path,
                ScoreOptions.of(settings, unit="actor_paragraph" if unit == "paragraph" else "actor"),
                resume=resume,
                overwrite=overwrite,
            )
            click.echo(f"{actor_stance_path}: {actors_tally}", err=True)
    except KeyboardInterrupt:
        if output.exists():
            click.echo(f"interrupted: finished batches are in {output}; rerun with --resume to go on", err=True)
        else:
            click.echo("interrupted before any batch was finished: nothing was written", err=True)
        sys.exit(130)
    except GGTextError as error:
        _fail(error)
    click.echo(f"{output}: {tally}", err=True)
    if (actors_path is not None or evidence_path is not None) and not output.exists():
        click.echo("nothing was scored: no long tables written", err=True)
    elif actors_path is not None or evidence_path is not None:
        from .scoring.tidy import write_long_tables

        try:
            written = write_long_tables(output, actors=actors_path, evidence=evidence_path)
        except GGTextError as error:
            _fail(error)
        for path, n in written.items():
            click.echo(f"{path}: {n:,} rows", err=True)


@main.command()
@click.argument("scores", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--by",
    "by",
    multiple=True,
    required=True,
    help="Group by this column or metadata key (year, iso3, source, a front-matter key); repeatable.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Summary table: .csv, .parquet or .jsonl.",
)
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also draw the shares over the (numeric) group with their 95% bands, as PNG.",
)
@click.option(
    "--n-boot",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Bootstrap replicates (documents resampled).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the bootstrap.")
def summarize(scores: Path, by: tuple[str, ...], output: Path, plot_path: Path | None, n_boot: int, seed: int) -> None:
    """Summarise a score table (from `ggtext score`) per group: documents, shares
    for/against/none, framing shares, mean scores and the institutionalist
    balance, each with a 95% bootstrap interval over documents. Error rows are
    left out and counted.

    \b
    Example:
      ggtext summarize ungdc.parquet --by year -o by_year.csv --plot by_year.png
    """
    from .reports.summaries import plot_summary
    from .reports.summaries import summarize as run_summary
    from .scoring import read_scores
    from .scoring.tidy import write_frame

    if plot_path is not None and len(by) != 1:
        _fail(ValueError("--plot draws one numeric group: give a single --by"))
    try:
        table = read_scores(scores)
        summary = run_summary(table, list(by), n_boot=n_boot, seed=seed)
        write_frame(summary, output)
        if plot_path is not None:
            plot_summary(summary, by[0], plot_path)
    except (GGTextError, ValueError) as error:
        _fail(error)
    groups = summary.drop_duplicates(list(by))
    errors = int(table["error"].notna().sum())
    click.echo(
        f"{output}: {len(groups):,} groups of {table['id'].nunique():,} documents; {errors:,} error rows left out",
        err=True,
    )


@main.command()
@click.argument("corpus", nargs=-1, required=True)
@click.option("-n", "n", type=click.IntRange(min=1), default=200, show_default=True, help="Passages to suggest.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Batch file to write (.jsonl; .json for Label Studio).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["codebook", "labelstudio", "doccano", "prodigy"]),
    default="codebook",
    show_default=True,
    help="Codebook JSONL or a labelling tool's import format.",
)
@click.option(
    "--per-doc",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="At most this many passages from one document.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the tie-breaking order.")
@click.option(
    "--exclude",
    "exclude",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Codebook JSONL of units already labelled (their ids and texts are skipped); repeatable.",
)
@click.option(
    "--model",
    "model_path",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Passage model [default: the shipped model].",
)
@click.option("--text-field", default="text", show_default=True, help="Text column of table inputs.")
@click.option("--id-field", default=None, help="Id column of table inputs [default: id, else row numbers].")
@click.option("--n-process", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes.")
@allow_non_english_option
@encoding_option
def suggest(
    corpus,
    n,
    output,
    fmt,
    per_doc,
    seed,
    exclude,
    model_path,
    text_field,
    id_field,
    n_process,
    allow_non_english,
    encoding,
) -> None:
    """Suggest the passages of CORPUS worth labelling next: the model's most
    uncertain paragraphs plus paragraphs it labels with a rare class (against,
    realist), at most --per-doc per document, in a seeded order. CORPUS is
    what `ggtext score` reads (folders, globs, files, tables). Ids are
    DOC#pN (N = body paragraph index); offsets are kept.

    \b
    Example:
      ggtext suggest "$GGTEXT_DATA/corpora/ungdc/TXT/Session 73 - 2018" -n 200 \\
          --format labelstudio -o batch.json
    """
    import warnings

    from .annotation import labelstudio_config, write_batch
    from .annotation import suggest as run_suggest
    from .annotation.suggest import UnreadDocumentsWarning, labelled_units
    from .scoring.inputs import from_paths

    try:
        ids, texts = labelled_units(exclude)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UnreadDocumentsWarning)
            records = run_suggest(
                from_paths(corpus, text_field=text_field, id_field=id_field),
                n,
                per_doc=per_doc,
                seed=seed,
                model=model_path,
                exclude=ids,
                exclude_texts=texts,
                n_process=n_process,
                **_read_options(encoding, allow_non_english),
            )
        for found in caught:
            if issubclass(found.category, UnreadDocumentsWarning):
                click.echo(f"warning: {found.message}", err=True)
            else:  # other warnings as Python shows them
                warnings.showwarning(found.message, found.category, found.filename, found.lineno)
        write_batch(records, output, fmt)
    except GGTextError as error:
        _fail(error)
    rare = sum(r["reason"].startswith("rare") for r in records)
    click.echo(
        f"{output}: {len(records)} passages ({rare} predicted rare, {len(records) - rare} uncertain) "
        f"from {len({r['document'] for r in records})} documents",
        err=True,
    )
    if fmt == "labelstudio":
        config = output.with_name(output.stem + ".label_config.xml")
        config.write_text(labelstudio_config(), encoding="utf-8")
        click.echo(f"{config}: the labelling interface to paste into Label Studio", err=True)


@main.command("import-labels")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["labelstudio", "doccano", "prodigy"]),
    required=True,
    help="The tool that exported FILE.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Codebook-format JSONL to write.",
)
@click.option(
    "--annotator",
    default=None,
    help="Keep one coder's labels: Label Studio user id or e-mail, Prodigy annotator or session id.",
)
def import_labels(file: Path, fmt: str, output: Path, annotator: str | None) -> None:
    """Turn a labelling tool's export (Label Studio JSON, doccano or Prodigy
    JSONL) of a `ggtext suggest` batch into codebook JSONL, checking that every
    labelled unit has its id and one valid label per dimension.

    \b
    Example:
      ggtext import-labels project-1-export.json --format labelstudio -o coder_a.jsonl --annotator 1
    """
    from .annotation import read_export, write_codebook

    try:
        result = read_export(file, fmt, annotator=annotator)
        write_codebook(result.records, output)
    except GGTextError as error:
        _fail(error)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(
        f"{output}: {len(result.records)} labelled units; {result.skipped} unlabelled or rejected tasks skipped",
        err=True,
    )


@main.command("agreement")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--disagreements",
    "disagreements_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the units to adjudicate (ids and each coder's labels) as JSONL.",
)
@click.option(
    "--n-boot",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Bootstrap replicates (units resampled).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the bootstrap.")
def agreement_command(
    files: tuple[Path, ...], as_json: bool, disagreements_path: Path | None, n_boot: int, seed: int
) -> None:
    """Agreement between coders, one codebook JSONL file each (two or more):
    per label, Krippendorff's alpha (nominal) and Cohen's kappa for each pair,
    with 95% bootstrap intervals over units and the confusion tables.

    \b
    Example:
      ggtext agreement coder_a.jsonl coder_b.jsonl --disagreements to_adjudicate.jsonl
    """
    import json

    from .annotation import agreement, disagreements, format_report, read_coding

    names = [f.stem for f in files]
    if len(set(names)) < len(names):
        names = [str(f) for f in files]
    try:
        codings = [read_coding(f, name) for f, name in zip(files, names)]
        report = agreement(codings, n_boot=n_boot, seed=seed)
    except GGTextError as error:
        _fail(error)
    if disagreements_path is not None:
        found = disagreements(codings)
        disagreements_path.write_text(
            "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in found), encoding="utf-8"
        )
        report["disagreements"] = {"file": str(disagreements_path), "n_units": len(found)}
    click.echo(json.dumps(report, indent=2) if as_json else format_report(report))
    if disagreements_path is not None and not as_json:
        click.echo(f"\n{disagreements_path}: {report['disagreements']['n_units']} units to adjudicate")


@main.command()
@data_option
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("results"),
    show_default=True,
    help="Folder for REPORT.md, the CSV tables and the PNG figures.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Score only N documents of each corpus, evenly spaced in time (a quick check).",
)
@click.option("--n-process", type=click.IntRange(min=1), default=2, show_default=True, help="Worker processes.")
@click.option(
    "--rerun-cv", is_flag=True, help="Cross-validate the models again instead of reporting the model card's metrics."
)
def replicate(data: Path | None, out: Path, limit: int | None, n_process: int, rerun_cv: bool) -> None:
    """Rebuild every table, figure and REPORT.md of the research replication into OUT.

    A corpus missing from the data directory skips its section; without a data
    directory only the seed essay and model sections are built."""
    from .study import replicate as run_replication

    try:
        report = run_replication(data, out, limit=limit, n_process=n_process, rerun_cv=rerun_cv)
    except GGTextError as error:
        _fail(error)
    click.echo(f"wrote {report}", err=True)


@main.command()
@click.argument("data", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Model folder to write (model.skops, metadata.json, model_card.md), e.g. models/ggtext-stance.",
)
@click.option(
    "--frozen-split",
    "frozen_split",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="JSON split file: units whose id is in its 'ids' or whose document is in its "
    "'documents' are left out of training (a held-out development set).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same data + seed = same model).")
@click.option(
    "--cv/--no-cv",
    default=True,
    show_default=True,
    help="Cross-validate the model and the baselines for the model card (a few minutes).",
)
def train(data: tuple[Path, ...], out: Path, frozen_split: Path | None, seed: int, cv: bool) -> None:
    """Train the passage classifiers on DATA (one or more codebook-format JSONL
    files) and save them to OUT. Several files are merged (the same id twice
    must have the same labels). With --frozen-split, those units are left out
    of training and cross-validation and the model is scored on them once,
    for the card.

    \b
    Example:
      ggtext train train_v2.jsonl my_labels.jsonl -o models/mine --frozen-split dev_split_v2.json
    """
    from .models import compare_systems, save_model, train_model
    from .models.data import file_sha256
    from .models.label_sets import only_frozen_split, training_set, without_frozen_split
    from .models.protocol import cv_groups, held_out_report

    def say(message: str) -> None:
        click.echo(message, err=True)

    try:
        source, _ = training_set(data)
        labelled = source if frozen_split is None else without_frozen_split(source, frozen_split)
        if frozen_split is not None:
            say(
                f"frozen split {frozen_split.name}: {len(source) - len(labelled)} unit(s) left out, "
                f"{len(labelled)} to train on"
            )
        comparison = (
            compare_systems(labelled, random_state=seed, progress=say, groups=cv_groups(labelled)) if cv else None
        )
        say(f"training on {len(labelled)} passages ...")
        model = train_model(source, random_state=seed, frozen_split=frozen_split)
        if frozen_split is not None:
            say(f"scoring the {len(source) - len(labelled)} held-out passages of {frozen_split.name} ...")
            model.metadata["frozen_split_evaluation"] = held_out_report(model, only_frozen_split(source, frozen_split))
        if len(data) > 1:
            model.metadata["training_data"]["files"] = [{"file": d.name, "sha256": file_sha256(d)} for d in data]
        names = " ".join(d.name for d in data)
        command = (
            f"ggtext train {names} -o {out.name} --seed {seed}"
            + ("" if cv else " --no-cv")
            + (f" --frozen-split {frozen_split.name}" if frozen_split is not None else "")
        )
        single = data[0] if len(data) == 1 else None  # a file whose sha256 the model must match
        folder = save_model(model, out, training_data=single, comparison=comparison, command=command)
    except GGTextError as error:
        _fail(error)
    if comparison is not None:
        click.echo(comparison.to_markdown())
    click.echo(f"wrote {folder} ({model.version})")


@main.command()
@click.argument("model_path", metavar="MODEL", type=click.Path(exists=True, path_type=Path))
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def evaluate(model_path: Path, data: Path, as_json: bool) -> None:
    """Evaluate the model in folder MODEL on DATA (codebook-format JSONL): per-label
    metrics with bootstrap CIs over documents, and confusion matrices."""
    import json

    from .models import evaluate_model, load_model
    from .models.evaluation import training_data_warning

    try:
        model = load_model(model_path)
        report = evaluate_model(model, data)
    except GGTextError as error:
        _fail(error)
    warning = training_data_warning(model, data)
    if warning:
        click.echo(f"warning: {warning}", err=True)
    result = {**report.to_dict(), "warning": warning}
    click.echo(json.dumps(result, indent=2) if as_json else str(report).rstrip())


if __name__ == "__main__":
    main()

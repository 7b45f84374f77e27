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
def analyze(file: Path, as_json: bool, no_model: bool, allow_non_english: bool) -> None:
    """Analyse FILE (.txt, .md or .html): structure, statistics, key terms,
    actors, stance, framing and the feasibility score with its evidence."""
    from .analysis import analyze as run_analysis
    from .reports.console import format_analysis

    options = {"allow_non_english": True} if allow_non_english else {}
    try:
        result = run_analysis(file, model=None if no_model else "default", **options)
    except GGTextError as error:
        _fail(error)
    if as_json:
        click.echo(result.to_json(indent=2))
    else:
        click.echo(format_analysis(result))


if __name__ == "__main__":
    main()

"""Shared fixtures: the seed essay, the data directory, a loaded pipeline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ggtext.config import SEED_ESSAY


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED_ESSAY


@pytest.fixture(scope="session")
def seed_text(seed_path) -> str:
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The shared data directory (GGTEXT_DATA); tests that need it skip without it."""
    value = os.environ.get("GGTEXT_DATA")
    if not value or not Path(value).is_dir():
        pytest.skip("GGTEXT_DATA is not set to the shared data directory")
    return Path(value)


@pytest.fixture(scope="session")
def ungdc_dir(data_dir) -> Path:
    return data_dir / "corpora" / "ungdc" / "TXT"


@pytest.fixture(scope="session")
def nlp():
    import ggtext

    """ggtext's annotating pipeline on the text exactly as given (no reader in front)."""
    return ggtext.load(read=False)

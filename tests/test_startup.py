"""Start-up stays light: what a fresh process imports (sys.modules, never timings)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ggtext.models.io import METADATA_FILE, MODEL_FILE, SKLEARN_TYPES, TRUSTED_TYPES, canonical_skops, skops_io

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "models" / "ggtext-stance"

#: Libraries neither `import ggtext` nor `ggtext --help` may import (each costs 0.2 to 1 s).
HEAVY = ("spacy", "thinc", "sklearn", "skops", "scipy", "pandas", "pyarrow", "textacy", "dask", "matplotlib")


def fresh(code: str) -> list[str]:
    """Run ``code`` in a fresh interpreter; it prints a JSON list as its last line."""
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def heavy_after(code: str) -> list[str]:
    return fresh(f"import json, sys\n{code}\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")


def test_import_ggtext_imports_no_heavy_library():
    assert heavy_after("import ggtext") == []


def test_help_imports_no_heavy_library():
    code = "from ggtext.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    assert heavy_after(code) == []
    code = "from ggtext.cli import main\ntry:\n    main(['analyze', '--help'])\nexcept SystemExit:\n    pass"
    assert heavy_after(code) == []


def test_loading_the_model_skips_skops_scan_of_all_scikit_learn():
    code = (
        "import json, sys\nfrom ggtext.models import load_model\nmodel = load_model()\n"
        "print(json.dumps([m for m in ('dask', 'sklearn.gaussian_process', 'sklearn.semi_supervised') "
        "if m in sys.modules]))"
    )
    assert fresh(code) == []


def test_a_scikit_learn_type_outside_the_allow_list_is_refused_in_a_fresh_process(tmp_path):
    """skops trusts every scikit-learn estimator by default; ggtext only the ones it builds."""
    from sklearn.dummy import DummyClassifier

    from ggtext.models.data import file_sha256
    from ggtext.models.labels import DIMENSIONS

    folder = tmp_path / "model"
    shutil.copytree(SHIPPED, folder)
    pipelines = {dim: DummyClassifier().fit([[0], [1]], [0, 1]) for dim in DIMENSIONS}
    (folder / MODEL_FILE).write_bytes(canonical_skops(skops_io().dumps(pipelines)))
    meta = json.loads((folder / METADATA_FILE).read_text())
    meta["model_sha256"] = file_sha256(folder / MODEL_FILE)
    (folder / METADATA_FILE).write_text(json.dumps(meta))
    code = (
        "import json\nfrom ggtext.errors import ModelError\nfrom ggtext.models import load_model\n"
        f"try:\n    load_model({str(folder)!r})\n    print(json.dumps(['loaded']))\n"
        "except ModelError as err:\n    print(json.dumps([str(err)]))"
    )
    (message,) = fresh(code)
    assert "does not trust: sklearn.dummy.DummyClassifier" in message


@pytest.mark.parametrize("name", SKLEARN_TYPES + TRUSTED_TYPES)
def test_every_allowed_type_exists(name):
    import importlib

    module, _, cls = name.rpartition(".")
    assert isinstance(getattr(importlib.import_module(module), cls), type)


@pytest.mark.shared_data
def test_a_model_ggtext_trains_loads_in_a_fresh_process(data_dir, tmp_path):
    """Every scikit-learn type training builds is in SKLEARN_TYPES (else the shipped model could not be retrained)."""
    from test_models import TEXTS, small_subset

    from ggtext.models import save_model, train_model
    from ggtext.models.data import read_labelled

    model = train_model(small_subset(read_labelled(data_dir / "annotation" / "train.jsonl")), random_state=0)
    folder = save_model(model, tmp_path / "small-model", command="pytest")
    expected = {dim: list(labels) for dim, labels in model.predict(TEXTS).items()}
    code = (
        "import json\nfrom ggtext.models import load_model\n"
        f"model = load_model({str(folder)!r})\n"
        f"print(json.dumps([{{d: list(v) for d, v in model.predict({TEXTS!r}).items()}}]))"
    )
    (predicted,) = fresh(code)
    assert predicted == expected

"""Save and load models: skops files (never pickle), checked before they are trusted.

A model folder holds ``model.skops`` (the three fitted pipelines),
``metadata.json`` (machine-readable card: hashes, versions, data, metrics)
and ``model_card.md``. :func:`load_model` refuses, with a
:class:`~ggtext.errors.ModelError` saying what to do, when

* the folder or a file is missing, or the metadata is not ours;
* the model file's sha256 differs from the metadata (modified or corrupted);
* it was built with another scikit-learn major.minor version;
* it contains a type outside :data:`TRUSTED_TYPES` and :data:`SKLEARN_TYPES`
  (skops would have to run code we have not vetted);
* it is not a zip archive, or unpacks to more than :data:`MAX_UNPACKED_BYTES`
  (a zip bomb: checked from the archive's directory before any member is read).
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import os
import sys
import warnings
import zipfile
from pathlib import Path
from typing import Any

from ..config import PACKAGE_DATA, models_dir
from ..errors import ModelError
from .data import file_sha256
from .labels import DIMENSIONS
from .model import StanceModel

DEFAULT_MODEL_NAME = "ggtext-stance"
MODEL_FILE = "model.skops"
METADATA_FILE = "metadata.json"
CARD_FILE = "model_card.md"
FORMAT = "ggtext-stance-model/1"
RETRAIN_HINT = "retrain with `ggtext train DATA.jsonl -o {folder}`"

#: Types in a model file that skops does not trust by default and we do: our own
#: estimators, which hold only plain data. Anything else makes load_model refuse.
TRUSTED_TYPES: tuple[str, ...] = (
    "ggtext.models.classifiers.CueRule",
    "ggtext.models.classifiers.CueStackingClassifier",
    "ggtext.models.classifiers.PassageSpans",
    "ggtext.models.features.CompactTfidfVectorizer",
    "ggtext.models.features.CueFeatures",
    "ggtext.models.features.PassageText",
    "ggtext.models.stance_features.StanceFeatures",
)

#: The scikit-learn estimators ggtext's models are built from (classifiers.py, features.py).
#: When ggtext imports skops (:func:`skops_io`) it skips skops's scan of every scikit-learn
#: estimator, so skops trusts no scikit-learn estimator by default and these are the only ones
#: a model file may hold (fewer than skops's default, which trusts all of them).
SKLEARN_TYPES: tuple[str, ...] = (
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._data.StandardScaler",
)

#: Largest total unpacked size of a model file (the shipped model unpacks to about 10 MB).
MAX_UNPACKED_BYTES = 512 * 1024 * 1024

#: Data files the cue features are computed from; their fingerprint goes in the metadata.
FEATURE_RESOURCES = (PACKAGE_DATA / "lexicons", PACKAGE_DATA / "actors")


#: Libraries a model file depends on (their versions go in its metadata).
MODEL_LIBRARIES = ("ggtext", "scikit-learn", "spacy", "numpy", "scipy", "skops")


def skops_io():
    """``skops.io``, imported (once) without skops's scan of every scikit-learn estimator.

    On import, skops lists every scikit-learn estimator it trusts by default, by
    importing all of scikit-learn (0.3 to 0.4 s, and Dask with it). ggtext
    trusts only the estimators it builds (:data:`SKLEARN_TYPES`), so the scan is
    given an empty list: skops then trusts fewer types, never more, and still
    audits every type in a file. If skops was already imported elsewhere in the
    process, its full default list stands (as skops itself decides).
    """
    if "skops.io" in sys.modules:
        return sys.modules["skops.io"]
    import sklearn.utils

    scan = sklearn.utils.all_estimators
    sklearn.utils.all_estimators = _no_estimators
    try:
        return importlib.import_module("skops.io")
    finally:
        sklearn.utils.all_estimators = scan


def _no_estimators(type_filter: Any = None) -> list:
    return []


def library_versions(packages: tuple[str, ...] = MODEL_LIBRARIES, *, missing: str = "unknown") -> dict[str, str]:
    """Python's version and each installed package's (``missing`` for one not installed)."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for package in packages:
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = missing
    return out


def resource_fingerprint(folders=FEATURE_RESOURCES) -> str:
    """sha256 over the lexicon and knowledge-base files (names and bytes, sorted)."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and path.suffix in {".yaml", ".yml", ".json", ".jsonl"}:
                digest.update(f"{path.parent.name}/{path.name}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def save_model(
    model: StanceModel,
    out_dir: str | os.PathLike,
    *,
    training_data: str | os.PathLike | None = None,
    comparison: Any | None = None,
    command: str | None = None,
) -> Path:
    """Write ``model`` to ``out_dir`` (``model.skops``, ``metadata.json``, ``model_card.md``).

    ``training_data`` (the JSONL it was trained on) is fingerprinted again and
    must match what the model was trained on; ``comparison`` (an
    :class:`~ggtext.models.cross_validation.Comparison`) adds cross-validated
    metrics to the card; ``command`` records how the model was made.
    """
    from .card import build_metadata, render_card
    from .training import compact

    sio = skops_io()
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    trained_on = model.metadata.get("training_data", {}).get("sha256")
    if training_data is not None and trained_on and file_sha256(training_data) != trained_on:
        raise ModelError(f"{training_data} is not the file this model was trained on (sha256 differs).")
    target = folder / MODEL_FILE
    for pipeline in model.pipelines.values():
        compact(pipeline)  # prediction may have refilled a per-process cache
    # Plain dict of pipelines: the StanceModel wrapper is rebuilt on load, so it need not be trusted.
    target.write_bytes(canonical_skops(sio.dumps(dict(model.pipelines), compression=zipfile.ZIP_DEFLATED)))
    model.metadata["name"] = folder.name
    model.metadata["model_sha256"] = file_sha256(target)
    metadata = build_metadata(model, model_file=target, comparison=comparison, command=command)
    (folder / METADATA_FILE).write_text(json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / CARD_FILE).write_text(render_card(metadata, comparison), encoding="utf-8")
    return folder


def canonical_skops(data: bytes) -> bytes:
    """The same skops archive with run-independent bytes: same model, same file, same sha256.

    skops names arrays and memo entries by ``id()`` (memory addresses) and
    zip entries carry the time of writing; both are renumbered / fixed here
    (ids in order of first appearance, a bijection, so loading is unchanged).
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    schema = json.loads(source.read("schema.json"))
    ids: dict[str, str] = {}

    def renumber(value: str) -> str:
        return ids.setdefault(value, str(len(ids) + 1))

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key == "__id__" and isinstance(value, int):
                    out[key] = int(renumber(str(value)))
                elif key == "file" and isinstance(value, str) and value.endswith(".npy"):
                    out[key] = renumber(value[: -len(".npy")]) + ".npy"
                else:
                    out[key] = walk(value)
            return out
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    schema = walk(schema)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        entries = [("schema.json", json.dumps(schema, indent=2, sort_keys=True).encode("utf-8"))]
        for name in source.namelist():
            if name == "schema.json":
                continue
            stem = name[: -len(".npy")] if name.endswith(".npy") else None
            if stem is None or stem not in ids:
                raise ModelError(f"unexpected entry {name!r} in a skops archive; cannot write a canonical file")
            entries.append((f"{ids[stem]}.npy", source.read(name)))
        for name, payload in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, payload)
    return buffer.getvalue()


def resolve_model_dir(path: str | os.PathLike | None = None) -> Path:
    """The model folder: ``path`` (a folder or its ``model.skops``), or the shipped default."""
    if path is None:
        return models_dir() / DEFAULT_MODEL_NAME
    path = Path(path)
    return path.parent if path.suffix == ".skops" else path


def read_metadata(folder: str | os.PathLike) -> dict[str, Any]:
    """The metadata of a model folder, checked to be ours."""
    folder = Path(folder)
    hint = RETRAIN_HINT.format(folder=folder)
    meta_path = folder / METADATA_FILE
    if not folder.is_dir() or not meta_path.is_file() or not (folder / MODEL_FILE).is_file():
        raise ModelError(f"No model at {folder} (needs {MODEL_FILE} and {METADATA_FILE}); {hint}.")
    try:
        metadata = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ModelError(f"{meta_path} is not readable JSON ({err}); {hint}.") from None
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT:
        raise ModelError(f"{meta_path} is not ggtext model metadata (expected format {FORMAT!r}); {hint}.")
    return metadata


def check_model_file(folder: Path, metadata: dict[str, Any]) -> list[str]:
    """Refuse a model file that is modified, from another scikit-learn, or holds untrusted types.

    Returns the file's types that skops does not trust by default (all in our allow-lists).
    """
    sio = skops_io()
    hint = RETRAIN_HINT.format(folder=folder)
    target = folder / MODEL_FILE
    expected = metadata.get("model_sha256")
    actual = file_sha256(target)
    if actual != expected:
        raise ModelError(
            f"{target} has sha256 {actual[:16]}..., but its metadata says {str(expected)[:16]}...: "
            f"the file was modified or corrupted. Restore it, or {hint}."
        )
    check_unpacked_size(target, hint)
    built = metadata.get("versions", {}).get("scikit-learn", "")
    current = library_versions()["scikit-learn"]
    if _major_minor(built) != _major_minor(current):
        raise ModelError(
            f"{folder} was built with scikit-learn {built or 'unknown'}, this is {current}; "
            f"models only load in the same major.minor version: {hint}."
        )
    try:
        untrusted = sio.get_untrusted_types(file=target)
    except Exception as err:  # not a skops archive at all
        raise ModelError(f"{target} is not a readable skops file ({err}); {hint}.") from None
    refused = sorted(set(untrusted) - set(TRUSTED_TYPES) - set(SKLEARN_TYPES))
    if refused:
        raise ModelError(
            f"{target} contains types ggtext does not trust: {', '.join(refused)}. Refusing to load it; {hint}."
        )
    return list(untrusted)


def check_unpacked_size(target: Path, hint: str, limit: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse a model file that is not a zip or would unpack to more than ``limit`` bytes.

    Sizes come from the zip's central directory, so nothing is decompressed; a
    member that inflates past its declared size is stopped by ``zipfile``
    itself (it checks the size and CRC while reading).
    """
    try:
        with zipfile.ZipFile(target) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as err:
        raise ModelError(f"{target} is not a readable skops file ({err}); {hint}.") from None
    total = sum(member.file_size for member in members)
    if total > limit:
        biggest = max(members, key=lambda member: member.file_size)
        raise ModelError(
            f"{target} would unpack to {total:,} bytes ({biggest.filename}: {biggest.file_size:,}), more than "
            f"the limit of {limit:,} for a model file; it is damaged or not a ggtext model. Refusing to load it; {hint}."
        )


def _major_minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


def load_model(path: str | os.PathLike | None = None) -> StanceModel:
    """Load a model folder (default: the shipped ``ggtext-stance``) after checking it.

    Raises :class:`~ggtext.errors.ModelError` when it is missing, modified,
    from another scikit-learn version or holds untrusted types. Warns when
    the cue lexicons or actor knowledge base changed since training (the
    model still works, but its cue features no longer mean what they meant).
    """
    sio = skops_io()
    folder = resolve_model_dir(path)
    metadata = read_metadata(folder)
    untrusted = check_model_file(folder, metadata)
    hint = RETRAIN_HINT.format(folder=folder)
    try:
        pipelines = sio.load(folder / MODEL_FILE, trusted=untrusted)
    except Exception as err:
        raise ModelError(f"{folder / MODEL_FILE} could not be loaded ({type(err).__name__}: {err}); {hint}.") from None
    if not isinstance(pipelines, dict) or set(pipelines) != set(DIMENSIONS):
        raise ModelError(f"{folder / MODEL_FILE} does not hold one classifier per dimension; {hint}.")
    if metadata.get("feature_resources_sha256") != resource_fingerprint():
        warnings.warn(
            f"The cue lexicons or actor knowledge base changed since {folder.name} was trained; "
            f"its cue features may have shifted: {hint}.",
            stacklevel=2,
        )
    try:
        return StanceModel(pipelines, metadata=metadata, folder=folder)
    except ValueError as err:
        raise ModelError(f"{folder / MODEL_FILE}: {err}; {hint}.") from None

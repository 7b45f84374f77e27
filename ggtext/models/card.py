"""The model card: ``metadata.json`` (for programs) and ``model_card.md`` (for people).

Both are written by :func:`ggtext.models.io.save_model` from the same
metadata dict, so what the card says is what the loader checks.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .labels import CLASSES, DIMENSIONS

#: How the model deals with rare classes (repeated in the card).
IMBALANCE = (
    "(1) class_weight='balanced' in both members' logistic regressions; "
    "(2) a cue member (lexicon cue and actor counts: INFEASIBLE/UNDESIRABLE after negation, REALIST, "
    "GGIM-topic sentences; with the stance features, refusals, failure claims and sovereignty-first rejection "
    "scoped to sentences naming a governance actor, and the strongest sentence) that carries rare classes with "
    "few parameters; "
    "(3) a class with fewer than 30 training examples would get its probability from a cue rule (naive-Bayes "
    "labelling function, Beta(3, 1) prior); with train_v2 every class has 100+ examples, so no rule is active; "
    "(4) for feasibility and desirability, decision weights for minority classes (under 25% of the passages) "
    "tuned for macro-F1 on grouped out-of-fold probabilities (predict only; predict_proba stays calibrated); "
    "framing keeps the argmax unless DECISION_TUNING says otherwise. All tuning happens inside fit, on the "
    "training folds only."
)
CALIBRATION = (
    "Stacking calibrator: a multinomial logistic regression (C=1) on the members' log-probabilities from a "
    "5-fold StratifiedGroupKFold inner cross-validation (grouped by document), i.e. matrix scaling, which also "
    "undoes the bias of the class weights. Rare classes: naive-Bayes posterior of the cue rule."
)
FEATURES = (
    "text member: word 1-2-grams and character 2-5-grams (within word boundaries), TF-IDF with sublinear tf, "
    "min_df=3, -> LogisticRegression(C=3, newton-cg, balanced). cue member: ggtext.models.features.CueFeatures "
    "(cue counts per label, stance polarity after negation in own voice and reported, hedged and negated stance "
    "cues, hedged/attributed sentence shares, stance cues in GGIM sentences, actor mentions per knowledge-base "
    "type; log1p), and when the estimators below show a 'stance' step, ggtext.models.stance_features."
    "StanceFeatures (sentences where a stance cue points against/for and a governance actor or cue is named; "
    "first-person or state refusals in the author's voice; REALIST cues with rejection; with sentence_max the "
    "strongest sentence's net stance) -> StandardScaler -> LogisticRegression(C=0.1, balanced)."
)


def build_metadata(
    model: Any, *, model_file: str | os.PathLike, comparison: Any | None = None, command: str | None = None
) -> dict[str, Any]:
    """The machine-readable card of a saved model."""
    from .io import FORMAT, TRUSTED_TYPES, library_versions, resource_fingerprint

    meta = dict(model.metadata)
    return {
        "format": FORMAT,
        "name": meta.get("name"),
        "model_file": Path(model_file).name,
        "model_sha256": meta.get("model_sha256"),
        "model_size_bytes": Path(model_file).stat().st_size,
        "labels": list(DIMENSIONS),
        "classes": {d: list(CLASSES[d]) for d in DIMENSIONS},
        "random_state": meta.get("random_state"),
        "training_data": meta.get("training_data"),
        "label_counts": meta.get("label_counts"),
        "training_machine": meta.get("training_machine"),
        "versions": library_versions(),
        "feature_resources_sha256": resource_fingerprint(),
        "trusted_types": list(TRUSTED_TYPES),
        "features": FEATURES,
        "estimators": {d: _describe(model.pipelines[d]) for d in DIMENSIONS},
        "imbalance": IMBALANCE,
        "calibration": CALIBRATION,
        "decision": "predict(): argmax(p * decision_weights_) per dimension; predict_proba(): calibrated p.",
        "decision_weights": {
            d: dict(zip(CLASSES[d], (round(float(w), 4) for w in model.pipelines[d][-1].decision_weights_)))
            for d in DIMENSIONS
        },
        "cross_validation": comparison.to_dict() if comparison is not None else None,
        "frozen_split_evaluation": meta.get("frozen_split_evaluation"),
        "command": command,
    }


def frozen_split_lines(metadata: dict[str, Any]) -> list[str]:
    """The card's section on the held-out frozen split (empty when the model has none)."""
    held = metadata.get("frozen_split_evaluation")
    split = (metadata.get("training_data") or {}).get("frozen_split") or {}
    if not held:
        return []
    lines = [
        "",
        "## Frozen development split (held out, evaluated once)",
        "",
        f"`{split.get('file')}` (sha256 `{str(split.get('sha256'))[:16]}...`): {held['n_passages']} units of "
        f"{held['n_documents']} documents, never used for training, feature, lexicon or threshold choices. "
        "95% CIs: bootstrap over documents.",
        "",
        "| dimension | macro-F1 [95% CI] | per-class F1 (support) |",
        "|---|---|---|",
    ]
    for dim, m in held["dimensions"].items():
        ci = m.get("macro_f1_ci95") or [float("nan")] * 2
        per = ", ".join(f"{c} {v['f1']:.3f} ({v['support']})" for c, v in m["per_class"].items())
        lines.append(f"| {dim} | {m['macro_f1']:.3f} [{ci[0]:.3f}, {ci[1]:.3f}] | {per} |")
    voices = list(next(iter(held["per_voice"].values())))
    lines += [
        "",
        "Rare-class F1 per voice on the frozen split (support in brackets): does the model read rejection, "
        "or one speaker?",
        "",
        "| class | " + " | ".join(voices) + " |",
        "|---|" + "---|" * len(voices),
    ]
    for name, per in held["per_voice"].items():
        lines.append(
            f"| {name} | "
            + " | ".join(f"{per[v]['f1']:.2f} ({per[v]['support']})" if v in per else "-" for v in voices)
            + " |"
        )
    return lines


def _describe(pipeline: Any) -> str:
    """The pipeline as scikit-learn prints it (non-default parameters only), on one line."""
    from sklearn import config_context

    with config_context(print_changed_only=True):
        return " ".join(pipeline.__repr__(N_CHAR_MAX=100_000).split())


def render_card(metadata: dict[str, Any], comparison: Any | None = None) -> str:
    """``model_card.md`` from the metadata (and the comparison's tables when given)."""
    data = metadata.get("training_data") or {}
    versions = metadata.get("versions") or {}
    lines = [
        f"# Model card: {metadata.get('name')}",
        "",
        "Passage-level classifiers of the ggtext project: for a paragraph or sentence, the probability of each "
        "class of three codebook dimensions (annotation codebook v1.3): feasibility of the global governance of "
        "international migration (GGIM), its desirability (for / against / none), and the theory lens "
        "that carries the reasoning (realist / institutionalist / none).",
        "",
        "## Use",
        "",
        "```python",
        "from ggtext.models import load_model",
        "model = load_model()                       # this folder, checked (sha256, versions, trusted types)",
        'model.predict_proba(["text", span, ...])   # {dimension: array (n, n_classes)}, columns = model.classes_[dim]',
        "model.predict([...])                       # {dimension: [label, ...]}",
        "```",
        "",
        "## Training data",
        "",
        f"- file: `{data.get('file')}` ({data.get('n_passages')} passages from {data.get('n_documents')} documents, "
        f"{data.get('size_bytes')} bytes)",
        f"- sha256: `{data.get('sha256')}`",
        f"- random seed: {metadata.get('random_state')}",
        "- label counts:",
    ]
    for dim, counts in (metadata.get("label_counts") or {}).items():
        lines.append(f"  - {dim}: " + ", ".join(f"{c} {n}" for c, n in counts.items()))
    lines += [
        "",
        "## Method",
        "",
        f"- Features and estimators: {metadata.get('features')}",
        f"- Imbalance: {metadata.get('imbalance')}",
        f"- Calibration: {metadata.get('calibration')}",
        f"- Decision: {metadata.get('decision')} Weights: "
        + "; ".join(
            f"{d} " + ", ".join(f"{c} {w:g}" for c, w in ws.items())
            for d, ws in (metadata.get("decision_weights") or {}).items()
        ),
        "",
        "## Cross-validated evaluation",
        "",
    ]
    cv = metadata.get("cross_validation")
    if cv is None:
        lines.append(
            "Not computed for this model (trained with `--no-cv`). Run `python benchmarks/model_evaluation.py`."
        )
    else:
        lines += [
            f"{cv['cv']}; {cv['ci']}. Systems: majority class, plain TF-IDF + LogisticRegression (sklearn "
            "defaults), and this model, on the same folds.",
            "",
        ]
        if comparison is not None:
            lines.append(comparison.to_markdown())
    lines += frozen_split_lines(metadata)
    lines += [
        "",
        "## Limits",
        "",
        "- Desirability 'against' is skewed: most of its examples come from Hungarian government releases, so the "
        "model can learn that speaker (Brussels, 'pro-migration') rather than rejection; the per-voice table above "
        "shows how it does on other voices. CV folds group those releases by publisher.",
        "- Issue-10 targets on the frozen split: every 'against'/'realist' F1 >= 0.45 is met (feasibility 'against' "
        "only just); macro-F1 feasibility (>= 0.65), desirability (>= 0.75, missed by under 0.01 since the "
        "attribution fixes of issue 11) and framing (>= 0.75) are not. In grouped CV (publisher-grouped, "
        "benchmarks/results/model_selection.md) the 'against' F1s are lower (about 0.35 each), desirability "
        "'against' from other voices than the Hungarian government is weak, and UNGDC 'realist' F1 is about 0.3.",
        "- Short supportive sentences that name a bare 'the Compact' ('We support the Compact and will sign it.') "
        "lean to desirability 'against' (most compact-naming government paragraphs in train_v2 reject it), and "
        "one-line failure claims ('UNHCR is stretched to its limits.') stay 'none'; tests/test_models_constructs.py "
        "marks them as known misses.",
        "- Trained on UN General Debate, White House and government/UN web paragraphs; essays and academic prose "
        "(reported views, hedging) differ from speeches. The cue features mark attribution and hedges, but the "
        "training data has few.",
        "- Cue lexicons were written by the project with the training data in view, so the cross-validated gain of "
        "the cue features may be optimistic; design choices were also made on the same grouped folds.",
        "- Trained on paragraphs; sentences (used for evidence) are shorter, so their probabilities lean to 'none'.",
        "- The cue features depend on the lexicons and the actor knowledge base: after changing them, retrain "
        "(the loader warns when their fingerprint differs from `feature_resources_sha256`).",
        "",
        "## Files and versions",
        "",
        f"- `{metadata.get('model_file')}`: skops, sha256 `{metadata.get('model_sha256')}`, "
        f"{metadata.get('model_size_bytes')} bytes; trusted types: " + ", ".join(metadata.get("trusted_types", [])),
        f"- cue lexicons + actor knowledge base sha256: `{metadata.get('feature_resources_sha256')}`",
        "- built with: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
    ]
    if metadata.get("command"):
        lines.append(f"- made by: `{metadata['command']}`")
    return "\n".join(lines) + "\n"

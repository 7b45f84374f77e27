"""The stance component ``ggtext_stance``: document verdict and passage labels from a passage model.

Registered here, above the models it uses, and exposed through the
``spacy_factories`` entry point. The module imports only spaCy: spaCy loads
every entry point whenever it builds a pipeline, so the model and
scikit-learn are imported when the component is first used.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from ..pipeline.keys import RESULTS_KEY

if TYPE_CHECKING:
    from ..models import StanceModel

#: Folder of a saved stance component that holds its (non-default) model.
MODEL_FOLDER = "model"


@Language.factory(
    "ggtext_stance",
    assigns=["doc._.ggtext"],
    requires=["doc.spans", "token.is_sent_start"],
    default_config={},
)
def make_stance(nlp: Language, name: str):
    return StanceScorer(nlp, name)


class StanceScorer:
    """Score each Doc with a passage model; results go to ``doc._.ggtext``.

    After it runs, ``doc._.ggtext.feasibility_score``, ``.feasibility_label``,
    ``.desirability_score``, ``.desirability_label``, ``.realist_share``,
    ``.institutionalist_share``, ``.framing_label``, ``.evidence`` and
    ``.passages`` hold the verdict (see :mod:`ggtext.scoring.verdict`).
    The shipped model is loaded at first use unless :meth:`load_model` (or
    ``nlp.initialize`` with ``model_path``) gives another; a model that is not
    the shipped one travels with ``nlp.to_disk``.
    """

    def __init__(self, nlp: Language, name: str = "ggtext_stance"):
        self.name = name
        self.model_dir: Path | None = None  # None: the shipped model
        self._model: "StanceModel | None" = None

    @property
    def model(self) -> "StanceModel":
        if self._model is None:
            from ..models import load_model

            self._model = load_model(self.model_dir)
        return self._model

    def load_model(self, path: "str | Path | StanceModel | None") -> "StanceScorer":
        """Use the model folder at ``path`` (or a loaded model; None: the shipped one)."""
        from ..models import load_model
        from ..models.io import resolve_model_dir

        model = path if hasattr(path, "predict_proba") else load_model(path)
        folder = getattr(model, "folder", None)
        self._model = model
        self.model_dir = None if folder is None or folder == resolve_model_dir(None) else Path(folder)
        return self

    def initialize(self, get_examples=None, *, nlp: Language | None = None, model_path: str | None = None) -> None:
        """``nlp.initialize()`` hook: ``[initialize.components.ggtext_stance] model_path = ...``."""
        if model_path is not None:
            self.load_model(model_path)

    def __call__(self, doc: Doc) -> Doc:
        from .verdict import document_verdict

        return self._store(doc, document_verdict(doc, self.model))

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 32) -> Iterator[Doc]:
        """Score Docs a batch at a time: two model calls per batch (``nlp.pipe`` uses this)."""
        from .verdict import document_verdicts

        for batch in minibatch(docs, size=batch_size):
            for doc, verdict in zip(batch, document_verdicts(batch, self.model)):
                yield self._store(doc, verdict)

    def to_disk(self, path: str | Path, *, exclude=()) -> None:
        """Copy a model that is not the shipped one into ``path``."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.model_dir is not None:
            target = path / MODEL_FOLDER
            target.mkdir(exist_ok=True)
            for file in sorted(self.model_dir.iterdir()):
                if file.is_file():
                    shutil.copyfile(file, target / file.name)

    def from_disk(self, path: str | Path, *, exclude=()) -> "StanceScorer":
        """Use the model :meth:`to_disk` wrote, or the shipped one when it wrote none (loaded at first use)."""
        folder = Path(path) / MODEL_FOLDER
        self._model = None
        self.model_dir = folder if folder.is_dir() else None
        if self.model_dir is not None:
            self.load_model(self.model_dir)
        return self

    @staticmethod
    def _store(doc: Doc, verdict: Any) -> Doc:
        results: dict[str, Any] = doc.user_data.setdefault(RESULTS_KEY, {})
        results.update(verdict.fields())
        results["passages"] = verdict.passages
        return doc

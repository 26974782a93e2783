"""Evaluate processors.mail_classifier on tests/data/labelled_emails.jsonl.

Prints precision / recall / F1 / support per label for the dev and test splits, plus
requested_time exact-match accuracy on gold explicit requests.

    .venv/bin/python bench/eval_classifier.py [--json PATH] [--errors]

With --embeddings (needs the ``embeddings`` extra; e.g. a .venv-emb made with
``pip install -e '.[embeddings,dev]'``) it also measures connectors.mail_embeddings' hints
added to the rules' labels: only where the rules say ``undecided``, and (a variant) also where
the rules found no label at all, plus the hints alone as a diagnostic. The labeler is built
from the dev split and its thresholds are tuned there by leave-one-out; on dev every email is
scored with itself left out of the examples, and the test split is used for nothing but the
figures. bench/data/undecided_probe.jsonl adds 20 short emails the rules call ``undecided``
(none of the labelled set is): written and labelled by the author of the embedding hints,
not part of the labelled set, so read its figures as a probe, not a measurement.

    .venv-emb/bin/python bench/eval_classifier.py --embeddings [--json PATH]
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from revloop.processors.mail_classifier import LABELS, classify  # noqa: E402

DATA = ROOT / "tests" / "data" / "labelled_emails.jsonl"
PROBE = ROOT / "bench" / "data" / "undecided_probe.jsonl"

# One email -> (labels, requested_time).
Predictor = Callable[[dict], tuple[tuple[str, ...], "str | None"]]


def rules_predict(row: dict) -> tuple[tuple[str, ...], str | None]:
    got = classify(row["subject"], row["body"], row["from"], row.get("headers") or {})
    return got.labels, got.requested_time


@dataclass
class LabelScore:
    precision: float
    recall: float
    f1: float
    support: int
    tp: int
    fp: int
    fn: int


def load(path: Path = DATA) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _ratio(num: int, den: int) -> float:
    # An empty denominator means nothing to get wrong.
    return num / den if den else 1.0


def _score(tp: int, fp: int, fn: int) -> LabelScore:
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return LabelScore(p, r, f1, tp + fn, tp, fp, fn)


def evaluate(rows: list[dict], predict: Predictor = rules_predict) -> dict:
    """Per-label and micro-averaged scores, time accuracy and the misses, for one split."""
    counts = {label: [0, 0, 0] for label in LABELS}
    time_hits = time_total = 0
    errors = []
    for row in rows:
        pred_labels, pred_time = predict(row)
        gold, pred = set(row["labels"]), set(pred_labels)
        for label in LABELS:
            counts[label][0] += label in gold and label in pred
            counts[label][1] += label in pred and label not in gold
            counts[label][2] += label in gold and label not in pred
        time_ok = True
        if "explicit_request" in gold:
            time_total += 1
            time_ok = pred_time == row.get("requested_time")
            time_hits += time_ok
        if gold != pred or not time_ok:
            errors.append({"id": row["id"], "gold": sorted(gold), "pred": list(pred_labels),
                           "gold_time": row.get("requested_time"), "pred_time": pred_time,
                           "subject": row["subject"]})
    per_label = {label: _score(*counts[label]) for label in LABELS}
    micro = _score(*(sum(c[i] for c in counts.values()) for i in range(3)))
    exact = len(rows) - sum(1 for e in errors if set(e["gold"]) != set(e["pred"]))
    return {
        "n": len(rows),
        "per_label": {k: asdict(v) for k, v in per_label.items()},
        "micro": asdict(micro),
        "exact_label_set_accuracy": _ratio(exact, len(rows)),
        "requested_time_accuracy": _ratio(time_hits, time_total),
        "requested_time_support": time_total,
        "errors": errors,
    }


def evaluate_split(split: str, rows: list[dict] | None = None) -> dict:
    rows = load() if rows is None else rows
    return evaluate([r for r in rows if r["split"] == split])


# ---------------------------------------------------------------------------------------------
# Rules + embedding hints

EMBEDDING_MODES = ("rules", "rules+emb where undecided", "rules+emb where undecided or no label", "emb alone")
EMBEDDING_HEADERS = ("rules", "+emb if undecided", "+emb if undecided/none", "emb alone")


def embedding_predictors(labeler, leave_one_out: bool) -> tuple[dict[str, Predictor], dict[str, int]]:
    """The four predictors of EMBEDDING_MODES over one labeler, and how many emails each let hints touch.

    ``leave_one_out``: score each email with itself left out of the labeler's examples (for the
    split the labeler was built from)."""
    touched = {mode: 0 for mode in EMBEDDING_MODES}
    memo: dict[str, tuple] = {}

    def both(row):
        if row["id"] not in memo:
            got = classify(row["subject"], row["body"], row["from"], row.get("headers") or {})
            hints = labeler.hints(row["subject"], row["body"], exclude=row["id"] if leave_one_out else None)
            memo[row["id"]] = (got, hints)
        return memo[row["id"]]

    def rules(row):
        got, _ = both(row)
        return got.labels, got.requested_time

    def with_hints(mode, applies):
        def predict(row):
            got, hints = both(row)
            if not applies(got):
                return got.labels, got.requested_time
            touched[mode] += bool(set(hints) - set(got.labels))
            return tuple(sorted(set(got.labels) | set(hints))), got.requested_time
        return predict

    def alone(row):
        _, hints = both(row)
        touched["emb alone"] += bool(hints)
        return hints, None

    return {
        "rules": rules,
        "rules+emb where undecided": with_hints("rules+emb where undecided", lambda got: got.undecided),
        "rules+emb where undecided or no label": with_hints(
            "rules+emb where undecided or no label", lambda got: got.undecided or not got.labels),
        "emb alone": alone,
    }, touched


def evaluate_embeddings(labeler, rows: list[dict], leave_one_out: bool) -> dict:
    predictors, touched = embedding_predictors(labeler, leave_one_out)
    out = {mode: evaluate(rows, predictors[mode]) for mode in EMBEDDING_MODES}
    for mode in EMBEDDING_MODES:
        out[mode]["emails_changed_by_hints"] = touched[mode]
    return out


def _embedding_table(split: str, n: int, results: dict, labels=None):
    from rich.table import Table

    labels = labels or LABELS
    table = Table(title=f"{split} ({n} emails): precision/recall (FP,FN)")
    table.add_column("label")
    table.add_column("support", justify="right")
    for header in EMBEDDING_HEADERS:
        table.add_column(header, justify="right")
    for label in labels:
        cells = []
        for mode in EMBEDDING_MODES:
            s = results[mode]["per_label"][label]
            cells.append(f"{s['precision']:.2f}/{s['recall']:.2f} ({s['fp']},{s['fn']})")
        table.add_row(label, str(results["rules"]["per_label"][label]["support"]), *cells)
    cells = [f"{results[m]['micro']['precision']:.2f}/{results[m]['micro']['recall']:.2f} "
             f"({results[m]['micro']['fp']},{results[m]['micro']['fn']})" for m in EMBEDDING_MODES]
    table.add_row("[bold]micro[/bold]", str(results["rules"]["micro"]["support"]), *cells, end_section=True)
    table.add_row("emails changed", "", *(str(results[m]["emails_changed_by_hints"]) for m in EMBEDDING_MODES))
    table.caption = ("+emb: rules' labels plus the hints, where the rules say undecided (/ or found no "
                     "label); emb alone: the hints on every email (bounce, out_of_office never hinted); "
                     "an empty ratio prints 1.00")
    return table


def run_embeddings(console, rows: list[dict]) -> dict:
    from revloop.connectors.mail_embeddings import DEFAULT_SPECS, EmbeddingLabeler

    labeler = EmbeddingLabeler.from_labelled(DATA, split="dev")
    tuning = labeler.tuning_report()
    console.print("embedding hints, tuned on dev by leave-one-out:")
    for label, t in tuning.items():
        if t["threshold"] is None:
            console.print(f"  {label}: off (leave-one-out could not reach precision "
                          f"{DEFAULT_SPECS[label].min_precision:.2f})")
        else:
            console.print(f"  {label}: threshold {t['threshold']:+.3f}, leave-one-out precision "
                          f"{t['precision']:.2f} recall {t['recall']:.2f} ({t['tp']}/{t['support']})")
    results: dict = {"tuning": _plain(tuning)}
    for split in ("dev", "test"):
        subset = [r for r in rows if r["split"] == split]
        results[split] = evaluate_embeddings(labeler, subset, leave_one_out=split == "dev")
        console.print(_embedding_table(split, len(subset), results[split]))
    if PROBE.exists():
        probe = load(PROBE)
        results["probe"] = evaluate_embeddings(labeler, probe, leave_one_out=False)
        console.print(_embedding_table("probe: rules undecided, author-labelled", len(probe), results["probe"],
                                       labels=("explicit_request",)))
    return results


def _plain(value):
    """JSON-ready: numpy scalars to Python numbers."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "item"):
        return value.item()
    return value


def _table(split: str, result: dict):
    from rich.table import Table

    table = Table(title=f"{split} split ({result['n']} emails)")
    for col in ("label", "precision", "recall", "F1", "support", "FP", "FN"):
        table.add_column(col, justify="left" if col == "label" else "right")
    for label, s in result["per_label"].items():
        table.add_row(label, f"{s['precision']:.2f}", f"{s['recall']:.2f}", f"{s['f1']:.2f}",
                      str(s["support"]), str(s["fp"]), str(s["fn"]))
    m = result["micro"]
    table.add_row("[bold]micro avg[/bold]", f"{m['precision']:.2f}", f"{m['recall']:.2f}", f"{m['f1']:.2f}",
                  str(m["support"]), str(m["fp"]), str(m["fn"]), end_section=True)
    table.caption = (f"exact label-set accuracy {result['exact_label_set_accuracy']:.2f}; requested_time exact match "
                     f"{result['requested_time_accuracy']:.2f} on {result['requested_time_support']} explicit requests")
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="write the figures to this path")
    parser.add_argument("--errors", action="store_true", help="list misclassified emails")
    parser.add_argument("--embeddings", action="store_true",
                        help="also measure rules + embedding hints (needs the embeddings extra)")
    args = parser.parse_args(argv)

    from rich.console import Console

    console = Console()
    if args.embeddings and console.width < 112:
        console.width = 112  # the comparison table has four figure columns
    rows = load()
    results = {split: evaluate_split(split, rows) for split in ("dev", "test")}
    for split, result in results.items():
        console.print(_table(split, result))
        if args.errors:
            for e in result["errors"]:
                console.print(f"  {e['id']} {e['subject']!r}: gold={e['gold']} pred={e['pred']} "
                              f"time gold={e['gold_time']!r} pred={e['pred_time']!r}", markup=False)
    if args.embeddings:
        results["embeddings"] = run_embeddings(console, rows)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

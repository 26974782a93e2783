"""Evaluate processors.mail_classifier on tests/data/labelled_emails.jsonl.

Prints precision / recall / F1 / support per label for the dev and test splits, plus
requested_time exact-match accuracy on gold explicit requests.

    .venv/bin/python bench/eval_classifier.py [--json PATH] [--errors]
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from processors.mail_classifier import LABELS, classify  # noqa: E402

DATA = ROOT / "tests" / "data" / "labelled_emails.jsonl"


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


def evaluate(rows: list[dict]) -> dict:
    """Per-label and micro-averaged scores, time accuracy and the misses, for one split."""
    counts = {label: [0, 0, 0] for label in LABELS}
    time_hits = time_total = 0
    errors = []
    for row in rows:
        got = classify(row["subject"], row["body"], row["from"], row.get("headers") or {})
        gold, pred = set(row["labels"]), set(got.labels)
        for label in LABELS:
            counts[label][0] += label in gold and label in pred
            counts[label][1] += label in pred and label not in gold
            counts[label][2] += label in gold and label not in pred
        time_ok = True
        if "explicit_request" in gold:
            time_total += 1
            time_ok = got.requested_time == row.get("requested_time")
            time_hits += time_ok
        if gold != pred or not time_ok:
            errors.append({"id": row["id"], "gold": sorted(gold), "pred": list(got.labels),
                           "gold_time": row.get("requested_time"), "pred_time": got.requested_time,
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
    args = parser.parse_args(argv)

    from rich.console import Console

    console = Console()
    rows = load()
    results = {split: evaluate_split(split, rows) for split in ("dev", "test")}
    for split, result in results.items():
        console.print(_table(split, result))
        if args.errors:
            for e in result["errors"]:
                console.print(f"  {e['id']} {e['subject']!r}: gold={e['gold']} pred={e['pred']} "
                              f"time gold={e['gold_time']!r} pred={e['pred_time']!r}", markup=False)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The mail classifier in `make bench`: model load time, classification throughput, per-label figures.

    .venv/bin/python bench/mail_classification.py [--messages 300]

Load time is measured in a fresh process (imports, the encoder from the package, the head, the
hashes that pin both). Throughput classifies corpus emails end to end (split, rules, units,
embeddings, head, time) with no cache, on this machine's CPUs; the baseline in the same run is
the encoder alone on the same units, so the ratio says what everything around the model costs.
Batch jobs (relabel, demo books) encode all their messages' units in one pass: measured too.
The per-label table and explicit_request confusion are bench/eval_classifier.py's, on the test split.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

LOAD_SCRIPT = ("import time; t = time.perf_counter(); from revloop.connectors.mail_model import MailModel; "
               "m = MailModel.load(); print(time.perf_counter() - t, m.version)")


def measure(messages: int = 300) -> dict:
    import torch

    import eval_classifier as ev
    from revloop.connectors.mail_model import MailModel
    from revloop.processors.mail_classifier import classify
    from revloop.processors.mail_units import read_units
    from revloop.streams.mail_classify import BatchScorer

    out = subprocess.run([sys.executable, "-c", LOAD_SCRIPT], capture_output=True, text=True, timeout=900, cwd=ROOT)
    load_s, version = out.stdout.strip().splitlines()[-1].split()
    model = MailModel.load()
    rows = [r for r in ev.load(ev.CORPUS) if r["split"] == "test"][:messages]
    units = [u.text for r in rows for u in read_units(r["subject"], r["body"]).units]
    model.encode(units[:64])    # warm up
    t = time.perf_counter()
    model.encode(units)
    encoder_s = time.perf_counter() - t
    t = time.perf_counter()
    for r in rows:
        classify(r["subject"], r["body"], r["from"], r.get("headers") or {}, scorer=model.score,
                 thresholds=model.thresholds, received_at_ms=0)
    classify_s = time.perf_counter() - t
    # Batch jobs (relabel, demo and import books): one encoder pass over all the messages' units.
    t = time.perf_counter()
    batch = BatchScorer(model, units)
    for r in rows:
        classify(r["subject"], r["body"], r["from"], r.get("headers") or {}, scorer=batch,
                 thresholds=model.thresholds, received_at_ms=0)
    batched_s = time.perf_counter() - t
    scorer = ev.CachedScorer(model)
    figures = ev.run([r for r in ev.load(ev.CORPUS) if r["split"] == "test"], scorer, model.thresholds)
    return {"classifier": version, "load_seconds": round(float(load_s), 2), "messages": len(rows),
            "units": len(units), "torch_threads": torch.get_num_threads(),
            "messages_per_s": round(len(rows) / classify_s, 1), "units_per_s": round(len(units) / classify_s, 1),
            "batched_messages_per_s": round(len(rows) / batched_s, 1),
            "encoder_units_per_s": round(len(units) / encoder_s, 1),
            "classify_vs_encoder": round(encoder_s / classify_s, 2), "test_split": ev.as_json(figures),
            "_figures": figures}


def print_results(res: dict, console) -> None:
    import eval_classifier as ev

    console.print(f"[bold]mail classifier[/] {res['classifier']}: model load {res['load_seconds']:.1f}s (fresh process); "
                  f"{res['messages_per_s']:.1f} messages/s ({res['units_per_s']:.0f} units/s) on {res['messages']} test "
                  f"emails, {res['torch_threads']} torch threads; encoder alone {res['encoder_units_per_s']:.0f} units/s "
                  f"(classification runs at {res['classify_vs_encoder']:.2f}x the encoder's rate); batched "
                  f"(one encoder pass for all, as relabel does) {res['batched_messages_per_s']:.1f} messages/s")
    ev.tables("mail classifier, corpus test split", res["_figures"], console)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=300)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    from rich.console import Console

    res = measure(args.messages)
    print_results(res, Console())
    if args.json:
        args.json.write_text(json.dumps({k: v for k, v in res.items() if not k.startswith("_")}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

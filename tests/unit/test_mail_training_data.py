"""The hand-written training sentences (tests/data/mail_sentences_dev.txt) as the trainer reads them."""
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def trainer():
    spec = importlib.util.spec_from_file_location("train_mail_head", ROOT / "scripts" / "train_mail_head.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_hand_written_sentence_has_known_labels_and_every_request_a_type():
    t = trainer()
    items = t.load_sentences(t.SENTENCES[0])
    assert len(items) >= 300
    counts = {label: sum(label in i["labels"] for i in items) for label in t.HEAD_LABELS}
    negatives = sum(not i["labels"] for i in items)
    assert counts["explicit_request"] >= 100 and counts["opt_out"] >= 30 and negatives >= 100
    assert {i["request_type"] for i in items if "explicit_request" in i["labels"]} == set(t.TYPES)


def test_the_voices_bank_is_large_and_holds_every_label_with_hard_negatives():
    # tests/data/mail_sentences_voices.txt: the sixth session's hand-written bank, many voices, not templates.
    t = trainer()
    items = t.load_sentences(t.SENTENCES[1])
    assert len(items) >= 1200
    assert len({i["text"].lower() for i in items}) == len(items)      # no sentence twice
    counts = {label: sum(label in i["labels"] for i in items) for label in t.HEAD_LABELS}
    assert min(counts.values()) >= 15 and counts["explicit_request"] >= 300 and counts["complaint"] >= 100
    assert {i["request_type"] for i in items if "explicit_request" in i["labels"]} == set(t.TYPES)
    assert sum(not i["labels"] for i in items) >= 400
    # the judged shapes carry both labels or none, as the guide reads them
    both = [i for i in items if {"opt_out", "complaint"} <= i["labels"]]
    assert len(both) >= 10
    text = {i["text"]: i["labels"] for i in items}
    assert text["Reply STOP to unsubscribe from future messages."] == set()
    assert text["Stop by our booth at the conference for a free coffee!"] == set()
    assert text["The borrower's HELOC is up for renewal next month."] == set()
    assert text["Call me crazy, but I think this market is finally cooling."] == set()
    spanish_or_portuguese = [i for i in items if any(w in i["text"].lower() for w in ("por favor", "você", "ustedes",
                                                                                        "obrigad", "gracias", "laudo"))]
    assert len(spanish_or_portuguese) >= 40


def test_no_hand_written_sentence_is_lifted_from_the_test_split():
    t = trainer()
    rows = [json.loads(line) for line in (ROOT / "tests" / "data" / "mail_corpus.jsonl").open()]
    test_text = "\n".join(r["subject"] + "\n" + r["body"] for r in rows if r["split"] == "test").lower()
    lifted = [i["text"] for path in t.SENTENCES for i in t.load_sentences(path) if len(i["text"].split()) >= 5
              and i["text"].lower() in test_text]
    assert lifted == []


def test_the_holdout_is_never_trained_on_and_the_retired_probes_are():
    # tests/data/mail_probe_v10.jsonl is the holdout now (bench/eval_classifier.py --probe), and v9 (tuned on by
    # rules 32-34) is not trained on either: the trainer reads neither and no hand-written training sentence is one
    # of their sentences. Probes v2-v8 were tuned on in earlier sessions and no longer measure generalisation: v2-v7
    # are training data, with evidence spans for their labels (v8 has its spans but is left out of training: it
    # lowered the test split's request recall).
    t = trainer()
    source = (ROOT / "scripts" / "train_mail_head.py").read_text(encoding="utf-8")
    assert [p.name for p in t.RETIRED] == [f"mail_probe_v{n}.jsonl" for n in (2, 3, 4, 5, 6, 7)]
    for name in ("mail_probe_v9", "mail_probe_v10"):
        probe = [json.loads(line) for line in (ROOT / "tests" / "data" / f"{name}.jsonl").open(encoding="utf-8")]
        assert len(probe) >= 60 and sum(not r["labels"] for r in probe) >= 15 and len({r["voice"] for r in probe}) >= 60
        assert {label for r in probe for label in r["labels"]} == set(t.HEAD_LABELS) | {"bounce"}
        assert name not in source and all(p.name != f"{name}.jsonl" for p in t.RETIRED)
        probe_text = "\n".join(r["subject"] + "\n" + r["body"] for r in probe).lower()
        lifted = [i["text"] for path in t.SENTENCES for i in t.load_sentences(path) if len(i["text"].split()) >= 5
                  and i["text"].lower() in probe_text]
        assert lifted == []
    for path in (*t.RETIRED, ROOT / "tests" / "data" / "mail_probe_v8.jsonl"):   # v8: retired, not trained on
        rows = [json.loads(line) for line in path.open(encoding="utf-8")]
        for r in rows:
            assert {e["label"] for e in r["evidence"]} <= set(r["labels"])
            for e in r["evidence"]:
                text = r["subject"] if e["source"] == "subject" else r["body"]
                assert 0 <= e["start"] < e["end"] <= len(text)


REAL_SETS = ("mail_probe_v9", "mail_probe_v10", "mail_probe_v10b", "mail_probe_v10_blind", "mail_probe_v11_blind",
             "mail_train_v12", "mail_probe_v15_blind", "mail_probe_v16_blind",
             "mail_probe_v17_blind", "mail_probe_v18_blind")


@pytest.mark.parametrize("name", ("mail_probe_v2", "mail_probe_v3", "mail_probe_v4", "mail_probe_v5", "mail_probe_v6",
                                  "mail_probe_v7", "mail_probe_v8", *REAL_SETS))
def test_every_evidence_span_marks_a_unit_of_its_label_and_real_sets_carry_most_labels(name):
    # The real-email sets (v9, v10, v10b, the tenth blind judge's 235 emails, ids b10-NNN, and the eleventh's 244,
    # b11-NNN, copied here once scored) carry evidence spans as v2-v8 do: proposed from the classifier's own evidence, checked by hand, and
    # written by hand where it missed a label; a label of an auto-reply decided by its headers has none. mail_train_v12
    # (ids c12-NNN) is training mail written in the twelfth session by a writer who had not read the classifier, its
    # spans written with it (every label shows one). mail_probe_v15_blind (b15-NNN) is the fifteenth blind judge's 260
    # emails, copied here once scored, its spans the judge's own words (every label but an auto-reply's shows one);
    # mail_probe_v16_blind (b16-NNN) the sixteenth's 260, mail_probe_v17_blind (b17-NNN) the seventeenth's 260 and
    # mail_probe_v18_blind (b18-NNN) the eighteenth's 260, the same way (their bounces and auto-replies show spans too).
    from revloop.processors.mail_units import read_units

    t = trainer()
    rows = [json.loads(line) for line in (ROOT / "tests" / "data" / f"{name}.jsonl").open(encoding="utf-8")]
    shown = wanted = 0
    for r in rows:
        assert {e["label"] for e in r["evidence"]} <= set(r["labels"]), r["id"]
        for e in r["evidence"]:
            assert e["source"] in ("subject", "body"), r["id"]
            text = r["subject"] if e["source"] == "subject" else r["body"]
            assert 0 <= e["start"] < e["end"] <= len(text), r["id"]
        y = t.unit_label_matrix(dict(r, retired=True), read_units(r["subject"], r["body"]))
        for label in {e["label"] for e in r["evidence"]} & set(t.HEAD_LABELS):
            assert (y[:, t.HEAD_LABELS.index(label)] == 1).any(), (r["id"], label)   # the span hits a unit
        # auto-replies are decided by their headers; every other label a real email carries should show its words
        labels = set(r["labels"]) & set(t.HEAD_LABELS) - {"out_of_office"}
        wanted += len(labels)
        shown += len(labels & {e["label"] for e in r["evidence"]})
    if name in REAL_SETS:
        assert shown >= 0.97 * wanted, (shown, wanted)
    ids = [json.loads(line)["id"] for n in REAL_SETS for line in (ROOT / "tests" / "data" / f"{n}.jsonl").open()]
    assert len(ids) == len(set(ids))


def test_only_labels_replaces_those_rows_and_thresholds_and_keeps_the_others():
    t = trainer()
    labels = list(t.HEAD_LABELS)
    base = {"labels": labels, "cues_id": "c", "dim": 2, "weights": [[0.0, 0.0] for _ in labels],
            "bias": [0.0] * len(labels), "thresholds": {x: 0.9 for x in labels}, "type_weights": [[1.0, 1.0]],
            "type_bias": [1.0], "trained_on": {"C": 8.0}}
    new = dict(base, weights=[[1.0, 2.0] for _ in labels], bias=[3.0] * len(labels),
               thresholds={x: 0.6 for x in labels}, type_weights=[[9.0, 9.0]], trained_on={"C": 2.0})
    out = t.only_labels(base, new, ["urgent"])
    j = labels.index("urgent")
    assert out["weights"][j] == [1.0, 2.0] and out["bias"][j] == 3.0 and out["thresholds"]["urgent"] == 0.6
    assert all(out["weights"][i] == [0.0, 0.0] and out["bias"][i] == 0.0 for i in range(len(labels)) if i != j)
    assert all(out["thresholds"][x] == 0.9 for x in labels if x != "urgent")
    assert out["type_weights"] == [[1.0, 1.0]] and out["trained_on"] == {"C": 8.0, "retrained": {"urgent": {"C": 2.0}}}
    assert base["weights"][j] == [0.0, 0.0]                    # the base is not changed in place
    with pytest.raises(ValueError):
        t.only_labels(base, dict(new, dim=3), ["urgent"])


def test_a_retired_probes_label_without_evidence_leaves_its_units_out():
    from revloop.processors.mail_units import read_units

    t = trainer()
    body = "Hi,\n\nYour invoice is wrong again. Please send a corrected one.\n\nJo"
    start = body.index("Please send")
    row = {"subject": "Invoice", "body": body, "labels": ["complaint", "explicit_request"], "retired": True,
           "evidence": [{"label": "explicit_request", "source": "body", "start": start, "end": body.index("one.") + 4}]}
    reading = read_units(row["subject"], row["body"])
    y = t.unit_label_matrix(row, reading)
    req, comp, opt = (t.HEAD_LABELS.index(x) for x in ("explicit_request", "complaint", "opt_out"))
    ask = [i for i, u in enumerate(reading.units) if u.text.startswith("Please send")]
    assert ask and y[ask[0], req] == 1 and y[:, req].sum() == 1
    assert (y[:, comp] == -1).all()        # no evidence recorded: neither positive nor negative
    assert (y[:, opt] == 0).all()          # a label the email lacks: every unit is a negative


@pytest.mark.parametrize("line, error", [
    ("complaint, bogus | The report was late.", "unknown label 'bogus'"),
    ("explicit_request | Can you call me?", "a request needs its type"),
    ("explicit_request:fax | Fax it over.", "unknown label 'explicit_request:fax'"),
    ("just words without a bar", "expected 'labels | sentence'"),
])
def test_a_malformed_line_is_refused_with_its_line_number(tmp_path, line, error):
    path = tmp_path / "s.txt"
    path.write_text("# header\n" + line + "\n")
    with pytest.raises(ValueError, match=f"s.txt:2: {error}".replace("(", r"\(").replace("|", r"\|")):
        trainer().load_sentences(path)

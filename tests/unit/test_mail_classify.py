"""streams.mail_classify: classified once where mail enters, recorded, applied by the projector, re-labelled by a job."""
from __future__ import annotations

import json
import subprocess
import sys

from revloop.processors.mail_classifier import RULES_VERSION
from revloop.processors.projector import apply
from revloop.processors.state import TenantState
from revloop.schemas.codec import Codec
from revloop.streams.mail_classify import MailReader, relabel
from tests.support.events import T0, event
from tests.support.mail import reader, recorded

SENDER = "Karen Whitfield <kwhitfield@summitcu.org>"


def message(mid: str = "m1", body: str = "Can you call me Thursday afternoon?", subject: str = "45 Oak") -> dict:
    return event("gmail_message", at=T0, event_id=f"gmail:t1:{mid}", mailbox="ops@us.example", message_id=mid,
                 thread_id=f"th-{mid}", from_header=SENDER, subject=subject, body_text=body,
                 headers={"Date": "Tue, 10 Nov 2026 10:05:00 -0600"})


def test_every_message_is_followed_by_its_classification_and_a_refused_one_by_none():
    got: list[tuple[str, dict]] = []
    r = MailReader(reader().model, clock=lambda: T0 / 1000 + 5)
    emit = r.wrap(lambda t, e: got.append((t, e)) or e["message_id"] != "refused")
    emit("gmail_message", message("m1"))
    emit("gmail_message", message("refused"))
    assert [(t, e["message_id"]) for t, e in got] == [
        ("gmail_message", "m1"), ("mail_classified", "m1"), ("gmail_message", "refused")]
    c = got[1][1]
    assert c["labels"] == ["explicit_request"] and (c["request_type"], c["card"]) == ("call", "call_client")
    assert c["classifier_version"] == r.version and c["model_hash"] and c["head_hash"]
    assert c["event_id"] == f"mailcls:t1:m1:{r.version}" and c["occurred_at"] == T0 + 5000
    assert c["window_start"].endswith("12:00-06:00") and c["window_end"].endswith("17:00-06:00")
    [ev] = [e for e in c["evidence"] if e["label"] == "explicit_request"]
    assert ev["text"] == "Can you call me Thursday afternoon?" and ev["source"] == "body"
    assert Codec().decode(Codec().encode("mail_classified", c))[1]["labels"] == ["explicit_request"]


def test_the_version_pins_the_model_and_the_head_by_hash():
    model = reader().model
    assert model.version == f"minilm-{model.model_hash[:12]}+head-{model.head_hash[:12]}+rules-{RULES_VERSION}"
    assert len(model.model_hash) == len(model.head_hash) == 64


def test_the_projector_applies_the_recorded_reading_whichever_comes_first():
    msg = message()
    reading = recorded(msg, ["explicit_request"], request_type="call", requested_time="Thursday afternoon",
                       window=("2026-11-12T12:00-06:00", "2026-11-12T17:00-06:00"))
    rows = []
    for order in ((("gmail_message", msg), ("mail_classified", reading)),
                  (("mail_classified", reading), ("gmail_message", msg))):
        state = TenantState("t1")
        for type_name, e in order:
            apply(state, "gmail.messages", type_name, e)
        rows.append((state.messages["m1"], state.requests["m1"]))
    assert rows[0] == rows[1]
    row, request = rows[0]
    assert json.loads(row["labels"]) == ["explicit_request"] and row["card"] == "call_client"
    assert request["request_type"] == "call" and request["window_start"] == "2026-11-12T12:00-06:00"


def test_a_newer_classification_replaces_an_older_one_and_withdraws_a_request_not_acted_on():
    msg = message()
    state = TenantState("t1")
    apply(state, "gmail.messages", "gmail_message", msg)
    apply(state, "gmail.messages", "mail_classified", recorded(msg, ["explicit_request"], request_type="call",
                                                               at=T0 + 1, version="v1"))
    assert "m1" in state.requests
    apply(state, "gmail.messages", "mail_classified", recorded(msg, [], at=T0 + 2, version="v2"))
    assert "m1" not in state.requests and json.loads(state.messages["m1"]["labels"]) == []
    apply(state, "gmail.messages", "mail_classified", recorded(msg, ["explicit_request"], at=T0 + 1, version="v1"))
    assert json.loads(state.messages["m1"]["labels"]) == []        # the older one, read again, changes nothing


def test_relabel_writes_only_for_messages_another_version_classified():
    r = MailReader(reader().model, clock=lambda: T0 / 1000 + 60)
    written: list[tuple[str, dict]] = []
    n = relabel(r, [message("m1"), message("m2", "Thanks!")], {"m1": r.version, "m2": "minilm-old+head-old"},
                lambda t, e: written.append((t, e)))
    assert n == 1 and [(t, e["message_id"], e["reason"]) for t, e in written] == [("mail_classified", "m2", "relabel")]


def test_classifying_many_messages_in_one_encoder_pass_reads_each_as_alone():
    r = MailReader(reader().model, clock=lambda: T0 / 1000 + 60)
    msgs = [message("m1"), message("m2", "Please take me off your list."), message("m3", "Thanks, got it."),
            message("m4", "Can you resend the invoice? The closing is tomorrow.", subject="Invoice")]
    alone = [r.classified_event(m) for m in msgs]
    together = r.classified_events(msgs)
    assert [e["labels"] for e in together] == [e["labels"] for e in alone]
    assert [e["labels"] for e in together][:3] == [["explicit_request"], ["opt_out"], []]
    for a, b in zip(alone, together):
        assert (a["request_type"], a["window_start"], [x["text"] for x in a["evidence"]]) == \
            (b["request_type"], b["window_start"], [x["text"] for x in b["evidence"]])
        assert all(abs(a["scores"][k] - b["scores"][k]) < 1e-3 for k in a["scores"])


def test_a_page_handed_over_at_once_gives_the_events_of_one_message_at_a_time():
    """The Gmail poller hands a fetched page to the wrapped emit's ``many``: one encoder pass, same events."""
    r = MailReader(reader().model, clock=lambda: T0 / 1000 + 5)
    msgs = [message("m1"), message("m2", "Please take me off your list."), message("refused", "Call me tomorrow."),
            message("m3", "Thanks, got it. P.S. cud u resend the W-9?"),
            message("m4", "Can you send the final today? We close tomorrow at 9.", subject="Re: 45 Oak")]
    alone, together = [], []
    one = r.wrap(lambda t, e: alone.append((t, e)) or e["message_id"] != "refused")
    for m in msgs:
        one("gmail_message", m)
    r.wrap(lambda t, e: together.append((t, e)) or e["message_id"] != "refused").many("gmail_message", msgs)
    assert [(t, e["message_id"]) for t, e in together] == [(t, e["message_id"]) for t, e in alone]
    assert [t for t, _ in together].count("mail_classified") == 4
    for (t, a), (_, b) in zip(alone, together):
        if t != "mail_classified":
            assert a == b
            continue
        def same(e):   # scores may differ in the last float digits between encoder batches
            return {k: v for k, v in e.items() if k not in ("scores", "evidence")}, \
                [{k: v for k, v in x.items() if k != "score"} for x in e["evidence"]]
        assert same(a) == same(b)
        assert all(abs(a["scores"][k] - b["scores"][k]) < 1e-3 for k in a["scores"])
    assert [e["labels"] for t, e in together if t == "mail_classified"] == [
        ["explicit_request"], ["opt_out"], ["explicit_request"], ["explicit_request", "urgent"]]


def test_replay_applies_recorded_classifications_without_the_model():
    """A process that cannot import sentence-transformers or torch still projects the same rows."""
    msg = message()
    reading = MailReader(reader().model, clock=lambda: T0 / 1000).classified_event(msg)
    codec = Codec()
    blobs = [codec.encode("gmail_message", msg).hex(), codec.encode("mail_classified", reading).hex()]
    script = f"""
import sys, json
sys.modules['sentence_transformers'] = None; sys.modules['torch'] = None
from revloop.schemas.codec import Codec
from revloop.streams.pipeline import Pipeline, RawRecord
p = Pipeline(Codec())
p.process([RawRecord('gmail.messages', 0, i, b't1', bytes.fromhex(b)) for i, b in enumerate({blobs!r})])
row = p.state('t1').messages['m1']
print(json.dumps([row['labels'], row['card'], row['window_start']]))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-800:]
    labels, card, start = json.loads(out.stdout.strip().splitlines()[-1])
    assert json.loads(labels) == reading["labels"] and card == reading["card"] and start == reading["window_start"]

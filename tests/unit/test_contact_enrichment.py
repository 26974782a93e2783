"""Contacts from Gmail: headers and signatures become contact events."""
from __future__ import annotations

from tests.support.cycle_harness import Harness
from tests.support.events import T0, client, contact, event

BODY = """Hi team,

Please see the attached engagement letter.

Thanks,
Jordan Baker
Vendor Manager | Summit Lending
(555) 201-3344
"""


def message(**kw):
    fields = dict(at=T0, mailbox="ops@appraisals.example", message_id="m1", thread_id="th1",
                  from_header="Jordan Baker <jordan@summit.example>", to_header="ops@appraisals.example",
                  cc_header="Ann Chu <ann@summit.example>, desk@appraisals.example", subject="Order 4411",
                  body_text=BODY)
    fields.update(kw)
    return event("gmail_message", **fields)


def contacts_out(out):
    return {e["email"]: e for t, e in out if t == "contact"}


def test_external_people_on_a_message_become_contacts_linked_to_the_client_by_domain():
    h = Harness()
    h.feed("client", client("c1", domains=["summit.example"]))
    found = contacts_out(h.feed("gmail_message", message()))
    assert set(found) == {"jordan@summit.example", "ann@summit.example"}
    jordan = found["jordan@summit.example"]
    assert (jordan["client_id"], jordan["title"], jordan["role"], jordan["source"]) == \
        ("c1", "Vendor Manager", "vendor_manager", "gmail_signature")
    assert jordan["phone"] and jordan["phone"].endswith("5552013344")
    assert found["ann@summit.example"]["source"] == "gmail_header"
    assert "jordan@summit.example" in h.pipeline.state("t1").contact_by_email


def test_a_known_contact_gets_missing_fields_filled_never_overwritten():
    h = Harness()
    h.feed("contact", contact("p1", email="jordan@summit.example", name="J. Baker (CRM)", at=T0 - 10))
    [update] = [e for e in contacts_out(h.feed("gmail_message", message(cc_header=""))).values()]
    assert update["contact_id"] == "p1" and update["name"] == "J. Baker (CRM)" and update["title"] == "Vendor Manager"


def test_nothing_new_means_no_event_and_the_same_message_twice_changes_nothing():
    h = Harness()
    h.feed("gmail_message", message())
    assert contacts_out(h.feed("gmail_message", message())) == {}


def test_machine_senders_are_not_contacts():
    h = Harness()
    out = h.feed("gmail_message", message(from_header="Mail Delivery Subsystem <mailer-daemon@summit.example>",
                                          cc_header="", body_text="Delivery failed"))
    assert contacts_out(out) == {}


def test_each_inbound_message_is_a_classified_inbox_row_with_link_keys():
    h = Harness()
    h.feed("gmail_message", message(subject="Re: Order #A-4411 rush", body_text="Can you call me tomorrow at 9?\n\nJordan"))
    row = h.pipeline.state("t1").messages["m1"]
    assert row["sender"] == "jordan@summit.example" and row["sender_domain"] == "summit.example"
    assert "explicit_request" in row["labels"] and row["requested_time"]
    assert row["order_refs"] == '["A-4411"]'



def test_a_derived_contact_is_applied_live_as_the_log_holds_it():
    # Live, a derived event is applied at once; replay reads it back from its topic, decoded with
    # the schema's defaults. Both must see the same event, so their warehouse rows agree.
    h = Harness()
    h.feed("client", client("c1", domains=["summit.example"]))
    out = h.feed("gmail_message", message())
    derived = [e for t, e in out if t == "contact"]
    assert len(derived) == 2
    for produced in derived:
        assert h.codec.decode(h.codec.encode("contact", produced)) == ("contact", produced)
    _, live = h.pipeline.take_changes(as_tuples=False)

    replay = Harness()
    replay.pipeline.enrich = False                  # as replay: derived events come from their topic
    replay.feed("client", client("c1", domains=["summit.example"]))
    replay.feed("gmail_message", message())
    for produced in derived:
        replay.feed("contact", produced)
    _, replayed = replay.pipeline.take_changes(as_tuples=False)
    ids = {e["event_id"] for e in derived}
    rows = lambda inserts: sorted((r for r in inserts["warehouse_events"] if r["event_id"] in ids),
                                  key=lambda r: r["event_id"])
    assert len(rows(live)) == 2 and rows(live) == rows(replayed)


def test_a_contact_found_in_mail_and_its_crm_record_end_with_the_same_rows_in_any_topic_order():
    # Live read the message before the CRM record (another topic), so mail made a contact of its
    # own for the address; both share it. Replay may read the topics in any order: the touch
    # must land on the same clocks, and the address keep the same owner, whatever that order.
    from itertools import zip_longest

    from tests.support.mail import recorded
    from tests.unit.test_engines_replay import replay, rows_by_key
    from revloop.streams.topics import topic_for

    h = Harness()
    mail = message(from_header="Pat Lee <pat@summit.example>", cc_header="", body_text="Thanks, got it.")
    inputs = [("client", client("c1", domains=["summit.example"], at=T0 - 100)),
              ("gmail_message", mail), ("mail_classified", recorded(mail, ["fyi"])),
              ("contact", contact("p1", email="pat@summit.example", client_id="c1", name="Pat Lee", at=T0 - 50)),
              ("touch", event("touch", contact_email="PAT@summit.example", channel="call", direction="outbound",
                              by="agent", at=T0 - 10, event_id="call-1"))]
    for type_name, e in inputs:
        h.feed(type_name, e, classify=False)
    live = h.pipeline.all_rows()
    clocks = {r["contact_id"]: r["last_event_id"] for r in live["engagement_clocks"]}
    assert clocks == {"email:pat@summit.example": mail["event_id"], "p1": mail["event_id"]}
    assert h.pipeline.state("t1").contact_by_email["pat@summit.example"] == "p1"

    by_topic: dict[str, list] = {}
    for type_name, e in inputs + h.outputs:
        by_topic.setdefault(topic_for(type_name, e), []).append((type_name, e))
    topics = list(by_topic)
    orders = {
        "as written": [r for t in topics for r in by_topic[t]],
        "reversed": [r for t in topics[::-1] for r in by_topic[t]],
        "round robin": [r for group in zip_longest(*by_topic.values()) for r in group if r is not None],
    }
    for name, order in orders.items():
        rows = replay(h.codec, order)
        for table in ("contacts", "engagement_clocks", "mail_messages"):
            assert rows_by_key(rows, table) == rows_by_key(live, table), f"{name}: {table}"

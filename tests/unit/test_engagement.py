"""The 21-day engagement engine, as rules."""
from __future__ import annotations

from revloop.processors import engagement
from revloop.processors.projector import apply
from revloop.processors.state import TenantState
from tests.support.events import DAY, T0, client, contact, event, touch
from tests.support.mail import recorded


def project(*events, topic="any"):
    state = TenantState("t1")
    for e in events:
        apply(state, topic, e["__type"] if "__type" in e else _type_of(e), e)
    return state


def _type_of(e):
    for name in ("channel", "outcome", "credit_limit_cents", "order_id", "contact_id"):
        if name in e:
            return {"channel": "touch", "outcome": "email_outcome", "credit_limit_cents": "client",
                    "order_id": "order", "contact_id": "contact"}[name]
    raise ValueError(e)


def status(state, contact_id, as_of):
    return engagement.status_as_of(state.clocks[contact_id], as_of)


def test_a_contact_never_touched_is_never_touched():
    state = project(contact())
    assert status(state, "p1", T0).status == engagement.NEVER


def test_next_touch_is_due_21_days_after_the_last():
    state = project(contact(), touch(at=T0))
    assert state.clocks["p1"]["next_touch_due"] == T0 + 21 * DAY


def test_exactly_21_days_after_a_touch_is_due_not_overdue():
    state = project(contact(), touch(at=T0))
    assert status(state, "p1", T0 + 21 * DAY).status == engagement.DUE_SOON
    assert status(state, "p1", T0 + 21 * DAY + 1).status == engagement.OVERDUE


def test_days_overdue_count_whole_days_started():
    state = project(contact(), touch(at=T0))
    assert status(state, "p1", T0 + 23 * DAY).days_overdue == 2


def test_touched_within_18_days_is_compliant_and_within_the_last_3_is_due_soon():
    state = project(contact(), touch(at=T0))
    assert status(state, "p1", T0 + 17 * DAY).status == engagement.COMPLIANT
    assert status(state, "p1", T0 + 19 * DAY).status == engagement.DUE_SOON


def test_touches_arriving_out_of_order_keep_the_latest():
    late, early = touch(at=T0 + 5 * DAY, channel="meeting", by="sam"), touch(at=T0, channel="call")
    state = project(contact(), late, early)
    clock = state.clocks["p1"]
    assert (clock["last_touch_at"], clock["last_touch_channel"], clock["last_touch_by"]) == (T0 + 5 * DAY, "meeting", "sam")


def test_the_same_touch_twice_changes_nothing():
    t = touch(at=T0)
    once = project(contact(), t)
    twice = project(contact(), t, t)
    assert once.clocks == twice.clocks


def test_a_sent_email_and_an_inbound_reply_are_touches():
    sent = event("email_outcome", at=T0, outcome="sent", recipient="P1@lender.example")
    state = project(contact(), sent)
    assert state.clocks["p1"]["last_touch_direction"] == "outbound"
    reply = event("email_outcome", at=T0 + DAY, outcome="replied", recipient="p1@lender.example")
    apply(state, "email.outcomes", "email_outcome", reply)
    assert state.clocks["p1"]["last_touch_direction"] == "inbound"


def test_a_bounced_email_is_not_a_touch():
    bounce = event("email_outcome", at=T0, outcome="bounced", recipient="p1@lender.example")
    state = project(contact(), bounce)
    assert state.clocks["p1"]["last_touch_at"] is None


def test_an_inbound_gmail_message_from_a_contact_is_a_touch():
    msg = event("gmail_message", at=T0, mailbox="ops@appraisals.example", message_id="m1", thread_id="th1",
                from_header="Pat <p1@lender.example>")
    state = TenantState("t1")
    apply(state, "contacts", "contact", contact())
    apply(state, "gmail.messages", "gmail_message", msg)
    assert state.clocks["p1"]["last_touch_at"] is None      # not read yet: an auto-reply would be no touch
    apply(state, "gmail.messages", "mail_classified", recorded(msg, []))
    assert state.clocks["p1"]["last_touch_at"] == T0


def test_an_auto_reply_is_no_touch_and_its_classification_may_arrive_first():
    msg = event("gmail_message", at=T0, mailbox="ops@appraisals.example", message_id="m1", thread_id="th1",
                from_header="Pat <p1@lender.example>")
    state = TenantState("t1")
    apply(state, "contacts", "contact", contact())
    apply(state, "gmail.messages", "mail_classified", recorded(msg, ["out_of_office"]))
    apply(state, "gmail.messages", "gmail_message", msg)
    assert state.clocks["p1"]["last_touch_at"] is None
    assert state.messages["m1"]["labels"] == '["out_of_office"]'


def test_a_touch_before_the_contact_is_known_counts_once_it_is():
    state = TenantState("t1")
    apply(state, "touches", "touch", touch(contact_id=None, contact_email="p1@lender.example", at=T0))
    apply(state, "contacts", "contact", contact())
    assert state.clocks["p1"]["last_touch_at"] == T0


def test_a_contact_moving_clients_moves_in_the_rollup():
    state = project(client("c1"), client("c2"), contact(client_id="c1", at=T0), touch(at=T0))
    assert engagement.account_rollup(state, T0 + DAY)["c1"].contacts == 1
    apply(state, "contacts", "contact", contact(client_id="c2", at=T0 + DAY))
    rollup = engagement.account_rollup(state, T0 + 2 * DAY)
    assert "c1" not in rollup and rollup["c2"].compliant == 1
    assert state.clocks["p1"]["last_touch_at"] == T0


def test_compliance_rate_is_the_share_touched_within_21_days():
    state = project(contact("p1"), contact("p2"), contact("p3"), contact("p4"),
                    touch("p1", at=T0), touch("p2", at=T0 - 10 * DAY), touch("p3", at=T0 - 30 * DAY))
    stats = engagement.tenant_stats(state, T0 + DAY)
    assert (stats.contacts, stats.overdue, stats.never_touched) == (4, 1, 1)
    assert stats.compliance_rate == 0.5


def test_priority_puts_overdue_first_then_never_touched_then_due_soon():
    S = engagement.ClockStatus
    kw = dict(revenue_band="A", open_deals_and_bids=3, recent_orders=10)
    overdue = engagement.priority(S(engagement.OVERDUE, 1, None), revenue_band="D", open_deals_and_bids=0, recent_orders=0)
    never = engagement.priority(S(engagement.NEVER, 0, None), **kw)
    soon = engagement.priority(S(engagement.DUE_SOON, 0, 1), **kw)
    assert overdue > never - 45 and never > soon
    assert engagement.priority(S(engagement.OVERDUE, 10, None), **kw) > engagement.priority(S(engagement.OVERDUE, 2, None), **kw)


def test_priority_weighs_band_deals_and_recent_orders():
    S = engagement.ClockStatus(engagement.OVERDUE, 5, None)
    base = engagement.priority(S, revenue_band="C", open_deals_and_bids=0, recent_orders=0)
    assert engagement.priority(S, revenue_band="A", open_deals_and_bids=0, recent_orders=0) == base + 14
    assert engagement.priority(S, revenue_band="C", open_deals_and_bids=9, recent_orders=0) == base + 15
    assert engagement.priority(S, revenue_band="C", open_deals_and_bids=0, recent_orders=50) == base + 10


def test_an_opted_out_contact_is_suppressed_and_left_out_of_compliance():
    state = project(contact("p1"), contact("p2", opted_out=True))
    assert "p2@lender.example" in state.suppression
    assert engagement.tenant_stats(state, T0).contacts == 1


def test_a_touch_by_contact_id_before_the_contact_arrives_is_kept():
    state = TenantState("t1")
    apply(state, "touches", "touch", touch("p1", at=T0))
    apply(state, "contacts", "contact", contact())
    assert state.clocks["p1"]["last_touch_at"] == T0


def test_the_fast_tick_path_agrees_with_the_documented_priority():
    # emitters score with status_weight + client_weight; they must equal priority() for every status.
    clocks = [None, {"next_touch_due": T0 + 10 * DAY}, {"next_touch_due": T0 + DAY}, {"next_touch_due": T0 - 3 * DAY},
              {"next_touch_due": T0 - 90 * DAY}, {"next_touch_due": T0}]
    for clock in clocks:
        status = engagement.status_as_of(clock or {}, T0)
        assert engagement.status_name(clock, T0) == status.status
        kw = dict(revenue_band="B", open_deals_and_bids=2, recent_orders=4)
        assert engagement.status_weight(clock, T0) + engagement.client_weight(**kw) == engagement.priority(status, **kw)


def test_the_clock_carries_its_contacts_name_and_address_and_follows_a_rename():
    # The console searches and orders contacts from the clocks alone (no join over every match).
    state = project(contact("p1", name="Pat Lee", at=T0), touch("p1", at=T0 + DAY),
                    contact("p1", email="pat.lee@lender.example", name="Patricia Lee", at=T0 + 2 * DAY))
    clock = state.clocks["p1"]
    assert (clock["name"], clock["email"], clock["last_touch_at"]) == ("Patricia Lee", "pat.lee@lender.example", T0 + DAY)


def test_compliant_from_is_the_first_due_time_status_name_calls_compliant():
    # The tick's hot loops test `due >= compliant_from(as_of)` instead of calling status_name.
    from revloop.processors.engagement import COMPLIANT, DAY_MS, compliant_from, status_name

    as_of = 1_790_000_000_123
    edge = compliant_from(as_of)
    dues = [edge + d for d in (-DAY_MS, -1, 0, 1, DAY_MS)] + list(range(as_of - 3 * DAY_MS, as_of + 30 * DAY_MS, 997_777))
    for due in dues:
        assert (due >= edge) == (status_name({"next_touch_due": due}, as_of) == COMPLIANT), due
    assert status_name({"next_touch_due": edge - 1}, as_of) != COMPLIANT


def test_the_ticks_inline_contact_loop_agrees_with_status_weight_and_recently_acted():
    # emitters.engagement_proposals tests each of 100k contacts inline: it must skip exactly
    # the contacts recently_acted names and rank by client_weight + status_weight.
    from revloop.processors import emitters

    as_of = T0 + 400 * DAY
    lasts = [None, 380, 379, 378, 377, 360, 300, 100]          # days: due soon .. overdue by months
    events = [client("c1", revenue_band="A", at=T0), client("c2", at=T0)]
    for i, last in enumerate(lasts * 4):
        events.append(contact(f"p{i}", client_id=f"c{1 + i % 2}", at=T0))
        if last is not None:
            events.append(touch(f"p{i}", at=T0 + last * DAY + i * 3_600_000))
    state = project(*events)
    state.last_approved[("engagement", "p1")] = as_of - emitters.EMAIL_COOLDOWN_MS + 1        # within the week
    state.last_approved[("engagement", "p2")] = as_of - emitters.EMAIL_COOLDOWN_MS            # a week ago: due again
    state.last_blocked[("engagement", "p3")] = as_of - emitters.BLOCK_COOLDOWN_MS + 1
    state.last_blocked[("engagement", "p4")] = as_of - emitters.BLOCK_COOLDOWN_MS
    state.send_waits[("engagement", "p5")] = (as_of + 1, "sending_window")
    state.send_waits[("engagement", "p6")] = (as_of, "sending_window")
    got = {p.target_id: p.priority for p in emitters.engagement_proposals(state, {"as_of": as_of})}

    pipeline = emitters.open_pipeline_by_client(state)
    recent = emitters.recent_orders_by_client(state, as_of)
    want = {}
    for contact_id, c in state.contacts.items():
        clock = state.clocks.get(contact_id)
        if engagement.status_name(clock, as_of) == engagement.COMPLIANT \
                or emitters.recently_acted(state, "engagement", contact_id, as_of, emitters.EMAIL_COOLDOWN_MS):
            continue
        band = state.clients[c["client_id"]].get("revenue_band")
        want[contact_id] = engagement.status_weight(clock, as_of) + engagement.client_weight(
            revenue_band=band, open_deals_and_bids=pipeline.get(c["client_id"], 0),
            recent_orders=recent.get(c["client_id"], 0))
    assert got == want
    assert {"p1", "p3", "p5"}.isdisjoint(got) and {"p2", "p4", "p6"} <= set(got)
    assert {engagement.status_name(state.clocks.get(c), as_of) for c in got} == {
        engagement.NEVER, engagement.DUE_SOON, engagement.OVERDUE}


# A contact found in mail ("email:...") before the person's recorded contact arrives: the same person.
FOUND = contact("email:ana@lender.example", email="ana@lender.example", source="gmail_header", at=T0 - 30 * DAY)
RECORDED = contact("p1", email="ana@lender.example", client_id="c1", at=T0 - 20 * DAY)
OTHER = contact("p2", at=T0 - 20 * DAY)


def test_a_contact_found_in_mail_stands_aside_once_a_recorded_one_shares_its_address():
    mail_first, record_first = project(FOUND, RECORDED, OTHER), project(RECORDED, OTHER)
    assert engagement.stands_aside(mail_first, FOUND["contact_id"], mail_first.contacts[FOUND["contact_id"]])
    assert not engagement.stands_aside(mail_first, "p1", mail_first.contacts["p1"])
    # counted once, whichever was read first
    assert engagement.tenant_stats(mail_first, T0) == engagement.tenant_stats(record_first, T0)
    assert engagement.tenant_stats(mail_first, T0).contacts == 2


def test_a_contact_found_in_mail_alone_speaks_for_its_address():
    state = project(FOUND, OTHER)
    assert not engagement.stands_aside(state, FOUND["contact_id"], state.contacts[FOUND["contact_id"]])
    assert engagement.tenant_stats(state, T0).contacts == 2


def test_the_engagement_engine_proposes_the_person_once_whichever_was_read_first():
    from revloop.processors.emitters import engagement_proposals

    tick = {"tenant_id": "t1", "tick_id": "t1:x", "as_of": T0}
    targets = lambda state: sorted(p.target_id for p in engagement_proposals(state, tick))  # noqa: E731
    assert targets(project(FOUND, RECORDED, OTHER)) == targets(project(RECORDED, OTHER)) == ["p1", "p2"]

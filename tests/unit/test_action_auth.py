"""Decisions carry an HMAC tag the executors verify (revloop.connectors.action_auth)."""
from __future__ import annotations

import pytest

from revloop.connectors import action_auth
from revloop.processors.actions import Proposal, decided_event
from revloop.schemas.codec import Codec
from revloop.streams.config import Settings
from tests.support.events import T0

KEY = b"k" * 32


def decision(**over) -> dict:
    p = Proposal("send_email", "engagement.overdue", "contact", "p1", "overdue", recipient="pat@lender.example",
                 template="check_in_overdue", payload={"contact_name": "Pat"})
    return {**decided_event("acme", {"tick_id": "acme:t", "as_of": T0}, p, "approved", None, None), **over}


def test_a_signed_decision_verifies_and_survives_the_wire():
    signed = action_auth.sign(KEY, decision())
    codec = Codec()
    _, back = codec.decode(codec.encode("action_decided", signed))
    assert action_auth.refusal(KEY, back) is None


@pytest.mark.parametrize("field,value", [("recipient", "attacker@evil.example"), ("tenant_id", "other"),
                                         ("payload_json", '{"subject":"x"}'), ("kind", "create_task"),
                                         ("decision", "blocked"), ("action_id", "another")])
def test_changing_any_field_of_a_signed_decision_breaks_its_tag(field, value):
    forged = {**action_auth.sign(KEY, decision()), field: value}
    assert "does not match" in action_auth.refusal(KEY, forged)


def test_an_untagged_or_foreign_keyed_decision_is_refused():
    assert "carries no tag" in action_auth.refusal(KEY, decision())
    assert "does not match" in action_auth.refusal(KEY, action_auth.sign(b"x" * 32, decision()))
    assert "unknown tag format" in action_auth.refusal(KEY, decision(auth_tag="deadbeef"))


def test_the_tag_is_deterministic_so_a_replay_stays_byte_identical():
    assert action_auth.sign(KEY, decision()) == action_auth.sign(KEY, decision())


def test_a_short_key_is_refused_and_the_key_never_shows_in_settings():
    with pytest.raises(action_auth.ActionKeyError):
        action_auth.action_key("short")
    settings = Settings.from_env({"REVLOOP_ACTION_KEY": "a-secret-action-key-value"})
    assert settings.action_key == b"a-secret-action-key-value"
    assert "a-secret-action-key-value" not in repr(settings)

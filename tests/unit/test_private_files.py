"""Files at rest with addresses, tokens or positions are created 0600 (and tightened if found open)."""
from __future__ import annotations

import json
import os
import stat

import pytest

from revloop.connectors.gmail_checkpoint import GmailCheckpointStore
from revloop.connectors.secrets import SecretStore, SecretStoreError
from revloop.connectors.sent_log import SENT, SentLog
from tests.support.outage_services import tally_attack


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_attack_read_the_sent_log_as_another_user_finds_it_0600(tmp_path):
    old = os.umask(0o022)                        # a permissive umask, as the issue found it
    try:
        log = SentLog(tmp_path / "var" / "sent.sqlite")
        log.record("a1", tenant_id="acme", recipient="pat@lender.example", status=SENT, at_ms=1)
    finally:
        os.umask(old)
    assert mode(tmp_path / "var" / "sent.sqlite") == 0o600
    wal = tmp_path / "var" / "sent.sqlite-wal"
    assert not wal.exists() or mode(wal) == 0o600          # SQLite gives its WAL the database's mode
    tally_attack("read the sent log (addresses) as another user", tried=1, refused=1, written=0)


def test_a_sent_log_found_world_readable_is_tightened(tmp_path):
    path = tmp_path / "sent.sqlite"
    SentLog(path)
    os.chmod(path, 0o644)
    SentLog(path)
    assert mode(path) == 0o600


def test_gmail_checkpoints_are_0600(tmp_path):
    old = os.umask(0o022)
    try:
        store = GmailCheckpointStore(tmp_path / "gmail")
    finally:
        os.umask(old)
    assert mode(store.path) == 0o600


def test_a_secrets_file_others_can_read_is_refused_at_start(tmp_path):
    path = tmp_path / "secrets.json"
    path.write_text(json.dumps({"acme": {"gmail": {"token": "tok-value"}}}))
    os.chmod(path, 0o644)
    with pytest.raises(SecretStoreError, match="group or others can read it") as err:
        SecretStore(environ={"REVLOOP_SECRETS_FILE": str(path)}).check()
    assert "tok-value" not in str(err.value)
    os.chmod(path, 0o600)
    SecretStore(environ={"REVLOOP_SECRETS_FILE": str(path)}).check()

"""Import is robust, and one tenant-id grammar holds at the edge.

Attacks: a deeply nested JSON line (once a RecursionError traceback that lost the valid line
before it and never read the lines after); invalid UTF-8 (once silently replaced with U+FFFD);
look-alike tenant ids (`ACME_X`, `" acme"`, once tenants apart, sharing one secret name).
"""
from __future__ import annotations

import time

import pytest

from revloop.schemas.codec import Codec
from revloop.schemas.jsonl import to_line
from revloop.streams.kafka_io import read_topic
from tests.support.events import event, touch
from tests.support.outage_services import tally_attack
from tests.support.projections import produce_events

pytestmark = pytest.mark.integration
CODEC = Codec()


def on_topic(settings, topic):
    return [CODEC.decode(m.value())[1] for m in read_topic(settings, settings.topic(topic))]


def test_attack_a_deeply_nested_or_undecodable_line_is_reported_and_the_lines_around_it_still_import(kafka, cli,
                                                                                                     tmp_path):
    good = [touch(f"p{i}", tenant="acme", event_id=f"good-{i}") for i in range(3)]
    nested = '{"type": "touch", "note": ' + "[" * 200_000 + "]" * 200_000 + "}"
    bad_utf8 = to_line("touch", touch("p9", tenant="acme", event_id="bad-utf8")).encode().replace(b"p9", b"p\xff9")
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"\n".join([to_line("touch", good[0]).encode(), nested.encode(),
                                 to_line("touch", good[1]).encode(), bad_utf8,
                                 to_line("touch", good[2]).encode()]) + b"\n")

    proc = cli(kafka, "import", str(path))

    assert proc.returncode == 1
    assert f"{path}:2: JSON nested too deeply" in proc.stderr
    assert f"{path}:4: not valid UTF-8" in proc.stderr
    assert "imported 3 event(s), rejected 2 line(s) (line(s) 1, 3, 5)" in proc.stderr
    assert "Traceback" not in proc.stderr and "still in queue" not in proc.stderr
    stored = sorted(e["event_id"] for e in on_topic(kafka, "touches"))
    assert stored == ["good-0", "good-1", "good-2"]
    assert not any("\ufffd" in e["contact_id"] for e in on_topic(kafka, "touches"))
    tally_attack("import a deeply nested / invalid UTF-8 line", tried=2, refused=2, written=len(stored) - 3)


def test_attack_lookalike_tenant_ids_are_refused_at_import_never_rewritten(kafka, cli, tmp_path):
    tenants = ["acme-x", "acme.x", "ACME_X", " acme", "acme ", "Acme", "acme/x", "-acme", "a" * 64]
    path = tmp_path / "tenants.jsonl"
    path.write_text("".join(to_line("touch", touch("p1", tenant=t, event_id=f"t-{i}")) + "\n"
                            for i, t in enumerate(tenants)))
    proc = cli(kafka, "import", str(path))
    assert proc.returncode == 1
    refused = [l for l in proc.stderr.splitlines() if "does not match" in l]
    assert len(refused) == len(tenants) - 2, proc.stderr
    assert sorted(e["tenant_id"] for e in on_topic(kafka, "touches")) == ["acme-x", "acme.x"]   # as written
    tally_attack("import a look-alike / non-conforming tenant id", tried=len(tenants) - 2, refused=len(refused),
                 written=len(on_topic(kafka, "touches")) - 2)


def test_tenants_check_reports_nonconforming_ids_already_on_the_log(kafka, cli):
    at = int(time.time() * 1000) - 60_000
    produce_events(kafka, [("touch", touch("p1", tenant="Old Tenant", at=at)),
                           ("touch", touch("p1", tenant="acme", at=at)),
                           ("control", event("control", tenant="*", at=at, kill_switch=False))])
    proc = cli(kafka, "tenants", "check")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == ["'Old Tenant'\ttouches\t1 event(s)"]
    assert "1 tenant id(s) on the log do not match" in proc.stderr


def test_tenants_grant_reader_makes_a_select_only_role_whose_password_is_only_in_a_0600_file(cli, kafka, tmp_path):
    import os
    import stat
    import uuid

    import psycopg

    from revloop.projections.pg_tenants import drop_reader, tenant_connection

    owner, admin = os.environ["DATABASE_URL"], os.environ["DATABASE_URL_ADMIN"]
    tenant = f"cli-{uuid.uuid4().hex[:8]}"
    secret = tmp_path / "reader.pw"
    proc = cli(kafka, "tenants", "grant-reader", tenant, "--password-file", str(secret), "--store", owner,
               "--admin-url", admin)
    try:
        assert proc.returncode == 0, proc.stderr
        password = secret.read_text().strip()
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600
        assert password not in proc.stdout + proc.stderr
        with tenant_connection(owner, tenant, password=password) as conn:
            assert conn.execute("SELECT current_user").fetchone()[0] == proc.stdout.strip()
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("INSERT INTO clients (tenant_id, client_id) VALUES (%s, 'x')", [tenant])
        refused = cli(kafka, "tenants", "grant-reader", "ACME", "--password-file", str(tmp_path / "x"),
                      "--store", owner, "--admin-url", admin)
        assert refused.returncode == 2 and "does not match" in refused.stderr
    finally:
        drop_reader(owner, admin, tenant)

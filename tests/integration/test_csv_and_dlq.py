"""Data in and out the way people have it: a CRM's CSV export imported through a mapping file,
validated line by line like JSON Lines; dead letters listed, shown and re-driven once."""
from __future__ import annotations

import json

import pytest

from revloop.schemas.codec import Codec
from revloop.streams.dead_letter import RecordCoordinates, route_to_dead_letter
from revloop.streams.kafka_io import producer, read_topic
from tests.support.broker import run_cli
from tests.support.events import contact

pytestmark = pytest.mark.integration

CSV = (
    "Contact ID,Email,Full Name,Account ID,Opted Out,Last Modified\n"
    "c-1,pat@lender.example,Pat Lee,acct-9,no,2026-11-20T10:00:00Z\n"
    "c-2,sam@lender.example,Sam Roe,acct-9,yes,1764000000000\n"
    "c-3,kim@lender.example,Kim Poe,acct-9,no,last Tuesday\n"
    "c-4,ann@lender.example,Ann Day,acct-9,maybe,2026-11-20T10:00:00Z\n"
    ",lou@lender.example,Lou Ray,acct-9,no,2026-11-20T10:00:00Z\n"
    "c-6,max@lender.example,Max Fox,acct-9,no,1764000000\n"
)
MAPPING = {"type": "contact",
           "columns": {"contact_id": "Contact ID", "email": "Email", "name": "Full Name", "client_id": "Account ID",
                       "opted_out": "Opted Out", "occurred_at": "Last Modified"},
           "values": {"tenant_id": "acme", "source": "crm"},
           "event_id": "crm-contact-{contact_id}"}


def contacts_on_log(kafka) -> list[dict]:
    codec = Codec()
    return [codec.decode(m.value())[1] for m in read_topic(kafka, kafka.topic("contacts"))]


def test_a_crm_csv_export_imports_through_a_mapping_line_by_line(kafka, tmp_path):
    (tmp_path / "contacts.csv").write_text(CSV)
    (tmp_path / "map.json").write_text(json.dumps(MAPPING))
    proc = run_cli(kafka, "import", str(tmp_path / "contacts.csv"), "--mapping", str(tmp_path / "map.json"), "--json")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    rejected = {r["line"]: r["reason"] for r in report["rejected"]}
    assert report["produced"] == 2 and set(rejected) == {4, 5, 6, 7}
    assert rejected[4].startswith("contact: occurred_at: ")
    assert rejected[5] == 'contact: opted_out: want true or false; got "maybe"'
    assert "event_id template needs 'contact_id'" in rejected[6]
    assert "looks like epoch seconds" in rejected[7]
    got = sorted(contacts_on_log(kafka), key=lambda c: c["contact_id"])
    assert [(c["event_id"], c["contact_id"], c["name"], c["opted_out"], c["source"]) for c in got] == [
        ("crm-contact-c-1", "c-1", "Pat Lee", False, "crm"), ("crm-contact-c-2", "c-2", "Sam Roe", True, "crm")]
    assert got[1]["occurred_at"] == 1764000000000


def test_a_mapping_that_does_not_fit_the_file_is_one_line_and_exit_65(kafka, tmp_path):
    (tmp_path / "contacts.csv").write_text(CSV)
    (tmp_path / "bad.json").write_text(json.dumps(dict(MAPPING, columns={"contact_id": "ID"})))
    proc = run_cli(kafka, "import", str(tmp_path / "contacts.csv"), "--mapping", str(tmp_path / "bad.json"))
    assert proc.returncode == 65
    assert "column(s) ['ID'] not in the header" in proc.stderr.strip().splitlines()[-1]
    (tmp_path / "bad.json").write_text(json.dumps(dict(MAPPING, columns={"phone_number": "Email"})))
    proc = run_cli(kafka, "import", str(tmp_path / "contacts.csv"), "--mapping", str(tmp_path / "bad.json"))
    assert proc.returncode == 65 and "contact has no field 'phone_number'" in proc.stderr
    proc = run_cli(kafka, "import", str(tmp_path / "contacts.csv"))
    assert proc.returncode == 2 and "needs --mapping" in proc.stderr


def test_dead_letters_are_listed_shown_and_redriven_once(kafka, tmp_path):
    codec = Codec()
    good = contact("p9", tenant="acme")
    original = codec.encode("contact", good)
    p = producer(kafka)
    # As the worker routes a record it could not use (the same function): here, a contact
    # whose client the worker could not resolve at the time, say.
    route_to_dead_letter(p, codec, kafka, RecordCoordinates("contacts", 1, 41, 1_790_000_000_000), b"acme", original,
                         ValueError("client c1 unknown at the time"))
    route_to_dead_letter(p, codec, kafka, RecordCoordinates("orders", 0, 7, 1_790_000_000_000), b"acme", b"\x00junk",
                         ValueError("not Avro"))
    assert p.flush(30) == 0

    listed = run_cli(kafka, "dlq", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    letters = json.loads(listed.stdout)
    assert [(d["source"], d["redriven"]) for d in letters] == [("contacts[1]@41", False), ("orders[0]@7", False)]
    contact_id = letters[0]["id"]

    shown = run_cli(kafka, "dlq", "show", contact_id, "--json")
    assert json.loads(shown.stdout)["value_decoded"]["contact_id"] == "p9"

    first = run_cli(kafka, "dlq", "redrive", contact_id)
    assert first.returncode == 0 and f"{contact_id}: re-driven to contacts" in first.stdout
    again = run_cli(kafka, "dlq", "redrive", contact_id)
    assert f"{contact_id}: already re-driven: not sent again" in again.stdout
    on_log = [m for m in read_topic(kafka, kafka.topic("contacts"))]
    assert len(on_log) == 1 and on_log[0].value() == original and on_log[0].key() == b"acme"
    assert dict(on_log[0].headers())["revloop-redrive-of"] == b"dlq:contacts:1:41"
    after = json.loads(run_cli(kafka, "dlq", "list", "--json").stdout)
    assert [d["redriven"] for d in after] == [True, False]
    unknown = run_cli(kafka, "dlq", "show", "9:999")
    assert unknown.returncode == 2 and "no dead letter 9:999" in unknown.stderr

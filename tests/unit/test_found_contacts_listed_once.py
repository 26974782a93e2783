"""A person found in mail before their contact record arrived ("email:..." sharing a recorded
contact's address) is one person: the run's counts already count them once
(engagement.stands_aside); the console's contact pages, its search and v_overdue_contacts
list them once too, as the recorded contact. A contact found in mail with an address of its
own is still listed."""
from __future__ import annotations

import pytest

from revloop.console import queries
from revloop.projections.reader import DuckDBReader
from revloop.projections.store import open_store
from tests.support.console_fixtures import found_in_mail, write_books
from tests.support.cycle_harness import Harness
from tests.support.events import DAY, T0, client, contact

SHARED, SOLO = "email:p005@acme.example", "email:solo@acme.example"


@pytest.fixture
def reader(tmp_path):
    path = str(tmp_path / "p.duckdb")
    with open_store(f"duckdb:{path}") as store:
        store.ensure_schema()
        write_books(store, {"acme": "ACME", "keystone": "KEYSTONE"})
        write_books(store, {"acme": "ACME"}, rows_of=found_in_mail)
    r = DuckDBReader(path)
    yield r
    r.close()


def walk(reader, t="acme") -> list[str]:
    out, page, after = [], 0, None
    while True:
        data = queries.contacts(reader, t, page=page, after=after)
        assert [r["contact_id"] for r in data["rows"]] == \
            [r["contact_id"] for r in queries.contacts(reader, t, page=page)["rows"]]
        out += [r["contact_id"] for r in data["rows"]]
        if not data["next_after"]:
            return out
        page, after = page + 1, data["next_after"]


def test_the_contact_pages_list_a_person_found_in_mail_once(reader):
    walked = walk(reader)
    assert SHARED not in walked and "c005" in walked and SOLO in walked
    assert len(walked) == len(set(walked)) == 131


def test_a_search_finds_the_recorded_contact_not_its_double(reader):
    by_address = queries.contacts(reader, "acme", search="p005@")
    assert [r["contact_id"] for r in by_address["rows"]] == ["c005"] and by_address["counts"]["total"] == 1
    assert [r["contact_id"] for r in queries.contacts(reader, "acme", search="solo@")["rows"]] == [SOLO]


def test_the_overdue_view_lists_the_projectors_rows_once(tmp_path):
    """Through the real projector: the found contact's clock row carries the address the view matches on."""
    h = Harness()
    h.feed("client", client("c1", at=T0 - 60 * DAY))
    h.feed("contact", contact("email:ana@lender.example", email="Ana@Lender.example", source="gmail_header",
                              at=T0 - 30 * DAY))
    h.feed("contact", contact("p1", email="ana@lender.example", client_id="c1", at=T0 - 20 * DAY))
    h.feed("contact", contact("email:bo@broker.example", email="bo@broker.example", source="gmail_header",
                              at=T0 - 20 * DAY))
    h.tick(T0)
    with open_store(f"duckdb:{tmp_path / 'v.duckdb'}") as store:
        store.ensure_schema()
        store.write_batch(*h.pipeline.take_changes())
        rows = store._con.execute("SELECT contact_id FROM v_overdue_contacts ORDER BY contact_id").fetchall()
        clocks = store._con.execute("SELECT count(*) FROM engagement_clocks").fetchone()[0]
    assert clocks == 3                                   # the row stays: the found contact is an event
    assert [r[0] for r in rows] == ["email:bo@broker.example", "p1"]


def test_the_two_sql_forms_of_the_rule_pick_the_same_contacts(tmp_path):
    """views.standing_aside (the view's correlated form) and views.standing_aside_ids (the console's
    id list, a range on the key) are one rule written twice: on the edge cases they pick the same
    contacts. Edges: an id that starts with "email" but not "email:", two recorded contacts sharing
    the address, another tenant's recorded contact, a found contact without an address."""
    from revloop.projections import views
    from tests.support.console_fixtures import row

    last = dict(last_event_id="e", last_event_at=T0)
    people = {"acme": [("email:a@x.example", "a@x.example"), ("c1", "a@x.example"), ("c2", "a@x.example"),
                       ("email:b@x.example", "b@x.example"), ("emailer-7", "b@x.example"),
                       ("email:c@x.example", "c@x.example"), ("email:none", None), ("c3", None),
                       ("email:d@x.example", "d@x.example"), ("email:e@x.example", "e@x.example")],
              "keystone": [("k1", "c@x.example"), ("email:e@x.example", "e@x.example"), ("k2", "e@x.example")]}
    path = str(tmp_path / "rule.duckdb")
    with open_store(f"duckdb:{path}") as store:
        store.ensure_schema()
        store.write_batch({"contacts": [row("contacts", tenant_id=t, contact_id=cid, email=email, opted_out=False, **last)
                                        for t, rows in people.items() for cid, email in rows]}, {})
    r = DuckDBReader(path)
    try:
        for t, expected in (("acme", {"email:a@x.example", "email:b@x.example"}), ("keystone", {"email:e@x.example"})):
            correlated = {x["contact_id"] for x in r.fetch(
                t, f'SELECT c."contact_id" FROM "contacts" c WHERE c."tenant_id" = ? AND {views.standing_aside("c")}', (t,))}
            listed = {x["contact_id"] for x in r.fetch(t, views.standing_aside_ids(), (t,))}
            assert correlated == listed == expected
    finally:
        r.close()

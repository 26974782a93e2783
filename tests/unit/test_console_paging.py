"""Paging over a book bigger than a page: the contacts' "next"/"previous" links (keyset) walk the
whole book once in its order and agree with the offset pages; the engines' tables show what
needs attention first, a page at a time, with counts of the whole table."""
from __future__ import annotations

import re

import pytest
import pytest_asyncio

from revloop.console import queries
from revloop.projections.reader import DuckDBReader
from revloop.projections.store import open_store
from tests.support.console_fixtures import console_app, paging_book, write_books
from tests.unit.test_console_http import signed_in

BOOKS = {"acme": "ACME", "keystone": "KEYSTONE"}
pytestmark = pytest.mark.asyncio


@pytest.fixture
def store_path(tmp_path):
    path = str(tmp_path / "p.duckdb")
    with open_store(f"duckdb:{path}") as store:
        store.ensure_schema()
        write_books(store, BOOKS)
    return path


@pytest_asyncio.fixture
async def client(aiohttp_client, tmp_path, store_path):
    return await aiohttp_client(console_app(tmp_path))


def expected_order() -> list[str]:
    """The book's order computed here, from the rows: never touched (by id), then by due, then id."""
    clocks = paging_book("acme", "ACME")["engagement_clocks"]
    return [c["contact_id"] for c in sorted(clocks, key=lambda c: (c["next_touch_due"] is not None,
                                                                    c["next_touch_due"] or 0, c["contact_id"]))]


def ids(page: str) -> list[str]:
    return ["c" + n for n in re.findall(r"<td>ACME Person (\d{3})", page)]


def link(page: str, link_id: str) -> str | None:
    m = re.search(r'<a href="([^"]+)" id="' + link_id + '"', page)
    return m.group(1).replace("&amp;", "&") if m else None


async def test_next_links_walk_the_whole_book_once_in_order_and_previous_walks_back(client):
    await signed_in(client, "ana")
    url, pages = "/t/acme/contacts", []
    while url:
        r = await client.get(url)
        page = await r.text()
        assert r.status == 200 and "KEYSTONE" not in page
        pages.append(ids(page))
        nxt = link(page, "next-page")
        url = "/t/acme/contacts" + nxt if nxt else None
    assert [len(p) for p in pages] == [50, 50, 30]
    assert [c for p in pages for c in p] == expected_order()
    # 60 never touched: page 2 starts with the last 10 of them, then the most overdue.
    assert pages[1][:10] == [f"c{i:03}" for i in range(50, 60)]
    back, seen = page, []
    while (prev := link(back, "prev-page")):
        back = await (await client.get("/t/acme/contacts" + prev)).text()
        seen.append(ids(back))
    assert seen == pages[-2::-1]


async def test_a_keyset_page_is_the_offset_page_of_the_same_number(store_path):
    reader = DuckDBReader(store_path)
    try:
        first = queries.contacts(reader, "acme")
        second = queries.contacts(reader, "acme", page=1, after=first["next_after"])
        assert [r["contact_id"] for r in second["rows"]] == \
            [r["contact_id"] for r in queries.contacts(reader, "acme", page=1)["rows"]]
        third = queries.contacts(reader, "acme", page=2, after=second["next_after"])
        assert [r["contact_id"] for r in third["rows"]] == expected_order()[100:]
        assert third["next_after"] is None                       # the last page has no "next"
        before = queries.contacts(reader, "acme", page=1, before=third["prev_before"])
        assert before["rows"] == second["rows"]
    finally:
        reader.close()


@pytest.mark.parametrize("cursor", ["nonsense", "12x_c001", "_c001", "99999999999999999999999_c1"])
async def test_a_cursor_this_console_did_not_write_is_a_clear_400(client, cursor):
    await signed_in(client, "ana")
    r = await client.get("/t/acme/contacts", params={"after": cursor})
    assert r.status == 400 and "after/before" in await r.text()


async def test_search_counts_every_match_and_pages_them(client):
    await signed_in(client, "ana")
    page = await (await client.get("/t/acme/contacts", params={"q": "person 1"})).text()
    # "Person 1xx": c100..c129, all touched; the due dates make all of them overdue.
    assert "<b>30</b> overdue, <b>0</b> never touched" in page
    assert "30 contacts matching" in page and ids(page) == [c for c in expected_order() if c >= "c100"]
    page = await (await client.get("/t/acme/contacts", params={"q": "p05"})).text()
    assert "10 contacts matching" in page and "<b>10</b> never touched" in page
    assert ids(page) == [f"c{i:03}" for i in range(50, 60)] and link(page, "next-page") is None


async def test_engines_show_what_needs_attention_first_a_page_at_a_time(client):
    await signed_in(client, "ana")
    page = await (await client.get("/t/acme/engines")).text()
    assert "KEYSTONE" not in page
    deals = re.findall(r"<td>ACME deal (\d{3})</td>", page)
    assert len(deals) == 25 and {int(d) for d in deals[:10]} == set(range(20, 30))      # stalled first
    assert all(int(d) >= 20 for d in deals)                                             # open before closed
    assert re.search(r'id="deals-pager">1–25 of <b>60</b> deals, 40 open, 10 stalled', page)
    assert re.search(r'id="bids-pager">1–25 of <b>30</b> bids, 20 open', page)
    assert re.search(r'id="cases-pager">1–25 of <b>30</b> service-recovery cases, 12 open', page)
    assert re.search(r'id="vendor-pager">1–25 of <b>30</b> vendors, 10 not compliant', page)
    assert "v-old" not in page                                        # only this quarter
    nxt = link(page, "deals-next")
    assert nxt and link(page, "deals-prev") is None
    page2 = await (await client.get("/t/acme/engines" + nxt)).text()
    more = re.findall(r"<td>ACME deal (\d{3})</td>", page2)
    assert len(more) == 25 and not set(more) & set(deals)
    assert re.search(r'id="deals-pager">26–50 of <b>60</b>', page2)
    page3 = await (await client.get("/t/acme/engines" + link(page2, "deals-next"))).text()
    last = re.findall(r"<td>ACME deal (\d{3})</td>", page3)
    assert sorted(deals + more + last) == [f"{i:03}" for i in range(60)]
    assert link(page3, "deals-next") is None and link(page3, "deals-prev")
    # Another table's pager keeps the deals' page.
    bids_next = link(page3, "bids-next")
    assert "deals=2" in bids_next and "bids=1" in bids_next


async def test_an_engine_page_that_is_not_a_number_is_a_clear_400(client):
    await signed_in(client, "ana")
    r = await client.get("/t/acme/engines", params={"bids": "two"})
    assert r.status == 400 and "bids: want a whole number" in await r.text()

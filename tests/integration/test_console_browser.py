"""The console end to end, as a person uses it: a real headless chromium (Playwright), the
real `revloop console` process, the real worker, broker and Postgres (each tenant read
through its own reader role).

Sign in, see the overview, throw the kill switch with a reason and watch it become applied,
see the next tick's actions blocked; a viewer cannot change controls; a user of tenant A
cannot open tenant B's pages. Every page is photographed into out/.
"""
from __future__ import annotations

import os
import re
import uuid

import pytest

from revloop.console.passwords import hash_password
from revloop.console.users import write_user
from revloop.projections.pg_tenants import drop_reader, provision_reader
from revloop.projections.postgres_store import PostgresStore
from tests.support.broker import wait_for
from tests.support.console_browser import ConsoleProcess, launch_browser, screenshot, sign_in
from tests.support.events import DAY, T0, client, contact, event, good_order, touch
from tests.support.projections import pg_url, produce_events
from tests.support.worker_proc import WorkerProcess

pytestmark = pytest.mark.integration
HOUR = 3_600_000
PASSWORD = "a long enough password"


def book(tenant: str) -> list[tuple[str, dict]]:
    ev = [("control", event("control", tenant=tenant, at=T0 - 10 * DAY, enabled=True, send_mode="limited_live",
                            caps={"emails": 3}, allowlist=["lender.example"])),
          ("client", client("c1", tenant=tenant, at=T0 - 10 * DAY, name=f"{tenant} Lending"))]
    for i in range(8):
        ev.append(("contact", contact(f"p{i}", tenant=tenant, client_id="c1", at=T0 - 60 * DAY, name=f"Person {i}")))
    for i in range(4):
        ev.append(("touch", touch(f"p{i}", tenant=tenant, at=T0 - (3 + 12 * i) * DAY)))
    # Total below the fee: the tick proposes a safe fix, which is a card for people.
    ev.append(("order", good_order("o2", tenant=tenant, client_id="c1", at=T0 - 2 * DAY, total_cents=10_000)))
    return ev


def tick(tenant: str, at: int) -> tuple[str, dict]:
    return "tick", event("tick", tenant=tenant, at=at, event_id=f"tick:{tenant}:{at}", tick_id=f"{tenant}:{at}",
                         as_of=at)


@pytest.fixture
def readers(tmp_path):
    """Reader roles for the test's tenants, their passwords in the console's readers folder."""
    owner, admin = pg_url(), os.environ.get("DATABASE_URL_ADMIN")
    if not admin:
        pytest.fail("DATABASE_URL_ADMIN (a CREATEROLE role) is not set: run through `make test`")
    folder, made = tmp_path / "readers", []
    folder.mkdir()
    with PostgresStore(owner) as store:        # the mapping table the roles go into
        store.ensure_schema()

    def grant(tenant: str) -> None:
        password = uuid.uuid4().hex
        provision_reader(owner, admin, tenant, password)
        made.append(tenant)
        (folder / tenant).write_text(password + "\n")
    yield folder, grant
    for tenant in made:
        drop_reader(owner, admin, tenant)


def test_a_person_signs_in_throws_the_kill_switch_and_sees_the_next_tick_blocked(kafka, tmp_path, readers):
    from playwright.sync_api import sync_playwright

    tag = kafka.topic_prefix.strip(".").lower()
    a, b = f"acme-{tag}", f"keys-{tag}"
    folder, grant = readers
    grant(a)
    grant(b)
    users = str(tmp_path / "users.json")
    cheap = hash_password(PASSWORD, log2_n=12)
    # Ana is a person of tenant A's directory (a person event): her name and role come from there;
    # the users file grants her both tenants and holds her hash, but B's directory does not know her.
    write_user(users, "ana@firm.example", role=None, tenants=[a, b], password_hash=cheap)
    write_user(users, "vic", role="viewer", tenants=[a], password_hash=cheap, name="Vic Viewer")

    ana = ("person", event("person", tenant=a, at=T0 - 10 * DAY, person_id="ana", name="Ana Operator",
                           email="ana@firm.example", roles=["operator"], accounts=[], active=True))
    produce_events(kafka, book(a) + book(b) + [ana, tick(a, T0), tick(b, T0)])
    worker = WorkerProcess(kafka, pg_url(), tmp_path / "worker.log").start()
    console = None
    try:
        worker.wait_caught_up(timeout=120)
        console = ConsoleProcess(kafka, pg_url(), tmp_path, REVLOOP_CONSOLE_USERS=users,
                                 REVLOOP_CONSOLE_READERS=str(folder),
                                 REVLOOP_CONSOLE_AUDIT=str(tmp_path / "audit.jsonl")).start()
        base = console.url
        with sync_playwright() as p:
            browser = launch_browser(p)
            page = browser.new_page(viewport={"width": 1280, "height": 900})

            # Sign in and see the overview of one's tenant.
            sign_in(page, base, "ana@firm.example", "wrong password")
            assert "Wrong user name or password" in page.inner_text("#login-message")
            sign_in(page, base, "ana@firm.example", PASSWORD)
            page.wait_for_url(f"{base}/t/{a}/")
            assert page.inner_text("h1") == a
            assert "Ana Operator" in page.inner_text("form.who") and "operator" in page.inner_text("form.who")
            assert page.locator("#chart-compliance circle").count() == 1
            assert "last hourly run" in page.inner_text("#as-of")
            assert page.inner_text("#worker-lag") == "0"            # the worker caught up before we looked
            screenshot(page, "overview")
            for name in ("backlog", "contacts", "orders", "engines", "runs", "controls", "gmail", "cards"):
                page.click(f"nav.pages a[data-page={name}]")
                page.wait_for_url(f"{base}/t/{a}/{name}")
                screenshot(page, name)
            page.goto(f"{base}/t/{a}/contacts")
            assert "never touched" in page.inner_text("#contacts")

            # A user of tenant A cannot open tenant B's pages.
            for path in ("", "contacts", "controls"):
                response = page.goto(f"{base}/t/{b}/{path}")
                assert response.status == 403
                assert "You do not have access to tenant" in page.inner_text("#error-message")
                assert f"{b} Lending" not in page.content()
            screenshot(page, "other-tenant-refused")

            # Accept the proposed order fix: pending, then applied, and the exception resolves.
            page.goto(f"{base}/t/{a}/cards")
            card = page.locator(".card-row[data-status=open]", has_text="a safe fix is proposed")
            assert "total_cents: 10000" in card.inner_text() and "total_cents: 47500" in card.inner_text()
            page.goto(f"{base}/t/{a}/orders")
            assert "PRICING_TOTAL_BELOW_FEE" in page.inner_text("#exceptions")
            page.goto(f"{base}/t/{a}/cards")
            card_id = card.get_attribute("data-card")
            card.locator("input[name=note]").fill("fee confirmed with the client")
            card.locator("button[value=accept]").click()
            page.wait_for_url(f"{base}/t/{a}/cards")
            # The answer shows at once: pending, or already applied when the worker (p50 ~0.1 s) was
            # quicker than the redirect (test_console_http checks the pending state itself).
            answered = page.locator(f'.card-row[data-card="{card_id}"]').inner_text()
            assert "accept: pending" in answered or "accept: applied" in answered, answered
            screenshot(page, "cards-pending")
            wait_for(lambda: (page.reload(), "accept: applied" in page.content())[1],
                     timeout=60, interval=1, what="the card's answer to be applied")
            accepted = page.locator(".card-row[data-status=accepted]", has_text="a safe fix is proposed").inner_text()
            assert "accepted by ana" in accepted and "fee confirmed with the client" in accepted
            screenshot(page, "cards-applied")
            wait_for(lambda: (page.goto(f"{base}/t/{a}/orders"),
                              "PRICING_TOTAL_BELOW_FEE" not in page.inner_text("#exceptions"))[1],
                     timeout=60, interval=1, what="the corrected order to resolve the exception")

            # Throw the kill switch, with a reason; pending until the worker applies it.
            page.goto(f"{base}/t/{a}/controls")
            page.click("#kill-submit")                 # no reason: the browser's own check keeps it here
            assert page.url.endswith("/controls") and not page.locator(".flash.pending").count()
            page.fill("#kill-reason", "bounces from the new list, investigating")
            page.click("#kill-submit")
            page.wait_for_url(f"{base}/t/{a}/controls")
            screenshot(page, "controls-pending")
            wait_for(lambda: (page.reload(), "ON: nothing is sent" in page.inner_text("#kill-state"))[1],
                     timeout=60, interval=1, what="the kill switch to be applied")
            history = page.inner_text("#history")
            assert "kill switch ON" in history and "bounces from the new list" in history and "ana" in history
            assert "pending" not in history
            screenshot(page, "controls-applied")

            # The next tick's actions are blocked by the kill switch.
            produce_events(kafka, [tick(a, T0 + HOUR)])
            worker.wait_caught_up(timeout=60)

            def blocked_by_kill_switch():
                page.goto(f"{base}/t/{a}/backlog")
                return "kill_switch" in page.inner_text("#blocked-policies")
            wait_for(blocked_by_kill_switch, timeout=60, interval=1, what="the next tick's blocked actions")
            rows = page.inner_text("#blocked")
            assert "kill_switch" in rows and "the kill switch is on" in rows
            screenshot(page, "backlog-blocked")
            page.goto(f"{base}/t/{a}/runs")
            latest = page.locator(".card.run").first.inner_text()
            assert re.search(r"kill_switch\s+\d+", latest)

            # A viewer sees the controls but cannot change them, even by posting the form.
            viewer = browser.new_context().new_page()
            sign_in(viewer, base, "vic", PASSWORD)
            viewer.wait_for_url(f"{base}/t/{a}/")
            viewer.goto(f"{base}/t/{a}/controls")
            assert viewer.locator("#kill-form").count() == 0 and "In force" in viewer.content()
            token = viewer.locator("form.who input[name=csrf]").get_attribute("value")
            refused = viewer.request.post(f"{base}/t/{a}/controls", form={
                "csrf": token, "what": "kill_switch", "kill_switch": "off", "reason": "viewer tries"})
            assert refused.status == 403
            screenshot(viewer, "viewer-controls")
            browser.close()
        audit = (tmp_path / "audit.jsonl").read_text()
        assert '"outcome": "refused: needs operator"' in audit and '"user": "vic"' in audit
    finally:
        if console:
            console.stop()
        worker.stop()

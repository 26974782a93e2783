"""The console over HTTP (pytest-aiohttp): sign-in, sessions, CSRF, roles, tenants, forms.

Every bad input and attack the console must survive gets a clear page or a 4xx, and
nothing is written: the recording sink stays empty.
"""
from __future__ import annotations

import json
import re

import pytest
import pytest_asyncio

from revloop.console.sessions import SESSION_COOKIE
from revloop.processors.controls import DEFAULT_CAPS
from tests.support.console_fixtures import PASSWORD, Clock, RecordingSink, console_app

pytestmark = pytest.mark.asyncio


@pytest.fixture
def sink():
    return RecordingSink()


@pytest.fixture
def clock():
    return Clock()


@pytest_asyncio.fixture
async def client(aiohttp_client, tmp_path, sink, clock):
    return await aiohttp_client(console_app(tmp_path, sink=sink, clock=clock))


def csrf_of(page: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', page)
    assert m, "no CSRF token in the page"
    return m.group(1)


async def sign_in(client, login: str, password: str = PASSWORD, next_: str = "/"):
    page = await (await client.get("/login")).text()
    return await client.post("/login", data={"login": login, "password": password, "csrf": csrf_of(page),
                                             "next": next_}, allow_redirects=False)


async def signed_in(client, login: str):
    r = await sign_in(client, login)
    assert r.status == 303, await r.text()
    return r


def audit(tmp_path) -> list[dict]:
    path = tmp_path / "audit.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


async def controls_csrf(client, tenant="acme") -> str:
    r = await client.get(f"/t/{tenant}/controls")
    assert r.status == 200
    return csrf_of(await r.text())


# ---- sign-in ----------------------------------------------------------------------------------

async def test_signing_in_lands_on_the_first_tenant_overview(client):
    r = await signed_in(client, "ana")
    assert r.headers["Location"] == "/t/acme/"
    page = await (await client.get("/t/acme/")).text()
    assert "ACME compliance low" in page and "ACME hint 2" in page
    assert "KEYSTONE" not in page
    assert 'id="chart-compliance"' in page


async def test_a_wrong_password_is_refused_and_audited(client, tmp_path):
    r = await sign_in(client, "ana", "not the password")
    assert r.status == 401
    assert "Wrong user name or password" in await r.text()
    assert SESSION_COOKIE not in r.cookies
    assert (await client.get("/t/acme/", allow_redirects=False)).status == 303   # still signed out
    assert audit(tmp_path)[-1]["outcome"] == "refused: wrong password"


async def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(client):
    r = await sign_in(client, "nobody")
    assert r.status == 401 and "Wrong user name or password" in await r.text()


async def test_sign_in_without_the_form_token_is_refused(client):
    r = await client.post("/login", data={"login": "ana", "password": PASSWORD}, allow_redirects=False)
    assert r.status == 403 and "sign-in form expired" in await r.text()


async def test_sign_in_is_rate_limited_per_login(client, tmp_path):
    for _ in range(5):
        assert (await sign_in(client, "ana", "guess")).status == 401
    r = await sign_in(client, "ana")                      # the right password, too late
    assert r.status == 429 and "Too many failed sign-ins" in await r.text()
    assert audit(tmp_path)[-1]["outcome"] == "refused: rate limit"


async def test_next_after_sign_in_stays_on_this_site(client):
    r = await sign_in(client, "ana", next_="//evil.example/steal")
    assert r.status == 303 and r.headers["Location"] == "/t/acme/"


# ---- sessions ---------------------------------------------------------------------------------

async def test_an_expired_session_sends_the_browser_to_sign_in(client, clock):
    await signed_in(client, "ana")
    clock.now += 61 * 60
    r = await client.get("/t/acme/contacts", allow_redirects=False)
    assert r.status == 303 and r.headers["Location"].startswith("/login?")
    assert "expired=1" in r.headers["Location"]
    page = await (await client.get(r.headers["Location"])).text()
    assert "Your session expired" in page


async def test_a_post_with_an_expired_session_writes_nothing(client, clock, sink):
    await signed_in(client, "ana")
    token = await controls_csrf(client)
    clock.now += 61 * 60
    r = await client.post("/t/acme/controls", data={"csrf": token, "what": "kill_switch", "kill_switch": "on",
                                                     "reason": "incident"}, allow_redirects=False)
    assert r.status == 401 and "session has expired" in await r.text()
    assert sink.events == []


async def test_a_tampered_session_cookie_is_signed_out(client):
    r = await signed_in(client, "vic")
    value = r.cookies[SESSION_COOKIE].value
    body, mac = value.split(".")
    forged = body[:-2] + ("AA" if body[-2:] != "AA" else "BB") + "." + mac   # e.g. to become ada
    client.session.cookie_jar.clear()
    r = await client.get("/t/acme/", allow_redirects=False, headers={"Cookie": f"{SESSION_COOKIE}={forged}"})
    assert r.status == 303 and r.headers["Location"].startswith("/login")
    r = await client.get("/t/acme/", allow_redirects=False, headers={"Cookie": f"{SESSION_COOKIE}={value}"})
    assert r.status == 200          # the untouched cookie still works: the forgery alone was refused


# ---- CSRF -------------------------------------------------------------------------------------

@pytest.mark.parametrize("token", [None, "", "forged-token", "A" * 43])
async def test_a_form_without_this_sessions_token_writes_nothing(client, sink, tmp_path, token):
    await signed_in(client, "ana")
    data = {"what": "kill_switch", "kill_switch": "on", "reason": "incident"}
    if token is not None:
        data["csrf"] = token
    r = await client.post("/t/acme/controls", data=data, allow_redirects=False)
    assert r.status == 403 and "security token" in await r.text()
    assert sink.events == []
    assert audit(tmp_path)[-1]["outcome"] == "refused: csrf"


async def test_a_token_from_another_session_is_refused(aiohttp_client, tmp_path, sink, clock):
    app = console_app(tmp_path, sink=sink, clock=clock)
    first, second = await aiohttp_client(app), await aiohttp_client(app)
    await signed_in(first, "ana")
    await signed_in(second, "ana")
    stolen = await controls_csrf(first)
    r = await second.post("/t/acme/controls", data={"csrf": stolen, "what": "kill_switch", "kill_switch": "on",
                                                     "reason": "incident"}, allow_redirects=False)
    assert r.status == 403 and sink.events == []


# ---- tenants and roles ------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/t/keystone/", "/t/keystone/contacts", "/t/keystone/controls", "/t/keystone/runs",
                                  "/t/keystone/orders", "/t/keystone/backlog", "/t/keystone/engines",
                                  "/t/keystone/gmail", "/t/keystone/cards"])
async def test_a_tenant_the_user_does_not_hold_is_refused(client, path):
    await signed_in(client, "ana")
    r = await client.get(path)
    page = await r.text()
    assert r.status == 403 and "You do not have access to tenant" in page
    assert "KEYSTONE" not in page


async def test_posting_to_another_tenants_controls_writes_nothing(client, sink):
    await signed_in(client, "ana")
    token = await controls_csrf(client)
    r = await client.post("/t/keystone/controls", data={"csrf": token, "what": "kill_switch", "kill_switch": "on",
                                                         "reason": "not mine"}, allow_redirects=False)
    assert r.status == 403 and sink.events == []


async def test_a_viewer_sees_controls_but_cannot_change_them(client, sink):
    await signed_in(client, "vic")
    page = await (await client.get("/t/acme/controls")).text()
    assert "Throw the kill switch" not in page and "In force" in page
    r = await client.post("/t/acme/controls", data={"csrf": csrf_of(page), "what": "kill_switch",
                                                     "kill_switch": "on", "reason": "I want to"}, allow_redirects=False)
    assert r.status == 403 and "cannot do this" in await r.text()
    assert sink.events == []


async def test_only_an_admin_sets_global_controls(client, sink):
    await signed_in(client, "ana")
    assert (await client.get("/global/controls")).status == 403
    await signed_in(client, "ada")
    token = csrf_of(await (await client.get("/global/controls")).text())
    r = await client.post("/global/controls", data={"csrf": token, "what": "kill_switch", "kill_switch": "on",
                                                      "reason": "provider incident"}, allow_redirects=False)
    assert r.status == 303
    (type_name, event), = sink.events
    assert type_name == "control" and event["tenant_id"] == "*" and event["kill_switch"] is True


# ---- controls ---------------------------------------------------------------------------------

async def test_throwing_the_kill_switch_writes_one_control_event_and_shows_it_pending(client, sink, tmp_path):
    await signed_in(client, "ana")
    token = await controls_csrf(client)
    r = await client.post("/t/acme/controls", data={"csrf": token, "what": "kill_switch", "kill_switch": "on",
                                                     "reason": "bounce storm"}, allow_redirects=False)
    assert r.status == 303 and r.headers["Location"] == "/t/acme/controls"
    (type_name, event), = sink.events
    assert (type_name, event["tenant_id"], event["kill_switch"]) == ("control", "acme", True)
    assert all(event[k] is None for k in ("enabled", "send_mode", "caps", "allowlist"))
    page = await (await client.get("/t/acme/controls")).text()
    assert "pending" in page and "kill switch ON" in page and 'http-equiv="refresh"' in page
    entry = audit(tmp_path)[-1]
    assert (entry["user"], entry["tenant"], entry["outcome"], entry["event_id"]) == (
        "ana", "acme", "sent", event["event_id"])
    assert "bounce storm" in entry["detail"]


async def test_settings_become_one_control_event(client, sink):
    await signed_in(client, "ana")
    token = await controls_csrf(client)
    caps = {**{name: 7 for name in DEFAULT_CAPS}, "emails": 25, "sandbox_jobs": 0}
    r = await client.post("/t/acme/controls", data={
        "csrf": token, "what": "settings", "enabled": "on", "send_mode": "internal_only",
        **{f"cap_{name}": str(v) for name, v in caps.items()}, "allowlist": "ops@acme.example\nacme.example",
        "reason": "pilot"}, allow_redirects=False)
    assert r.status == 303, await r.text()
    (_, event), = sink.events
    assert event["send_mode"] == "internal_only" and event["enabled"] is True
    assert event["caps"] == caps
    assert event["allowlist"] == ["acme.example", "ops@acme.example"]


@pytest.mark.parametrize("change, message", [
    ({"cap_emails": "10001"}, "out of range"),
    ({"cap_emails": "-1"}, "whole number"),
    ({"cap_research": "lots"}, "whole number"),
    ({"send_mode": "spam_everyone"}, "not one of dry_run, internal_only, limited_live"),
    ({"allowlist": "not an address!"}, "not an email address or a domain"),
    ({"reason": ""}, "reason: say why"),
    ({"reason": "x" * 501}, "at most 500"),
    ({"enabled": "maybe"}, "enabled: want on or off"),
    ({"what": "drop_tables"}, "want kill_switch or settings"),
])
async def test_a_control_value_out_of_range_is_refused(client, sink, change, message):
    await signed_in(client, "ana")
    token = await controls_csrf(client)
    data = {"csrf": token, "what": "settings", "enabled": "on", "send_mode": "dry_run",
            **{f"cap_{name}": "2" for name in DEFAULT_CAPS}, "allowlist": "", "reason": "tuning", **change}
    r = await client.post("/t/acme/controls", data=data, allow_redirects=False)
    page = await r.text()
    assert r.status == 400 and message in page
    assert sink.events == []


async def test_a_kill_switch_without_a_reason_is_refused(client, sink):
    await signed_in(client, "ana")
    token = await controls_csrf(client)
    r = await client.post("/t/acme/controls", data={"csrf": token, "what": "kill_switch", "kill_switch": "on",
                                                     "reason": "  "}, allow_redirects=False)
    assert r.status == 400 and "reason: say why" in await r.text()
    assert sink.events == []


async def test_a_log_that_does_not_answer_is_a_clear_page_not_a_success(aiohttp_client, tmp_path, clock):
    class DownSink:
        def emit(self, type_name, record):
            raise RuntimeError("broker away")
    client = await aiohttp_client(console_app(tmp_path, sink=DownSink(), clock=clock))
    await signed_in(client, "ana")
    token = await controls_csrf(client)
    r = await client.post("/t/acme/controls", data={"csrf": token, "what": "kill_switch", "kill_switch": "on",
                                                     "reason": "incident"}, allow_redirects=False)
    assert r.status == 503 and "nothing was changed" in await r.text()


# ---- pages ------------------------------------------------------------------------------------

async def test_every_page_renders_its_tenants_rows(client):
    await signed_in(client, "ana")
    expect = {"/t/acme/backlog": ["p5@acme.example", "research_while_overdue"],
              "/t/acme/contacts": ["ACME Person 0", "never touched"],
              "/t/acme/orders": ["ACME-o1", "ACME fee off catalog", "fee_cents"],
              "/t/acme/engines": ["Deals", "Vendor compliance"],
              "/t/acme/runs": ["ACME hint 1"],
              "/t/acme/controls": ["dry_run", "applied"],
              "/t/acme/gmail": ["Gmail is not set up"]}
    for path, needles in expect.items():
        r = await client.get(path)
        page = await r.text()
        assert r.status == 200, (path, page[-500:])
        for needle in needles:
            assert needle in page, (path, needle)
        assert "KEYSTONE" not in page, path


async def test_the_backlog_shows_a_target_deferred_three_hours_once(client):
    await signed_in(client, "ana")
    page = await (await client.get("/t/acme/backlog")).text()
    deferred = page[page.index('id="deferred"'):page.index('id="blocked-policies"')]
    assert deferred.count("p5@acme.example") == 1
    assert re.search(r'id="deferred-total">1<', page)


async def test_contacts_search_by_name_or_address(client):
    await signed_in(client, "ana")
    page = await (await client.get("/t/acme/contacts", params={"q": "person 3"})).text()
    assert "ACME Person 3" in page and "ACME Person 4" not in page
    page = await (await client.get("/t/acme/contacts", params={"q": "p4@acme"})).text()
    assert "ACME Person 4" in page and "ACME Person 3" not in page


async def test_pages_send_security_headers_and_no_script(client):
    await signed_in(client, "ana")
    r = await client.get("/t/acme/")
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Frame-Options"] == "DENY" and r.headers["Cache-Control"] == "no-store"
    assert "<script" not in await r.text()


async def test_the_session_cookie_is_http_only_and_same_site(client):
    r = await signed_in(client, "ana")
    morsel = r.cookies[SESSION_COOKIE]
    assert morsel["httponly"] and morsel["samesite"] == "Lax"


async def test_an_unknown_page_is_a_plain_404(client):
    r = await client.get("/t/acme/../../etc/passwd")
    assert r.status in (404, 303)
    r = await client.get("/nothing-here")
    assert r.status == 404 and "Traceback" not in await r.text()


async def test_contacts_list_never_touched_then_most_overdue_first(client):
    await signed_in(client, "ana")
    page = await (await client.get("/t/acme/contacts")).text()
    names = re.findall(r"<td>(ACME Person \d)", page)
    # Person 0 was never touched; the others were touched 23, 26, ... days before the run, most overdue first.
    assert names == ["ACME Person 0", "ACME Person 5", "ACME Person 4", "ACME Person 3", "ACME Person 2",
                     "ACME Person 1"]


# ---- cards ------------------------------------------------------------------------------------

async def cards_csrf(client, tenant="acme") -> str:
    r = await client.get(f"/t/{tenant}/cards")
    assert r.status == 200
    return csrf_of(await r.text())


async def test_the_card_queue_shows_what_was_asked_and_the_fix_before_and_after(client):
    await signed_in(client, "ana")
    page = await (await client.get("/t/acme/cards")).text()
    assert "ACME: call the client back" in page and "call me Thursday" in page and "ACME-m1" in page
    fix = page[page.index('data-card="acme-fix"'):]
    fix = fix[:fix.index("</form>")]
    assert re.search(r"<b>Before</b><br>fee_cents: 45000<br>total_cents: 40000", fix)
    assert re.search(r"<b>After the fix</b><br>fee_cents: 45000<br>total_cents: 45000", fix)
    assert "KEYSTONE" not in page
    only_done = await (await client.get("/t/acme/cards", params={"status": "done"})).text()
    assert "complaint handled" in only_done and "call the client back" not in only_done


async def test_accepting_a_card_writes_card_decided_with_who_and_shows_it_pending(client, sink, tmp_path):
    await signed_in(client, "ana")
    token = await cards_csrf(client)
    r = await client.post("/t/acme/cards/acme-task", data={"csrf": token, "decision": "accept", "note": "calling now"},
                          allow_redirects=False)
    assert r.status == 303, await r.text()
    (type_name, event), = sink.events
    assert type_name == "card_decided"
    assert (event["card_id"], event["decision"], event["by"], event["note"]) == ("acme-task", "accept", "ana",
                                                                                  "calling now")
    page = await (await client.get("/t/acme/cards")).text()
    assert "accept: pending" in page and 'http-equiv="refresh"' in page
    assert audit(tmp_path)[-1]["event_id"] == event["event_id"]


async def test_accepting_an_order_fix_also_writes_the_corrected_order(client, sink):
    await signed_in(client, "ana")
    token = await cards_csrf(client)
    r = await client.post("/t/acme/cards/acme-fix", data={"csrf": token, "decision": "accept"}, allow_redirects=False)
    assert r.status == 303, await r.text()
    (t1, answer), (t2, order) = sink.events
    assert (t1, answer["decision"], t2) == ("card_decided", "accept", "order")
    assert (order["order_id"], order["fee_cents"], order["total_cents"], order["change"]) == (
        "ACME-o1", 45000, 45000, "updated")


async def test_a_card_of_another_tenant_is_not_found_and_nothing_is_written(client, sink):
    await signed_in(client, "ana")
    token = await cards_csrf(client)
    r = await client.post("/t/acme/cards/keystone-task", data={"csrf": token, "decision": "accept"},
                          allow_redirects=False)
    assert r.status == 404 and "no card" in (await r.text()).lower()
    r = await client.post("/t/keystone/cards/keystone-task", data={"csrf": token, "decision": "accept"},
                          allow_redirects=False)
    assert r.status == 403
    assert sink.events == []


async def test_a_closed_card_or_an_unknown_decision_is_refused(client, sink):
    await signed_in(client, "ana")
    token = await cards_csrf(client)
    r = await client.post("/t/acme/cards/acme-closed", data={"csrf": token, "decision": "accept"}, allow_redirects=False)
    assert r.status == 409 and "already done" in await r.text()
    r = await client.post("/t/acme/cards/acme-task", data={"csrf": token, "decision": "delete"}, allow_redirects=False)
    assert r.status == 409 and "accept, reject or done" in await r.text()
    assert sink.events == []


async def test_a_viewer_cannot_answer_a_card(client, sink):
    await signed_in(client, "vic")
    page = await (await client.get("/t/acme/cards")).text()
    assert "Accept</button>" not in page
    r = await client.post("/t/acme/cards/acme-task", data={"csrf": csrf_of(page), "decision": "accept"},
                          allow_redirects=False)
    assert r.status == 403 and sink.events == []


async def test_an_unknown_card_filter_is_a_clear_400(client):
    await signed_in(client, "ana")
    r = await client.get("/t/acme/cards", params={"kind": "drop table"})
    assert r.status == 400 and "kind is one of" in await r.text()


# ---- directory-backed sign-in -----------------------------------------------------------------

async def test_a_person_of_the_directory_signs_in_with_the_directorys_name_role_and_tenants(client):
    r = await signed_in(client, "dee@firm.example")
    assert r.headers["Location"] == "/t/acme/"
    page = await (await client.get("/t/acme/controls")).text()
    assert "Dee of ACME" in page and 'data-role="operator"' in page and "Throw the kill switch" in page
    # keystone is granted in the file, but its directory has no such person: not held.
    assert (await client.get("/t/keystone/")).status == 403


async def test_an_inactive_person_cannot_sign_in(client):
    r = await sign_in(client, "gus@firm.example")
    assert r.status == 401 and "Wrong user name or password" in await r.text()


async def test_the_console_joins_the_public_web_app_on_one_server(aiohttp_client, tmp_path):
    """One application, one server: the public endpoints (revloop.streams.web) and the console."""
    from revloop.console.app import CONFIG, STORE, add_console
    from revloop.streams.config import Settings
    from revloop.streams.web import create_app as public_app
    from tests.support.console_fixtures import console_app

    standalone = console_app(tmp_path)       # built the usual way, for its config and store
    root = public_app(Settings(), producer=None, unsubscribe_secret=b"u" * 32, webhook_secret=None)
    add_console(root, Settings(), standalone[STORE], RecordingSink(), config=standalone[CONFIG])
    client = await aiohttp_client(root)
    assert (await client.get("/healthz")).status == 200
    r = await client.get("/unsubscribe")                       # the public app's own page
    assert r.status == 400 and "incomplete" in await r.text()
    await signed_in(client, "ana")                              # the console, same server
    page = await (await client.get("/t/acme/")).text()
    assert "ACME compliance low" in page

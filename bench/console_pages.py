"""The console's page render time over one big tenant (`make bench`; alone: python bench/console_pages.py).

One tenant of N contacts (streams.demo_data.generate, 100,000 by default) is projected
in-process through the real Pipeline, with a few hourly ticks so runs, actions and alerts
exist, and written to a DuckDB file (and, when DATABASE_URL and DATABASE_URL_ADMIN are
set, to a fresh Postgres schema read through the tenant's own reader role). The console app
(revloop.console.app.create_app) is served on 127.0.0.1 by aiohttp's runner; a signed-in
client requests each page `repeat` times after one warm-up request, and the time from
request to the last byte of the page is recorded. Reported: p50, p95, max per page, against
the 300 ms p95 target. Measured, never asserted. "contacts, page 500" is reached as a person
reaches it, by the "next" link of page 499 (keyset paging); "?page=500 typed" is the offset
jump a typed URL makes.
"""
from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [ROOT]

from revloop.console.app import ConsoleConfig, create_app  # noqa: E402
from revloop.console.passwords import hash_password  # noqa: E402
from revloop.console.users import FileUsers, write_user  # noqa: E402
from revloop.projections.reader import DuckDBReader, PostgresReader  # noqa: E402
from revloop.projections.store import open_store  # noqa: E402
from revloop.streams.config import Settings  # noqa: E402
from revloop.streams.demo_data import HOUR, generate  # noqa: E402
from revloop.streams.pipeline import Pipeline  # noqa: E402
from revloop.streams.tick_producer import tick_event  # noqa: E402
from revloop.streams.topics import topic_for  # noqa: E402

TENANT = "console-bench"
TARGET_P95_MS = 300.0
PAGES = {
    "overview": "/t/{t}/",
    "backlog": "/t/{t}/backlog",
    "contacts": "/t/{t}/contacts",
    "contacts, search": "/t/{t}/contacts?q=baker",
    "contacts, page 500": "/t/{t}/contacts?page=499",        # then its "next" link (FOLLOW)
    "contacts, ?page=500 typed": "/t/{t}/contacts?page=500",
    "orders": "/t/{t}/orders",
    "deals, bids, feedback, vendors": "/t/{t}/engines",
    "runs": "/t/{t}/runs",
    "controls": "/t/{t}/controls",
}

# Pages reached the way a person reaches them: the link of this id on the page above.
FOLLOW = {"contacts, page 500": "next-page"}


def project(contacts: int, base_ms: int, seed: int, hours: int) -> tuple[dict, dict, int]:
    """(upserts, inserts, events) of one tenant's book plus `hours` hourly ticks."""
    events = generate([TENANT], contacts, base_ms, seed)
    pipeline = Pipeline(enrich=True)
    for type_name, event in events:
        pipeline.apply_event(topic_for(type_name, event), type_name, event)
    for h in range(hours):
        tick = tick_event(TENANT, base_ms + (h + 1) * HOUR)
        pipeline.apply_event("ticks", "tick", tick)
        pipeline.decide(tick)
    upserts, inserts = pipeline.take_changes()
    return upserts, inserts, len(events)


class NoSink:
    def emit(self, type_name, record):       # the bench only reads
        raise RuntimeError("read-only bench")


async def _time_pages(app, repeat: int) -> dict:
    from aiohttp import ClientSession, CookieJar
    from aiohttp.test_utils import TestServer

    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        async with ClientSession(base_url=str(server.make_url("")), cookie_jar=CookieJar(unsafe=True)) as http:
            page = await (await http.get("/login")).text()
            token = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            r = await http.post("/login", data={"login": "bench", "password": "bench-password", "csrf": token},
                                allow_redirects=False)
            assert r.status == 303, await r.text()
            out = {}
            for name, path in PAGES.items():
                url = path.format(t=TENANT)
                if name in FOLLOW:
                    above = await (await http.get(url)).text()
                    href = above.split(f'id="{FOLLOW[name]}"', 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
                    url = url.split("?", 1)[0] + href.replace("&amp;", "&")
                await (await http.get(url)).read()                     # warm-up
                times = []
                for _ in range(repeat):
                    t = time.perf_counter()
                    resp = await http.get(url)
                    body = await resp.read()
                    times.append((time.perf_counter() - t) * 1000)
                    assert resp.status == 200, (url, resp.status, body[-300:])
                times.sort()
                p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
                out[name] = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1),
                             "max_ms": round(times[-1], 1), "bytes": len(body), "n": repeat}
            return out
    finally:
        await server.close()


def time_pages(reader, workdir: str, repeat: int) -> dict:
    users = os.path.join(workdir, "users.json")
    write_user(users, "bench", role="operator", tenants=[TENANT], password_hash=hash_password("bench-password"))
    config = ConsoleConfig(users=FileUsers(users), session_key=os.urandom(32), audit_path=None)
    app = create_app(Settings(), reader, NoSink(), config=config)
    return asyncio.run(_time_pages(app, repeat))


def measure(contacts: int = 100_000, *, seed: int = 7, hours: int = 6, repeat: int = 30,
            postgres: bool = True, progress=print) -> dict:
    base_ms = int(time.time() * 1000) // HOUR * HOUR - (hours + 1) * HOUR
    workdir = tempfile.mkdtemp(prefix="revloop-console-bench-")
    t = time.perf_counter()
    progress(f"console: projecting a tenant of {contacts:,} contacts and {hours} hourly runs")
    upserts, inserts, n_events = project(contacts, base_ms, seed, hours)
    res = {"contacts": contacts, "events": n_events, "hours": hours, "repeat": repeat,
           "build_seconds": round(time.perf_counter() - t, 1), "target_p95_ms": TARGET_P95_MS, "stores": {}}
    db = os.path.join(workdir, "console.duckdb")
    with open_store(f"duckdb:{db}") as store:
        store.ensure_schema()
        store.write_batch(upserts, inserts)
    progress("console: timing pages over DuckDB (read-only)")
    reader = DuckDBReader(db)
    try:
        res["stores"]["duckdb"] = time_pages(reader, workdir, repeat)
    finally:
        reader.close()
    owner, admin = os.environ.get("DATABASE_URL"), os.environ.get("DATABASE_URL_ADMIN")
    if postgres and owner and admin:
        from revloop.projections.pg_tenants import drop_reader, provision_reader
        from revloop.projections.postgres_store import PostgresStore
        import psycopg

        schema, password = f"console_bench_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
        try:
            with PostgresStore(owner, schema=schema) as store:
                store.ensure_schema()
                store.write_batch(upserts, inserts)
                store._conn.execute("ANALYZE")
            provision_reader(owner, admin, TENANT, password, schema=schema)
            progress("console: timing pages over Postgres (the tenant's reader role)")
            reader = PostgresReader(owner, schema=schema, password_for=lambda t: password if t == TENANT else None)
            try:
                res["stores"]["postgres"] = time_pages(reader, workdir, repeat)
            finally:
                reader.close()
        finally:
            try:
                drop_reader(owner, admin, TENANT, schema=schema)
            finally:
                with psycopg.connect(owner, autocommit=True) as conn:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    return res


def table(res: dict):
    from rich.table import Table

    t = Table(title=f"Console page render over a {res['contacts']:,}-contact tenant "
                    f"(ms, {res['repeat']} requests each; target p95 < {res['target_p95_ms']:.0f})")
    t.add_column("page")
    for store in res["stores"]:
        for col in ("p50", "p95", "max"):
            t.add_column(f"{store} {col}", justify="right")
    for page in PAGES:
        cells = []
        for store, pages in res["stores"].items():
            m = pages[page]
            mark = "" if m["p95_ms"] < res["target_p95_ms"] else " ✗"
            cells += [f"{m['p50_ms']:.0f}", f"{m['p95_ms']:.0f}{mark}", f"{m['max_ms']:.0f}"]
        t.add_row(page, *cells)
    return t


if __name__ == "__main__":
    import argparse
    import json

    from rich.console import Console

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--contacts", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--no-postgres", action="store_true")
    args = ap.parse_args()
    console = Console()
    result = measure(args.contacts, repeat=args.repeat, postgres=not args.no_postgres, progress=console.print)
    console.print(table(result))
    print(json.dumps(result))

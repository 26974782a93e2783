"""The failures people meet at the command line, each as they meet it (a real `revloop`
process): one line that says what is wrong, the documented exit code, no traceback."""
from __future__ import annotations

import time
from dataclasses import replace

import pytest

from revloop.schemas.jsonl import to_line
from tests.support.broker import run_cli
from tests.support.events import contact, touch

pytestmark = pytest.mark.integration


def _last_line(proc) -> str:
    assert "Traceback" not in proc.stderr, proc.stderr
    return [line for line in proc.stderr.splitlines() if line.strip()][-1]


def _book(path, broken: bool = False):
    lines = [to_line("contact", contact("p1", tenant="acme")), to_line("touch", touch("p1", tenant="acme"))]
    if broken:
        lines.insert(1, '{"type": "touch", "tenant_id": "acme",')
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_broker_down_import_says_so_quickly_and_still_reports_each_line(kafka, tmp_path):
    down = replace(kafka, bootstrap_servers="127.0.0.1:1")
    started = time.monotonic()
    proc = run_cli(down, "import", _book(tmp_path / "b.jsonl", broken=True))
    assert time.monotonic() - started < 15
    assert proc.returncode == 69
    assert "b.jsonl:2: invalid JSON" in proc.stderr                         # the per-line report, still
    assert _last_line(proc).startswith("nothing imported: 2 line(s) valid, 1 rejected; no Kafka broker answers "
                                       "at 127.0.0.1:1")


def test_store_down_worker_names_the_store(kafka, tmp_path):
    proc = run_cli(kafka, "worker", "--store", "postgresql://revloop@127.0.0.1:1/nowhere", timeout=60)
    assert proc.returncode == 69
    assert _last_line(proc).startswith("revloop worker: the Postgres store is unavailable: ")


def test_missing_file(kafka, tmp_path):
    proc = run_cli(kafka, "import", str(tmp_path / "absent.jsonl"))
    assert proc.returncode == 66
    assert _last_line(proc) == f"revloop import: {tmp_path / 'absent.jsonl'}: no such file"


def test_bad_argument(kafka):
    proc = run_cli(kafka, "tick", "--at", "garbage")
    assert proc.returncode == 2
    assert _last_line(proc) == ("revloop tick: error: argument --at: 'garbage': not an ISO-8601 time "
                                "(e.g. 2026-11-25T09:00:00Z)")


def test_bad_json_line_is_reported_and_the_rest_imported(kafka, tmp_path):
    proc = run_cli(kafka, "import", _book(tmp_path / "b.jsonl", broken=True))
    assert proc.returncode == 1
    assert "b.jsonl:2: invalid JSON" in proc.stderr
    assert _last_line(proc) == "imported 2 event(s), rejected 1 line(s) (line(s) 1, 3)"

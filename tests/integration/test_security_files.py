"""Files at rest: the worker's DuckDB file is the owner's alone, and a worker whose file is
deleted or replaced under it stops with a clear message instead of writing into the void.

Attack (or accident): `rm` of the DuckDB file, or another file moved over it, while the worker
runs; once unnoticed, every later batch went into a file nobody could open again.
"""
from __future__ import annotations

import os
import shutil
import stat
import time

import duckdb
import pytest

from tests.support.events import touch
from tests.support.outage_services import tally_attack
from tests.support.projections import produce_events
from tests.support.worker_proc import WorkerProcess

pytestmark = pytest.mark.integration


def _exit_of(worker, timeout=30) -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and worker.proc.poll() is None:
        time.sleep(0.2)
    return worker.proc.poll()


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_attack_the_duckdb_file_deleted_or_replaced_under_the_worker_stops_it(kafka, tmp_path, how):
    db = tmp_path / "live.duckdb"
    produce_events(kafka, [("touch", touch("p1", tenant="acme", at=int(time.time() * 1000) - 60_000))])
    worker = WorkerProcess(kafka, f"duckdb:{db}", tmp_path / "worker.log").start()
    try:
        worker.wait_caught_up()
        assert stat.S_IMODE(os.stat(db).st_mode) == 0o600        # addresses inside: the owner's alone
        if how == "deleted":
            os.remove(db)
        else:
            other = tmp_path / "other.duckdb"
            duckdb.connect(str(other)).close()
            shutil.move(other, db)
        code = _exit_of(worker)
        log = worker.tail()
    finally:
        worker.stop()
    assert code == 70, log
    assert f"the DuckDB file {db} was {how}" in log
    tally_attack(f"DuckDB file {how} under the running worker", tried=1, refused=int(code == 70), written=0)

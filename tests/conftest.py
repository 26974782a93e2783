"""Session-wide hooks: the reliability tally, and which tests share a pytest-xdist worker.

`make test` runs the suite on two pytest-xdist workers (`-n 2 --dist loadgroup`). Every test
makes its own topics (a fresh prefix), consumer groups, Postgres schema or tenants and temporary
files, so any two may run at once; the exceptions are named in SERIAL_GROUPS: the tests of one
group run one after another on one worker.
"""
from __future__ import annotations

import pytest

from tests.support.outage_services import (pytest_runtest_logreport, pytest_runtest_makereport,  # noqa: F401
                                           pytest_terminal_summary)

# module -> group. Each module also carries pytest.mark.xdist_group(<group>) (checked at collection):
# pytest-xdist 3.8 groups by that mark through a node id suffix, which pytest 9.2's structured node
# ids no longer take (pytest-xdist issue #1386), so the scheduler below groups by this table.
SERIAL_GROUPS = {
    # Broker-wide security state: SCRAM users, ACLs under the StandardAuthorizer, the SASL_SSL listener.
    "tests/integration/test_security_acls.py": "broker-security",
    "tests/integration/test_secured_cluster.py": "broker-security",
    # A private broker or Postgres each (a JVM start, then stopped and killed under load), and
    # a tick gate timed against a broker that is away: one such test at a time.
    "tests/integration/test_reliability_broker.py": "private-services",
    "tests/integration/test_reliability_postgres.py": "private-services",
}


def group_of(nodeid: str) -> str | None:
    return SERIAL_GROUPS.get(nodeid.split("::", 1)[0])


def pytest_collection_modifyitems(config, items):
    """The table and the modules' xdist_group marks say the same (a module moved or renamed
    would otherwise lose its group without a word)."""
    wrong = []
    for item in items:
        marks = {m.args[0] if m.args else m.kwargs.get("name") for m in item.iter_markers("xdist_group")}
        want = group_of(item.nodeid)
        if marks != ({want} if want else set()):
            wrong.append(f"{item.nodeid}: xdist_group marks {sorted(marks)}, SERIAL_GROUPS {want!r}")
    if wrong:
        raise pytest.UsageError("tests/conftest.py SERIAL_GROUPS disagrees with the marks:\n" + "\n".join(wrong[:10]))


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """--dist loadgroup: each test is a unit of its own, except the groups of SERIAL_GROUPS."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class TableGroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid) or nodeid

    return TableGroupScheduling(config, log)

"""Row bookkeeping every processor shares: last-writer-wins and the event a row last took.

Kept apart from processors.state so that an engine module can use it without importing
TenantState (which is assembled from the engine registry, processors.engines).
"""
from __future__ import annotations

Touched = list[tuple[str, object]]


def newer(event: dict, row: dict | None) -> bool:
    """Last-writer-wins on (occurred_at, event_id): an event applies only if it is
    newer than the one the row last took. A duplicate or an older event changes nothing,
    so arrival order and redelivery do not matter for snapshot rows."""
    if row is None or row.get("last_event_at") is None:
        return True
    return (event["occurred_at"], event["event_id"]) > (row["last_event_at"], row["last_event_id"])


def stamp(row: dict, event: dict) -> dict:
    row["last_event_id"] = event["event_id"]
    row["last_event_at"] = event["occurred_at"]
    return row

"""What a projection table is: a name, typed columns and a key (processors.tables lists them).

Column kinds: text, bigint, double, bool, ts (epoch millis, stored as a timestamp),
json (a JSON document: JSON in DuckDB, JSONB in Postgres). Every table starts with
tenant_id; every row remembers the last event applied to it (last_event_id,
last_event_at) so applying an event twice changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.columns)


LAST = (("last_event_id", "text"), ("last_event_at", "ts"))


def table(name: str, key: tuple[str, ...], *columns: tuple[str, str], last: bool = True) -> Table:
    cols = (("tenant_id", "text"),) + tuple(columns) + (LAST if last else ())
    return Table(name, cols, ("tenant_id",) + key)

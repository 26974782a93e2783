"""The demo's report (kept for `revloop demo` and callers of the old name): revloop.console.report."""
from __future__ import annotations

from revloop.console.report import write_report as _write_report


def write_report(duckdb_path: str, html_path: str) -> str:
    """Read the projections in duckdb_path, write the report to html_path; return html_path."""
    return _write_report(f"duckdb:{duckdb_path}", html_path)

"""Engine settings a tenant can tune through its control `goals` map (map<string, double>).

The control topic is the one place settings come from, and `goals` is its open map of
numbers, so the engines read their thresholds there under dotted names and fall back to
the defaults each engine documents, e.g. {"deal_stall_days.proposal": 10,
"bid_follow_up_days": 2, "compliance_escalation_days": 7}.
"""
from __future__ import annotations


def setting(goals: dict | None, name: str, default: float) -> float:
    value = (goals or {}).get(name)
    return float(value) if isinstance(value, (int, float)) and value > 0 else float(default)

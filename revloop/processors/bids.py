"""Bids and quotes (the seed's P1.5): intel request, submission confirmation, follow-up
until the outcome, win / loss reasons kept as patterns.

Rules
- requested: ask the submitter for intel (scope, volume, incumbent, competitors, target
  price) once, while the request is fresh (INTEL_FRESH_DAYS; an imported old request is
  not mailed). The sent request is the row's intel_requested_at; the bid's own status
  becomes intel_requested when the source system says so.
- submitted: confirm the submission to the submitter once, within CONFIRM_FRESH_DAYS.
- submitted and no outcome yet: the k-th follow-up is due at submitted_at + k x cadence
  (control goal `bid_follow_up_days`, default 3: the usual three-business-day quote chase),
  at most `bid_max_follow_ups` (default 6) so an unanswered bid is not chased forever
  (the anti-spam rules). Nothing is proposed once the bid is won, lost or withdrawn.
- won / lost: outcome, outcome_at and reason on the row, and the bid counts once in
  bid_patterns under (client, competitor, outcome, normalised reason) with the mean price
  gap (our amount - the competitor's) of the bids that name both amounts.

bids.status is the source system's; what the cycle did (intel_requested_at, confirmed_at,
follow_ups) comes from the sender's outcomes (sent, delivered, dry_run) of approved actions, at
their time: an approved email that was never sent is not a request (processors.action_ledger).
Live and replay agree in any read order.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from revloop.processors.actions import DONE_OUTCOMES, FOLLOW_UP, SEND_EMAIL, Proposal
from revloop.processors.emitters import recently_acted
from revloop.processors.recipients import client_name, email_of, name_of
from revloop.processors.rows import newer, stamp
from revloop.processors.timeutil import DAY_MS
from revloop.processors.tuning import setting
from revloop.processors.engine import Engine
from revloop.processors.table_def import table

if TYPE_CHECKING:
    from revloop.processors.state import TenantState

CLOSED = frozenset({"won", "lost", "withdrawn"})
PATTERN_OUTCOMES = frozenset({"won", "lost"})
INTEL_FRESH_DAYS = 7
CONFIRM_FRESH_DAYS = 3
FOLLOW_UP_DAYS = 3
MAX_FOLLOW_UPS = 6
ONCE = 10 ** 15
FIELDS = ("bid_id", "client_id", "contact_id", "submitter_email", "status", "amount_cents", "competitor",
          "competitor_amount_cents", "reason", "due_at")

Touched = list[tuple[str, object]]


def apply_bid(state: TenantState, e: dict) -> Touched:
    row = state.bids.get(e["bid_id"])
    if not newer(e, row):
        return []
    moved = row is None or row["status"] != e["status"]
    row = row or {"tenant_id": state.tenant_id, "submitted_at": None}
    for name in FIELDS:
        row[name] = e.get(name)
    if moved:
        row["status_at"] = e["occurred_at"]
    if e["status"] == "submitted" and row["submitted_at"] is None:
        row["submitted_at"] = e["occurred_at"]
    outcome = e["status"] if e["status"] in CLOSED else None
    row["outcome"], row["outcome_at"] = outcome, row["status_at"] if outcome else None
    _refresh_acts(state, row)
    state.bids[e["bid_id"]] = stamp(row, e)
    return [("bids", e["bid_id"])] + _repattern(state, row, e)


def normalised_reason(reason: str | None) -> str:
    return " ".join((reason or "").lower().split()) or "unspecified"


def pattern_key(bid: dict) -> tuple | None:
    if bid["outcome"] not in PATTERN_OUTCOMES:
        return None
    competitor = " ".join((bid.get("competitor") or "").split()) or "unknown"
    return (bid["client_id"], competitor, bid["outcome"], normalised_reason(bid.get("reason")))


def _repattern(state: TenantState, bid: dict, e: dict) -> Touched:
    """Move the bid into the pattern its outcome and reason now name (out of the old one)."""
    bid_id, new = bid["bid_id"], pattern_key(bid)
    old = state.bid_pattern_of.get(bid_id)
    gap = (bid["amount_cents"] - bid["competitor_amount_cents"]
           if bid.get("amount_cents") is not None and bid.get("competitor_amount_cents") is not None else None)
    touched: Touched = []
    if old is not None:
        _leave(state, old, bid_id)          # its old gap leaves the sums, whether or not the pattern changes
        del state.bid_pattern_of[bid_id]
        if old != new:
            touched.append(_count(state, old, e))
    if new is not None:
        state.bid_pattern_members.setdefault(new, {})[bid_id] = gap
        sums = state.bid_pattern_sums.setdefault(new, [0, 0])
        if gap is not None:
            sums[0], sums[1] = sums[0] + gap, sums[1] + 1
        state.bid_pattern_of[bid_id] = new
        touched.append(_count(state, new, e))
    return touched


def _leave(state: TenantState, key: tuple, bid_id: str) -> None:
    gap = state.bid_pattern_members[key].pop(bid_id, None)
    if gap is not None:
        sums = state.bid_pattern_sums[key]
        sums[0], sums[1] = sums[0] - gap, sums[1] - 1


def _count(state: TenantState, key: tuple, e: dict) -> tuple[str, tuple]:
    # The pattern's sums are kept as bids come and go (integer cents: exact), so a bid costs the
    # same at a pattern's 16,000th as at its 10th (summing its members each time grew with them).
    members = state.bid_pattern_members[key]
    gap_sum, gaps = state.bid_pattern_sums.get(key, (0, 0))
    client_id, competitor, outcome, reason = key
    state.bid_patterns[key] = stamp({
        "tenant_id": state.tenant_id, "client_id": client_id, "competitor": competitor, "outcome": outcome,
        "reason": reason, "bids": len(members),
        "avg_price_gap_cents": round(gap_sum / gaps, 2) if gaps else None}, e)
    return ("bid_patterns", key)


def _refresh_acts(state: TenantState, bid: dict) -> bool:
    acts = state.bid_acts.get(bid["bid_id"], {})
    follow_ups = acts.get("follow_up", {})
    values = {"intel_requested_at": acts.get("intel_request"), "confirmed_at": acts.get("confirmation"),
              "follow_ups": len(follow_ups), "last_follow_up_at": max(follow_ups.values()) if follow_ups else None}
    changed = any(bid.get(k) != v for k, v in values.items())
    bid.update(values)
    return changed


def note_outcome(state: TenantState, action: dict, outcome: dict) -> Touched:
    """An intel request, confirmation or follow-up is done when it was sent (or dry-run), at that time:
    an approved one that never went out is not a request, and is proposed again once it failed."""
    step = action["rule"].split(".", 1)[1] if action["rule"].startswith("bids.") else None
    if step is None or outcome["outcome"] not in DONE_OUTCOMES:
        return []
    p = json.loads(action["payload"])
    at = outcome["occurred_at"]
    acts = state.bid_acts.setdefault(p["bid_id"], {})
    if step == "follow_up":
        done = acts.setdefault("follow_up", {})
        done[p["follow_up"]] = min(done.get(p["follow_up"], at), at)
    else:
        acts[step] = min(acts.get(step, at), at)
    bid = state.bids.get(p["bid_id"])
    return [("bids", p["bid_id"])] if bid is not None and _refresh_acts(state, bid) else []


def bid_proposals(state: TenantState, tick: dict, goals: dict | None) -> list[Proposal]:
    as_of, out = tick["as_of"], []
    cadence = int(setting(goals, "bid_follow_up_days", FOLLOW_UP_DAYS) * DAY_MS)
    most = int(setting(goals, "bid_max_follow_ups", MAX_FOLLOW_UPS))
    for bid_id, bid in sorted(state.bids.items()):
        status = bid["status"]
        if status in CLOSED:
            continue
        to = (bid.get("submitter_email") or "").lower() or email_of(state, bid.get("contact_id"))
        payload = {"bid_id": bid_id, "client_id": bid["client_id"], "due_at": bid.get("due_at"),
                   "amount_cents": bid.get("amount_cents"), "client_name": client_name(state, bid["client_id"]),
                   "submitted_at": bid.get("submitted_at"), "contact_name": name_of(state, to)}

        def propose(kind, step, template, reason, priority, **extra):
            target = f"{bid_id}:{step}" + (f":{extra['follow_up']}" if "follow_up" in extra else "")
            if not recently_acted(state, "bids", target, as_of, ONCE):
                out.append(Proposal(kind, f"bids.{step}", "bid", target, reason, recipient=to, template=template,
                                    priority=priority, payload={**payload, **extra}))

        if status == "requested" and as_of - bid["status_at"] < INTEL_FRESH_DAYS * DAY_MS:
            # Transactional and time-bound: ahead of routine engagement mail under the hourly cap.
            propose(SEND_EMAIL, "intel_request", "bid_intel_request",
                    f"bid {bid_id} requested: ask the submitter for scope, volume, incumbent and competitors", 110)
        submitted = bid.get("submitted_at")
        if status != "submitted" or submitted is None:
            continue
        if as_of - submitted < CONFIRM_FRESH_DAYS * DAY_MS:
            propose(SEND_EMAIL, "confirmation", "bid_submission_confirmation",
                    f"bid {bid_id} submitted: confirm receipt and the decision date", 120)
        k = (as_of - submitted) // cadence
        if 1 <= k <= most:
            propose(FOLLOW_UP, "follow_up", "bid_follow_up",
                    f"bid {bid_id} submitted {(as_of - submitted) // DAY_MS} day(s) ago with no outcome: "
                    f"follow-up {k} of at most {most}", 60, follow_up=int(k))
    return out


ENGINE = Engine(
    name="bids",
    state={"bids": dict,
           "bid_acts": dict,              # bid id -> what the cycle did for it
           "bid_patterns": dict,
           "bid_pattern_of": dict,        # bid id -> its pattern key
           "bid_pattern_members": dict,   # pattern key -> bid id -> price gap
           "bid_pattern_sums": dict},     # pattern key -> [sum of its members' gaps, how many have one]
    tables=(
        table("bids", ("bid_id",),
              ("bid_id", "text"), ("client_id", "text"), ("contact_id", "text"), ("submitter_email", "text"),
              ("status", "text"), ("amount_cents", "bigint"), ("competitor", "text"),
              ("competitor_amount_cents", "bigint"), ("reason", "text"), ("due_at", "ts"), ("status_at", "ts"),
              # What we did and how it ended.
              ("submitted_at", "ts"), ("outcome", "text"), ("outcome_at", "ts"), ("intel_requested_at", "ts"),
              ("confirmed_at", "ts"), ("follow_ups", "bigint"), ("last_follow_up_at", "ts")),
        # Win / loss reasons per client and competitor: how many bids ended this way.
        table("bid_patterns", ("client_id", "competitor", "outcome", "reason"),
              ("client_id", "text"), ("competitor", "text"), ("outcome", "text"), ("reason", "text"),
              ("bids", "bigint"), ("avg_price_gap_cents", "double")),
    ),
    rows_of={"bids": "bids", "bid_patterns": "bid_patterns"},
    apply={"bid": apply_bid},
    note_outcome=note_outcome,
    propose=bid_proposals,
)

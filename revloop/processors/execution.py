"""The guardrails again, at the point of action: may this approved action be carried out now?

The gate judged the action when it was decided; an executor (the email sender, the
card decisions' effects) carries it out later, after the kill switch may have been
thrown, the tenant disabled, the send mode lowered or the address suppressed. Each
executor asks `judge` with the controls and suppression as the log has them at
execution time, and reports a `cancelled` outcome with the reason instead of acting.

This is the one place an executor's per-action judgement lives: a new check (an
integrity tag on the decision, a sending window) is one more rule here.
"""
from __future__ import annotations

from dataclasses import dataclass

from revloop.processors.actions import APPROVED, CLIENT_EMAIL_KINDS, EMAIL_KINDS, FOLLOW_UP, SEND_DIGEST
from revloop.processors.controls import Controls

DRY_RUN, INTERNAL_ONLY, LIMITED_LIVE = "dry_run", "internal_only", "limited_live"
MODE_RANK = {DRY_RUN: 0, INTERNAL_ONLY: 1, LIMITED_LIVE: 2}
CANCEL, DRY, SEND = "cancel", "dry_run", "send"


@dataclass(frozen=True)
class Verdict:
    verdict: str              # cancel | dry_run | send
    reason: str | None = None
    mode: str | None = None   # send: the mode to send under (the lower of approval-time and now)


def on_allowlist(email: str, allowlist) -> bool:
    email = email.lower()
    return email in allowlist or email.rsplit("@", 1)[-1] in allowlist


def judge(action: dict, controls: Controls, suppressed: str | None = None, answered: int | None = None,
          brake: str | None = None) -> Verdict:
    """`suppressed`: why the recipient is on the suppression list now, or None. `answered`: when the
    recipient replied in the email's thread after our latest email in it (processors.threads), or None.
    `brake`: why the sending brake holds (processors.sending_brake), before its pause is on the log."""
    if action.get("decision") != APPROVED:
        return Verdict(CANCEL, f"not approved ({action.get('decision')})")
    if controls.kill_switch:
        return Verdict(CANCEL, "the kill switch is on")
    if not controls.enabled:
        return Verdict(CANCEL, "the tenant is disabled")
    if action.get("kind") not in EMAIL_KINDS:
        return Verdict(SEND)
    if suppressed:
        return Verdict(CANCEL, f"{action.get('recipient')} is suppressed ({suppressed})")
    if action["kind"] in CLIENT_EMAIL_KINDS and controls.sending_paused:
        return Verdict(CANCEL, "sending is paused: client email waits until a person resumes it")
    if action["kind"] in CLIENT_EMAIL_KINDS and brake:
        return Verdict(CANCEL, f"the sending brake: {brake}")
    if action["kind"] == FOLLOW_UP and answered is not None:
        return Verdict(CANCEL, f"{action.get('recipient')} replied in this thread after the follow-up was approved")
    approved_mode = action.get("send_mode") or LIMITED_LIVE   # decided before modes were recorded
    now_mode = controls.send_mode if controls.send_mode in MODE_RANK else DRY_RUN
    if MODE_RANK[now_mode] < MODE_RANK[approved_mode]:
        if now_mode == DRY_RUN:
            return Verdict(CANCEL, f"send mode lowered from {approved_mode} to dry_run after approval")
        if action["kind"] != SEND_DIGEST and not on_allowlist(action.get("recipient") or "", controls.allowlist):
            return Verdict(CANCEL, f"send mode lowered from {approved_mode} to {now_mode} after approval: "
                                   f"{action.get('recipient')} is not on the internal allowlist")
    mode = min((approved_mode, now_mode), key=MODE_RANK.__getitem__)
    if mode == DRY_RUN:
        return Verdict(DRY, "dry_run: recorded, not sent", mode)
    # The operators' digest is internal mail: internal_only allows it without the allowlist.
    if mode == INTERNAL_ONLY and action["kind"] != SEND_DIGEST \
            and not on_allowlist(action.get("recipient") or "", controls.allowlist):
        return Verdict(CANCEL, f"{action.get('recipient')} is not on the internal_only allowlist")
    return Verdict(SEND, None, mode)

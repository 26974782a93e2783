"""The shipped email templates: version 1 of every template an engine's approved email can use.

One per email an engine approves, named as the emitters name them. Each declares its
variables; a required one absent or empty holds the email instead of sending it half
filled. The sender appends the postal address and the unsubscribe link to every email.
"""
from __future__ import annotations

from revloop.processors.actions import FOLLOW_UP, SEND_DIGEST, SEND_EMAIL

GREETING = "Hi {{ contact_first_name or 'there' }},\n\n"


def _v(*names: str, optional: tuple[str, ...] = ()) -> list[dict]:
    return [{"name": n, "required": True} for n in names] + [{"name": n, "required": False} for n in optional]


DEFAULTS: dict[str, dict] = {
    # Engagement: every contact touched at least every 21 days.
    "introduction": dict(
        kind=SEND_EMAIL, subject="Introducing our appraisal team{% if client_name %} to {{ client_name }}{% endif %}",
        text_body=GREETING + "We handle appraisals and inspections for lenders in your region and would be glad to "
                             "be a resource on your next order. Reply here with any questions about turn times or "
                             "coverage.\n",
        variables=_v(optional=("contact_first_name", "client_name")),
        description="engagement: a contact never touched"),
    "check_in": dict(
        kind=SEND_EMAIL, subject="Checking in",
        text_body=GREETING + "A quick check-in: is there anything we can help with on current or upcoming "
                             "orders?\n",
        variables=_v(optional=("contact_first_name", "client_name")),
        description="engagement: a contact due within days"),
    "check_in_overdue": dict(
        kind=SEND_EMAIL, subject="It has been a while",
        text_body=GREETING + "It has been {{ days_since_touch }} days since we last spoke. Anything we can help "
                             "with on your pipeline? We can usually confirm turn times within the hour.\n",
        variables=_v("days_since_touch", optional=("contact_first_name", "client_name")),
        description="engagement: a contact past its 21 days"),
    "engagement_follow_up": dict(
        kind=FOLLOW_UP, subject="Following up",
        text_body=GREETING + "Following up on my note of {{ last_email_date }}, in case it got buried: is there "
                             "anything we can help with on current or upcoming orders?\n",
        variables=_v("last_email_date", optional=("contact_first_name", "client_name")),
        description="engagement: our last email went unanswered"),
    # Deals: a stalled deal, naming its next step.
    "deal_next_step": dict(
        kind=FOLLOW_UP, subject="{{ deal_name }}: next step",
        text_body=GREETING + "Picking up {{ deal_name }} (now at the {{ stage }} stage): the next step we have is "
                             "{{ next_step }}. Is that still right, and is there anything you need from us to "
                             "move it forward?\n",
        variables=_v("deal_name", "stage", "next_step", optional=("contact_first_name",)),
        description="deals: a stalled deal's follow-up"),
    # Bids: intel, confirmation, follow-ups.
    "bid_intel_request": dict(
        kind=SEND_EMAIL, subject="Your request for a quote ({{ bid_id }})",
        text_body=GREETING + "Thank you for asking us to quote for {{ client_name }}"
                             "{% if due_date %}; we will have it to you by {{ due_date }}{% endif %}. To price it "
                             "well, could you tell us the scope and expected volume, who handles the work today, "
                             "and who else is quoting?\n",
        variables=_v("bid_id", "client_name", optional=("contact_first_name", "due_date")),
        description="bids: a new request for a quote"),
    "bid_submission_confirmation": dict(
        kind=SEND_EMAIL, subject="Our quote {{ bid_id }} is in: {{ amount }}",
        text_body=GREETING + "This confirms we submitted our quote {{ bid_id }} for {{ client_name }} at "
                             "{{ amount }}{% if due_date %}, with a decision expected by {{ due_date }}{% endif %}. "
                             "Tell us if anything is missing.\n",
        variables=_v("bid_id", "client_name", "amount", optional=("contact_first_name", "due_date")),
        description="bids: a submitted quote's confirmation"),
    "bid_follow_up": dict(
        kind=FOLLOW_UP, subject="Following up on our quote {{ bid_id }} ({{ amount }})",
        text_body=GREETING + "We submitted our quote {{ bid_id }} at {{ amount }} on {{ submitted_date }}"
                             "{% if due_date %}, for a decision by {{ due_date }}{% endif %}. Is there anything we "
                             "can clarify or adjust?\n",
        variables=_v("bid_id", "amount", "submitted_date", optional=("contact_first_name", "due_date")),
        description="bids: a submitted quote with no outcome yet"),
    # Feedback: after delivery.
    "feedback_request": dict(
        kind=SEND_EMAIL, subject="How did order {{ order_id }} go?",
        text_body=GREETING + "We delivered the report for {{ property_address }} (order {{ order_id }}) on "
                             "{{ delivered_date }}. How did it go? A line or two in reply, good or bad, helps us "
                             "do better on the next one.\n",
        variables=_v("order_id", "property_address", "delivered_date", optional=("contact_first_name",)),
        description="feedback: a week after delivery"),
    # Vendor compliance: the quarterly profile check.
    "vendor_profile_reminder": dict(
        kind=SEND_EMAIL, subject="Our vendor profile with {{ client_name }}: {{ quarter }} check",
        text_body=GREETING + "In our {{ quarter }} review of our approved-vendor profile with {{ client_name }}, "
                             "these items show as missing:\n{% for item in missing_items %}- {{ item }}\n"
                             "{% endfor %}\nCould you tell us how to complete them, or send portal access?\n",
        variables=_v("client_name", "quarter", "missing_items", optional=("contact_first_name",)),
        description="vendor compliance: a quarter's reminder"),
    # People: the operators' hourly digest (internal only).
    "operator_digest": dict(
        kind=SEND_DIGEST, subject="revloop: {{ cards|length }} new card(s), {{ alerts|length }} alert(s) at {{ hour }}",
        text_body="Hi {{ operator_name or 'there' }},\n\nNew this hour for {{ tenant }}:\n\n"
                  "{% if cards %}Cards waiting for a person:\n{% for c in cards %}- [{{ c.kind }}] {{ c.title }}"
                  "{% if c.due %} (due {{ c.due }}){% endif %}\n  revloop cards accept {{ c.card_id }}\n"
                  "{% endfor %}\n{% endif %}"
                  "{% if alerts %}Alerts:\n{% for a in alerts %}- [{{ a.severity }}] {{ a.message }}\n{% endfor %}"
                  "{% endif %}",
        variables=_v("tenant", "hour", optional=("operator_name", "cards", "alerts")),
        description="the operators' hourly digest of new cards and alerts"),
}

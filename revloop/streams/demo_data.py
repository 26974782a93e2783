"""A seeded, realistic demonstration book of business (same seed, same events)."""
from __future__ import annotations

import random
from datetime import datetime, timezone

from revloop.processors.template_defaults import DEFAULTS
from revloop.processors.templates import default_event

DAY, HOUR = 86_400_000, 3_600_000
# The demo's simulated hours start here: a Monday morning in a past business week, so nothing it
# does depends on the day it runs (time bounds on future events). 13:00 UTC is 9:00 on the US east
# coast and 3:00 in Honolulu: the first hours send to the east and hold the west for its own hours
# (the recipients' sending window, processors.sending_window).
DEMO_WEEK_START = int(datetime(2025, 9, 15, 13, tzinfo=timezone.utc).timestamp() * 1000)
PEOPLE = (("u1", "Sam Ortiz", ("operator",)), ("u2", "Lee Park", ("operator",)), ("u3", "Dana Admin", ("admin",)),
          ("u4", "Robin Hale", ("account_owner",)))
VENDOR_ITEMS = ["W-9", "E&O certificate", "state licence", "background check"]
NEXT_STEPS = ["send the fee schedule", "book a call with the chief appraiser", "share turn-time data",
              "sign the panel agreement", None]
FIRST = ["Pat", "Sam", "Alex", "Jordan", "Casey", "Morgan", "Riley", "Dana", "Lee", "Kim", "Robin", "Terry"]
LAST = ["Nguyen", "Garcia", "Smith", "Patel", "Okafor", "Kowalski", "Hughes", "Moreno", "Chen", "Baker"]
LENDERS = ["First", "Summit", "Harbor", "Prairie", "Liberty", "Cedar", "Keystone", "Pioneer", "Granite", "Beacon"]
KINDS = ["Bank", "Credit Union", "Mortgage", "Lending", "AMC"]
# Where a region's lenders have their offices: a ZIP code and state each, across the US time zones, so
# their contacts' sending hours differ (processors.local_time), Honolulu's most of all.
OFFICES = {"northeast": (("04101", "ME"), ("02108", "MA"), ("10001", "NY")),
           "midwest": (("60601", "IL"), ("55401", "MN"), ("48226", "MI")),
           "south": (("30303", "GA"), ("75201", "TX"), ("33131", "FL")),
           "west": (("98101", "WA"), ("80202", "CO"), ("85004", "AZ"), ("96813", "HI"))}
PRODUCTS = {"FULL_1004": 45_000, "DESKTOP_1004": 25_000, "INSPECTION": 15_000, "CONDO_1073": 50_000}
MAILS = [
    ("Re: 14 Oak Ln appraisal", "Thanks for the update. Can you call me Thursday at 2pm to go over the comps?", None),
    ("Turnaround", "This is the third late report this month. We are very unhappy with the turnaround times.", None),
    ("Automatic reply: order", "I am out of the office until Monday with limited access to email.", {"Auto-Submitted": "auto-replied"}),
    ("Delivery Status Notification (Failure)", "Delivery to the following recipient failed permanently.", None),
    ("New order", "Attached is the engagement letter for 220 River Rd. Standard turn time please.", None),
    ("Re: panel", "Please remove me from your mailing list.", None),
    ("Re: volume", "We should call them about expanding into two more counties next quarter.", None),
]


def generate(tenants: list[str], contacts_per_tenant: int, base: int, seed: int = 7) -> list[tuple[str, dict]]:
    rng = random.Random(seed)
    out: list[tuple[str, dict]] = []
    emails: dict[tuple[str, str], str] = {}    # (tenant, contact_id) -> email of its first contact event
    first_contact: dict[tuple[str, str], tuple] = {}   # (tenant, client_id) -> (contact id, email) of its first
    for tenant in tenants:
        n = 0

        def add(type_name, **fields):
            nonlocal n
            n += 1
            fields.setdefault("occurred_at", base - 90 * DAY)
            out.append((type_name, {"event_id": f"{tenant}-{type_name}-{n}", "tenant_id": tenant, **fields}))

        # limited_live: the demo sends, to a local Resend-shaped server (revloop.connectors.resend_local).
        # 150 an hour: room beyond the hour's engagement proposals (at most 100) for the engines' mail.
        add("control", enabled=True, send_mode="limited_live", caps={"emails": 150, "research": 2, "digests": 2},
            goals={"orders_per_month": 400})
        for person_id, name, roles in PEOPLE:
            add("person", person_id=person_id, name=name, email=f"{name.split()[0].lower()}@{tenant}.example",
                roles=list(roles), accounts=[], active=True)
        for template_id in sorted(DEFAULTS):
            add("template", **{k: v for k, v in default_event(template_id, tenant, base - 90 * DAY).items()
                              if k not in ("event_id", "tenant_id")})
        for code, fee in PRODUCTS.items():
            add("product_price", product_code=code, name=code.replace("_", " ").title(), fee_cents=fee,
                tolerance_pct=10.0)
        n_clients = max(contacts_per_tenant // 30, 5)
        clients = []
        for i in range(n_clients):
            cid = f"cl{i:04d}"
            domain = f"{rng.choice(LENDERS).lower()}{i}.example"
            clients.append((cid, domain))
            profile = rng.choice(["complete", "complete", "missing_data", "no_access"])
            # Mostly the items a lender's vendor manager lists; now and then nothing listed (that
            # reminder cannot be filled: the sender holds it and raises an alert).
            missing = sorted(rng.sample(VENDOR_ITEMS, rng.choice([0, 1, 1, 2, 2, 2]))) if profile == "missing_data" else []
            name = f"{rng.choice(LENDERS)} {rng.choice(KINDS)} {i}"
            active = rng.random() > 0.05
            credit, kind = rng.choice([200_000, 500_000, 1_000_000, 2_500_000]), rng.choice(["lender", "amc", "credit_union"])
            band, region = rng.choice("AABBBCCCCD"), rng.choice(["northeast", "midwest", "south", "west"])
            zip_code, state = OFFICES[region][i % len(OFFICES[region])]
            add("client", client_id=cid, name=name, active=active, credit_limit_cents=credit, client_type=kind,
                revenue_band=band, region=region, domains=[domain], state=state, zip=zip_code,
                vendor_profile_status=profile, vendor_profile_missing=missing, occurred_at=base - 120 * DAY)
        for i in range(contacts_per_tenant):
            cid, domain = clients[rng.randrange(n_clients)]
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{first.lower()}.{last.lower()}{i}@{domain}"
            emails.setdefault((tenant, f"ct{i:06d}"), email)
            first_contact.setdefault((tenant, cid), (f"ct{i:06d}", email))
            add("contact", contact_id=f"ct{i:06d}", email=email, client_id=cid, name=f"{first} {last}",
                title=rng.choice(["Loan Officer", "Processor", "Vendor Manager", "Underwriter", "VP Lending"]),
                source="import", opted_out=rng.random() < 0.01, occurred_at=base - 100 * DAY)
            if rng.random() < 0.9:   # a spread of last touches; a tenth were never touched
                add("touch", contact_id=f"ct{i:06d}", channel=rng.choice(["email", "call", "meeting"]),
                    direction="outbound", by=rng.choice(["sam", "lee", "agent"]),
                    occurred_at=base - int(rng.uniform(0, 40) * DAY))
            if rng.random() < 0.01:
                add("email_outcome", outcome="bounced", recipient=email, bounce_type="hard",
                    occurred_at=base - rng.randrange(1, 30) * DAY)
        for i in range(contacts_per_tenant // 3):
            cid, _ = clients[rng.randrange(n_clients)]
            code = rng.choice(list(PRODUCTS))
            fee = PRODUCTS[code] + rng.choice([0, 0, 0, 2_500, -2_500])
            tech = rng.choice([0, 1_500, 2_500])
            roll = rng.random()
            if roll < 0.03:
                fee = 0                       # zero fee
            total = fee + tech
            if 0.03 <= roll < 0.06:
                total = fee - 5_000           # total below fee
            address = None if 0.06 <= roll < 0.09 else f"{rng.randrange(10, 9999)} {rng.choice(LAST)} St"
            add("order", order_id=f"or{i:06d}", client_id=cid, change="created", product_code=code, fee_cents=fee,
                tech_fee_cents=tech, total_cents=total, payment_method=rng.choice(["bill", "bill", "card"]),
                property_address=address, borrower_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                borrower_email=None if 0.09 <= roll < 0.11 else "borrower@home.example",
                inspection_required=code == "INSPECTION",
                property_contact_name="Owner" if rng.random() > 0.2 else None, property_contact_phone="5550100",
                occurred_at=base - int(rng.uniform(0, 45) * DAY))
        for i in range(max(contacts_per_tenant // 50, 3)):
            cid, _ = clients[rng.randrange(n_clients)]
            contact_id, submitter = first_contact.get((tenant, cid), (None, None))
            add("deal", deal_id=f"dl{i:04d}", client_id=cid, contact_id=contact_id, name=f"Panel expansion {i}",
                stage=rng.choice(["lead", "qualified", "proposal", "negotiation", "won", "lost"]),
                next_step=rng.choice(NEXT_STEPS),
                amount_cents=rng.randrange(10, 200) * 100_000, occurred_at=base - rng.randrange(1, 60) * DAY)
            add("bid", bid_id=f"bd{i:04d}", client_id=cid, contact_id=contact_id, submitter_email=submitter,
                status=rng.choice(["requested", "submitted", "won", "lost"]),
                amount_cents=rng.randrange(300, 900) * 100, due_at=base + rng.randrange(3, 20) * DAY,
                occurred_at=base - rng.randrange(1, 30) * DAY)
        for i in range(max(contacts_per_tenant // 20, 7)):
            subject, body, headers = MAILS[i % len(MAILS)]
            j = rng.randrange(contacts_per_tenant)
            sender = emails[(tenant, f"ct{j:06d}")]
            add("gmail_message", mailbox=f"ops@{tenant}.example", message_id=f"m{i:05d}", thread_id=f"th{i:05d}",
                from_header=sender, to_header=f"ops@{tenant}.example", subject=subject, body_text=body,
                headers=headers or {}, occurred_at=base - rng.randrange(1, 72) * HOUR)
    return out

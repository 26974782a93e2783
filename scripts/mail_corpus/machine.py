"""Mail that people did not write this time: auto-replies, bounces, bulk mail, vendors' pitches,
and our own outbound mail as it appears quoted in a reply."""
from __future__ import annotations

import random

OUR_FOOTER = "--\n{postal}\nTo stop receiving these emails: https://keystonevaluation.com/u/{token}"
POSTAL = ["Keystone Valuation, 1200 Commerce St, Suite 400, Springfield, IL 62701",
          "Keystone Valuation LLC, PO Box 2210, Riverton, TX 78701"]

OUR_OUTBOUND = [
    ("Checking in", "Hi {first},\n\nIt's been a few weeks since we last worked together on a file. Anything coming up "
                    "we can help with? Our current turn time is 5 business days.\n\nBest,\nDan Reyes\nKeystone Valuation"),
    ("How did we do on {addr}?", "Hi {first},\n\nWe delivered the report for {addr} last week. Would you take a minute "
                                 "to tell us how we did?\n\nThanks,\nRachel\nKeystone Valuation"),
    ("Order received: {addr}", "Hello {first},\n\nWe received your order for {addr} ({ref}). The inspection will be "
                               "scheduled within 48 hours.\n\nKeystone Valuation Orders"),
    ("Vendor profile reminder", "Hi {first},\n\nOur vendor profile with {company} is missing an updated W-9. Could you "
                                "let us know where to upload it?\n\nThanks,\nSofia\nKeystone Valuation"),
    ("Following up on our bid", "Hi {first},\n\nFollowing up on the bid we sent for {addr}. Happy to answer any "
                                "questions.\n\nBest regards,\nJim\nKeystone Valuation"),
]


def our_outbound(rng: random.Random, fill) -> tuple[str, str]:
    subject, body = rng.choice(OUR_OUTBOUND)
    footer = OUR_FOOTER.format(postal=rng.choice(POSTAL), token="".join(rng.choice("abcdef0123456789") for _ in range(24)))
    return fill(subject), fill(body) + "\n\n" + footer


OOO = [
    ("Automatic reply: {subject}", "Thank you for your email. I am currently out of the office with limited access to "
     "email and will return on {return_date}. For urgent matters please contact {alt} at {alt_email}."),
    ("Out of Office: {subject}", "I'm out of the office until {return_date}. I will respond to your message when I return."),
    ("Auto: {subject}", "I am on vacation through {return_date} and will not be checking email. Your message will not "
     "be forwarded. If this is regarding a closing, please call our main line at {phone}."),
    ("Re: {subject}", "Hello,\n\nI am away from the office on maternity leave until {return_date}. Please direct all "
     "appraisal questions to {alt_email}.\n\nThank you."),
    ("Autoreply: {subject}", "This is an automated response. I'm traveling for work this week with intermittent email "
     "access. I'll get back to you as soon as I can. For anything time-sensitive, reach {alt} at {phone}."),
    ("OOO", "Out of office {return_date_short}. Limited email."),
    ("Respuesta automática: {subject}", "Gracias por su mensaje. Estoy fuera de la oficina hasta el {return_date} con "
     "acceso limitado al correo. Para asuntos urgentes comuníquese con {alt} al {phone}."),
    ("Fuera de la oficina", "Estoy de vacaciones y regreso el {return_date}. Su mensaje no será reenviado."),
    ("Away: {subject}", "Thanks for reaching out! I'm at a conference until {return_date}. If you need help with an "
     "order before then, {alt} ({alt_email}) is covering my desk."),
    ("Automatic reply: {subject}", "Please note our office is closed for the holiday and will reopen on {return_date}. "
     "We will respond to your email then."),
    ("I'm out of the office", "Hi, I'm currently out on PTO and will be back {return_date}. For urgent loan matters "
     "contact {alt_email}. Thanks!"),
    ("Auto Reply", "I no longer work at this company. Please contact {alt_email} for anything related to your orders."),
]
OOO_HEADERS = [
    {"Auto-Submitted": "auto-replied"}, {"Auto-Submitted": "auto-replied", "X-Autoreply": "yes"},
    {"X-Auto-Response-Suppress": "All", "Auto-Submitted": "auto-generated"}, {"Precedence": "auto_reply"}, {},
    {"X-Autorespond": "yes"}, {},
]

BOUNCES = [
    ("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Delivery Status Notification (Failure)",
     "** Address not found **\n\nYour message wasn't delivered to {rcpt} because the address couldn't be found, or is "
     "unable to receive mail.\n\nThe response from the remote server was:\n550 5.1.1 The email account that you tried "
     "to reach does not exist.", {"Content-Type": "multipart/report; report-type=delivery-status; boundary=abc"}),
    ("postmaster@{domain}", "Undeliverable: {subject}",
     "Delivery has failed to these recipients or groups:\n\n{rcpt}\nThe email address you entered couldn't be found. "
     "Please check the recipient's email address and try to resend the message.\n\nDiagnostic information for "
     "administrators:\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP "
     "address lookup'", {"X-MS-Exchange-Message-Is-Ndr": ""}),
    ("MAILER-DAEMON@mail.{domain} (Mail Delivery System)", "Undelivered Mail Returned to Sender",
     "This is the mail system at host mail.{domain}.\n\nI'm sorry to have to inform you that your message could not\nbe "
     "delivered to one or more recipients. It's attached below.\n\n<{rcpt}>: host mx.{domain}[203.0.113.7] said: 550 "
     "5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table", {"X-Failed-Recipients": "{rcpt}"}),
    ("MAILER-DAEMON@{domain}", "failure notice",
     "Hi. This is the qmail-send program at {domain}.\nI'm afraid I wasn't able to deliver your message to the following "
     "addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<{rcpt}>:\nmailbox unavailable", {}),
    ("Mail Delivery System <MAILER-DAEMON@smtp.{domain}>", "Mail delivery failed: returning message to sender",
     "This message was created automatically by mail delivery software.\n\nA message that you sent could not be "
     "delivered to one or more of its recipients. This is a permanent error. The following address(es) failed:\n\n  "
     "{rcpt}\n    host mx.{domain}: 552 5.2.2 mailbox full", {}),
    ("Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@{domain}>", "Undeliverable: {subject}",
     "Your message to {rcpt} couldn't be delivered.\n{rcpt_user} wasn't found at {domain}.\n\nAction Required\nUnknown "
     "To address", {}),
    ("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Address not found",
     "Your message wasn't delivered to {rcpt} because the domain {domain} couldn't be found. Check for typos or "
     "unnecessary spaces and try again.", {}),
    ("postmaster@{domain}", "Returned mail: see transcript for details",
     "The original message was received at {date}\nfrom localhost [127.0.0.1]\n\n   ----- The following addresses had "
     "permanent fatal errors -----\n<{rcpt}>\n    (reason: 550 5.7.1 Message rejected as spam)", {}),
    ("Correo del sistema <mailer-daemon@{domain}>", "No se pudo entregar: {subject}",
     "No se ha podido entregar el mensaje a {rcpt}. El buzón no existe.\n\n550 5.1.1 usuario desconocido", {}),
]

BULK = [
    ("Your weekly market update", "MARKET WATCH | Week of {date}\n\nMedian sale price in {county} County rose 2.1% this "
     "month. Inventory remains tight.\n\nRead the full report on our site.\n\nYou are receiving this email because you "
     "subscribed to Market Watch. Unsubscribe | Manage preferences", {"List-Unsubscribe": "<mailto:unsub@news.example>"}),
    ("Grow your appraisal business in 2027", "Hi there,\n\nAppraisal firms using OrderFlow cut turn times by 30%. Book a "
     "demo this week and get two months free!\n\nCall us at 800-555-0199 or reply to this email.\n\nReply STOP to opt "
     "out.", {}),
    ("Quick question about your appraisal volume", "Hi {first},\n\nI noticed Keystone Valuation is growing fast. We help "
     "firms like yours find more lender clients. Can we get 15 minutes on your calendar next week?\n\nBest,\nChad\n"
     "LeadGenPro\n\nReply STOP to unsubscribe.", {}),
    ("CE credits expiring soon", "Your continuing education deadline is approaching. Enroll today in our 7-hour USPAP "
     "update course.\n\nTo unsubscribe from these emails click here.", {"List-Unsubscribe": "<https://ce.example/u>",
                                                                         "Precedence": "bulk"}),
    ("New rate sheet", "Attached is today's rate sheet for broker partners.\n\nThis message was sent to {rcpt}. To stop "
     "receiving rate sheets, update your preferences.", {"List-Id": "<rates.lender.example>", "Precedence": "list"}),
    ("Don't miss our webinar: 2027 housing outlook", "Join our chief economist on Thursday at 2pm ET for a look ahead "
     "at the housing market.\n\nRegister now!\n\nView this email in your browser | Unsubscribe",
     {"List-Unsubscribe": "<mailto:leave@webinar.example>"}),
    ("Invoice software for appraisers", "Still chasing payments? Our invoicing tool gets appraisers paid 2x faster. "
     "Try it free for 30 days.\n\nText STOP to 55512 to opt out of messages.", {}),
    ("Last chance: USPAP course seats", "Seats are filling up for next month's 15-hour USPAP course. Reserve yours "
     "today.\n\nIf you no longer wish to receive these emails, unsubscribe here.", {"Precedence": "bulk"}),
]

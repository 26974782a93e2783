"""Generate the labelled inbound-mail corpus: tests/data/mail_corpus.jsonl.

    python3 scripts/mail_corpus/generate.py [--n 2600] [--seed 16] [--out tests/data/mail_corpus.jsonl]

Deterministic for a seed. Every email is composed from an author (a person with a style: formality,
typos, case, signature, quoting client, language), a scenario (what the email does) and phrasings
drawn from intents_en / intents_es / machine. Authors' styles are split dev / test (about 30 % of
the styles are test-only), and so are the phrasings: every fourth entry of each list is kept for
test authors, who also use dev phrasings 40 % of the time. The labelling guide is
tests/data/MAIL_LABELLING.md; each record carries its gold labels, request type, requested time
(with the resolved window), the sender's new text and the evidence spans (offsets in the body).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

import intents_en as EN  # noqa: E402
import intents_es as ES  # noqa: E402
import machine  # noqa: E402
import timeexpr  # noqa: E402
from compose import (CLOSINGS, DISCLAIMERS, GREETINGS, Author, Body, business_time, date_header,  # noqa: E402
                     forward_block, make_authors, make_styles, noisy, quote_block, signature)
from lexicon import (COUNTIES, DOCS, DOCS_ES, FIRST, LAST, OUR_PEOPLE, PRODUCTS, STREETS, THIRD_PARTIES,  # noqa: E402
                     THIRD_PARTIES_ES, TOPICS, TOPICS_ES, CITIES)

ROOT = Path(__file__).resolve().parents[2]
REQUEST_TYPES = ("call", "meeting", "site_visit", "quote", "document", "order_change", "third_party")

SUBJECT_REQUESTS = {
    "call": ["Call me{time}", "pls call me{time} re {addr}", "Can you call me{time}?", "call me when u can",
             "Need a call{time} about {addr}", "Give me a ring{time}"],
    "meeting": ["Meeting{time}?", "Can we meet{time}?", "Set up a meeting re: panel", "Zoom{time} to go over volume?"],
    "site_visit": ["Re-inspect {addr}{time}", "Need 1004D at {addr}", "Reinspection needed - {addr}",
                   "Pls send appraiser back to {addr}"],
    "quote": ["Quote request: {product} at {addr}", "Need a quote for a {product}", "Pricing for {product}?",
              "Bid request - {addr}"],
    "document": ["Resend invoice {ref}", "Need W-9 and E&O", "Please send final report {addr}", "Send {doc} pls"],
    "order_change": ["Cancel order {ref}", "Change due date {ref}", "Please put {addr} on hold", "Update borrower phone {ref}"],
    "third_party": ["Please contact listing agent for {addr}", "Call the borrower{time} re access"],
}
SUBJECTS_PLAIN = ["{addr}", "Order {ref}", "Question", "quick q", "Inspection at {addr}", "{addr} appraisal", "Loan {ref}",
                  "Following up", "", "Appraisal for {addr}", "Checking in", "FW: {addr}", "Revision - {addr}", "hi",
                  "Status", "{company} / Keystone", "Panel", "Report", "Orden {ref}", "Consulta"]


@dataclass
class Email:
    subject: str = ""
    sender: str = ""
    headers: dict = field(default_factory=dict)
    body: Body = field(default_factory=Body)
    labels: set = field(default_factory=set)
    request_type: str | None = None
    time: timeexpr.TimeGold | None = None
    evidence: list = field(default_factory=list)     # {"label", "source", "start", "end"}
    patterns: set = field(default_factory=set)


class Gen:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.styles = make_styles(self.rng, 48)
        self.test_styles = {s.sid for i, s in enumerate(self.styles) if i % 10 in (2, 5, 8)}
        self.authors = make_authors(self.rng, self.styles, 4)

    # -- phrasings, split by position between dev and test authors --------------------------------
    def pick(self, items: list, split: str):
        dev = [x for i, x in enumerate(items) if i % 4 != 3]
        test = [x for i, x in enumerate(items) if i % 4 == 3]
        if split == "test" and test and self.rng.random() < 0.6:
            return self.rng.choice(test)
        return self.rng.choice(dev or items)

    def ctx(self, a: Author, msg) -> dict:
        r = self.rng
        addr = f"{r.randint(10, 9999)} {r.choice(STREETS)}"
        if r.random() < 0.3:
            addr += f", {r.choice(CITIES)}"
        when = msg + timedelta(days=r.randint(3, 15))
        return {"addr": addr, "addr2": r.choice(STREETS).split()[0], "topic": r.choice(TOPICS), "doc": r.choice(DOCS),
                "product": r.choice(PRODUCTS), "tp": r.choice(THIRD_PARTIES), "ref": f"{r.choice(['#', '', 'A-', 'LN '])}{r.randint(1000, 99999)}",
                "phone": f"555-{r.randint(100, 999)}-{r.randint(1000, 9999)}", "county": r.choice(COUNTIES),
                "me": r.choice(["me", "me", "us"]), "company": a.company, "date": f"{when.month}/{when.day}",
                "name_tp": f"{r.choice(FIRST)} {r.choice(LAST)}", "topic_es": r.choice(TOPICS_ES),
                "doc_es": r.choice(DOCS_ES), "tp_es": r.choice(THIRD_PARTIES_ES), "our": r.choice(OUR_PEOPLE[:4]),
                "first": a.first}

    @staticmethod
    def fill(template: str, ctx: dict) -> str:
        class Keep(dict):
            def __missing__(self, key):
                return "{" + key + "}"
        return template.format_map(Keep(ctx))

    # -- sentences -------------------------------------------------------------------------------
    def request(self, a: Author, split: str, rtype: str, ctx: dict, msg, want_time: bool):
        """(sentence with {time} still open, TimeGold or None)."""
        r = self.rng
        if a.style.lang == "es":
            template = self.pick(ES.REQUEST_ES[rtype], split)
        elif r.random() < 0.55:
            base, ing = self.pick(EN.REQUEST_VP[rtype], split)
            wrapper = self.pick(EN.WRAPPERS, split)
            template = wrapper.replace("{Vp}", base[:1].upper() + base[1:]).replace("{vping}", ing).replace("{vp}", base)
        else:
            template = self.pick(EN.REQUEST_FREE[rtype], split)
        gold = None
        if "{time}" in template and want_time:
            gold = timeexpr.spanish(r, msg) if a.style.lang == "es" else timeexpr.english(r, msg)
        return self.fill(template, ctx), gold

    def finish(self, a: Author, sentence: str, gold) -> str:
        """Noise first (the time phrase stays as written), then the time."""
        text = noisy(self.rng, sentence, a.style)
        text = text.replace("{time}", (" " + gold.text) if gold else "")
        if a.style.lowercase:
            text = text.lower()
        return text

    def phrase(self, a: Author, split: str, en: list, es: list | None, ctx: dict) -> str:
        items = es if (a.style.lang == "es" and es) else en
        return self.finish(a, self.fill(self.pick(items, split), ctx), None)

    # -- scenarios -------------------------------------------------------------------------------
    def conversational(self, a: Author, split: str) -> Email:
        r = self.rng
        tz = ZoneInfo(a.tz)
        msg = business_time(r, tz)
        ctx = self.ctx(a, msg)
        e = Email(sender=a.address)
        primary = r.choices(["request", "opt_out", "complaint", "urgent", "renewal", "upsell", "none"],
                            weights=[36, 12, 10, 8, 7, 8, 19])[0]
        intents = [primary]
        extra = {"request": [("urgent", 0.2), ("complaint", 0.07)], "complaint": [("urgent", 0.2), ("request", 0.3)],
                 "upsell": [("request", 0.35)], "renewal": [("request", 0.3)], "urgent": [("request", 0.5), ("complaint", 0.1)],
                 "opt_out": [("complaint", 0.08)], "none": []}[primary]
        for label, p in extra:
            if r.random() < p:
                intents.append(label)
        if primary == "renewal" and a.style.lang != "es" and r.random() < 0.3:
            intents = ["renewal_doc"] + [i for i in intents[1:] if i != "request"]
        # Where the new text sits: a reply to our mail (our footer quoted), to their own earlier mail, a forward.
        setting = r.choices(["fresh", "reply_ours", "reply_own", "forward", "subject_only"],
                            weights=[40, 33, 12, 8, 7 if "request" in intents else 0])[0]
        if a.style.lang == "es" and setting == "subject_only":
            setting = "fresh"
        rtype = r.choice(REQUEST_TYPES)
        if primary == "upsell":
            rtype = r.choice(["meeting", "quote", "call"])
        if primary == "renewal":
            rtype = r.choice(["document", "call", "meeting"])

        body = e.body
        greeting_style = "es" if a.style.lang in ("es", "mixed") else a.style.formality
        greeting = self.fill(r.choice(GREETINGS[greeting_style]), ctx)
        sentences: list[tuple[str, str | None, object]] = []  # (text, label, time gold)
        lo, hi = a.style.fillers
        for _ in range(r.randint(lo, hi)):
            sentences.append((self.phrase(a, split, EN.FILLER, ES.FILLER_ES, ctx), None, None))
        ps = None
        for label in intents:
            if label == "request":
                want_time = r.random() < 0.6
                sent, gold = self.request(a, split, rtype, ctx, msg, want_time)
                text = self.finish(a, sent, gold)
                if gold and gold.deadline and gold.text == "tonight":
                    text += " " + self.finish(a, r.choice(["The rate lock expires tomorrow at noon.",
                                                           "We lose the rate lock tomorrow at noon."]), None)
                    intents.append("urgent_silent")
                    e.labels.add("urgent")
                e.request_type, e.time = rtype, gold
                if r.random() < a.style.ps_rate and setting != "subject_only":
                    ps = (("P.S. " if r.random() < 0.7 else "PS - ") + text, "explicit_request")
                    e.patterns.add("ps_request")
                elif setting != "subject_only":
                    sentences.insert(r.randint(0, len(sentences)), (text, "explicit_request", gold))
                e.labels.add("explicit_request")
            elif label == "renewal_doc":
                text = self.phrase(a, split, EN.RENEWAL_DOC, None, ctx)
                start_pos = r.randint(0, len(sentences))
                sentences.insert(start_pos, (text, "renewal+explicit_request", None))
                e.labels |= {"renewal", "explicit_request"}
                e.request_type = "document"
            elif label == "opt_out":
                text = self.phrase(a, split, EN.OPT_OUT, ES.OPT_OUT_ES, ctx)
                sentences.insert(r.randint(0, len(sentences)), (text, "opt_out", None))
                e.labels.add("opt_out")
                if len(sentences) == 1 and r.random() < 0.5:
                    greeting = ""
            elif label in ("complaint", "urgent", "renewal", "upsell"):
                en_list = {"complaint": EN.COMPLAINT, "urgent": EN.URGENT, "renewal": EN.RENEWAL, "upsell": EN.UPSELL}[label]
                es_list = {"complaint": ES.COMPLAINT_ES, "urgent": ES.URGENT_ES, "renewal": ES.RENEWAL_ES,
                           "upsell": ES.UPSELL_ES}[label]
                for _ in range(1 if r.random() < 0.7 else 2):
                    sentences.insert(r.randint(0, len(sentences)), (self.phrase(a, split, en_list, es_list, ctx), label, None))
                e.labels.add(label)
        # Hard negatives for labels the email does not carry.
        pools = [(EN.REQUEST_HARD_NEG, "explicit_request"), (EN.OPT_OUT_HARD_NEG, "opt_out"),
                 (EN.COMPLAINT_HARD_NEG, "complaint"), (EN.URGENT_HARD_NEG, "urgent"), (EN.RENEWAL_HARD_NEG, "renewal"),
                 (EN.UPSELL_HARD_NEG, "upsell")]
        n_neg = r.choices([0, 1, 2], weights=[35, 45, 20] if primary != "none" else [10, 55, 35])[0]
        for _ in range(n_neg):
            pool, label = r.choice([p for p in pools if p[1] not in e.labels] or pools[:1])
            if a.style.lang == "es":
                pool = ES.HARD_NEG_ES
            text = self.phrase(a, split, pool, None, ctx)
            if label == "explicit_request" and "Call me crazy" in text:
                e.patterns.add("idiom_call_me_crazy")
            if label == "opt_out" and "STOP" in text:
                e.patterns.add("reply_stop_inline")
            sentences.insert(r.randint(0, len(sentences)), (text, None, None))
        if not sentences and setting != "subject_only":
            sentences.append((self.phrase(a, split, EN.FILLER, ES.FILLER_ES, ctx), None, None))

        # Subject.
        if setting == "subject_only":
            sent, gold = self.fill(self.pick(SUBJECT_REQUESTS[rtype], split), ctx), None
            if "{time}" in sent and r.random() < 0.6:
                gold = timeexpr.english(r, msg)
            e.subject = self.finish(a, sent, gold)
            e.time = gold
            e.evidence.append({"label": "explicit_request", "source": "subject", "start": 0, "end": len(e.subject)})
            e.patterns.add("subject_only")
            sentences = [s for s in sentences if s[1] is None][: r.randint(0, 1)]
            greeting = "" if r.random() < 0.6 else greeting
        elif setting in ("reply_ours", "reply_own"):
            e.subject = None  # set with the quote
        else:
            e.subject = self.fill(r.choice(SUBJECTS_PLAIN), ctx)

        # Body: greeting, sentences, P.S., closing, signature, disclaimer, then quoted or forwarded text.
        first_inline = a.style.inline_greeting and greeting and sentences
        if greeting and not first_inline:
            body.add("greeting", greeting)
            if r.random() < 0.7:
                body.text += "\n"
        paragraph_breaks = r.random() < 0.5
        for i, (text, label, gold) in enumerate(sentences):
            sep = "\n\n" if (paragraph_breaks and i) else (" " if i else "\n")
            if i == 0 and first_inline:
                start, end = body.add("content", f"{greeting} {text}")
                start = end - len(text)
            else:
                start, end = body.add("content", text, sep if body.text else "")
            for one in (label or "").split("+"):
                if one:
                    e.evidence.append({"label": one, "source": "body", "start": start, "end": end})
        closing_style = "es" if a.style.lang in ("es", "mixed") else a.style.formality
        closing = r.choice(CLOSINGS[closing_style])
        sig = signature(r, a)
        if ps and r.random() < 0.5:
            start, end = body.add("ps", ps[0], "\n\n")
            e.evidence.append({"label": ps[1], "source": "body", "start": start, "end": end})
            ps = None
        if closing:
            body.add("closing", closing, "\n\n" if body.text else "")
        if sig:
            body.add("signature", "\n".join(sig), "\n" if closing else "\n\n")
            if any(line.startswith("Call") for line in sig):
                e.patterns.add("sig_call_me")
        if ps:
            start, end = body.add("ps", ps[0], "\n\n")
            e.evidence.append({"label": ps[1], "source": "body", "start": start, "end": end})
        if a.style.disclaimer and r.random() < 0.7:
            body.add("disclaimer", r.choice(DISCLAIMERS), "\n\n")
        self.thread(e, a, split, setting, msg, ctx)
        e.headers = {"Date": date_header(msg), "To": "Keystone Valuation <orders@keystonevaluation.com>"}
        e.msg = msg
        if a.style.lang != "en":
            e.patterns.add("spanish" if a.style.lang == "es" else "spanish_greeting")
        if a.style.typo >= 0.05:
            e.patterns.add("misspelt")
        return e

    def thread(self, e: Email, a: Author, split: str, setting: str, msg, ctx: dict) -> None:
        r, body = self.rng, e.body
        earlier = msg - timedelta(days=r.randint(1, 20), minutes=r.randint(0, 600))
        fill = lambda t: self.fill(t, ctx)  # noqa: E731
        quote_style = a.style.quote
        if setting == "reply_ours":
            subject, text = machine.our_outbound(r, fill)
            e.subject = e.subject if e.subject is not None and setting == "subject_only" else f"Re: {subject}"
            blocks = quote_block(r, quote_style, r.choice(["Dan Reyes", "Rachel Kim", "Keystone Valuation", "Sofia Marin"]),
                                 "hello@keystonevaluation.com", earlier, subject, text)
            e.patterns.add("quoted_footer")
        elif setting == "reply_own":
            # Their own earlier mail, quoted: its request or opt-out is old news.
            rtype = r.choice(REQUEST_TYPES)
            old, _ = self.request(a, split, rtype, ctx, earlier, False)
            old = old.replace("{time}", "")
            extra = r.choice(EN.OPT_OUT[:10] + EN.COMPLAINT[:5] + [""]) if r.random() < 0.4 else ""
            subject = self.fill(r.choice(SUBJECTS_PLAIN[:8]), ctx) or "Order"
            text = "\n\n".join(t for t in (f"Hi {ctx['our']},", old, extra, f"Thanks,\n{a.first}") if t)
            e.subject = f"Re: {subject}"
            blocks = quote_block(r, quote_style, f"{a.first} {a.last}", a.address.split("<")[1][:-1], earlier, subject, text)
            e.patterns.add("quoted_request")
        elif setting == "forward":
            tp_first, tp_last = r.choice(FIRST), r.choice(LAST)
            rtype = r.choice(REQUEST_TYPES)
            inner, _ = self.request(a, split, rtype, ctx, earlier, False)
            inner = inner.replace("{time}", "")
            # A forwarded complaint about our service is still a complaint; a forwarded ask was made to the forwarder.
            complaint = r.random() < 0.3
            parts = [f"Hi {a.first},", inner]
            if complaint:
                complaint = self.fill(r.choice(EN.COMPLAINT), ctx)
                parts.append(complaint)
                e.labels.add("complaint")
                e.patterns.add("forwarded_complaint")
            text = "\n\n".join(parts + [f"{tp_first}"])
            subject = self.fill(r.choice(SUBJECTS_PLAIN[:8]), ctx) or "Inspection"
            e.subject = f"Fwd: {subject}" if r.random() < 0.6 else f"FW: {subject}"
            blocks = forward_block(r, f"{tp_first} {tp_last}", f"{tp_first.lower()}@{r.choice(['gmail.com', 'cornerstonerealty.net'])}",
                                   earlier, subject, text, a.style.lang)
            if complaint:
                # The forwarded text starts after "\n\n" + the forward header + "\n".
                start = len(body.text) + 2 + len(blocks[0][1]) + 1 + text.index(complaint)
                e.evidence.append({"label": "complaint", "source": "body", "start": start, "end": start + len(complaint)})
            e.patterns.add("forwarded_request")
        else:
            return
        sep = "\n\n"
        for kind, chunk in blocks:
            body.add(kind, chunk, sep)
            sep = "\n"

    def auto_reply(self, a: Author) -> Email:
        r = self.rng
        msg = business_time(r, ZoneInfo(a.tz))
        ctx = self.ctx(a, msg)
        subject_tpl, text = r.choice(machine.OOO)
        back = msg + timedelta(days=r.randint(2, 14))
        our_subject, our_text = machine.our_outbound(r, lambda t: self.fill(t, ctx))
        fill = {"subject": our_subject, "return_date": back.strftime("%A, %B %-d"), "return_date_short": f"{back.month}/{back.day}",
                "alt": f"{r.choice(FIRST)} {r.choice(LAST)}", "alt_email": f"team@{a.domain}", "phone": a.phone}
        e = Email(subject=subject_tpl.format(**fill), sender=a.address, labels={"out_of_office"}, patterns={"auto_reply"})
        start, end = e.body.add("content", text.format(**fill))
        e.evidence.append({"label": "out_of_office", "source": "body", "start": start, "end": end})
        if r.random() < 0.4:
            e.body.add("signature", "\n".join(signature(r, a)) or a.first, "\n\n")
        if r.random() < 0.3:
            for kind, chunk in quote_block(r, a.style.quote, "Dan Reyes", "hello@keystonevaluation.com",
                                           msg - timedelta(minutes=1), our_subject, our_text):
                e.body.add(kind, chunk, "\n\n" if kind == "reply_header" else "\n")
            e.patterns.add("quoted_footer")
        e.headers = {"Date": date_header(msg), **r.choice(machine.OOO_HEADERS)}
        e.msg = msg
        return e

    def bounce(self, a: Author) -> Email:
        r = self.rng
        msg = business_time(r, ZoneInfo(a.tz))
        ctx = self.ctx(a, msg)
        sender, subject, text, headers = r.choice(machine.BOUNCES)
        rcpt = a.address.split("<")[1][:-1]
        domain = rcpt.split("@")[1]
        our_subject, our_text = machine.our_outbound(r, lambda t: self.fill(t, ctx))
        f = {"rcpt": rcpt, "rcpt_user": rcpt.split("@")[0], "domain": domain, "subject": our_subject,
             "date": msg.strftime("%a, %d %b %Y %H:%M")}
        e = Email(subject=subject.format(**f), sender=sender.format(**f), labels={"bounce"})
        start, end = e.body.add("content", text.format(**f))
        e.evidence.append({"label": "bounce", "source": "body", "start": start, "end": end})
        if r.random() < 0.5:
            e.body.add("quoted", "----- Original message -----\n\n" + f"Subject: {our_subject}\n\n" + our_text, "\n\n")
        e.headers = {"Date": date_header(msg), **{k: v.format(**f) for k, v in headers.items()}}
        e.msg = msg
        return e

    def bulk(self, a: Author) -> Email:
        r = self.rng
        msg = business_time(r, ZoneInfo(a.tz))
        subject, text, headers = r.choice(machine.BULK)
        f = {"first": "there" if r.random() < 0.5 else "Dan", "county": r.choice(COUNTIES), "date": msg.strftime("%B %-d"),
             "rcpt": "orders@keystonevaluation.com"}
        e = Email(subject=subject, sender=r.choice(["news@marketwatch-realty.example", "Chad <chad@leadgenpro.example>",
                                                     "OrderFlow <hello@orderflow.example>", "CE Hub <noreply@cehub.example>",
                                                     "Rates <rates@lender.example>", "Events <events@webinar.example>"]))
        e.body.add("content", text.format(**f))
        e.patterns.add("bulk")
        if "STOP" in text:
            e.patterns.add("reply_stop_pitch")
        e.headers = {"Date": date_header(msg), **headers}
        e.msg = msg
        return e

    def machine_negative(self, a: Author, split: str) -> Email:
        """A person writing about absence or bounces: not an auto-reply, not a DSN."""
        r = self.rng
        msg = business_time(r, ZoneInfo(a.tz))
        ctx = self.ctx(a, msg)
        lines = ["Sorry for the slow reply, I was out of the office last week.",
                 "My email to your ops address bounced back, so I'm resending from my personal account.",
                 "I'll be on vacation from the 12th through the 19th, so Beth will send the next orders.",
                 "Heads up, we're closed Monday for the holiday, so expect the orders on Tuesday.",
                 "The borrower's email keeps bouncing, so I'm using her cell instead.",
                 "Back in the office today after a week out, catching up on the {addr} file.",
                 "Our mail server was down yesterday, so if you sent anything, it may have bounced."]
        e = Email(subject=self.fill(r.choice(SUBJECTS_PLAIN[:10]), ctx), sender=a.address)
        e.body.add("greeting", self.fill(r.choice(GREETINGS["neutral"]), ctx))
        e.body.add("content", self.finish(a, self.fill(self.pick(lines, split), ctx), None), "\n\n")
        e.body.add("closing", "Thanks,", "\n\n")
        e.body.add("signature", a.first)
        e.patterns.add("machine_hard_negative")
        e.headers = {"Date": date_header(msg)}
        e.msg = msg
        return e


def record(i: int, e: Email, a: Author, split: str) -> dict:
    body = e.body
    row = {
        "id": f"c{i:05d}", "split": split, "style": a.style.sid, "lang": a.style.lang,
        "subject": e.subject or "", "from": e.sender, "headers": e.headers, "body": body.text,
        "received_at": e.msg.isoformat(timespec="seconds"), "timezone": a.tz,
        "labels": sorted(l for l in e.labels if l in LABELS),
        "request_type": e.request_type if "explicit_request" in e.labels else None,
        "requested_time": e.time.as_json() if (e.time and "explicit_request" in e.labels) else None,
        "new_text": body.new_text(), "parts": [[k, s, t] for k, s, t in body.parts],
        "evidence": e.evidence, "patterns": sorted(e.patterns),
    }
    return row


LABELS = ("explicit_request", "complaint", "urgent", "renewal", "upsell", "opt_out", "out_of_office", "bounce")


def generate(n: int, seed: int) -> list[dict]:
    g = Gen(seed)
    rows = []
    for i in range(n):
        a = g.rng.choice(g.authors)
        split = "test" if a.style.sid in g.test_styles else "dev"
        kind = g.rng.choices(["conv", "ooo", "bounce", "bulk", "machine_neg"], weights=[78, 8, 6, 5, 3])[0]
        e = {"conv": lambda: g.conversational(a, split), "ooo": lambda: g.auto_reply(a), "bounce": lambda: g.bounce(a),
             "bulk": lambda: g.bulk(a), "machine_neg": lambda: g.machine_negative(a, split)}[kind]()
        rows.append(record(i, e, a, split))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2600)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "mail_corpus.jsonl")
    args = ap.parse_args(argv)
    rows = generate(args.n, args.seed)
    with args.out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        for label in row["labels"] or ["(none)"]:
            counts[(row["split"], label)] = counts.get((row["split"], label), 0) + 1
    for label in LABELS + ("(none)",):
        print(f"{label:18s} dev {counts.get(('dev', label), 0):5d}  test {counts.get(('test', label), 0):5d}")
    print(f"{len(rows)} emails -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Compare reply splitters on the labelled corpus: ours (processors.mail_text), mail-parser-reply,
email-reply-parser.

    .venv/bin/python bench/compare_reply_parsers.py [--examples N]

Per email the corpus knows the sender's new text by part (greeting, content, P.S.) and what is
not theirs (quoted, forwarded, signature, disclaimer, our footer). Two figures per splitter:
* kept: every content sentence of the sender is in the extracted new text;
* leaked: some line that is not the sender's new text (>= 12 characters) is in it.
The library versions are whatever is installed (pip install mail-parser-reply email-reply-parser).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from revloop.processors.mail_text import split_mail  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "mail_corpus.jsonl"
NOT_NEW = {"quoted", "forwarded", "signature", "disclaimer", "reply_header", "forward_header"}


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().lower()


def ours(body: str, subject: str) -> str:
    return split_mail(body, subject).new_text


def mail_parser_reply(body: str, subject: str) -> str:
    from mailparser_reply import EmailReplyParser
    msg = EmailReplyParser(languages=["en", "es"]).read(body)
    return msg.replies[0].body if msg.replies else ""


def email_reply_parser(body: str, subject: str) -> str:
    from email_reply_parser import EmailReplyParser
    return EmailReplyParser.parse_reply(body)


SPLITTERS = {"ours": ours, "mail-parser-reply": mail_parser_reply, "email-reply-parser": email_reply_parser}


def judge(row: dict, extracted: str) -> tuple[bool, bool]:
    got = norm(extracted)
    body = row["body"]
    kept = all(norm(body[s:e]) in got for k, s, e in row["parts"] if k in ("content", "ps"))
    leaked = False
    for k, s, e in row["parts"]:
        if k in NOT_NEW or (k == "signature" and True):
            for line in body[s:e].split("\n"):
                line = norm(line.lstrip("> "))
                if len(line) >= 12 and line in got and not any(
                        line in norm(body[s2:e2]) for k2, s2, e2 in row["parts"] if k2 in ("content", "ps", "greeting")):
                    leaked = True
    return kept, leaked


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", type=int, default=0, help="print this many failures per splitter")
    args = ap.parse_args(argv)
    rows = [json.loads(line) for line in CORPUS.open(encoding="utf-8")]
    # Machine mail is one part in the corpus (its lines are not split by kind): left out.
    rows = [r for r in rows if not ({"bounce", "out_of_office"} & set(r["labels"]) or "bulk" in r["patterns"])]
    from rich.console import Console
    from rich.table import Table
    table = Table(title=f"new-text extraction on {len(rows)} emails (people's mail: bounces, auto-replies, bulk left out)")
    for col in ("splitter", "kept all content", "leaked other text", "both right"):
        table.add_column(col, justify="left" if col == "splitter" else "right")
    for name, fn in SPLITTERS.items():
        kept = leaked = right = 0
        shown = 0
        for row in rows:
            k, l = judge(row, fn(row["body"], row["subject"]))
            kept += k
            leaked += l
            right += k and not l
            if (not k or l) and shown < args.examples:
                shown += 1
                print(f"--- {name} {row['id']} kept={k} leaked={l}\n{fn(row['body'], row['subject'])[:600]}\n")
        n = len(rows)
        table.add_row(name, f"{kept / n:.1%}", f"{leaked / n:.1%}", f"{right / n:.1%}")
    Console().print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

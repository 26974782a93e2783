"""`revloop import` -> real broker -> `revloop export` gives the same events back."""
from __future__ import annotations

import json

from revloop.schemas.jsonl import parse_line, to_line
from revloop.streams.topics import topic_for
from tests.support.events import client, contact, event, good_order, touch

pytestmark = __import__("pytest").mark.integration


def valid_events():
    return [
        ("client", client("c1", region="midwest", domains=["lender.example"])),
        ("contact", contact("p1", client_id="c1", name="Pat Lee")),
        ("contact", contact("p2", client_id="c1")),
        ("touch", touch("p1")),
        ("order", good_order("o1")),
        ("order", good_order("o2", fee_cents=0)),
        ("control", event("control", kill_switch=False)),      # a tenant's: global ones are `revloop control set`'s
        ("deal", event("deal", deal_id="d1", client_id="c1", stage="lead")),   # (ticks are `revloop tick`'s)
    ]


def test_import_then_export_round_trips_and_bad_lines_are_reported(kafka, cli, tmp_path):
    good = [to_line(t, e) for t, e in valid_events()]
    bad = {
        3: "{this is not json",
        6: json.dumps({"type": "order", "event_id": "x", "tenant_id": "t1", "occurred_at": 1}),   # no order_id
        9: json.dumps({"type": "nonsense", "event_id": "x"}),
    }
    lines, goods = [], iter(good)
    for n in range(1, len(good) + len(bad) + 1):
        lines.append(bad[n] if n in bad else next(goods))
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n")

    proc = cli(kafka, "import", str(path))

    assert proc.returncode == 1
    for n in bad:
        assert f"events.jsonl:{n}:" in proc.stderr
    assert "imported 8 event(s), rejected 3 line(s)" in proc.stderr

    exported = []
    for topic in sorted({topic_for(t, e) for t, e in valid_events()}):
        out = cli(kafka, "export", topic, check=True)
        exported += [parse_line(line) for line in out.stdout.splitlines()]
    expected = [parse_line(line) for line in good]
    key = lambda te: te[1]["event_id"]
    assert sorted(exported, key=key) == sorted(expected, key=key)


def test_a_clean_file_imports_with_exit_zero(kafka, cli, tmp_path):
    path = tmp_path / "ok.jsonl"
    path.write_text(to_line("touch", touch("p9")) + "\n\n")
    proc = cli(kafka, "import", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "imported 1 event(s), rejected 0 line(s)" in proc.stderr


def test_export_from_an_offset_skips_earlier_events(kafka, cli, tmp_path):
    events = [touch("p1", at=1_790_000_000_000 + i) for i in range(6)]
    path = tmp_path / "touches.jsonl"
    path.write_text("".join(to_line("touch", e) + "\n" for e in events))
    cli(kafka, "import", str(path), check=True)
    everything = cli(kafka, "export", "touches", check=True).stdout.splitlines()
    later = cli(kafka, "export", "touches", "--from-offset", "2", check=True).stdout.splitlines()
    # Both partitions skip their first two records; all six share one key (tenant), so one partition holds them.
    assert len(everything) == 6 and len(later) == 4
    assert later == everything[2:]

"""The demo `make run` runs."""
from __future__ import annotations

from revloop.streams.cli_support import command, positive_int
from revloop.streams.config import Settings


def _cmd_demo(args, settings: Settings) -> int:
    from revloop.streams.demo import run_demo
    from revloop.streams.demo_console import wanted

    return run_demo(settings, contacts=args.contacts, hours=args.hours, out_dir=args.out, seed=args.seed,
                    serve=wanted(args.serve))


def register(sub) -> None:
    demo = command(sub, "demo", help="the main job: demo book -> worker -> simulated ticks -> summary", kafka=True,
                   description="What `make run` runs: fresh topics, a seeded demonstration book, the real worker, "
                               "simulated hours of ticks, a summary and an HTML report.",
                   env=("KAFKA_BOOTSTRAP_SERVERS",),
                   example="revloop demo --contacts 20000 --hours 12")
    demo.add_argument("--contacts", type=positive_int, default=1500,
                      help="contacts per tenant (larger data set: 20000)")
    demo.add_argument("--hours", type=positive_int, default=6, help="simulated hourly ticks")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--out", default="out", help="folder for the DuckDB file and the worker log")
    demo.add_argument("--serve", choices=("auto", "yes", "no"), default="auto",
                      help="after the summary keep the console, worker and broker up until Ctrl-C (auto: only "
                           "from a terminal)")
    demo.set_defaults(func=_cmd_demo)

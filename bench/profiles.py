"""Where the time goes: cProfile (in-process) and py-spy (the worker process) summaries."""
from __future__ import annotations

import cProfile
import os
import pstats
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter


def _short(path: str) -> str:
    path = path.replace(os.sep, "/")
    for marker in ("/site-packages/", "/lib/python3"):
        if marker in path:
            return path.split(marker, 1)[1]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__))).replace(os.sep, "/") + "/"
    return path[len(root):] if path.startswith(root) else path


def cprofile(fn, *args, out_path: str | None = None, top: int = 12, **kwargs):
    """Run fn under cProfile; return (result, summary) where summary lists the top
    functions by own time and by cumulative time, as fractions of the profiled total."""
    prof = cProfile.Profile()
    result = prof.runcall(fn, *args, **kwargs)
    if out_path:
        prof.dump_stats(out_path)
    st = pstats.Stats(prof)
    # The root's cumulative time (own times add up to a little less: profiler overhead).
    total = max([st.total_tt] + [v[3] for v in st.stats.values()]) or 1e-9
    rows = []
    for (path, line, name), (cc, nc, tt, ct, _) in st.stats.items():
        rows.append({"function": f"{name} ({_short(path)}:{line})", "calls": nc, "own_s": round(tt, 3),
                     "cum_s": round(ct, 3), "own_pct": round(100 * tt / total, 1),
                     "cum_pct": round(100 * ct / total, 1)})
    by_own = sorted(rows, key=lambda r: -r["own_s"])[:top]
    by_cum = [r for r in sorted(rows, key=lambda r: -r["cum_s"])
              if not r["function"].startswith(("<built-in method builtins.exec", "<module>"))][:top]
    return result, {"total_s": round(total, 3), "by_own_time": by_own, "by_cumulative_time": by_cum}


# ---- py-spy: sample every thread of the real worker process --------------------------------

def py_spy() -> str | None:
    here = os.path.join(os.path.dirname(sys.executable), "py-spy")
    return here if os.path.exists(here) else shutil.which("py-spy")


class SpyRecorder:
    """`py-spy record --pid PID --format raw` (collapsed stacks, all threads, idle excluded)."""

    def __init__(self, pid: int, out_path: str, rate: int = 97):
        self.out_path = out_path
        exe = py_spy()
        if exe is None:
            raise FileNotFoundError("py-spy is not installed (.venv/bin/pip install py-spy)")
        self.proc = subprocess.Popen([exe, "record", "--pid", str(pid), "--format", "raw", "--threads",
                                      "--nonblocking", "--rate", str(rate), "-o", out_path],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


_FRAME = re.compile(r"^(?P<name>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def _frame_label(frame: str, with_line: bool = False) -> str:
    m = _FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    where = _short(m["file"])
    return f"{m['name']} ({where}:{m['line']})" if with_line and m["line"] else f"{m['name']} ({where})"


def summarise_collapsed(path: str, top: int = 12, focus: tuple[str, ...] = ()) -> dict:
    """Per thread share, top functions by own samples, and inclusive shares of `focus` names."""
    threads: Counter = Counter()
    own: Counter = Counter()
    incl: Counter = Counter()
    total = 0
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line:
                continue
            stack, _, count = line.rpartition(" ")
            try:
                n = int(count)
            except ValueError:
                continue
            frames = stack.split(";")
            if frames and frames[0].startswith("process "):
                frames = frames[1:]
            thread = frames[0] if frames and frames[0].startswith("thread ") else "?"
            frames = [f for f in frames if not f.startswith(("thread ", "process "))]
            total += n
            threads[re.sub(r"^thread \((0x)?[0-9a-fA-F]+\):?\s*", "", thread) or thread] += n
            if frames:
                own[_frame_label(frames[-1])] += n
            for label in {_frame_label(f) for f in frames}:
                incl[label] += n
    pct = (lambda n: round(100 * n / total, 1)) if total else (lambda n: 0.0)
    focus_rows = []
    for name in focus:
        hits = [(label, n) for label, n in incl.items()
                if label.split(" (", 1)[0].rsplit(".", 1)[-1] == name or label.startswith(name + " (")]
        if hits:
            label, n = max(hits, key=lambda h: h[1])
            focus_rows.append({"function": label, "incl_pct": pct(n)})
    return {
        "samples": total,
        "threads": [{"thread": t, "pct": pct(n)} for t, n in threads.most_common(6)],
        "by_own_samples": [{"function": f, "own_pct": pct(n)} for f, n in own.most_common(top)],
        "inclusive": focus_rows,
    }


def wait_file(path: str, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            return True
        time.sleep(0.2)
    return False


# ---- a sampling profiler for long in-process calls -----------------------------------------

class Sampler:
    """Statistical profile of the main thread: SIGPROF every `interval` seconds of CPU time,
    and the interrupted stack is counted (own = the innermost Python frame, inclusive = every
    function on the stack once). Overhead is a few microseconds per sample, so it can ride
    along a timed run instead of needing a second, slower cProfile run. A long call into C
    (a big sort, a json.dumps) is charged to the Python frame that made it."""

    def __init__(self, interval: float = 0.005):
        self.interval = interval
        self.own: Counter = Counter()
        self.incl: Counter = Counter()
        self.samples = 0

    @staticmethod
    def _label(code) -> str:
        return f"{getattr(code, 'co_qualname', code.co_name)} ({_short(code.co_filename)}:{code.co_firstlineno})"

    def _handler(self, signum, frame) -> None:
        if frame is None:
            return
        self.samples += 1
        self.own[self._label(frame.f_code)] += 1
        seen = set()
        while frame is not None:
            seen.add(frame.f_code)
            frame = frame.f_back
        for code in seen:
            self.incl[self._label(code)] += 1

    def __enter__(self) -> "Sampler":
        self._previous = signal.signal(signal.SIGPROF, self._handler)
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)
        return self

    def __exit__(self, *exc) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, self._previous)

    def summary(self, top: int = 12) -> dict:
        n = self.samples or 1
        skip = ("<module>", "Sampler.", "_run_module_as_main", "_run_code", "main (bench/", "measure_tick (bench/")
        return {
            "samples": self.samples, "interval_s": self.interval,
            "by_own_time": [{"function": f, "own_pct": round(100 * c / n, 1), "own_s": round(c * self.interval, 3)}
                            for f, c in self.own.most_common(top)],
            "by_cumulative_time": [{"function": f, "cum_pct": round(100 * c / n, 1),
                                    "cum_s": round(c * self.interval, 3)}
                                   for f, c in self.incl.most_common(top + 8) if not f.startswith(skip)][:top],
        }

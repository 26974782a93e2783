"""`revloop console` as a real process, and a real headless browser to drive it.

The browser is Debian's chromium (the Makefile installs it): Playwright's own browser
downloads do not work here, so Playwright is pointed at /usr/bin/chromium.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time

from tests.support.broker import ROOT

CHROMIUM = os.environ.get("REVLOOP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
OUT = os.path.join(ROOT, "out")


class ConsoleProcess:
    def __init__(self, settings, store_url: str, tmp_path, **env):
        self.settings, self.store_url, self.tmp_path, self.extra = settings, store_url, tmp_path, env
        self.proc, self.url = None, None

    def start(self, timeout: float = 60) -> "ConsoleProcess":
        env = dict(os.environ, REVLOOP_TOPIC_PREFIX=self.settings.topic_prefix,
                   KAFKA_BOOTSTRAP_SERVERS=self.settings.bootstrap_servers, REVLOOP_STORE=self.store_url,
                   REVLOOP_CONSOLE_SECRET="console-test-secret-" + "x" * 20, **self.extra)
        self.log_path = self.tmp_path / "console.log"
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "revloop.streams.cli", "console", "--port", "0"],
                                     cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = re.search(r"console on (http://[\d.]+:\d+)/", self.tail())
            if m:
                self.url = m.group(1)
                return self
            if self.proc.poll() is not None:
                raise AssertionError(f"the console exited {self.proc.returncode}:\n{self.tail()}")
            time.sleep(0.2)
        raise AssertionError(f"the console did not start:\n{self.tail()}")

    def tail(self, n: int = 4000) -> str:
        self.log.flush()
        with open(self.log_path, "rb") as fh:
            return fh.read()[-n:].decode(errors="replace")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()


def launch_browser(playwright):
    if not os.path.exists(CHROMIUM):
        raise AssertionError(f"no browser at {CHROMIUM}: `make test` installs Debian's chromium "
                             "(apt-get install -y chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def screenshot(page, name: str) -> str:
    """A full-page PNG in out/ (the closing note describes each)."""
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, f"console-{name}.png")
    page.screenshot(path=path, full_page=True)
    return path


def sign_in(page, base: str, login: str, password: str) -> None:
    page.goto(base + "/login")
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("#sign-in")

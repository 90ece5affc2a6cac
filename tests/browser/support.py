"""Reusable pieces of the browser journeys: the live server process, Chromium, axe-core.

The live server is a real ``peaceworks runserver`` process on 127.0.0.1 with its own copy of
the demo network, seeded once for the run (``tests/demo_database.py``); it never touches the
developer's database.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tests.demo_database import sqlite_template

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = ROOT / "docs" / "screenshots"
#: Debian's ``chromium-headless-shell`` first: Chromium's old headless mode as a browser of its
#: own (the one Playwright itself runs headless), with no browser window, address bar or
#: profile services behind its pages; then the whole browser, run as ``chromium --headless``
CHROMIUM_CANDIDATES = (
    "/usr/bin/chromium-headless-shell",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
)
CHROMIUM_MISSING_REASON = (
    "Chromium is not installed (apt-get install chromium-headless-shell chromium); browser"
    " journeys are skipped."
)
#: the features Playwright's own launch disables (its ``chromiumSwitches``, Playwright 1.65):
#: Chromium keeps only the last ``--disable-features``, so ours repeats them
#: (``test_chromium_args.py`` checks the list against the installed driver)
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
)
#: Each context of the whole browser (the fallback) is a window of its own, and Chromium 156
#: gives every window an address bar whose suggestion popups (chrome://omnibox-popup.top-chrome/
#: and its AI-mode page) are WebUI pages rendered ahead in a renderer of their own: ~0.7 s of CPU
#: a context for a popup a test never opens. The headless shell has no address bar; to it these
#: are unknown features, ignored. Nothing the journeys' pages do changes.
UNUSED_FEATURES = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")
#: Playwright adds the rest itself (``--no-sandbox``, ``--no-first-run``, no background
#: networking or component updates: its ``chromiumSwitches``), to either browser.
CHROMIUM_ARGS = [
    "--disable-gpu",
    # the compositor's software GPU thread in the browser process, not a process of its own
    # (the headless shell too starts a GPU process without it): 12 % less Chromium CPU over
    # 14 checked pages, screenshots the same
    "--in-process-gpu",
    "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + UNUSED_FEATURES),
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
# axe-core impacts that fail a journey.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


def chromium_path() -> str | None:
    """Debian's headless shell, else its Chromium; or the executable named by ``CHROMIUM_PATH``
    (only that one)."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if Path(configured).exists() else None
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium-headless-shell") or shutil.which("chromium")


def demo_emails() -> dict[str, str]:
    """Demo sign-in per role, from the demo data itself so they never drift."""
    from peaceworks.accounts.demo import demo_logins

    first, second = SimpleNamespace(code="first"), SimpleNamespace(code="second")
    logins = demo_logins([first, second])
    emails: dict[str, str] = {}
    for login in logins:
        emails.setdefault(str(login.role), login.email)
    return emails


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    #: started by the first ``site_shell`` call, stopped with the server
    shell: SiteShell | None = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


def server_env(data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{data_dir / 'browser.sqlite3'}",
            "PEACEWORKS_DATA_DIR": str(data_dir),
            "TASK_BACKEND": "immediate",
            "EMAIL_URL": "memory://",
            "DEBUG": "true",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def start_live_server(data_dir: Path, *, timeout: float = 60.0) -> LiveServer:
    """Start the server on a copy of the seeded demo, wait for ``/healthz``."""
    env = server_env(data_dir)
    shutil.copyfile(sqlite_template(), data_dir / "browser.sqlite3")
    port = free_port()
    # the public address is the one the browser uses: survey links and QR codes open, and
    # network staff see no "another address" warning
    env = {**env, "SITE_URL": f"http://127.0.0.1:{port}"}
    log_path = data_dir / "server.log"
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "peaceworks.manage",
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--skip-checks",
        ],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    server = LiveServer(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The live server stopped:\n{server.log()}")
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=2) as response:  # noqa: S310  # our own http://127.0.0.1 server
                if response.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    stop_live_server(server)
    raise RuntimeError(f"The live server did not answer /healthz in {timeout} s:\n{server.log()}")


def stop_live_server(server: LiveServer) -> None:
    if server.shell is not None:
        server.shell.stop()
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


#: an element carries one of these while htmx sends its request, swaps the answer in, or
#: settles the new content (whose own triggers, such as hx-trigger="load", start then)
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling"


#: A request that runs a task may take this long: the live server runs tasks inline
#: (``TASK_BACKEND`` immediate), so a survey's last page folds the answers into the figures and
#: draws the overview's charts before it answers, seconds of CPU on a loaded machine (a worker
#: does it in production, after the answer).
SUBMIT_TIMEOUT_MS = 60_000


def settle(page: Any, *, timeout: float | None = None) -> None:
    """Wait until the page has loaded and htmx has no request, swap or settle under way.

    htmx is the pages' only script, so the page is then as its reader sees it. Playwright's
    ``networkidle`` waits for the same and then 500 ms of silence, on every page. A page that
    polls (``every 2s``) is settled between two polls, as it was for ``networkidle``.
    ``timeout`` (ms) for an htmx request that runs a task; the page's default otherwise.
    """
    page.wait_for_load_state("load", timeout=timeout)
    page.wait_for_function(
        f"() => !document.querySelector({json.dumps(HTMX_BUSY)})", timeout=timeout
    )


def settle_and_check(page: Any) -> None:
    """``settle``, then no serious or critical axe-core violation on the page."""
    settle(page)
    assert_accessible(page)


#: axe-core's run as axe-playwright-python's ``Axe().run`` makes it (same options), answering
#: only the violations of the impacts given, and of them only what ``describe_violations``
#: reads: the whole report crossed to Python on every page before. Rules of another impact are
#: not run (29 of 105 rules, 5 % of a check's CPU): a rule's violations all carry the rule's
#: own impact (axe-core's ``finalizeRuleResult`` gives it to every check of the rule), so such
#: a rule could only report what this filter drops. A rule without an impact still runs.
#: ``null`` when axe-core is not in the page's document yet (``axe_violations`` puts it there).
_AXE_RUN = """async (impacts) => {
  if (typeof window.axe !== "object" || typeof window.axe.run !== "function") return null;
  const rules = {};
  for (const rule of axe._audit.rules) {
    if (rule.impact && !impacts.includes(rule.impact)) rules[rule.id] = {enabled: false};
  }
  const results = await axe.run({resultTypes: ["violations"], rules});
  return results.violations
    .filter((item) => impacts.includes(item.impact))
    .map((item) => ({id: item.id, impact: item.impact, help: item.help,
                     nodes: item.nodes.map((node) => ({target: node.target}))}));
}"""

#: Run once after axe-core in each document. Its colour-contrast rule, 80 % of a check's rule
#: time, parses the computed colour of every text element and of each element behind it
#: (``Color.parseString``, through colorjs.io's parser and gamut mapping), the same few strings
#: (``rgb(33, 37, 41)``) thousands of times a page: a report version's check took 2.4 s, 1.2 s
#: with each string parsed once. The parse is a pure function of the string, so each string's
#: channels are kept once parsed and set again as the parse sets them; a string that fails to
#: parse is not kept and fails again as before. Every rule still runs on every node: axe-core's
#: full results (violations, passes, incomplete, inapplicable, with each check's data and
#: message) were the same with and without it on the report version, synthesis, dashboard and
#: impact pages (axe-core 4.12.1). The journeys: 113 → 103 s of CPU (renderers 57 → 46 s).
_AXE_PARSE_EACH_COLOUR_ONCE = """
(() => {
  const Color = axe.commons.color.Color;
  const parse = Color.prototype.parseString;
  if (typeof parse !== "function") throw new Error("axe-core's Color.parseString is gone");
  const parsed = new Map();
  Color.prototype.parseString = function (text) {
    const channels = parsed.get(text);
    if (channels !== undefined) {
      [this.r, this.g, this.b, this.alpha] = channels;
      return this;
    }
    parse.call(this, text);
    parsed.set(text, [this.r, this.g, this.b, this.alpha]);
    return this;
  };
})();
"""


def axe_script() -> str:
    from axe_playwright_python.base import AXE_SCRIPT

    return str(AXE_SCRIPT)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (from the axe-playwright-python package) on the page; serious/critical only.

    axe-core goes into a document here, once, when the document is first checked: a page that
    htmx changed since its last check is checked again with the same copy. Not as the
    context's init script: that ran axe-core's 572 KB in every document the context opened,
    the blank one of each new page and those a journey passes without checking them included,
    and a new renderer's first run of it costs about 0.6 s of CPU (new context, four pages
    each checked: 5.7 → 5.1 s of CPU over the process tree). The run itself says whether
    axe-core is there, so a document already checked costs one round trip to the page.
    """
    impacts = sorted(BLOCKING_IMPACTS)
    violations: list[dict[str, Any]] | None = page.evaluate(_AXE_RUN, impacts)
    if violations is None:
        page.evaluate(axe_script() + ";\n" + _AXE_PARSE_EACH_COLOUR_ONCE)
        violations = page.evaluate(_AXE_RUN, impacts)
    if violations is None:
        raise AssertionError(f"axe-core did not load in {page.url}")
    return [item for item in violations if item.get("impact") in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for item in violations:
        targets = [node.get("target") for node in item.get("nodes", [])][:3]
        lines.append(f"{item.get('impact')}: {item.get('id')} — {item.get('help')} at {targets}")
    return "\n".join(lines)


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


#: The loop of the site's shell process: a snippet per line (JSON) on stdin, what it printed
#: or its traceback back as a line of JSON. Each snippet gets fresh globals, its own database
#: connection (closed after it) and empty process-local caches, as in a new ``peaceworks shell``.
_SHELL_LOOP = """
import contextlib, io, json, os, sys, traceback
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connections
channel, sys.stdout = sys.stdout, sys.stderr
for line in sys.stdin:
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(json.loads(line), "<site_shell>", "exec"), {"__name__": "__main__"})
        answer = {"printed": printed.getvalue()}
    except Exception:
        answer = {"error": traceback.format_exc()}
    finally:
        connections.close_all()
        for cache in caches.all(initialized_only=True):
            if isinstance(cache, LocMemCache):
                cache.clear()
    channel.write(json.dumps(answer) + "\\n")
    channel.flush()
"""


class SiteShell:
    """One Django process on the live site's database that runs the journeys' snippets in turn.

    A ``peaceworks shell -c`` per snippet would start Django each time (about a second of CPU,
    more on a loaded machine); this process starts it once per live site.
    """

    def __init__(self, data_dir: Path) -> None:
        self.log_path = data_dir / "shell.log"
        with self.log_path.open("wb") as log_file:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _SHELL_LOOP],
                cwd=ROOT,
                env=server_env(data_dir),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log_file,
                text=True,
            )
        snippets, answers = self.process.stdin, self.process.stdout
        if snippets is None or answers is None:  # both asked for; Popen types them optional
            raise RuntimeError("the site shell started without its pipes")
        self.snippets, self.answers = snippets, answers

    def run(self, code: str, *, timeout: float = 120.0) -> str:
        """What ``code`` printed; raises ``RuntimeError`` with its traceback if it raised."""
        self.snippets.write(json.dumps(code) + "\n")
        self.snippets.flush()
        # one line answers each snippet, so nothing waits in the reader's buffer
        ready, _, _ = select.select([self.answers], [], [], timeout)
        if not ready:
            self.process.kill()  # a late answer would be taken for the next snippet's
            raise RuntimeError(f"site_shell gave no answer in {timeout} s:\n{self._log(code)}")
        line = self.answers.readline()
        if not line:
            raise RuntimeError(f"site_shell stopped:\n{self._log(code)}")
        answer: dict[str, str] = json.loads(line)
        if "error" in answer:
            # the traceback is the only useful part of a failure here
            raise RuntimeError(
                f"site_shell raised:\n{answer['error'][-4000:]}\n--- code ---\n{code}"
            )
        return answer["printed"].strip()

    def _log(self, code: str) -> str:
        return f"{self.log_path.read_text(errors='replace')[-4000:]}\n--- code ---\n{code}"

    def stop(self) -> None:
        self.snippets.close()  # the loop ends with its input
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def site_shell(server: LiveServer, code: str) -> str:
    """Run Python in a Django shell on the live site's database; returns what it printed.

    Journeys use it only to move time (open a round now) or to read exact counts; every
    write in it goes through a service, as on the pages.
    """
    if server.shell is None:
        server.shell = SiteShell(server.log_path.parent)
    return server.shell.run(code)


class PageWeight:
    """Bytes transferred per page load (response bodies and headers, as encoded on the wire)."""

    def __init__(self, page: Any) -> None:
        self.requests: list[Any] = []
        page.on("requestfinished", lambda request: self.requests.append(request))

    def reset(self) -> None:
        self.requests.clear()

    def total(self) -> int:
        total = 0
        for request in self.requests:
            sizes = request.sizes()
            total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        return total

    def urls(self) -> list[str]:
        return [request.url for request in self.requests]

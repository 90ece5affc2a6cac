"""Scale-out: two app hosts behind one address, one PostgreSQL, one Redis, RQ workers on both.

Two gunicorn instances on different ports stand for two app hosts: each has a data folder of
its own (``PEACEWORKS_DATA_DIR``: nothing on one host's disk is seen by the other), both use
the same PostgreSQL database, the same Redis (the shared cache, ``CACHE_URL``, and the RQ
queue) and each has an RQ worker beside it. A client that alternates between them sees what a
client behind a reverse proxy spreading requests over the hosts would see. The script checks
that nothing depends on one host:

- **sessions** — signed in on host A, the same cookie opens the profile on host B;
- **submissions stored once** — the load generator sends every submission to both hosts at
  the same moment (the same submission id twice): each is stored once and nothing is lost;
- **pending uploads** — an import previewed on A is confirmed on B, and a second confirm on A
  is refused (409);
- **rate limits** — a token's requests alternate between the hosts and are counted together
  (``API_TOKEN_RATE_PER_MINUTE`` answers 200, the rest 429);
- **analytics snapshots** — a refresh asked on A is run by whichever worker takes it; both
  hosts then serve the same figures with the same ``refreshed_at``;
- **chart caches** — a chart drawn on each host (each has its own cache folder) is the same
  bytes: the cache is keyed by content, so a per-host cache is only a cache;
- **reminders sent once** — the action-item reminders are queued from both hosts at once and
  run by both workers: one reminder is sent.

It also measures where the ceiling is: the submissions' CPU time split between the two hosts'
gunicorn processes and the PostgreSQL backends. Figures are merged into
``bench/results/latest.json`` (``scaleout_*``). ``--quick`` is the small size `.ci/run` uses.
Exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import json
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import liveserver, loadgen

#: the Redis database the script uses (flushed when it starts): apart from the default one
REDIS_DB = 7
PASSWORD = "scale-out-" + "p" * 12  # a throwaway account of a fresh database
EMAIL = "scale.out@peaceworks.test"
RATE_PER_MINUTE = 30
#: submission ids of this script's load (UUIDs, as the API requires, told apart by their start)
SCALE_ID_PREFIX = "5ca1e000-0000-4000-8000-"


# The hosts' environment and the seed ---------------------------------------------------------


def host_env(database_url: str, data_dir: Path, redis_url: str) -> dict[str, str]:
    env = liveserver.server_env(database_url, data_dir)
    env.update(
        {
            "TASK_BACKEND": "rq",
            "REDIS_URL": redis_url,
            "CACHE_URL": redis_url,
            "API_TOKEN_RATE_PER_MINUTE": str(RATE_PER_MINUTE),
            "EMAIL_URL": "console://",
        }
    )
    return env


@dataclass(frozen=True)
class Seeded:
    token: str  # an organisation coordinator's read-write API token
    rate_token: str  # a second token, for the rate-limit check only
    campaign_id: int
    round_id: int
    reminder_day: str  # the day the seeded action item's first reminder is due


def seed(env: dict[str, str]) -> Seeded:
    out = subprocess.run(
        [sys.executable, "-c", "from scripts.scale_out import _seed; _seed()"],
        env=env,
        check=True,
        cwd=liveserver.ROOT,
        capture_output=True,
        text=True,
    ).stdout
    return Seeded(**json.loads(out.strip().splitlines()[-1]))


def _seed() -> None:
    """Run with a host's environment after ``liveserver.prepare``: a coordinator of the load
    activity's host organisation with two tokens, and a meeting with one action item due."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from datetime import timedelta

    from django.conf import settings

    from peaceworks.accounts.models import Role
    from peaceworks.accounts.services import api_token_create, membership_grant, user_create
    from peaceworks.impact.models import Round
    from peaceworks.meetings.models import ActionItem, Meeting

    survey_round = Round.objects.select_related("activity__host_organisation").get()
    activity = survey_round.activity
    user = user_create(email=EMAIL, password=PASSWORD, full_name="Scale Out")
    membership_grant(user=user, organisation=activity.host_organisation, role=Role.ORG_COORDINATOR)
    token = api_token_create(actor=user, name="scale-out", scope="write").secret
    rate_token = api_token_create(actor=user, name="rate", scope="read").secret
    start = activity.start_date
    meeting = Meeting.objects.create(
        title="Scale-out meeting",
        short_name="Scale",
        meeting_type=Meeting.Type.STEERING,
        start_date=start,
        end_date=start,
        host_organisation=activity.host_organisation,
    )
    due = start + timedelta(days=30)
    ActionItem.objects.create(
        meeting=meeting, title="Send the report", owner_user=user, due_date=due
    )
    first = max(settings.MEETINGS_REMINDER_DAYS_BEFORE)
    print(
        json.dumps(
            {
                "token": token,
                "rate_token": rate_token,
                "campaign_id": activity.campaign_id,
                "round_id": survey_round.pk,
                "reminder_day": (due - timedelta(days=first)).isoformat(),
            }
        )
    )


def _reminders_sent() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from peaceworks.meetings.models import ReminderSent

    print(json.dumps(ReminderSent.objects.count()))


def _enqueue_reminders(day: str) -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from peaceworks.meetings.tasks import meetings_reminders

    meetings_reminders.enqueue(today=day)


def in_host(env: dict[str, str], call: str) -> str:
    """Run ``scripts.scale_out.<call>`` in a process with that host's environment."""
    return subprocess.run(  # noqa: S603 -- our own module
        [sys.executable, "-c", f"from scripts import scale_out; scale_out.{call}"],
        env=env,
        check=True,
        cwd=liveserver.ROOT,
        capture_output=True,
        text=True,
    ).stdout


@contextmanager
def rq_worker(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as sink:
        process = subprocess.Popen(  # noqa: S603 -- our own worker
            [
                str(liveserver.BIN / "peaceworks"),
                "rqworker",
                "default",
                "--with-scheduler",
                "--job-class",
                "django_tasks_rq.backend.Job",
            ],
            env=env,
            cwd=liveserver.ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


# A client with one cookie jar for both hosts (as one address in front of them) ---------------


@dataclass
class Client:
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""

    def call(
        self,
        server: liveserver.Server,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            data = answer.read()
            for line in answer.msg.get_all("Set-Cookie") or []:
                jar: SimpleCookie = SimpleCookie()
                jar.load(line)
                for name, morsel in jar.items():
                    self.cookies[name] = morsel.value
            return answer.status, {k.lower(): v for k, v in answer.getheaders()}, data
        finally:
            connection.close()

    def form(
        self, server: liveserver.Server, path: str, values: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        """GET the form's page for its CSRF token, then POST ``values`` to it."""
        _status, _headers, page = self.call(server, "GET", path)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = {**values, "csrfmiddlewaretoken": found.group(1).decode() if found else ""}
        return self.call(
            server,
            "POST",
            path,
            urlencode(data).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )


def multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# The checks ----------------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    passed: bool
    detail: str


def check_sessions(a: liveserver.Server, b: liveserver.Server) -> tuple[Check, Client]:
    browser = Client()
    status, headers, _page = browser.form(
        a, "/accounts/sign-in/", {"email": EMAIL, "password": PASSWORD}
    )
    signed_in = status == 302 and "sessionid" in browser.cookies
    status_b, _headers, _page = browser.call(b, "GET", "/accounts/profile/")
    return (
        Check(
            "sessions",
            signed_in and status_b == 200,
            f"sign-in on A answered {status} ({headers.get('location', '')}); "
            f"profile on B answered {status_b}",
        ),
        browser,
    )


def check_submissions(
    a: liveserver.Server,
    b: liveserver.Server,
    survey: liveserver.Survey,
    database: str,
    *,
    rate: float,
    seconds: float,
) -> tuple[Check, dict[str, float]]:
    """Every submission sent to both hosts at once, at ``rate`` a second to each."""
    count = int(rate * seconds)
    bodies = []
    for index in range(count):
        submission_id = f"{SCALE_ID_PREFIX}{index:012d}"
        bodies.append((submission_id, liveserver.submission(survey, submission_id=submission_id)))
    path = f"/api/v1/impact/public/rounds/{survey.token}/responses"
    meters = [loadgen.CpuMeter(a.process.pid, database), loadgen.CpuMeter(b.process.pid)]
    for meter in meters:
        meter.start()
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        tallies = list(
            pool.map(
                lambda server: loadgen.open_loop(
                    server.port, path, iter(bodies), rate=rate, seconds=seconds, connections=32
                ),
                (a, b),
            )
        )
    wall = time.perf_counter() - started
    meters[0].stop()
    meters[1].stop()
    stored = [
        value
        for value in liveserver.stored_submission_ids(a.env)
        if value.startswith(SCALE_ID_PREFIX)
    ]
    acknowledged = tallies[0].acknowledged | tallies[1].acknowledged
    lost = len(acknowledged - set(stored))
    duplicates = len(stored) - len(set(stored))
    errors = sum(tally.errors for tally in tallies)
    gunicorn = meters[0].application + meters[1].application
    postgres = meters[0].database_seconds
    latencies = tallies[0].latency_ms + tallies[1].latency_ms
    metrics = {
        "scaleout_submissions": float(count),
        "scaleout_requests_per_s": round(2 * count / wall, 1),
        "scaleout_p95_ms": round(loadgen.p95(latencies), 1),
        # per request: every submission is sent twice, once to each host
        "scaleout_app_cpu_ms": round(gunicorn * 1000 / max(2 * count, 1), 2),
        "scaleout_db_cpu_ms": round(postgres * 1000 / max(2 * count, 1), 2),
        "scaleout_lost": float(lost),
    }
    passed = lost == 0 and duplicates == 0 and errors == 0 and len(set(stored)) == count
    return (
        Check(
            "submissions stored once",
            passed,
            f"{count} submissions each sent to both hosts: {len(set(stored))} stored, "
            f"{duplicates} duplicates, {lost} acknowledged but missing, {errors} errors",
        ),
        metrics,
    )


def check_uploads(a: liveserver.Server, b: liveserver.Server, seeded: Seeded) -> Check:
    api = Client(token=seeded.token)
    content = (
        "submission_id,matching_code,t4_conflict\n"
        f"{uuid.uuid4()},UPLOAD1,4\n"
        f"{uuid.uuid4()},UPLOAD2,3\n"
    ).encode()
    body, kind = multipart({"kind": "responses"}, "answers.csv", content)
    status, _headers, data = api.call(
        a, "POST", f"/api/v1/impact/rounds/{seeded.round_id}/imports", body, {"Content-Type": kind}
    )
    if status != 201:
        return Check("pending uploads", False, f"upload on A answered {status}: {data[:300]!r}")
    upload = json.loads(data)
    confirm = f"/api/v1/impact/imports/{upload['id']}/confirm"
    status_b, _headers, data_b = api.call(b, "POST", confirm)
    result = json.loads(data_b) if status_b == 200 else {}
    status_again, _headers, _data = api.call(a, "POST", confirm)
    passed = status_b == 200 and result.get("status") == "imported" and status_again == 409
    return Check(
        "pending uploads",
        passed,
        f"previewed on A (id {upload['id']}), confirmed on B: {status_b} "
        f"{result.get('status')!r}; confirmed again on A: {status_again}",
    )


def check_rate_limit(a: liveserver.Server, b: liveserver.Server, seeded: Seeded) -> Check:
    # a clock minute's counter: start early in a minute, so the burst stays inside it
    if time.time() % 60 > 40:
        time.sleep(61 - time.time() % 60)
    api = Client(token=seeded.rate_token)
    statuses = [
        api.call(server, "GET", "/api/v1/campaigns/campaigns")[0]
        for _ in range(RATE_PER_MINUTE)
        for server in (a, b)
    ]
    ok, limited = statuses.count(200), statuses.count(429)
    return Check(
        "rate limits",
        ok == RATE_PER_MINUTE and limited == RATE_PER_MINUTE,
        f"{len(statuses)} requests alternating A/B with a limit of {RATE_PER_MINUTE} a minute: "
        f"{ok} answered 200, {limited} 429",
    )


def _values(client: Client, server: liveserver.Server, campaign: str) -> list[bytes]:
    """The first indicators' figures as ``server`` serves them (raw bodies, to compare)."""
    status, _headers, data = client.call(server, "GET", "/api/v1/impact/indicators")
    listed = json.loads(data)
    if status != 200:
        raise RuntimeError(f"the indicator list answered {status}: {data[:300]!r}")
    # a list, or a page of one (``items`` or ``results``)
    indicators: list[dict[str, Any]] = (
        listed.get("items") or listed.get("results") or [] if isinstance(listed, dict) else listed
    )
    query = urlencode({"campaign": campaign})
    return [
        client.call(server, "GET", f"/api/v1/impact/indicators/{row['code']}/values?{query}")[2]
        for row in indicators[:6]
    ]


def check_snapshots(
    a: liveserver.Server, b: liveserver.Server, browser: Client, seeded: Seeded
) -> Check:
    """A refresh asked on A; the figures polled on B until they change (the signed-in
    browser reads them: a token would spend its rate limit on the polling)."""
    before = _values(browser, b, "load")
    browser.form(a, f"/impact/campaigns/{seeded.campaign_id}/refresh/", {})
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        on_b = _values(browser, b, "load")
        if on_b != before and all(b'"refreshed_at":null' not in body for body in on_b):
            break
        time.sleep(2)
    on_a, on_b = _values(browser, a, "load"), _values(browser, b, "load")
    refreshed = bool(on_b) and on_b != before
    return Check(
        "analytics snapshots",
        refreshed and on_a == on_b,
        f"refresh asked on A; B {'served' if refreshed else 'did not serve'} the new figures; "
        f"A and B answered {'the same' if on_a == on_b else 'different'} bodies "
        f"for {len(on_a)} indicators",
    )


def check_charts(a: liveserver.Server, b: liveserver.Server, browser: Client) -> Check:
    # the network maps are drawn on the server and cached by content in each host's folder
    pages = [browser.call(server, "GET", "/network/map/") for server in (a, b)]
    statuses = [status for status, _headers, _body in pages]
    drawings = [re.findall(rb"<svg.*?</svg>", body, re.S) for _status, _headers, body in pages]
    same = drawings[0] == drawings[1]
    return Check(
        "chart caches",
        statuses == [200, 200] and same and len(drawings[0]) > 0,
        f"the network map page from A and from B: {statuses}, {len(drawings[0])} drawings, "
        f"{'identical' if same else 'different'}",
    )


def check_reminders(hosts: list[dict[str, str]], seeded: Seeded) -> Check:
    call = f"_enqueue_reminders({seeded.reminder_day!r})"
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda env: in_host(env, call), hosts))
    deadline = time.monotonic() + 60
    sent = 0
    while time.monotonic() < deadline:
        sent = json.loads(in_host(hosts[0], "_reminders_sent()").strip().splitlines()[-1])
        if sent:
            time.sleep(3)  # let the second task finish too
            sent = json.loads(in_host(hosts[0], "_reminders_sent()").strip().splitlines()[-1])
            break
        time.sleep(1)
    return Check(
        "reminders sent once",
        sent == 1,
        f"reminders queued from both hosts for {seeded.reminder_day}: {sent} sent",
    )


# The run -------------------------------------------------------------------------------------


def flush_redis(url: str) -> None:
    parts = urlsplit(url)
    command = ["redis-cli", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 6379)]
    subprocess.run(  # noqa: S603 -- the local Redis client
        [*command, "-n", str(REDIS_DB), "FLUSHDB"], check=True, capture_output=True
    )


def merge_results(metrics: dict[str, float]) -> None:
    """Add the figures to ``bench/results/latest.json`` beside the benchmark's and the load's."""
    results = liveserver.ROOT / "bench" / "results" / "latest.json"
    current: dict[str, Any] = {}
    if results.exists():
        try:
            current = json.loads(results.read_text())
        except ValueError:
            current = {}
    current.setdefault("metrics", {}).update(metrics)
    current["scaleout_run_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(current, indent=2) + "\n")


def report(checks: list[Check], check: Check) -> None:
    checks.append(check)
    print(f"{'ok  ' if check.passed else 'FAIL'} {check.name}: {check.detail}", flush=True)


def run(*, rate: float, seconds: float) -> int:
    redis_url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    flush_redis(redis_url)
    database_url = liveserver.fresh_postgres_url()
    database = urlsplit(database_url).path.lstrip("/")
    checks: list[Check] = []
    metrics: dict[str, float] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="pw-scale-") as folder, ExitStack() as stack:
            hosts = [
                host_env(database_url, Path(folder) / name, redis_url)
                for name in ("host-a", "host-b")
            ]
            survey = liveserver.prepare(hosts[0])
            seeded = seed(hosts[0])
            for env, name in zip(hosts, ("a", "b"), strict=True):
                stack.enter_context(rq_worker(env, Path(folder) / f"rq-{name}.log"))
            a, b = (stack.enter_context(liveserver.running(env, workers=2)) for env in hosts)
            session_check, browser = check_sessions(a, b)
            report(checks, session_check)
            submissions, metrics = check_submissions(
                a, b, survey, database, rate=rate, seconds=seconds
            )
            report(checks, submissions)
            steps: list[tuple[str, Callable[[], Check]]] = [
                ("pending uploads", lambda: check_uploads(a, b, seeded)),
                ("rate limits", lambda: check_rate_limit(a, b, seeded)),
                ("analytics snapshots", lambda: check_snapshots(a, b, browser, seeded)),
                ("chart caches", lambda: check_charts(a, b, browser)),
                ("reminders sent once", lambda: check_reminders(hosts, seeded)),
            ]
            for name, step in steps:
                try:
                    found = step()
                except Exception as error:  # noqa: BLE001 -- a broken step is a failed check
                    found = Check(name, False, f"{type(error).__name__}: {error}")
                report(checks, found)
    finally:
        liveserver.drop_postgres(database_url)
        flush_redis(redis_url)
    app, db = metrics.get("scaleout_app_cpu_ms", 0.0), metrics.get("scaleout_db_cpu_ms", 0.0)
    if app or db:
        print(
            f"CPU a request: {app:.2f} ms in the two hosts' gunicorn, {db:.2f} ms in "
            f"PostgreSQL ({db / (app + db):.0%} of the server's work); "
            f"{metrics['scaleout_requests_per_s']:.0f} requests/s offered to the pair, "
            f"p95 {metrics['scaleout_p95_ms']:.0f} ms"
        )
        merge_results(metrics)
    return 0 if checks and all(check.passed for check in checks) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the small size CI runs")
    parser.add_argument("--rate", type=float, default=40.0, help="submissions a second a host")
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    rate, seconds = (20.0, 5.0) if args.quick else (args.rate, args.seconds)
    return run(rate=rate, seconds=seconds)


if __name__ == "__main__":
    sys.exit(main())

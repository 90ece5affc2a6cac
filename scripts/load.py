"""Load: survey submissions to a real server process (gunicorn) on 127.0.0.1, for SQLite and
PostgreSQL, from a light asyncio generator (``scripts/loadgen.py``).

Each backend gets a fresh database and one server, then three runs:

1. **Submissions, open loop, stepped rate** — the JSON submission API
   (``POST /api/v1/impact/public/rounds/<token>/responses``, idempotent by submission id), sent
   at a fixed offered rate for a few seconds per step, rate rising step by step until a step
   misses the target (p95 ≥ ``--target-ms``, an error, or less than 95 % of the offered rate
   acknowledged). ``submissions_per_s_<db>`` is the highest acknowledged rate of a step that
   met the target, ``submissions_p95_ms_<db>`` that step's p95 (timed from when each request
   was due, so queueing counts).
2. **CPU per submission** — during those steps, the CPU time of the gunicorn master and
   workers (and, on PostgreSQL, of the backends serving the database) from ``/proc``:
   ``submissions_cpu_ms_<db>`` per acknowledged submission, and
   ``submissions_capacity_per_s_<db>`` = cores / that, the rate the server could sustain with
   the machine to itself. Unlike the rates it does not depend on what else runs on the machine.
3. **Mixed traffic, closed loop** — virtual users each reading the survey's first page and the
   health check before a submission: ``mixed_submissions_per_s_<db>``,
   ``mixed_submissions_p95_ms_<db>``, ``reads_p95_ms_<db>``.
4. **The respondent's no-JavaScript form, closed loop** — the same users walk the public
   survey (first page, consent, personal code, every question page) to the redirect to the
   thank-you page: ``form_submissions_per_s_<db>`` (walks completed),
   ``form_submit_p95_ms_<db>`` (the final POST, which stores the response),
   ``form_walk_p95_ms_<db>`` and ``form_cpu_ms_<db>`` (server CPU per walk).

Every submission acknowledged (200/201, or the form's redirect) is then looked up in the
database (the form's by count: its submission ids are random, the API's carry a prefix):
``submissions_lost_<db>`` counts those missing, ``submissions_errors_<db>`` the answers other
than 2xx/3xx/503 (a 503 is sent again after its Retry-After, as a client would; a request that
found its kept-alive connection closed by the server while idle is sent again on a new one and
counted in ``load_reconnects_<db>``, never as an error). The figures
are merged into ``bench/results/latest.json`` (``metrics``; the steps under ``load_steps``).

``--quick`` is the fixed size `.ci/run` uses (one to two minutes for both databases on an idle
machine). Exits 1 when a submission is lost or a request is answered with an error.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import liveserver, loadgen

RESULTS = liveserver.ROOT / "bench" / "results" / "latest.json"
#: a step meets the target when this share of its offered submissions is acknowledged in time
ACHIEVED_SHARE = 0.95


@dataclass(frozen=True)
class Step:
    offered: float
    achieved: float
    p50_ms: float
    p95_ms: float
    errors: int
    busy: int
    reconnects: int  # sent again after a stale keep-alive connection: not errors
    server_cpu_ms: float  # per acknowledged submission
    database_cpu_ms: float  # the PostgreSQL backends' share of it
    client_cpu_ms: float  # per request, this generator
    met: bool

    def line(self) -> str:
        return (
            f"  offered {self.offered:5.0f}/s  achieved {self.achieved:6.1f}/s  "
            f"p50 {self.p50_ms:6.1f} ms  p95 {self.p95_ms:7.1f} ms  errors {self.errors}  "
            f"busy {self.busy}  reconnects {self.reconnects}  "
            f"server CPU {self.server_cpu_ms:5.2f} ms/submission "
            f"(database {self.database_cpu_ms:4.2f})  "
            f"client CPU {self.client_cpu_ms:4.2f} ms/request  {'met' if self.met else 'missed'}"
        )


API_ID_PREFIX = "00000000-0000-4000-"


def bodies(survey: liveserver.Survey, prefix: str) -> Iterator[tuple[str, bytes]]:
    """Endless distinct submissions (new respondent codes), each with its own submission id."""
    for index in itertools.count():
        submission_id = f"{API_ID_PREFIX}{prefix}-{index:012d}"
        yield submission_id, liveserver.submission(survey, submission_id=submission_id)


def submission_path(survey: liveserver.Survey) -> str:
    return f"/api/v1/impact/public/rounds/{survey.token}/responses"


def step(
    server: liveserver.Server,
    survey: liveserver.Survey,
    meter: loadgen.CpuMeter,
    *,
    rate: float,
    seconds: float,
    prefix: str,
    target_ms: float,
    acknowledged: set[str],
) -> Step:
    meter.start()
    client_cpu, started = time.process_time(), time.monotonic()
    tally = loadgen.open_loop(
        server.port, submission_path(survey), bodies(survey, prefix), rate=rate, seconds=seconds
    )
    elapsed = time.monotonic() - started
    client_cpu = time.process_time() - client_cpu
    server_cpu = meter.stop()
    acknowledged |= tally.acknowledged
    done = len(tally.acknowledged)
    achieved = done / max(elapsed, seconds)
    p95 = loadgen.p95(tally.latency_ms)
    return Step(
        offered=rate,
        achieved=achieved,
        p50_ms=statistics.median(tally.latency_ms) if tally.latency_ms else 0.0,
        p95_ms=p95,
        errors=tally.errors,
        busy=tally.busy,
        reconnects=tally.reconnects,
        server_cpu_ms=server_cpu * 1000 / done if done else 0.0,
        database_cpu_ms=meter.database_seconds * 1000 / done if done else 0.0,
        client_cpu_ms=client_cpu * 1000 / tally.requests if tally.requests else 0.0,
        met=(tally.errors == 0 and p95 < target_ms and done >= ACHIEVED_SHARE * rate * seconds),
    )


def mixed(
    server: liveserver.Server,
    survey: liveserver.Survey,
    *,
    users: int,
    visits: int,
    max_seconds: float,
) -> tuple[loadgen.Tally, loadgen.Tally, float]:
    """Closed loop: each visit reads the first page and the health check, then submits."""
    fresh = bodies(survey, "8000")
    first_page = f"/impact/s/{survey.token}/"

    async def visit(pool: loadgen.Pool, submissions: loadgen.Tally, reads: loadgen.Tally) -> None:
        await loadgen.timed_get(pool, first_page, reads)
        await loadgen.timed_get(pool, "/healthz", reads)
        submission_id, body = next(fresh)
        started = time.perf_counter()
        await loadgen.submit(pool, submission_path(survey), body, submission_id, submissions)
        submissions.latency_ms.append((time.perf_counter() - started) * 1000)

    return loadgen.closed_loop(
        server.port, visit, users=users, visits=visits, max_seconds=max_seconds
    )


STATE = re.compile(r'name="state" value="([^"]+)"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_COOKIE = re.compile(r"csrftoken=([^;,\s]+)")
#: the agreement items of a page (their scale offers "3"): answered 3 by the walk
AGREEMENT = re.compile(r'name="((?:q|then)-[a-z0-9_]+)" value="3"')
MAX_PAGES = 40


def form_walks(
    server: liveserver.Server,
    survey: liveserver.Survey,
    *,
    users: int,
    max_seconds: float,
) -> tuple[loadgen.Tally, loadgen.Tally, float]:
    """Closed loop over the respondent's no-JavaScript form: the first page, consent, the
    personal code, then every question page (agreement items answered) until the redirect to
    the thank-you page. Returns the final POSTs (the submissions; ``acknowledged`` holds one
    entry per walk that reached the thank-you page), every other step, and the seconds."""
    path = f"/impact/s/{survey.token}/en/"
    codes = itertools.count()

    async def walk(pool: loadgen.Pool, finals: loadgen.Tally, steps: loadgen.Tally) -> None:
        number = next(codes)
        started = time.perf_counter()
        answer = await pool.request("GET", path)
        steps.answered(answer)
        cookie = CSRF_COOKIE.search(answer.headers.get("set-cookie", ""))
        if cookie is None:
            steps.errors += 1
            return
        extra = (
            "Content-Type: application/x-www-form-urlencoded",
            f"Cookie: csrftoken={cookie[1]}",
        )
        fields: dict[str, str] = {"consent": "on"}
        for page in range(MAX_PAGES):
            page_html = answer.body.decode(errors="replace")
            state, token = STATE.search(page_html), CSRF_FIELD.search(page_html)
            if answer.status == 503:
                return  # busy (counted): this respondent gives up, nothing was acknowledged
            if answer.status != 200 or state is None or token is None:
                steps.errors += 1
                return
            fields.update({"state": state[1], "csrfmiddlewaretoken": token[1]})
            if page == 1:  # the personal code, built from three remembered facts
                fields.update(
                    parent_letters=f"{number % 26 + 65:c}{number // 26 % 26 + 65:c}",
                    birth_day=str(number % 28 + 1),
                    place_letters=f"{number // 676 % 26 + 65:c}{number // 17576 % 26 + 65:c}",
                )
            fields.update(dict.fromkeys(AGREEMENT.findall(page_html), "3"))
            body = urlencode(fields).encode()
            sent = time.perf_counter()
            answer = await pool.request("POST", path, body, extra)
            if answer.status == 302:
                finals.answered(answer)
                finals.latency_ms.append((time.perf_counter() - sent) * 1000)
                steps.latency_ms.append((time.perf_counter() - started) * 1000)
                finals.acknowledged.add(f"walk-{number}")
                return
            steps.answered(answer)
            fields = {}
        steps.errors += 1

    return loadgen.closed_loop(
        server.port, walk, users=users, visits=10**6, max_seconds=max_seconds
    )


def run_backend(name: str, options: argparse.Namespace) -> tuple[dict[str, Any], list[Step]]:
    database_url = liveserver.fresh_postgres_url() if name == "postgres" else ""
    acknowledged: set[str] = set()
    steps: list[Step] = []
    try:
        with tempfile.TemporaryDirectory(prefix=f"pw-load-{name}-") as directory:
            data = Path(directory)
            env = liveserver.server_env(database_url or f"sqlite:///{data / 'load.sqlite3'}", data)
            survey = liveserver.prepare(env)
            database = urlsplit(database_url).path.lstrip("/") if database_url else ""
            with liveserver.running(
                env, workers=options.workers, threads=options.threads
            ) as server:
                meter = loadgen.CpuMeter(server.process.pid, database)
                # warm-up (imports, connections, caches); checked for loss, not reported
                step(
                    server, survey, meter, rate=20, seconds=2, prefix="7000",
                    target_ms=options.target_ms, acknowledged=acknowledged,
                )  # fmt: skip
                print(
                    f"{name}: JSON API submissions, open loop, {options.step_seconds:.0f} s a step"
                )
                for number, rate in enumerate(options.rates):
                    result = step(
                        server, survey, meter, rate=rate, seconds=options.step_seconds,
                        prefix=f"{9000 + number}", target_ms=options.target_ms,
                        acknowledged=acknowledged,
                    )  # fmt: skip
                    steps.append(result)
                    print(result.line(), flush=True)
                    if not result.met:
                        break
                submissions, reads, seconds = mixed(
                    server, survey, users=options.users, visits=options.visits,
                    max_seconds=options.mixed_seconds,
                )  # fmt: skip
                meter.start()
                finals, walks, form_seconds = form_walks(
                    server, survey, users=options.users, max_seconds=options.form_seconds
                )
                form_cpu = meter.stop()
            acknowledged |= submissions.acknowledged
            stored = liveserver.stored_submission_ids(env)
    finally:
        if database_url:
            liveserver.drop_postgres(database_url)
    # the form's submissions carry random ids; every API submission id has our prefix
    from_form = sum(not sid.startswith(API_ID_PREFIX) for sid in stored)
    walked = len(finals.acknowledged)
    lost = len(acknowledged - stored) + max(0, walked - from_form)
    errors = sum(s.errors for s in steps) + submissions.errors + reads.errors
    errors += finals.errors + walks.errors
    reconnects = sum(s.reconnects for s in steps) + submissions.reconnects + reads.reconnects
    reconnects += finals.reconnects + walks.reconnects
    mixed_rate = len(submissions.acknowledged) / seconds if seconds else 0.0
    form_rate = walked / form_seconds if form_seconds else 0.0
    form_cpu_ms = form_cpu * 1000 / walked if walked else 0.0
    print(
        f"{name}: mixed traffic, {options.users} users: {len(submissions.acknowledged)} "
        f"submissions in {seconds:.1f} s = {mixed_rate:.1f}/s, p95 submission "
        f"{loadgen.p95(submissions.latency_ms):.1f} ms, "
        f"p95 read {loadgen.p95(reads.latency_ms):.1f} ms"
    )
    print(
        f"{name}: no-JS form, {options.users} users: {walked} walks to the thank-you page in "
        f"{form_seconds:.1f} s = {form_rate:.1f}/s, p95 final POST "
        f"{loadgen.p95(finals.latency_ms):.1f} ms, p95 walk {loadgen.p95(walks.latency_ms):.1f} "
        f"ms, server CPU {form_cpu_ms:.1f} ms a walk ({walks.requests + walked} requests)"
    )
    met = [s for s in steps if s.met]
    best = max(met, key=lambda s: s.achieved) if met else None
    cpu_ms = sorted(s.server_cpu_ms for s in steps if s.server_cpu_ms)
    cpu = cpu_ms[len(cpu_ms) // 2] if cpu_ms else 0.0
    cores = os.cpu_count() or 1
    print(
        f"{name}: best rate with p95 < {options.target_ms:.0f} ms: "
        f"{best.achieved if best else 0:.1f}/s; server CPU {cpu:.2f} ms a submission "
        f"(capacity ≈ {cores * 1000 / cpu if cpu else 0:.0f}/s on {cores} cores); "
        f"{len(acknowledged)} acknowledged, {lost} lost, {errors} errors, "
        f"{reconnects} requests sent again after a stale keep-alive connection"
    )

    def metric(value: float, unit: str) -> dict[str, Any]:
        return {"median": round(value, 2), "unit": unit}

    return {
        f"submissions_per_s_{name}": metric(best.achieved if best else 0.0, "per_s"),
        f"submissions_p95_ms_{name}": metric(best.p95_ms if best else steps[0].p95_ms, "ms"),
        f"submissions_max_per_s_{name}": metric(max(s.achieved for s in steps), "per_s"),
        f"submissions_cpu_ms_{name}": metric(cpu, "ms"),
        f"submissions_capacity_per_s_{name}": metric(cores * 1000 / cpu if cpu else 0.0, "per_s"),
        f"mixed_submissions_per_s_{name}": metric(mixed_rate, "per_s"),
        f"mixed_submissions_p95_ms_{name}": metric(loadgen.p95(submissions.latency_ms), "ms"),
        f"reads_p95_ms_{name}": metric(loadgen.p95(reads.latency_ms), "ms"),
        f"submissions_lost_{name}": metric(lost, "count"),
        f"submissions_errors_{name}": metric(errors, "count"),
        f"load_reconnects_{name}": metric(reconnects, "count"),
        f"form_submissions_per_s_{name}": metric(form_rate, "per_s"),
        f"form_submit_p95_ms_{name}": metric(loadgen.p95(finals.latency_ms), "ms"),
        f"form_walk_p95_ms_{name}": metric(loadgen.p95(walks.latency_ms), "ms"),
        f"form_cpu_ms_{name}": metric(form_cpu_ms, "ms"),
    }, steps


def merge_results(
    metrics: dict[str, dict[str, Any]], steps: dict[str, list[Step]], options: argparse.Namespace
) -> None:
    current: dict[str, Any] = {}
    if RESULTS.exists():
        try:
            current = json.loads(RESULTS.read_text())
        except ValueError:
            current = {}
    current.setdefault("metrics", {}).update(metrics)
    machine = current.setdefault("machine", {})
    machine.setdefault("platform", platform.platform())
    machine.setdefault("cores", os.cpu_count())
    machine.setdefault("python", sys.version.split()[0])
    machine["load_average_during_load"] = os.getloadavg()
    current["load_quick"] = options.quick
    current["load_run_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    current["load_server"] = {"workers": options.workers, "threads": options.threads}
    current.setdefault("load_steps", {}).update(
        {name: [step.__dict__ for step in backend_steps] for name, backend_steps in steps.items()}
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(current, indent=2) + "\n")
    print(f"merged {len(metrics)} metrics into {RESULTS}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the small fixed size of .ci/run")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--rates",
        type=lambda text: [float(rate) for rate in text.split(",")],
        default=[25.0, 50, 75, 100, 150, 200, 250, 300, 350, 400, 500],
        help="offered submission rates per second, tried in turn (comma-separated)",
    )
    parser.add_argument("--step-seconds", type=float, default=10)
    parser.add_argument("--target-ms", type=float, default=100, help="p95 a step must stay under")
    parser.add_argument("--users", type=int, default=6, help="virtual users of the mixed run")
    parser.add_argument("--visits", type=int, default=1000, help="visits of the mixed run")
    parser.add_argument("--mixed-seconds", type=float, default=30)
    parser.add_argument("--form-seconds", type=float, default=30, help="length of the form run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    options = parser.parse_args()
    if options.quick:
        options.rates = [50.0, 100, 150, 200, 300, 400]
        options.step_seconds, options.visits, options.mixed_seconds = 4, 300, 8
        options.form_seconds = 8
    backends = ["sqlite", "postgres"] if options.backend == "both" else [options.backend]
    print(f"load average before: {os.getloadavg()}")
    metrics: dict[str, dict[str, Any]] = {}
    steps: dict[str, list[Step]] = {}
    for backend in backends:
        backend_metrics, steps[backend] = run_backend(backend, options)
        metrics.update(backend_metrics)
    print(f"load average after: {os.getloadavg()}")
    merge_results(metrics, steps, options)
    failed = any(
        metrics[f"submissions_lost_{b}"]["median"] or metrics[f"submissions_errors_{b}"]["median"]
        for b in backends
    )
    print("FAIL: submissions lost or server errors" if failed else "OK: nothing lost, no errors")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Load: a real server process (gunicorn, 2 workers) on 127.0.0.1, driven with mixed reads
(the survey's first page, the health check) and public survey submissions, bounded in count
and time. Reports throughput, p95 latency, errors and lost submissions (acknowledged with 2xx
but not in the database), for SQLite and PostgreSQL, and merges the figures into
``bench/results/latest.json`` (``metrics``; the rest of the file is kept).

``--quick`` is the small fixed size `.ci/run` uses. Exits 1 when a submission is lost or a
request is answered with a 5xx other than 503.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import liveserver

RESULTS = liveserver.ROOT / "bench" / "results" / "latest.json"
RETRIES = 5


@dataclass
class Tally:
    submission_ms: list[float] = field(default_factory=list)
    read_ms: list[float] = field(default_factory=list)
    acknowledged: set[str] = field(default_factory=set)
    errors: int = 0
    busy: int = 0
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, *, errors: int = 0, busy: int = 0) -> None:
        with self.lock:
            self.requests += 1
            self.errors += errors
            self.busy += busy


def p95(values: list[float]) -> float:
    if not values:
        return 0.0
    if len(values) < 20:
        return max(values)
    return statistics.quantiles(values, n=20)[-1]


def drive(
    server: liveserver.Server,
    survey: liveserver.Survey,
    *,
    submissions: int,
    reads_per_submission: int,
    concurrency: int,
    max_seconds: float,
) -> tuple[Tally, float]:
    tally = Tally()
    started = time.monotonic()

    def one(index: int) -> None:
        if time.monotonic() - started > max_seconds:
            return
        for read in range(reads_per_submission):
            path = f"/impact/s/{survey.token}/" if read % 2 == 0 else "/healthz"
            reply = liveserver.request(server, "GET", path)
            tally.read_ms.append(reply.seconds * 1000)
            tally.count(errors=int(reply.status != 200))
        submission_id = f"00000000-0000-4000-9000-{index:012d}"
        body = liveserver.submission(survey, submission_id=submission_id)
        for _attempt in range(RETRIES):
            reply = liveserver.submit(server, survey, body)
            tally.submission_ms.append(reply.seconds * 1000)
            busy = reply.status == 503
            tally.count(busy=int(busy))
            if busy:  # what a client does: wait as told, send it again
                time.sleep(min(float(reply.headers.get("retry-after", "1")), 1.0))
                continue
            break
        with tally.lock:
            if reply.status in (200, 201):
                tally.acknowledged.add(submission_id)
            else:
                tally.errors += 1

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(submissions)))
    return tally, time.monotonic() - started


def run_backend(name: str, options: argparse.Namespace) -> dict[str, dict[str, Any]]:
    database_url = (
        liveserver.fresh_postgres_url() if name == "postgres" else ""
    )  # SQLite: a file in the temporary directory
    try:
        with tempfile.TemporaryDirectory(prefix=f"pw-load-{name}-") as directory:
            data = Path(directory)
            env = liveserver.server_env(database_url or f"sqlite:///{data / 'load.sqlite3'}", data)
            survey = liveserver.prepare(env)
            with liveserver.running(env, workers=2, threads=2) as server:
                tally, seconds = drive(
                    server,
                    survey,
                    submissions=options.submissions,
                    reads_per_submission=options.reads,
                    concurrency=options.concurrency,
                    max_seconds=options.max_seconds,
                )
            stored = liveserver.stored_submission_ids(env)
    finally:
        if database_url:
            liveserver.drop_postgres(database_url)
    lost = len(tally.acknowledged - stored)
    throughput = len(tally.acknowledged) / seconds if seconds else 0.0
    print(
        f"{name:9} {len(tally.acknowledged):5} submissions in {seconds:6.1f} s = "
        f"{throughput:7.1f}/s; p95 submit {p95(tally.submission_ms):7.1f} ms, "
        f"p95 read {p95(tally.read_ms):7.1f} ms; {tally.requests} requests, "
        f"{tally.errors} errors, {tally.busy} busy (503, retried), {lost} lost"
    )
    return {
        f"submissions_per_s_{name}": {"median": round(throughput, 2), "unit": "per_s"},
        f"submissions_p95_ms_{name}": {"median": round(p95(tally.submission_ms), 1), "unit": "ms"},
        f"reads_p95_ms_{name}": {"median": round(p95(tally.read_ms), 1), "unit": "ms"},
        f"submissions_lost_{name}": {"median": lost, "unit": "count"},
        f"submissions_errors_{name}": {"median": tally.errors, "unit": "count"},
    }


def merge_results(metrics: dict[str, dict[str, Any]], quick: bool) -> None:
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
    current["load_quick"] = quick
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(current, indent=2) + "\n")
    print(f"merged {len(metrics)} metrics into {RESULTS}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the small fixed size of .ci/run")
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--reads", type=int, default=2, help="reads before each submission")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    options = parser.parse_args()
    if options.quick:
        options.submissions, options.reads, options.concurrency = 150, 2, 6
        options.max_seconds = 60
    backends = ["sqlite", "postgres"] if options.backend == "both" else [options.backend]
    metrics: dict[str, dict[str, Any]] = {}
    for backend in backends:
        metrics.update(run_backend(backend, options))
    merge_results(metrics, options.quick)
    failed = any(
        metrics[f"submissions_lost_{b}"]["median"] or metrics[f"submissions_errors_{b}"]["median"]
        for b in backends
    )
    print("FAIL: submissions lost or server errors" if failed else "OK: nothing lost, no errors")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

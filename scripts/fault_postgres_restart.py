"""PostgreSQL restarted during a burst of submissions (run by `.ci/run`).

Starts gunicorn (2 workers) on 127.0.0.1 against a fresh database on the local PostgreSQL,
sends a bounded burst of public survey submissions from several threads, restarts the cluster
midway with ``pg_ctlcluster``, then checks that

* no request was answered 500 (a refused request is a 503 with ``Retry-After``), and
* every submission acknowledged with 2xx is in the database (client log vs database).

Exits 0 when both hold, 1 otherwise. ``--no-restart`` runs the same burst without the restart.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import liveserver


def restart_postgres() -> None:
    version = next(iter(sorted(path.name for path in Path("/etc/postgresql").iterdir())))
    subprocess.run(  # noqa: S603 -- the cluster's own control command
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],  # noqa: S607
        check=True,
        capture_output=True,
    )


def wait_for_postgres(seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready = subprocess.run(
            ["pg_isready", "-h", "127.0.0.1", "-p", "5432"],  # noqa: S607
            check=False,
            capture_output=True,
        )
        if ready.returncode == 0:
            return
        time.sleep(0.5)
    raise RuntimeError("PostgreSQL did not come back")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--no-restart", action="store_true")
    options = parser.parse_args()

    database_url = liveserver.fresh_postgres_url()
    log: list[tuple[str, int, str]] = []  # (submission id, status, retry-after)
    lock = threading.Lock()
    try:
        with tempfile.TemporaryDirectory(prefix="pw-pg-restart-") as directory:
            env = liveserver.server_env(database_url, Path(directory))
            survey = liveserver.prepare(env)
            with liveserver.running(env, workers=2, threads=2) as server:
                started = time.monotonic()
                restarted = threading.Event()

                def send(index: int) -> None:
                    if time.monotonic() - started > options.max_seconds:
                        return
                    submission_id = f"00000000-0000-4000-8000-{index:012d}"
                    body = liveserver.submission(survey, submission_id=submission_id)
                    reply = liveserver.submit(server, survey, body)
                    with lock:
                        log.append(
                            (submission_id, reply.status, reply.headers.get("retry-after", ""))
                        )
                    if index == options.submissions // 2 and not options.no_restart:
                        restart_postgres()
                        restarted.set()

                with ThreadPoolExecutor(max_workers=options.threads) as pool:
                    list(pool.map(send, range(options.submissions)))
                wait_for_postgres()
                stored = liveserver.stored_submission_ids(env)
    finally:
        wait_for_postgres()
        liveserver.drop_postgres(database_url)

    acknowledged = {sid for sid, status, _ in log if 200 <= status < 300}
    errors = [(sid, status) for sid, status, _ in log if status >= 500 and status != 503]
    busy_without_retry = [sid for sid, status, retry in log if status == 503 and not retry]
    no_answer = [sid for sid, status, _ in log if status == 0]
    lost = sorted(acknowledged - stored)
    counts: dict[int, int] = {}
    for _, status, _ in log:
        counts[status] = counts.get(status, 0) + 1
    print(f"sent {len(log)}; answers by status {dict(sorted(counts.items()))}")
    print(f"acknowledged {len(acknowledged)}, stored {len(stored)}, lost {len(lost)}")
    if not options.no_restart:
        print("PostgreSQL restarted midway" if restarted.is_set() else "restart did not happen")
    failed = bool(errors or busy_without_retry or lost) or (
        not options.no_restart and not restarted.is_set()
    )
    if errors:
        print(f"FAIL: {len(errors)} answers were 5xx other than 503: {errors[:5]}")
    if busy_without_retry:
        print(f"FAIL: {len(busy_without_retry)} 503 answers without Retry-After")
    if lost:
        print(f"FAIL: acknowledged but not stored: {lost[:5]}")
    if no_answer:
        print(f"note: {len(no_answer)} requests got no HTTP answer (connection reset)")
    print("FAIL" if failed else "OK: no 500, every acknowledged submission is stored")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Ingest under faults, on a SQLite file database: concurrent submissions against a real
gunicorn server (2 workers) -- identical ones are stored once, and concurrent writers never see
"database is locked" (each answer is a 2xx, or a 503 with Retry-After the client may resend) --
and an import whose process is killed with SIGKILL mid-confirmation leaves nothing, then a
re-run imports every row once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from scripts import liveserver
from scripts.liveserver import Reply, Server, Survey


@pytest.fixture(scope="module")
def live(prepared: tuple[dict[str, str], Survey]) -> Iterator[tuple[Server, Survey]]:
    env, survey = prepared
    with liveserver.running(env, workers=2, threads=4) as server:
        yield server, survey


def test_fifty_concurrent_identical_submissions_store_exactly_one(
    live: tuple[Server, Survey],
) -> None:
    server, survey = live
    submission_id = str(uuid.uuid4())
    body = liveserver.submission(survey, submission_id=submission_id, code="ZX98QW")
    with ThreadPoolExecutor(max_workers=50) as pool:
        replies = list(pool.map(lambda _: liveserver.submit(server, survey, body), range(50)))
    statuses = sorted(reply.status for reply in replies)
    assert all(status in (200, 201, 503) for status in statuses), statuses
    assert statuses.count(201) <= 1
    _retry_busy(server, survey, [(body, reply) for reply in replies])
    assert list(liveserver.stored_submission_ids(server.env)).count(submission_id) == 1


def test_concurrent_writers_never_get_a_500_or_database_is_locked(
    live: tuple[Server, Survey],
) -> None:
    server, survey = live
    bodies = [liveserver.submission(survey) for _ in range(60)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        replies = list(pool.map(lambda body: liveserver.submit(server, survey, body), bodies))
    for reply in replies:
        assert reply.status in (201, 503), (reply.status, reply.body[:300])
        assert b"locked" not in reply.body
        if reply.status == 503:
            assert int(reply.headers["retry-after"]) > 0
            assert reply.headers["content-type"].startswith("application/problem+json")
    _retry_busy(server, survey, list(zip(bodies, replies, strict=True)))
    stored = liveserver.stored_submission_ids(server.env)
    sent = {body.split(b'"submission_id": "')[1][:36].decode() for body in bodies}
    assert sent <= stored


def _retry_busy(server: Server, survey: Survey, sent: list[tuple[bytes, Reply]]) -> None:
    """What a client does with a 503: send the same submission again (idempotent)."""
    for body, reply in sent:
        attempts = 0
        while reply.status == 503 and attempts < 10:
            reply = liveserver.submit(server, survey, body)
            attempts += 1
        assert reply.status in (200, 201), (reply.status, reply.body[:300])


IMPORT_ROWS = 120


def _child_run(env: dict[str, str], steps: str, **extra: str) -> subprocess.Popen[str]:
    """A child process with the prepared database's environment that runs ``steps`` (comma
    separated) in order, each on rows read afresh, and prints a line for each."""
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from tests.faults.test_ingest_under_faults import _child; _child()",
        ],
        env={**env, "IMPORT_STEPS": steps, **extra},
        cwd=liveserver.ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _child_output(env: dict[str, str], steps: str, **extra: str) -> list[str]:
    process = _child_run(env, steps, **extra)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err[-2000:]
    return out.strip().splitlines()[-len(steps.split(",")) :]


def test_import_killed_mid_confirmation_leaves_nothing_and_a_rerun_imports_once(
    prepared: tuple[dict[str, str], Survey], tmp_path: Path
) -> None:
    env, _ = prepared
    counted, job = _child_output(env, "count,preview")
    before = int(counted.split()[0])
    marker = tmp_path / "mid-import"
    process = _child_run(env, "confirm-slow", IMPORT_JOB=job, IMPORT_MARKER=str(marker))
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, process.communicate()[1][-2000:]
        assert time.monotonic() < deadline, "the import never reached the middle"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)  # the worker dies inside the import's transaction
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    # a new process, as a re-run after the crash (one process for the steps after it: each
    # step reads the upload and the rows from the database again)
    killed, confirmed, rerun, again, total = _child_output(
        env, "count,confirm,count,confirm,count-all", IMPORT_JOB=job
    )
    count, status = killed.split()
    assert int(count) == before, "a killed import left rows behind"
    assert status == "pending"  # the killed confirmation left it confirmable
    assert confirmed == "confirmed"
    count, status = rerun.split()
    assert int(count) == before + IMPORT_ROWS
    assert status == "confirmed"
    assert again == "refused"  # never twice
    assert int(total.split()[0]) == before + IMPORT_ROWS


def _child() -> None:
    """Run in a subprocess with the prepared database's environment."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    for step in os.environ["IMPORT_STEPS"].split(","):
        _child_step(step)


def _child_step(mode: str) -> None:
    from peaceworks.core.errors import DomainError
    from peaceworks.core.exports import csv_bytes
    from peaceworks.core.models import PendingUpload
    from peaceworks.core.uploads import upload_confirm, upload_store
    from peaceworks.impact.models import Response, Round

    if mode in ("count", "count-all"):
        job_id = os.environ.get("IMPORT_JOB") if mode == "count" else None
        status = PendingUpload.objects.get(pk=job_id).state if job_id else "-"
        _say(Response.objects.count(), status)
        return
    if mode == "preview":
        rows = [[str(uuid.uuid4()), f"KL{i:04d}ZZ", "4"] for i in range(IMPORT_ROWS)]
        data = csv_bytes(["submission_id", "matching_code", "t4_conflict"], rows)
        survey_round = Round.objects.get()
        job = upload_store(
            actor=None,
            importer="impact.responses",
            filename="r.csv",
            data=data,
            target={"round": survey_round.pk},
        )
        assert not job.preview["errors"], job.preview["errors"]
        _say(job.pk)
        return
    job = PendingUpload.objects.get(pk=os.environ["IMPORT_JOB"])
    if mode == "confirm-slow":
        from peaceworks.impact.services import response_batches

        real = vars(response_batches)["audit_record_targets"]

        def slow(**kwargs: Any) -> Any:
            # the first batch's rows are written (inside the import's transaction): die here
            Path(os.environ["IMPORT_MARKER"]).touch()
            time.sleep(120)  # killed here
            return real(**kwargs)

        vars(response_batches)["audit_record_targets"] = slow  # the service calls it by this name
    try:
        upload_confirm(actor=None, upload=job)
    except DomainError:
        _say("refused")
        return
    job.refresh_from_db()
    _say(job.state)


def _say(*parts: object) -> None:
    sys.stdout.write(" ".join(str(part) for part in parts) + "\n")

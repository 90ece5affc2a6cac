"""The task code on Redis/RQ with real worker processes, including a worker killed with
SIGKILL mid-task. Runs when ``TASK_BACKEND=rq`` (``.ci/run`` does it once) and Redis answers
on ``REDIS_URL``; the normal suite covers the same tasks on the immediate backend."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The job class that runs django-tasks tasks (README of django-tasks-rq).
JOB_CLASS = ["--job-class", "django_tasks_rq.backend.Job"]
TEST_REDIS_URL = os.environ.get("RQ_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = [
    pytest.mark.rq,
    pytest.mark.skipif(
        os.environ.get("TASK_BACKEND") != "rq",
        reason="RQ task tests run with TASK_BACKEND=rq (and Redis on 127.0.0.1:6379)",
    ),
]


@pytest.fixture
def rq_env(tmp_path):
    import redis

    connection = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"TASK_BACKEND=rq but Redis does not answer at {TEST_REDIS_URL}")
    connection.flushdb()  # a database of its own: only these tests' jobs
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        TASK_BACKEND="rq",
        REDIS_URL=TEST_REDIS_URL,
        DATABASE_URL=f"sqlite:///{tmp_path / 'rq.sqlite3'}",
        PEACEWORKS_DATA_DIR=str(tmp_path),
        EMAIL_URL="console://",
        PYTHONPATH=str(ROOT),
    )
    subprocess.run(
        [sys.executable, "-m", "peaceworks.manage", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    yield env
    connection.flushdb()


def step(env, *args):
    result = subprocess.run(
        [sys.executable, "-m", "tests.tasks.driver", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_worker_until_empty(env, log: Path) -> None:
    with log.open("ab") as output:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "peaceworks.manage",
                "rqworker",
                "default",
                "--burst",
                *JOB_CLASS,
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=120,
            check=True,
        )


def test_invitation_is_sent_once_by_an_rq_worker_even_when_enqueued_twice(rq_env, tmp_path):
    invitation_id = step(rq_env, "invite")["invitation_id"]  # enqueued on commit
    step(rq_env, "send-again", str(invitation_id))
    log = tmp_path / "worker.log"
    run_worker_until_empty(rq_env, log)
    state = step(rq_env, "state")
    assert len(state["sent"]) == 1
    assert state["send_events"] == 1
    assert log.read_text(errors="replace").count("You are invited to Org on Peaceworks") == 1


def test_worker_killed_mid_task_is_retried_without_duplicating_its_effect(rq_env, tmp_path):
    marker, hold = tmp_path / "started", tmp_path / "hold"
    hold.write_text("hold")
    step(rq_env, "record", "effect-1", str(marker), str(hold))
    log = tmp_path / "worker.log"
    with log.open("ab") as output:
        worker = subprocess.Popen(
            [sys.executable, "-m", "peaceworks.manage", "rqworker", "default", *JOB_CLASS],
            cwd=ROOT,
            env=rq_env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the work-horse dies with it
        )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            assert worker.poll() is None, log.read_text(errors="replace")
            time.sleep(0.05)
        # Mid-task: the effect is written, not committed. RQ runs the task in a forked
        # work-horse in a session of its own, so both processes are killed.
        os.kill(int(marker.read_text()), signal.SIGKILL)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
    assert step(rq_env, "state")["effects"] == []  # the killed transaction left nothing
    hold.unlink()
    assert step(rq_env, "recover")["requeued"], "the abandoned job was not found"
    run_worker_until_empty(rq_env, log)
    assert step(rq_env, "state")["effects"] == ["effect-1"]
    # Delivered again (at-least-once queues do that): still one effect.
    step(rq_env, "record", "effect-1", str(marker), str(hold))
    run_worker_until_empty(rq_env, log)
    assert step(rq_env, "state")["effects"] == ["effect-1"]


def test_reminders_are_sent_once_per_item_and_step_after_a_killed_run(rq_env, tmp_path):
    step(rq_env, "meeting-items")
    killed = subprocess.run(
        [sys.executable, "-m", "tests.tasks.driver", "reminders-killed", "2026-05-03"],
        cwd=ROOT,
        env=rq_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert killed.returncode == 137, killed.stderr
    assert killed.stdout.count("Due on 10 May 2026: Reminder item") == 1
    # the restarted worker runs the day's job, delivered twice
    step(rq_env, "reminders-enqueue", "2026-05-03")
    step(rq_env, "reminders-enqueue", "2026-05-03")
    log = tmp_path / "worker.log"
    run_worker_until_empty(rq_env, log)
    sent_by_worker = log.read_text(errors="replace").count("Due on 10 May 2026: Reminder item")
    assert killed.stdout.count("Due on 10 May 2026: Reminder item") + sent_by_worker == 3
    state = step(rq_env, "reminders-state")
    assert state["claimed"] == 3

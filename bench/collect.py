"""Submissions per second: ODK Collect's (OpenRosa) beside the JSON API's, in the same run.

Both are sent through Django's test client in this process, to a fresh database (the world of
``bench/ingest.py``: one activity with the default framework; its pre round open now, and
opened for app collection): each submission a new respondent answering the 20 agreement items
the pre and post surveys share.

- ``collect_api_submissions_per_s_<db>``: ``POST /api/v1/impact/public/rounds/<token>/responses``
  (JSON, idempotent by submission id);
- ``collect_openrosa_submissions_per_s_<db>``: ``POST /impact/openrosa/<token>/submission``
  (multipart with ``xml_submission_file``, as ODK Collect sends it: the consent, the three facts
  of the matching code, the answers and ``meta/instanceID``).

Batches of each alternate (so both meet the same machine load); the metric is the median of
the batches' rates (``min``/``max`` beside it), with ``cpu`` the median CPU seconds of a batch.
Every submission must be answered 201 and stored, else the run reports a problem. The client's
own work (encoding the body, reading the answer) is inside the timing for both alike;
``scripts/load.py`` measures the JSON API against a real server process.

On SQLite (a throw-away file) and on PostgreSQL (``peaceworks_bench_collect_<pid>``, created
for the run and dropped after it) when the server answers, each in its own process:
``python -m bench.collect [--postgres] [--quick] [--json out.json]``; ``bench.run`` calls
:func:`add_to`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import string
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from .export import run_child as run_bench_module
from .ingest import DEFAULT_POSTGRES, _make_world, drop_postgres, fresh_postgres

LETTERS = string.ascii_uppercase


def _facts(index: int) -> dict[str, str]:
    """Three facts that make a distinct matching code for each ``index``."""
    a, rest = index % 676, index // 676
    day, place = rest % 31 + 1, rest // 31
    return {
        "parent_letters": LETTERS[a // 26] + LETTERS[a % 26],
        "birth_day": str(day),
        "place_letters": LETTERS[place // 26 % 26] + LETTERS[place % 26],
    }


def postgres_reachable(url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 -- any failure means: no PostgreSQL for this run
        return False


class Sender:
    """The round, its tokens and the bodies of both kinds of submission."""

    def __init__(self) -> None:
        from datetime import timedelta

        from django.test import Client
        from django.utils import timezone

        from peaceworks.accounts.models import User
        from peaceworks.impact.models import Round
        from peaceworks.impact.openrosa import collection_open, collection_token, form_id

        world = _make_world()
        now = timezone.now()
        Round.objects.filter(pk=world.pre_round_id).update(
            opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30)
        )
        self.round = Round.objects.select_related("instrument", "activity").get(
            pk=world.pre_round_id
        )
        admin = User.objects.create_user(
            email="bench.admin@bench.example.org", password=None, is_superuser=True
        )
        item = collection_open(actor=admin, survey_round=self.round)
        self.items = world.items
        self.api_path = f"/api/v1/impact/public/rounds/{self.round.token}/responses"
        self.openrosa_path = f"/impact/openrosa/{collection_token(item)}/submission"
        self.form_id = form_id(self.round, "en")
        self.consent_version = self.round.instrument.consent_version
        self.client = Client(REMOTE_ADDR="127.0.0.1")
        self.index = 0

    def _next(self) -> tuple[int, dict[str, int]]:
        self.index += 1
        answers = {code: (self.index + offset) % 5 + 1 for offset, code in enumerate(self.items)}
        return self.index, answers

    def api(self) -> int:
        from peaceworks.impact.pseudonyms import build_code

        index, answers = self._next()
        body = {
            "submission_id": str(uuid.uuid4()),
            "language": "en",
            "consent_version": self.consent_version,
            "matching_code": build_code(**_facts(index)),
            "answers": answers,
        }
        answer = self.client.post(self.api_path, body, content_type="application/json")
        return int(answer.status_code)

    def openrosa(self) -> int:
        from django.core.files.uploadedfile import SimpleUploadedFile

        index, answers = self._next()
        fields = {
            "consent": "yes",
            "consent_version": self.consent_version,
            **_facts(index),
            **{code: str(value) for code, value in answers.items()},
        }
        inner = "".join(f"<{name}>{value}</{name}>" for name, value in fields.items())
        xml = (
            f'<data id="{self.form_id}">{inner}'
            f"<meta><instanceID>uuid:{uuid.uuid4()}</instanceID></meta></data>"
        ).encode()
        upload = SimpleUploadedFile("submission.xml", xml, "text/xml")
        answer = self.client.post(
            self.openrosa_path,
            {"xml_submission_file": upload},
            headers={"X-OpenRosa-Version": "1.0"},
        )
        return int(answer.status_code)


def measure(*, quick: bool, suffix: str) -> tuple[dict[str, dict[str, Any]], list[str]]:
    from peaceworks.impact.models import Response

    sender = Sender()
    batch, runs = (50, 3) if quick else (200, 5)
    rates: dict[str, list[float]] = {"api": [], "openrosa": []}
    cpu: dict[str, list[float]] = {"api": [], "openrosa": []}
    problems: list[str] = []
    sent = 0
    for kind in ("api", "openrosa"):  # warm-up: the routing and XForm caches, the connection
        for _ in range(5):
            getattr(sender, kind)()
            sent += 1
    for _ in range(runs):
        for kind in ("api", "openrosa"):
            send = getattr(sender, kind)
            start, start_cpu = time.perf_counter(), time.process_time()
            statuses = [send() for _ in range(batch)]
            wall = time.perf_counter() - start
            cpu[kind].append(time.process_time() - start_cpu)
            rates[kind].append(batch / wall)
            sent += batch
            refused = [status for status in statuses if status != 201]
            if refused:
                problems.append(f"{kind}{suffix}: {len(refused)} answered {sorted(set(refused))}")
    stored = Response.objects.count()
    if stored != sent:
        problems.append(f"collect{suffix}: {sent} submissions sent, {stored} stored")
    metrics: dict[str, dict[str, Any]] = {}
    for kind, values in rates.items():
        name = f"collect_{kind}_submissions_per_s{suffix}"
        metrics[name] = {
            "median": statistics.median(values),
            "min": min(values),
            "max": max(values),
            "runs": runs,
            "batch": batch,
            "unit": "per_s",
            "cpu": statistics.median(cpu[kind]),
        }
        print(
            f"  {name:<44} {statistics.median(values):9.1f} /s  "
            f"({min(values):.1f}-{max(values):.1f}, {batch} a batch, {runs} batches)",
            flush=True,
        )
    return metrics, problems


def run_child(*, postgres: bool, quick: bool) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Set up Django on a throw-away database, then :func:`measure`."""
    tmp = Path(tempfile.mkdtemp(prefix="peaceworks-bench-collect-"))
    if postgres:
        os.environ["DATABASE_URL"] = fresh_postgres(
            os.environ.get("DATABASE_URL") or DEFAULT_POSTGRES, "peaceworks_bench_collect"
        )
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("PEACEWORKS_DATA_DIR", str(tmp))
    import django
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # the test client's host is allowed
    call_command("migrate", verbosity=0, interactive=False)
    try:
        return measure(quick=quick, suffix="_postgres" if postgres else "_sqlite")
    finally:
        from django.db import connections

        connections.close_all()
        if postgres:
            drop_postgres(os.environ["DATABASE_URL"])
        shutil.rmtree(tmp, ignore_errors=True)


def add_to(metrics: dict[str, dict[str, Any]], problems: list[str], *, quick: bool) -> None:
    """What ``bench.run`` calls: SQLite, then PostgreSQL when its server answers, each in a
    child process (Django binds one database per process)."""
    url = os.environ.get("DATABASE_URL", "")
    url = url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_POSTGRES
    print("== collect: submissions per second, JSON API and OpenRosa", flush=True)
    for on_postgres in (False, True):
        if on_postgres and not postgres_reachable(url):
            print(f"  (no PostgreSQL at {url}: SQLite only)", flush=True)
            continue
        database = url if on_postgres else None
        run_bench_module("bench.collect", ["--quick"] if quick else [], database, metrics, problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", action="store_true", help="on $DATABASE_URL (PostgreSQL)")
    parser.add_argument("--quick", action="store_true", help="smaller batches")
    parser.add_argument("--json", type=Path, help="write the metrics here")
    args = parser.parse_args(argv)
    metrics, problems = run_child(postgres=args.postgres, quick=args.quick)
    if args.json:
        args.json.write_text(json.dumps({"metrics": metrics, "problems": problems}))
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

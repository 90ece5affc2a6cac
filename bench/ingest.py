"""Ingest and import workloads: survey responses loaded through the impact import services.

Every run starts from a fresh database (a copy of a migrated SQLite file with one campaign, the
default framework, one activity and its pre and post rounds; on PostgreSQL the response tables
are emptied instead) and loads CSV or XLSX files exactly as the import page does:
``upload_store`` (which reads the file with ``core.tabular.read_table`` and checks every row)
then ``upload_confirm``.

- ``ingest_<size>_s``: N respondents of the generator (``bench/generate.py``): a pre file of N
  rows and a post file of the ~80 % who answered after, both previewed and confirmed;
- ``import_<size>_csv_s`` / ``import_<size>_xlsx_s``: one file of N pre-survey rows.

Run on its own with ``python -m bench.ingest [--quick] [--postgres]``, or one workload at one
size with ``--only csv|xlsx|ingest --size 10k|100k`` (``--profile FILE`` adds a cProfile dump of
its last timed run); ``bench.run`` calls :func:`run` in-process for SQLite and this module in a
child process for PostgreSQL (Django binds one database per process).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import gc
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from peaceworks.impact.analytics.frame import FO_ANY

from .generate import GENDERS, synthetic_frame

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
GENDER_VALUES = {
    "man": "man",
    "non-binary": "non_binary",
    "prefer not to say": "prefer_not",
    "self-describe": "self_describe",
    "woman": "woman",
    None: "",
}
TIMES = ("2027-05-01 10:00:00", "2027-05-20 18:00:00")  # pre, post submission times


@dataclass
class World:
    """The fixed part of every run: who imports, into which rounds, asking which items."""

    pre_round_id: int
    post_round_id: int
    items: list[str]


@dataclass
class Files:
    pre_rows: int
    post_rows: int
    pre_csv: bytes
    post_csv: bytes


# --- Django against a throw-away database -----------------------------------------------------


class Database:
    """A migrated database with the world in it, reset before every run."""

    def __init__(self, url: str | None) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="peaceworks-bench-"))
        self.postgres = url is not None
        if url is None:
            self.path = self.tmp / "bench.sqlite3"
            self.template = self.tmp / "template.sqlite3"
            url = f"sqlite:///{self.path}"
        else:
            url = fresh_postgres(url, "peaceworks_bench")
        self.url = url
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ.setdefault("PEACEWORKS_DATA_DIR", str(self.tmp))
        import django
        from django.core.management import call_command

        django.setup()
        _production_like()
        call_command("migrate", verbosity=0, interactive=False)
        self.world = _make_world()
        if not self.postgres:
            from django.db import connections

            connections.close_all()
            shutil.copyfile(self.path, self.template)

    def reset(self) -> None:
        from django.db import connection, connections

        if self.postgres:
            from peaceworks.core.models import AuditEvent, PendingUpload
            from peaceworks.impact.models import Respondent, Response

            # the tables an import writes, named by their models (a renamed one cannot be missed)
            tables = ", ".join(
                connection.ops.quote_name(model._meta.db_table)
                for model in (Response, Respondent, PendingUpload, AuditEvent)
            )
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            return
        connections.close_all()
        shutil.copyfile(self.template, self.path)

    def close(self) -> None:
        from django.db import connections

        connections.close_all()
        if self.postgres:
            drop_postgres(self.url)
        shutil.rmtree(self.tmp, ignore_errors=True)


def _production_like() -> None:
    """Production runs with DEBUG off: with it on, every cursor logs its statements, and the
    log formats each ``executemany``'s parameters (seconds in a 100k import)."""
    from django.conf import settings

    settings.DEBUG = False


def fresh_postgres(url: str, prefix: str) -> str:
    """A new empty database beside the one ``url`` names, called ``<prefix>_<pid>`` so that
    runs at the same time (two people, or a bench beside a test) do not drop each other's."""
    import psycopg

    base, _, _name = url.rpartition("/")
    name = f"{prefix}_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    return f"{base}/{name}"


def drop_postgres(url: str) -> None:
    """Drop the database ``url`` names (made by :func:`fresh_postgres`), from the server's
    maintenance database; Django's connections to it must be closed first."""
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")


def _make_world() -> World:
    """A campaign with the five themes, the default framework, one activity, pre and post."""
    from datetime import date, datetime, timedelta

    from django.utils import timezone

    from peaceworks.campaigns.models import Activity, Campaign, Programme, Theme
    from peaceworks.directory.models import Organisation
    from peaceworks.impact.default_framework import THEMES
    from peaceworks.impact.models import Question, Round
    from peaceworks.impact.routing import routed_questions
    from peaceworks.impact.services import framework_install_default, round_open

    organisation = Organisation.objects.create(name="Bench", code="bench", country="FR")
    programme = Programme.objects.create(name="Bench", code="bench")
    campaign = Campaign.objects.create(programme=programme, name="Bench", code="bench")
    for number, names in THEMES.items():
        Theme.objects.create(campaign=campaign, number=number, code=f"t{number}", name=names["en"])
    framework_install_default(actor=None, campaign=campaign)
    activity = Activity.objects.create(
        campaign=campaign,
        host_organisation=organisation,
        code="bench-1",
        title="Bench",
        activity_type=Activity.Type.WORKCAMP,
        start_date=date(2027, 5, 5),
        end_date=date(2027, 5, 18),
        country="KE",
        international_volunteers=10,
        local_volunteers=5,
    )
    activity.themes.set(Theme.objects.filter(campaign=campaign))
    tz = timezone.get_current_timezone()
    rounds = {
        kind: round_open(
            actor=None,
            activity=activity,
            kind=kind,
            opens_at=datetime(2027, 4, 1, tzinfo=tz) + timedelta(days=offset),
            closes_at=datetime(2027, 7, 1, tzinfo=tz),
        )
        for kind, offset in ((Round.Kind.PRE, 0), (Round.Kind.POST, 1))
    }
    theme_ids = list(activity.themes.values_list("pk", flat=True))

    def agreement(survey_round: Round) -> list[str]:
        asked = routed_questions(survey_round.instrument.questions.all(), theme_ids=theme_ids)
        return [q.code for q in asked if q.kind == Question.Kind.AGREEMENT]

    post_codes = set(agreement(rounds[Round.Kind.POST]))
    items = [code for code in agreement(rounds[Round.Kind.PRE]) if code in post_codes][:20]
    if len(items) < 20:
        raise SystemExit(f"the default framework asks only {len(items)} items before and after")
    return World(rounds[Round.Kind.PRE].pk, rounds[Round.Kind.POST].pk, items)


# --- the files an M&E officer would upload ------------------------------------------------------


def make_files(n: int, items: list[str]) -> Files:
    """The generator's respondents as a pre file (all) and a post file (those who answered)."""
    frame = synthetic_frame(n)
    gender = np.array([GENDER_VALUES[g] for g in GENDERS], dtype=object)[frame.codes["gender"]]
    fewer = np.array(["none", "economic", ""], dtype=object)[frame.codes[FO_ANY]]
    codes = [f"B{i:07d}" for i in range(n)]
    base = np.where(frame.baseline == 0, "", frame.baseline.astype(str)).T.tolist()
    post = np.where(frame.post == 0, "", frame.post.astype(str)).T.tolist()

    def table(headers: list[str], rows: list[list[str]]) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(rows)
        return out.getvalue().encode()

    head = ["submission_id", "matching_code", "submitted_at"]
    pre_rows = [
        [str(uuid.UUID(int=2 * i + 1)), codes[i], TIMES[0], *base[i], gender[i], fewer[i]]
        for i in range(n)
    ]
    post_rows = [
        [str(uuid.UUID(int=2 * i + 2)), codes[i], TIMES[1], *post[i]]
        for i in range(n)
        if any(post[i])
    ]
    return Files(
        pre_rows=len(pre_rows),
        post_rows=len(post_rows),
        pre_csv=table([*head, *items, "gender", "fewer_opportunities"], pre_rows),
        post_csv=table([*head, *items], post_rows),
    )


def xlsx_of(csv_data: bytes) -> bytes:
    """The same rows as an XLSX workbook (numbers as numbers, as a spreadsheet saves them)."""
    from peaceworks.core.exports import xlsx_bytes

    reader = csv.reader(io.StringIO(csv_data.decode()))
    headers = next(reader)
    rows = ([int(v) if v.isdigit() else v for v in row] for row in reader)
    return xlsx_bytes(headers, rows, title="responses")


# --- the workloads ----------------------------------------------------------------------------


def load(round_id: int, filename: str, data: bytes) -> tuple[int, list[Any]]:
    """Preview then confirm one file, as the import page does: (responses created, errors)."""
    from peaceworks.core.uploads import upload_confirm, upload_store

    job = upload_store(
        actor=None,
        importer="impact.responses",
        filename=filename,
        data=data,
        target={"round": round_id},
    )
    if job.preview["errors"]:
        return 0, job.preview["errors"]
    outcome = upload_confirm(actor=None, upload=job)
    return int(outcome.get("created", 0)), []


class Runner:
    #: when set, every timed run is profiled into it (``--profile``)
    profiler: cProfile.Profile | None = None
    #: whether each workload gets its extra run under tracemalloc (``--no-peak`` skips it)
    peak: bool = True

    def __init__(self, database: Database, suffix: str) -> None:
        self.database = database
        self.suffix = suffix  # "" for SQLite, "_postgres"
        self.metrics: dict[str, dict[str, Any]] = {}
        self.problems: list[str] = []

    def measure(
        self, name: str, fn: Callable[[], tuple[int, list[Any]]], expected: int, runs: int
    ) -> None:
        """Median of ``runs`` runs on a fresh database, then one more under tracemalloc."""
        name = f"{name[:-2]}{self.suffix}_s"
        samples, cpu = [], []
        for _ in range(runs):
            self.database.reset()
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            if self.profiler is not None:
                self.profiler.enable()
            created, errors = fn()
            if self.profiler is not None:
                self.profiler.disable()
            samples.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            if errors or created != expected:
                self.problems.append(
                    f"{name}: {created} responses stored of {expected}; errors {errors[:3]}"
                )
        self.metrics[name] = {
            "median": statistics.median(samples),
            "min": min(samples),
            "max": max(samples),
            "runs": runs,
            "unit": "s",
            # this process's CPU time: what the wall time would be on an idle machine
            "cpu": statistics.median(cpu),
        }
        if self.peak:
            self.database.reset()
            gc.collect()
            tracemalloc.start()
            fn()
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            self.metrics[f"{name}_peak_bytes"] = {"median": peak, "unit": "count"}
        wall, used = statistics.median(samples), statistics.median(cpu)
        print(f"  {name:<44} {wall:9.4f} s  (CPU {used:.2f} s)", flush=True)


WORKLOADS = ("ingest", "csv", "xlsx")


def run_workloads(
    database: Database,
    labels: list[str],
    import_label: str,
    suffix: str,
    quick: bool,
    only: tuple[str, ...] = WORKLOADS,
    runs: int | None = None,
) -> Runner:
    runner = Runner(database, suffix)
    world = database.world
    pre, post = world.pre_round_id, world.post_round_id
    for label in labels:
        n = SIZES[label]
        print(f"== ingest {label}{suffix}: {n:,} respondents", flush=True)
        files = make_files(n, world.items)

        def ingest(files: Files = files) -> tuple[int, list[Any]]:
            created, errors = load(pre, "pre.csv", files.pre_csv)
            if errors:
                return created, errors
            more, errors = load(post, "post.csv", files.post_csv)
            return created + more, errors

        repeat = runs or (3 if n <= 10_000 and not quick else 1)
        if "ingest" in only:
            runner.measure(f"ingest_{label}_s", ingest, files.pre_rows + files.post_rows, repeat)
        if label == import_label and "csv" in only:
            runner.measure(
                f"import_{label}_csv_s",
                lambda files=files: load(pre, "responses.csv", files.pre_csv),  # type: ignore[misc]
                files.pre_rows,
                repeat,
            )
        if label == import_label and "xlsx" in only:
            workbook = xlsx_of(files.pre_csv)
            runner.measure(
                f"import_{label}_xlsx_s",
                lambda workbook=workbook: load(pre, "responses.xlsx", workbook),  # type: ignore[misc]
                files.pre_rows,
                repeat,
            )
    return runner


def plan(quick: bool, size: str | None = None) -> tuple[list[str], str]:
    """The ingest sizes and the import size (``size`` alone when given). No 1M:
    ``read_table`` refuses files over ``MAX_ROWS`` (200,000) rows, and 1.8M responses take
    tens of minutes here."""
    if size is not None:
        return [size], size
    return (["10k"], "10k") if quick else (["10k", "100k"], "100k")


def run(*, quick: bool, size: str | None = None) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The SQLite workloads in this process: (metrics, problems)."""
    database = Database(None)
    try:
        labels, import_label = plan(quick, size)
        runner = run_workloads(database, labels, import_label, "", quick)
    finally:
        database.close()
    return runner.metrics, runner.problems


def run_postgres(
    *, quick: bool, url: str | None, size: str | None = None
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The same workloads on PostgreSQL, in a child process (Django binds one database)."""
    out = Path(tempfile.mkstemp(prefix="peaceworks-bench-", suffix=".json")[1])
    command = [sys.executable, "-m", "bench.ingest", "--postgres", "--json", str(out)]
    command += ["--quick"] if quick else []
    command += ["--size", size] if size else []
    env = {**os.environ, "DATABASE_URL": url or DEFAULT_POSTGRES}
    done = subprocess.run(command, env=env, check=False)  # noqa: S603 -- our own module
    try:
        result = json.loads(out.read_text() or "{}")
    finally:
        out.unlink(missing_ok=True)
    problems = list(result.get("problems", []))
    if done.returncode != 0 and not problems:
        problems.append(f"the PostgreSQL ingest exited with {done.returncode}")
    return dict(result.get("metrics", {})), problems


def add_to(
    metrics: dict[str, dict[str, Any]],
    problems: list[str],
    *,
    quick: bool,
    postgres: bool,
    size: str | None = None,
) -> None:
    """What ``bench.run`` calls: SQLite here, then PostgreSQL in a child process when asked
    (``--postgres``, or ``DATABASE_URL`` naming a PostgreSQL server); ``size`` alone when
    given."""
    url = os.environ.get("DATABASE_URL", "")
    url = url if url.startswith(("postgres://", "postgresql://")) else ""
    found, refused = run(quick=quick, size=size)
    metrics.update(found)
    problems += refused
    if postgres or url:
        found, refused = run_postgres(quick=quick, url=url or None, size=size)
        metrics.update(found)
        problems += refused


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10k only")
    parser.add_argument("--postgres", action="store_true", help="on $DATABASE_URL (PostgreSQL)")
    parser.add_argument("--json", type=Path, help="write the metrics here")
    parser.add_argument(
        "--only", choices=WORKLOADS, action="append", help="this workload only (repeatable)"
    )
    parser.add_argument("--size", choices=sorted(SIZES), help="this size only (with --only)")
    parser.add_argument("--runs", type=int, help="timed runs per workload")
    parser.add_argument("--profile", type=Path, help="cProfile the timed runs into this file")
    parser.add_argument("--no-peak", action="store_true", help="skip the tracemalloc runs")
    args = parser.parse_args(argv)
    labels, import_label = plan(args.quick, args.size)
    url = os.environ.get("DATABASE_URL", DEFAULT_POSTGRES) if args.postgres else None
    database = Database(url)
    # CPU time, not wall time: on a shared machine the wall clock charges other builds' load
    # to whatever was waiting (the CPU clock is slower to read: totals grow, shares hold)
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    Runner.profiler, Runner.peak = profiler, not args.no_peak
    try:
        runner = run_workloads(
            database,
            labels,
            import_label,
            "_postgres" if url else "",
            args.quick,
            only=tuple(args.only or WORKLOADS),
            runs=args.runs,
        )
    finally:
        database.close()
    if profiler is not None:
        profiler.dump_stats(args.profile)
    if args.json:
        args.json.write_text(json.dumps({"metrics": runner.metrics, "problems": runner.problems}))
    for problem in runner.problems:
        print(problem)
    return 1 if runner.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

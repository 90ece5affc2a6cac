"""The raw-data export: ``GET /api/v1/impact/responses/export`` streamed to its last byte.

- ``export_<size>_s`` — N respondents of the generator (``bench/generate.py``: a pre survey each,
  a post survey for the ~80 % who answered after; 20 agreement items, gender and fewer
  opportunities), exported by a network coordinator through Django's test client: the view, the
  selector, the query and the CSV writing, consuming ``streaming_content`` to the end. The
  metric carries ``cpu`` (this process's CPU time) beside the wall time;
  ``export_<size>_rss_growth_bytes`` (how far the resident size rose during a run, Linux) and,
  up to 100k, ``export_<size>_peak_bytes`` (``tracemalloc``, one more untimed run) show that
  the export streams.

Loading the rows is set-up, not measured: the responses are inserted directly (``executemany`` on
SQLite, ``COPY`` on PostgreSQL) in the shape the import service stores them. The seeded SQLite
file is kept as a template in the temporary directory (keyed by size, seed version and the
migrations) and copied for each run; on PostgreSQL the seeded ``peaceworks_bench_export_<size>``
database is kept and reused while its comment names the same key.

Each size runs in its own process (Django binds one database per process):
``python -m bench.export --size 1m [--postgres] [--json out.json]``; ``bench.run`` calls
:func:`add_to`.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from peaceworks.impact.analytics.frame import FO_ANY
from peaceworks.impact.typed_answers import typed_columns

from .generate import GENDERS, synthetic_frame
from .ingest import DEFAULT_POSTGRES, GENDER_VALUES, SIZES, TIMES, Database, _production_like

SEED_VERSION = 4  # bump when the seeded rows change
CACHE = Path(tempfile.gettempdir()) / "peaceworks-bench-export"
URL = "/api/v1/impact/responses/export"
EMAIL = "network.coordinator@bench.example.org"
BATCH = 20_000  # rows per executemany / COPY batch while seeding
RESPONSE_COLUMNS = (
    "id",
    "submission_id",
    "language",
    "submitted_at",
    "answers",
    "then_answers",
    "payload_hash",
    "consent_version",
    "sensitive_consent",
    "quote_consent",
    "source",
    "harm_status",
    "harm_reviewed_at",
    "harm_note",
    "harm_reviewed_by_id",
    "instrument_version_id",
    "respondent_id",
    "round_id",
    "scores",  # what every write path derives from the answers (``typed_answers``)
    "profile",
)
RESPONDENT_COLUMNS = ("id", "code_hash", "created_at", "withdrawn_at", "activity_id")


def fingerprint(n: int) -> str:
    """Names the seeded database: size, seed version and the migrations it was built with."""
    root = Path(__file__).resolve().parent.parent / "peaceworks"
    migrations = sorted(str(p.relative_to(root)) for p in root.glob("*/migrations/0*.py"))
    key = json.dumps([SEED_VERSION, n, migrations]).encode()
    return hashlib.sha256(key).hexdigest()[:16]


# --- the rows, as the import service stores them -----------------------------------------------


def seed_rows(
    n: int, items: list[str], rounds: dict[str, tuple[int, int, str]], activity_id: int
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], int]]:
    """Batches of (respondent rows, response rows, answers in them) for N respondents.

    ``rounds`` maps "pre"/"post" to (round id, instrument id, consent version). Missing answers
    are left out of ``answers`` as the import leaves them out; gender and fewer opportunities are
    asked in the pre survey."""
    frame = synthetic_frame(n)
    gender = np.array([GENDER_VALUES[g] for g in GENDERS], dtype=object)[frame.codes["gender"]]
    fewer = np.array([["none"], ["economic"], None], dtype=object)[frame.codes[FO_ANY]]
    starts = dict(zip(("pre", "post"), map(datetime.fromisoformat, TIMES), strict=True))
    response_id = 0
    for start in range(0, n, BATCH):
        stop = min(n, start + BATCH)
        base = frame.baseline[:, start:stop].T.tolist()
        post = frame.post[:, start:stop].T.tolist()
        respondents, responses, answered = [], [], 0
        for row in range(stop - start):
            number = start + row + 1
            respondents.append((number, f"{number:064x}", TIMES[0], None, activity_id))
            surveys: list[tuple[str, dict[str, Any]]] = []
            before: dict[str, Any] = {q: v for q, v in zip(items, base[row], strict=True) if v}
            if gender[start + row]:
                before["gender"] = gender[start + row]
            if fewer[start + row] is not None:
                before["fewer_opportunities"] = fewer[start + row]
            surveys.append(("pre", before))
            after = {q: v for q, v in zip(items, post[row], strict=True) if v}
            if after:
                surveys.append(("post", after))
            for kind, answers in surveys:
                response_id += 1
                round_id, instrument_id, consent = rounds[kind]
                # every response its own time, to the microsecond, as the survey stores it
                submitted = (
                    starts[kind] + timedelta(seconds=number, microseconds=number * 7919 % 10**6)
                ).isoformat(sep=" ")
                answered += len(answers)
                responses.append(
                    (
                        response_id,
                        f"{response_id:032x}",
                        "en",
                        submitted,
                        json.dumps(answers),
                        "{}",
                        f"{response_id:064x}",
                        consent,
                        False,
                        False,
                        "import",
                        "",
                        None,
                        "",
                        None,
                        instrument_id,
                        number,
                        round_id,
                        *typed_columns(answers, {}),
                    )
                )
        yield respondents, responses, answered


def _world_rows() -> tuple[dict[str, tuple[int, int, str]], int]:
    """The bench world of ``bench.ingest`` plus a network coordinator who exports."""
    from peaceworks.accounts.models import Role
    from peaceworks.accounts.services import membership_grant, user_create
    from peaceworks.directory.models import Organisation
    from peaceworks.impact.models import Round

    secretariat = Organisation.objects.create(
        name="Secretariat", code="secretariat", country="BE", is_secretariat=True
    )
    user = user_create(email=EMAIL, password=None)
    membership_grant(user=user, organisation=secretariat, role=Role.NETWORK_COORDINATOR)
    found = {
        str(r.kind): (r.pk, r.instrument_id, r.instrument.consent_version)
        for r in Round.objects.select_related("instrument")
    }
    activity_id = Round.objects.values_list("activity_id", flat=True).first()
    if activity_id is None:
        raise SystemExit("the bench world has no rounds")
    return found, activity_id


def seed_sqlite(path: Path, n: int, items: list[str]) -> int:
    """Insert N respondents' responses into the SQLite file; returns the answers stored."""
    import sqlite3

    from django.db import connections

    rounds, activity_id = _world_rows()
    connections.close_all()
    answered = 0
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA journal_mode = MEMORY")
        respondent_sql = _insert("impact_respondent", RESPONDENT_COLUMNS, "?")
        response_sql = _insert("impact_response", RESPONSE_COLUMNS, "?")
        for respondents, responses, count in seed_rows(n, items, rounds, activity_id):
            db.executemany(respondent_sql, respondents)
            db.executemany(response_sql, responses)
            answered += count
    return answered


def seed_postgres(n: int, items: list[str]) -> int:
    from django.db import connection

    rounds, activity_id = _world_rows()
    answered = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor, for COPY
        for respondents, responses, count in seed_rows(n, items, rounds, activity_id):
            for table, columns, rows in (
                ("impact_respondent", RESPONDENT_COLUMNS, respondents),
                ("impact_response", RESPONSE_COLUMNS, responses),
            ):
                with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            answered += count
        for table in ("impact_respondent", "impact_response"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 -- constants
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute("ANALYZE impact_respondent, impact_response")
    return answered


def _insert(table: str, columns: tuple[str, ...], mark: str) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(mark * len(columns))})"  # noqa: S608 -- constants


# --- a database holding the rows ----------------------------------------------------------------


def open_sqlite(label: str, n: int, work: Path) -> tuple[int, Database | None]:
    """Django bound to a copy of the seeded template (seeding it first if missing): the
    answers stored, and the database to close when it was seeded in this process."""
    template = CACHE / f"export-{label}-{fingerprint(n)}.sqlite3"
    sidecar = template.with_suffix(".json")
    path = work / "bench.sqlite3"
    if template.exists() and sidecar.exists():
        shutil.copyfile(template, path)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ.setdefault("PEACEWORKS_DATA_DIR", str(work))
        import django

        django.setup()
        return int(json.loads(sidecar.read_text())["answers"]), None
    print(f"  seeding {n:,} respondents into a new SQLite template", flush=True)
    start = time.perf_counter()
    database = Database(None)  # migrated, with the ingest world; Django now bound to its file
    answered = seed_sqlite(database.path, n, database.world.items)
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob(f"export-{label}-*"):
        old.unlink()
    partial = template.with_suffix(".partial")
    shutil.copyfile(database.path, partial)
    partial.rename(template)
    sidecar.write_text(json.dumps({"answers": answered}))
    print(f"  seeded in {time.perf_counter() - start:.1f} s: {template}", flush=True)
    return answered, database


def open_postgres(label: str, n: int, url: str) -> int:
    """Django bound to ``peaceworks_bench_export_<size>``, seeded unless already seeded."""
    import psycopg

    key = fingerprint(n)
    name = f"peaceworks_bench_export_{label}"
    base = url.rpartition("/")[0]
    with psycopg.connect(url, autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        seeded = row is not None and row[0] is not None and row[0].startswith(f"{key} ")
        if not seeded:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
            admin.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = f"{base}/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if seeded and row is not None:
        return int(row[0].split()[1])
    from django.core.management import call_command

    from .ingest import _make_world

    print(f"  seeding {n:,} respondents into PostgreSQL {name}", flush=True)
    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    answered = seed_postgres(n, _make_world().items)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"COMMENT ON DATABASE {name} IS '{key} {answered}'")
    print(f"  seeded in {time.perf_counter() - start:.1f} s", flush=True)
    return answered


# --- the workload ---------------------------------------------------------------------------------


def export_once() -> tuple[int, int]:
    """One export through the test client, read to the end: (bytes, lines)."""
    from django.test import Client

    from peaceworks.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=EMAIL))
    response = client.get(URL)
    if response.status_code != 200 or not response.streaming:
        raise SystemExit(f"the export answered {response.status_code}")
    size = lines = 0
    for chunk in response.streaming_content:  # type: ignore[attr-defined]
        size += len(chunk)
        lines += chunk.count(b"\n")
    return size, lines


def _rss_kib(field: str) -> int | None:
    """A ``/proc/self/status`` memory figure (Linux), or None."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak_rss() -> int | None:
    """Start the peak resident size again from the current one (Linux): the current, in KiB."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return None
    return _rss_kib("VmRSS")


def _warm_up() -> None:
    """Load the URLs, the API and the session machinery (a refused export costs nothing), so
    the resident size measured afterwards is the export's."""
    from django.test import Client

    from peaceworks.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=EMAIL))
    quiet = logging.getLogger("django.request")
    level, quiet.level = quiet.level, logging.ERROR
    try:
        client.get(URL, {"campaign": "no-such-campaign"})
    finally:
        quiet.setLevel(level)


def measure(
    name: str, answered: int, runs: int, traced: bool
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """``runs`` timed exports (wall, CPU, and how far the resident size rose above where it
    was), then, when ``traced``, one more under ``tracemalloc`` for the peak of Python memory."""
    samples, cpu, growth, problems = [], [], [], []
    size = 0
    _warm_up()
    for _ in range(runs):
        gc.collect()
        before = _reset_peak_rss()
        start, start_cpu = time.perf_counter(), time.process_time()
        size, lines = export_once()
        samples.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        peak = _rss_kib("VmHWM")
        if before is not None and peak is not None:
            growth.append((peak - before) * 1024)
        if lines != answered + 1:  # the header, then one line per answer
            problems.append(f"{name}: {lines - 1:,} answer lines exported of {answered:,}")
    wall, used = statistics.median(samples), statistics.median(cpu)
    metrics: dict[str, dict[str, Any]] = {
        name: {
            "median": wall,
            "min": min(samples),
            "max": max(samples),
            "runs": runs,
            "unit": "s",
            "cpu": used,
            "bytes": size,
            "lines": answered + 1,
        }
    }
    rise = f", resident size +{max(growth) / 1e6:.0f} MB" if growth else ""
    if growth:
        metrics[f"{name[:-2]}_rss_growth_bytes"] = {"median": max(growth), "unit": "count"}
    print(
        f"  {name:<44} {wall:9.4f} s  (CPU {used:.2f} s, {size / 1e6:,.0f} MB, "
        f"{answered + 1:,} lines{rise})",
        flush=True,
    )
    if traced:
        gc.collect()
        tracemalloc.start()
        export_once()
        _, peak_bytes = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        metrics[f"{name[:-2]}_peak_bytes"] = {"median": peak_bytes, "unit": "count"}
        print(f"  {name[:-2] + '_peak_bytes':<44} {peak_bytes / 1e6:9.1f} MB", flush=True)
    return metrics, problems


def run_one(label: str, postgres_url: str | None) -> tuple[dict[str, dict[str, Any]], list[str]]:
    n = SIZES[label]
    work = Path(tempfile.mkdtemp(prefix="peaceworks-bench-export-"))
    seeded: Database | None = None
    try:
        print(f"== export {label}{'_postgres' if postgres_url else ''}: {n:,} respondents")
        if postgres_url:
            answered = open_postgres(label, n, postgres_url)
        else:
            answered, seeded = open_sqlite(label, n, work)
        _production_like()
        suffix = "_postgres" if postgres_url else ""
        # at 1M one run, and no tracemalloc run (it would double the export's time)
        small = n <= 100_000
        return measure(f"export_{label}{suffix}_s", answered, 3 if small else 1, traced=small)
    finally:
        from django.db import connections

        connections.close_all()
        if seeded is not None:
            seeded.close()
        shutil.rmtree(work, ignore_errors=True)


def plan(quick: bool, size: str | None = None) -> list[str]:
    if size is not None:
        return [size]
    return ["10k"] if quick else ["100k", "1m"]


def add_to(
    metrics: dict[str, dict[str, Any]],
    problems: list[str],
    *,
    quick: bool,
    postgres: bool,
    size: str | None = None,
) -> None:
    """What ``bench.run`` calls: each size (``size`` alone when given) in a child process, on
    SQLite, then on PostgreSQL when asked (``--postgres``, or ``DATABASE_URL`` naming a
    PostgreSQL server)."""
    url = os.environ.get("DATABASE_URL", "")
    url = url if url.startswith(("postgres://", "postgresql://")) else ""
    backends = [False, True] if postgres or url else [False]
    for on_postgres in backends:
        for label in plan(quick, size):
            database = (url or DEFAULT_POSTGRES) if on_postgres else None
            run_child("bench.export", ["--size", label], database, metrics, problems)


def run_child(
    module: str,
    arguments: list[str],
    database: str | None,
    metrics: dict[str, dict[str, Any]],
    problems: list[str],
) -> None:
    """``python -m <module> <arguments> [--postgres]`` in a child process (Django binds one
    database per process); its metrics and problems are added to ours. ``database``: the
    PostgreSQL URL the child runs on, None for SQLite."""
    out = Path(tempfile.mkstemp(prefix="peaceworks-bench-", suffix=".json")[1])
    command = [sys.executable, "-m", module, *arguments, "--json", str(out)]
    env = dict(os.environ)
    if database:
        command.append("--postgres")
        env["DATABASE_URL"] = database
    done = subprocess.run(command, env=env, check=False)  # noqa: S603 -- our own module
    try:
        result = json.loads(out.read_text() or "{}")
    finally:
        out.unlink(missing_ok=True)
    metrics.update(result.get("metrics", {}))
    problems += result.get("problems", [])
    if done.returncode != 0 and not result.get("problems"):
        problems.append(f"{module} {' '.join(arguments)} exited with {done.returncode}")


def size_main(
    doc: str | None,
    run: Callable[[str, str | None], tuple[dict[str, dict[str, Any]], list[str]]],
    default: str,
    argv: list[str] | None,
) -> int:
    """The command line of a workload run per size: ``--size``, ``--postgres``, ``--json``."""
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--size", choices=sorted(SIZES), default=default)
    parser.add_argument("--postgres", action="store_true", help="on $DATABASE_URL (PostgreSQL)")
    parser.add_argument("--json", type=Path, help="write the metrics here")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", DEFAULT_POSTGRES) if args.postgres else None
    metrics, problems = run(args.size, url)
    if args.json:
        args.json.write_text(json.dumps({"metrics": metrics, "problems": problems}))
    for problem in problems:
        print(problem)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    return size_main(__doc__, run_one, "10k", argv)


if __name__ == "__main__":
    raise SystemExit(main())

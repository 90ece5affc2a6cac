"""The demo network, seeded once and copied wherever a test needs it.

``peaceworks seed_demo`` is the slowest thing a test can ask for (tens of seconds of CPU). The
suite seeds it once: the first process to need it seeds a database in a child process — a
SQLite file in the temporary folder (a copy of the suite's migrated template when it is given,
else migrated first), or a ``pw_demo_<digest>`` database on PostgreSQL (migrated first) — named
by a digest of everything the seed reads (the source and data files of ``peaceworks/`` and
``config/``, tests left out, and Django's version). Every other process, and every later run
with the same code, waits on a file lock and copies it:

- the browser journeys' live servers start on a copy of the SQLite file;
- ``demo_database`` (a fixture of the root ``conftest.py``) points the test's database
  connection at a fresh copy for the length of one test, then back.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = Path(tempfile.gettempdir()) / "peaceworks-test-templates"
#: what the seed reads: the code and data of the product (tests are not part of it)
SOURCES = ("peaceworks", "config")
SKIPPED_PARTS = frozenset({"tests", "__pycache__", "locale", "static"})


def digest() -> str:
    import django

    hashed = hashlib.sha256(django.get_version().encode())
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            relative = path.relative_to(ROOT)
            if not path.is_file() or SKIPPED_PARTS.intersection(relative.parts):
                continue
            hashed.update(str(relative).encode())
            hashed.update(path.read_bytes())
    return hashed.hexdigest()[:16]


def _child_env(database_url: str, data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DATABASE_URL": database_url,
            "PEACEWORKS_DATA_DIR": str(data_dir),
            "TASK_BACKEND": "immediate",
            "EMAIL_URL": "memory://",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def _seed(database_url: str, data_dir: Path, *, migrated: bool = False) -> None:
    """``migrate`` (unless the database is ``migrated`` already), then ``seed_demo``."""
    env = _child_env(database_url, data_dir)
    commands: list[tuple[str, ...]] = [("seed_demo",)]
    if not migrated:
        commands.insert(0, ("migrate", "--noinput"))
    for command in commands:
        done = subprocess.run(
            [sys.executable, "-m", "peaceworks.manage", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=900,
            check=False,
        )
        if done.returncode != 0:
            output = (done.stdout + done.stderr).decode(errors="replace")[-4000:]
            raise RuntimeError(f"peaceworks {command[0]} failed for the demo template:\n{output}")


def sqlite_template(migrated: Path | None = None) -> Path:
    """The seeded demo as a SQLite file (built by the first caller, under a lock).

    ``migrated``: a SQLite file migrated to the current migrations (the suite's template,
    ``migrated_sqlite_template``) to seed a copy of, instead of migrating one (seconds of
    CPU in a child process).
    """
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    key = digest()
    path = TEMPLATES / f"demo-{key}.sqlite3"
    with (TEMPLATES / f"demo-{key}.sqlite3.lock").open("wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.is_file():
            work = Path(tempfile.mkdtemp(prefix="peaceworks-demo-seed-"))
            partial = work / "demo.sqlite3"
            if migrated is not None:
                shutil.copyfile(migrated, partial)
            _seed(f"sqlite:///{partial}", work, migrated=migrated is not None)
            _checkpoint(partial)
            os.replace(partial, path)
    return path


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file, so that copying the file copies everything."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()


def postgres_template(settings: dict[str, Any]) -> str:
    """The seeded demo as a PostgreSQL database named ``pw_demo_<digest>`` (same server)."""
    from django.db import connection

    key = digest()
    name = f"pw_demo_{key}"
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    with (TEMPLATES / f"{name}.lock").open("wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is not None:
                return name
            partial = f"{name}_partial"
            cursor.execute(f"DROP DATABASE IF EXISTS {partial}")
            cursor.execute(f"CREATE DATABASE {partial}")
        user = settings.get("USER") or "postgres"
        host = settings.get("HOST") or "127.0.0.1"
        port = settings.get("PORT") or 5432
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        work = Path(tempfile.mkdtemp(prefix="peaceworks-demo-seed-"))
        _seed(f"postgres://{user}{password}@{host}:{port}/{partial}", work)
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"ALTER DATABASE {partial} RENAME TO {name}")
    return name


def postgres_copy(template: str, target: str) -> None:
    from django.db import connection

    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(template)}")


def postgres_drop(target: str) -> None:
    from django.db import connection

    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(target)}")

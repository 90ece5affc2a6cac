"""Backing up and restoring the whole database, SQLite or PostgreSQL.

SQLite uses the sqlite3 online backup API (a consistent copy while the site runs);
PostgreSQL uses ``pg_dump``/``pg_restore`` in custom format, found on ``PATH``. A backup file
is a plain SQLite database or a ``pg_dump`` archive; ``table_fingerprints`` proves that a
restored copy holds the same rows.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def _connection(alias: str) -> BaseDatabaseWrapper:
    return connections[alias]


def backup(path: Path, *, alias: str = "default") -> None:
    connection = _connection(alias)
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        tmp = path.with_name(path.name + ".partial")
        target = sqlite3.connect(tmp)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        tmp.replace(path)  # never leave a half-written backup under the final name
    elif connection.vendor == "postgresql":
        tmp = path.with_name(path.name + ".partial")
        _run_pg("pg_dump", ["--format=custom", "--no-owner", f"--file={tmp}"], connection)
        tmp.replace(path)
    else:
        raise BackupError(f"Backups are not supported on {connection.vendor}.")


def restore(path: Path, *, alias: str = "default") -> None:
    """Replace the database's content with the backup at ``path`` (all of it, or nothing)."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    with path.open("rb") as handle:
        header = handle.read(16)
    connection = _connection(alias)
    if connection.vendor == "sqlite":
        if header != SQLITE_MAGIC:
            raise BackupError(f"{path} is not an SQLite backup.")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        if not header.startswith(PG_MAGIC):
            raise BackupError(f"{path} is not a pg_dump custom-format backup.")
        connections.close_all()  # our own idle connection must not hold locks
        _run_pg(
            "pg_restore",
            ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(path)],
            connection,
            database_flag=True,
        )
    else:
        raise BackupError(f"Restores are not supported on {connection.vendor}.")


def _run_pg(
    program: str,
    arguments: list[str],
    connection: BaseDatabaseWrapper,
    *,
    database_flag: bool = False,
) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(f"{program} is not installed (PostgreSQL client tools).")
    settings = connection.settings_dict
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    command = [executable]
    if settings.get("HOST"):
        command.append(f"--host={settings['HOST']}")
    if settings.get("PORT"):
        command.append(f"--port={settings['PORT']}")
    if settings.get("USER"):
        command.append(f"--username={settings['USER']}")
    database = str(settings["NAME"])
    command += [f"--dbname={database}", *arguments] if database_flag else [*arguments, database]
    result = subprocess.run(  # noqa: S603  # the PostgreSQL client found on PATH
        command, env=env, capture_output=True, text=True, check=False, timeout=3600
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()[-2000:]}")


def table_fingerprints(*, alias: str = "default") -> dict[str, tuple[int, str]]:
    """Row count and a SHA-256 over the sorted rows, for every table of the database."""
    connection = _connection(alias)
    fingerprints: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608  # names from introspection
            rows = sorted(repr(tuple(str(value) for value in row)) for row in cursor.fetchall())
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            fingerprints[table] = (len(rows), digest)
    return fingerprints

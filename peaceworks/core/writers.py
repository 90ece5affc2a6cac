"""One writer at a time on SQLite, queued by the operating system instead of busy-waiting.

SQLite lets one connection write at a time. A second writer that finds the lock taken is
put to sleep by SQLite's busy handler in growing steps (1, 2, 5, 10 … 100 ms) and wakes to
try again, so a lock held for a few milliseconds can cost a waiting request tens of
milliseconds. :func:`sqlite_writer` queues the write transactions it wraps instead: threads
of one process on a lock, processes on an advisory lock on a file beside the database, each
woken as soon as the previous writer is done. Writers that do not use it still wait in
SQLite's busy handler, as before; on PostgreSQL it does nothing.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

_thread_lock = threading.Lock()
#: one open lock file per (process, database file): a lock taken by flock belongs to the
#: open file, so a forked worker opens its own
_files: dict[tuple[int, str], int] = {}


def _is_file(name: str) -> bool:
    return bool(name) and name != ":memory:" and not name.startswith("file:")


def _lock_file(name: str) -> int:
    key = (os.getpid(), name)
    descriptor = _files.get(key)
    if descriptor is None:
        descriptor = os.open(f"{name}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
        _files[key] = descriptor
    return descriptor


@contextmanager
def sqlite_writer() -> Iterator[None]:
    """Wait for the turn to write, then hold it until the block (a transaction) ends.

    Only the outermost transaction queues: inside an atomic block the connection may already
    hold SQLite's write lock, and waiting for another writer there could deadlock.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    name = str(connection.settings_dict["NAME"])
    with _thread_lock:
        if not _is_file(name):
            yield
            return
        descriptor = _lock_file(name)
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)

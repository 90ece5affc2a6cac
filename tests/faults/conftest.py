"""The prepared server database the fault tests share."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts import liveserver
from scripts.liveserver import Survey


@pytest.fixture(scope="session")
def prepared(migrated_sqlite_template: Path | None) -> Iterator[tuple[dict[str, str], Survey]]:
    """A SQLite file with one open round, started from the run's migrated template, for the
    servers and child processes of this folder's tests (one after the other in a process).
    Their checks hold with what the others stored: each looks for its own submission ids or
    counts the rows before and after. The servers answer the API only: no static files are
    collected for them."""
    with tempfile.TemporaryDirectory(prefix="pw-faults-") as directory:
        data = Path(directory)
        env = liveserver.server_env(f"sqlite:///{data / 'faults.sqlite3'}", data)
        # the servers here answer submissions (JSON), never a page: no collectstatic, which
        # on a fresh checkout costs the worker that meets it first ~11 s of CPU
        survey = liveserver.prepare(env, migrated=migrated_sqlite_template, static=False)
        yield env, survey

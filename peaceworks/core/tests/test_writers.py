import fcntl
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from peaceworks.core import writers
from peaceworks.core.writers import sqlite_writer


def _free(lock: Path) -> bool:
    """Whether another open of the lock file could take it now (as another worker would)."""
    descriptor = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        return True
    finally:
        os.close(descriptor)


def _use(monkeypatch: pytest.MonkeyPatch, vendor: str, name: str, *, nested: bool = False) -> None:
    connection = SimpleNamespace(
        vendor=vendor, in_atomic_block=nested, settings_dict={"NAME": name}
    )
    monkeypatch.setattr(writers, "connection", connection)


@pytest.fixture
def lock_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    _use(monkeypatch, "sqlite", str(tmp_path / "data.sqlite3"))
    return tmp_path / "data.sqlite3-writer.lock"


def test_a_writer_holds_the_turn_until_its_block_ends(lock_file):
    with sqlite_writer():
        assert lock_file.exists()
        assert not _free(lock_file)
    assert _free(lock_file)


def test_the_turn_is_given_back_when_the_block_fails(lock_file):
    with pytest.raises(ValueError, match="rolled back"), sqlite_writer():
        raise ValueError("rolled back")
    assert _free(lock_file)
    with sqlite_writer():
        assert not _free(lock_file)


def test_a_nested_transaction_does_not_queue_again(monkeypatch, tmp_path):
    _use(monkeypatch, "sqlite", str(tmp_path / "data.sqlite3"), nested=True)
    with sqlite_writer():
        assert list(tmp_path.iterdir()) == []


def test_an_in_memory_database_or_postgresql_needs_no_lock_file(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for vendor, name in [
        ("sqlite", ":memory:"),
        ("sqlite", "file:memorydb?mode=memory"),
        ("postgresql", str(tmp_path / "pg")),
    ]:
        _use(monkeypatch, vendor, name)
        with sqlite_writer():
            pass
    assert list(tmp_path.iterdir()) == []

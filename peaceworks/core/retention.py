"""What the ``peaceworks retention`` command purges: a registry the apps fill.

An app registers a purge function in its ``AppConfig.ready()``::

    retention.register("impact.withdrawn_respondents", purge_withdrawn)

A purge function receives the cut-off (``now - grace period``) and ``dry_run``, deletes (or,
with ``dry_run``, only counts) what became purgeable before the cut-off, and returns the
count. Each runs in its own transaction; the command records one audit event per purge.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Purge = Callable[[datetime, bool], int]

_PURGES: dict[str, Purge] = {}


def register(name: str, purge: Purge) -> None:
    """Add ``purge`` under ``name`` (registering the same name again replaces it)."""
    _PURGES[name] = purge


def registered() -> dict[str, Purge]:
    return dict(sorted(_PURGES.items()))

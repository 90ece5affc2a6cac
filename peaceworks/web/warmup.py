"""Work a server process does before its first request, so that the first visitor does not wait
for it: starting the chart engine, decoding the analytics snapshots and computing the sums of
the dashboards' first groupings. Called by the WSGI entry point (``config/wsgi.py``), which
every server imports: gunicorn and ``runserver``, the tests' live servers included (Django's
test client does not, so the suite's in-process tests never warm up)."""

from __future__ import annotations

import logging
import threading

from django.db import connections

from peaceworks.core.charts import warm_engine
from peaceworks.impact.figures.selectors import snapshots_warm

logger = logging.getLogger(__name__)
THREAD_NAME = "peaceworks-warm-up"


def warm_up() -> None:
    """Best effort: a failure (a database not migrated yet, say) is logged, never raised."""
    try:
        warm_engine()
        snapshots_warm()
    except Exception:
        logger.exception("Warming up the server failed; the first requests will do its work.")


def _warm_up_then_disconnect() -> None:
    try:
        warm_up()
    finally:
        connections.close_all()  # this thread's connections only


def start_warm_up() -> threading.Thread:
    """Warm up in a background thread: the server accepts requests meanwhile."""
    thread = threading.Thread(target=_warm_up_then_disconnect, name=THREAD_NAME, daemon=True)
    thread.start()
    return thread

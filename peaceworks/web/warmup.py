"""Work a server process does before its first request, so that the first visitor does not wait
for it: starting the chart engine, decoding the analytics snapshots and computing the sums of
the dashboards' first groupings. Called by the WSGI entry point (``config/wsgi.py``), which
every server imports: gunicorn and ``runserver``, the tests' live servers included (Django's
test client does not, so the suite's in-process tests never warm up).

The objects a worker holds once it has loaded the application and warmed up (about 150,000:
modules, the URLconf, the API's schemas, the snapshots) live as long as the process. They are
moved out of the cyclic garbage collector's generations (``gc.freeze()``, as large Django
deployments do), so that its full collections, which would otherwise walk them all (about 75
ms of CPU each in a worker), scan only what requests allocate."""

from __future__ import annotations

import gc
import logging
import threading
import time

from django.db import connections

from peaceworks.core.charts import warm_engine
from peaceworks.impact.figures.selectors import snapshots_warm

logger = logging.getLogger(__name__)
THREAD_NAME = "peaceworks-warm-up"
#: logged when the warm-up thread is done (``scripts/liveserver.py`` waits for it before it
#: measures or tests a server)
FINISHED = "Server warm-up finished"


def warm_up() -> None:
    """Best effort: a failure (a database not migrated yet, say) is logged, never raised."""
    try:
        warm_engine()
        snapshots_warm()
    except Exception:
        logger.exception("Warming up the server failed; the first requests will do its work.")


def _freeze_loaded_objects() -> None:
    """Collect once, then keep every object alive now out of later collections."""
    gc.collect()
    gc.freeze()


def _warm_up_then_disconnect() -> None:
    started = time.monotonic()
    try:
        warm_up()
    finally:
        connections.close_all()  # this thread's connections only
        _freeze_loaded_objects()
        logger.info("%s in %.1f s.", FINISHED, time.monotonic() - started)


def start_warm_up() -> threading.Thread:
    """Warm up in a background thread: the server accepts requests meanwhile."""
    _freeze_loaded_objects()  # the application just loaded; the thread freezes what it adds
    thread = threading.Thread(target=_warm_up_then_disconnect, name=THREAD_NAME, daemon=True)
    thread.start()
    return thread

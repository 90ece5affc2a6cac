"""The crawl's charts, kept between runs."""

from __future__ import annotations

from typing import Any

import pytest

from tests.demo_database import TEMPLATES


@pytest.fixture
def charts_kept_between_runs(settings: Any) -> None:
    """The ``charts`` cache in a folder beside the demo template instead of the test process's
    memory: the crawl draws some fifty charts of the demo (about 65 ms of CPU each), and a
    chart's key is a digest of what it is drawn from and of the engine's and the drawing's
    versions (``peaceworks.core.charts.content_key``), so a drawing kept by an earlier run, of
    any code version, is the one this run would make. A chart drawn from anything new is drawn
    (and so checked) as before."""
    settings.CACHES = {
        **settings.CACHES,
        "charts": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(TEMPLATES / "charts"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }

"""The crawl's charts, kept between runs."""

from __future__ import annotations

from typing import Any

import pytest

from tests.demo_database import TEMPLATES, digest


@pytest.fixture
def charts_kept_between_runs(settings: Any) -> None:
    """The ``charts`` cache in a folder beside the demo template instead of the test process's
    memory: the crawl draws some fifty charts of the demo (about 65 ms of CPU each), and a
    chart's key is a digest of what it is drawn from and of the engine's and the drawing's
    versions (``peaceworks.core.charts.content_key``). The folder is named, as the demo template
    is, by the digest of the product's code: a drawing is kept only for the code that drew it,
    so a change to how charts are drawn is drawn (and so checked) again even where the
    drawing's version was not raised; a chart drawn from anything new is drawn as before."""
    settings.CACHES = {
        **settings.CACHES,
        "charts": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(TEMPLATES / f"charts-{digest()}"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }

"""Charts: Vega-Lite specifications rendered to SVG on the server (no script, no CDN).

Drawing costs far more than the figures drawn: the engine's first start in a process takes
0.5 to 1.5 s, a world map 0.1 to 0.3 s. So every SVG is kept in the ``charts`` cache under a
digest of what it is drawn from (and the engine's version): a figure that has not changed is
drawn once, then read back by every request, every server process and after a restart (the
cache is a directory under ``PEACEWORKS_DATA_DIR``, see ``CACHES`` in the settings). The server
starts the engine before its first request (:func:`warm_engine`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from functools import cache
from importlib.metadata import version
from typing import Any, Literal

from django.core.cache import caches
from django.utils.html import escape
from django.utils.translation import get_language

CACHE_ALIAS = "charts"
#: An unchanged figure is drawn again after a month at most (the cache also culls old entries).
CACHE_SECONDS = 30 * 24 * 3600
#: The smallest chart there is: drawing it starts the engine.
WARM_UP_SPEC: dict[str, Any] = {
    "data": {"values": [{"x": 1}]},
    "mark": "point",
    "encoding": {"x": {"field": "x", "type": "quantitative"}},
}


#: d3-time-format locales of the languages other than English: month and day names on time
#: axes in the reader's language (English keeps the engine's default, en-US)
TimeLocale = Literal["fr-FR", "es-ES"]
TIME_LOCALES: dict[str, TimeLocale] = {"fr": "fr-FR", "es": "es-ES"}


def time_locale() -> TimeLocale | None:
    """The time locale of the active language (None: the engine's English)."""
    return TIME_LOCALES.get((get_language() or "en")[:2])


#: Raised when what is done to the engine's SVG changes, so cached drawings are made again.
DRAWING_VERSION = 4
#: the engine's roles for marks inside a chart: the chart is one image with one text
#: alternative, so they go (a graphics-symbol without its own label is an accessibility error)
_INNER_ROLES = re.compile(r'\s(?:role="graphics-[a-z]+"|aria-roledescription="[^"]*")')


@cache
def _engine_version() -> str:
    return version("vl-convert-python")


def content_key(*parts: object) -> str:
    """A cache key naming what a chart is drawn from: equal parts, equal SVG."""
    text = json.dumps([_engine_version(), DRAWING_VERSION, *parts], sort_keys=True, default=str)
    return "svg:" + hashlib.sha256(text.encode()).hexdigest()


_IDS = re.compile(r'\bid="([^"]+)"')


def _own_ids(svg: str, key: str) -> str:
    """``svg`` with its element ids named after its ``key``. The engine numbers the ids of its
    gradients per process (``gradient_0``, ``gradient_1``…), so a chart drawn again would
    differ, and two charts on a page drawn by different processes (a refresh task, a server)
    could share an id; a chart's own key makes them the same at every drawing and unique on a
    page."""
    ids = dict.fromkeys(_IDS.findall(svg))
    if not ids:
        return svg
    prefix = key.rsplit(":", 1)[-1][:12]
    names = {old: f"c{prefix}-{number}" for number, old in enumerate(ids)}
    pattern = re.compile(
        r'(?<=id=")(%s)(?=")|(?<=#)(%s)(?=[)"])' % (("|".join(map(re.escape, ids)),) * 2)
    )
    return pattern.sub(lambda match: names[match.group(1) or match.group(2)], svg)


def cached_svg(key: str, draw: Callable[[], str]) -> str:
    """The SVG stored under ``key``, drawn (and stored) on a miss."""
    charts = caches[CACHE_ALIAS]
    svg = charts.get(key)
    if svg is None:
        svg = _own_ids(draw(), key)
        charts.set(key, svg, CACHE_SECONDS)
    return str(svg)


def draw_svg(spec: dict[str, Any] | str, *, locale: TimeLocale | None = None) -> str:
    """Render a Vega-Lite spec (or its JSON text) to an SVG string, uncached; dates on time
    axes in ``locale`` (a :data:`TIME_LOCALES` value) or English."""
    import vl_convert

    if locale is None:
        svg: str = vl_convert.vegalite_to_svg(spec)
    else:
        svg = vl_convert.vegalite_to_svg(spec, time_format_locale=locale)
    return svg


def with_text_alternative(svg: str, description: str) -> str:
    """``svg`` as one image whose text alternative is ``description`` (a sentence a person
    reads, not the engine's own "X-axis for a scale with values from…" labels, which
    ``role="img"`` makes presentational)."""
    text = escape(description)
    opening = svg.index(">", svg.index("<svg")) + 1
    head = svg[:opening].replace("<svg", f'<svg role="img" aria-label="{text}"', 1)
    return f"{head}<title>{text}</title>{_INNER_ROLES.sub('', svg[opening:])}"


def render_svg(spec: dict[str, Any]) -> str:
    """Render a Vega-Lite spec to an SVG string, or read it back if this spec was drawn before.
    A spec's ``description`` becomes the chart's text alternative; month and day names on
    time axes are the active language's (a report's when rendered for one)."""
    locale = time_locale()

    def draw() -> str:
        svg = draw_svg(spec, locale=locale)
        description = spec.get("description")
        return with_text_alternative(svg, str(description)) if description else svg

    # English keeps its key (and the drawings already cached under it)
    return cached_svg(content_key(spec) if locale is None else content_key(spec, locale), draw)


def warm_engine() -> None:
    """Start the engine now, so that the first page with a chart does not wait for it."""
    draw_svg(WARM_UP_SPEC)

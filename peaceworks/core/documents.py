"""Documents written from HTML pages: PDFs (WeasyPrint), kept by content.

Laying a page out costs far more than the page's figures: a meeting's report takes 0.3 to
0.8 s of CPU to write as a PDF, and every person who downloads it asks for the same bytes. So,
as charts are (``peaceworks.core.charts``), a PDF is kept in the ``charts`` cache under a
digest of the HTML it is written from (and WeasyPrint's version): equal HTML, equal PDF, written
once, then read back by every request, every server process and after a restart.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from importlib.metadata import version

from django.core.cache import caches

from peaceworks.core.charts import CACHE_ALIAS, CACHE_SECONDS

#: the time the embedded font subsets say they were modified (2000-01-01): fontTools takes it
#: from ``SOURCE_DATE_EPOCH`` when it is set (reproducible builds) and from the clock
#: otherwise, so without it the same page written a second later gives other bytes
FONT_EPOCH = "946684800"
#: raised when what is asked of WeasyPrint changes, so kept PDFs are written again
PDF_VERSION = 1


@cache
def _engine_version() -> str:
    return version("weasyprint")


def _reproducible() -> str:
    return os.environ.setdefault("SOURCE_DATE_EPOCH", FONT_EPOCH)


def write_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF of ``html`` (relative addresses resolved against ``base_url``), uncached; equal
    HTML gives equal bytes."""
    from weasyprint import HTML  # heavy: loaded only for a PDF

    _reproducible()
    data = HTML(string=html, base_url=base_url).write_pdf()
    if data is None:  # only when writing to a target, which this never does
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(data)


def cached_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """:func:`write_pdf`, read back from the ``charts`` cache when this HTML was written
    before (the key is a digest of the HTML, ``base_url``, the fonts' time and WeasyPrint's
    version)."""
    text = json.dumps([_engine_version(), PDF_VERSION, _reproducible(), base_url, html])
    key = "pdf:" + hashlib.sha256(text.encode()).hexdigest()
    documents = caches[CACHE_ALIAS]
    pdf = documents.get(key)
    if not isinstance(pdf, bytes):
        pdf = write_pdf(html, base_url=base_url)
        documents.set(key, pdf, CACHE_SECONDS)
    return pdf

"""The statistics page: docs/statistics.md (the source of truth) shown in the product.

A deliberately small renderer of the subset of Markdown that page uses — headings (each with
its anchor, which the indicator pages link to), paragraphs, bullet lists, ``code``, **bold** and
*emphasis* — every character escaped first, so the file can hold no markup of its own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from peaceworks.core.errors import NotFound
from peaceworks.impact.figures.export import export_org_scope

SOURCE = Path(settings.BASE_DIR) / "docs" / "statistics.md"
_INLINE = (
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*([^*]+)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])"), r"<em>\1</em>"),
)


def anchor(heading: str) -> str:
    """The anchor of a heading (``slugify`` of its text)."""
    return slugify(heading.replace("_", "-")) or "section"


def _inline(text: str) -> str:
    out = str(escape(text))
    for pattern, replacement in _INLINE:
        out = pattern.sub(replacement, out)
    return out


def render_markdown(text: str) -> tuple[str, list[tuple[str, str]]]:
    """HTML of the page and its (anchor, heading) sections of level 2."""
    html: list[str] = []
    sections: list[tuple[str, str]] = []
    paragraph: list[str] = []
    items: list[list[str]] = []

    def flush() -> None:
        if paragraph:
            html.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            html.append(
                "<ul>" + "".join(f"<li>{_inline(' '.join(i))}</li>" for i in items) + "</ul>"
            )
            items.clear()

    for raw in text.splitlines():
        line = raw.strip()
        heading = re.match(r"(#{1,3}) (.+)", line)
        if heading:
            flush()
            level, title = len(heading.group(1)), heading.group(2)
            slug = anchor(title)
            if level == 2:
                sections.append((slug, title))
            html.append(f'<h{level} id="{slug}">{_inline(title)}</h{level}>')
        elif not line:
            flush()
        elif line.startswith("- "):
            if paragraph:
                flush()
            items.append([line[2:]])
        elif items and raw.startswith("  "):
            items[-1].append(line)
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return "\n".join(html), sections


@lru_cache(maxsize=1)
def _page(mtime: float) -> tuple[SafeString, tuple[tuple[str, str], ...]]:
    body, sections = render_markdown(SOURCE.read_text(encoding="utf-8"))
    return mark_safe(body), tuple(sections)  # noqa: S308 -- every text escaped in _inline


def statistics(request: HttpRequest) -> HttpResponse:
    """Public: how every published figure is computed (no data on it)."""
    body, sections = _page(SOURCE.stat().st_mtime)
    try:
        export_org_scope(user=request.user)
    except NotFound:
        can_export = False  # the raw export's links would answer 404: not shown
    else:
        can_export = True
    return render(
        request,
        "impact/statistics.html",
        {"body": body, "sections": sections, "can_export": can_export},
    )

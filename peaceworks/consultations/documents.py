"""The draft document as Markdown, DOCX (python-docx) and PDF (Markdown → HTML → WeasyPrint).

Pure functions of the Markdown text: no database, no network (WeasyPrint is given no base
URL, so nothing outside the document is fetched).
"""

from __future__ import annotations

import io
import re

import nh3

from peaceworks.core.documents import cached_pdf
from peaceworks.core.html import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_EMPHASIS = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")


def _plain(text: str) -> str:
    return _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)


def to_html(body: str) -> str:
    """The Markdown body as safe HTML (raw HTML in the text is not kept)."""
    import markdown as markdown_lib  # imported by the first preview, not at start

    return nh3.clean(
        markdown_lib.markdown(body, extensions=["sane_lists"]),
        tags=set(ALLOWED_TAGS | {"h1", "h2", "h5", "h6"}),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def to_docx(title: str, body: str) -> bytes:
    from docx import Document  # a tenth of a second: imported by the download, not at start

    document = Document()
    document.core_properties.title = title
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            document.add_paragraph(_plain(" ".join(paragraph)))
            paragraph.clear()

    for line in body.splitlines():
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        if not line.strip():
            flush()
        elif heading:
            flush()
            document.add_heading(_plain(heading.group(2)), level=min(len(heading.group(1)), 4))
        elif bullet:
            flush()
            document.add_paragraph(_plain(bullet.group(1)), style="List Bullet")
        elif line.startswith(">"):
            flush()
            document.add_paragraph(_plain(line.lstrip("> ")), style="Quote")
        else:
            paragraph.append(line.strip())
    flush()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


_PDF_STYLE = """
@page { size: A4; margin: 2cm; }
body { font-family: sans-serif; font-size: 11pt; line-height: 1.45; }
h1 { font-size: 20pt; } h2 { font-size: 15pt; margin-top: 1.2em; } h3 { font-size: 12.5pt; }
blockquote { margin: 0.6em 0 0.6em 1em; padding-left: 0.8em; border-left: 3px solid #888;
  font-style: italic; }
"""


def to_pdf(title: str, body: str, *, language: str = "en") -> bytes:
    from html import escape

    page = (
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_PDF_STYLE}</style></head>"
        f"<body>{to_html(body)}</body></html>"
    )
    return cached_pdf(page)

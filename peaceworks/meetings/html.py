"""Minutes are written in Markdown and shown as sanitised HTML (``core.html``)."""

from __future__ import annotations

import markdown

from peaceworks.core.html import sanitise_html


def minutes_html(body: str) -> str:
    """The Markdown ``body`` as HTML with only the formatting tags ``core.html`` keeps."""
    return sanitise_html(markdown.markdown(body, extensions=["sane_lists"]))

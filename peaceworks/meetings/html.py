"""Minutes are written in Markdown and shown as sanitised HTML (``core.html``)."""

from __future__ import annotations

from peaceworks.core.html import sanitise_html


def minutes_html(body: str) -> str:
    """The Markdown ``body`` as HTML with only the formatting tags ``core.html`` keeps."""
    import markdown  # imported by the first page with minutes, not by every server process

    return sanitise_html(markdown.markdown(body, extensions=["sane_lists"]))

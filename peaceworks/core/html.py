"""Sanitising HTML that users wrote, before it is shown (nh3, the Ammonia sanitiser).

Only formatting tags survive; scripts, event handlers, styles and ``javascript:`` links go.
Links get ``rel="noopener noreferrer nofollow"``.
"""

from __future__ import annotations

import nh3

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "blockquote", "a", "h3", "h4"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def sanitise_html(value: str) -> str:
    return nh3.clean(
        value,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )

"""A bounded crawl of the site as one person: breadth first from the home page, GET only,
following every same-site link of every HTML page it reaches, and noting each link that
answers 4xx or 5xx to the person who was shown it.

Generic on purpose: it knows no route, so pages added later are covered as soon as a page
links to them. To stay bounded it visits a few URLs per *shape* (the path with its numbers
and tokens replaced, plus the names of its query parameters): a rule that fails a role on one
activity's page fails it on the first few too.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlsplit

from django.test import Client

#: paths never followed: the admin site (its own app, not product pages), static files
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/i18n/")
#: query values whose pages are downloads: they are checked, but only one per shape
DOWNLOAD_FORMATS = {"csv", "xlsx", "pdf", "docx", "json", "ics", "zip"}
_TOKEN = re.compile(r"(?<=/)(?:\d+|[A-Za-z0-9_-]{12,})(?=/|$|\.)")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            for name, value in attrs:
                if name == "href" and value:
                    self.hrefs.append(value)


#: what the HTML parser reads as one piece, left to right: a comment, a script or a style with
#: its text (never read as tags), a start tag to its closing ``>`` (one inside a quoted value
#: does not close it) with its name
_PIECES = re.compile(
    r"""<!--.*?-->"""
    r"""|<(?:script|style)\b(?:[^>"']|"[^"]*"|'[^']*')*>.*?</(?:script|style)\s*>"""
    r"""|<([a-zA-Z][^\t\n\r\f />\x00]*)(?:[^>"']|"[^"]*"|'[^']*')*>""",
    re.DOTALL | re.IGNORECASE,
)


def links_of(html: str) -> list[str]:
    """The ``href`` of every ``a`` element, in page order, as the standard HTML parser reads
    them (character references resolved). Only the ``a`` start tags go through the parser: a
    page's other few hundred tags took it 4 of the crawl's 60 s of CPU."""
    parser = _Links()
    parser.feed(
        "".join(
            piece.group(0)
            for piece in _PIECES.finditer(html)
            if piece.group(1) is not None and piece.group(1).lower() == "a"
        )
    )
    return parser.hrefs


def shape(url: str) -> str:
    """``/campaigns/activities/12/?page=2`` → ``/campaigns/activities/#/?page``."""
    parts = urlsplit(url)
    names = sorted({name for name, _value in parse_qsl(parts.query, keep_blank_values=True)})
    path = _TOKEN.sub("#", parts.path)
    return path + ("?" + "&".join(names) if names else "")


@dataclass
class Failure:
    url: str
    status: int
    found_on: str

    def __str__(self) -> str:
        return f"{self.status} {self.url} (linked from {self.found_on})"


@dataclass
class CrawlResult:
    visited: dict[str, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    #: whole HTML pages (not htmx fragments) that answered 2xx without breadcrumbs
    without_breadcrumbs: list[str] = field(default_factory=list)


def same_site(href: str, base: str, *, hosts: set[str]) -> str | None:
    """The site-relative URL of ``href`` found on page ``base``, or None when it leaves the site
    (another host, ``mailto:``…) or is a fragment of the same page."""
    href = urldefrag(href.strip())[0]
    if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(href)
    if parts.scheme and parts.scheme not in {"http", "https"}:
        return None
    if parts.netloc and parts.netloc.lower() not in hosts:
        return None
    if not parts.path.startswith("/"):
        if parts.netloc:
            path = "/"
        else:  # relative to the page (``?page=2``, ``edit/``)
            base_path = urlsplit(base).path
            path = base_path if not parts.path else base_path.rsplit("/", 1)[0] + "/" + parts.path
    else:
        path = parts.path
    return path + (f"?{parts.query}" if parts.query else "")


#: ``found_on`` of the start pages: typed in, not linked
TYPED = "(typed in)"


def crawl(
    client: Client,
    *,
    start: list[str],
    hosts: set[str],
    per_shape: int = 3,
    max_pages: int = 400,
    inspect: Callable[[str, str], None] | None = None,
) -> CrawlResult:
    """Breadth first from ``start`` (the first is the home page); a start page answering 4xx
    ends its branch without being a failure. ``inspect(url, html)`` sees every HTML page."""
    result = CrawlResult()
    queue: deque[tuple[str, str]] = deque((url, TYPED) for url in dict.fromkeys(start))
    seen = set(start)
    shapes: Counter[str] = Counter()
    while queue and len(result.visited) < max_pages:
        url, found_on = queue.popleft()
        response = client.get(url)
        status = response.status_code
        result.visited[url] = status
        if status >= 400:
            if found_on != TYPED:
                result.failures.append(Failure(url, status, found_on))
            continue
        targets: list[str] = []
        if 300 <= status < 400:
            targets = [response["Location"]]
        elif response.get("Content-Type", "").startswith("text/html"):
            html = response.content.decode(errors="replace")
            if inspect is not None:
                inspect(url, html)
            targets = links_of(html)
            if "<html" in html and 'class="breadcrumbs"' not in html:
                result.without_breadcrumbs.append(url)
        for href in targets:
            target = same_site(href, url, hosts=hosts)
            if target is None or target in seen or target.startswith(SKIPPED_PREFIXES):
                continue
            query = dict(parse_qsl(urlsplit(target).query))
            limit = 1 if query.get("format") in DOWNLOAD_FORMATS else per_shape
            key = shape(target)
            if shapes[key] >= limit:
                continue
            shapes[key] += 1
            seen.add(target)
            queue.append((target, url))
    return result


def entry_points() -> list[str]:
    """Every route without a parameter (``/``, ``/campaigns/``…), outside the API and the
    admin site: where a person may type their way in. A start page that answers 4xx to a role
    is no failure (nothing linked it); the links on those that answer are checked."""
    from django.urls import URLPattern, URLResolver, get_resolver

    paths: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for item in patterns:
            route = str(item.pattern)
            if "<" in route or route.startswith("^") or "(?P" in route:
                continue  # a parameter, or a regular expression
            if isinstance(item, URLResolver):
                walk(item.url_patterns, prefix + route)
            else:
                paths.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted(
        path
        for path in set(paths)
        if not path.startswith(("/api/", *SKIPPED_PREFIXES))
        and "logout" not in path
        and "sign-out" not in path
    )

"""Every link a person is shown opens for them: the demo network, crawled as each of its roles
(and signed out), breadth first from the home page and every page one may type in, GET only.
A link answering 4xx or 5xx to the person who was shown it fails the test, with the page it was
found on. The crawl knows no route (``tests/pages/crawl.py``): new pages are covered as soon as
a page links to them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Action, Campaign, Goal, Objective, Plan, Programme, Theme
from peaceworks.core.models import Translatable
from peaceworks.impact.models import Indicator, Outcome
from tests.pages.crawl import _Links, crawl, entry_points, links_of

#: pages without breadcrumbs: the home pages, and the survey volunteers answer (its own
#: pages, with nothing to go back to)
NO_BREADCRUMBS = ("/", "/dashboard/")
NO_BREADCRUMBS_PREFIXES = ("/impact/s/",)

#: the demo's sign-ins (``peaceworks.accounts.demo``), and None: signed out
PEOPLE = [
    None,
    "admin@peaceworks.test",
    "coordinator@peaceworks.test",
    "org.coordinator@peaceworks.test",
    "org.member@peaceworks.test",
    "analyst@peaceworks.test",
    "stakeholder@peaceworks.test",
    "other.coordinator@peaceworks.test",
]


# the test client's copy of every rendered template's context: this module never reads it;
# the charts drawn by an earlier run read back (``tests/pages/conftest.py``)
pytestmark = pytest.mark.usefixtures("no_template_contexts", "charts_kept_between_runs")


def test_every_link_a_role_is_shown_answers_for_that_role(demo_database: None) -> None:
    hosts = {"testserver", urlsplit(settings.SITE_URL).netloc.lower()}
    start = ["/", *entry_points()]
    failures: dict[str, list[str]] = {}
    pages: dict[str, int] = {}
    lost: dict[str, list[str]] = {}
    for email in PEOPLE:
        client = Client()
        if email is not None:
            client.force_login(User.objects.get(email=email))
        result = crawl(client, start=start, hosts=hosts, per_shape=3, max_pages=300)
        who = email or "signed out"
        pages[who] = len(result.visited)
        if result.failures:
            failures[who] = [str(failure) for failure in result.failures]
        without = [
            url
            for url in result.without_breadcrumbs
            if urlsplit(url).path not in NO_BREADCRUMBS
            and not url.startswith(NO_BREADCRUMBS_PREFIXES)
        ]
        if without:
            lost[who] = without
    assert not failures, "\n".join(
        f"{who}:\n  " + "\n  ".join(lines) for who, lines in failures.items()
    )
    # every page but the home pages and the survey has a way back
    assert not lost, "\n".join(f"{who}: {', '.join(urls)}" for who, urls in lost.items())
    # the crawl reached the product, not just the sign-in page
    assert pages["coordinator@peaceworks.test"] > 100
    assert pages["org.member@peaceworks.test"] > 50
    assert pages["stakeholder@peaceworks.test"] > 10


#: a network-written text shown in its original language for want of a version
UNTRANSLATED = re.compile(r"<[^>]*\bdata-untranslated\b[^>]*>([^<]*)<")


def _translated_models() -> list[type[Translatable]]:
    return [Programme, Campaign, Theme, Plan, Goal, Objective, Action]


@pytest.mark.parametrize("language", ["fr", "es"])
def test_no_untranslated_network_content_in_french_or_spanish_on_the_demo(
    demo_database: None, language: str
) -> None:
    # what the demo wrote has a version in the language, for every translated field
    missing = [
        f"{model.__name__} {record.pk} {field}: {getattr(record, field)!r}"
        for model in _translated_models()
        for record in model._default_manager.all()
        for field in model.TRANSLATED_FIELDS
        if record.untranslated(field, language)
    ]
    missing += [
        f"{record._meta.model_name} {record.code}: {record.name!r}"
        for model in (Indicator, Outcome)
        for record in model.objects.all()
        if not record.name.get(language)
    ]
    assert missing == []
    # and the pages the network coordinator (who would see the editors' marker) opens show
    # no network-written text in English
    seen: dict[str, list[str]] = {}

    def inspect(url: str, html: str) -> None:
        texts = [text.strip() for text in UNTRANSLATED.findall(html)]
        if texts:
            seen[url] = texts

    client = Client()
    client.force_login(User.objects.get(email="coordinator@peaceworks.test"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    result = crawl(
        client,
        start=["/", *entry_points()],
        hosts={"testserver"},
        per_shape=2,
        max_pages=150,
        inspect=inspect,
    )
    assert len(result.visited) > 100
    assert f'<html lang="{language}"' in client.get("/campaigns/").content.decode()
    assert seen == {}


#: what could mislead a reading of the ``a`` tags alone: commented-out links, a script and a
#: style that mention tags, a ``>`` in a quoted value, character references, upper case, an
#: ``a`` tag without ``href``, other tags starting with "a"
TRICKY_PAGE = """<!doctype html><html><head><title>Links</title>
<style>a[href="/x/"]::after { content: "<a href='/style/'>"; }</style>
<script>document.write('<a href="/script/">'); if (1 > 0) {}</script></head>
<body><!-- <a href="/comment/"> --><abbr title="<a href='/title/'>">x</abbr>
<a href="/one/?a=1&amp;b=2" title="1 > 0">one</a><A HREF='/two/'>two</A>
<a class="button">none</a><a
  href=/three/>three</a><area href="/area/"><a data-x='"' href="/four/#top">4</a>
<svg><a href="/svg/"><text>svg</text></a></svg><SCRIPT type="x">"<a href='/s2/'>"</SCRIPT>
<a href="/five/"/></body></html>"""


def test_links_of_reads_the_links_the_html_parser_reads() -> None:
    whole = _Links()
    whole.feed(TRICKY_PAGE)
    assert links_of(TRICKY_PAGE) == whole.hrefs
    assert whole.hrefs == ["/one/?a=1&b=2", "/two/", "/three/", "/four/#top", "/svg/", "/five/"]

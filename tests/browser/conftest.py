"""Fixtures for browser journeys; reuse them in new journeys.

- ``live_site``: a real server process on a copy of the demo network (once per worker).
- ``browser``: Debian's Chromium, headless (no browser download), one per module.
- ``page_as(role, viewport=DESKTOP)``: a page signed in as that role's demo user (``None`` for
  anonymous), on a blank page: the journey opens its first page itself (``visit`` checks it),
  so no page is loaded only to be left at once.
- ``visit(page, path)``: go to a page, let it settle, check it with axe-core (no serious or
  critical violation) and return the response.
- ``settle(page)`` and ``settle_and_check(page)`` (``tests/browser/support.py``): after a click
  that loads a page or sends an htmx request, wait until the page has loaded and htmx is idle
  (never ``networkidle``: it idles 500 ms more on every page).
- ``screenshot(page, name)``: saved to ``docs/screenshots/`` by ``make screenshots``
  (``PEACEWORKS_SCREENSHOTS=1``); otherwise not taken (nothing reads it, and each capture
  costs Chromium about 0.15 s of CPU), unless ``PEACEWORKS_SCREENSHOTS=tmp`` asks for them in
  a temporary folder.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.support import (
    CHROMIUM_ARGS,
    DESKTOP,
    SCREENSHOT_DIR,
    LiveServer,
    assert_accessible,
    chromium_path,
    demo_emails,
    settle,
    site_shell,
    start_live_server,
    stop_live_server,
)

#: why the seeded site could not start, once it failed: every later journey fails at once
#: with that reason instead of seeding again
_SITE_FAILURE: list[str] = []


@pytest.fixture(scope="session")
def live_site() -> Iterator[LiveServer]:
    if _SITE_FAILURE:
        pytest.fail(f"the seeded site did not start earlier in this run: {_SITE_FAILURE[0]}")
    with tempfile.TemporaryDirectory(prefix="peaceworks-browser-") as directory:
        try:
            server = start_live_server(Path(directory))
        except Exception as error:
            _SITE_FAILURE.append(f"{type(error).__name__}: {error}")
            raise
        try:
            yield server
        finally:
            stop_live_server(server)


#: A module's journeys share one Chromium. Not the session's: while Playwright runs, its event
#: loop counts as running in the worker's thread, and Django refuses the database to every
#: later test of that worker as async-unsafe (pytest-xdist sends any test after the journeys).
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def visit(live_site: LiveServer) -> Callable[..., Any]:
    def go(page: Any, path: str, *, check_accessibility: bool = True) -> Any:
        response = page.goto(live_site.url + path)
        settle(page)
        if check_accessibility:
            assert_accessible(page)
        return response

    return go


@pytest.fixture
def page_as(browser: Any, live_site: LiveServer) -> Iterator[Callable[..., Any]]:
    contexts: list[Any] = []
    emails = demo_emails()

    def make(role: str | None, viewport: dict[str, int] = DESKTOP, language: str = "en") -> Any:
        context = browser.new_context(
            viewport=viewport,
            locale={"en": "en-GB", "fr": "fr-FR", "es": "es-ES"}[language],
            base_url=live_site.url,
            is_mobile=viewport["width"] < 600,
            has_touch=viewport["width"] < 600,
        )
        contexts.append(context)
        if role is not None:
            context.add_cookies([signed_in_cookie(live_site, emails[role])])
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


#: A new session signed in as the user, made by Django's own ``login`` (the test client's
#: ``force_login``): what the sign-in form does once the password is checked. The form itself,
#: its Argon2 check and its lockout bookkeeping (a second of a journey each time) are the
#: sign-in journey's, in ``test_journeys.py``.
_SIGNED_IN_SESSION = """
from django.conf import settings
from django.test import Client
from peaceworks.accounts.models import User
client = Client()
client.force_login(User.objects.get(email={email!r}))
print(client.cookies[settings.SESSION_COOKIE_NAME].value)
"""


def signed_in_cookie(live_site: LiveServer, email: str) -> dict[str, str]:
    """The session cookie of a new session of that user on the live site, for a new context."""
    from django.conf import settings

    key = site_shell(live_site, _SIGNED_IN_SESSION.format(email=email))
    return {"name": settings.SESSION_COOKIE_NAME, "value": key, "url": live_site.url}


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path | None]:
    wanted = os.environ.get("PEACEWORKS_SCREENSHOTS")
    if wanted == "1":
        directory: Path | None = SCREENSHOT_DIR
    elif wanted == "tmp":
        directory = Path(tempfile.gettempdir()) / "peaceworks-screenshots"
    else:
        directory = None
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path | None:
        if directory is None:
            return None
        path = directory / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return take

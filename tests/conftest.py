"""Hooks for the cross-app suites under ``tests/``: browser journeys are skipped, with one
clear line in the report header, when Debian's Chromium is not installed."""

from __future__ import annotations

import pytest

from tests.browser.support import CHROMIUM_MISSING_REASON, chromium_path


def pytest_report_header(config: pytest.Config) -> str:
    path = chromium_path()
    if path is None:
        return f"browser journeys: SKIPPED — {CHROMIUM_MISSING_REASON}"
    return f"browser journeys: Chromium at {path}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if chromium_path() is not None:
        return
    skip = pytest.mark.skip(reason=CHROMIUM_MISSING_REASON)
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(skip)

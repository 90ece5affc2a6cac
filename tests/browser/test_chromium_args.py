"""Chromium keeps only the last ``--disable-features`` of its command line, so the journeys'
(``support.CHROMIUM_ARGS``) must repeat every feature Playwright's own launch disables."""

from __future__ import annotations

import re
from pathlib import Path

from tests.browser.support import CHROMIUM_ARGS, PLAYWRIGHT_DISABLED_FEATURES

#: where the installed Playwright driver lists them (``chromiumSwitches.ts``, bundled)
_DISABLED_FEATURES = re.compile(r"disabledFeatures = \[(.*?)\]", re.DOTALL)


def installed_playwright_disabled_features() -> list[str]:
    import playwright

    lib = Path(playwright.__file__).parent / "driver" / "package" / "lib"
    candidates = [*sorted(lib.rglob("chromiumSwitches.js")), lib / "coreBundle.js"]
    for path in candidates:
        if path.is_file():
            found = _DISABLED_FEATURES.search(path.read_text(errors="replace"))
            if found:
                return re.findall(r'^\s*"([^"]+)"', found.group(1), re.MULTILINE)
    raise AssertionError(f"Playwright's disabled features not found under {lib}")


def test_the_journeys_disable_every_feature_playwright_disables() -> None:
    ours = [arg for arg in CHROMIUM_ARGS if arg.startswith("--disable-features=")]
    assert len(ours) == 1
    disabled = ours[0].removeprefix("--disable-features=").split(",")
    expected = installed_playwright_disabled_features()
    assert expected
    assert set(expected) <= set(PLAYWRIGHT_DISABLED_FEATURES) <= set(disabled)

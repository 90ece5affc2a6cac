"""Chromium keeps only the last ``--disable-features`` of its command line, so the journeys'
(``support.CHROMIUM_ARGS``) must repeat every feature Playwright's own launch disables; and the
journeys take Debian's headless shell when it is installed, its Chromium otherwise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser import support
from tests.browser.support import CHROMIUM_ARGS, PLAYWRIGHT_DISABLED_FEATURES, chromium_path

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


def test_the_journeys_take_the_headless_shell_then_chromium(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shell, chromium = tmp_path / "chromium-headless-shell", tmp_path / "chromium"
    monkeypatch.setattr(support, "CHROMIUM_CANDIDATES", (str(shell), str(chromium)))
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    monkeypatch.delenv("CHROMIUM_PATH", raising=False)
    assert chromium_path() is None
    chromium.touch()
    assert chromium_path() == str(chromium)
    shell.touch()
    assert chromium_path() == str(shell)
    # CHROMIUM_PATH names the only executable taken, even with the shell installed
    monkeypatch.setenv("CHROMIUM_PATH", str(chromium))
    assert chromium_path() == str(chromium)
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "missing"))
    assert chromium_path() is None


def test_debians_headless_shell_comes_before_its_chromium() -> None:
    candidates = list(support.CHROMIUM_CANDIDATES)
    assert candidates[0] == "/usr/bin/chromium-headless-shell"
    assert "/usr/bin/chromium" in candidates[1:]

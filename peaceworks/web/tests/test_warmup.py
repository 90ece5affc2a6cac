"""The server's warm-up: it starts the chart engine and never stops the server from starting."""

from __future__ import annotations

from typing import Any

import pytest
import vl_convert

from peaceworks.web.warmup import warm_up


def test_warm_up_starts_the_chart_engine(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    draw = vl_convert.vegalite_to_svg

    def counting(spec: dict[str, Any], *args: Any, **kwargs: Any) -> str:
        calls.append(spec)
        return str(draw(spec, *args, **kwargs))

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", counting)
    warm_up()
    assert len(calls) == 1


def test_a_failing_warm_up_is_logged_not_raised(
    db: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(spec: dict[str, Any], *args: Any, **kwargs: Any) -> str:
        raise RuntimeError("the engine did not start")

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", broken)
    warm_up()
    assert "Warming up the server failed" in caplog.text

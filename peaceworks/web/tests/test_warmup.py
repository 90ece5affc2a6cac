"""The server's warm-up: it starts the chart engine and never stops the server from starting."""

from __future__ import annotations

import gc
import logging
from typing import Any

import pytest
import vl_convert

from peaceworks.web import warmup
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


def test_the_warm_up_thread_logs_its_end_and_freezes_what_it_loaded(
    db: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    frozen: list[None] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(None))
    monkeypatch.setattr(warmup, "warm_up", lambda: None)
    with caplog.at_level(logging.INFO, logger=warmup.__name__):
        warmup._warm_up_then_disconnect()
    assert frozen == [None]
    assert warmup.FINISHED in caplog.text

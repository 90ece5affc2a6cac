"""``python -m bench.keep``: a full run's figures copied to a dated file git keeps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import keep


@pytest.fixture
def results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(keep, "RESULTS", tmp_path)
    monkeypatch.setattr(keep, "LATEST", tmp_path / "latest.json")
    return tmp_path


def write(results: Path, **content: object) -> None:
    (results / "latest.json").write_text(json.dumps(content))


def test_a_full_run_is_kept_under_the_date_it_ran(results: Path) -> None:
    run = {"started_at": "2026-12-06T07:00:00+00:00", "commit": "abc"}
    write(
        results, metrics={"x": {"median": 1}}, quick=False, load_quick=False, run=run, load_steps={}
    )
    assert keep.main([]) == 0
    kept = json.loads((results / "2026-12-06-full.json").read_text())
    assert kept["run"] == run
    assert kept["metrics"] == {"x": {"median": 1}}
    assert keep.main([]) == 1  # never overwritten silently
    assert keep.main(["--force"]) == 0


def test_a_quick_run_is_refused_unless_asked_for(results: Path) -> None:
    write(results, metrics={}, quick=False, load_quick=True, run={"started_at": "2026-12-06"})
    assert keep.main([]) == 1
    assert not list(results.glob("2026-*"))
    assert keep.main(["--allow-quick", "--name", "quick"]) == 0
    assert (results / "2026-12-06-quick.json").exists()


def test_the_dated_copies_are_not_ignored_by_git() -> None:
    ignore = (Path(keep.__file__).resolve().parents[1] / ".gitignore").read_text()
    assert "!/bench/results/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]-*.json" in ignore

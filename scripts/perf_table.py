"""Print the goals table that leads ``docs/performance.md`` (Markdown) from a results JSON.

    python scripts/perf_table.py                       # the newest dated run in bench/results/
    python scripts/perf_table.py bench/results/latest.json

The JSON is what ``make bench`` writes and ``scripts/load.py`` merges into
(``{"metrics": {name: {"median", "unit", "cpu"?}}, "run": {...}, "quick", "load_quick",
"load_run_at", "machine"}``), usually a dated copy kept by ``python -m bench.keep``. Every goal
of the performance issues is one row: the figure of that run (the CPU time beside a wall
time when the bench recorded it), the reference the goal is judged against, met or not, and
which run the figure comes from (the bench or the load script, with their dates; "quick"
when that part ran at the quick size, where the goals are not stated). A goal whose metric
the file does not hold reads "not measured": figures are never made up.
"""

from __future__ import annotations

import argparse
import json
import operator
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent.parent / "bench" / "results"
DATED = re.compile(r"\d{4}-\d{2}-\d{2}-[a-z0-9-]+\.json")
#: a goal's comparison, and how the table writes it
COMPARE: dict[str, tuple[Callable[[float, float], bool], str]] = {
    "<": (operator.lt, "<"),
    "<=": (operator.le, "≤"),
    ">=": (operator.ge, "≥"),
    "==": (operator.eq, "="),
}
UNITS = {"s": " s", "ms": " ms", "per_s": "/s", "count": ""}


@dataclass(frozen=True)
class Goal:
    issue: int
    what: str
    metric: str
    op: str
    value: float
    unit: str
    #: a metric shown beside the figure: what the goal is judged against
    reference: str = ""
    #: "bench" (``make bench``) or "load" (``scripts/load.py``)
    source: str = "bench"


GOALS: list[Goal] = [
    # issue 22: performance II
    Goal(22, "full refresh at 1M, tables to stored snapshot", "analytics_full_refresh_1m_s",
         "<", 10, "s", reference="analytics_full_refresh_1m_reference_s"),
    Goal(22, "composite scales at 1M", "analytics_1m_with_scales_s", "<=", 0.3, "s",
         reference="analytics_1m_s"),
    Goal(22, "first overview at 1M, fresh process, no warm-up", "dashboard_1m_overview_first_ms",
         "<", 300, "ms", reference="dashboard_1m_overview_first_warmed_ms"),
    Goal(22, "raw-data export at 1M", "export_1m_s", "<", 20, "s"),
    Goal(22, "CSV import of 100k responses", "import_100k_csv_s", "<", 6, "s"),
    Goal(22, "XLSX import of 100k responses", "import_100k_xlsx_s", "<", 10, "s"),
    *(
        goal
        for db in ("postgres", "sqlite")
        for goal in (
            Goal(22, f"JSON submissions, {db}", f"submissions_per_s_{db}", ">=", 300, "per_s",
                 reference=f"submissions_capacity_per_s_{db}", source="load"),
            Goal(22, f"… p95 at that rate, {db}", f"submissions_p95_ms_{db}", "<", 100, "ms",
                 source="load"),
            Goal(22, f"… submissions lost, {db}", f"submissions_lost_{db}", "==", 0, "count",
                 source="load"),
            Goal(22, f"server CPU a submission, {db}", f"submissions_cpu_ms_{db}", "<=", 5, "ms",
                 source="load"),
            Goal(22, f"server CPU a no-JS survey walk, {db}", f"form_cpu_ms_{db}", "<=", 20,
                 "ms", source="load"),
        )
    ),
    # issue 16: consultations
    Goal(16, "themes of 10,000 contributions", "consultations_themes_10k_s", "<", 20, "s"),
    Goal(16, "opinion groups, 5,000 people voting on 500 statements",
         "consultations_groups_5000x500_s", "<", 3, "s",
         reference="consultations_groups_5000x500_sklearn_1thread_s"),
    # issue 18: reports
    Goal(18, "20-page campaign report of the demo", "report_demo_generate_s", "<", 10, "s",
         reference="report_demo_html_s"),
]  # fmt: skip


def _number(value: float, unit: str) -> str:
    if unit in {"count", "per_s"} and float(value).is_integer():
        return f"{int(value):,}{UNITS.get(unit, '')}"
    digits = 3 if abs(value) < 1 else 2 if abs(value) < 10 else 1
    return f"{value:,.{digits}f}{UNITS.get(unit, '')}"


def _figure(metric: dict[str, Any], unit: str) -> str:
    text = _number(float(metric["median"]), unit)
    if "cpu" in metric and unit in {"s", "ms"}:
        text += f" (CPU {_number(float(metric['cpu']), unit)})"
    return text


def _runs(results: dict[str, Any]) -> dict[str, str]:
    run = results.get("run") or {}
    bench = "bench " + str(run.get("started_at", "?"))[:10]
    if run.get("commit"):
        bench += f" ({str(run['commit'])[:7]})"
    load = "load " + str(results.get("load_run_at", "?"))[:10]
    if results.get("quick"):
        bench += ", quick"
    if results.get("load_quick"):
        load += ", quick"
    return {"bench": bench, "load": load}


def rows(results: dict[str, Any]) -> list[list[str]]:
    """One row per goal: goal, issue, measured, reference, met, run."""
    metrics: dict[str, dict[str, Any]] = results.get("metrics", {})
    runs = _runs(results)
    table = []
    for goal in GOALS:
        compare, sign = COMPARE[goal.op]
        stated = f"{goal.what}: {sign} {goal.value:g}{UNITS[goal.unit]}"
        found = metrics.get(goal.metric)
        reference = metrics.get(goal.reference) if goal.reference else None
        beside = f"`{goal.reference}` {_figure(reference, goal.unit)}" if reference else ""
        if found is None:
            table.append([stated, f"#{goal.issue}", "not measured", beside, "—", ""])
            continue
        value = float(found["median"])
        met = "**met**" if compare(value, goal.value) else "not met"
        measured = f"`{goal.metric}` {_figure(found, goal.unit)}"
        table.append([stated, f"#{goal.issue}", measured, beside, met, runs[goal.source]])
    return table


def markdown(results: dict[str, Any]) -> str:
    head = ["goal", "issue", "measured", "reference", "", "run"]
    lines = ["| " + " | ".join(head) + " |", "|---|---|--:|--:|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows(results)]
    machine = results.get("machine") or {}
    note = []
    if machine.get("cores"):
        note.append(f"{machine['cores']} cores")
    if machine.get("load_average"):
        note.append(f"load average {_load(machine['load_average'])} during the bench")
    if machine.get("load_average_during_load"):
        load = _load(machine["load_average_during_load"])
        note.append(f"load average {load} after the load run")
    if note:
        lines += ["", "Machine: " + ", ".join(note) + "."]
    return "\n".join(lines)


def _load(values: Any) -> str:
    """The one-minute load average of ``os.getloadavg()``'s three."""
    return f"{float(values[0]):.1f}"


def _recorded_at(path: Path) -> str:
    """When the file's runs were made (the later of the bench's start and the load run), as an
    ISO text; several runs kept on one day are told apart by it, not by their names."""
    results = json.loads(path.read_text())
    run = results.get("run") if isinstance(results.get("run"), dict) else {}
    return max(str(run.get("started_at") or ""), str(results.get("load_run_at") or ""))


def newest_dated() -> Path | None:
    kept = [path for path in RESULTS.glob("*.json") if DATED.fullmatch(path.name)]
    return max(kept, key=lambda path: (path.name[:10], _recorded_at(path)), default=None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results", nargs="?", type=Path, help="default: newest dated run")
    args = parser.parse_args(argv)
    path = args.results or newest_dated()
    if path is None:
        print(f"no dated results in {RESULTS}: run make bench, scripts/load.py, bench.keep")
        return 1
    try:
        results = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        print(f"cannot read {path}: {error}")
        return 1
    print(f"<!-- generated by scripts/perf_table.py from {path.name} -->")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

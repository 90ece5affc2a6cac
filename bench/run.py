"""``make bench`` / ``make bench-quick``: time the analytics engine against its references.

Prints a table of medians, min-max and ratios, and writes ``bench/results/latest.json``.
Timings are measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy

from peaceworks.impact.analytics.frame import build_frame, concat, take
from peaceworks.impact.analytics.snapshot import fold, materialise, refresh
from peaceworks.impact.analytics.suppression import COORDINATOR_MIN_N

from . import collect, consultations, dashboards, export, ingest, reports
from . import refresh as full_refresh
from .generate import BYS, storage_rows, synthetic_frame
from .references import (
    differences,
    engine_result,
    long_dataframe,
    numpy_reference,
    pandas_long,
    pandas_wide,
    wide_dataframe,
)

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
WORKLOADS = ("analytics", "ingest", "export", "dashboards", "collect", "consultations", "reports")


class Bench:
    def __init__(self) -> None:
        self.metrics: dict[str, dict[str, Any]] = {}

    def time(self, name: str, fn: Callable[[], object], runs: int, memory: bool = True) -> object:
        """Median of ``runs`` timed calls, then one call under tracemalloc for the peak."""
        result = fn()  # warm-up, and the result to check
        samples, cpu = [], []
        for _ in range(runs):
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            samples.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        self.metrics[name] = {
            "median": statistics.median(samples),
            "min": min(samples),
            "max": max(samples),
            "runs": runs,
            "unit": "s",
            # this process's CPU time (all its threads): what the machine's load does not inflate
            "cpu": statistics.median(cpu),
        }
        if memory:
            gc.collect()
            tracemalloc.start()
            fn()
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            self.metrics[f"{name}_peak_bytes"] = {"median": peak, "unit": "count"}
        wall, used = statistics.median(samples), statistics.median(cpu)
        print(f"  {name:<44} {wall:9.4f} s  (CPU {used:.4f} s)", flush=True)
        return result


def run_size(bench: Bench, label: str, n: int, runs: int, problems: list[str]) -> None:
    print(f"== {label}: generating {n:,} respondents", flush=True)
    frame = synthetic_frame(n)
    shapes = [tuple(len(frame.labels_of(d)) for d in by) for by in BYS]

    def engine() -> object:
        return refresh(frame, BYS).tables(floor=COORDINATOR_MIN_N)

    bench.time(f"analytics_{label}_s", engine, runs)
    raw = engine_result(refresh(frame, BYS).tables(floor=None), shapes)
    cells = sum(
        t.cell_codes.shape[0] * len(t.indicators) for t in refresh(frame, BYS).tables(floor=None)
    )
    bench.metrics[f"analytics_{label}_cells"] = {"median": cells, "unit": "count"}
    # The same table with the 20 items also read as four 5-item scales (scale scores, their
    # Wilcoxon from difference histograms, Cronbach's alpha): the cost of scales.
    scaled = replace(frame, scales={f"scale{k}": frame.items[5 * k : 5 * k + 5] for k in range(4)})
    bench.time(
        f"analytics_{label}_with_scales_s",
        lambda: refresh(scaled, BYS).tables(floor=COORDINATOR_MIN_N),
        3,
        memory=False,
    )
    reference = bench.time(f"analytics_{label}_numpy_s", lambda: numpy_reference(frame, BYS), runs)
    problems += differences(reference, raw, f"engine vs numpy at {label}")  # type: ignore[arg-type]
    if n <= 100_000:
        rows = storage_rows(frame)  # plain rows, as the snapshot task would read them
        built = bench.time(
            f"analytics_frame_build_{label}_s", lambda: build_frame(**rows), 3, memory=False
        )
        again = engine_result(refresh(built, BYS).tables(floor=None), shapes)  # type: ignore[arg-type]
        problems += differences(reference, again, f"frame built from rows at {label}")  # type: ignore[arg-type]
        del rows
    problems += _pandas_wide(bench, label, frame, shapes, reference)
    problems += _pandas_long(bench, label, frame, shapes, reference)
    if label == "1m":
        run_incremental(bench, frame, problems)


def _pandas_wide(
    bench: Bench, label: str, frame: Any, shapes: list[tuple[int, ...]], reference: Any
) -> list[str]:
    wide = wide_dataframe(frame)  # built outside the timing: it is the stored export
    result = bench.time(
        f"analytics_{label}_pandas_s", lambda: pandas_wide(wide, frame.items, BYS, shapes), 3
    )
    return differences(reference, result, f"pandas wide vs numpy at {label}")  # type: ignore[arg-type]


def _pandas_long(
    bench: Bench, label: str, frame: Any, shapes: list[tuple[int, ...]], reference: Any
) -> list[str]:
    long = long_dataframe(frame)  # built outside the timing: it is the stored answers table
    result = bench.time(
        f"analytics_{label}_pandas_long_s", lambda: pandas_long(long, frame.items, BYS, shapes), 3
    )
    return differences(reference, result, f"pandas long vs numpy at {label}")  # type: ignore[arg-type]


def run_incremental(bench: Bench, frame: Any, problems: list[str]) -> None:
    """1,000 new responses: 500 posts of respondents who had only a pre, 500 new pre surveys."""
    snapshot = refresh(frame, BYS)
    no_post = np.flatnonzero((frame.post == 0).all(axis=0))[:500]
    completed = take(frame, no_post)
    rng = np.random.default_rng(9)
    post = rng.integers(1, 6, size=completed.post.shape).astype(np.int8)
    completed = type(completed)(**{**completed.__dict__, "post": post})
    newcomers = synthetic_frame(500, seed=10, first_id=frame.size)
    newcomers = type(newcomers)(**{**newcomers.__dict__, "post": np.zeros_like(newcomers.post)})
    batch = concat([completed, newcomers])
    folded = bench.time("analytics_incremental_1k_into_1m_s", lambda: fold(snapshot, batch), 9)
    bench.time(
        "analytics_incremental_1k_into_1m_with_tables_s",
        lambda: fold(snapshot, batch).tables(floor=COORDINATOR_MIN_N),
        9,
        memory=False,
    )
    shapes = [tuple(len(frame.labels_of(d)) for d in by) for by in BYS]
    expected = engine_result(refresh(materialise(folded), BYS).tables(floor=None), shapes)  # type: ignore[arg-type]
    actual = engine_result(folded.tables(floor=None), shapes)  # type: ignore[attr-defined]
    problems += differences(expected, actual, "fold vs full refresh at 1m")


def run_identity() -> dict[str, Any]:
    """When the run started and on which commit, so a kept copy (``bench.keep``) is traced."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"],  # noqa: S607 -- the developer's git
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = ""
    started = datetime.now(UTC).isoformat(timespec="seconds")
    return {"started_at": started, "commit": commit}


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pandas": pd.__version__,
        "load_average": os.getloadavg(),
    }


def print_table(metrics: dict[str, dict[str, Any]]) -> None:
    print(f"\n{'metric':<48} {'median':>10} {'min-max':>21} {'ratio':>8}")
    for name, m in metrics.items():
        if m["unit"] != "s" or name.startswith("dashboard_"):  # dashboards.print_table has them
            continue
        ratio = ""
        for label in SIZES:
            if name.startswith(f"analytics_{label}_") and f"analytics_{label}_s" in metrics:
                ratio = f"{m['median'] / metrics[f'analytics_{label}_s']['median']:.1f}x"
        if "ratio_to_reference" in m:  # a full refresh: over pandas on the same tables
            ratio = f"{m['ratio_to_reference']:.2f}x"
        # a single-run figure (a report, a submissions rate) has no spread: its median stands
        low, high = m.get("min", m["median"]), m.get("max", m["median"])
        print(f"{name:<48} {m['median']:>9.4f}s {low:>9.4f}-{high:<9.4f}s {ratio:>8}")
    print(
        "ratio: the workload's median over the engine's at the same size (higher = engine faster)"
    )
    rates = {name: m for name, m in metrics.items() if name.startswith("collect_")}
    if rates:
        print(f"\n{'submissions (in-process test client)':<48} {'median':>10} {'min-max':>21}")
        for name, m in rates.items():
            print(f"{name:<48} {m['median']:>8.1f}/s {m['min']:>9.1f}-{m['max']:<9.1f}/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10k and 100k only (CI)")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="ingest, export and the full refresh on PostgreSQL too",
    )
    parser.add_argument(
        "--only",
        choices=WORKLOADS,
        action="append",
        help="run only these workloads (repeatable; default: all)",
    )
    parser.add_argument(
        "--size",
        choices=sorted(SIZES),
        help="this size only, for analytics, ingest and export (e.g. --only export --size 1m)",
    )
    args = parser.parse_args(argv)
    only = set(args.only or WORKLOADS)
    run = run_identity()
    bench = Bench()
    problems: list[str] = []
    sizes = ["10k", "100k"] if args.quick else ["10k", "100k", "1m"]
    if args.size:
        sizes = [args.size]
    # Django binds one database per process: the ingest workloads set it up on their
    # throw-away file first; the export and dashboard workloads run in child processes.
    if "ingest" in only:
        ingest.add_to(
            bench.metrics, problems, quick=args.quick, postgres=args.postgres, size=args.size
        )
    if "analytics" in only:
        for label in sizes:
            run_size(bench, label, SIZES[label], 5, problems)
        # from the response tables to the stored snapshot, beside pandas on the same tables
        full_refresh.add_to(bench.metrics, problems, quick=args.quick, postgres=args.postgres)
    if "export" in only:
        export.add_to(
            bench.metrics, problems, quick=args.quick, postgres=args.postgres, size=args.size
        )
    if "dashboards" in only:
        found, refused = dashboards.run(quick=args.quick)
        bench.metrics.update(found)
        problems += refused
    if "collect" in only:  # OpenRosa beside the JSON API, SQLite and PostgreSQL
        collect.add_to(bench.metrics, problems, quick=args.quick)
    if "consultations" in only:
        consultations.add_to(bench.metrics, problems, quick=args.quick)
    if "reports" in only:
        found, refused = reports.run(quick=args.quick)
        bench.metrics.update(found)
        problems += refused
    print_table(bench.metrics)
    dashboards.print_table(bench.metrics)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {"metrics": bench.metrics, "machine": machine(), "quick": args.quick, "run": run},
            indent=2,
        )
        + "\n"
    )
    print(f"\nwrote {RESULTS}")
    if problems:
        print("\nRESULTS DIFFER:\n  " + "\n  ".join(problems))
        return 1
    print("all implementations produce the same numbers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

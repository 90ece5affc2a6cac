"""Dashboard pages through Django's whole request path, on the demo network and at 1M.

Every request goes through Django's test ``Client``: URL routing, the full middleware stack
(sessions, authentication, CSRF, locale, security headers), the view, its database queries,
template rendering and the server-side SVG charts and maps — everything but the socket.

- ``dashboard_demo_<page>_ms`` — the four impact dashboards of the demo campaign
  (``overview``, ``indicator``, ``organisation``, ``quality``) on a database loaded by
  ``seed_demo``, signed in as the demo network coordinator; ``..._org_ms`` as the demo
  organisation coordinator. Warm requests: the process has served every page once before.
- ``dashboard_demo_<page>_first_ms`` — the first request of a fresh process (one process per
  page) with an empty chart cache: the very first visitor of a new deployment.
  ``..._first_warmed_ms`` — the same after the server's start-up work (``config.wsgi`` and its
  warm-up thread) with the chart cache a previous process left: the first visitor after a
  restart. ``--quick`` measures these two for the overview and the indicator page only.
- ``dashboard_demo_reference_ms`` — the campaign list (``/campaigns/``), a plain page, in the
  same process: the ratio against it puts the dashboards' cost beside the framework's.
- ``dashboard_1m_store_s`` — storing the 1M snapshot (``analytics_snapshot_store``: the frame
  and the prepared figures); ``dashboard_1m_store_charts_s`` — what the refresh task does next,
  drawing the overview's charts in every language into the chart cache
  (``figures.overview.overview_charts_draw``).
- ``dashboard_1m_overview_first_ms`` / ``dashboard_1m_indicator_first_ms`` — a fresh process's
  first overview (then indicator page) after that refresh, with the chart cache it filled and no
  warm-up thread: the first visitor after a refresh or a restart. ``second`` is the same
  overview requested again in that process (the reference). ``..._first_uncached_ms`` — the
  same with an empty chart cache (a refresh that could not draw, or a new cache directory).
- ``dashboard_p95_ms_1m`` — the overview and an indicator page, alternating, over a snapshot
  of **1,000,000 respondents** (full ``make bench`` only); ``dashboard_snapshot_reads_p95_ms_1m``
  is the snapshot reads alone (``headline`` / ``indicator_cells``) in the same process.

The 1M snapshot is the demo campaign's own stored frame resampled with replacement to 1M
respondents (every label — themes, countries, years, organisations — is the campaign's own), then
stored with ``analytics_snapshot_store``, the code the refresh task stores with (``.npz`` frame
and the headline ``SnapshotValue`` rows). The impact tables keep the demo's responses: the
pages read the snapshot only, so no response row is read on these two pages.

Each measurement runs in a child process against its own copy of a throw-away SQLite file
(``DATABASE_URL=sqlite:////tmp/peaceworks-bench-*/...``): Django binds one database per
process, and a cold start needs a fresh process anyway. ``seed_demo`` runs once; its file is
kept as a template and copied for every child. Run alone with
``python -m bench.dashboards [--quick] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PAGES = ("overview", "indicator", "organisation", "quality")
COORDINATOR = "coordinator@peaceworks.test"
ORG_COORDINATOR = "org.coordinator@peaceworks.test"
MILLION = 1_000_000


# --- in the child process: Django against one copy of the demo database -----------------------


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    # Production runs with DEBUG off: no query log on every cursor, no debug templates. The
    # static files storage stays the development one (no collectstatic manifest is needed).
    settings.DEBUG = False
    # the test client's host is the public address: no "another address" warning on the pages
    settings.SITE_URL = "http://testserver"


class Site:
    """The demo campaign, its people and the addresses of its dashboards."""

    def __init__(self) -> None:
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.urls import clear_url_caches, reverse

        from peaceworks.accounts.access import viewer_for
        from peaceworks.impact.figures.load import indicator_map
        from peaceworks.impact.figures.selectors import outcome_indicators
        from peaceworks.impact.models import AnalyticsSnapshot

        snapshot = AnalyticsSnapshot.objects.filter(refreshed_at__isnull=False).first()
        if snapshot is None:
            raise SystemExit("the demo database has no analytics snapshot")
        self.campaign = snapshot.campaign
        names = indicator_map(campaign=self.campaign).engine_name
        code = next(i.code for i in outcome_indicators(campaign=self.campaign) if i.code in names)
        users = get_user_model().objects
        self.clients: dict[str, Any] = {}
        for persona, email in (("", COORDINATOR), ("_org", ORG_COORDINATOR)):
            client = Client()
            client.force_login(users.get(email=email))
            self.clients[persona] = client
        org_pk = min(viewer_for(users.get(email=ORG_COORDINATOR)).writable_org_ids)
        pk = self.campaign.pk
        self.urls = {
            "overview": reverse("impact:dashboard", args=[pk]),
            "indicator": reverse("impact:dashboard_indicator", args=[pk, code]),
            "organisation": reverse("impact:dashboard_organisation", args=[pk, org_pk]),
            "quality": reverse("impact:dashboard_quality", args=[pk]),
            "reference": reverse("campaigns:index"),
        }
        # a server's first request finds no URL resolved before: the resolvers populated by
        # the reverse() above are dropped (populating them is part of a first request)
        clear_url_caches()

    def get(self, page: str, persona: str = "") -> tuple[float, float, int]:
        """One request: (wall ms, CPU ms, bytes). A page that is not a 200 stops the bench.
        Garbage collections fall where they fall, as in a server."""
        start, start_cpu = time.perf_counter(), time.process_time()
        response = self.clients[persona].get(self.urls[page])
        wall = (time.perf_counter() - start) * 1000
        cpu = (time.process_time() - start_cpu) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{self.urls[page]} answered {response.status_code}")
        return wall, cpu, len(response.content)

    def queries(self, page: str, persona: str = "") -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            self.get(page, persona)
        return len(captured.captured_queries)


def once(value: float, unit: str, **extra: Any) -> dict[str, Any]:
    """A measurement taken once, in the shape of ``latest.json``'s other metrics."""
    return {"median": value, "min": value, "max": value, "runs": 1, "unit": unit, **extra}


def summary(walls: list[float], cpus: list[float]) -> dict[str, Any]:
    ordered = sorted(walls)
    return {
        "median": statistics.median(walls),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)],
        "min": ordered[0],
        "max": ordered[-1],
        "runs": len(walls),
        "unit": "ms",
        # this process's CPU time: what the wall time would be on an idle machine
        "cpu": statistics.median(cpus),
    }


def repeat(fn: Callable[[], tuple[float, float, int]], runs: int) -> dict[str, Any]:
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu, _size = fn()
        walls.append(wall)
        cpus.append(cpu)
    return summary(walls, cpus)


def _server_start() -> dict[str, Any]:
    """What a server process does on start: import the WSGI module, whose warm-up thread
    starts the chart engine and loads the snapshots; wait for it (as a deploy would)."""
    start, start_cpu = time.perf_counter(), time.process_time()
    import config.wsgi  # noqa: F401 -- starts the warm-up thread
    from peaceworks.web import warmup

    for thread in threading.enumerate():
        if thread.name == warmup.THREAD_NAME:
            thread.join()
    return {
        "warm_up_ms": (time.perf_counter() - start) * 1000,
        "warm_up_cpu": (time.process_time() - start_cpu) * 1000,
    }


def child_first(page: str, mode: str) -> dict[str, dict[str, Any]]:
    """A fresh process: its first request, to ``page``, then the same page once more.
    ``cold``: nothing done before (and an empty chart cache); ``server``: after the server's
    warm-up, with the chart cache a previous process left."""
    _setup()
    site = Site()
    extra = _server_start() if mode == "server" else {}
    load = os.getloadavg()[0]
    wall, cpu, size = site.get(page)
    again, again_cpu, _ = site.get(page)
    suffix = "_first_ms" if mode == "cold" else "_first_warmed_ms"
    return {
        f"dashboard_demo_{page}{suffix}": once(
            wall,
            "ms",
            cpu=cpu,
            second=again,
            second_cpu=again_cpu,
            bytes=size,
            load_average=load,
            **extra,
        )
    }


def child_warm(runs: int) -> dict[str, dict[str, Any]]:
    """Every page for both personas, after one untimed request each."""
    _setup()
    site = Site()
    metrics: dict[str, dict[str, Any]] = {}
    plan = [(page, persona) for page in PAGES for persona in ("", "_org")]
    plan.append(("reference", ""))
    for page, persona in plan:
        site.get(page, persona)
    load = os.getloadavg()[0]
    for page, persona in plan:
        name = f"dashboard_demo_{page}{persona}_ms"
        metrics[name] = repeat(lambda page=page, persona=persona: site.get(page, persona), runs)  # type: ignore[misc]
        metrics[name]["bytes"] = site.get(page, persona)[2]
        metrics[name]["queries"] = site.queries(page, persona)
        metrics[name]["load_average"] = load
    reference = metrics["dashboard_demo_reference_ms"]["median"]
    for metric in metrics.values():
        metric["ratio"] = metric["median"] / reference
    return metrics


def million_frame(frame: Any) -> Any:
    """The stored frame resampled with replacement to 1M respondents (seeded), new ids."""
    from dataclasses import replace

    import numpy as np

    from peaceworks.impact.analytics.frame import take

    rng = np.random.default_rng(1_000_000)
    big = take(frame, rng.integers(0, frame.size, size=MILLION))
    return replace(big, respondent_ids=np.arange(1, MILLION + 1, dtype=np.int64))


def store_million(site: Site) -> dict[str, dict[str, Any]]:
    """Replace the demo campaign's snapshot by a 1M-respondent one, through the refresh's
    storage code; the stored frame is what every page then reads."""
    from django.utils import timezone

    from peaceworks.impact.figures.load import frame_from_bytes, indicator_map
    from peaceworks.impact.figures.overview import overview_charts_draw
    from peaceworks.impact.models import AnalyticsSnapshot
    from peaceworks.impact.services import analytics_snapshot_store

    snapshot = AnalyticsSnapshot.objects.get(campaign=site.campaign)
    frame = million_frame(frame_from_bytes(bytes(snapshot.frame)))
    start, start_cpu = time.perf_counter(), time.process_time()
    analytics_snapshot_store(
        snapshot=snapshot,
        frame=frame,
        mapping=indicator_map(campaign=site.campaign),
        watermark=snapshot.last_response_id,
        refreshed_at=timezone.now(),
        folds=0,
    )
    stored, stored_cpu = time.perf_counter(), time.process_time()
    # then, as the refresh task does, the overview's charts into the chart cache
    charts = overview_charts_draw(campaign_id=site.campaign.pk)
    return {
        "dashboard_1m_store_s": once(
            stored - start,
            "s",
            cpu=stored_cpu - start_cpu,
            respondents=frame.size,
            bytes=len(bytes(AnalyticsSnapshot.objects.get(pk=snapshot.pk).frame)),
        ),
        "dashboard_1m_store_charts_s": once(
            time.perf_counter() - stored,
            "s",
            cpu=time.process_time() - stored_cpu,
            charts=charts,
        ),
    }


def snapshot_reads(site: Site) -> tuple[float, float, int]:
    """What the two pages ask of the snapshot, without the request around it."""
    from peaceworks.impact.analytics import COORDINATOR_MIN_N
    from peaceworks.impact.figures.selectors import headline, indicator_cells, snapshot_view

    start, start_cpu = time.perf_counter(), time.process_time()
    view = snapshot_view(campaign=site.campaign)
    headline(view, floor=COORDINATOR_MIN_N)
    code = site.urls["indicator"].rstrip("/").rsplit("/", 1)[1]
    for by in (("country",), ("year",), (), ("fewer_opportunities",)):
        indicator_cells(view, indicator=code, by=by, floor=COORDINATOR_MIN_N)
    wall = (time.perf_counter() - start) * 1000
    return wall, (time.process_time() - start_cpu) * 1000, 0


def child_million(mode: str, runs: int) -> dict[str, dict[str, Any]]:
    """At 1M. ``store``: the snapshot and the overview's charts, as the refresh task stores them
    (once, kept for the next steps). ``cold``: the first request to the overview then to an
    indicator page in a fresh process, then the overview again (the reference);
    ``uncached``: the same with an empty chart cache. ``server``: the same after the server's
    warm-up, then ``runs`` of each page, alternating, with the snapshot reads alone as the
    reference."""
    _setup()
    site = Site()
    if mode == "store":
        return store_million(site)
    metrics = _server_start() if mode == "server" else {}
    found: dict[str, dict[str, Any]] = {}
    suffix = {"server": "_warmed", "uncached": "_uncached"}.get(mode, "")
    for page in ("overview", "indicator"):
        wall, cpu, size = site.get(page)
        found[page] = once(wall, "ms", cpu=cpu, bytes=size)
    again, again_cpu, _size = site.get("overview")
    found["overview"].update(second=again, second_cpu=again_cpu)
    found = {f"dashboard_1m_{page}_first{suffix}_ms": m for page, m in found.items()}
    if mode == "server":
        found["dashboard_1m_overview_first_warmed_ms"].update(metrics)
        found.update(_million_warm(site, runs))
    load = os.getloadavg()[0]
    for metric in found.values():
        metric.setdefault("load_average", load)
    return found


def _million_warm(site: Site, runs: int) -> dict[str, dict[str, Any]]:
    walls: dict[str, list[float]] = {"overview": [], "indicator": [], "reads": []}
    cpus: dict[str, list[float]] = {"overview": [], "indicator": [], "reads": []}
    for _ in range(runs):
        for page in ("overview", "indicator"):
            wall, cpu, _size = site.get(page)
            walls[page].append(wall)
            cpus[page].append(cpu)
        wall, cpu, _size = snapshot_reads(site)
        walls["reads"].append(wall)
        cpus["reads"].append(cpu)
    metrics: dict[str, dict[str, Any]] = {}
    for name, parts in (
        ("dashboard_p95_ms_1m", ("overview", "indicator")),
        ("dashboard_snapshot_reads_p95_ms_1m", ("reads",)),
    ):
        both = summary(
            [w for part in parts for w in walls[part]], [c for part in parts for c in cpus[part]]
        )
        cpu_sorted = sorted(c for part in parts for c in cpus[part])
        metrics[name] = {
            **both,
            "median": both["p95"],
            "p50": both["median"],
            "cpu": cpu_sorted[min(len(cpu_sorted) - 1, round(0.95 * len(cpu_sorted)) - 1)],
            "cpu_p50": both["cpu"],
        }
    metrics["dashboard_p95_ms_1m"]["ratio"] = (
        metrics["dashboard_p95_ms_1m"]["median"]
        / metrics["dashboard_snapshot_reads_p95_ms_1m"]["median"]
    )
    for page in ("overview", "indicator"):
        metrics[f"dashboard_1m_{page}_ms"] = summary(walls[page], cpus[page])
    return metrics


def child_seed(path: Path) -> None:
    """Migrate and load the demo network (what ``make run`` shows)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", verbosity=0)
    print(f"  demo network seeded into {path.name}", flush=True)


# --- in the bench process -----------------------------------------------------------------


class Children:
    """Child processes, each on a copy of the seeded demo database."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="peaceworks-bench-"))
        self.template = self.tmp / "demo-template.sqlite3"
        self.shared_data = self.tmp / "data"  # a server's data directory (its chart cache)
        self.count = 0

    def run(
        self,
        *args: str,
        database: Path | None = None,
        fresh_data: bool = False,
        data_dir: Path | None = None,
    ) -> dict[str, dict[str, Any]]:
        """Run one step. ``database``: a kept copy (else a fresh copy, removed after);
        ``fresh_data``: an empty data directory (no chart drawn before); ``data_dir``: this
        data directory (kept), else the shared one."""
        self.count += 1
        path = database or self.tmp / f"demo-{self.count}.sqlite3"
        if path != self.template and not path.exists():
            shutil.copyfile(self.template, path)
        data = self.tmp / f"data-{self.count}" if fresh_data else data_dir or self.shared_data
        data.mkdir(exist_ok=True)
        out = self.tmp / f"result-{self.count}.json"
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{path}",
            "PEACEWORKS_DATA_DIR": str(data),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        command = [sys.executable, "-m", "bench.dashboards", "--child", *args, "--out", str(out)]
        done = subprocess.run(command, env=env, check=False)  # noqa: S603 -- our own module
        if done.returncode != 0:
            raise RuntimeError(f"bench.dashboards {' '.join(args)} exited with {done.returncode}")
        if database is None:
            path.unlink(missing_ok=True)
        if fresh_data:
            shutil.rmtree(data, ignore_errors=True)
        return dict(json.loads(out.read_text() or "{}"))

    def seed(self) -> None:
        """Migrate and load the demo into the template (a child too: it binds the database)."""
        self.run("seed", database=self.template)

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def show(name: str, metric: dict[str, Any]) -> None:
    line = f"  {name:<44} {metric['median']:9.1f} {metric['unit']}"
    if "p95" in metric:
        line += f"  p95 {metric['p95']:7.1f}"
    if "cpu" in metric:
        line += f"  (CPU {metric['cpu']:.1f})"
    if "ratio" in metric:
        line += f"  {metric['ratio']:.1f}x"
    print(line, flush=True)


def print_table(metrics: dict[str, dict[str, Any]]) -> None:
    """The dashboard metrics: wall median and p95, CPU, ratio to the reference, weight."""
    rows = [(name, m) for name, m in metrics.items() if name.startswith("dashboard_")]
    if not rows:
        return
    print(f"\n{'dashboard metric':<44} {'median':>9} {'p95':>9} {'CPU':>9} {'ratio':>6} {'KB':>6}")
    for name, m in rows:
        unit = m["unit"]
        p95 = f"{m['p95']:.1f}" if "p95" in m else ""
        cpu = f"{m['cpu']:.1f}" if "cpu" in m else ""
        ratio = f"{m['ratio']:.1f}x" if "ratio" in m else ""
        size = f"{m['bytes'] / 1000:.0f}" if "bytes" in m else ""
        print(f"{name:<44} {m['median']:>7.1f}{unit:>2} {p95:>9} {cpu:>9} {ratio:>6} {size:>6}")
    print(
        "ms of wall time per request; CPU: this process's CPU time; ratio: over the campaign "
        "list (demo) or the snapshot reads alone (1m); for *_p95_ms_1m the median column is "
        "the p95"
    )


def run(*, quick: bool) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The demo pages (and the 1M pages unless ``quick``): (metrics, problems)."""
    children = Children()
    metrics: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    print("== dashboards: seeding the demo network", flush=True)
    million = children.tmp / "million.sqlite3"
    # quick: the first requests of the two pages with charts only (a process each)
    firsts = PAGES[:2] if quick else PAGES
    # the 1M refresh's own data directory: its chart cache holds only what the refresh drew
    refreshed = children.tmp / "data-1m"
    steps: list[tuple[tuple[str, ...], Path | None, bool | Path]] = [
        (("warm", "10" if quick else "30"), None, False),
        *((("first", page, "server"), None, False) for page in firsts),
        *((("first", page, "cold"), None, True) for page in firsts),
    ]
    if not quick:
        steps += [
            (("million", "store", "0"), million, refreshed),
            (("million", "cold", "0"), million, refreshed),
            (("million", "uncached", "0"), million, True),
            # a restart after that refresh: the server's warm-up, the refresh's chart cache
            (("million", "server", "40"), million, refreshed),
        ]
    try:
        start = time.perf_counter()
        children.seed()
        metrics["dashboard_demo_seed_s"] = once(time.perf_counter() - start, "s")
        for args, database, data in steps:
            found = children.run(
                *args,
                database=database,
                fresh_data=data is True,
                data_dir=data if isinstance(data, Path) else None,
            )
            for name, metric in found.items():
                show(name, metric)
            metrics.update(found)
    except RuntimeError as exc:
        problems.append(str(exc))
    finally:
        children.close()
    return metrics, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the demo pages only")
    parser.add_argument("--json", type=Path, help="write the metrics here")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        step, *rest = args.child
        found: dict[str, dict[str, Any]] = {}
        if step == "seed":
            child_seed(Path(os.environ["DATABASE_URL"]))
        elif step == "first":
            found = child_first(rest[0], rest[1])
        elif step == "warm":
            found = child_warm(int(rest[0]))
        elif step == "million":
            found = child_million(rest[0], int(rest[1]))
        if args.out:
            args.out.write_text(json.dumps(found))
        return 0
    metrics, problems = run(quick=args.quick)
    print_table(metrics)
    if args.json:
        args.json.write_text(json.dumps({"metrics": metrics, "problems": problems}, indent=2))
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

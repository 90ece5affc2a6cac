"""The refresh a coordinator waits for: "Refresh the figures now", from the response tables.

- ``analytics_full_refresh_<size>_s`` — ``analytics_rebuild(campaign_id=..., full=True)``, what the
  refresh task runs when a coordinator asks for it: read the campaign's respondents and pre/post
  responses from the database, build the frame, compute the headline values and store the
  snapshot (its ``.npz`` frame, the groupings' sums the first pages need, ``SnapshotValue`` rows).
  N respondents of the generator (``bench/generate.py``) are seeded by ``bench.export``'s seeder
  (the same cached template / PostgreSQL database as ``export_<size>_s``).
- ``analytics_full_refresh_<size>_reference_s`` — in the same process, on the same tables:
  ``pandas.read_sql`` of the pre/post responses, the latest per respondent and round kind,
  the answers decoded (``orjson``) into a wide ``DataFrame``, then per item the pairs, the mean
  change and the share improved over the whole campaign. Its numbers are checked against the
  stored ``SnapshotValue`` rows (a problem is reported when they differ).

Each metric carries ``cpu`` (this process's CPU time) and ``load_average``: the machine is shared.
``python -m bench.refresh --size 1m [--postgres] [--json out.json]``; ``bench.run`` runs it in a
child process per size (and per database) from its ``analytics`` workload.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .export import open_postgres, open_sqlite, run_child, size_main
from .ingest import DEFAULT_POSTGRES, SIZES


def _timed(fn: Callable[[], Any], runs: int) -> tuple[dict[str, Any], Any]:
    walls, cpus, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    metric = {
        "median": statistics.median(walls),
        "min": min(walls),
        "max": max(walls),
        "runs": runs,
        "unit": "s",
        "cpu": statistics.median(cpus),
        "load_average": os.getloadavg()[0],
    }
    return metric, result


def reference(campaign_id: int) -> dict[str, tuple[int, float, float]]:
    """Per answered item: (pairs, mean change, % improved), with pandas on the raw tables."""
    import orjson
    import pandas as pd
    from django.db import connection

    sql = (
        "SELECT r.respondent_id, rd.kind, r.submitted_at, r.round_id, r.id, r.answers "
        "FROM impact_response r JOIN impact_round rd ON rd.id = r.round_id "
        "JOIN campaigns_activity a ON a.id = rd.activity_id "
        "JOIN impact_respondent p ON p.id = r.respondent_id "
        "WHERE a.campaign_id = %s AND rd.kind IN ('pre', 'post') AND p.withdrawn_at IS NULL"
    )
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "sqlite":
        sql = sql.replace("%s", "?")
    with_answers = pd.read_sql(sql, raw, params=[campaign_id])
    latest = with_answers.sort_values(["submitted_at", "round_id", "id"]).drop_duplicates(
        ["respondent_id", "kind"], keep="last"
    )
    texts = latest["answers"]
    decoded = [orjson.loads(t) if isinstance(t, str | bytes) else t for t in texts]
    wide = pd.DataFrame.from_records(decoded, index=latest.index)
    wide["respondent_id"], wide["kind"] = latest["respondent_id"], latest["kind"]
    pre = wide[wide["kind"] == "pre"].set_index("respondent_id")
    post = wide[wide["kind"] == "post"].set_index("respondent_id")
    out: dict[str, tuple[int, float, float]] = {}
    for item in wide.columns:
        if item in ("respondent_id", "kind") or item not in pre or item not in post:
            continue
        a = pd.to_numeric(pre[item], errors="coerce")
        b = pd.to_numeric(post[item], errors="coerce")
        pair = pd.concat([a, b], axis=1, join="inner").dropna()
        pair = pair[pair.isin([1, 2, 3, 4, 5]).all(axis=1)]
        if pair.empty:
            continue
        change = pair.iloc[:, 1] - pair.iloc[:, 0]
        out[str(item)] = (len(pair), float(change.mean()), float(100 * (change > 0).mean()))
    return out


def compare(found: dict[str, tuple[int, float, float]], snapshot: Any) -> list[str]:
    """The stored values of the indicators that read one item, against pandas'."""
    from peaceworks.impact.figures.load import indicator_map
    from peaceworks.impact.models import SnapshotValue

    values = SnapshotValue.objects.filter(snapshot=snapshot, suppressed=False)
    item_of = indicator_map(campaign=snapshot.campaign).engine_name
    stored = {item_of[v.indicator]: v for v in values if v.indicator in item_of}
    problems = []
    for item, (n, change, improved) in found.items():
        value = stored.get(item)
        if value is None:
            continue
        ok = (
            value.n == n
            and np.isclose(value.mean_change or 0, change, rtol=0, atol=1e-9)
            and np.isclose(value.pct_improved or 0, improved, rtol=0, atol=1e-9)
        )
        if not ok:
            problems.append(
                f"refresh vs pandas, {item}: stored n={value.n} change={value.mean_change} "
                f"improved={value.pct_improved}, pandas n={n} change={change} improved={improved}"
            )
    if not found or not any(item in stored for item in found):
        problems.append("refresh vs pandas: no item to compare")
    return problems


def run_one(label: str, postgres_url: str | None) -> tuple[dict[str, dict[str, Any]], list[str]]:
    n = SIZES[label]
    work = Path(tempfile.mkdtemp(prefix="peaceworks-bench-refresh-"))
    seeded = None
    suffix = "_postgres" if postgres_url else ""
    try:
        print(f"== refresh {label}{suffix}: {n:,} respondents", flush=True)
        if postgres_url:
            open_postgres(label, n, postgres_url)
        else:
            _, seeded = open_sqlite(label, n, work)
        from peaceworks.campaigns.models import Campaign
        from peaceworks.impact.services import analytics_rebuild

        campaign = Campaign.objects.get(code="bench")
        runs = 3 if n <= 100_000 else 1
        metric, snapshot = _timed(
            lambda: analytics_rebuild(campaign_id=campaign.pk, full=True), runs
        )
        metric["respondents"] = snapshot.respondents
        ref_metric, found = _timed(lambda: reference(campaign.pk), runs)
        metric["ratio_to_reference"] = metric["median"] / ref_metric["median"]
        metrics = {
            f"analytics_full_refresh_{label}{suffix}_s": metric,
            f"analytics_full_refresh_{label}{suffix}_reference_s": ref_metric,
        }
        for name, m in metrics.items():
            print(f"  {name:<44} {m['median']:9.4f} s  (CPU {m['cpu']:.2f} s)", flush=True)
        return metrics, compare(found, snapshot)
    finally:
        from django.db import connections

        connections.close_all()
        if seeded is not None:
            seeded.close()
        shutil.rmtree(work, ignore_errors=True)


def add_to(
    metrics: dict[str, dict[str, Any]], problems: list[str], *, quick: bool, postgres: bool
) -> None:
    """What ``bench.run``'s analytics workload calls: 100k (``quick``) or 100k and 1M, each in a
    child process, on SQLite, then on PostgreSQL when asked (``--postgres``, or
    ``DATABASE_URL`` naming a PostgreSQL server; there at 100k only unless ``--postgres``)."""
    url = os.environ.get("DATABASE_URL", "")
    url = url if url.startswith(("postgres://", "postgresql://")) else ""
    plans: list[tuple[str, str | None]] = [(label, None) for label in _sizes(quick)]
    if postgres or url:
        sizes = _sizes(quick) if postgres else ["100k"]
        plans += [(label, url or DEFAULT_POSTGRES) for label in sizes]
    for label, database in plans:
        run_child("bench.refresh", ["--size", label], database, metrics, problems)


def _sizes(quick: bool) -> list[str]:
    return ["100k"] if quick else ["100k", "1m"]


def main(argv: list[str] | None = None) -> int:
    return size_main(__doc__, run_one, "100k", argv)


if __name__ == "__main__":
    raise SystemExit(main())

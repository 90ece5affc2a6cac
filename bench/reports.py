"""A campaign report of the demo network: generated whole, beside its HTML alone.

- ``report_demo_generate_s`` — ``report_generate`` on a new version of the demo campaign's
  report (``seed_demo`` defines and publishes one): collecting every figure through the impact
  selectors at the published floor, drawing the charts, the PDF (WeasyPrint) and the workbook.
  The chart cache starts empty for the first run and is the process's own after it. Goal: under
  10 s (median). ``pages`` is the PDF's page count.
- ``report_demo_html_s`` — rendering the same version's HTML from its frozen figures (charts
  cached), the part of the time that is not WeasyPrint or openpyxl.

Runs in a child process on a throw-away SQLite file with the demo loaded (Django binds one
database per process). Alone: ``python -m bench.reports [--quick] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

GOAL_S = 10.0


def _child(out: Path, runs: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", verbosity=0)
    from django.db.models import Max
    from django.utils import timezone
    from pypdf import PdfReader

    from peaceworks.reports.demo import TITLE
    from peaceworks.reports.documents import render_html, render_pdf, version_label
    from peaceworks.reports.figures import collect_figures
    from peaceworks.reports.models import Report, ReportVersion
    from peaceworks.reports.services import report_generate

    report = Report.objects.get(title=TITLE)
    generate: list[float] = []
    generate_cpu: list[float] = []  # on a shared machine the wall time waits for the CPU
    html: list[float] = []
    collect: list[float] = []
    pdf: list[float] = []
    pages = 0
    for _ in range(runs):
        number = (report.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = ReportVersion.objects.create(
            report=report, number=number, created_at=timezone.now().replace(microsecond=0)
        )
        start, cpu = time.perf_counter(), time.process_time()
        done = report_generate(actor=None, version_id=version.pk)
        generate.append(time.perf_counter() - start)
        generate_cpu.append(time.process_time() - cpu)
        if done is None or done.state != ReportVersion.State.READY:
            raise RuntimeError(f"the report was not generated: {done and done.failure_reason}")
        pages = len(PdfReader(io.BytesIO(bytes(done.pdf))).pages)
        start = time.perf_counter()
        page = render_html(
            done.figures,
            version_label=version_label(done),
            created_at=done.created_at,
            change_note=done.change_note,
        )
        html.append(time.perf_counter() - start)
        if os.environ.get("PEACEWORKS_BENCH_REPORT_HTML"):  # to study the PDF's time alone
            Path(os.environ["PEACEWORKS_BENCH_REPORT_HTML"]).write_text(page)
        start = time.perf_counter()
        collect_figures(done, previous=None)
        collect.append(time.perf_counter() - start)
        start = time.perf_counter()
        render_pdf(page, identifier=done.content_hash)
        pdf.append(time.perf_counter() - start)
    metrics = {
        "report_demo_generate_s": {
            "median": statistics.median(generate),
            "runs": generate,
            "cpu": statistics.median(generate_cpu),
            "load_average": os.getloadavg()[0],
            "unit": "s",
            "pages": pages,
            "goal": GOAL_S,
        },
        "report_demo_html_s": {"median": statistics.median(html), "runs": html, "unit": "s"},
        # the parts, each again on its own: the figures' collection and the PDF from its HTML
        "report_demo_collect_s": {"median": statistics.median(collect), "unit": "s"},
        "report_demo_pdf_s": {"median": statistics.median(pdf), "unit": "s"},
    }
    out.write_text(json.dumps(metrics))


def run(*, quick: bool = False) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Measure in a child process; the problems name a missed goal."""
    tmp = Path(tempfile.mkdtemp(prefix="peaceworks-bench-reports-"))
    try:
        out = tmp / "result.json"
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp / 'demo.sqlite3'}",
            "PEACEWORKS_DATA_DIR": str(tmp / "data"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        (tmp / "data").mkdir()
        runs = "1" if quick else "3"
        command = [sys.executable, "-m", "bench.reports", "--child", str(out), "--runs", runs]
        done = subprocess.run(command, env=env, check=False)  # noqa: S603 -- our own module
        if done.returncode != 0:
            raise RuntimeError(f"bench.reports exited with {done.returncode}")
        metrics: dict[str, dict[str, Any]] = json.loads(out.read_text())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    generate = metrics["report_demo_generate_s"]
    print(
        f"  report of the demo campaign: {generate['median']:.2f} s for {generate['pages']} pages"
        f" (goal {GOAL_S:.0f} s; {generate['cpu']:.2f} s of CPU, load average "
        f"{generate['load_average']:.1f}); its HTML alone "
        f"{metrics['report_demo_html_s']['median']:.2f} s (collecting the figures "
        f"{metrics['report_demo_collect_s']['median']:.2f} s, the PDF from the HTML "
        f"{metrics['report_demo_pdf_s']['median']:.2f} s)",
        flush=True,
    )
    problems = []
    if generate["median"] >= GOAL_S:
        problems.append(f"report_demo_generate_s: {generate['median']:.1f} s, goal {GOAL_S} s")
    return metrics, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.runs)
        return 0
    metrics, problems = run(quick=args.quick)
    if args.json:
        args.json.write_text(json.dumps(metrics, indent=2) + "\n")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

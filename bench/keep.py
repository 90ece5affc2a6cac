"""Keep a full run's figures in the repository: ``bench/results/latest.json`` is ignored by git
(every ``make bench`` and ``scripts/load.py`` rewrites it), so the figures quoted in
``docs/performance.md`` are traced to a dated copy, ``bench/results/<date>-<name>.json``, which
is committed. Run it after ``make bench`` and ``scripts/load.py`` (without ``--quick``):

    python -m bench.keep            # -> bench/results/2026-12-06-full.json

The date is the bench run's own (``run.started_at``), the day it was kept when the file has
none. A quick run (``make bench-quick`` or ``load.py --quick``) is refused unless
``--allow-quick``: its sizes are not the ones the goals are stated at.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
LATEST = RESULTS / "latest.json"
NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


def kept_path(results: dict[str, object], name: str) -> Path:
    run = results.get("run")
    started = run.get("started_at") if isinstance(run, dict) else None
    day = str(started)[:10] if started else datetime.now(UTC).date().isoformat()
    return RESULTS / f"{day}-{name}.json"


def quick_parts(results: dict[str, object]) -> list[str]:
    parts = []
    if results.get("quick"):
        parts.append("the bench (make bench-quick)")
    if results.get("load_quick"):
        parts.append("the load run (scripts/load.py --quick)")
    return parts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name", default="full", help="after the date in the file name")
    parser.add_argument("--allow-quick", action="store_true", help="keep a quick run too")
    parser.add_argument("--force", action="store_true", help="replace a kept file of that name")
    args = parser.parse_args(argv)
    if not NAME.fullmatch(args.name):
        parser.error("--name: lower-case letters, digits and hyphens")
    if not LATEST.exists():
        print(f"{LATEST} does not exist: run `make bench` and scripts/load.py first")
        return 1
    results = json.loads(LATEST.read_text())
    quick = quick_parts(results)
    if quick and not args.allow_quick:
        print(f"not kept: {' and '.join(quick)} ran at the quick size (--allow-quick keeps it)")
        return 1
    if "load_steps" not in results:
        print("note: no load figures in it (scripts/load.py merges them into latest.json)")
    target = kept_path(results, args.name)
    if target.exists() and not args.force:
        print(f"{target} exists (--force replaces it, or choose another --name)")
        return 1
    target.write_text(json.dumps(results, indent=2) + "\n")
    print(f"kept {target}: commit it and quote it in docs/performance.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())

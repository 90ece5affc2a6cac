"""Purge what has outlived its purpose, after a grace period (``RETENTION_GRACE_DAYS``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from peaceworks.core import retention
from peaceworks.core.audit import audit_record


class Command(BaseCommand):
    help = "Purge expired invitations, old sign-in failures and what each app registered."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--grace-days",
            type=int,
            default=None,
            help="Days to keep purgeable data (default: RETENTION_GRACE_DAYS).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Count only; delete nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        grace_days = options["grace_days"]
        if grace_days is None:
            grace_days = settings.RETENTION_GRACE_DAYS
        if grace_days < 0:
            self.stderr.write("--grace-days must be 0 or more.")
            raise SystemExit(2)
        cutoff = timezone.now() - timedelta(days=grace_days)
        dry_run = bool(options["dry_run"])
        for name, purge in retention.registered().items():
            with transaction.atomic():
                count = purge(cutoff, dry_run)
                if not dry_run and count:
                    audit_record(
                        actor=None,
                        action="retention.purge",
                        changes={"what": name, "count": count, "cutoff": cutoff.isoformat()},
                    )
            verb = "would purge" if dry_run else "purged"
            self.stdout.write(f"{name}: {verb} {count}")

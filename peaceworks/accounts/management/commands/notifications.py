"""Queue today's notifications and e-mail digests (run daily, e.g. from cron or a systemd
timer, like ``meeting_reminders``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from peaceworks.accounts.tasks import notifications_run


class Command(BaseCommand):
    help = "Queue the task that makes today's notifications and sends the digests due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default="", help="The day to run for (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        result = notifications_run.enqueue(options["date"])
        self.stdout.write(f"Queued notifications ({result.id}).")

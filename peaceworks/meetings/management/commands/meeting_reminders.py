"""Queue today's action-item and RSVP reminders (run daily, e.g. from cron or a systemd timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from peaceworks.meetings.tasks import meetings_reminders, meetings_rsvp_reminders


class Command(BaseCommand):
    help = "Queue the tasks that e-mail today's action-item and RSVP reminders (each step once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default="", help="The day to send for (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        result = meetings_reminders.enqueue(options["date"])
        rsvp = meetings_rsvp_reminders.enqueue(options["date"])
        self.stdout.write(f"Queued reminders ({result.id}) and RSVP reminders ({rsvp.id}).")

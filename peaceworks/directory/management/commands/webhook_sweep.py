"""Queue again the webhook deliveries stuck pending (run every 5 minutes, e.g. from cron or a
systemd timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from peaceworks.directory.tasks import webhook_sweep


class Command(BaseCommand):
    help = (
        "Queue the task that sends again the webhook deliveries left pending longer than "
        "WEBHOOK_DELIVERY_LEASE_SECONDS."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = webhook_sweep.enqueue()
        self.stdout.write(f"Queued the webhook sweep ({result.id}).")

"""Give a campaign the default indicator framework and its survey instruments."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peaceworks.campaigns.models import Campaign
from peaceworks.impact.services import framework_install_default


class Command(BaseCommand):
    help = "Install the default impact framework (indicators and instruments) for a campaign."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign_code", help="The code of the campaign or project.")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = Campaign.objects.filter(code=options["campaign_code"]).first()
        if campaign is None:
            raise CommandError(f"No campaign has the code {options['campaign_code']!r}.")
        framework = framework_install_default(actor=None, campaign=campaign)
        self.stdout.write(
            self.style.SUCCESS(
                f"{framework.name}: {framework.indicators.count()} indicators, "
                f"{framework.instruments.count()} instruments."
            )
        )

"""Build the fictional demo network: deterministic (seeded) and safe to run again."""

from __future__ import annotations

import random
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from peaceworks.campaigns import demo as campaigns_demo
from peaceworks.directory import demo as directory_demo
from peaceworks.directory.models import Organisation
from peaceworks.impact import demo as impact_demo
from peaceworks.impact.services import analytics_rebuild

SEED = 2027


class Command(BaseCommand):
    help = "Load the demo network (organisations, people, campaign, surveys)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds organisations.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Organisation.objects.exists():
            self.stdout.write("The database already holds data; the demo was not loaded.")
            return
        rng = random.Random(SEED)
        with transaction.atomic():
            directory = directory_demo.seed(rng)  # with the demo sign-ins
            directory_demo.seed_engagements(rng)
            campaigns_demo.seed(rng, directory.organisations)
            # after the campaigns demo: takes the rpc campaign and its activities if present
            impact = impact_demo.seed(rng)
        if impact.framework is not None:
            # dashboards show figures right after `make run`
            analytics_rebuild(campaign_id=impact.framework.campaign_id, full=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo network ready: {len(directory.organisations)} member organisations."
            )
        )

"""Write a consultation's opinion groups as CSV (participant,group) to standard output."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peaceworks.consultations.analysis import run_groups
from peaceworks.consultations.models import Consultation


class Command(BaseCommand):
    help = (
        "Compute the opinion groups of a consultation (seeded) and write participant,group; "
        "participants set aside for too few votes have an empty group."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args: Any, **options: Any) -> None:
        consultation = Consultation.objects.filter(slug=options["slug"]).first()
        if consultation is None:
            raise CommandError(f"No consultation has the short name {options['slug']!r}.")
        result = run_groups(consultation, seed=options["seed"], progress=lambda _p: None)
        rows = [(point["label"], point["group"]) for point in result["points"]]
        rows += [(label, "") for label in result["set_aside"]]
        write_csv(self, ("participant", "group"), rows)


def write_csv(command: BaseCommand, header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    import csv

    writer = csv.writer(command.stdout, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)

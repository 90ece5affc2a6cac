"""Write a consultation's statements with consensus and counts as CSV to standard output."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peaceworks.consultations.analysis import run_groups
from peaceworks.consultations.management.commands.export_opinion_groups import write_csv
from peaceworks.consultations.models import Consultation


class Command(BaseCommand):
    help = (
        "Write statement,consensus,agree,disagree,pass for every approved statement "
        "(statement = the imported comment id, or the statement's own id)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args: Any, **options: Any) -> None:
        consultation = Consultation.objects.filter(slug=options["slug"]).first()
        if consultation is None:
            raise CommandError(f"No consultation has the short name {options['slug']!r}.")
        result = run_groups(consultation, seed=options["seed"], progress=lambda _p: None)
        rows = [
            (s["label"], f"{s['consensus']:.4f}", s["agree"], s["disagree"], s["pass"])
            for s in result["statements"]
        ]
        write_csv(self, ("statement", "consensus", "agree", "disagree", "pass"), rows)

"""Create a consultation from a Pol.is open-data export folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peaceworks.consultations.polis import PolisRefused, polis_import, read_folder
from peaceworks.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Import a Pol.is export folder (comments.csv and votes.csv or participants-votes.csv) "
        "as a closed consultation; nothing is imported if any file has a problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="The folder holding the export's CSV files.")
        parser.add_argument("--slug", required=True, help="The new consultation's short name.")
        parser.add_argument("--title", default="", help="Its title (default: the short name).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            files = read_folder(Path(options["folder"]))
            consultation = polis_import(
                actor=None, files=files, slug=options["slug"], title=options["title"]
            )
        except PolisRefused as refused:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(str(p) for p in refused.problems)
            ) from refused
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{consultation.slug}: {consultation.statements.count()} statements, "
                f"{consultation.participants.count()} participants."
            )
        )

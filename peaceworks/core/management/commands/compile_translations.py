"""Compile every ``.po`` catalogue to ``.mo`` with Babel, so no system gettext is needed.

Also runs as ``python -m peaceworks.core.management.commands.compile_translations`` (the
Makefile's install does): the same work without loading the apps, which ``peaceworks`` does
for any command (1.6 s of CPU, where compiling takes 0.2 s)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po → .mo) without GNU gettext."

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(settings.BASE_DIR) / "peaceworks"
        count = 0
        for po_path in sorted(root.glob("*/locale/*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)
            count += 1
        self.stdout.write(f"Compiled {count} catalogue(s).")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    Command().handle()

"""Serve the site and run the task worker beside it, for a one-machine setup (``make run``)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from peaceworks.accounts.demo import DEMO_PASSWORD, demo_logins
from peaceworks.directory.models import Organisation


class Command(BaseCommand):
    help = "Start the web server and the background-task worker together."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default="8000")
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **options: Any) -> None:
        address = f"{options['host']}:{options['port']}"
        worker = subprocess.Popen(  # our own interpreter and command
            [sys.executable, "-m", "peaceworks.manage", "db_worker", "--interval", "1"]
        )
        organisations = list(Organisation.objects.filter(is_secretariat=False).order_by("code")[:2])
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Peaceworks is at http://{address}/"))
        self.stdout.write(f"Survey links and QR codes point to {settings.SITE_URL}/ (SITE_URL).")
        if len(organisations) == 2:
            self.stdout.write(f"Demo sign-ins (password: {DEMO_PASSWORD}):")
            for login in demo_logins(organisations):
                self.stdout.write(f"  {login.email:38} {login.role}")
        self.stdout.write("Press Ctrl+C to stop the server and the worker.")
        try:
            call_command("runserver", address, use_reloader=False, skip_checks=True)
        finally:
            worker.terminate()
            worker.wait(timeout=10)

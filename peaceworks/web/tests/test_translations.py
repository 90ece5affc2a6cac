"""Every catalogue is complete in French and Spanish, and current with the source."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
APPS = sorted(
    path.parent.parent.parent.parent
    for path in ROOT.glob("peaceworks/*/locale/fr/LC_MESSAGES/django.po")
)
#: ``makemessages -l fr --no-location --no-obsolete`` in each folder named on the command line,
#: in one process: starting Django costs most of a run, the extraction itself little
MAKEMESSAGES = """
import os, sys
import django
from django.core.management import call_command

django.setup()
for folder in sys.argv[1:]:
    os.chdir(folder)
    call_command("makemessages", locale=["fr"], no_location=True, no_obsolete=True, verbosity=0)
"""


def _catalogue(app: Path, language: str):
    with (app / "locale" / language / "LC_MESSAGES" / "django.po").open("rb") as po_file:
        return read_po(po_file)


@pytest.mark.parametrize("language", ["fr", "es"])
@pytest.mark.parametrize("app", APPS, ids=lambda path: path.name)
def test_every_message_is_translated(app, language):
    untranslated = [
        message.id
        for message in _catalogue(app, language)
        if message.id
        and (
            "fuzzy" in message.flags
            or not (message.string if isinstance(message.string, str) else all(message.string))
        )
    ]
    assert untranslated == []


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """A copy of each app whose French catalogue the messages were extracted into afresh."""
    folder = tmp_path_factory.mktemp("extracted")
    copies = {}
    for app in APPS:
        copies[app] = folder / app.name
        shutil.copytree(
            app, copies[app], ignore=shutil.ignore_patterns("*.mo", "__pycache__", "tests")
        )
    subprocess.run(
        [sys.executable, "-c", MAKEMESSAGES, *map(str, copies.values())],
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
        },
    )
    return copies


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("app", APPS, ids=lambda path: path.name)
def test_catalogue_is_current_with_the_source(app, extracted):
    """Extract the messages afresh into a copy and compare: `make messages` was not forgotten."""
    fresh = {message.id for message in _catalogue(extracted[app], "fr") if message.id}
    committed = {message.id for message in _catalogue(app, "fr") if message.id}
    assert sorted(map(str, fresh - committed)) == []

"""The example client of docs/api.md, run as it is written (a separate Python process using
only the standard library) against a live server with a freshly made personal token: it
registers an activity, opens its post round and submits a response."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from peaceworks.accounts.services import api_token_create
from peaceworks.campaigns.models import Activity
from peaceworks.impact.models import Response

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def example_client() -> str:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 1, "docs/api.md holds one example client"
    return str(blocks[0])


@pytest.mark.django_db(transaction=True)
def test_the_example_client_registers_an_activity_and_submits_a_response(
    live_server, framework, campaign, org_coordinator, organisation
):
    secret = api_token_create(actor=org_coordinator, name="example", scope="write").secret
    theme = campaign.themes.get(number=1)
    env = {
        **os.environ,
        "PEACEWORKS_URL": live_server.url,
        "PEACEWORKS_TOKEN": secret,
        "CAMPAIGN_ID": str(campaign.pk),
        "ORGANISATION_ID": str(organisation.pk),
        "THEME_ID": str(theme.pk),
    }
    run = subprocess.run(
        [sys.executable, "-c", example_client()],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "response stored: True" in run.stdout
    activity = Activity.objects.get(code="peace-camp")
    assert activity.host_organisation == organisation
    response = Response.objects.get(round__activity=activity)
    assert response.answers
    assert set(response.answers.values()) == {4}

"""Every survey link and QR code a coordinator can print points to the configured public
address (``SITE_URL``), whatever address the page itself was opened at."""

from __future__ import annotations

import base64
import io
import json
import re
import zlib
from collections.abc import Callable
from typing import Any

import segno
from django.test import Client
from django.urls import reverse

from peaceworks.accounts.models import User
from peaceworks.impact.models import Round
from peaceworks.impact.openrosa import active_token, collection_open, setup_payload

PUBLIC = "https://peace.example.org"


def _svg(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=8, border=4)
    return buffer.getvalue()


def test_survey_links_and_qr_codes_use_the_configured_public_address(
    settings: Any,
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    pre_round: Round,
    post_round: Round,
) -> None:
    settings.SITE_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["testserver", "10.0.0.5"]
    collection_open(actor=org_coordinator, survey_round=post_round)
    # the page is opened at another address than the public one
    client = client_for(org_coordinator)
    page = client.get(
        reverse("impact:activity_rounds", args=[post_round.activity_id]), HTTP_HOST="10.0.0.5"
    )
    assert page.status_code == 200
    html = page.content.decode()
    survey_links = set(re.findall(r'href="([^"]*/s/[^"]+)"', html))
    assert survey_links == {
        f"{PUBLIC}/impact/s/{survey_round.token}/" for survey_round in (pre_round, post_round)
    }
    servers = re.findall(r"<code>([^<]+)</code>", html)
    assert servers
    assert all(server.startswith(f"{PUBLIC}/") for server in servers)
    assert "127.0.0.1" not in html
    assert "10.0.0.5" not in html

    for survey_round in (pre_round, post_round):
        link = f"{PUBLIC}/impact/s/{survey_round.token}/"
        svg = client.get(reverse("impact:round_qr", args=[survey_round.pk, "svg"]))
        assert svg.content == _svg(link)
        png = client.get(reverse("impact:round_qr", args=[survey_round.pk, "png"]))
        expected = io.BytesIO()
        segno.make(link, error="m").save(expected, kind="png", scale=8, border=4)
        assert png.content == expected.getvalue()

    item = active_token(post_round)
    assert item is not None
    setup = json.loads(zlib.decompress(base64.b64decode(setup_payload(item))))
    assert setup["general"]["server_url"].startswith(f"{PUBLIC}/")
    setup_qr = client.get(reverse("impact:round_collection_qr", args=[post_round.pk]))
    assert setup_qr.status_code == 200

    listed = client.get(f"/api/v1/impact/rounds?activity_id={post_round.activity_id}").json()
    links = {row["link"] for row in (listed if isinstance(listed, list) else listed["items"])}
    assert links == {f"{PUBLIC}/impact/s/{r.token}/" for r in (pre_round, post_round)}

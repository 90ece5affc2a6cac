"""QR codes for a round's public link (PNG and SVG, drawn by segno without Pillow)."""

from __future__ import annotations

import io

from django.conf import settings
from django.urls import reverse

from peaceworks.impact.models import Round


def public_link(survey_round: Round) -> str:
    return settings.SITE_URL + reverse("impact:survey_start", args=[survey_round.token])


def qr_bytes(survey_round: Round, *, kind: str) -> bytes:
    """The QR code of the round's link as ``png`` or ``svg`` bytes."""
    import segno  # imported by the request for a code, not by every server process

    code = segno.make(public_link(survey_round), error="m")
    buffer = io.BytesIO()
    code.save(buffer, kind=kind, scale=8, border=4)
    return buffer.getvalue()

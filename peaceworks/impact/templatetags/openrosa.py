"""``{% collection_server_url round as url %}``: the app server URL of a round open for ODK."""

from __future__ import annotations

from django import template

from peaceworks.impact.models import Round
from peaceworks.impact.openrosa import active_token, server_url

register = template.Library()


@register.simple_tag
def collection_server_url(survey_round: Round) -> str:
    """The server URL ODK Collect is set up with, or "" when the round is not open for apps."""
    item = active_token(survey_round)
    return server_url(item) if item is not None else ""

"""``{% load strategy_links %}{% strategy_links_of item as links %}``: what later apps say led
to a strategy item (``campaigns.hooks``), as the signed-in person may see it."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model

from peaceworks.campaigns.hooks import StrategyLink, strategy_links

register = template.Library()


@register.simple_tag(takes_context=True)
def strategy_links_of(context: dict[str, Any], item: Model) -> list[StrategyLink]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return strategy_links(user=user, item=item)

"""What every campaigns service shares: the staff check and the one audited write path
(validation is ``core.records``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import models

from peaceworks.accounts.access import Actor, viewer_for
from peaceworks.core.errors import Forbidden
from peaceworks.core.records import audited_write

_M = TypeVar("_M", bound=models.Model)


def require_staff(actor: Actor) -> None:
    viewer = viewer_for(actor)
    if not viewer.is_network_staff:
        raise Forbidden


def write_record(
    instance: _M,
    *,
    actor: Actor,
    action: str,
    changes: Mapping[str, Any],
    allowed: frozenset[str],
    check: Callable[[_M], None] | None = None,
    checked: frozenset[str] = frozenset(),
) -> _M:
    """The one write path of network-authored records (programmes, campaigns, themes and the
    strategy): refuse fields outside ``allowed``, set the changes, run the entity's ``check``
    (DomainError naming the field; ``checked``: the model constraints it checks, not asked of
    the database again), validate, save and audit (``<entity>.create`` without changes,
    ``<entity>.update`` with before/after)."""
    audited_write(
        instance,
        changes,
        actor=actor,
        action=action,
        allowed=allowed,
        check=check,
        checked=checked,
    )
    return instance

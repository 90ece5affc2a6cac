"""What every campaigns service shares: the staff check and the one audited write path
(validation is ``core.records``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import models

from peaceworks.accounts.access import Actor, viewer_for
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import Forbidden
from peaceworks.core.records import assign_changes, save_validated, stored_values

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
) -> _M:
    """The one write path of network-authored records (programmes, campaigns, themes and the
    strategy): refuse fields outside ``allowed``, set the changes, run the entity's ``check``
    (DomainError naming the field), validate, save and audit (``<entity>.create`` without
    changes, ``<entity>.update`` with before/after)."""
    creating = instance._state.adding
    before = stored_values(instance, allowed)
    assign_changes(instance, changes, allowed=allowed)
    if check is not None:
        check(instance)  # may derive a field (a finished action becomes done)
    after = stored_values(instance, allowed)
    changed = [name for name in allowed if after[name] != before[name]]
    save_validated(instance, changed=changed)
    audit_record(
        actor=actor,
        action=action,
        target=instance,
        changes=None if creating else {name: [before[name], after[name]] for name in changed},
    )
    return instance

"""Writing the audit log. Every service calls :func:`audit_record` once per write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

from peaceworks.core.access import Actor
from peaceworks.core.bulk import db_value, insert_rows
from peaceworks.core.context import client_ip
from peaceworks.core.models import AuditEvent


def _who(actor: Actor) -> tuple[int | None, str]:
    """The account id and label an event records: a signed-in user, or nobody ("system")."""
    if actor is None or not actor.is_authenticated:
        return None, "system"
    return actor.pk, str(getattr(actor, "email", ""))


def audit_record(
    *,
    actor: Actor,
    action: str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit event; ``actor`` may be ``None`` (system) or an anonymous user."""
    actor_id, actor_label = _who(actor)
    return AuditEvent.objects.create(
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        changes=_jsonable(changes or {}),
        ip_address=client_ip.get(),
    )


def audit_record_many(
    *,
    actor: Actor,
    action: str,
    targets: Sequence[models.Model],
    changes: dict[str, Any] | None = None,
) -> None:
    """One event per target, as :func:`audit_record` would add, in a few bulk inserts.

    For services that write many rows at once (imports); the targets must be saved already.
    """
    actor_id, actor_label = _who(actor)
    ip_address = client_ip.get()
    changed = _jsonable(changes or {})
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor_id=actor_id,
                actor_label=actor_label,
                action=action,
                target_type=target._meta.label_lower,
                target_id=str(target.pk),
                target_label=str(target)[:255],
                changes=changed,
                ip_address=ip_address,
            )
            for target in targets
        ]
    )


def audit_record_targets(
    *,
    actor: Actor,
    action: str,
    target_type: str,
    targets: Sequence[tuple[Any, str]],
    changes: dict[str, Any] | None = None,
) -> None:
    """One event per ``(primary key, label)`` in ``targets``, as :func:`audit_record_many`
    would add for those rows of ``target_type`` (``app_label.model``), without loading them.

    For services that insert many rows without model instances (response imports); one
    ``executemany`` in the caller's transaction.
    """
    fixed = (
        *_who(actor),
        action,
        target_type,
        db_value(AuditEvent, "changes", _jsonable(changes or {})),
        client_ip.get(),
    )
    insert_rows(
        AuditEvent,
        [
            *("actor", "actor_label", "action", "target_type", "changes", "ip_address"),
            *("target_id", "target_label"),
        ],
        [(*fixed, str(pk), label[:255]) for pk, label in targets],
    )


def audit_target_values(
    *, actor: Actor, action: str, target_type: str, changes: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The columns of the event :func:`audit_record_targets` adds for one target, all but
    ``target_id`` and ``target_label``, by column name and in the database's form: for a
    statement that inserts the event together with its target, whose id it does not know yet.
    """
    actor_id, actor_label = _who(actor)
    at = AuditEvent._meta.get_field("at")
    return {
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "target_type": target_type,
        "changes": db_value(AuditEvent, "changes", _jsonable(changes or {})),
        "ip_address": client_ip.get(),
        "at": at.get_db_prep_save(timezone.now(), connection),
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)

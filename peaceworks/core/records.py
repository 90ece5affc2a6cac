"""The one way a service changes a record: a partial mapping of changes checked against an
allow-list, validated with ``full_clean()``, then saved.

Creating is the same path on a new, unsaved instance. Every ``<entity>_create`` and
``<entity>_update`` service of the apps goes through :func:`apply_changes` (or, when it must
act between setting and saving, :func:`assign_changes` then :func:`save_validated`), so a
field refused here is refused by pages, the API, imports and commands alike.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from peaceworks.core.errors import DomainError


def domain_error(error: ValidationError) -> DomainError:
    """Django's ValidationError as a DomainError naming its first field (None for the whole
    record), so pages show it next to the field and the API names it."""
    if hasattr(error, "error_dict"):
        name, errors = next(iter(error.error_dict.items()))
        return DomainError(
            " ".join(str(message) for item in errors for message in item.messages),
            field=None if name == "__all__" else name,
        )
    return DomainError(" ".join(error.messages))


def validate(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """``full_clean()`` raising :class:`DomainError` instead of Django's ValidationError."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise domain_error(error) from None


def stored_values(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The values of the fields ``names`` (foreign keys as their ids, so without a query):
    a form's initial values, or the "before" of an audited change."""
    values = {}
    for name in names:
        field = instance._meta.get_field(name)
        column = field.attname if isinstance(field, models.Field) else name
        values[name] = getattr(instance, column)
    return values


def assign_changes(
    instance: models.Model, changes: Mapping[str, Any], *, allowed: Collection[str]
) -> list[str]:
    """Set the fields of ``changes`` that differ from the stored values; returns their names.

    Raises DomainError naming the first field that is not in ``allowed`` (a change the
    caller may not make is refused, never silently dropped). On a new instance every given
    field counts as changed.
    """
    refused = [name for name in changes if name not in allowed]
    if refused:
        raise DomainError(_("This field cannot be changed here."), field=refused[0])
    creating = instance._state.adding
    changed = []
    for name, value in changes.items():
        if creating or getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def save_validated(instance: models.Model, *, changed: Collection[str]) -> None:
    """Validate, then save: every field of a new instance, only ``changed`` (and
    ``updated_at`` when the model has it) of a stored one; nothing when nothing changed."""
    validate(instance)
    if instance._state.adding:
        instance.save()
    elif changed:
        stamped = any(field.name == "updated_at" for field in instance._meta.concrete_fields)
        instance.save(update_fields=[*changed, *(["updated_at"] if stamped else [])])


def apply_changes(
    instance: models.Model, changes: Mapping[str, Any], *, allowed: Collection[str]
) -> list[str]:
    """:func:`assign_changes` then :func:`save_validated`; returns the changed field names."""
    changed = assign_changes(instance, changes, allowed=allowed)
    save_validated(instance, changed=changed)
    return changed

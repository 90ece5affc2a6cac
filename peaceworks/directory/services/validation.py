"""Validation and saving shared by the directory's services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from peaceworks.core.errors import DomainError


def save_validated(instance: models.Model, *, creating: bool, changed: list[str]) -> None:
    """Validate then save (all fields when creating, only the changed ones otherwise)."""
    try:
        instance.full_clean()
    except ValidationError as error:
        raise domain_error(error) from None
    if creating:
        instance.save()
    elif changed:
        instance.save(update_fields=[*changed, "updated_at"])


def domain_error(error: ValidationError) -> DomainError:
    if hasattr(error, "error_dict"):
        name, errors = next(iter(error.error_dict.items()))
        return DomainError(
            " ".join(str(message) for item in errors for message in item.messages),
            field=None if name == "__all__" else name,
        )
    return DomainError(" ".join(error.messages))


def apply_values(
    instance: models.Model, values: dict[str, Any], allowed: Iterable[str]
) -> list[str]:
    """Set the allowed fields that differ; returns the names of those that changed."""
    changed = []
    for name in allowed:
        if name in values and getattr(instance, name) != values[name]:
            setattr(instance, name, values[name])
            changed.append(name)
    return changed

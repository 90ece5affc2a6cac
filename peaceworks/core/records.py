"""The one way a service changes a record: a partial mapping of changes checked against an
allow-list, validated with ``full_clean()``, then saved.

Creating is the same path on a new, unsaved instance. Every ``<entity>_create`` and
``<entity>_update`` service of the apps goes through :func:`apply_changes` (or, when it must
act between setting and saving, :func:`assign_changes` then :func:`save_validated`; or, audited
with the values before and after, :func:`audited_write`), so a field refused here is refused by
pages, the API, imports and commands alike.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router
from django.utils.translation import gettext as _

from peaceworks.core.access import Actor
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError

_M = TypeVar("_M", bound=models.Model)


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


def validate(
    instance: models.Model, *, exclude: Iterable[str] = (), checked: Collection[str] = ()
) -> None:
    """``full_clean()`` raising :class:`DomainError` instead of Django's ValidationError.

    The same checks in the same order (fields, ``clean()``, uniqueness, constraints, a field
    that failed left out of the checks after it), except one query per foreign key set from a
    record read from the database: ``full_clean()`` asks the database whether that record
    exists, which reading it showed (and the database's own foreign key still guards the
    commit). A key given as an id, or as a record not read from the database, is still looked
    up. ``checked`` names constraints the caller has just checked itself (with its own message
    naming the field): they are not asked of the database a second time.
    """
    skipped = set(exclude)
    errors: dict[str, Any] = {}
    try:
        instance.clean_fields(exclude=skipped | _read_relations(instance))
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    for check in (instance.validate_unique, _constraints_validator(instance, checked)):
        skipped.update(name for name in errors if name != NON_FIELD_ERRORS)
        try:
            check(exclude=skipped)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise domain_error(ValidationError(errors))


def _constraints_validator(instance: models.Model, checked: Collection[str]) -> Callable[..., None]:
    """``instance.validate_constraints``, leaving out the constraints named in ``checked``
    (Django's loop, errors keyed the same way)."""
    if not checked:
        return instance.validate_constraints

    def validate_constraints(exclude: set[str]) -> None:
        using = router.db_for_write(type(instance), instance=instance)
        errors: dict[str, Any] = {}
        for model_class, constraints in instance.get_constraints():
            for constraint in constraints:
                if constraint.name in checked:
                    continue
                check: Any = constraint  # every constraint validates (the stubs say otherwise)
                try:
                    check.validate(model_class, instance, exclude=exclude, using=using)
                except ValidationError as error:
                    fields: Sequence[str] = getattr(constraint, "fields", ())
                    if getattr(error, "code", None) == "unique" and len(fields) == 1:
                        errors.setdefault(fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    return validate_constraints


def _read_relations(instance: models.Model) -> set[str]:
    """The foreign keys of ``instance`` whose value is the key of the related record it holds,
    that record read from the database (not a new one, not a stale id beside it); keys with
    ``limit_choices_to`` are not among them (their query checks more than existence)."""
    names = set()
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey) or not field.is_cached(instance):
            continue
        related = field.get_cached_value(instance)
        if (
            related is None
            or related._state.adding
            or related._state.db is None
            or field.get_limit_choices_to()
            or field.remote_field.parent_link
        ):
            continue
        value = getattr(instance, field.attname)
        if value is not None and value == getattr(related, field.target_field.attname):
            names.add(field.name)
    return names


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


def save_validated(
    instance: models.Model, *, changed: Collection[str], checked: Collection[str] = ()
) -> None:
    """Validate (``checked``: as :func:`validate`), then save: every field of a new instance,
    only ``changed`` (and ``updated_at`` when the model has it) of a stored one; nothing when
    nothing changed."""
    validate(instance, checked=checked)
    save_changed(instance, changed=changed)


def save_changed(instance: models.Model, *, changed: Collection[str]) -> None:
    """:func:`save_validated` without validating, for a caller that has just validated the
    instance itself (and changed nothing since)."""
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


def audited_write(
    instance: _M,
    changes: Mapping[str, Any],
    *,
    actor: Actor,
    action: str,
    allowed: Collection[str],
    check: Callable[[_M], None] | None = None,
    checked: Collection[str] = (),
) -> list[str]:
    """:func:`assign_changes`, the record's own rules (``check``: raises DomainError naming
    the field, may derive a field; ``checked``: the constraints it checks, not asked again),
    :func:`save_validated`, then the audit event: ``action`` without changes for a new record,
    with each changed field's value before and after for a stored one. Returns the changed
    field names (derived ones included)."""
    creating = instance._state.adding
    before = stored_values(instance, allowed)
    assign_changes(instance, changes, allowed=allowed)
    if check is not None:
        check(instance)
    after = stored_values(instance, allowed)
    changed = [name for name in allowed if after[name] != before[name]]
    save_validated(instance, changed=changed, checked=checked if check is not None else ())
    audit_record(
        actor=actor,
        action=action,
        target=instance,
        changes=None if creating else {name: [before[name], after[name]] for name in changed},
    )
    return changed

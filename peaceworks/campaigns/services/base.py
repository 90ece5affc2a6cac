"""What every campaigns service shares: validation into DomainErrors, the staff check."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from peaceworks.accounts.access import viewer_for
from peaceworks.core.errors import DomainError, Forbidden


def validate(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """``full_clean`` that turns Django's ValidationError into a DomainError naming a field."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            name, problems = next(iter(error.error_dict.items()))
            message = " ".join(str(message) for problem in problems for message in problem)
            raise DomainError(message, field=None if name == "__all__" else name) from None
        raise DomainError(" ".join(error.messages)) from None


def require_staff(actor: Any) -> None:
    viewer = viewer_for(actor)
    if not viewer.is_network_staff:
        raise Forbidden

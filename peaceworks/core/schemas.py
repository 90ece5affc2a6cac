"""Base schemas and bounded types for the API.

Every number and every text the API reads is bounded here, once, so no input can reach the
database as a value it cannot store (an integer past 64 bits, a NUL byte PostgreSQL refuses)
and come back as a 500:

- ``Id`` fits a ``BigAutoField`` (1 … 2**63 - 1); ``Count`` and ``Offset`` fit an integer column
  (0 … 2**31 - 1); ``PageNumber`` starts at 1.
- ``Line`` (one line, 300 characters unless a field says less) and ``Text`` (free text, 10,000
  characters) refuse NUL bytes and the bidirectional override and isolate controls
  (U+202A to U+202E, U+2066 to U+2069), which let a title read differently from what is stored.
- ``InSchema`` and ``PatchSchema`` apply the same refusal to every string inside a field,
  however nested (answers, translated names), and cap every string at ``TEXT_MAX_LENGTH``, so a
  field typed plain ``str`` is still bounded.

Every API model is built when first used, not when its class is defined (see
``_build_models_on_first_use``).
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from ninja.params.models import ParamModel
from pydantic import AfterValidator, ConfigDict, Field, field_validator

from peaceworks.core.text import (
    control_character_message,
    forbidden_character,
    refuse_control_characters,
)


def _build_models_on_first_use() -> None:
    """Pydantic's ``defer_build`` for every ninja ``Schema`` and for the parameter and answer
    models ninja makes for each operation: a model's validator is built the first time it
    validates or its JSON schema is asked for, not at import. Importing the URLconf (the API's
    ~150 operations, ~600 models) took ~0.48 s of CPU in every process that served a request,
    now ~0.35 s; a process builds only the models of the operations it serves. Building all
    of them, or the OpenAPI document, costs what it did: a schema referenced by an operation is
    built inside that operation's model rather than on its own, and the list answers ninja
    replaces with their paged form are never built. The validators and the OpenAPI document
    are the same; pydantic makes the first build thread-safe.

    A subclass copies its bases' ``model_config`` when it is defined, so this runs before any
    schema of the project is: every schemas module imports this one first."""
    Schema.model_config["defer_build"] = True
    ParamModel.model_config["defer_build"] = True
    pending = ParamModel.__subclasses__()  # QueryModel, PathModel, BodyModel, …
    while pending:
        model = pending.pop()
        model.model_config["defer_build"] = True
        pending += model.__subclasses__()


_build_models_on_first_use()

ID_MAX = 2**63 - 1
INTEGER_MAX = 2**31 - 1
LINE_MAX_LENGTH = 300
TEXT_MAX_LENGTH = 10_000


def _refuse_nested(value: Any, path: str = "") -> None:
    """Refuse a control character anywhere in ``value``; the message names where inside the
    field it is (``t4_conflict``, ``fr``, ``[2]``), so a nested answer is found."""
    if isinstance(value, str):
        character = forbidden_character(value)
        if character is not None:
            raise ValueError(
                f"{path}: {control_character_message(character)}"
                if path
                else control_character_message(character)
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nested(key, path)
            _refuse_nested(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            _refuse_nested(item, f"{path}[{index}]")


Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Count = Annotated[int, Field(ge=0, le=INTEGER_MAX)]
Offset = Annotated[int, Field(ge=0, le=INTEGER_MAX)]
PageNumber = Annotated[int, Field(ge=1, le=INTEGER_MAX)]
Line = Annotated[str, Field(max_length=LINE_MAX_LENGTH), AfterValidator(refuse_control_characters)]
Text = Annotated[str, Field(max_length=TEXT_MAX_LENGTH), AfterValidator(refuse_control_characters)]


class _ControlFree(Schema):
    """Every string in every field, however nested, is free of NUL and bidi controls; choices
    (Django ``TextChoices``) are handed on as their plain values."""

    model_config = ConfigDict(use_enum_values=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        _refuse_nested(value)
        return value


class InSchema(_ControlFree):
    """Creation: unknown fields are refused; every string is bounded and free of controls."""

    model_config = ConfigDict(extra="forbid", str_max_length=TEXT_MAX_LENGTH)


class PatchSchema(_ControlFree):
    """Partial updates: only the fields sent are changed; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", str_max_length=TEXT_MAX_LENGTH)


class FilterSchema(_ControlFree):
    """Query filters: every string is bounded and free of controls."""

    model_config = ConfigDict(str_max_length=LINE_MAX_LENGTH)


# The default of a PATCH field that may be left out but not cleared: pydantic does not validate
# defaults, so a field not sent stays None (and unset), while an explicit ``null`` fails the
# field's type with 422 instead of reaching a NOT NULL column.
OMITTED: Any = None

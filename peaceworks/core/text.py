"""The one rule for plain text anywhere in the product (API fields, forms, survey answers):
no NUL byte and no bidirectional embedding, override or isolate control."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _

# NUL and the bidirectional embeddings, overrides and isolates: text that reads differently
# from what is stored (Trojan Source, CVE-2021-42574) or that PostgreSQL refuses.
FORBIDDEN_CHARACTERS = frozenset(
    "\x00"
    + "".join(chr(code) for code in range(0x202A, 0x202F))
    + "".join(chr(code) for code in range(0x2066, 0x206A))
)


def forbidden_character(value: str) -> str | None:
    """The first NUL or bidirectional control character in ``value``, or ``None``."""
    for character in value:
        if character in FORBIDDEN_CHARACTERS:
            return character
    return None


def control_character_message(character: str) -> str:
    return _("Text may not contain the control character U+%(code)04X.") % {"code": ord(character)}


def refuse_control_characters(value: str) -> str:
    """Pydantic validator: ``value`` unchanged, or a ValueError naming the character."""
    character = forbidden_character(value)
    if character is not None:
        raise ValueError(control_character_message(character))
    return value


def validate_plain_text(value: str) -> None:
    """Django validator for forms and services (e.g. free-text survey answers): raises
    ``ValidationError`` when ``value`` holds NUL or a bidirectional control character."""
    character = forbidden_character(value)
    if character is not None:
        raise DjangoValidationError(control_character_message(character), code="control_character")


__all__ = [
    "FORBIDDEN_CHARACTERS",
    "control_character_message",
    "forbidden_character",
    "refuse_control_characters",
    "validate_plain_text",
]

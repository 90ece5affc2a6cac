"""Languages by their names in the reader's language, from Babel's CLDR data; the stored
value stays the code (``fr``, ``sw``)."""

from __future__ import annotations

import unicodedata
from functools import cache

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

#: the longest code a record stores (``Activity.language``)
MAX_CODE_LENGTH = 8


def reader_language() -> str:
    """The active language's base code (``fr`` for ``fr-ca``)."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _sort_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


@cache
def _names(language: str) -> dict[str, str]:
    """Base language codes (no region or script variant) and their names in ``language``,
    capitalised as a list item."""
    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    return {
        code: name[:1].upper() + name[1:]
        for code, name in locale.languages.items()
        if "_" not in code and len(code) <= MAX_CODE_LENGTH
    }


def language_name(code: str) -> str:
    """The language's name in the active language, or the code when it is unknown."""
    return _names(reader_language()).get(code, code)


def language_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices: the product's languages (``settings.LANGUAGES``, in their order),
    then every other language sorted by its name, all named in the active language."""
    names = _names(reader_language())
    product = [code for code, _name in settings.LANGUAGES]
    others = sorted(
        ((code, name) for code, name in names.items() if code not in product),
        key=lambda item: _sort_key(item[1]),
    )
    return [
        (_("Languages of Peaceworks"), [(code, names.get(code, code)) for code in product]),
        (_("Other languages"), others),
    ]

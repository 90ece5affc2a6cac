"""Matching codes: what the respondent remembers, turned into a keyed hash we can store.

A code is built from letters in any script (see :func:`code_letters`): two letters of a
parent's first name, the day of birth, two letters of the birthplace. The same person typing
in another case, with or without accents, or in another Unicode normal form gets the same
code; nothing is transliterated, so names in different scripts never meet.

**Promised collision rate.** Two *different* people of one activity, each with a realistic
parent's name, birthplace and day written in one script, share a code with probability at
most :data:`PROMISED_COLLISION_RATE` (0.5 %, one pair in 200) in every script measured
(Latin, Cyrillic, Greek, Arabic, Devanagari, CJK), even when everyone was born in the same
town. ``peaceworks/impact/tests/test_pseudonyms.py`` measures it exactly over lists of common
names and towns of each script and fails above it; the rates it measured (at most 0.05 %)
are in ``docs/security.md``. Two letters and a day cannot do better for the commonest names:
the code is a pairing aid, not an identity.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _

from peaceworks.core.errors import DomainError

#: the share of pairs of different people (same script, same activity) allowed to share a code
PROMISED_COLLISION_RATE = 0.005
#: letters taken from the parent's name and from the birthplace
LETTERS_PER_PART = 2
#: the shortest normalised code a submission may carry (letters and digits)
MIN_CODE_LENGTH = 4

#: scripts whose letters have case and accents: accents are stripped ("José" = "Jose")
_CASED_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")
#: Latin letters without a canonical decomposition, folded as a foreign keyboard types them
_LATIN_FOLDS = {
    "ø": "o",
    "æ": "ae",
    "œ": "oe",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "\u0131": "i",  # dotless i
    "ħ": "h",
    "ŧ": "t",
}


#: scripts whose combining marks are optional vowel pointing, typed by some and not others
_POINTED_SCRIPTS = ("ARABIC", "HEBREW", "SYRIAC")


def _script(ch: str) -> str:
    return unicodedata.name(ch, "").split(" ", 1)[0]


def _units(code: str) -> list[str]:
    """The letters and digits of ``code`` in their code form, one unit per letter or digit.

    A unit is an ASCII digit, a letter of a cased script (upper case, accents stripped), or a
    letter of another script with the vowel signs written on it.
    """
    units: list[str] = []
    for ch in unicodedata.normalize("NFKC", code):
        if ch.isascii():
            if ch.isalnum():
                units.append(ch.upper())
        elif ch.isdigit():
            decimal = unicodedata.decimal(ch, None)
            if decimal is not None:
                units.append(str(decimal))  # Arabic-Indic seven → "7"
        elif ch.isalpha():
            if _script(ch) in _CASED_SCRIPTS:
                units.extend(
                    _LATIN_FOLDS.get(part, part).upper()
                    for part in unicodedata.normalize("NFD", ch.casefold())
                    if part.isalpha()  # the accents (combining marks) are dropped
                )
            elif not unicodedata.name(ch, "").startswith("MODIFIER LETTER"):
                units.append(ch)  # Arabic, Devanagari, CJK, Hangul …: no case to fold
            # modifier letters (U+02BC, U+02C8, U+02BB) are apostrophes and stress marks,
            # not letters of a name
        elif (
            unicodedata.category(ch) in ("Mn", "Mc")
            and units
            and not units[-1][-1].isascii()
            and _script(units[-1][0]) not in _CASED_SCRIPTS + _POINTED_SCRIPTS
        ):
            # a Devanagari vowel sign (matra), virama or anusvara belongs to its letter:
            # "सी" and "सु" are different letters to the person who types them
            units[-1] += ch
    return units


def normalise_code(code: str) -> str:
    """Letters in any script and digits, NFKC-normalised, case-folded, accents stripped.

    Latin, Greek and Cyrillic letters lose their accents and become upper case ("Jé-07" →
    "JE07", "Ωμέγα" → "ΩΜΕΓΑ"); letters of scripts without case are kept as typed: Devanagari
    (and other Brahmic) letters with their vowel signs, which are part of how the name is
    spelt, Arabic and Hebrew letters without their optional vowel points (harakat, niqqud),
    which some people type and most do not; CJK and Hangul as typed. Digits of any script
    become ASCII digits; everything else is dropped. For text of ASCII and accented Latin
    letters the result is what the earlier, Latin-only rule gave, so the codes of respondents
    stored before keep matching. Idempotent.
    """
    if code.isascii() and code.isalnum():
        return code.upper()  # the usual code: nothing to decompose or drop
    return "".join(_units(code))


def code_letters(text: str) -> list[str]:
    """The letters of ``text`` a code takes from, in code form (digits left out)."""
    return [unit for unit in _units(text) if not unit.isdigit()]


def build_code(*, parent_letters: str, birth_day: str, place_letters: str) -> str:
    """The matching code from three remembered facts (two letters, a day, two letters)."""
    day = "".join(ch for ch in normalise_code(birth_day) if ch.isdigit()).zfill(2)
    return (
        "".join(code_letters(parent_letters)[:LETTERS_PER_PART])
        + day[-2:]
        + "".join(code_letters(place_letters)[:LETTERS_PER_PART])
    )


def code_part_problem(text: str) -> str:
    """Why a remembered name or place cannot make a code, or "" when it can."""
    if len(code_letters(text)) < LETTERS_PER_PART:
        return _("Give at least two letters.")
    return ""


def check_code(code: str) -> None:
    """Raise DomainError (field ``matching_code``) unless ``code`` can identify a respondent.

    The one check of a code: the code step of the survey and every submission path run it.
    """
    if len(normalise_code(code)) < MIN_CODE_LENGTH:
        raise DomainError(
            _("Build your personal code from the three facts asked."), field="matching_code"
        )


def code_hash(*, activity_id: int, code: str) -> str:
    """HMAC-SHA256 of the activity id and the normalised code, keyed with PSEUDONYM_KEY."""
    message = f"{activity_id}:{normalise_code(code)}".encode()
    key = str(settings.PSEUDONYM_KEY).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def code_hasher(*, activity_id: int) -> Callable[[str], str]:
    """:func:`code_hash` for many codes of one activity (the key is prepared once)."""
    hashed = normalised_code_hasher(activity_id=activity_id)
    return lambda code: hashed(normalise_code(code))


def normalised_code_hasher(*, activity_id: int) -> Callable[[str], str]:
    """:func:`code_hash` for many codes of one activity that :func:`normalise_code` has
    normalised already (an import normalises each code once, for its length check too).

    The HMAC is computed as RFC 2104 defines it, from two SHA-256 states keyed once: per
    code, two state copies and two C calls, where ``hmac.HMAC.copy`` builds a Python object
    and ``hmac.digest`` prepares the key again (each about twice the time). The digest is the
    one :func:`code_hash` gives (``test_pseudonyms`` compares them)."""
    key = str(settings.PSEUDONYM_KEY).encode()
    if len(key) > _SHA256_BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_SHA256_BLOCK, b"\0")
    inner = hashlib.sha256(key.translate(_IPAD))
    outer = hashlib.sha256(key.translate(_OPAD))
    prefix = f"{activity_id}:"

    def hashed(normalised: str) -> str:
        message = inner.copy()
        message.update(f"{prefix}{normalised}".encode())
        mac = outer.copy()
        mac.update(message.digest())
        return mac.hexdigest()

    return hashed


_SHA256_BLOCK = hashlib.sha256().block_size
_IPAD = bytes(byte ^ 0x36 for byte in range(256))
_OPAD = bytes(byte ^ 0x5C for byte in range(256))

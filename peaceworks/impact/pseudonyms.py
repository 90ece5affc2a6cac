"""Matching codes: what the respondent remembers, turned into a keyed hash we can store."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Callable

from django.conf import settings


def normalise_code(code: str) -> str:
    """Upper case, accents and anything but letters and digits removed ("Jé-07" → "JE07")."""
    if code.isascii() and code.isalnum():
        return code.upper()  # the usual code: nothing to decompose or drop
    decomposed = unicodedata.normalize("NFKD", code)
    return "".join(ch for ch in decomposed if ch.isalnum() and ch.isascii()).upper()


def build_code(*, parent_letters: str, birth_day: str, place_letters: str) -> str:
    """The matching code from three remembered facts (two letters, a day, two letters)."""
    day = "".join(ch for ch in birth_day if ch.isdigit()).zfill(2)
    return normalise_code(parent_letters)[:2] + day[-2:] + normalise_code(place_letters)[:2]


def code_hash(*, activity_id: int, code: str) -> str:
    """HMAC-SHA256 of the activity id and the normalised code, keyed with PSEUDONYM_KEY."""
    message = f"{activity_id}:{normalise_code(code)}".encode()
    key = str(settings.PSEUDONYM_KEY).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def code_hasher(*, activity_id: int) -> Callable[[str], str]:
    """:func:`code_hash` for many codes of one activity (the key is prepared once)."""
    keyed = hmac.new(str(settings.PSEUDONYM_KEY).encode(), digestmod=hashlib.sha256)
    prefix = f"{activity_id}:"

    def hashed(code: str) -> str:
        mac = keyed.copy()
        mac.update(f"{prefix}{normalise_code(code)}".encode())
        return mac.hexdigest()

    return hashed

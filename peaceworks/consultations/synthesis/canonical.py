"""Canonical JSON for synthesis results: sorted keys, floats rounded to a fixed number of
decimals, no NaN (``None`` instead), compact separators, UTF-8 — so equal results are equal
bytes and a stored synthesis can be compared with a re-run byte for byte."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from typing import Any

#: decimals kept for every float in a canonical document
DECIMALS = 6


def plain(value: Any) -> Any:
    """``value`` as JSON-ready Python: dataclasses and mappings as dicts, tuples and lists as
    lists, floats rounded to ``DECIMALS`` (NaN and infinities as ``None``; ``-0.0`` as ``0.0``)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, frozenset, set)):
        items = [plain(item) for item in value]
        return sorted(items) if isinstance(value, (frozenset, set)) else items
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return round(value, DECIMALS) + 0.0
    number = getattr(value, "item", None)  # numpy scalars
    if callable(number):
        return plain(number())
    raise TypeError(f"not serialisable in a synthesis: {type(value).__name__}")


def dumps(value: Any) -> bytes:
    """The canonical bytes of ``value`` (see the module docstring)."""
    text = json.dumps(
        plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")

"""Base schemas for the API: input schemas refuse fields they do not know."""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict


class InSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class PatchSchema(Schema):
    """Partial updates: only the fields sent are changed; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")

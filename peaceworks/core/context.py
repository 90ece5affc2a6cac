"""Per-request facts (client address) that services need for the audit log.

Set by :class:`peaceworks.core.middleware.RequestContextMiddleware`; empty in tasks and
management commands, where the audit log records no address.
"""

from __future__ import annotations

from contextvars import ContextVar

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)

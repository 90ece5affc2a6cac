"""Who acts: the type every service, access function and core mechanism takes as ``actor``.

The rules that turn an actor into permissions are the accounts app's
(``peaceworks.accounts.access``, which re-exports these names); core only needs to name the
actor, to record it (``core.audit``) and to hand it to an importer (``core.uploads``).
"""

from __future__ import annotations

from typing import Any, Protocol, TypeAlias


class UserLike(Protocol):
    """What the access rules read of a person: Django's authenticated user or its
    ``AnonymousUser`` (``request.user`` is either)."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...


Actor: TypeAlias = UserLike | None
"""Who does or asks something: a user, an anonymous visitor, or ``None`` for the system
(tasks and commands acting on no one's behalf). Every service and access function takes one."""

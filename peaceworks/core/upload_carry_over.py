"""Carrying an app's own pending uploads over to ``core.PendingUpload`` (data migrations).

Used by the migrations that retired ``DirectoryImport``, ``ActivityUpload`` and ``ImportJob``;
it reads only the historical models it is given, so later model changes do not affect it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from django.utils import timezone

#: a carried-over upload may still be confirmed for this long after the upgrade
CARRIED_LIFETIME = timedelta(hours=24)


def carry_over(
    apps: Any,
    *,
    model: str,
    waiting: Mapping[str, Any],
    uploader: str,
    importer: Callable[[Any], str],
    target: Callable[[Any], dict[str, Any]],
) -> int:
    """Copy each row of ``model`` ("app.Model") matching ``waiting`` to a pending upload (its
    preview is computed on first view); returns how many were carried."""
    old = apps.get_model(*model.split("."))
    pending = apps.get_model("core", "PendingUpload")
    expires_at = timezone.now() + CARRIED_LIFETIME
    count = 0
    for row in old.objects.filter(**waiting):
        data = bytes(row.data)
        pending.objects.create(
            importer=importer(row),
            target=target(row),
            uploaded_by_id=getattr(row, f"{uploader}_id"),
            filename=row.filename,
            data=data,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            state="pending",
            expires_at=expires_at,
        )
        count += 1
    return count

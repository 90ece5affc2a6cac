"""Impact imports staged through the one upload mechanism, as the tests write them."""

from __future__ import annotations

import contextlib
from typing import Any

from peaceworks.core.models import PendingUpload
from peaceworks.core.uploads import ImportRefused, upload_confirm, upload_store
from peaceworks.impact.models import Instrument, Round


def import_preview(
    *,
    actor: Any,
    kind: str,
    filename: str,
    data: bytes,
    survey_round: Round | None = None,
    instrument: Instrument | None = None,
) -> PendingUpload:
    """Store and check a file of ``kind`` (responses, kobo, xlsform) for a round or instrument;
    its preview is ``upload.preview`` (``errors``, ``counts``)."""
    target = (
        {"round": survey_round.pk} if survey_round else {"instrument": getattr(instrument, "pk", 0)}
    )
    return upload_store(
        actor=actor, importer=f"impact.{kind}", filename=filename, data=data, target=target
    )


def import_confirm(*, actor: Any, job: PendingUpload) -> PendingUpload:
    """Confirm ``job``; a refused import leaves it ``failed`` with its errors as the outcome."""
    with contextlib.suppress(ImportRefused):
        upload_confirm(actor=actor, upload=job)
    job.refresh_from_db()
    return job

"""Steps of the RQ tests, each run in its own process like a real web or worker process:
``python -m tests.tasks.driver STEP [ARGS]`` with ``TASK_BACKEND=rq`` and the test's
``DATABASE_URL``/``REDIS_URL``. Prints one JSON line."""

from __future__ import annotations

import json
import sys
import time

import django


def main(step: str, *args: str) -> object:
    django.setup()
    from django.db import transaction

    from peaceworks.accounts.models import Invitation, Role
    from peaceworks.accounts.services import invitation_create, membership_grant, user_create
    from peaceworks.accounts.tasks import invitation_send
    from peaceworks.core.models import AuditEvent
    from peaceworks.directory.models import Organisation
    from tests.tasks.jobs import record_once

    if step == "invite":
        with transaction.atomic():
            organisation = Organisation.objects.create(name="Org", code="org", country="FR")
            actor = user_create(email="coordinator@example.org", password=None)
            membership_grant(user=actor, organisation=organisation, role=Role.ORG_COORDINATOR)
            invitation, _token = invitation_create(
                actor=actor, organisation=organisation, email="new@example.org", role="org_member"
            )
        return {"invitation_id": invitation.pk}
    if step == "send-again":
        result = invitation_send.enqueue(int(args[0]))
        return {"task_id": result.id}
    if step == "record":
        result = record_once.enqueue(*args)
        return {"task_id": result.id}
    if step == "state":
        return {
            "sent": [
                str(value)
                for value in Invitation.objects.values_list("sent_at", flat=True)
                if value is not None
            ],
            "send_events": AuditEvent.objects.filter(action="invitation.send").count(),
            "effects": list(
                AuditEvent.objects.filter(action="test.effect").values_list("target_id", flat=True)
            ),
        }
    if step == "recover":
        return recover_abandoned()
    raise SystemExit(f"unknown step {step}")


def recover_abandoned() -> object:
    """What an operator (or a periodic job) does after a worker died: jobs the dead worker
    had started are declared abandoned and put back on the queue."""
    import django_rq
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    queue = django_rq.get_queue("default")
    StartedJobRegistry(queue=queue).cleanup(timestamp=time.time() + 10**6)
    failed = FailedJobRegistry(queue=queue)
    requeued = []
    for job_id in failed.get_job_ids():
        failed.requeue(job_id)
        requeued.append(job_id)
    return {"requeued": requeued}


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))  # noqa: T201  # the test reads this line

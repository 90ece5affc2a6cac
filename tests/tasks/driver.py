"""Steps of the RQ tests, each run in its own process like a real web or worker process:
``python -m tests.tasks.driver STEP [ARGS]`` with ``TASK_BACKEND=rq`` and the test's
``DATABASE_URL``/``REDIS_URL``. Prints one JSON line."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable

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
    if step in MEETING_STEPS:
        return MEETING_STEPS[step](*args)
    if step == "recover":
        return recover_abandoned()
    raise SystemExit(f"unknown step {step}")


def meeting_items() -> object:
    """A meeting with three open action items due on 2026-05-10 (network staff)."""
    from datetime import date

    from peaceworks.accounts.models import Role
    from peaceworks.accounts.services import membership_grant, user_create
    from peaceworks.directory.models import Organisation
    from peaceworks.meetings.services import action_item_create, meeting_create

    secretariat = Organisation.objects.create(
        name="Secretariat", code="secretariat", country="BE", is_secretariat=True
    )
    staff = user_create(email="staff@example.org", password=None)
    membership_grant(user=staff, organisation=secretariat, role=Role.NETWORK_COORDINATOR)
    meeting = meeting_create(
        actor=staff,
        values={
            "title": "Paris",
            "short_name": "Paris 2026",
            "meeting_type": "coordinators",
            "start_date": date(2026, 4, 13),
            "end_date": date(2026, 4, 17),
        },
    )
    for number in range(3):
        action_item_create(
            actor=staff,
            meeting=meeting,
            values={
                "title": f"Reminder item {number}",
                "owner_user": staff,
                "due_date": date(2026, 5, 10),
            },
        )
    return {"meeting_id": meeting.pk}


def reminders_enqueue(day: str) -> object:
    from peaceworks.meetings.tasks import meetings_reminders

    return {"task_id": meetings_reminders.enqueue(day).id}


def reminders_killed(day: str) -> object:
    """Run the reminders task in this process and kill it (no clean-up at all) right after
    the first e-mail is handed over, as SIGKILL would."""
    import os

    from django.core import mail

    from peaceworks.meetings.services import reminders as services
    from peaceworks.meetings.tasks import meetings_reminders

    def send_then_die(*args: object, **kwargs: object) -> int:
        sent = mail.send_mail(*args, **kwargs)  # type: ignore[arg-type]
        sys.stdout.flush()
        os._exit(137)
        return sent

    setattr(services, "send_mail", send_then_die)  # noqa: B010  # the module's own name for it
    return meetings_reminders.call(day)


def reminders_state() -> object:
    from peaceworks.meetings.models import ReminderSent

    return {
        "claimed": ReminderSent.objects.count(),
        "confirmed": ReminderSent.objects.filter(sent_at__isnull=False).count(),
    }


MEETING_STEPS: dict[str, Callable[..., object]] = {
    "meeting-items": meeting_items,
    "reminders-enqueue": reminders_enqueue,
    "reminders-killed": reminders_killed,
    "reminders-state": reminders_state,
}


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

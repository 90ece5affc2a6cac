"""Scheduling a task from a service.

Tasks call services, so a service cannot import its app's ``tasks`` module (imports point
downwards). It names the task instead; the task runs only if the transaction commits::

    enqueue_on_commit("peaceworks.accounts.tasks.invitation_send", invitation.pk)
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string


def enqueue_on_commit(task_path: str, *args: Any, **kwargs: Any) -> None:
    task = import_string(task_path)  # resolved now: a wrong name fails in the service's tests

    def enqueue() -> None:
        task.enqueue(*args, **kwargs)

    transaction.on_commit(enqueue)

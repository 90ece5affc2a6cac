"""The outside world of what is sent once, for the tests of ``core.once`` and of the apps
that use it: a mail server the worker dies in, a slow one, a fixed clock and runs started
together in threads of their own (each with its own database connection)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend
from django.db import connections

from peaceworks.core.once import Clock

#: set as ``settings.EMAIL_BACKEND`` to kill the worker as it hands a mail over
DYING = "peaceworks.core.tests.sending.DyingBackend"
#: set as ``settings.EMAIL_BACKEND`` to keep each hand-over in progress for a moment
SLOW = "peaceworks.core.tests.sending.SlowBackend"


class WorkerKilled(BaseException):
    """What SIGKILL looks like from inside: nothing after it runs, no ``except Exception``
    clean-up either."""


class DyingBackend(BaseEmailBackend):
    """The worker dies after its claim and before any mail is handed over."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise WorkerKilled


class SlowBackend(EmailBackend):
    """The test outbox, reached after a pause: a run started together with this one claims
    while this one is still sending."""

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        time.sleep(0.2)
        return super().send_messages(messages)


def at(moment: datetime) -> Clock:
    """A clock stopped at ``moment``."""
    return lambda: moment


def run_together(count: int, run: Callable[[], object]) -> list[BaseException]:
    """Start ``run`` in ``count`` threads at once (a barrier) and wait for them; returns what
    they raised."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            run()
        except BaseException as error:  # noqa: BLE001 -- every failure in a thread is reported
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors

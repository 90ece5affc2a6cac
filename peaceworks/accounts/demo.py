"""Demo sign-ins, one per role. The password is printed by ``make run``; the directory's demo
creates the accounts with their memberships (``directory.demo.seed_logins``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from peaceworks.accounts.models import Role

DEMO_PASSWORD = "peace-demo-2027"  # noqa: S105  # printed for the demo network only


class Coded(Protocol):
    """What the demo logins read of an organisation: its code."""

    @property
    def code(self) -> str: ...


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    organisation_code: str


def demo_logins(organisations: Sequence[Coded]) -> list[DemoLogin]:
    first, second = organisations[0].code, organisations[1].code
    return [
        DemoLogin("admin@peaceworks.test", Role.NETWORK_ADMIN, "secretariat"),
        DemoLogin("coordinator@peaceworks.test", Role.NETWORK_COORDINATOR, "secretariat"),
        DemoLogin("org.coordinator@peaceworks.test", Role.ORG_COORDINATOR, first),
        DemoLogin("org.member@peaceworks.test", Role.ORG_MEMBER, first),
        DemoLogin("analyst@peaceworks.test", Role.ANALYST, "secretariat"),
        DemoLogin("stakeholder@peaceworks.test", Role.STAKEHOLDER, "secretariat"),
        DemoLogin("other.coordinator@peaceworks.test", Role.ORG_COORDINATOR, second),
    ]

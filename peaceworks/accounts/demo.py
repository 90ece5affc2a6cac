"""Demo sign-ins, one per role. The password is printed by ``make run``."""

from __future__ import annotations

from dataclasses import dataclass

from peaceworks.accounts.models import Membership, Role, User
from peaceworks.directory.models import Organisation

DEMO_PASSWORD = "peace-demo-2027"  # noqa: S105  # printed for the demo network only


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    organisation_code: str


def demo_logins(organisations: list[Organisation]) -> list[DemoLogin]:
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


def seed(organisations: list[Organisation]) -> list[DemoLogin]:
    logins = demo_logins(organisations)
    for login in logins:
        user = User.objects.filter(email=login.email).first()
        if user is None:
            user = User.objects.create_user(
                email=login.email,
                password=DEMO_PASSWORD,
                full_name=login.email.split("@")[0].replace(".", " ").title(),
                is_staff=login.role == Role.NETWORK_ADMIN,
                is_superuser=login.role == Role.NETWORK_ADMIN,
            )
        Membership.objects.update_or_create(
            user=user,
            organisation=Organisation.objects.get(code=login.organisation_code),
            defaults={"role": login.role},
        )
    return logins

"""The demo network's organisations (fictional) and their people (the demo sign-ins of
``accounts.demo``), seeded deterministically and idempotently."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.text import slugify

from peaceworks.accounts.demo import DEMO_PASSWORD, DemoLogin, demo_logins
from peaceworks.accounts.models import Membership, Role, User
from peaceworks.directory.models import (
    Affiliation,
    AffiliationStatusChange,
    Engagement,
    FollowUp,
    Network,
    Organisation,
    Partnership,
    Stakeholder,
    StakeholderContact,
)

NETWORKS = [
    ("ccivs", "Coordinating Committee for International Voluntary Service", "CCIVS"),
    ("afvs", "Alliance of Voluntary Service Organisations", "AVSO"),
    ("nvda", "Network for Voluntary Development in Asia", "NVDA"),
]

# (country, city, region key) — 30 countries over five regions.
PLACES = [
    ("FR", "Paris", "europe"),
    ("DE", "Berlin", "europe"),
    ("ES", "Valencia", "europe"),
    ("IT", "Rome", "europe"),
    ("BE", "Brussels", "europe"),
    ("PL", "Warsaw", "europe"),
    ("RS", "Belgrade", "europe"),
    ("UA", "Kyiv", "europe"),
    ("GB", "Leeds", "europe"),
    ("KE", "Nairobi", "africa"),
    ("GH", "Accra", "africa"),
    ("TG", "Lomé", "africa"),
    ("MA", "Rabat", "africa"),
    ("UG", "Kampala", "africa"),
    ("ZA", "Cape Town", "africa"),
    ("TZ", "Arusha", "africa"),
    ("IN", "Bangalore", "asia"),
    ("NP", "Kathmandu", "asia"),
    ("ID", "Yogyakarta", "asia"),
    ("JP", "Tokyo", "asia"),
    ("KR", "Seoul", "asia"),
    ("VN", "Hanoi", "asia"),
    ("MX", "Oaxaca", "americas"),
    ("BR", "Recife", "americas"),
    ("CO", "Bogotá", "americas"),
    ("PE", "Cusco", "americas"),
    ("US", "Philadelphia", "americas"),
    ("PS", "Bethlehem", "middle_east"),
    ("JO", "Amman", "middle_east"),
    ("LB", "Beirut", "middle_east"),
]

_PREFIXES = [
    "Solidarity",
    "Bridges",
    "Open Hands",
    "Youth Action",
    "Peace Camps",
    "Common Ground",
    "Volunteers for",
    "Hand in Hand",
    "New Horizons",
    "Workcamps for",
]
_SUFFIXES = ["Service Civil", "Exchange", "Volunteers", "Association", "Initiative", "Link"]


@dataclass(frozen=True)
class DirectoryDemo:
    secretariat: Organisation
    organisations: list[Organisation]
    networks: list[Network]


def seed(rng: random.Random) -> DirectoryDemo:
    networks = [
        Network.objects.update_or_create(code=code, defaults={"name": name, "acronym": acronym})[0]
        for code, name, acronym in NETWORKS
    ]
    secretariat, _created = Organisation.objects.update_or_create(
        code="secretariat",
        defaults={
            "name": "Peaceworks Network Secretariat",
            "acronym": "SEC",
            "country": "FR",
            "city": "Paris",
            "is_secretariat": True,
        },
    )
    organisations = []
    for index in range(40):
        country, city, _region = PLACES[index % len(PLACES)]
        name = f"{_PREFIXES[index % len(_PREFIXES)]} {_SUFFIXES[index % len(_SUFFIXES)]} {city}"
        code = slugify(f"{country}-{index + 1:02d}")
        organisation, _created = Organisation.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "acronym": "".join(word[0] for word in name.split()[:3]).upper() + f"{index + 1}",
                "country": country,
                "city": city,
                "website": f"https://{code}.example.org",
                "is_sending": index % 3 != 2,
                "is_hosting": index % 4 != 3,
                "is_coordinating": index % 10 == 0,
            },
        )
        organisations.append(organisation)
        chosen = [networks[0]] + ([networks[1 + index % 2]] if rng.random() < 0.5 else [])
        for network in chosen:
            kind = rng.choice(
                [Affiliation.MembershipType.FULL] * 4 + [Affiliation.MembershipType.CANDIDATE]
            )
            joined = date(2005 + index % 18, 1 + index % 12, 1)
            affiliation, _created = Affiliation.objects.get_or_create(
                organisation=organisation,
                network=network,
                defaults={"membership_type": kind, "status_since": joined},
            )
            if not affiliation.history.exists():
                AffiliationStatusChange.objects.create(
                    affiliation=affiliation,
                    membership_type=affiliation.membership_type,
                    status=affiliation.status,
                    valid_from=joined,
                )
    _seed_stakeholders(secretariat, organisations)
    seed_logins(organisations)
    return DirectoryDemo(secretariat=secretariat, organisations=organisations, networks=networks)


def seed_logins(organisations: list[Organisation]) -> list[DemoLogin]:
    """The demo sign-ins, one per role, with their memberships."""
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


STAKEHOLDERS = [
    (
        "un-staff-college",
        "United Nations System Staff College (fictional contact)",
        "UNSSC",
        Stakeholder.Type.UN_AGENCY,
        "IT",
        "Turin",
        [("Amina Diallo", "Peace and security programme officer")],
    ),
    (
        "european-youth-foundation",
        "European Youth Foundation (fictional contact)",
        "EYF",
        Stakeholder.Type.FUNDER,
        "FR",
        "Strasbourg",
        [("Jonas Weber", "Grants officer"), ("Clara Ruiz", "Programme assistant")],
    ),
    (
        "city-of-valencia",
        "Municipality of Valencia, youth department (fictional contact)",
        "",
        Stakeholder.Type.PUBLIC_AUTHORITY,
        "ES",
        "Valencia",
        [("Marta Soler", "Head of youth participation")],
    ),
]


def _seed_stakeholders(secretariat: Organisation, organisations: list[Organisation]) -> None:
    stakeholders = {}
    for code, name, acronym, kind, country, city, contacts in STAKEHOLDERS:
        stakeholder, _created = Stakeholder.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "acronym": acronym,
                "stakeholder_type": kind,
                "country": country,
                "city": city,
                "website": f"https://{code}.example.org",
            },
        )
        stakeholders[code] = stakeholder
        for contact_name, position in contacts:
            StakeholderContact.objects.update_or_create(
                stakeholder=stakeholder,
                name=contact_name,
                defaults={
                    "position": position,
                    "email": contact_name.lower().replace(" ", ".") + "@example.org",
                },
            )
    funding, _created = Partnership.objects.update_or_create(
        code="ivs4peace-funding",
        defaults={
            "title": "#IVS4Peace operating grant",
            "purpose": Partnership.Purpose.FUNDER,
            "status": Partnership.Status.ACTIVE,
            "signed_on": date(2026, 2, 10),
            "start_date": date(2026, 3, 1),
            "end_date": date(2029, 2, 28),
            "description": "Three-year grant for the social-inclusion upscaling project.",
        },
    )
    funding.stakeholders.set([stakeholders["european-youth-foundation"]])
    funding.organisations.set([secretariat])
    hosting, _created = Partnership.objects.update_or_create(
        code="valencia-human-rights-week",
        defaults={
            "title": "Human Rights Week in Valencia",
            "purpose": Partnership.Purpose.CO_ORGANISER,
            "status": Partnership.Status.NEGOTIATING,
            "start_date": date(2026, 12, 4),
            "end_date": date(2026, 12, 10),
            "description": "The city co-organises local actions during Human Rights Week.",
        },
    )
    hosting.stakeholders.set([stakeholders["city-of-valencia"]])
    hosting.organisations.set(organisations[:3])


# (stakeholder code, partnership code or "", days before today, kind, title, follow-ups)
ENGAGEMENTS = [
    (
        "un-staff-college",
        "",
        40,
        Engagement.Kind.MEETING,
        "Meeting with the UN staff college during the coordinators' meeting in Paris",
        [("Send the campaign's theory of change to the college", 10)],
    ),
    (
        "european-youth-foundation",
        "ivs4peace-funding",
        25,
        Engagement.Kind.CALL,
        "Call on the first interim report of #IVS4Peace",
        [("Share the survey response rates per country", 14), ("Book the monitoring visit", 30)],
    ),
    (
        "city-of-valencia",
        "valencia-human-rights-week",
        8,
        Engagement.Kind.MEETING,
        "Planning meeting with the youth department",
        [("Confirm the venues for the awareness actions", 7)],
    ),
]


def seed_engagements(rng: random.Random) -> None:
    """The engagement history and follow-ups, owned by the demo coordinators.

    Runs after the demo sign-ins exist (they own the follow-ups); safe to run again.
    """
    owners = list(
        User.objects.filter(
            email__in=["coordinator@peaceworks.test", "admin@peaceworks.test"]
        ).order_by("email")
    )
    if not owners:
        return
    today = timezone.localdate()
    for stakeholder_code, partnership_code, days_ago, kind, title, follow_ups in ENGAGEMENTS:
        stakeholder = Stakeholder.objects.get(code=stakeholder_code)
        engagement, _created = Engagement.objects.update_or_create(
            stakeholder=stakeholder,
            title=title,
            defaults={
                "occurred_on": today - timedelta(days=days_ago),
                "kind": kind,
                "partnership": Partnership.objects.filter(code=partnership_code).first(),
                "people": "; ".join(
                    ["Network coordinator", *stakeholder.contacts.values_list("name", flat=True)]
                ),
                "summary": "We presented the campaign and its impact measurement.",
                "advice_received": "Report outcomes per theme, with the number of respondents.",
                "commitments": "The network shares its first results within a month.",
            },
        )
        for description, due_in in follow_ups:
            FollowUp.objects.get_or_create(
                engagement=engagement,
                description=description,
                defaults={
                    "owner": rng.choice(owners),
                    "due_date": today - timedelta(days=days_ago) + timedelta(days=due_in),
                },
            )

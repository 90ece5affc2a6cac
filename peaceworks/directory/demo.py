"""The demo network's organisations (fictional), seeded deterministically and idempotently."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.utils.text import slugify

from peaceworks.directory.models import Affiliation, Network, Organisation

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
            },
        )
        organisations.append(organisation)
        chosen = [networks[0]] + ([networks[1 + index % 2]] if rng.random() < 0.5 else [])
        for network in chosen:
            Affiliation.objects.get_or_create(
                organisation=organisation,
                network=network,
                defaults={
                    "membership_type": rng.choice(
                        [Affiliation.MembershipType.FULL] * 4
                        + [Affiliation.MembershipType.CANDIDATE]
                    )
                },
            )
    return DirectoryDemo(secretariat=secretariat, organisations=organisations, networks=networks)

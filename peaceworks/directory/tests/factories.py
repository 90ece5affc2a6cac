"""Directory test data, built through the services."""

from __future__ import annotations

from datetime import date

from peaceworks.directory import services
from peaceworks.directory.models import Network


def make_network(code: str = "ccivs") -> Network:
    return Network.objects.create(code=code, name=f"Network {code}", acronym=code.upper())


def make_stakeholder(actor, code: str = "unssc", **values):
    defaults = {
        "name": "UN staff college",
        "code": code,
        "stakeholder_type": "un_agency",
        "country": "IT",
    }
    return services.stakeholder_create(actor=actor, values={**defaults, **values})


def make_partnership(actor, *, stakeholders=(), organisations=(), code: str = "grant"):
    return services.partnership_create(
        actor=actor,
        values={
            "title": "Operating grant",
            "code": code,
            "purpose": "funder",
            "start_date": date(2026, 1, 1),
        },
        stakeholders=stakeholders,
        organisations=organisations,
    )

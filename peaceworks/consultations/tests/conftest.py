from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from peaceworks.campaigns.models import Plan, Reflection
from peaceworks.campaigns.services import campaign_create, programme_create
from peaceworks.consultations.models import Consultation, Moderation, Prompt, Statement
from peaceworks.consultations.tests import fake_engine

fake_engine.install()


@pytest.fixture
def make_consultation(db: None) -> Callable[..., Consultation]:
    counter = iter(range(1, 10_000))

    def make(**fields: Any) -> Consultation:
        number = next(counter)
        values: dict[str, Any] = {
            "title": f"Consultation {number}",
            "slug": f"consultation-{number}",
            "phase": Consultation.Phase.OPEN,
        }
        values.update(fields)
        consultation = Consultation.objects.create(**values)
        Prompt.objects.create(
            consultation=consultation,
            number=1,
            texts={"en": "What should the network do?", "es": "¿Qué debería hacer la red?"},
        )
        for text in ("Peace needs housing.", "Volunteers need support.", "Youth first."):
            Statement.objects.create(
                consultation=consultation,
                text=text,
                origin=Statement.Origin.FACILITATOR,
                moderation=Moderation.APPROVED,
            )
        return consultation

    return make


@pytest.fixture
def reflection(network_coordinator: Any) -> Reflection:
    """A reflection of a campaign's plan, for statements and themes to become."""
    programme = programme_create(actor=network_coordinator, name="Raising Peace", code="rp")
    campaign = campaign_create(actor=network_coordinator, programme=programme, name="C", code="c")
    plan = Plan.objects.create(campaign=campaign, title="Plan", start_year=2027, end_year=2028)
    return Reflection.objects.create(plan=plan, kind="future", text="Train more trainers")

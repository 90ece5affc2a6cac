"""Test data built through the services, shared by several test modules."""

from __future__ import annotations

import random
from typing import Any

from peaceworks.consultations import demo, services
from peaceworks.consultations.models import Consultation


def approve_three_topics(
    consultation: Consultation, *, author: Any, facilitator: Any, count: int = 36
) -> None:
    """``count`` approved contributions on housing, volunteering and education, in English,
    French and Spanish in turn (the demo's seeded sentences)."""
    prompt = consultation.prompts.get()
    rng = random.Random(4)
    for index in range(count):
        topic = ("housing", "volunteering", "education")[index % 3]
        text = demo._text(rng, topic, ("en", "fr", "es")[(index // 3) % 3])
        c = services.contribution_submit(actor=author, prompt=prompt, text=text)
        services.contribution_moderate(actor=facilitator, contribution=c, state="approved")

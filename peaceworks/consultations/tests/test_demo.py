from __future__ import annotations

import pytest

from peaceworks.consultations import demo
from peaceworks.consultations.models import Contribution, Draft, SynthesisRun, Vote

pytestmark = pytest.mark.django_db


def test_demo_consultation_is_deterministic_and_idempotent(organisation, other_organisation):
    consultation = demo.seed([organisation, other_organisation])
    assert consultation is not None
    texts = list(Contribution.objects.order_by("pk").values_list("text", flat=True))
    assert len(texts) == demo.CONTRIBUTIONS
    assert set(Contribution.objects.values_list("language", flat=True)) == {"en", "fr", "es"}
    assert consultation.statements.count() == 60
    assert consultation.participants.count() == demo.PARTICIPANTS
    votes = Vote.objects.count()
    assert 0.6 < votes / (60 * demo.PARTICIPANTS) < 0.8  # about 30 % unseen
    assert demo.seed([organisation, other_organisation]) is None
    assert Contribution.objects.count() == demo.CONTRIBUTIONS
    consultation.delete()
    demo.seed([organisation, other_organisation])
    assert list(Contribution.objects.order_by("pk").values_list("text", flat=True)) == texts
    assert Vote.objects.count() == votes


def test_demo_synthesis_runs_and_writes_the_draft(organisation):
    consultation = demo.seed([organisation])
    assert demo.run_synthesis(consultation)
    assert set(SynthesisRun.objects.values_list("state", flat=True)) == {"done"}
    assert Draft.objects.get().body.startswith("# Raising Peace")

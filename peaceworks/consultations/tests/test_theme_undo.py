"""A facilitator sees their edits of the themes on the synthesis page and undoes one: the next
run no longer applies it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from peaceworks.consultations import services
from peaceworks.consultations.models import SynthesisRun, ThemeEdit
from peaceworks.consultations.tests.builders import approve_three_topics

pytestmark = pytest.mark.django_db


def _themes(consultation) -> list[dict[str, Any]]:
    run = consultation.synthesis_runs.filter(kind="themes").order_by("-pk").first()
    assert run.state == SynthesisRun.State.DONE, run.error
    return list(run.result["themes"])


def test_undoing_a_merge_from_the_page_takes_it_out_of_the_next_run(
    make_consultation,
    org_member,
    network_coordinator,
    org_coordinator,
    stakeholder,
    client_for,
    django_capture_on_commit_callbacks,
):
    consultation = make_consultation()
    approve_three_topics(consultation, author=org_member, facilitator=network_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.synthesis_request(
            actor=network_coordinator, consultation=consultation, kind="themes"
        )
    first = _themes(consultation)
    assert len(first) >= 2
    staff = client_for(network_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("consultations:theme_edit", args=[consultation.slug]),
            {"kind": "merge", "theme_keys": [t["key"] for t in first[:2]], "label": "Homes"},
        )
    merged = _themes(consultation)
    assert "Homes" in [t["labels"]["en"] for t in merged]
    assert len(merged) == len(first) - 1
    edit = ThemeEdit.objects.get()
    page = staff.get(reverse("consultations:synthesis", args=[consultation.slug])).content
    undo = reverse("consultations:theme_edit_undo", args=[consultation.slug, edit.pk])
    assert undo.encode() in page
    assert first[0]["labels"]["en"].encode() in page  # the edit names themes by their labels

    assert client_for(org_coordinator).post(undo).status_code == 403
    assert client_for(stakeholder).post(undo).status_code == 404
    other = make_consultation()
    wrong = reverse("consultations:theme_edit_undo", args=[other.slug, edit.pk])
    assert staff.post(wrong).status_code == 404
    assert ThemeEdit.objects.filter(pk=edit.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(undo)
    assert response.status_code == 302
    assert not ThemeEdit.objects.exists()
    again = _themes(consultation)
    assert "Homes" not in [t["labels"]["en"] for t in again]
    assert [t["key"] for t in again] == [t["key"] for t in first]
    assert staff.post(undo).status_code == 404  # undone already

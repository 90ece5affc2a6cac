from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from peaceworks.accounts.models import User
from peaceworks.impact.models import Framework, Indicator, Instrument


def test_framework_editor_adds_an_indicator_with_a_target(
    client_for: Callable[[User | None], Client],
    network_coordinator: User,
    framework: Framework,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(network_coordinator)
    url = reverse("impact:framework_detail", args=[framework.pk])
    with django_assert_max_num_queries(15):
        page = client.get(url)
    assert "i4_intercultural" in page.content.decode()
    sent = client.post(
        url,
        {
            "code": "i_new",
            "name_en": "New",
            "kind": "outcome",
            "aggregation": "mean_change",
            "direction": "increase",
            "source_questions": "t4_conflict t4_coexist",
            "target_period": "2027",
            "target_value": "0.3",
        },
    )
    assert sent.status_code == 302
    indicator = Indicator.objects.get(code="i_new")
    assert indicator.source_questions == ["t4_conflict", "t4_coexist"]
    assert indicator.targets.get().period == "2027"


def test_outcome_indicator_without_questions_is_refused(
    client_for: Callable[[User | None], Client], network_coordinator: User, framework: Framework
) -> None:
    url = reverse("impact:framework_detail", args=[framework.pk])
    sent = client_for(network_coordinator).post(
        url,
        {
            "code": "i_bad",
            "name_en": "Bad",
            "kind": "outcome",
            "aggregation": "mean_change",
            "direction": "increase",
        },
    )
    assert sent.status_code == 400
    assert "source question" in sent.content.decode()


def test_org_coordinator_reads_but_cannot_edit_frameworks(
    client_for: Callable[[User | None], Client], org_coordinator: User, framework: Framework
) -> None:
    url = reverse("impact:framework_detail", args=[framework.pk])
    client = client_for(org_coordinator)
    assert client.get(url).status_code == 200
    assert client.post(url, {"code": "x"}).status_code == 403


def test_stakeholder_gets_404_on_frameworks(
    client_for: Callable[[User | None], Client], stakeholder: User, framework: Framework
) -> None:
    url = reverse("impact:framework_detail", args=[framework.pk])
    assert client_for(stakeholder).get(url).status_code == 404


def test_instrument_editor_previews_each_language_and_versions_on_edit(
    client_for: Callable[[User | None], Client], network_coordinator: User, framework: Framework
) -> None:
    instrument = framework.instruments.get(role=Instrument.Role.V_PRE)
    client = client_for(network_coordinator)
    url = reverse("impact:instrument_detail", args=[instrument.pk])
    french = client.get(url + "?lang=fr").content.decode()
    assert "Je connais les principaux droits" in french
    live = client.post(
        reverse("impact:question_preview", args=[instrument.pk]),
        {
            "code": "c_new",
            "kind": "single",
            "block": "competence",
            "text_en": "Hello",
            "text_fr": "Bonjour",
            "choices": "a | A | Aa | Aaa",
        },
    )
    assert "Bonjour" in live.content.decode()
    assert "Aaa" in live.content.decode()
    saved = client.post(
        url,
        {
            "code": "c_new",
            "kind": "single",
            "block": "competence",
            "text_en": "Hello",
            "text_fr": "Bonjour",
            "text_es": "Hola",
            "choices": "a | A | Aa | Aaa",
        },
    )
    draft = Instrument.objects.get(role=Instrument.Role.V_PRE, version=2)
    assert saved["Location"] == reverse("impact:instrument_detail", args=[draft.pk])
    assert draft.questions.filter(code="c_new").exists()
    assert not instrument.questions.filter(code="c_new").exists()
    bad = client.post(
        url,
        {
            "code": "c_bad",
            "kind": "single",
            "block": "competence",
            "text_en": "X",
            "choices": "only-a-value",
        },
    )
    assert bad.status_code == 400
    client.post(reverse("impact:instrument_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.is_published


def test_read_only_member_cannot_change_instruments(
    client_for: Callable[[User | None], Client], org_member: User, framework: Framework
) -> None:
    instrument = framework.instruments.get(role=Instrument.Role.V_PRE)
    client = client_for(org_member)
    assert client.get(reverse("impact:instrument_detail", args=[instrument.pk])).status_code == 200
    publish = client.post(reverse("impact:instrument_new_version", args=[instrument.pk]))
    assert publish.status_code == 403

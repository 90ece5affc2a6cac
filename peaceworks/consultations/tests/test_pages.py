"""The pages as people meet them: network coordinator, member organisation coordinator,
outsider (a coordinator of an organisation outside the audience) and a visitor with the link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from peaceworks.consultations import services
from peaceworks.consultations.models import (
    Consultation,
    Contribution,
    Draft,
    Moderation,
    SynthesisRun,
    Vote,
)

pytestmark = pytest.mark.django_db


def test_index_says_what_one_can_do(make_consultation, org_coordinator, client_for):
    consultation = make_consultation()
    make_consultation(phase=Consultation.Phase.DRAFT, title="Hidden draft")
    page = client_for(org_coordinator).get(reverse("consultations:index")).content.decode()
    assert consultation.title in page
    assert "Hidden draft" not in page
    assert "You can answer the questions and vote on statements." in page


def test_member_contributes_through_the_form(make_consultation, org_coordinator, client_for):
    consultation = make_consultation()
    client = client_for(org_coordinator)
    url = reverse("consultations:contribute", args=[consultation.slug, 1])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"text": "La paz se construye con los jóvenes de la red.", "quote_consent": "on"}
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.quote_consent
    assert contribution.language == "es"
    empty = client.post(url, {"text": ""})
    assert empty.status_code == 400
    assert Contribution.objects.count() == 1


def test_outsider_is_told_and_nothing_is_stored(make_consultation, outsider, client_for):
    consultation = make_consultation(audience=Consultation.Audience.REGIONS, regions=["002"])
    client = client_for(outsider)
    url = reverse("consultations:contribute", args=[consultation.slug, 1])
    page = client.get(url).content.decode()
    assert "chosen audience" in page
    response = client.post(url, {"text": "Hello"})
    assert response.status_code == 400
    assert "not part of it" in response.content.decode()
    assert not Contribution.objects.exists()


def test_stakeholder_gets_404(make_consultation, stakeholder, client_for):
    consultation = make_consultation()
    assert (
        client_for(stakeholder)
        .get(reverse("consultations:detail", args=[consultation.slug]))
        .status_code
        == 404
    )


def test_vote_page_shows_one_unseen_statement_at_a_time(make_consultation, org_member, client_for):
    consultation = make_consultation()
    client = client_for(org_member)
    url = reverse("consultations:vote", args=[consultation.slug])
    statements = list(consultation.statements.order_by("pk"))
    for statement, value in zip(statements, ("1", "-1", "0"), strict=True):
        page = client.get(url).content.decode()
        assert statement.text in page
        assert client.post(url, {"statement": statement.pk, "value": value}).status_code == 302
    assert "You have seen every statement" in client.get(url).content.decode()
    assert sorted(Vote.objects.values_list("value", flat=True)) == [-1, 0, 1]
    assert client.post(url, {"statement": statements[0].pk, "value": "7"}).status_code == 400


def test_public_link_without_account(make_consultation, client):
    consultation = make_consultation(audience=Consultation.Audience.PUBLIC_LINK)
    token = consultation.public_token
    assert client.get(reverse("consultations:public", args=["wrong"])).status_code == 404
    assert client.get(reverse("consultations:public", args=[token])).status_code == 200
    response = client.post(
        reverse("consultations:public_contribute", args=[token, 1]),
        {"text": "Peace from a visitor"},
    )
    assert response.status_code == 302
    statement = consultation.statements.first()
    vote_url = reverse("consultations:public_vote", args=[token])
    assert client.post(vote_url, {"statement": statement.pk, "value": "1"}).status_code == 302
    assert Vote.objects.get().participant.user is None
    assert client.get(reverse("consultations:detail", args=[consultation.slug])).status_code == 302


def test_facilitator_pages_are_refused_to_members(make_consultation, org_coordinator, client_for):
    consultation = make_consultation()
    client = client_for(org_coordinator)
    for name in ("moderation", "draft", "edit"):
        assert (
            client.get(reverse(f"consultations:{name}", args=[consultation.slug])).status_code
            == 403
        )
    before = Contribution.objects.count(), SynthesisRun.objects.count()
    assert (
        client.post(
            reverse("consultations:synthesis_run", args=[consultation.slug]), {"kind": "all"}
        ).status_code
        == 403
    )
    assert (Contribution.objects.count(), SynthesisRun.objects.count()) == before


def test_facilitator_moderates_runs_synthesis_and_exports(
    make_consultation,
    network_coordinator,
    org_member,
    client_for,
    django_capture_on_commit_callbacks,
):
    consultation = make_consultation()
    prompt = consultation.prompts.get()
    for text in (
        "Housing for volunteers",
        "Le logement des bénévoles",
        "La paz en la escuela",
        "Peace at school",
    ):
        services.contribution_submit(actor=org_member, prompt=prompt, text=text, quote_consent=True)
    for statement in consultation.statements.all():
        services.vote_cast(actor=org_member, statement=statement, value=1)
    client = client_for(network_coordinator)
    queue = client.get(reverse("consultations:moderation", args=[consultation.slug]))
    assert "Housing for volunteers" in queue.content.decode()
    for contribution in Contribution.objects.all():
        client.post(
            reverse(
                "consultations:moderate", args=[consultation.slug, "contribution", contribution.pk]
            ),
            {"decision": "approved"},
        )
    assert not Contribution.objects.exclude(moderation=Moderation.APPROVED).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("consultations:synthesis_run", args=[consultation.slug]), {"kind": "all"}
        )
    assert set(SynthesisRun.objects.values_list("state", flat=True)) == {"done"}
    page = client.get(reverse("consultations:synthesis", args=[consultation.slug])).content.decode()
    assert "<svg" in page
    assert "Housing" in page
    client.post(reverse("consultations:draft_generate", args=[consultation.slug]))
    assert "Housing for volunteers" in Draft.objects.get().body
    for fmt, magic in (("md", b"# "), ("docx", b"PK"), ("pdf", b"%PDF")):
        response = client.get(reverse("consultations:draft_export", args=[consultation.slug, fmt]))
        assert response.status_code == 200
        assert response.content.startswith(magic)


def test_facilitator_creates_a_consultation(network_coordinator, client_for):
    client = client_for(network_coordinator)
    response = client.post(
        reverse("consultations:create"),
        {
            "title": "Next steps",
            "slug": "next-steps",
            "audience": "all_members",
            "languages": ["en", "fr"],
        },
    )
    assert response.status_code == 302
    assert Consultation.objects.get().phase == Consultation.Phase.DRAFT
    refused = client.post(
        reverse("consultations:create"),
        {"title": "Bad", "slug": "bad", "audience": "networks", "languages": ["en"]},
    )
    assert refused.status_code == 400
    assert "Choose at least one network." in refused.content.decode()


def test_index_query_count_does_not_grow_with_consultations(
    make_consultation, org_coordinator, client_for, django_assert_max_num_queries
):
    client = client_for(org_coordinator)
    make_consultation()
    client.get(reverse("consultations:index"))
    for _ in range(5):
        make_consultation()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("consultations:index")).status_code == 200


def test_synthesis_page_shows_progress_while_a_run_waits(
    make_consultation, network_coordinator, client_for
):
    consultation = make_consultation()
    SynthesisRun.objects.create(
        consultation=consultation, kind="themes", progress=40, state="running"
    )
    page = client_for(network_coordinator).get(
        reverse("consultations:synthesis", args=[consultation.slug])
    )
    text = page.content.decode()
    assert 'value="40"' in text
    assert 'hx-trigger="every 3s"' in text  # htmx refreshes it; without JavaScript, the link does

"""A public-link visitor is a stable pseudonymous participant: a signed cookie of its own
carries a random token, so votes outlive the browser session and one visitor cannot vote twice
on a statement; a forged cookie is ignored."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from peaceworks.consultations.models import Consultation, Participant, Vote
from peaceworks.consultations.views import (
    PARTICIPANT_COOKIE,
    PARTICIPANT_COOKIE_AGE,
    SESSION_KEY,
)

pytestmark = pytest.mark.django_db


def _public(make_consultation) -> tuple[Consultation, str]:
    consultation = make_consultation(audience=Consultation.Audience.PUBLIC_LINK)
    return consultation, reverse("consultations:public_vote", args=[consultation.public_token])


def _shown_statement(client: Client, url: str) -> int | None:
    page = client.get(url)
    assert page.status_code == 200
    statement = page.context["statement"]
    return statement.pk if statement is not None else None


def test_votes_survive_the_session_and_a_second_vote_replaces_the_first(make_consultation):
    consultation, url = _public(make_consultation)
    first, second, _third = consultation.statements.order_by("pk")
    visitor = Client()
    # no participant cookie for someone who has not voted
    assert PARTICIPANT_COOKIE % consultation.pk not in visitor.get(url).cookies
    voted = visitor.post(url, {"statement": first.pk, "value": "1"})
    assert voted.status_code == 302
    cookie = voted.cookies[PARTICIPANT_COOKIE % consultation.pk]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == PARTICIPANT_COOKIE_AGE >= 365 * 24 * 3600
    assert cookie["path"] == reverse("consultations:public", args=[consultation.public_token])

    visitor.session.flush()  # the session expires; the participant cookie stays
    visitor.cookies.pop("sessionid", None)
    assert _shown_statement(visitor, url) == second.pk  # the first is already voted on
    again = visitor.post(url, {"statement": first.pk, "value": "-1"})
    assert again.status_code == 302
    assert Participant.objects.filter(consultation=consultation).count() == 1
    assert list(Vote.objects.values_list("statement_id", "value")) == [(first.pk, -1)]

    stranger = Client()  # another browser is another participant
    assert _shown_statement(stranger, url) == first.pk
    stranger.post(url, {"statement": first.pk, "value": "1"})
    assert Participant.objects.filter(consultation=consultation).count() == 2
    assert Vote.objects.filter(statement=first).count() == 2


def test_a_forged_cookie_is_a_new_participant(make_consultation):
    consultation, url = _public(make_consultation)
    first = consultation.statements.order_by("pk").first()
    visitor = Client()
    visitor.post(url, {"statement": first.pk, "value": "1"})
    token = Participant.objects.get().token
    forger = Client()
    forger.cookies[PARTICIPANT_COOKIE % consultation.pk] = token  # unsigned: not accepted
    assert _shown_statement(forger, url) == first.pk
    forger.post(url, {"statement": first.pk, "value": "-1"})
    assert Participant.objects.count() == 2
    assert Vote.objects.get(participant__token=token).value == 1


def test_a_token_kept_in_the_session_by_an_earlier_version_moves_to_the_cookie(
    make_consultation,
):
    consultation, url = _public(make_consultation)
    first, second, _third = consultation.statements.order_by("pk")
    visitor = Client()
    visitor.get(url)
    session = visitor.session
    session[SESSION_KEY % consultation.pk] = "kept-in-the-session"
    session.save()
    participant = Participant.objects.create(consultation=consultation, token="kept-in-the-session")
    Vote.objects.create(participant=participant, statement=first, value=1)
    page = visitor.get(url)
    assert page.context["statement"] == second
    assert PARTICIPANT_COOKIE % consultation.pk in page.cookies


def test_one_participant_per_token_in_the_database(make_consultation):
    consultation, _url = _public(make_consultation)
    Participant.objects.create(consultation=consultation, token="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(consultation=consultation, token="same")
    other, _ = _public(make_consultation)
    Participant.objects.create(consultation=other, token="same")  # per consultation
    Participant.objects.create(consultation=consultation, external_id="a")  # imported voters
    Participant.objects.create(consultation=consultation, external_id="b")

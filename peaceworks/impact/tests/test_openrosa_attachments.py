"""Files sent with an app submission (photos…) are kept with the response, within limits, and
downloadable only by those who may read the round's raw answers; recorded answers (GPS points,
media file names) stay out of the pseudonymised export."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.test import Client

from peaceworks.accounts.models import User
from peaceworks.impact import openrosa
from peaceworks.impact.figures.export import export_csv
from peaceworks.impact.models import Question, Response, ResponseAttachment, Round
from peaceworks.impact.services import respondent_withdraw
from peaceworks.impact.tests.test_openrosa import FACTS, _collect, _message

pytestmark = pytest.mark.django_db

API = "/api/v1/impact"
PHOTO = b"\xff\xd8\xff\xe0" + b"1" * 3000


def _media_questions(survey_round: Round) -> None:
    """A photo and a GPS point, recorded from the app (as an XLSForm import keeps them)."""
    for order, (code, kind) in enumerate((("photo", "image"), ("where", "geopoint"))):
        Question.objects.create(
            instrument=survey_round.instrument,
            code=code,
            order=50_000 + order,
            kind=Question.Kind.RECORDED,
            text={},
            xlsform={"type": kind, "row": {"type": kind, "name": code, "label": code.title()}},
        )


def _answers(**extra: str) -> dict[str, str]:
    return {
        "consent": "yes",
        **FACTS,
        "t1_knowledge": "4",
        "photo": "1712.jpg",
        "where": "-1.28 36.82 1700 5",
        **extra,
    }


def test_a_photo_the_answers_name_is_kept_and_downloadable_by_the_rounds_readers(
    pre_round: Round,
    org_coordinator: User,
    org_member: User,
    analyst: User,
    outsider: User,
    client_for: Callable[[User | None], Client],
) -> None:
    _media_questions(pre_round)
    collect = _collect(pre_round, org_coordinator)
    assert {"photo", "where"} <= collect.names()
    instance = uuid.uuid4()
    xml = collect.fill(_answers(), instance_id=instance)
    answer = collect.submit(xml, **{"1712.jpg": PHOTO, "stray.jpg": b"not named"})
    assert answer.status_code == 201, answer.content
    stored = Response.objects.get(round=pre_round)
    assert stored.answers["photo"] == "1712.jpg"
    (kept,) = ResponseAttachment.objects.filter(response=stored)  # the stray file is not kept
    assert kept.name == "1712.jpg"
    assert kept.size == len(PHOTO)
    assert kept.content_type == "image/jpeg"
    # sent again (ODK Collect resends until it hears back): stored once
    assert collect.submit(xml, **{"1712.jpg": PHOTO}).status_code == 202
    assert ResponseAttachment.objects.count() == 1

    listed = (
        client_for(org_coordinator).get(f"{API}/rounds/{pre_round.pk}/responses").json()["items"]
    )
    (described,) = listed[0]["attachments"]
    assert described["name"] == "1712.jpg"
    url = described["url"]
    for reader in (org_coordinator, org_member):
        download = client_for(reader).get(url)
        assert download.status_code == 200
        assert download.content == PHOTO
        assert download["Content-Disposition"].startswith("attachment;")
        assert download["X-Content-Type-Options"] == "nosniff"
    for stranger in (analyst, outsider, None):
        assert client_for(stranger).get(url).status_code in {401, 404}

    # the pseudonymised export leaves out the GPS point and the file name
    text = b"".join(export_csv(campaign=None, org_ids=None)).decode("utf-8-sig")
    assert "t1_knowledge" in text
    assert "36.82" not in text
    assert "1712.jpg" not in text
    assert ",where," not in text

    # withdrawing takes the photo away with the answers
    respondent_withdraw(
        activity=pre_round.activity,
        matching_code=_code(),
    )
    assert not ResponseAttachment.objects.exists()
    assert client_for(org_coordinator).get(url).status_code == 404


def _code() -> str:
    from peaceworks.impact.pseudonyms import build_code

    return build_code(**FACTS)


def test_an_oversized_attachment_is_refused_with_the_openrosa_message(
    pre_round: Round, org_coordinator: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    _media_questions(pre_round)
    monkeypatch.setattr(openrosa, "MAX_ATTACHMENT_BYTES", 1024)
    collect = _collect(pre_round, org_coordinator)
    answer = collect.submit(collect.fill(_answers()), **{"1712.jpg": PHOTO})
    assert answer.status_code == 413
    assert "1712.jpg" in _message(answer)
    assert not Response.objects.exists()  # nothing half-written


def test_an_svg_or_unknown_file_is_served_as_a_plain_download() -> None:
    assert openrosa._content_type("image/svg+xml") == "application/octet-stream"
    assert openrosa._content_type("text/html") == "application/octet-stream"
    assert openrosa._content_type("image/png") == "image/png"
    assert openrosa._content_type("audio/amr; codecs=x") == "audio/amr"

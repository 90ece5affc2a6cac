"""Offline collection with ODK Collect: a scripted client following the OpenRosa specification.

The client does what ODK Collect does: it reads the form list, downloads each XForm, checks
its MD5 against the list, fills the XForm's primary instance and posts it as a multipart
``xml_submission_file`` (with attachments), after a ``HEAD`` asking the size limit.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import uuid
import zlib
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from peaceworks.accounts.models import User
from peaceworks.impact.models import AnalyticsSnapshot, CollectionToken, Response, Round
from peaceworks.impact.openrosa import collection_open, server_url, setup_payload
from peaceworks.impact.selectors import round_stats_for_activity
from peaceworks.impact.services import round_open
from peaceworks.impact.services.analytics import analytics_rebuild

FORMS = "{http://openrosa.org/xforms/xformsList}"
XFORMS = "{http://www.w3.org/2002/xforms}"
RESPONSE = "{http://openrosa.org/http/response}"
FACTS = {"parent_letters": "Maria", "birth_day": "7", "place_letters": "Lima"}
HEADERS = {"X-OpenRosa-Version": "1.0"}


class Collect:
    """A scripted OpenRosa client set up from a round's server URL."""

    def __init__(self, url: str) -> None:
        self.base = urlsplit(url).path
        self.client = Client(enforce_csrf_checks=True)

    def form_list(self) -> list[dict[str, str]]:
        answer = self.client.get(f"{self.base}/formList", headers=HEADERS)
        assert answer.status_code == 200, answer.content
        assert answer["X-OpenRosa-Version"] == "1.0"
        root = fromstring(answer.content)
        assert root.tag == f"{FORMS}xforms"
        return [
            {child.tag.removeprefix(FORMS): child.text or "" for child in item}
            for item in root.findall(f"{FORMS}xform")
        ]

    def download(self, entry: dict[str, str]) -> bytes:
        answer = self.client.get(urlsplit(entry["downloadUrl"]).path, headers=HEADERS)
        assert answer.status_code == 200
        return bytes(answer.content)

    def blank(self, language: str = "en") -> Any:
        """The primary instance of the form in ``language``, as the app starts filling it."""
        entry = next(e for e in self.form_list() if e["formID"].endswith(f"-{language}"))
        xform = fromstring(self.download(entry))
        instance = xform.find(f".//{XFORMS}instance")
        return copy.deepcopy(instance[0])

    def names(self) -> set[str]:
        """The names of the questions (and groups) of the English form."""
        return {element.tag.removeprefix(XFORMS) for element in self.blank().iter()}

    def fill(
        self,
        answers: dict[str, str],
        *,
        instance_id: uuid.UUID | None = None,
        language: str = "en",
    ) -> bytes:
        data = self.blank(language)
        for element in data.iter():
            name = element.tag.removeprefix(XFORMS)
            if name in answers:
                element.text = answers[name]
            if name == "consent_version":
                element.text = self.consent_version
            if name == "instanceID":
                element.text = f"uuid:{instance_id or uuid.uuid4()}"

        return bytes(ElementTree.tostring(data, encoding="utf-8"))

    consent_version = ""

    def submit(self, xml: bytes, **attachments: bytes) -> Any:
        head = self.client.head(f"{self.base}/submission", headers=HEADERS)
        assert head.status_code == 204
        assert int(head["X-OpenRosa-Accept-Content-Length"]) > 0
        files: dict[str, Any] = {
            "xml_submission_file": SimpleUploadedFile("submission.xml", xml, "text/xml")
        }
        for name, content in attachments.items():
            files[name] = SimpleUploadedFile(name, content, "image/jpeg")
        return self.client.post(f"{self.base}/submission", files, headers=HEADERS)


def _message(answer: Any) -> str:
    root = fromstring(answer.content)
    assert root.tag == f"{RESPONSE}OpenRosaResponse"
    message = root.find(f"{RESPONSE}message")
    assert message is not None
    return str(message.text)


def _collect(survey_round: Round, actor: User) -> Collect:
    item = collection_open(actor=actor, survey_round=survey_round)
    collect = Collect(server_url(item))
    collect.consent_version = survey_round.instrument.consent_version
    return collect


def _post_round(activity: Any, **fields: Any) -> Round:
    """An open post round of ``activity`` (the design rule decides its retrospective block)."""
    now = timezone.now()
    return round_open(
        actor=None,
        activity=activity,
        kind=Round.Kind.POST,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=5),
        **fields,
    )


def _answers(**extra: str) -> dict[str, str]:
    return {"consent": "yes", **FACTS, "t1_knowledge": "4", **extra}


def test_the_form_list_parses_and_its_hashes_match_the_served_xforms(
    post_round: Round, org_coordinator: User
) -> None:
    collect = _collect(post_round, org_coordinator)
    entries = collect.form_list()
    assert {e["formID"] for e in entries} == {
        f"peaceworks-r{post_round.pk}-{language}" for language in ("en", "fr", "es")
    }
    for entry in entries:
        xml = collect.download(entry)
        assert entry["hash"] == "md5:" + hashlib.md5(xml, usedforsecurity=False).hexdigest()
        assert entry["version"]
    one = collect.client.get(f"{collect.base}/formList?formID={entries[0]['formID']}")
    assert one.content.count(b"<xform>") == 1
    missing = collect.client.get(f"{collect.base}/forms/peaceworks-r0-en.xml")
    assert missing.status_code == 404
    assert _message(missing)
    # the consent and the three facts of the matching code are questions of the form
    names = collect.names()
    assert {"consent", "parent_letters", "birth_day", "place_letters", "t1_knowledge"} <= names
    # the activity's themes are 1 and 4: theme 2's questions are not asked
    assert not any(name.startswith("t2_") for name in names)


def test_the_setup_qr_carries_the_server_url_compressed_as_odk_collect_reads_it(
    post_round: Round, org_coordinator: User
) -> None:
    item = collection_open(actor=org_coordinator, survey_round=post_round)
    settings = json.loads(zlib.decompress(base64.b64decode(setup_payload(item))))
    assert settings["general"]["server_url"] == server_url(item)
    assert settings["general"]["form_update_mode"] == "match_exactly"
    assert settings["admin"] == {}
    # the token is not stored, only its hash
    token = server_url(item).rsplit("/", 1)[1]
    assert token not in {item.salt, item.token_hash}


def test_a_submission_with_an_attachment_is_stored_once_per_instance_id(
    post_round: Round, org_coordinator: User
) -> None:
    collect = _collect(post_round, org_coordinator)
    instance = uuid.uuid4()
    xml = collect.fill(_answers(), instance_id=instance)
    first = collect.submit(xml, **{"photo.jpg": b"\xff\xd8\xff" + b"0" * 2000})
    assert first.status_code == 201, first.content
    assert "received" in _message(first)
    again = collect.submit(xml)
    assert again.status_code == 202
    stored = Response.objects.get()
    assert stored.submission_id == instance
    assert stored.source == Response.Source.ODK
    assert stored.answers["t1_knowledge"] == 4


def test_a_pre_and_a_post_from_the_app_with_one_code_are_paired(
    pre_round: Round, post_round: Round, org_coordinator: User
) -> None:
    for survey_round, answer in ((pre_round, "2"), (post_round, "5")):
        collect = _collect(survey_round, org_coordinator)
        sent = collect.submit(collect.fill(_answers(t1_knowledge=answer)))
        assert sent.status_code == 201, sent.content
    pre, post = (
        Response.objects.order_by("round__kind")[1],
        Response.objects.order_by("round__kind")[0],
    )
    assert pre.round == pre_round
    assert post.round == post_round
    assert pre.respondent_id == post.respondent_id
    stats = {
        item.round.kind: item for item in round_stats_for_activity(activity=post.round.activity)
    }
    assert stats["post"].responses == 1
    assert stats["post"].paired == 1
    analytics_rebuild(campaign_id=post_round.activity.campaign_id)
    assert (
        AnalyticsSnapshot.objects.get(campaign_id=post_round.activity.campaign_id).respondents == 1
    )


def test_a_revoked_or_unknown_token_gets_401(post_round: Round, org_coordinator: User) -> None:
    collect = _collect(post_round, org_coordinator)
    xml = collect.fill(_answers())
    CollectionToken.objects.update(revoked_at=timezone.now())
    for answer in (
        collect.client.get(f"{collect.base}/formList", headers=HEADERS),
        collect.client.post(
            f"{collect.base}/submission",
            {"xml_submission_file": SimpleUploadedFile("s.xml", xml, "text/xml")},
        ),
        Client().get(f"{collect.base[:-4]}abcd/formList"),
    ):
        assert answer.status_code == 401
        assert "revoked" in _message(answer)
    assert not Response.objects.exists()


def test_a_submission_to_a_closed_round_gets_the_openrosa_error(
    post_round: Round, org_coordinator: User
) -> None:
    collect = _collect(post_round, org_coordinator)
    xml = collect.fill(_answers())
    Round.objects.filter(pk=post_round.pk).update(
        opens_at=timezone.now() - timedelta(days=9), closes_at=timezone.now() - timedelta(days=2)
    )
    answer = collect.submit(xml)
    assert answer.status_code == 409
    assert "not open" in _message(answer)
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "xml",
    [
        b"<data><consent>yes",
        b'<!DOCTYPE d [<!ENTITY e "x">]><data>&e;</data>',
        b"<data><consent>yes</consent></data>",  # no instanceID
    ],
    ids=["truncated", "entity", "no-instance-id"],
)
def test_malformed_xml_gets_a_4xx_with_the_openrosa_message(
    post_round: Round, org_coordinator: User, xml: bytes
) -> None:
    answer = _collect(post_round, org_coordinator).submit(xml)
    assert 400 <= answer.status_code < 500
    assert _message(answer)
    assert not Response.objects.exists()


def test_the_same_rules_as_the_web_form_refuse_a_bad_submission(
    post_round: Round, org_coordinator: User
) -> None:
    collect = _collect(post_round, org_coordinator)
    cases = [
        (_answers(consent=""), "agree"),
        (_answers(parent_letters="M"), "two letters"),
        (_answers(t1_knowledge="9"), "t1_knowledge"),
    ]
    for answers, expected in cases:
        answer = collect.submit(collect.fill(answers))
        assert answer.status_code == 400
        assert expected in _message(answer)
    assert not Response.objects.exists()


def test_an_oversized_body_gets_413_with_the_openrosa_message(
    post_round: Round, org_coordinator: User, settings: Any
) -> None:
    settings.MAX_UPLOAD_MB = 1
    collect = _collect(post_round, org_coordinator)
    xml = collect.fill(_answers())
    answer = collect.submit(xml, **{"video.mp4": b"0" * (1024 * 1024 + 1)})
    assert answer.status_code == 413
    assert "MB" in _message(answer)
    assert not Response.objects.exists()


# --- the coordinators' buttons: three personas ----------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("network_coordinator", 302), ("org_coordinator", 302), ("outsider", 404)],
)
def test_who_may_open_and_revoke_app_collection(
    post_round: Round, request: Any, client_for: Any, persona: str, status: int
) -> None:
    client = client_for(request.getfixturevalue(persona))
    opened = client.post(f"/impact/rounds/{post_round.pk}/collection/open/")
    assert opened.status_code == status
    assert CollectionToken.objects.filter(revoked_at__isnull=True).exists() is (status == 302)
    if status != 302:
        return
    page = client.get(f"/impact/activities/{post_round.activity_id}/rounds/")
    item = CollectionToken.objects.get()
    assert server_url(item) in page.content.decode()
    assert client.get(f"/impact/rounds/{post_round.pk}/collection/qr.svg").status_code == 200
    revoked = client.post(f"/impact/rounds/{post_round.pk}/collection/revoke/")
    assert revoked.status_code == 302
    assert not CollectionToken.objects.filter(revoked_at__isnull=True).exists()


def test_an_outsider_cannot_see_the_setup_qr_or_revoke(
    post_round: Round, org_coordinator: User, outsider: User, org_member: User, client_for: Any
) -> None:
    collection_open(actor=org_coordinator, survey_round=post_round)
    for user, status in ((outsider, 404), (org_member, 403)):
        client = client_for(user)
        assert client.get(f"/impact/rounds/{post_round.pk}/collection/qr.svg").status_code == status
        assert (
            client.post(f"/impact/rounds/{post_round.pk}/collection/revoke/").status_code == status
        )
    assert CollectionToken.objects.filter(revoked_at__isnull=True).exists()


def test_a_short_activitys_form_asks_the_retrospective_block_and_stores_it(
    framework: Any, make_activity: Any, org_coordinator: User
) -> None:
    survey_round = _post_round(make_activity(days=3))
    assert survey_round.uses_retrospective
    collect = _collect(survey_round, org_coordinator)
    names = collect.names()
    assert {"then", "then_t1_knowledge"} <= names
    sent = collect.submit(collect.fill(_answers(then_t1_knowledge="2")))
    assert sent.status_code == 201, sent.content
    stored = Response.objects.get()
    assert stored.answers["t1_knowledge"] == 4
    assert stored.then_answers["t1_knowledge"] == 2


def test_sensitive_choices_are_stored_only_with_their_own_consent_from_the_app(
    post_round: Round, org_coordinator: User
) -> None:
    collect = _collect(post_round, org_coordinator)
    names = collect.names()
    assert "sensitive_consent" in names
    xform = collect.download(collect.form_list()[0]).decode()
    assert "pw_sensitive = 'no' or" in xform  # offered only with their consent
    without = collect.submit(
        collect.fill(_answers(sensitive_consent="no", fewer_opportunities="disability economic"))
    )
    assert without.status_code == 201
    assert Response.objects.get().answers["fewer_opportunities"] == ["economic"]
    with_consent = collect.submit(
        collect.fill(_answers(sensitive_consent="yes", fewer_opportunities="disability economic"))
    )
    assert with_consent.status_code == 201  # the respondent's latest answers replace theirs
    assert Response.objects.get().answers["fewer_opportunities"] == ["disability", "economic"]


def test_a_form_in_french_is_stored_in_french(post_round: Round, org_coordinator: User) -> None:
    collect = _collect(post_round, org_coordinator)
    entry = next(e for e in collect.form_list() if e["formID"].endswith("-fr"))
    assert "Je ne sais pas" in collect.download(entry).decode()
    assert collect.submit(collect.fill(_answers(), language="fr")).status_code == 201
    assert Response.objects.get().language == "fr"


def test_questions_the_round_leaves_out_are_not_in_the_form(
    framework: Any, activity: Any, org_coordinator: User
) -> None:
    survey_round = _post_round(activity, omitted_questions=["i_harm", Round.NO_SENSITIVE_ITEMS])
    collect = _collect(survey_round, org_coordinator)
    names = collect.names()
    # i_harm_text is asked only after i_harm: never asked without it
    assert not {"i_harm", "i_harm_text", "sensitive_consent"} & names
    assert "t1_knowledge" in names
    xform = collect.download(collect.form_list()[0]).decode()
    assert "<name>economic</name>" in xform
    assert "<name>disability</name>" not in xform  # a sensitive choice

"""Survey operations on a round's page: submissions (pseudonymous, paged), the preview in each
language, the import template that imports once filled, and follow-up reminders."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from peaceworks.accounts.models import User
from peaceworks.core.once import LEASE
from peaceworks.core.tests.sending import DYING, SLOW, WorkerKilled, at, run_together
from peaceworks.core.uploads import upload_confirm, upload_store
from peaceworks.impact.models import (
    FollowUpContact,
    FollowUpReminder,
    Respondent,
    Response,
    Round,
)
from peaceworks.impact.retention import purge_follow_up_contacts
from peaceworks.impact.services import respondent_withdraw, response_submit, round_update_dates
from peaceworks.impact.services.imports import RESPONSES, responses_template_columns
from peaceworks.impact.services.reminders import follow_up_reminders_send
from peaceworks.impact.tests.test_respondent_pages import complete
from peaceworks.impact.views.rounds import SUBMISSIONS_PAGE_SIZE

pytestmark = pytest.mark.django_db


def _submit(survey_round: Round, code: str, answers: dict[str, Any], **extra: Any) -> Response:
    return response_submit(
        survey_round=survey_round,
        submission_id=uuid.uuid4(),
        language=extra.pop("language", "en"),
        answers=answers,
        matching_code=code,
        consent_version=survey_round.instrument.consent_version,
        **extra,
    ).response


def _full_answers(survey_round: Round) -> dict[str, Any]:
    """An answer to every question of the round that expects one."""
    answers: dict[str, Any] = {}
    for column in responses_template_columns(survey_round):
        question = survey_round.instrument.questions.filter(code=column).first()
        if question is None or question.relevant:
            continue
        if question.kind == "agreement":
            answers[column] = 4
        choices = [c["value"] for c in question.choices if not c.get("sensitive")]
        if question.kind == "single" and choices:
            answers[column] = choices[0]
        elif question.kind == "multiple" and choices:
            answers[column] = [choices[0]]
        elif question.kind == "number":
            answers[column] = max(question.min_value or 0, 1)
    return answers


# The round page and its submissions ------------------------------------------------------


def test_round_page_personas(
    client_for: Callable[[User | None], Client],
    network_coordinator: User,
    org_coordinator: User,
    outsider: User,
    post_round: Round,
) -> None:
    response = _submit(post_round, "AB12CD", {"t1_knowledge": 3})
    short = response.respondent.code_hash[:8]  # type: ignore[union-attr]
    url = reverse("impact:round_detail", args=[post_round.pk])
    for person in (network_coordinator, org_coordinator):
        page = client_for(person).get(url)
        assert page.status_code == 200
        assert short in page.content.decode()
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    rounds_page = client_for(org_coordinator).get(
        reverse("impact:activity_rounds", args=[post_round.activity_id])
    )
    assert url in rounds_page.content.decode()


def test_submissions_table_shows_channel_language_completeness_and_withdrawal(
    client_for: Callable[[User | None], Client], org_coordinator: User, post_round: Round
) -> None:
    _submit(post_round, "FU11LL", _full_answers(post_round), language="fr")
    _submit(post_round, "PA22RT", {"t1_knowledge": 3})
    respondent_withdraw(activity=post_round.activity, matching_code="PA22RT")
    html = (
        client_for(org_coordinator)
        .get(reverse("impact:round_detail", args=[post_round.pk]))
        .content.decode()
    )
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    assert len(rows) == 2
    newest, oldest = rows
    assert "Partial" in newest
    assert "Withdrawn" in newest
    assert "Complete" in oldest
    assert "French" in oldest
    assert "Web form" in oldest or "API" in oldest
    assert "FU11LL" not in html  # never the code itself


def test_submissions_are_paged(
    client_for: Callable[[User | None], Client], network_coordinator: User, post_round: Round
) -> None:
    for number in range(SUBMISSIONS_PAGE_SIZE + 1):
        _submit(post_round, f"PG{number:03d}X", {"t1_knowledge": 3})
    url = reverse("impact:round_detail", args=[post_round.pk])
    client = client_for(network_coordinator)
    first = client.get(url).content.decode()
    second = client.get(url, {"page": "2"}).content.decode()
    codes = re.compile(r"<td><code>([0-9a-f]{8})</code></td>")
    assert len(codes.findall(first)) == SUBMISSIONS_PAGE_SIZE
    assert len(codes.findall(second)) == 1
    assert not set(codes.findall(first)) & set(codes.findall(second))
    assert "page=1#submissions" in second


# The preview -------------------------------------------------------------------------------


def test_preview_walks_every_screen_in_each_language_and_stores_nothing(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    network_coordinator: User,
    outsider: User,
    pre_round: Round,
) -> None:
    client = client_for(org_coordinator)
    texts = {}
    for language in pre_round.instrument.languages:
        url = reverse("impact:round_preview", args=[pre_round.pk, language])
        consent = client.get(url)
        assert consent.status_code == 200
        assert "nothing you enter here is stored" in consent.content.decode()
        moved = client.post(url + "?screen=0", {"consent": "on", "state": ""})
        assert moved["Location"] == url + "?screen=1"
        texts[language] = client.get(url, {"screen": "2"}).content.decode()
        back = client.post(url + "?screen=2", {"action": "back"})
        assert back["Location"] == url + "?screen=1"
    assert {"en", "fr", "es"} <= set(texts)
    assert 'lang="fr"' in texts["fr"]
    assert texts["fr"] != texts["en"]
    last = client.get(reverse("impact:round_preview", args=[pre_round.pk, "en"]), {"screen": "999"})
    assert last.status_code == 200
    assert not Response.objects.exists()
    assert not Respondent.objects.exists()
    staff = client_for(network_coordinator).get(
        reverse("impact:round_preview", args=[pre_round.pk, "es"])
    )
    assert staff.status_code == 200
    assert (
        client_for(outsider)
        .get(reverse("impact:round_preview", args=[pre_round.pk, "en"]))
        .status_code
        == 404
    )
    assert client.get(reverse("impact:round_preview", args=[pre_round.pk, "xx"])).status_code == 404


# The import template -----------------------------------------------------------------------


def test_import_template_has_the_rounds_columns_and_imports_once_filled(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    network_coordinator: User,
    outsider: User,
    post_round: Round,
) -> None:
    client = client_for(org_coordinator)
    csv_file = client.get(reverse("impact:round_import_template", args=[post_round.pk, "csv"]))
    assert csv_file.status_code == 200
    header = next(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert header == responses_template_columns(post_round)
    assert "parent_letters" in header
    assert "t1_knowledge" in header
    assert csv_file.content.decode("utf-8-sig").count("\n") == 1  # no sample row
    xlsx = client.get(reverse("impact:round_import_template", args=[post_round.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert [cell.value for cell in next(sheet.iter_rows())] == header
    assert sheet.max_row == 1
    staff = client_for(network_coordinator).get(
        reverse("impact:round_import_template", args=[post_round.pk, "xlsx"])
    )
    assert staff.status_code == 200
    staff_sheet = load_workbook(io.BytesIO(staff.content)).active
    assert staff_sheet is not None
    assert [cell.value for cell in next(staff_sheet.iter_rows())] == header
    # filled with one row, the template imports
    answers = _full_answers(post_round)
    row = {
        "submission_id": "paper-001",
        "submitted_at": "2026-07-14 18:00",
        "language": "fr",
        "consent_version": "",
        "sensitive_consent": "",
        "parent_letters": "Ma",
        "birth_day": "7",
        "place_letters": "Lyon",
    }
    filled = io.StringIO()
    writer = csv.writer(filled)
    writer.writerow(header)
    writer.writerow(
        [
            row.get(column, answers.get(column, ""))
            if not isinstance(answers.get(column), list)
            else " ".join(answers[column])
            for column in header
        ]
    )
    upload = upload_store(
        actor=org_coordinator,
        importer=RESPONSES,
        data=filled.getvalue().encode(),
        filename="filled.csv",
        target={"round": post_round.pk},
    )
    counts = upload_confirm(actor=org_coordinator, upload=upload)
    assert counts["created"] == 1
    imported = Response.objects.get(round=post_round)
    assert imported.source == Response.Source.IMPORT
    assert imported.language == "fr"
    assert (
        client_for(outsider)
        .get(reverse("impact:round_import_template", args=[post_round.pk, "csv"]))
        .status_code
        == 404
    )
    assert (
        client.get(reverse("impact:round_import_template", args=[post_round.pk, "pdf"])).status_code
        == 404
    )


# Follow-up reminders ---------------------------------------------------------------------


def _reminder_form(page: Any) -> str:
    match = re.search(r'name="r" value="([^"]+)"', page.content.decode())
    assert match, page.content.decode()[:3000]
    return match.group(1)


def test_pre_survey_thanks_page_takes_an_address_with_consent(pre_round: Round) -> None:
    client = Client()
    done = complete(client, pre_round, language="en")
    thanks = client.get(done["Location"])
    assert "A reminder of the next survey (optional)" in thanks.content.decode()
    token = _reminder_form(thanks)
    url = done["Location"].split("?")[0]
    refused = client.post(url, {"r": token, "email": "volunteer@example.org"})
    assert refused.status_code == 400
    assert not FollowUpContact.objects.exists()
    bad = client.post(url, {"r": token, "email": "not an address", "consent": "on"})
    assert bad.status_code == 400
    saved = client.post(url, {"r": token, "email": "volunteer@example.org", "consent": "on"})
    assert saved.status_code == 200
    contact = FollowUpContact.objects.get()
    assert contact.email == "volunteer@example.org"
    assert contact.round == pre_round
    assert "only to send me one reminder" in contact.consent_text
    # the address is not in the answers
    assert "volunteer@example.org" not in str(Response.objects.get().answers)
    forged = client.post(url, {"r": token + "x", "email": "x@example.org", "consent": "on"})
    assert forged.status_code == 400
    assert FollowUpContact.objects.count() == 1


def test_post_survey_thanks_page_offers_no_reminder(post_round: Round) -> None:
    client = Client()
    done = complete(client, post_round, language="en")
    assert "?r=" not in done["Location"]
    assert "A reminder of the next survey" not in client.get(done["Location"]).content.decode()


def _contact(pre_round: Round, code: str, email: str) -> Respondent:
    response = _submit(pre_round, code, {"t1_knowledge": 2})
    respondent = response.respondent
    assert respondent is not None
    FollowUpContact.objects.create(
        respondent=respondent,
        round=pre_round,
        email=email,
        language="fr",
        consent_text="I agree.",
    )
    return respondent


def test_reminders_go_once_to_those_who_have_not_answered_the_post_survey(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    org_member: User,
    outsider: User,
    network_coordinator: User,
    pre_round: Round,
    post_round: Round,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _contact(pre_round, "AA11BB", "waiting@example.org")
    _contact(pre_round, "CC22DD", "answered@example.org")
    withdrawn = _contact(pre_round, "EE33FF", "withdrawn@example.org")
    _submit(post_round, "CC22DD", {"t1_knowledge": 4})
    respondent_withdraw(activity=pre_round.activity, matching_code="EE33FF")
    assert not FollowUpContact.objects.filter(respondent=withdrawn).exists()
    url = reverse("impact:round_reminders", args=[post_round.pk])
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(org_member).post(url).status_code == 403
    page = client_for(org_coordinator).get(reverse("impact:round_detail", args=[post_round.pk]))
    assert "1 person is waiting for a reminder." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(org_coordinator).post(url).status_code == 302
    assert [message.to for message in mail.outbox] == [["waiting@example.org"]]
    assert post_round.token in mail.outbox[0].body
    assert "enquête" in mail.outbox[0].subject.lower()  # in the respondent's language
    # pressing again, or the task running again, sends nothing more
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(network_coordinator).post(url).status_code == 302
    assert follow_up_reminders_send(round_id=post_round.pk) == 0
    assert len(mail.outbox) == 1
    assert FollowUpReminder.objects.filter(sent_at__isnull=False).count() == 1
    # the pre round itself is no round to remind of
    pre_url = reverse("impact:round_reminders", args=[pre_round.pk])
    assert client_for(org_coordinator).post(pre_url).status_code == 302
    assert len(mail.outbox) == 1


def test_a_reminder_whose_worker_died_is_sent_after_the_lease_and_not_before(
    settings: Any, pre_round: Round, post_round: Round
) -> None:
    _contact(pre_round, "AA11BB", "first@example.org")
    _contact(pre_round, "CC22DD", "second@example.org")
    now = timezone.now()  # the rounds are open around the time the test runs
    settings.EMAIL_BACKEND = DYING
    with pytest.raises(WorkerKilled):
        follow_up_reminders_send(round_id=post_round.pk, clock=at(now))
    assert FollowUpReminder.objects.get().sent_at is None  # claimed, never sent
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # within the lease the claim may still be live: only the other person's goes
    assert follow_up_reminders_send(round_id=post_round.pk, clock=at(now + LEASE)) == 1
    later = now + LEASE + timedelta(seconds=1)
    assert follow_up_reminders_send(round_id=post_round.pk, clock=at(later)) == 1
    assert follow_up_reminders_send(round_id=post_round.pk, clock=at(later)) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.org", "second@example.org"]
    assert FollowUpReminder.objects.filter(sent_at__isnull=False).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(
    settings: Any, pre_round: Round, post_round: Round
) -> None:
    for code, email in [("AA11BB", "first@example.org"), ("CC22DD", "second@example.org")]:
        _contact(pre_round, code, email)
    now = timezone.now()
    settings.EMAIL_BACKEND = DYING
    with pytest.raises(WorkerKilled):  # one claim left to be taken over after the lease
        follow_up_reminders_send(round_id=post_round.pk, clock=at(now))
    settings.EMAIL_BACKEND = SLOW
    later = now + LEASE + timedelta(seconds=1)
    errors = run_together(
        2, lambda: follow_up_reminders_send(round_id=post_round.pk, clock=at(later))
    )
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.org", "second@example.org"]


def test_contacts_are_deleted_once_no_round_of_the_activity_is_to_come(
    pre_round: Round, post_round: Round
) -> None:
    _contact(pre_round, "AA11BB", "waiting@example.org")
    now = timezone.now()
    round_update_dates(
        actor=None,
        survey_round=pre_round,
        opens_at=now - timedelta(days=10),
        closes_at=now - timedelta(days=5),
    )
    assert purge_follow_up_contacts(now, dry_run=False) == 0  # the post survey is still open
    round_update_dates(
        actor=None,
        survey_round=post_round,
        opens_at=now - timedelta(days=4),
        closes_at=now - timedelta(days=1),
    )
    assert purge_follow_up_contacts(now, dry_run=True) == 1
    assert FollowUpContact.objects.count() == 1
    assert purge_follow_up_contacts(now, dry_run=False) == 1
    assert not FollowUpContact.objects.exists()

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peaceworks.accounts.models import User
from peaceworks.core.exports import csv_bytes
from peaceworks.core.models import PendingUpload
from peaceworks.impact.models import Framework, Instrument, Response, Round


def upload(data: bytes, name: str = "r.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_coordinator_previews_then_confirms_a_responses_import(
    client_for: Callable[[User | None], Client], org_coordinator: User, post_round: Round
) -> None:
    client = client_for(org_coordinator)
    data = csv_bytes(
        ["submission_id", "matching_code", "t1_knowledge"], [[str(uuid.uuid4()), "AA01BB", "4"]]
    )
    url = reverse("impact:round_import", args=[post_round.pk])
    assert client.get(url).status_code == 200
    preview = client.post(url, {"kind": "responses", "file": upload(data)})
    assert preview.status_code == 302
    job = PendingUpload.objects.get()
    detail = client.get(preview["Location"])
    assert "Confirm" in detail.content.decode()
    assert not Response.objects.exists()
    client.post(reverse("impact:import_confirm", args=[job.pk]))
    assert Response.objects.count() == 1


def test_bad_file_gets_a_clear_message(
    client_for: Callable[[User | None], Client], org_coordinator: User, post_round: Round
) -> None:
    url = reverse("impact:round_import", args=[post_round.pk])
    page = client_for(org_coordinator).post(
        url, {"kind": "responses", "file": upload(b"x", "notes.pdf")}
    )
    assert page.status_code == 400
    assert "notes.pdf" in page.content.decode()


def test_outsider_gets_404_and_member_403_on_imports(
    client_for: Callable[[User | None], Client],
    outsider: User,
    org_member: User,
    post_round: Round,
) -> None:
    url = reverse("impact:round_import", args=[post_round.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(org_member).get(url).status_code == 403


def test_xlsform_download_and_upload_for_network_staff(
    client_for: Callable[[User | None], Client],
    network_coordinator: User,
    org_coordinator: User,
    framework: Framework,
) -> None:
    instrument = framework.instruments.get(role=Instrument.Role.V_PRE)
    client = client_for(network_coordinator)
    download = client.get(reverse("impact:instrument_xlsform", args=[instrument.pk]))
    assert download.status_code == 200
    url = reverse("impact:instrument_import", args=[instrument.pk])
    sent = client.post(url, {"file": upload(download.content, "pre.xlsx")})
    assert sent.status_code == 302
    assert client_for(org_coordinator).post(url, {}).status_code == 403


# --- the impact importers on the one upload mechanism: once, limits, expiry, integrity ---------

API = "/api/v1/impact"
HEADERS = ["submission_id", "matching_code", "t1_knowledge"]


def _rows(count: int, *, bad_last: bool = False) -> bytes:
    rows = [[str(uuid.uuid4()), f"AA{n:02d}BB", "4"] for n in range(count)]
    if bad_last:
        rows[-1][2] = "9"
    return csv_bytes(HEADERS, rows)


def _api_upload(client: Client, survey_round: Round, data: bytes, kind: str = "responses") -> Any:
    return client.post(
        f"{API}/rounds/{survey_round.pk}/imports", {"kind": kind, "file": upload(data)}
    )


def test_confirming_a_responses_import_twice_imports_once_and_is_409(
    client_for: Callable[[User | None], Client], org_coordinator: User, post_round: Round
) -> None:
    client = client_for(org_coordinator)
    job = _api_upload(client, post_round, _rows(3)).json()
    assert client.post(f"{API}/imports/{job['id']}/confirm").json()["status"] == "imported"
    again = client.post(f"{API}/imports/{job['id']}/confirm")
    assert again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"
    assert "already been imported" in again.json()["detail"]
    assert Response.objects.count() == 3
    page = client.post(reverse("impact:import_confirm", args=[job["id"]]))
    assert page.status_code == 409
    assert Response.objects.count() == 3


def test_confirming_an_xlsform_twice_makes_one_new_version_and_is_409(
    client_for: Callable[[User | None], Client], network_coordinator: User, framework: Framework
) -> None:
    from peaceworks.impact.xlsform import export_xlsform

    instrument = framework.instruments.get(role=Instrument.Role.V_PRE)
    client = client_for(network_coordinator)
    sent = client.post(
        reverse("impact:instrument_import", args=[instrument.pk]),
        {"file": upload(export_xlsform(instrument), "pre.xlsx")},
    )
    upload_pk = client.get(sent["Location"]).context["upload"].pk
    confirm = reverse("impact:import_confirm", args=[upload_pk])
    versions = framework.instruments.filter(role=Instrument.Role.V_PRE).count()
    assert client.post(confirm).status_code == 302
    assert client.post(confirm).status_code == 409
    assert framework.instruments.filter(role=Instrument.Role.V_PRE).count() == versions + 1


def test_responses_upload_over_max_upload_mb_is_413_naming_the_limit(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    post_round: Round,
    settings: Any,
) -> None:
    settings.MAX_UPLOAD_MB = 1
    client = client_for(org_coordinator)
    big = _rows(1) + b" " * (1024 * 1024)
    response = _api_upload(client, post_round, big)
    assert response.status_code == 413
    assert "1 MB" in response.json()["detail"]
    page = client.post(
        reverse("impact:round_import", args=[post_round.pk]),
        {"kind": "responses", "file": upload(big)},
    )
    assert page.status_code == 413
    assert "1 MB" in page.content.decode()
    assert not PendingUpload.objects.exists()


def test_expired_responses_import_cannot_be_confirmed(
    client_for: Callable[[User | None], Client], org_coordinator: User, post_round: Round
) -> None:
    client = client_for(org_coordinator)
    job = _api_upload(client, post_round, _rows(2)).json()
    PendingUpload.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(f"{API}/imports/{job['id']}/confirm")
    assert response.status_code == 410
    assert "expired" in response.json()["detail"]
    assert not Response.objects.exists()


def test_header_only_responses_file_is_refused_at_preview_with_400(
    client_for: Callable[[User | None], Client], org_coordinator: User, post_round: Round
) -> None:
    client = client_for(org_coordinator)
    for kind in ("responses", "kobo"):
        response = _api_upload(client, post_round, csv_bytes(HEADERS, []), kind=kind)
        assert response.status_code == 400
        assert "no rows of data" in response.json()["detail"]
    assert not PendingUpload.objects.exists()


def test_a_failed_import_reports_no_created_count(
    client_for: Callable[[User | None], Client], org_coordinator: User, post_round: Round
) -> None:
    client = client_for(org_coordinator)
    job = _api_upload(client, post_round, _rows(100, bad_last=True)).json()
    assert job["summary"] == {"rows": 100}  # the preview does not promise 99 created rows
    confirmed = client.post(f"{API}/imports/{job['id']}/confirm").json()
    assert confirmed["status"] == "failed"
    assert "created" not in confirmed["summary"]
    assert [(e["row"], e["column"]) for e in confirmed["errors"]] == [(101, "t1_knowledge")]
    assert not Response.objects.exists()


# --- the same three answers for the Kobo/ODK and XLSForm importers -----------------------------


def test_kobo_import_confirmed_twice_imports_once_is_409_and_expires(
    client_for: Callable[[User | None], Client], org_coordinator: User, post_round: Round
) -> None:
    from peaceworks.impact.tests.test_imports import kobo_export

    client = client_for(org_coordinator)
    job = _api_upload(client, post_round, kobo_export(post_round), kind="kobo").json()
    assert client.post(f"{API}/imports/{job['id']}/confirm").json()["status"] == "imported"
    stored = Response.objects.count()
    assert stored > 0
    again = client.post(f"{API}/imports/{job['id']}/confirm")
    assert again.status_code == 409
    assert Response.objects.count() == stored
    later = _api_upload(client, post_round, kobo_export(post_round), kind="kobo").json()
    PendingUpload.objects.filter(pk=later["id"]).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert client.post(f"{API}/imports/{later['id']}/confirm").status_code == 410
    assert Response.objects.count() == stored


def test_kobo_upload_over_max_upload_mb_is_413_naming_the_limit(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    post_round: Round,
    settings: Any,
) -> None:
    from peaceworks.impact.tests.test_imports import kobo_export

    settings.MAX_UPLOAD_MB = 1
    big = kobo_export(post_round) + b" " * (1024 * 1024)
    response = _api_upload(client_for(org_coordinator), post_round, big, kind="kobo")
    assert response.status_code == 413
    assert "1 MB" in response.json()["detail"]
    assert not PendingUpload.objects.exists()


def test_xlsform_upload_over_the_limit_is_413_and_an_expired_one_cannot_be_confirmed(
    client_for: Callable[[User | None], Client],
    network_coordinator: User,
    framework: Framework,
    settings: Any,
) -> None:
    from peaceworks.impact.xlsform import export_xlsform

    instrument = framework.instruments.get(role=Instrument.Role.V_PRE)
    client = client_for(network_coordinator)
    url = reverse("impact:instrument_import", args=[instrument.pk])
    workbook = export_xlsform(instrument)
    settings.MAX_UPLOAD_MB = 1
    too_big = client.post(url, {"file": upload(workbook + b"\0" * (1024 * 1024), "pre.xlsx")})
    assert too_big.status_code == 413
    assert "1 MB" in too_big.content.decode()
    assert not PendingUpload.objects.exists()
    settings.MAX_UPLOAD_MB = 10
    sent = client.post(url, {"file": upload(workbook, "pre.xlsx")})
    pending = PendingUpload.objects.get()
    assert sent.status_code == 302
    pending.expires_at = timezone.now() - timedelta(minutes=1)
    pending.save(update_fields=["expires_at"])
    versions = framework.instruments.filter(role=Instrument.Role.V_PRE).count()
    assert client.post(reverse("impact:import_confirm", args=[pending.pk])).status_code == 410
    assert framework.instruments.filter(role=Instrument.Role.V_PRE).count() == versions

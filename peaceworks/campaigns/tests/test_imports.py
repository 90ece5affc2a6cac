from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peaceworks.accounts.models import User
from peaceworks.campaigns.imports import ActivityImporter
from peaceworks.campaigns.models import Activity, Campaign, Theme
from peaceworks.core.errors import Conflict, DomainError
from peaceworks.core.models import PendingUpload
from peaceworks.core.tabular import RowError
from peaceworks.core.uploads import Preview, upload_confirm, upload_preview, upload_store
from peaceworks.directory.models import Organisation

HEADER = (
    "code,title,type,host_organisation,start_date,end_date,country,themes,"
    "international_volunteers,hours_per_day,co_organisers\n"
)


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def activity_upload_create(
    *, actor: User, campaign: Campaign, filename: str, data: bytes
) -> PendingUpload:
    return upload_store(
        actor=actor,
        importer=ActivityImporter.kind,
        filename=filename,
        data=data,
        target={"campaign": campaign.pk},
    )


def activity_import_preview(*, actor: User, upload: PendingUpload) -> Preview:
    return upload_preview(actor=actor, upload=upload)


def activity_import_confirm(*, actor: User, upload: PendingUpload) -> dict[str, int]:
    return dict(upload_confirm(actor=actor, upload=upload))


def test_import_of_a_good_file_creates_then_updates_by_code(
    org_coordinator: User, campaign: Campaign, organisation: Organisation, themes: list[Theme]
) -> None:
    data = _csv(
        "c-1,River camp,workcamp,own,2026-07-01,2026-07-14,KE,t1;t2,10,,",
        "c-2,Training,training,own,2026-03-01,2026-03-03,KE,3,4,5,",
    )
    upload = activity_upload_create(
        actor=org_coordinator, campaign=campaign, filename="a.csv", data=data
    )
    preview = activity_import_preview(actor=org_coordinator, upload=upload)
    assert preview.errors == ()
    assert preview.counts == {"created": 2, "updated": 0}
    activity_import_confirm(actor=org_coordinator, upload=upload)
    camp = Activity.objects.get(code="c-1")
    assert camp.hours_per_day_defaulted is True
    assert {theme.number for theme in camp.themes.all()} == {1, 2}
    again = activity_upload_create(
        actor=org_coordinator, campaign=campaign, filename="a.csv", data=data
    )
    second = activity_import_confirm(actor=org_coordinator, upload=again)
    assert second == {"created": 0, "updated": 2}
    assert Activity.objects.count() == 2
    with pytest.raises(Conflict):
        activity_import_confirm(actor=org_coordinator, upload=again)


def test_import_with_a_bad_row_lists_every_problem_and_writes_nothing(
    org_coordinator: User,
    campaign: Campaign,
    organisation: Organisation,
    other_organisation: Organisation,
    themes: list[Theme],
) -> None:
    data = _csv(
        "c-1,River camp,workcamp,own,2026-07-01,2026-07-14,KE,t1,10,,",
        "c-2,Bad dates,workcamp,own,2026-07-10,2026-07-01,KE,t1,10,,",
        "c-3,No theme,training,own,2026-07-01,2026-07-02,KE,t9,x,,",
        "c-4,Not mine,training,other,2026-07-01,2026-07-02,PE,t1,1,,",
    )
    upload = activity_upload_create(
        actor=org_coordinator, campaign=campaign, filename="a.csv", data=data
    )
    preview = activity_import_preview(actor=org_coordinator, upload=upload)
    assert not preview.is_valid
    assert RowError(3, "end_date", "The end date is before the start date.") in preview.errors
    assert {(error.row, error.column) for error in preview.errors} >= {
        (3, "end_date"),
        (4, "themes"),
        (4, "international_volunteers"),
        (5, "host_organisation"),
    }
    with pytest.raises(DomainError):
        activity_import_confirm(actor=org_coordinator, upload=upload)
    assert not Activity.objects.exists()


def test_import_without_required_columns_names_them(
    network_coordinator: User, campaign: Campaign
) -> None:
    upload = activity_upload_create(
        actor=network_coordinator, campaign=campaign, filename="a.csv", data=b"code,title\nx,y\n"
    )
    preview = activity_import_preview(actor=network_coordinator, upload=upload)
    assert (1, "type") in {(error.row, error.column) for error in preview.errors}


def test_xlsx_import_reads_the_same_columns(
    org_coordinator: User, campaign: Campaign, organisation: Organisation, themes: list[Theme]
) -> None:
    from peaceworks.core.exports import xlsx_bytes

    data = xlsx_bytes(
        [
            "code",
            "title",
            "type",
            "host_organisation",
            "start_date",
            "end_date",
            "country",
            "themes",
        ],
        [["x-1", "Camp", "workcamp", "own", "2026-07-01", "2026-07-03", "KE", "t4"]],
        title="Activities",
    )
    upload = activity_upload_create(
        actor=org_coordinator, campaign=campaign, filename="a.xlsx", data=data
    )
    outcome = activity_import_confirm(actor=org_coordinator, upload=upload)
    assert outcome["created"] == 1
    assert Activity.objects.get(code="x-1").themes.get().number == 4


def test_org_member_cannot_upload_activities(org_member: User, campaign: Campaign) -> None:
    from peaceworks.core.errors import Forbidden

    with pytest.raises(Forbidden):
        activity_upload_create(actor=org_member, campaign=campaign, filename="a.csv", data=b"x")


# --- the activity import on its pages, through the one upload mechanism ------------------------

GOOD_FILE = _csv("p-1,River camp,workcamp,own,2026-07-01,2026-07-14,KE,t1,10,,")


def _post(client: Client, data: bytes) -> Any:
    return client.post(
        reverse("campaigns:activity_import", args=["pc"]),
        {"file": SimpleUploadedFile("a.csv", data, content_type="text/csv")},
    )


def test_confirming_the_same_activity_upload_twice_imports_once_and_is_409(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    organisation: Organisation,
    themes: list[Theme],
) -> None:
    client = client_for(org_coordinator)
    preview_url = _post(client, GOOD_FILE)["Location"]
    upload = client.get(preview_url).context["upload"]
    confirm_url = reverse("campaigns:import_confirm", args=[upload.pk])
    assert client.post(confirm_url).status_code == 302
    Activity.objects.filter(code="p-1").update(title="Renamed")
    again = client.post(confirm_url)
    assert again.status_code == 409
    assert "already been imported" in again.content.decode()
    assert Activity.objects.get(code="p-1").title == "Renamed"


def test_activity_upload_over_max_upload_mb_is_413_naming_the_limit(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    organisation: Organisation,
    settings: Any,
) -> None:
    settings.MAX_UPLOAD_MB = 1
    response = _post(client_for(org_coordinator), GOOD_FILE + b" " * (1024 * 1024))
    assert response.status_code == 413
    assert "1 MB" in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_expired_activity_upload_cannot_be_confirmed(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    organisation: Organisation,
    themes: list[Theme],
) -> None:
    client = client_for(org_coordinator)
    _post(client, GOOD_FILE)
    PendingUpload.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    upload = PendingUpload.objects.get()
    response = client.post(reverse("campaigns:import_confirm", args=[upload.pk]))
    assert response.status_code == 410
    assert not Activity.objects.exists()


def test_header_only_activity_file_is_refused_at_preview(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    organisation: Organisation,
    campaign: Campaign,
) -> None:
    response = _post(client_for(org_coordinator), HEADER.encode())
    assert response.status_code == 400
    assert "no rows of data" in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_a_refused_activity_import_reports_no_created_count(
    org_coordinator: User, campaign: Campaign, organisation: Organisation, themes: list[Theme]
) -> None:
    upload = activity_upload_create(
        actor=org_coordinator,
        campaign=campaign,
        filename="a.csv",
        data=_csv(
            "r-1,River camp,workcamp,own,2026-07-01,2026-07-14,KE,t1,10,,",
            "r-2,Bad dates,workcamp,own,2026-07-10,2026-07-01,KE,t1,10,,",
        ),
    )
    with pytest.raises(DomainError):
        activity_import_confirm(actor=org_coordinator, upload=upload)
    upload.refresh_from_db()
    assert upload.state == PendingUpload.State.FAILED
    assert "created" not in upload.outcome
    assert not Activity.objects.exists()

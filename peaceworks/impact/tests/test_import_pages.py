from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

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

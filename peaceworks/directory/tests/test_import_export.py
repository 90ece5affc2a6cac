"""Importing a member list (preview, all or nothing, idempotent) and safe exports."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from peaceworks.core.models import PendingUpload
from peaceworks.directory.models import Affiliation, Organisation
from peaceworks.directory.tests.factories import make_network

HEADER = "code,name,acronym,country,city,website,roles,networks\n"
GOOD = (
    HEADER
    + "ke-01,Kenya Voluntary Link,KVL,KE,Nairobi,https://kvl.example.org,sending;hosting,ccivs:full\n"
    + "pe-01,Peru Solidarity,,pe,Cusco,,hosting,ccivs:candidate\n"
)
HALF_BAD = (
    HEADER
    + "ke-01,Kenya Voluntary Link,KVL,KE,Nairobi,,sending,ccivs\n"
    + "bad code,,,ZZ,,not-a-url,flying,nope\n"
    + "pe-01,Peru Solidarity,,PE,Cusco,,,\n"
    + "ke-01,Duplicate,,KE,,,,\n"
)


def upload(client, content, name="members.csv"):
    return client.post(
        reverse("directory:import"), {"file": SimpleUploadedFile(name, content.encode())}
    )


def test_preview_lists_every_bad_row_and_writes_nothing(network_coordinator, client_for):
    make_network("ccivs")
    client = client_for(network_coordinator)
    response = upload(client, HALF_BAD)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    text = preview.content.decode()
    cells = {
        (3, "code"),
        (3, "name"),
        (3, "country"),
        (3, "website"),
        (3, "roles"),
        (3, "networks"),
        (5, "code"),
    }
    errors = preview.context["preview"].errors
    assert {(error.row, error.column) for error in errors} == cells
    assert "ZZ is not an ISO 3166 country code." in text
    assert "Confirm the import" not in text
    assert not Organisation.objects.filter(is_secretariat=False).exists()


def test_half_bad_file_imports_nothing_even_when_confirmed(network_coordinator, client_for):
    make_network("ccivs")
    client = client_for(network_coordinator)
    response = upload(client, HALF_BAD)
    pending = PendingUpload.objects.get()
    assert client.get(response["Location"]).context["counts"] == [("Rows read", 4)]
    confirm = client.post(reverse("directory:import_confirm", args=[pending.pk]))
    assert confirm.status_code == 400
    assert "nothing was imported" in confirm.content.decode()
    assert confirm.context["counts"] == [("Rows read", 4)]  # no created count
    pending.refresh_from_db()
    assert pending.state == PendingUpload.State.FAILED
    assert "created" not in pending.outcome
    assert not Organisation.objects.filter(is_secretariat=False).exists()
    assert not Affiliation.objects.exists()
    assert response.status_code == 302


def test_good_file_imports_all_rows_and_reimport_is_idempotent(network_coordinator, client_for):
    network = make_network("ccivs")
    client = client_for(network_coordinator)
    for round_number in range(2):
        upload(client, GOOD)
        pending = PendingUpload.objects.order_by("-pk").first()
        preview = client.get(reverse("directory:import_preview", args=[pending.pk]))
        counts = preview.context["preview"].counts
        assert counts == (
            {"created": 2, "updated": 0} if round_number == 0 else {"created": 0, "updated": 2}
        )
        client.post(reverse("directory:import_confirm", args=[pending.pk]))
        assert Organisation.objects.filter(is_secretariat=False).count() == 2
        assert Affiliation.objects.count() == 2
    kenya = Organisation.objects.get(code="ke-01")
    assert kenya.is_sending
    assert kenya.is_hosting
    assert not kenya.is_coordinating
    assert kenya.affiliations.get().network == network
    assert kenya.affiliations.get().history.count() == 1
    peru = Organisation.objects.get(code="pe-01")
    assert peru.country == "PE"
    assert peru.affiliations.get().membership_type == "candidate"


def test_confirming_twice_imports_once_and_the_second_is_409(network_coordinator, client_for):
    make_network("ccivs")
    client = client_for(network_coordinator)
    upload(client, GOOD)
    pending = PendingUpload.objects.get()
    assert client.post(reverse("directory:import_confirm", args=[pending.pk])).status_code == 302
    Organisation.objects.filter(code="ke-01").update(name="Renamed")
    again = client.post(reverse("directory:import_confirm", args=[pending.pk]))
    assert again.status_code == 409
    assert "already been imported" in again.content.decode()
    assert Organisation.objects.get(code="ke-01").name == "Renamed"


def test_xlsx_member_list_is_read(network_coordinator, client_for):
    make_network("ccivs")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Code", "Name", "Country"])
    sheet.append(["gh-01", "Ghana Link", "GH"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = client_for(network_coordinator)
    client.post(
        reverse("directory:import"),
        {"file": SimpleUploadedFile("members.xlsx", buffer.getvalue())},
    )
    pending = PendingUpload.objects.get()
    client.post(reverse("directory:import_confirm", args=[pending.pk]))
    assert Organisation.objects.get(code="gh-01").name == "Ghana Link"


def test_unreadable_file_shows_a_message(network_coordinator, client_for):
    client = client_for(network_coordinator)
    response = upload(client, "whatever", name="members.pdf")
    assert response.status_code == 400  # refused at upload: nothing is kept
    assert "Upload a .csv or .xlsx file" in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_missing_columns_are_reported_on_row_one(network_coordinator, client_for):
    client = client_for(network_coordinator)
    response = upload(client, "code,title\nx,y\n")
    errors = client.get(response["Location"]).context["preview"].errors
    assert {(error.row, error.column) for error in errors} == {(1, "name"), (1, "country")}


def test_only_network_staff_import(org_coordinator, network_coordinator, client_for):
    assert upload(client_for(org_coordinator), GOOD).status_code == 404
    upload(client_for(network_coordinator), GOOD)
    pending = PendingUpload.objects.get()
    other = client_for(org_coordinator)
    assert other.get(reverse("directory:import_preview", args=[pending.pk])).status_code == 404
    assert other.post(reverse("directory:import_confirm", args=[pending.pk])).status_code == 404
    assert not Organisation.objects.filter(code="ke-01").exists()


def test_export_neutralises_formula_cells(network_coordinator, make_organisation, client_for):
    for number, start in enumerate("=+-@"):
        make_organisation(name=f"{start}HYPERLINK(evil) {number}", code=f"f-{number}")
    client = client_for(network_coordinator)
    response = client.get(reverse("directory:export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [row[1] for row in rows[1:]]
    assert len(names) == 4
    assert all(name.startswith("'") for name in names)
    xlsx = client.get(reverse("directory:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert all(str(row[1]).startswith("'") for row in sheet.iter_rows(min_row=2, values_only=True))


def test_export_round_trips_through_the_import(network_coordinator, make_organisation, client_for):
    network = make_network("ccivs")
    organisation = make_organisation(name="Round Trip", code="rt-1", country="KE")
    from peaceworks.directory import services

    services.affiliation_set(
        actor=network_coordinator,
        organisation=organisation,
        network=network,
        membership_type="partner",
    )
    client = client_for(network_coordinator)
    exported = client.get(reverse("directory:export", args=["csv"])).content.decode("utf-8-sig")
    assert "ccivs:partner" in exported
    upload(client, exported)
    pending = PendingUpload.objects.get()
    preview = client.get(reverse("directory:import_preview", args=[pending.pk]))
    assert not preview.context["preview"].errors


def test_stakeholder_role_cannot_export(stakeholder, client_for):
    assert client_for(stakeholder).get(reverse("directory:export", args=["csv"])).status_code == 404


def test_unknown_export_format_is_404(org_member, client_for):
    response = client_for(org_member).get(reverse("directory:export", args=["pdf"]))
    assert response.status_code == 404


def test_upload_without_a_file_is_refused(network_coordinator, client_for):
    response = client_for(network_coordinator).post(reverse("directory:import"), {})
    assert response.status_code == 400
    assert not PendingUpload.objects.exists()


def test_member_list_over_max_upload_mb_is_413_naming_the_limit(
    network_coordinator, client_for, settings
):
    settings.MAX_UPLOAD_MB = 1
    response = upload(client_for(network_coordinator), GOOD + "x" * (1024 * 1024))
    assert response.status_code == 413
    assert "1 MB" in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_expired_member_list_cannot_be_confirmed(network_coordinator, client_for):
    from datetime import timedelta

    from django.utils import timezone

    make_network("ccivs")
    client = client_for(network_coordinator)
    upload(client, GOOD)
    PendingUpload.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    pending = PendingUpload.objects.get()
    response = client.post(reverse("directory:import_confirm", args=[pending.pk]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not Organisation.objects.filter(code="ke-01").exists()


def test_header_only_member_list_is_refused_at_preview(network_coordinator, client_for):
    response = upload(client_for(network_coordinator), HEADER)
    assert response.status_code == 400
    assert "no rows of data" in response.content.decode()
    assert not PendingUpload.objects.exists()

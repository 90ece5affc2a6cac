"""Pol.is exports: both vote layouts round-trip through the export commands; malformed
folders name file, row and column and import nothing; the upload confirms once."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from peaceworks.consultations.models import Consultation, Participant, Statement, Vote

pytestmark = pytest.mark.django_db

COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    '1,x,10,0,3,1,1,"Peace education\n belongs in every school, ""really"""\n'
    "2,x,11,1,1,3,-1,Spam that was moderated out\n"
    "3,x,12,2,2,2,0,Housing is a right\n"
    "4,x,13,0,1,1,1,Volunteers need training\n"
)
VOTES = (
    "timestamp,datetime,comment-id,voter-id,vote\n"
    "100,x,10,0,1\n"
    "200,x,10,0,-1\n"  # the latest vote of voter 0 on comment 10 counts
    "150,x,10,0,0\n"
    "100,x,12,0,1\n"
    "100,x,13,0,1\n"
    "100,x,10,1,1\n"
    "100,x,12,1,-1\n"
    "100,x,13,1,0\n"
    "100,x,11,1,1\n"  # on a moderated-out comment: dropped
    "100,x,10,2,1\n"
)
PARTICIPANT_VOTES = (
    "participant,group-id,n-comments,n-votes,n-agree,n-disagree,10,11,12,13\n"
    "0,0,0,3,2,1,-1,,1,1\n"
    "1,0,0,3,1,1,1,1,-1,0\n"
    "2,1,0,1,1,0,1,,,\n"
)
EXPECTED = {  # statement → (agree, disagree, pass)
    "10": (2, 1, 0),
    "12": (1, 1, 0),
    "13": (1, 0, 1),
}


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _export(command: str, slug: str) -> list[dict[str, str]]:
    out = io.StringIO()
    call_command(command, slug, stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.mark.parametrize(
    "votes", [{"votes.csv": VOTES}, {"participants-votes.csv": PARTICIPANT_VOTES}]
)
def test_import_round_trips_through_both_exports(tmp_path, votes):
    folder = _folder(tmp_path, {"comments.csv": COMMENTS, **votes})
    call_command("import_polis", str(folder), slug="imported", stdout=io.StringIO())
    consultation = Consultation.objects.get(slug="imported")
    statements = {s.external_id: s.text for s in consultation.statements.all()}
    assert set(statements) == {"10", "12", "13"}  # 11 was moderated out
    assert statements["10"] == 'Peace education\n belongs in every school, "really"'
    assert Vote.objects.filter(participant__consultation=consultation).count() == 7
    groups = _export("export_opinion_groups", "imported")
    assert {row["participant"] for row in groups} == {"0", "1", "2"}
    by_voter = {row["participant"]: row["group"] for row in groups}
    assert by_voter["2"] == ""  # one vote: set aside, said so with an empty group
    stats = _export("export_statements", "imported")
    assert {
        row["statement"]: (int(row["agree"]), int(row["disagree"]), int(row["pass"]))
        for row in stats
    } == EXPECTED
    for row in stats:
        assert 0.0 <= float(row["consensus"]) <= 1.0


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"comments.csv": COMMENTS, "votes.csv": VOTES + "300,x,12,3,2\n"},
            "votes.csv, row 12, column vote",
        ),
        (
            {"comments.csv": COMMENTS, "votes.csv": VOTES + "300,x,99,3,1\n"},
            "votes.csv, row 12, column comment-id",
        ),
        (
            {"comments.csv": COMMENTS.replace("3,x,12", "3,x,twelve"), "votes.csv": VOTES},
            "comments.csv, row 4, column comment-id",
        ),
        (
            {"comments.csv": COMMENTS.replace("comment-body", "body"), "votes.csv": VOTES},
            "comments.csv, row 1, column comment-body",
        ),
        (
            {
                "comments.csv": COMMENTS,
                "participants-votes.csv": PARTICIPANT_VOTES.replace(
                    "1,0,0,3,1,1,1,1,-1,0", "1,0,0,3,1,1,1,1,x,0"
                ),
            },
            "participants-votes.csv, row 3, column 12",
        ),
        ({"comments.csv": COMMENTS}, "votes.csv"),
    ],
)
def test_malformed_folders_name_the_place_and_import_nothing(tmp_path, files, expected):
    folder = _folder(tmp_path, files)
    with pytest.raises(CommandError) as refused:
        call_command("import_polis", str(folder), slug="broken", stdout=io.StringIO())
    assert expected in str(refused.value)
    assert not Consultation.objects.exists()
    assert not Statement.objects.exists()
    assert not Participant.objects.exists()


def _zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"export/{name}", text)
    return out.getvalue()


def test_upload_previews_then_confirms_once(network_coordinator, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(network_coordinator)
    data = _zip({"comments.csv": COMMENTS, "votes.csv": VOTES})
    response = client.post(
        reverse("consultations:import_polis"),
        {"slug": "uploaded", "title": "Uploaded", "file": SimpleUploadedFile("polis.zip", data)},
    )
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert not Consultation.objects.exists()
    confirm = response["Location"] + "confirm/"
    assert client.post(confirm).status_code == 302
    assert Consultation.objects.get(slug="uploaded").statements.count() == 3
    assert client.post(confirm).status_code == 409
    assert Consultation.objects.count() == 1


def test_upload_with_a_bad_row_shows_it_and_cannot_be_confirmed(network_coordinator, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(network_coordinator)
    data = _zip({"comments.csv": COMMENTS, "votes.csv": VOTES + "300,x,12,3,7\n"})
    response = client.post(
        reverse("consultations:import_polis"),
        {"slug": "bad", "file": SimpleUploadedFile("polis.zip", data)},
    )
    preview = client.get(response["Location"])
    assert "votes.csv" in preview.content.decode()
    client.post(response["Location"] + "confirm/")
    assert not Consultation.objects.exists()


def test_upload_is_for_facilitators(org_coordinator, stakeholder, client_for):
    assert client_for(org_coordinator).get(reverse("consultations:import_polis")).status_code == 403
    assert client_for(stakeholder).get(reverse("consultations:import_polis")).status_code == 404

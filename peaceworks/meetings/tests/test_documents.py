"""Session documents: attached by note-takers, chairs, the host organisation's coordinators
and network staff; read by whoever reads the meeting; refused files leave nothing behind."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peaceworks.core.errors import TooLarge
from peaceworks.core.models import AuditEvent
from peaceworks.meetings.models import SessionDocument
from peaceworks.meetings.services import meeting_update
from peaceworks.meetings.services.documents import session_document_add

API = "/api/v1/meetings"
PDF = b"%PDF-1.4 the plan outline"


def _file(name: str = "outline.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/pdf")


def _upload_page(client, session, name="outline.pdf", data=PDF, title="Plan outline"):
    return client.post(
        reverse("meetings:document_upload", args=[session.pk]),
        {"title": title, "file": _file(name, data)},
    )


def test_note_taker_attaches_on_the_session_page_and_readers_download(
    client_for, session, note_taker, chair, outsider
):
    response = _upload_page(client_for(note_taker), session)
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("meetings:session", args=[session.pk]) + "#documents"
    )
    document = SessionDocument.objects.get()
    assert (document.title, document.size, document.uploaded_by) == (
        "Plan outline",
        len(PDF),
        note_taker,
    )
    page = client_for(chair).get(reverse("meetings:session", args=[session.pk]))
    text = page.content.decode()
    assert "Plan outline" in text
    assert "25\xa0bytes" in text  # the size, as people read it
    assert note_taker.email in text  # who uploaded it
    download = client_for(chair).get(reverse("meetings:document", args=[session.pk, document.pk]))
    assert download.status_code == 200
    assert download.content == PDF
    assert download["Content-Disposition"] == 'attachment; filename="outline.pdf"'
    assert download["Cache-Control"] == "private, no-store"
    # the same rule as the meeting: an outsider learns nothing
    outsider_client = client_for(outsider)
    assert outsider_client.get(reverse("meetings:session", args=[session.pk])).status_code == 404
    assert (
        outsider_client.get(
            reverse("meetings:document", args=[session.pk, document.pk])
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("persona", "list_status", "upload_status"),
    [
        ("network_coordinator", 200, 201),
        ("chair", 200, 201),
        ("note_taker", 200, 201),
        # the member organisation's coordinator reads the meeting (its people take part) but
        # neither chairs, takes notes nor hosts it
        ("org_coordinator", 200, 403),
        ("outsider", 404, 404),
    ],
)
def test_api_upload_and_list_by_persona(
    request, client_for, session, chair, note_taker, persona, list_status, upload_status
):
    client = client_for(request.getfixturevalue(persona))
    created = client.post(
        f"{API}/sessions/{session.pk}/documents", {"title": "Slides", "file": _file()}
    )
    assert created.status_code == upload_status, created.content
    listed = client.get(f"{API}/sessions/{session.pk}/documents")
    assert listed.status_code == list_status
    if upload_status == 201:
        body = created.json()
        assert (body["title"], body["filename"], body["size"]) == ("Slides", "outline.pdf", 25)
        assert body["content_type"] == "application/pdf"
        assert listed.json()["items"] == [body]
        content = client.get(f"{API}/sessions/{session.pk}/documents/{body['id']}/content")
        assert content.content == PDF
    else:
        assert SessionDocument.objects.count() == 0


def test_host_organisation_coordinators_attach_documents(
    client_for, network_coordinator, meeting, session, outsider, other_organisation
):
    client = client_for(outsider)
    url = f"{API}/sessions/{session.pk}/documents"
    assert client.post(url, {"file": _file()}).status_code == 404  # not their meeting yet
    meeting_update(
        actor=network_coordinator,
        meeting=meeting,
        changes={"host_organisation": other_organisation},
    )
    created = client.post(url, {"file": _file()})
    assert created.status_code == 201
    assert created.json()["title"] == "outline.pdf"  # no title: the file name


@pytest.mark.parametrize(
    ("name", "data", "status", "message"),
    [
        ("empty.pdf", b"", 400, "The document is empty."),
        ("setup.exe", b"MZ binary", 400, "This kind of file cannot be attached; use one of:"),
        ("setup.pdf", b"MZ a program renamed", 400, "not a PDF file, as its name says"),
        ("photo.png", b"%PDF-1.4 a PDF renamed", 400, "not a PNG file, as its name says"),
        ("notes.txt", b"\x00\x01binary", 400, "not a TXT file, as its name says"),
        ("big.pdf", b"%PDF-" + b"x" * (1024 * 1024), 413, "1 MB"),
    ],
)
def test_a_refused_file_is_named_and_nothing_is_stored(
    settings, client_for, session, note_taker, name, data, status, message
):
    settings.MAX_UPLOAD_MB = 1
    audit_before = AuditEvent.objects.count()
    client = client_for(note_taker)
    response = client.post(
        f"{API}/sessions/{session.pk}/documents",
        {"file": SimpleUploadedFile(name, data, "application/octet-stream")},
    )
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert message in response.json()["detail"]
    if status == 400:
        # on the page the same refusal sits on the file field, with the form kept
        # (an empty file is already refused by the form's own file field)
        page = _upload_page(client, session, name=name, data=data)
        assert page.status_code == 400
        expected = "The submitted file is empty." if not data else message
        assert expected in " ".join(page.context["form"].errors["file"])
    assert SessionDocument.objects.count() == 0
    assert AuditEvent.objects.count() == audit_before


def test_the_service_refuses_a_document_over_the_limit(settings, session, note_taker):
    settings.MAX_UPLOAD_MB = 1
    with pytest.raises(TooLarge, match="larger than 1 MB"):
        session_document_add(
            actor=note_taker,
            session=session,
            title="",
            file=SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * (1024 * 1024), "application/pdf"),
        )
    assert SessionDocument.objects.count() == 0


def test_only_the_uploader_and_staff_remove_a_document(
    client_for, session, note_taker, chair, network_coordinator
):
    mine = session_document_add(
        actor=note_taker,
        session=session,
        title="Notes",
        file=SimpleUploadedFile("notes.md", b"# Notes", ""),
    )
    assert mine.content_type == "text/markdown"  # from the extension, not the client
    chair_client = client_for(chair)
    assert (
        chair_client.delete(f"{API}/sessions/{session.pk}/documents/{mine.pk}").status_code == 403
    )
    page = chair_client.get(reverse("meetings:session", args=[session.pk])).content.decode()
    assert reverse("meetings:document_delete", args=[session.pk, mine.pk]) not in page
    removed = client_for(note_taker).post(
        reverse("meetings:document_delete", args=[session.pk, mine.pk])
    )
    assert removed.status_code == 302
    theirs = session_document_add(
        actor=note_taker,
        session=session,
        title="Slides",
        file=SimpleUploadedFile("slides.pdf", PDF, "application/pdf"),
    )
    staff = client_for(network_coordinator)
    assert staff.delete(f"{API}/sessions/{session.pk}/documents/{theirs.pk}").status_code == 204
    assert SessionDocument.objects.count() == 0


def test_the_report_lists_the_documents(client_for, session, note_taker, chair):
    session_document_add(
        actor=note_taker,
        session=session,
        title="Plan outline",
        file=SimpleUploadedFile("outline.pdf", PDF, "application/pdf"),
    )
    report = client_for(chair).get(reverse("meetings:report_md", args=[session.meeting_id]))
    text = report.content.decode()
    assert "## Documents" in text
    assert f"- Strategy workshop: Plan outline (outline.pdf, 25 bytes, {note_taker.email})" in text

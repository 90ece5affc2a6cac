"""XLSForm import and export through the API: the shared upload mechanism (preview with
warnings, one confirmation, 409 on a second, 413 over the size limit) and the export that
pyxform accepts and that re-imports to the same questions."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from pyxform.xls2xform import convert

from peaceworks.accounts.models import User
from peaceworks.impact.models import Framework, Instrument
from peaceworks.impact.tests.xlsforms import forms

pytestmark = pytest.mark.django_db

API = "/api/v1/impact"
FORMS = {form.name: form for form in forms()}


def _instrument(framework: Framework) -> Instrument:
    return framework.instruments.get(role=Instrument.Role.V_POST, version=1)


def _upload(client: Client, instrument: Instrument, filename: str, data: bytes) -> Any:
    return client.post(
        f"{API}/instruments/{instrument.pk}/imports",
        {"file": SimpleUploadedFile(filename, data)},
    )


def _questions(instrument: Instrument) -> list[tuple[Any, ...]]:
    return [
        (q.code, q.kind, q.text, q.choices, q.relevant, q.xlsform.get("type"))
        for q in instrument.questions.order_by("order")
        if q.code != "matching_code"
    ]


def _draft(framework: Framework) -> Instrument:
    return framework.instruments.filter(role=Instrument.Role.V_POST).order_by(
        "-version"
    ).first() or _instrument(framework)


def test_an_xlsform_is_previewed_with_warnings_then_confirmed_once(
    client_for: Callable[[User | None], Client], network_admin: User, framework: Framework
) -> None:
    client = client_for(network_admin)
    form = FORMS["every type"]
    created = _upload(client, _instrument(framework), form.filename, form.data)
    assert created.status_code == 201, created.content
    job = created.json()
    assert job["kind"] == "xlsform"
    assert job["status"] == "previewed"
    assert job["errors"] == []
    assert job["summary"]["questions"] > 0
    # media, geo, barcode... are kept as recorded questions: named before confirming
    assert any(warning["column"] == "type" for warning in job["warnings"])
    assert _draft(framework).version == 1  # a preview writes nothing

    confirmed = client.post(f"{API}/imports/{job['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "imported"
    draft = _draft(framework)
    assert draft.version == 2
    assert draft.status == Instrument.Status.DRAFT
    assert draft.questions.count() == job["summary"]["questions"]

    again = client.post(f"{API}/imports/{job['id']}/confirm")
    assert again.status_code == 409
    assert again["Content-Type"].startswith("application/problem+json")
    assert _draft(framework).version == 2


def test_a_form_pyxform_refuses_is_previewed_with_its_reason_and_cannot_be_confirmed(
    client_for: Callable[[User | None], Client], network_admin: User, framework: Framework
) -> None:
    from peaceworks.impact.tests.xlsforms import refused

    client = client_for(network_admin)
    form = next(form for form in refused() if form.name == "duplicate choices")
    job = _upload(client, _instrument(framework), form.filename, form.data).json()
    assert job["errors"]
    assert job["errors"][0]["row"] > 1
    confirmed = client.post(f"{API}/imports/{job['id']}/confirm").json()
    assert confirmed["status"] == "failed"
    assert _draft(framework).version == 1


@override_settings(MAX_UPLOAD_MB=1)
def test_an_oversized_xlsform_is_413_and_nothing_is_stored(
    client_for: Callable[[User | None], Client], network_admin: User, framework: Framework
) -> None:
    from peaceworks.core.models import PendingUpload

    response = _upload(
        client_for(network_admin), _instrument(framework), "big.xlsx", b"x" * (1024 * 1024 + 1)
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/problem+json")
    assert not PendingUpload.objects.exists()


def test_a_file_that_is_not_a_workbook_is_400(
    client_for: Callable[[User | None], Client], network_admin: User, framework: Framework
) -> None:
    response = _upload(client_for(network_admin), _instrument(framework), "form.csv", b"a,b\n")
    assert response.status_code == 400
    assert "xlsx" in response.json()["detail"]


def test_members_may_not_import_and_stakeholders_see_nothing(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    stakeholder: User,
    framework: Framework,
) -> None:
    """Instruments are network-wide: members read them (and their XLSForm) but only network
    staff change them; stakeholders are not network members (404)."""
    form = FORMS["spellings"]
    instrument = _instrument(framework)
    assert (
        _upload(client_for(org_coordinator), instrument, form.filename, form.data).status_code
        == 403
    )
    assert (
        client_for(org_coordinator).get(f"{API}/instruments/{instrument.pk}/xlsform").status_code
        == 200
    )
    url = f"{API}/instruments/{instrument.pk}/xlsform"
    assert client_for(stakeholder).get(url).status_code == 404


@pytest.mark.parametrize("name", ["complex logic", "choice filter", "or_other", "repeats"])
def test_the_exported_xlsform_is_accepted_by_pyxform_and_reimports_the_same_questions(
    name: str,
    client_for: Callable[[User | None], Client],
    network_admin: User,
    framework: Framework,
) -> None:
    client = client_for(network_admin)
    form = FORMS[name]
    job = _upload(client, _instrument(framework), form.filename, form.data).json()
    assert client.post(f"{API}/imports/{job['id']}/confirm").json()["status"] == "imported"
    first = _draft(framework)
    before = _questions(first)

    exported = client.get(f"{API}/instruments/{first.pk}/xlsform")
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in exported["Content-Disposition"]
    data = exported.content
    convert(xlsform=io.BytesIO(data), file_type=".xlsx", warnings=[])  # pyxform accepts it

    again = _upload(client, first, "exported.xlsx", data).json()
    assert again["errors"] == []
    assert client.post(f"{API}/imports/{again['id']}/confirm").json()["status"] == "imported"
    assert _questions(_draft(framework)) == before

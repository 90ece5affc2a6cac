import csv
import io

from django.urls import reverse

from peaceworks.accounts.services import invitation_create
from peaceworks.core.audit import audit_record
from peaceworks.core.models import AuditEvent


def test_network_admin_browses_the_audit_log(client_for, network_admin, organisation):
    invitation_create(
        actor=network_admin, organisation=organisation, email="a@example.org", role="org_member"
    )
    response = client_for(network_admin).get(reverse("web:audit_log"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "invitation.create" in page
    assert network_admin.email in page


def test_everyone_else_gets_404(client_for, network_coordinator, org_coordinator, analyst):
    for user in (network_coordinator, org_coordinator, analyst):
        assert client_for(user).get(reverse("web:audit_log")).status_code == 404
        assert client_for(user).get(reverse("web:audit_log_export")).status_code == 404


def test_filters_by_action_actor_and_date(client_for, network_admin, org_coordinator):
    audit_record(actor=org_coordinator, action="activity.create")
    audit_record(actor=network_admin, action="activity.delete")
    client = client_for(network_admin)
    page = client.get(reverse("web:audit_log"), {"action": "activity.c"}).content.decode()
    assert "activity.create" in page
    assert "<td>activity.delete</td>" not in page
    page = client.get(reverse("web:audit_log"), {"actor": "org_coordinator"}).content.decode()
    assert "<td>activity.create</td>" in page
    assert "<td>activity.delete</td>" not in page
    page = client.get(reverse("web:audit_log"), {"since": "2000-01-01", "until": "2000-01-02"})
    assert "No event matches" in page.content.decode()


def test_start_date_after_end_date_is_refused_with_a_message(client_for, network_admin):
    response = client_for(network_admin).get(
        reverse("web:audit_log"), {"since": "2026-02-01", "until": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "start date is after the end date" in response.content.decode()


def test_audit_log_is_paginated_with_bounded_queries(
    client_for, network_admin, django_assert_max_num_queries
):
    AuditEvent.objects.bulk_create(
        AuditEvent(actor_label="system", action=f"bulk.{number}") for number in range(120)
    )
    client = client_for(network_admin)
    client.get(reverse("web:audit_log"))  # warm the session
    with django_assert_max_num_queries(8):
        response = client.get(reverse("web:audit_log"), {"page": 2})
    page = response.content.decode()
    assert "Page 2 of 3" in page
    assert "Newer" in page
    assert "Older" in page


def test_csv_export_follows_the_filters_and_defuses_formulas(client_for, network_admin):
    audit_record(actor=None, action="import.run", changes={})
    AuditEvent.objects.create(actor_label="system", action="import.run", target_label="=cmd()")
    audit_record(actor=None, action="other.thing")
    response = client_for(network_admin).get(reverse("web:audit_log_export"), {"action": "import."})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["at", "actor", "action"]
    assert {row[2] for row in rows[1:]} == {"import.run"}
    assert "'=cmd()" in [row[5] for row in rows[1:]]


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(reverse("web:audit_log")).status_code == 302

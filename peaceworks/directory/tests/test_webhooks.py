"""Webhooks: addresses refused before any connection when they lead to non-public networks
(when saved and again at delivery, the connection pinned to the checked address), signed
deliveries that verify with the documented algorithm, retries with backoff then ``failed``,
replay, and who may manage them."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from peaceworks.core.errors import DomainError
from peaceworks.directory.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from peaceworks.directory.services import webhooks as services
from peaceworks.directory.tasks import webhook_deliver

pytestmark = pytest.mark.django_db

EVENTS = [WebhookEvent.RESPONSE_RECEIVED]


class Receiver:
    """A loopback HTTP server recording what it is sent and answering ``status``."""

    def __init__(self) -> None:
        self.status = 200
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}/hooks/peaceworks"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True  # the only way a delivery may reach 127.0.0.1
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def no_connections(monkeypatch):
    """Fail the test if anything opens a connection."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a connection was opened to {args[0]!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)


def resolving(monkeypatch, names: dict[str, str]) -> None:
    """Make the resolver answer ``names`` (host → address) and nothing else (numeric
    addresses still resolve to themselves)."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in names and host.replace(".", "").replace(":", "").isalnum():
            try:
                ipaddress.ip_address(host)
            except ValueError:
                pass
            else:
                return real(host, port, *args, **kwargs)
        if host not in names:
            raise socket.gaierror(f"unknown name {host}")
        address = names[host]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sockaddr = (address, port, 0, 0) if family == socket.AF_INET6 else (address, port)
        return [(family, socket.SOCK_STREAM, 6, "", sockaddr)]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "http://hooks.example.org/hook",  # not HTTPS
    ],
)
def test_internal_addresses_are_refused_when_saved(
    url, no_connections, org_coordinator, organisation
):
    with pytest.raises(DomainError) as refused:
        services.webhook_subscribe(
            actor=org_coordinator, organisation=organisation, url=url, events=EVENTS
        )
    assert refused.value.field == "url"
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "192.168.1.5", "100.64.0.1"]
)
def test_a_name_resolving_to_an_internal_address_is_refused(
    address, monkeypatch, no_connections, org_coordinator, organisation
):
    resolving(monkeypatch, {"innocent.example.org": address})
    with pytest.raises(DomainError, match="internal or reserved"):
        services.webhook_subscribe(
            actor=org_coordinator,
            organisation=organisation,
            url="https://innocent.example.org/hook",
            events=EVENTS,
        )
    assert not WebhookSubscription.objects.exists()


def test_a_name_re_pointed_after_saving_is_refused_at_delivery(
    monkeypatch, no_connections, org_coordinator, organisation
):
    resolving(monkeypatch, {"hooks.example.org": "93.184.216.34"})
    subscription = services.webhook_subscribe(
        actor=org_coordinator,
        organisation=organisation,
        url="https://hooks.example.org/hook",
        events=EVENTS,
    )
    resolving(monkeypatch, {"hooks.example.org": "169.254.169.254"})
    services.webhook_emit(
        event=WebhookEvent.RESPONSE_RECEIVED, organisation_ids=[organisation.pk], payload={}
    )
    delivery = services.webhook_attempt(delivery_id=WebhookDelivery.objects.get().pk)
    attempt = WebhookAttempt.objects.get()
    assert "internal or reserved" in attempt.error
    assert attempt.status_code is None
    assert delivery.state == WebhookDelivery.State.PENDING
    assert delivery.subscription == subscription


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The receiver's check, as docs/api.md describes it."""
    fields = dict(part.split("=", 1) for part in headers["Peaceworks-Signature"].split(","))
    expected = hmac.new(
        secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


def test_a_delivery_is_signed_and_pinned_to_the_checked_address(
    monkeypatch, receiver, org_coordinator, organisation, django_capture_on_commit_callbacks
):
    subscription = services.webhook_subscribe(
        actor=org_coordinator, organisation=organisation, url=receiver.url(), events=EVENTS
    )
    # the name now resolves to the receiver: the delivery connects to the checked address
    # while the Host header keeps the name
    resolving(monkeypatch, {"hooks.example.org": "127.0.0.1"})
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        url=receiver.url("hooks.example.org")
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_emit(
            event=WebhookEvent.RESPONSE_RECEIVED,
            organisation_ids=[organisation.pk],
            payload={"round_id": 7},
        )
    [(headers, body)] = receiver.received
    assert verify(subscription.secret, headers, body)
    assert not verify("another secret", headers, body)
    assert headers["Host"] == f"hooks.example.org:{receiver.port}"
    document = json.loads(body)
    assert document["event"] == "response.received"
    assert document["data"] == {"round_id": 7}
    assert headers["Peaceworks-Delivery"] == document["id"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == WebhookDelivery.State.DELIVERED
    assert WebhookAttempt.objects.get().address == "127.0.0.1"


def test_a_failing_receiver_gets_the_retries_then_failed_then_replay(
    receiver, org_coordinator, organisation, client_for, django_capture_on_commit_callbacks
):
    receiver.status = 500
    services.webhook_subscribe(
        actor=org_coordinator, organisation=organisation, url=receiver.url(), events=EVENTS
    )
    services.webhook_emit(
        event=WebhookEvent.RESPONSE_RECEIVED, organisation_ids=[organisation.pk], payload={}
    )
    delivery = WebhookDelivery.objects.get()
    waits = []
    for _attempt in range(services.MAX_ATTEMPTS):
        before = timezone.now()
        delivery = services.webhook_attempt(delivery_id=delivery.pk)
        if delivery.next_attempt_at:
            waits.append(delivery.next_attempt_at - before)
    assert delivery.state == WebhookDelivery.State.FAILED
    assert len(receiver.received) == services.MAX_ATTEMPTS
    assert WebhookAttempt.objects.filter(delivery=delivery, status_code=500).count() == 6
    # exponential backoff: 30 s, 2 min, 8 min, 32 min, 128 min (within a second)
    expected = [timedelta(seconds=30 * 4**n) for n in range(services.MAX_ATTEMPTS - 1)]
    assert [round(wait.total_seconds()) for wait in waits] == [
        round(e.total_seconds()) for e in expected
    ]
    assert services.webhook_attempt(delivery_id=delivery.pk) is None  # failed: left alone

    receiver.status = 204
    page = client_for(org_coordinator).get(f"/network/organisations/{organisation.pk}/webhooks/")
    assert "Send again" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(org_coordinator).post(
            f"/network/webhook-deliveries/{delivery.pk}/replay/"
        )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.DELIVERED
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == 7


def test_the_task_sends_a_delivery_once(receiver, org_coordinator, organisation):
    services.webhook_subscribe(
        actor=org_coordinator, organisation=organisation, url=receiver.url(), events=EVENTS
    )
    services.webhook_emit(
        event=WebhookEvent.RESPONSE_RECEIVED, organisation_ids=[organisation.pk], payload={}
    )
    delivery = WebhookDelivery.objects.get()
    assert webhook_deliver.call(delivery.pk) == "delivered"
    assert webhook_deliver.call(delivery.pk) == "not pending"
    assert len(receiver.received) == 1


def test_only_subscribed_events_of_the_organisation_are_queued(
    receiver, org_coordinator, organisation, other_organisation
):
    services.webhook_subscribe(
        actor=org_coordinator,
        organisation=organisation,
        url=receiver.url(),
        events=[WebhookEvent.IMPORT_FINISHED],
    )
    assert (
        services.webhook_emit(
            event=WebhookEvent.RESPONSE_RECEIVED, organisation_ids=[organisation.pk], payload={}
        )
        == 0
    )
    assert (
        services.webhook_emit(
            event=WebhookEvent.IMPORT_FINISHED, organisation_ids=[other_organisation.pk], payload={}
        )
        == 0
    )
    assert (
        services.webhook_emit(
            event=WebhookEvent.IMPORT_FINISHED, organisation_ids=[organisation.pk], payload={}
        )
        == 1
    )


def test_who_manages_webhooks(
    receiver, client_for, network_coordinator, org_coordinator, org_member, outsider, organisation
):
    url = f"/network/organisations/{organisation.pk}/webhooks/"
    assert client_for(network_coordinator).get(url).status_code == 200
    assert client_for(org_coordinator).get(url).status_code == 200
    assert client_for(org_member).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    form = {"url": receiver.url(), "events": ["response.received"]}
    assert client_for(outsider).post(url, form).status_code == 404
    assert client_for(org_member).post(url, form).status_code == 403
    assert not WebhookSubscription.objects.exists()
    assert client_for(org_coordinator).post(url, form).status_code == 302
    assert WebhookSubscription.objects.get().organisation == organisation


def test_the_api_subscribes_and_shows_the_secret_once(
    receiver, client_for, org_coordinator, organisation
):
    client = client_for(org_coordinator)
    created = client.post(
        f"/api/v1/directory/organisations/{organisation.pk}/webhooks",
        {"url": receiver.url(), "events": ["response.received"]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert len(created.json()["secret"]) == 64
    listed = client.get(f"/api/v1/directory/organisations/{organisation.pk}/webhooks").json()[
        "items"
    ]
    assert "secret" not in listed[0]
    refused = client.post(
        f"/api/v1/directory/organisations/{organisation.pk}/webhooks",
        {"url": "https://10.1.2.3/x", "events": ["response.received"]},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["field"] == "url"


def test_news_of_the_whole_network_goes_to_every_subscribed_organisation(
    receiver, org_coordinator, outsider, organisation, other_organisation
):
    for actor, target in ((org_coordinator, organisation), (outsider, other_organisation)):
        services.webhook_subscribe(
            actor=actor,
            organisation=target,
            url=receiver.url(),
            events=[WebhookEvent.CONSULTATION_PHASE_CHANGED],
        )
    queued = services.webhook_emit(
        event=WebhookEvent.CONSULTATION_PHASE_CHANGED, organisation_ids=None, payload={}
    )
    assert queued == 2
    assert (
        services.webhook_emit(
            event=WebhookEvent.CONSULTATION_PHASE_CHANGED, organisation_ids=[None], payload={}
        )
        == 0
    )

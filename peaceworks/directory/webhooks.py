"""Sending webhooks safely: which addresses a delivery may reach, the signature, the request.

**Addresses.** A subscription's URL must be ``https`` and its host a name (not an address
literal) whose every address is public: loopback, private, link-local, multicast, reserved,
unspecified, shared (CGNAT) and cloud-metadata addresses are refused — when the URL is saved,
and again at every delivery, because a name can be re-pointed after it was checked. The
delivery connects to the very address it checked (the connection is pinned: no second DNS
lookup by the HTTP client), while the ``Host`` header and the TLS server name stay the URL's
host, so certificates are verified as usual. Redirects are not followed.
``WEBHOOK_ALLOW_LOOPBACK`` (a test setting, not read from the environment) lets the tests'
receiver on 127.0.0.1 take deliveries over plain HTTP; nothing else is ever allowed.

**Signature** (docs/api.md, "Webhooks"): ``Peaceworks-Signature: t=<unix time>,v1=<hex>``
where ``hex`` is HMAC-SHA256 with the subscription's secret over ``"<unix time>." + body``.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: cloud instance-metadata services (besides the link-local range, refused anyway)
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200", "192.0.0.192")
)
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")
TIMEOUT_SECONDS = 10
MAX_ANSWER_BYTES = 64 * 1024
SIGNATURE_HEADER = "Peaceworks-Signature"


class WebhookRefused(Exception):
    """The URL may not be called; the message says why, for the person who set it."""


@dataclass(frozen=True)
class Answer:
    status: int
    address: str


def _loopback_allowed() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_LOOPBACK", False))


def address_refused(address: IPAddress) -> bool:
    """Whether a delivery may not connect to ``address``."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback and _loopback_allowed():
        return False
    return (
        address in METADATA_ADDRESSES
        or address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv4Address) and address in SHARED_ADDRESS_SPACE)
        or not address.is_global
    )


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise WebhookRefused(_("The address %(host)s cannot be found.") % {"host": host}) from error
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise WebhookRefused(_("The address %(host)s cannot be found.") % {"host": host})
    return addresses


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[IPAddress, ...]


def check_url(url: str) -> Target:
    """The URL's host resolved, every address allowed; WebhookRefused otherwise."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme != "https" and not (scheme == "http" and _loopback_allowed()):
        raise WebhookRefused(_("Webhook addresses must start with https://."))
    host = parts.hostname or ""
    if not host or parts.username or parts.password:
        raise WebhookRefused(_("Give a web address with a host name and no user name."))
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        if not (_loopback_allowed() and ipaddress.ip_address(host).is_loopback):
            raise WebhookRefused(_("Use a host name, not a numeric address."))
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as error:
        raise WebhookRefused(_("The port of this address is not valid.")) from error
    addresses = _resolve(host, port)
    refused = [str(address) for address in addresses if address_refused(address)]
    if refused:
        raise WebhookRefused(
            _(
                "%(host)s leads to an internal or reserved address (%(addresses)s); webhooks "
                "only go to public addresses."
            )
            % {"host": host, "addresses": ", ".join(refused)}
        )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme, host, port, path, tuple(addresses))


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Peaceworks-Signature`` value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


def send(url: str, *, body: bytes, headers: dict[str, str]) -> Answer:
    """POST ``body`` to ``url`` after checking its addresses again, connected to the checked
    address; raises WebhookRefused or OSError (connection, TLS, timeout)."""
    target = check_url(url)
    address = str(target.addresses[0])
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target.host, target.port, address, TIMEOUT_SECONDS)
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={"Content-Type": "application/json", "User-Agent": "Peaceworks", **headers},
        )
        response = connection.getresponse()
        response.read(MAX_ANSWER_BYTES)
        return Answer(status=response.status, address=address)
    finally:
        connection.close()


def now_timestamp() -> int:
    return int(time.time())

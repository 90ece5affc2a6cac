"""Typed readers for environment variables.

Each reader returns a value of one type or raises ``ImproperlyConfigured`` with a
message that names the variable and says what a valid value looks like. Settings
never read ``os.environ`` directly, so the list in ``docs/configuration.md`` can be
checked against :data:`KNOWN_VARIABLES`.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

#: Every variable the settings read; ``docs/configuration.md`` documents each one.
KNOWN_VARIABLES: set[str] = set()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    if environ is None:  # only the real environment counts; tests pass their own mapping
        KNOWN_VARIABLES.add(name)
        return os.environ.get(name)
    return environ.get(name)


def env_str(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}."
    )


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {number}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}; got {number}.")
    return number


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] | None = None
) -> list[str]:
    """A comma-separated list; empty items are an error (a stray comma is a typo)."""
    value = _raw(name, environ)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(item == "" for item in items):
        raise ImproperlyConfigured(
            f"{name} must be a comma-separated list with no empty items; got {value!r}."
        )
    return items


def env_int_list(
    name: str,
    default: list[int],
    *,
    minimum: int = 0,
    maximum: int = 3650,
    environ: Mapping[str, str] | None = None,
) -> list[int]:
    """A comma-separated list of whole numbers between ``minimum`` and ``maximum``; an empty
    value is an empty list."""
    value = _raw(name, environ)
    if value is None:
        return list(default)
    if value.strip() == "":
        return []
    numbers = []
    for item in value.split(","):
        try:
            number = int(item.strip())
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be comma-separated whole numbers; got {value!r}."
            ) from None
        if not minimum <= number <= maximum:
            raise ImproperlyConfigured(
                f"{name} items must be between {minimum} and {maximum}; got {number}."
            )
        numbers.append(number)
    return sorted(set(numbers))


def env_choice(
    name: str, default: str, choices: set[str], *, environ: Mapping[str, str] | None = None
) -> str:
    value = env_str(name, default, environ=environ).strip()
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name} must be one of {', '.join(sorted(choices))}; got {value!r}."
        )
    return value


def parse_database_url(url: str, *, name: str = "DATABASE_URL") -> dict[str, Any]:
    """Turn ``sqlite:///path`` or ``postgres://user:pass@host:port/db`` into Django's dict."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if parts.netloc or not path:
            raise ImproperlyConfigured(
                f"{name} for SQLite must look like sqlite:///relative.db or "
                f"sqlite:////absolute/path.db; got {url!r}."
            )
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path[1:] if path.startswith("/") else path,
            # opening a connection (and its pragmas) per request cost more than a small
            # submission's own statements; a thread keeps its connection for a minute
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                # WAL lets readers work while one writer commits; the busy timeout makes a
                # second writer wait instead of failing with "database is locked".
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    if parts.scheme in {"postgres", "postgresql"}:
        database = unquote(parts.path.lstrip("/"))
        if not database:
            raise ImproperlyConfigured(f"{name} must name a database after the host; got {url!r}.")
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} has a port that is not a number: {url!r}."
            ) from None
        query = parse_qs(parts.query, keep_blank_values=True)
        options: dict[str, Any] = {key: values[-1] for key, values in query.items() if values[-1]}
        options["prepare_threshold"] = _prepare_threshold(query.get("prepare_threshold", ["5"])[-1])
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": database,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(f"{name} must start with sqlite:// or postgres://; got {url!r}.")


def _prepare_threshold(value: str) -> int | None:
    """psycopg prepares a statement of ``core.rows.statement_cursor`` after this many runs on
    one connection; empty: never (a pooler in transaction mode before PgBouncer 1.21)."""
    if value == "":
        return None
    try:
        threshold = int(value)
    except ValueError:
        threshold = -1
    if threshold < 0:
        raise ImproperlyConfigured(
            f"DATABASE_URL's prepare_threshold must be a whole number ≥ 0 or empty; got {value!r}."
        )
    return threshold


@dataclass(frozen=True)
class EmailConfig:
    backend: str
    host: str = ""
    port: int = 0
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False


def parse_email_url(url: str, *, name: str = "EMAIL_URL") -> EmailConfig:
    """``console://``, ``memory://``, ``smtp://user:pass@host:587?tls=1`` or ``smtps://…``."""
    parts = urlsplit(url)
    if parts.scheme == "console":
        return EmailConfig("django.core.mail.backends.console.EmailBackend")
    if parts.scheme == "memory":
        return EmailConfig("django.core.mail.backends.locmem.EmailBackend")
    if parts.scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ImproperlyConfigured(f"{name} must name an SMTP host; got {url!r}.")
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 25)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} has a port that is not a number: {url!r}."
            ) from None
        query = parse_qs(parts.query)
        tls = query.get("tls", ["0"])[-1].lower() in _TRUE
        return EmailConfig(
            "django.core.mail.backends.smtp.EmailBackend",
            host=parts.hostname,
            port=port,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            use_tls=tls,
            use_ssl=parts.scheme == "smtps",
        )
    raise ImproperlyConfigured(
        f"{name} must start with console://, memory://, smtp:// or smtps://; got {url!r}."
    )


#: host names that only ever reach the machine itself
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def public_address_problem(url: str, *, name: str = "SITE_URL") -> str | None:
    """What makes ``url`` unfit as the site's public address, or None when it is fit.

    Survey links, QR codes, the ODK Collect server address and e-mailed links are built from
    it: a missing address, one without ``http(s)://host``, or a loopback host (localhost,
    127.x.x.x, ::1, 0.0.0.0) would print links nobody else can open.
    """
    if not url.strip():
        return f"{name} must be set to the site's public address (for example https://peace.example.org)."
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"http", "https"} or not host:
        return f"{name} must be an address like https://peace.example.org; got {url!r}."
    loopback = host in _LOOPBACK_NAMES or host.endswith(".localhost")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        loopback = loopback or address.is_loopback or address.is_unspecified
    if loopback:
        return (
            f"{name} must be the site's public address, not {url!r}: survey links and QR codes "
            "built from a loopback address only open on the server itself."
        )
    return None

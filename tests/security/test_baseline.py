"""Security baseline: request size limit, headers and cookies in production settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_oversize_form_post_gets_413_with_the_limit(client, settings, db):
    settings.MAX_UPLOAD_MB = 1
    response = client.post(
        reverse("accounts:login"), data=b"x" * (1024 * 1024 + 1), content_type="text/plain"
    )
    assert response.status_code == 413
    assert "larger than the limit of 1 MB" in response.content.decode()


def test_oversize_api_request_gets_problem_json_413(client, settings, db):
    settings.MAX_UPLOAD_MB = 1
    response = client.post(
        "/api/v1/accounts/me", data=b"{" * (1024 * 1024 + 1), content_type="application/json"
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "The request is larger than the limit of 1 MB."


def test_request_under_the_limit_passes(client, settings, db):
    settings.MAX_UPLOAD_MB = 1
    response = client.post(reverse("accounts:login"), {"email": "a@b.org", "password": "x"})
    assert response.status_code == 401


def test_csp_forbids_inline_scripts_and_framing(client, db):
    csp = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-eval" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k2Vq9-Zt7!pL4wX0nR8sJ3eY6uB1mC5aD9fG2hK7jQ4vT8zN0oP",
    "ALLOWED_HOSTS": "peace.example.org",
    "DATABASE_URL": "sqlite:////tmp/peaceworks-headers-check.sqlite3",
    "SITE_URL": "https://peace.example.org",
}

_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
# Pages, not static files, are under test: no collectstatic manifest needed.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
client = Client(HTTP_HOST="peace.example.org")
page = client.get("/accounts/sign-in/", secure=True)
plain = client.get("/accounts/sign-in/")
language = client.post("/i18n/set-language/", {"language": "fr"}, secure=True)
def flags(response, name):
    morsel = response.cookies[name]
    return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
            "samesite": morsel["samesite"]}
print(json.dumps({
    "hsts": page.get("Strict-Transport-Security", ""),
    "plain_status": plain.status_code,
    "csrf": flags(page, "csrftoken"),
    "language": flags(language, settings.LANGUAGE_COOKIE_NAME),
    "session": {"secure": settings.SESSION_COOKIE_SECURE,
                "httponly": settings.SESSION_COOKIE_HTTPONLY,
                "samesite": settings.SESSION_COOKIE_SAMESITE},
}))
"""


def test_production_settings_send_hsts_and_secure_cookies():
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION}
    env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert "max-age=31536000" in probe["hsts"]
    assert "includeSubDomains" in probe["hsts"]
    assert probe["plain_status"] == 301  # plain HTTP is redirected to HTTPS
    for cookie in ("csrf", "language", "session"):
        assert probe[cookie] == {"secure": True, "httponly": True, "samesite": "Lax"}, cookie

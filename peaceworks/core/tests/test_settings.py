"""The settings file in a fresh interpreter, with production-like environments."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from peaceworks.core.env import public_address_problem

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k2Vq9-Zt7!pL4wX0nR8sJ3eY6uB1mC5aD9fG2hK7jQ4vT8zN0oP",
    "ALLOWED_HOSTS": "peace.example.org",
    "DATABASE_URL": "sqlite:////tmp/peaceworks-deploy-check.sqlite3",
    "SITE_URL": "https://peace.example.org",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if key not in PRODUCTION}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "peaceworks.manage", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_passes_with_production_values():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_off_refuses_the_development_secret_key():
    env = {key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_malformed_variable_stops_start_up_with_its_name():
    result = run_manage("check", env={"DATABASE_URL": "mysql://nowhere/db"})
    assert result.returncode != 0
    assert "DATABASE_URL must start with sqlite:// or postgres://" in result.stderr


def test_configuration_doc_lists_every_variable():
    from peaceworks.core.env import KNOWN_VARIABLES

    documented = set(
        re.findall(r"^\| `([A-Z_]+)` \|", (ROOT / "docs/configuration.md").read_text(), re.M)
    )
    assert KNOWN_VARIABLES, "settings read no variables?"
    assert sorted(KNOWN_VARIABLES - documented) == []
    assert sorted(documented - KNOWN_VARIABLES) == []


def test_debug_off_refuses_a_missing_public_address():
    env = {key: value for key, value in PRODUCTION.items() if key != "SITE_URL"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SITE_URL must be set to the site's public address" in result.stderr


def test_debug_off_refuses_a_loopback_public_address():
    result = run_manage("check", env={**PRODUCTION, "SITE_URL": "http://127.0.0.1:8000"})
    assert result.returncode != 0
    assert "SITE_URL must be the site's public address" in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "peace.example.org",
        "ftp://peace.example.org",
        "http://localhost:8000",
        "http://app.localhost",
        "http://127.0.0.1:8000",
        "http://127.1.2.3",
        "http://[::1]:8000",
        "http://0.0.0.0:8000",
    ],
)
def test_unfit_public_addresses_are_named(url):
    assert public_address_problem(url) is not None


@pytest.mark.parametrize(
    "url", ["https://peace.example.org", "http://10.0.0.5:8000", "https://[2001:db8::1]"]
)
def test_public_addresses_pass(url):
    assert public_address_problem(url) is None

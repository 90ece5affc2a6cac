"""Sign-in failures lock out the guessing client, not the owner; a reset lifts the lock."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from peaceworks.accounts.models import User

#: the password tests hash with the product's Argon2 (conftest.py: MD5 elsewhere)
pytestmark = pytest.mark.argon2

GUESSER = "203.0.113.9"
OWNER = "198.51.100.7"


def _sign_in(client: Client, email: str, password: str, address: str) -> Any:
    return client.post(
        reverse("accounts:login"), {"email": email, "password": password}, REMOTE_ADDR=address
    )


def _spellings(email: str) -> list[str]:
    return [email, email.upper(), f"  {email}  ", email.title(), f" {email.upper()}"]


def test_guesses_from_one_client_do_not_lock_out_the_owner_elsewhere(
    org_coordinator: User,
) -> None:
    guesser = Client()
    for spelling in _spellings(org_coordinator.email):
        _sign_in(guesser, spelling, "wrong", GUESSER)
    assert _sign_in(guesser, org_coordinator.email, PASSWORD, GUESSER).status_code == 429
    owner = Client()
    assert _sign_in(owner, org_coordinator.email, PASSWORD, OWNER).status_code == 302
    # and the owner's success hands the guesser no fresh tries
    assert _sign_in(guesser, org_coordinator.email, "wrong", GUESSER).status_code == 429


def test_completed_password_reset_lifts_the_lock(org_coordinator: User, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = Client()
    for spelling in _spellings(org_coordinator.email):
        _sign_in(client, spelling, "wrong", OWNER)
    assert _sign_in(client, org_coordinator.email, PASSWORD, OWNER).status_code == 429
    client.post(reverse("accounts:password_reset"), {"email": org_coordinator.email})
    link = next(word for word in mail.outbox[0].body.split() if "/password-reset/" in word)
    form_page = client.get(link.split("127.0.0.1:8000")[-1], follow=True)
    new_password = "a-brand-new-password-77"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert _sign_in(client, org_coordinator.email, new_password, OWNER).status_code == 302


def test_guesses_spread_over_many_clients_throttle_them_but_not_a_fresh_client(
    org_coordinator: User, settings: Any
) -> None:
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    email = org_coordinator.email
    for number in range(3):
        for _attempt in range(2):
            _sign_in(Client(), email, "wrong", f"203.0.113.{number}")
    # the address is throttled: a client that has failed once gets no further try...
    assert _sign_in(Client(), email, PASSWORD, "203.0.113.0").status_code == 429
    # ...a new client gets one: wrong, then locked; the owner's fresh client signs in
    assert _sign_in(Client(), email, "wrong", "203.0.113.50").status_code == 429
    assert _sign_in(Client(), email, PASSWORD, "203.0.113.50").status_code == 429
    assert _sign_in(Client(), email, PASSWORD, OWNER).status_code == 302

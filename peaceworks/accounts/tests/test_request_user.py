"""The session and the signed-in account read by written statements (``accounts.sessions``,
``accounts.middleware``) give what Django's ORM reads give, in every case Django handles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from peaceworks.accounts.middleware import MODEL_BACKEND, session_user
from peaceworks.accounts.models import User
from peaceworks.accounts.sessions import SessionStore


def _signed_in_key(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _request(key: str | None) -> HttpRequest:
    request = HttpRequest()
    request.session = SessionStore(key)
    return request


def _django_user(key: str) -> object:
    request = HttpRequest()
    request.session = DjangoSessionStore(key)
    return auth.get_user(request)


def test_the_settings_use_them():
    assert settings.SESSION_ENGINE == "peaceworks.accounts.sessions"
    assert "peaceworks.accounts.middleware.AuthenticationMiddleware" in settings.MIDDLEWARE
    assert settings.AUTHENTICATION_BACKENDS == [MODEL_BACKEND]


def test_a_session_loads_as_django_loads_it(org_member):
    key = _signed_in_key(org_member)
    ours, django = SessionStore(key), DjangoSessionStore(key)
    assert ours.load() == django.load()
    assert ours.load()["_auth_user_id"] == str(org_member.pk)
    assert ours.session_key == key


def test_an_expired_or_unknown_session_loads_empty_and_loses_its_key(org_member):
    key = _signed_in_key(org_member)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    for missing in (key, "no-such-session-key"):
        store, django = SessionStore(missing), DjangoSessionStore(missing)
        assert store.load() == django.load() == {}
        assert store.session_key is None
        assert django.session_key is None


def test_a_saved_session_reads_back(db):
    store = SessionStore()
    store["answer"] = 42
    store.save()
    assert SessionStore(store.session_key)["answer"] == 42


def test_the_signed_in_account_is_the_row_django_reads(org_member):
    key = _signed_in_key(org_member)
    user = session_user(_request(key))
    expected = _django_user(key)
    assert isinstance(user, User)
    assert user == expected
    assert model_to_dict(user) == model_to_dict(expected)
    assert {
        field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields
    } == {field.attname: getattr(expected, field.attname) for field in User._meta.concrete_fields}
    assert user._state.db == "default"
    assert not user._state.adding


def test_a_page_shows_the_signed_in_account(client_for, org_member):
    response = client_for(org_member).get("/accounts/profile/")
    assert response.status_code == 200
    assert response.wsgi_request.user == org_member


def test_no_session_and_a_session_without_an_account_are_anonymous(db):
    assert not session_user(_request(None)).is_authenticated
    store = SessionStore()
    store["something"] = "else"
    store.save()
    assert not session_user(_request(store.session_key)).is_authenticated


def test_an_inactive_or_deleted_account_is_anonymous(org_member, org_coordinator):
    inactive, deleted = _signed_in_key(org_member), _signed_in_key(org_coordinator)
    User.objects.filter(pk=org_member.pk).update(is_active=False)
    User.objects.filter(pk=org_coordinator.pk).delete()
    for key in (inactive, deleted):
        assert not _django_user(key).is_authenticated
        assert not session_user(_request(key)).is_authenticated


def test_a_changed_password_ends_the_session(org_member):
    key = _signed_in_key(org_member)
    org_member.set_password("another-long-password-43")
    org_member.save(update_fields=["password"])
    request = _request(key)
    assert not session_user(request).is_authenticated
    assert request.session.session_key is None  # flushed, as Django flushes it
    assert not Session.objects.filter(session_key=key).exists()


def test_a_session_without_its_hash_ends(org_member):
    key = _signed_in_key(org_member)
    store = SessionStore(key)
    del store[HASH_SESSION_KEY]
    store.save()
    assert not session_user(_request(key)).is_authenticated


def test_a_hash_of_a_fallback_secret_is_renewed(org_member, settings):
    key = _signed_in_key(org_member)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 50
    request = _request(key)
    assert session_user(request) == org_member
    assert request.session.session_key != key  # cycled, as Django cycles it
    assert request.session[HASH_SESSION_KEY] == org_member.get_session_auth_hash()


@pytest.mark.parametrize("backend", ["peaceworks.no.such.Backend", None])
def test_a_session_of_another_backend_is_left_to_django(org_member, backend):
    key = _signed_in_key(org_member)
    store = SessionStore(key)
    if backend is None:
        del store[auth.BACKEND_SESSION_KEY]
    else:
        store[auth.BACKEND_SESSION_KEY] = backend
    store.save()
    assert not _django_user(key).is_authenticated
    assert not session_user(_request(key)).is_authenticated

"""The suite's own speed switches (conftest.py) keep what they promise."""

from __future__ import annotations

import pytest

from peaceworks.accounts.models import User


def test_users_of_other_tests_are_hashed_with_md5(org_member: User) -> None:
    assert org_member.password.startswith("md5$")
    assert org_member.check_password("a-long-test-password-42")


@pytest.mark.argon2
def test_the_password_tests_hash_with_the_products_argon2(org_member: User) -> None:
    assert org_member.password.startswith("argon2")
    assert org_member.check_password("a-long-test-password-42")

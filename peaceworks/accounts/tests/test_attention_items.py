from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peaceworks.accounts.hooks import ITEMS_PER_GROUP, first_items
from peaceworks.accounts.models import User


def _people(number: int) -> None:
    User.objects.bulk_create(User(email=f"person{n}@example.org") for n in range(number))


@pytest.mark.django_db
def test_a_group_shorter_than_the_limit_is_counted_without_a_count_query() -> None:
    _people(3)
    with CaptureQueriesContext(connection) as queries:
        shown, count = first_items(User.objects.order_by("email"))
    assert (len(shown), count) == (3, 3)
    assert len(queries) == 1


@pytest.mark.django_db
def test_a_full_group_is_counted_by_the_database() -> None:
    _people(ITEMS_PER_GROUP + 4)
    shown, count = first_items(User.objects.order_by("email"))
    assert len(shown) == ITEMS_PER_GROUP
    assert count == ITEMS_PER_GROUP + 4


@pytest.mark.django_db
def test_a_group_of_exactly_the_limit_is_counted() -> None:
    _people(ITEMS_PER_GROUP)
    shown, count = first_items(User.objects.order_by("email"))
    assert (len(shown), count) == (ITEMS_PER_GROUP, ITEMS_PER_GROUP)

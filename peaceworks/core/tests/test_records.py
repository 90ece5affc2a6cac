"""The one validation every service write goes through (``peaceworks.core.records.validate``):
Django's ``full_clean()`` checks, without asking the database again for a related record the
service read from it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peaceworks.campaigns.models import Campaign, Theme
from peaceworks.campaigns.services import campaign_create, programme_create
from peaceworks.core.errors import DomainError
from peaceworks.core.records import validate


@pytest.fixture
def campaign(network_coordinator) -> Campaign:
    programme = programme_create(actor=network_coordinator, name="Raising Peace", code="rp")
    return campaign_create(
        actor=network_coordinator, programme=programme, name="Peace Campaign", code="pc"
    )


def _theme(**fields) -> Theme:
    return Theme(**{"number": 1, "code": "t1", "name": "Theme 1", **fields})


def _queries(theme: Theme) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        validate(theme)
    return [query["sql"] for query in queries.captured_queries]


def test_a_related_record_read_from_the_database_is_not_looked_up_again(campaign):
    read = Campaign.objects.get(pk=campaign.pk)
    by_record = _queries(_theme(campaign=read))
    by_id = _queries(_theme(campaign_id=campaign.pk))
    # the id alone is looked up: one query more, on the campaigns' table
    assert len(by_id) == len(by_record) + 1
    extra = [sql for sql in by_id if sql not in by_record]
    assert len(extra) == 1
    assert Campaign._meta.db_table in extra[0]
    # the uniqueness of (campaign, number) and (campaign, code) is still checked
    assert sum(Theme._meta.db_table in sql for sql in by_record) == 2


def test_an_id_of_no_record_is_refused_naming_the_field(campaign):
    with pytest.raises(DomainError) as refused:
        validate(_theme(campaign_id=campaign.pk + 1000))
    assert refused.value.field == "campaign"


def test_a_record_held_but_not_the_one_the_id_names_is_looked_up(campaign):
    theme = _theme(campaign=campaign)
    theme.campaign_id = campaign.pk + 1000  # the id changed after the record was set
    with pytest.raises(DomainError) as refused:
        validate(theme)
    assert refused.value.field == "campaign"


def test_a_new_related_record_is_looked_up(campaign):
    unsaved = Campaign(pk=campaign.pk + 1000, programme=campaign.programme, name="x", code="x")
    with pytest.raises(DomainError) as refused:
        validate(_theme(campaign=unsaved))
    assert refused.value.field == "campaign"


def test_uniqueness_and_the_fields_are_checked_as_full_clean_does(campaign, network_coordinator):
    Theme.objects.create(campaign=campaign, number=1, code="t1", name="Theme 1")
    with pytest.raises(DomainError) as duplicate:
        validate(_theme(campaign=campaign, code="t9"))
    with pytest.raises(DomainError) as blank:
        validate(_theme(campaign=campaign, number=2, code="t2", name=""))
    assert blank.value.field == "name"
    # a field that failed is left out of the uniqueness checks after it, as full_clean does
    with pytest.raises(DomainError) as both:
        validate(_theme(campaign=campaign, code="t1", name=""))
    assert both.value.field == "name"
    assert duplicate.value.field is None  # (campaign, number) is a constraint of the record


def test_a_constraint_the_caller_checked_is_not_asked_again(campaign):
    Theme.objects.create(campaign=campaign, number=1, code="t1", name="Theme 1")
    with CaptureQueriesContext(connection) as queries:
        validate(_theme(campaign=campaign, number=2, code="t2"), checked={"campaigns_theme_code"})
    # only (campaign, number) is asked
    assert sum(Theme._meta.db_table in query["sql"] for query in queries.captured_queries) == 1
    # the constraints left are still checked, a skipped one is not
    with pytest.raises(DomainError) as duplicate:
        validate(_theme(campaign=campaign, code="t9"), checked={"campaigns_theme_code"})
    assert duplicate.value.field is None
    validate(_theme(campaign=campaign, code="t9"), checked={"campaigns_theme_number"})

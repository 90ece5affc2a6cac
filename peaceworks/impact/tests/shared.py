"""The impact tests' base rows, built once for a test module whose tests share its data.

A module that imports these fixtures (``from peaceworks.impact.tests.shared import *``) gets
the secretariat, the two organisations of the personas, the network administrator, the campaign
"rpc" with its five themes and the default framework built once, inside the root conftest's
``module_transaction``, and its own module fixture builds its data on ``shared_rows`` the same
way. Each test reads its own instances of them again (``secretariat``, ``organisation``… override
the per-test fixtures of the same names, so the personas' fixtures build on them), and what a
test writes is undone after it: every test finds the rows as they were built.

Only for modules whose tests either ask for the shared data or do not depend on what else the
database holds: the rows are there for the rest of the module once one test asked for them (a
test that needs a campaign of its own lives in a module of its own).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from peaceworks.accounts.models import Role, User
from peaceworks.accounts.services import membership_grant, user_create
from peaceworks.campaigns.models import Activity, Campaign
from peaceworks.directory.models import Organisation
from peaceworks.impact.models import Framework
from peaceworks.impact.services import framework_install_default
from peaceworks.impact.tests.conftest import activity_maker, campaign_build

#: the fixtures a sharing module takes with ``from peaceworks.impact.tests.shared import *``
__all__ = [
    "campaign",
    "network_admin",
    "organisation",
    "other_organisation",
    "secretariat",
    "shared_rows",
]


@dataclass(frozen=True)
class SharedRows:
    """Primary keys of the base rows (instances are read per test)."""

    secretariat: int
    organisation: int
    other_organisation: int
    network_admin: int
    campaign: int
    framework: int

    def activity_maker(self) -> Callable[..., Activity]:
        """``make_activity`` for a module fixture: the campaign's activities, hosted by the
        personas' organisation unless told otherwise, numbered after those made already."""
        campaign = Campaign.objects.get(pk=self.campaign)
        first = Activity.objects.filter(campaign=campaign).count() + 1
        return activity_maker(campaign, Organisation.objects.get(pk=self.organisation), first=first)


@pytest.fixture(scope="module")
def shared_rows(module_transaction: Any) -> SharedRows:
    """The rows the per-test fixtures of the same names build, once for the module."""
    with module_transaction.unblock():
        secretariat = Organisation.objects.create(
            name="Secretariat", code="secretariat", country="FR", is_secretariat=True
        )
        organisation = Organisation.objects.create(
            name="Own Organisation", code="own", country="KE"
        )
        other = Organisation.objects.create(name="Other Organisation", code="other", country="PE")
        # the persona's address; its password is never used (nobody signs in as them here)
        admin = user_create(
            email="network_admin.secretariat@example.org", password=uuid.uuid4().hex
        )
        membership_grant(user=admin, organisation=secretariat, role=Role.NETWORK_ADMIN)
        campaign = campaign_build(actor=admin)
        framework = framework_install_default(actor=None, campaign=campaign)
        return SharedRows(
            secretariat=secretariat.pk,
            organisation=organisation.pk,
            other_organisation=other.pk,
            network_admin=admin.pk,
            campaign=campaign.pk,
            framework=framework.pk,
        )


@pytest.fixture
def secretariat(shared_rows: SharedRows, db: None) -> Organisation:
    return Organisation.objects.get(pk=shared_rows.secretariat)


@pytest.fixture
def organisation(shared_rows: SharedRows, db: None) -> Organisation:
    return Organisation.objects.get(pk=shared_rows.organisation)


@pytest.fixture
def other_organisation(shared_rows: SharedRows, db: None) -> Organisation:
    return Organisation.objects.get(pk=shared_rows.other_organisation)


@pytest.fixture
def network_admin(shared_rows: SharedRows, db: None) -> User:
    return User.objects.get(pk=shared_rows.network_admin)


@pytest.fixture
def campaign(shared_rows: SharedRows, db: None) -> Campaign:
    return Campaign.objects.get(pk=shared_rows.campaign)


@pytest.fixture
def framework(shared_rows: SharedRows, db: None) -> Framework:
    return Framework.objects.get(pk=shared_rows.framework)


@pytest.fixture
def make_activity(shared_rows: SharedRows, db: None) -> Callable[..., Activity]:
    return shared_rows.activity_maker()

"""Writes to the directory: organisations, affiliations, stakeholders, partnerships, the
engagement log with its follow-ups (the member-list import is in ``member_import``).

Every function checks the actor's right first (NotFound for outsiders, Forbidden for
read-only members), validates with ``full_clean()``, runs in a transaction and records an
audit event.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, user_of, viewer_for
from peaceworks.accounts.models import User
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError
from peaceworks.core.records import apply_changes, assign_changes, save_validated
from peaceworks.core.uploads import document_check
from peaceworks.directory.models import (
    Affiliation,
    AffiliationStatusChange,
    Engagement,
    FollowUp,
    Network,
    Organisation,
    Partnership,
    PartnershipDocument,
    Stakeholder,
    StakeholderContact,
)

ORGANISATION_FIELDS = (
    "name",
    "acronym",
    "code",
    "country",
    "city",
    "website",
    "is_sending",
    "is_hosting",
    "is_coordinating",
)
STAKEHOLDER_FIELDS = (
    "name",
    "acronym",
    "code",
    "stakeholder_type",
    "country",
    "city",
    "website",
    "description",
)
PARTNERSHIP_FIELDS = (
    "title",
    "code",
    "purpose",
    "status",
    "signed_on",
    "start_date",
    "end_date",
    "description",
)
ENGAGEMENT_FIELDS = (
    "occurred_on",
    "kind",
    "title",
    "people",
    "summary",
    "advice_received",
    "commitments",
)
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def _normalise_country(values: dict[str, Any]) -> dict[str, Any]:
    if isinstance(values.get("country"), str):
        return {**values, "country": values["country"].strip().upper()}
    return values


# --- organisations and affiliations ----------------------------------------------------------


@transaction.atomic
def organisation_create(*, actor: Actor, values: dict[str, Any]) -> Organisation:
    """Add a member organisation (network staff only)."""
    viewer_for(actor).require_network_staff()
    organisation = Organisation()
    apply_changes(organisation, _normalise_country(values), allowed=ORGANISATION_FIELDS)
    audit_record(actor=actor, action="organisation.create", target=organisation)
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: Actor, organisation: Organisation, values: dict[str, Any]
) -> Organisation:
    """Change an organisation's profile: network staff any, its coordinator their own.

    Only network staff may change the ``code`` (imports match on it).
    """
    viewer = viewer_for(actor)
    viewer.require_org(organisation.pk, write=True)
    values = _normalise_country(values)
    if not viewer.is_network_staff and values.get("code", organisation.code) == organisation.code:
        # The page sends the unchanged code from its disabled field; only a change is refused.
        values = {name: value for name, value in values.items() if name != "code"}
    allowed = [name for name in ORGANISATION_FIELDS if name != "code" or viewer.is_network_staff]
    changed = apply_changes(organisation, values, allowed=allowed)
    if changed:
        audit_record(
            actor=actor,
            action="organisation.update",
            target=organisation,
            changes={name: getattr(organisation, name) for name in changed},
        )
    return organisation


@transaction.atomic
def affiliation_set(
    *,
    actor: Actor,
    organisation: Organisation,
    network: Network,
    membership_type: str,
    status: str = Affiliation.Status.ACTIVE,
    valid_from: date | None = None,
    note: str = "",
) -> Affiliation:
    """Record an organisation's membership of a network from a date (network staff only).

    Creates the affiliation if needed and adds an entry to its dated history whenever the
    membership type or status changes.
    """
    viewer_for(actor).require_network_staff()
    valid_from = valid_from or timezone.localdate()
    affiliation = Affiliation.objects.filter(organisation=organisation, network=network).first()
    creating = affiliation is None
    if affiliation is None:
        affiliation = Affiliation(organisation=organisation, network=network)
    changed = assign_changes(
        affiliation,
        {"membership_type": membership_type, "status": status},
        allowed=["membership_type", "status"],
    )
    if creating or changed:
        affiliation.status_since = valid_from
        changed.append("status_since")
    save_validated(affiliation, changed=changed)
    if creating or changed:
        entry = AffiliationStatusChange(
            affiliation=affiliation,
            membership_type=membership_type,
            status=status,
            valid_from=valid_from,
            note=note,
        )
        save_validated(entry, changed=[])
        audit_record(
            actor=actor,
            action="affiliation.set",
            target=affiliation,
            changes={"membership_type": membership_type, "status": status, "from": valid_from},
        )
    return affiliation


# --- stakeholders ----------------------------------------------------------------------------


@transaction.atomic
def stakeholder_create(*, actor: Actor, values: dict[str, Any]) -> Stakeholder:
    viewer_for(actor).require_network_staff()
    stakeholder = Stakeholder()
    apply_changes(stakeholder, _normalise_country(values), allowed=STAKEHOLDER_FIELDS)
    audit_record(actor=actor, action="stakeholder.create", target=stakeholder)
    return stakeholder


@transaction.atomic
def stakeholder_update(
    *, actor: Actor, stakeholder: Stakeholder, values: dict[str, Any]
) -> Stakeholder:
    viewer_for(actor).require_network_staff()
    changed = apply_changes(stakeholder, _normalise_country(values), allowed=STAKEHOLDER_FIELDS)
    if changed:
        audit_record(
            actor=actor,
            action="stakeholder.update",
            target=stakeholder,
            changes={name: getattr(stakeholder, name) for name in changed},
        )
    return stakeholder


@transaction.atomic
def stakeholder_contact_add(
    *,
    actor: Actor,
    stakeholder: Stakeholder,
    name: str,
    position: str = "",
    email: str = "",
    phone: str = "",
) -> StakeholderContact:
    viewer_for(actor).require_network_staff()
    contact = StakeholderContact(
        stakeholder=stakeholder, name=name, position=position, email=email, phone=phone
    )
    save_validated(contact, changed=[])
    audit_record(actor=actor, action="stakeholder.contact_add", target=contact)
    return contact


# --- partnerships ----------------------------------------------------------------------------


def _set_parties(
    partnership: Partnership,
    organisations: Iterable[Organisation] | None,
    stakeholders: Iterable[Stakeholder] | None,
) -> None:
    if organisations is not None:
        partnership.organisations.set(list(organisations))
    if stakeholders is not None:
        partnership.stakeholders.set(list(stakeholders))
    if not partnership.organisations.exists() and not partnership.stakeholders.exists():
        raise DomainError(_("A partnership needs at least one organisation or stakeholder."))


@transaction.atomic
def partnership_create(
    *,
    actor: Actor,
    values: dict[str, Any],
    organisations: Iterable[Organisation] = (),
    stakeholders: Iterable[Stakeholder] = (),
    campaigns: Iterable[Any] = (),
) -> Partnership:
    """Record a partnership between parties (network staff only); at least one party.

    ``campaigns`` are the campaigns or projects (``campaigns.Campaign``) it serves.
    """
    viewer_for(actor).require_network_staff()
    partnership = Partnership()
    apply_changes(partnership, values, allowed=PARTNERSHIP_FIELDS)
    _set_parties(partnership, organisations, stakeholders)
    partnership.campaigns.set(list(campaigns))
    audit_record(actor=actor, action="partnership.create", target=partnership)
    return partnership


@transaction.atomic
def partnership_update(
    *,
    actor: Actor,
    partnership: Partnership,
    values: dict[str, Any],
    organisations: Iterable[Organisation] | None = None,
    stakeholders: Iterable[Stakeholder] | None = None,
    campaigns: Iterable[Any] | None = None,
) -> Partnership:
    viewer_for(actor).require_network_staff()
    changed = apply_changes(partnership, values, allowed=PARTNERSHIP_FIELDS)
    if organisations is not None or stakeholders is not None:
        _set_parties(partnership, organisations, stakeholders)
        changed.append("parties")
    if campaigns is not None:
        partnership.campaigns.set(list(campaigns))
        changed.append("campaigns")
    if changed:
        audit_record(
            actor=actor,
            action="partnership.update",
            target=partnership,
            changes={"fields": changed},
        )
    return partnership


@transaction.atomic
def partnership_document_add(
    *,
    actor: Actor,
    partnership: Partnership,
    title: str,
    filename: str,
    content_type: str,
    data: bytes,
) -> PartnershipDocument:
    """Attach a document; its bytes are stored in the database, never under public media."""
    viewer_for(actor).require_network_staff()
    checked = document_check(
        data=data, filename=filename, content_type=content_type, max_bytes=MAX_DOCUMENT_BYTES
    )
    document = PartnershipDocument(
        partnership=partnership,
        title=title or checked.filename,
        uploaded_by=user_of(actor),
        **checked.fields(),
    )
    save_validated(document, changed=[])
    audit_record(actor=actor, action="partnership.document_add", target=document)
    return document


# --- engagement log and follow-ups -----------------------------------------------------------


@transaction.atomic
def engagement_record(
    *,
    actor: Actor,
    values: dict[str, Any],
    stakeholder: Stakeholder | None = None,
    organisation: Organisation | None = None,
    partnership: Partnership | None = None,
) -> Engagement:
    """Log a meeting, call or exchange with a stakeholder, organisation or partnership."""
    viewer_for(actor).require_network_staff()
    engagement = Engagement(
        stakeholder=stakeholder,
        organisation=organisation,
        partnership=partnership,
        recorded_by=user_of(actor),
    )
    apply_changes(engagement, values, allowed=ENGAGEMENT_FIELDS)
    audit_record(actor=actor, action="engagement.record", target=engagement)
    return engagement


@transaction.atomic
def follow_up_create(
    *,
    actor: Actor,
    engagement: Engagement,
    description: str,
    owner: User,
    due_date: date | None = None,
) -> FollowUp:
    """Add a follow-up to an engagement; it appears on the owner's to-do list."""
    viewer_for(actor).require_network_staff()
    follow_up = FollowUp(
        engagement=engagement, description=description, owner=owner, due_date=due_date
    )
    save_validated(follow_up, changed=[])
    audit_record(actor=actor, action="follow_up.create", target=follow_up)
    return follow_up


@transaction.atomic
def follow_up_set_status(*, actor: Actor, follow_up: FollowUp, status: str) -> FollowUp:
    """Mark a follow-up done, dropped or open again: its owner or the network staff."""
    if follow_up.owner_id != getattr(actor, "pk", None):
        viewer_for(actor).require_network_staff()
    changed = apply_changes(follow_up, {"status": status}, allowed=["status"])
    if changed:
        audit_record(
            actor=actor, action="follow_up.status", target=follow_up, changes={"status": status}
        )
    return follow_up

"""Importing a member list (CSV or XLSX): check every row, then write all rows or none."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceworks.accounts.access import viewer_for
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError
from peaceworks.core.records import save_validated
from peaceworks.core.tabular import RowError, read_table
from peaceworks.directory import geography
from peaceworks.directory.models import Affiliation, DirectoryImport, Network, Organisation
from peaceworks.directory.services import (
    affiliation_set,
    organisation_create,
    organisation_update,
)

# --- member-list import ----------------------------------------------------------------------

IMPORT_COLUMNS = ("code", "name", "acronym", "country", "city", "website", "roles", "networks")
REQUIRED_COLUMNS = ("code", "name", "country")
_ROLE_FLAGS = {
    Organisation.RoleChoice.SENDING.value: "is_sending",
    Organisation.RoleChoice.HOSTING.value: "is_hosting",
    Organisation.RoleChoice.COORDINATING.value: "is_coordinating",
}


@dataclass(frozen=True)
class ImportRow:
    row: int
    code: str
    values: dict[str, Any]
    #: (network code, membership type)
    networks: tuple[tuple[str, str], ...]
    is_new: bool


@dataclass
class ImportPreview:
    errors: list[RowError] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)

    @property
    def creates(self) -> list[ImportRow]:
        return [row for row in self.rows if row.is_new]

    @property
    def updates(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.is_new]

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.rows)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]


def _check_row(
    number: int,
    cells: dict[str, str],
    *,
    networks: dict[str, Network],
    existing: set[str],
    seen: dict[str, int],
) -> tuple[ImportRow | None, list[RowError]]:
    errors: list[RowError] = []

    def bad(column: str, message: str) -> None:
        errors.append(RowError(row=number, column=column, message=message))

    code = cells.get("code", "").strip().lower()
    for column in REQUIRED_COLUMNS:
        if not cells.get(column, "").strip():
            bad(column, _("This cell is required."))
    if code:
        try:
            validate_slug(code)
        except ValidationError:
            bad("code", _("Use only letters, digits, hyphens and underscores."))
        if code in seen:
            bad(
                "code",
                _("The code %(code)s is already on row %(row)s.")
                % {"code": code, "row": seen[code]},
            )
        else:
            seen[code] = number
    if len(cells.get("name", "")) > 200:
        bad("name", _("At most 200 characters."))
    country = cells.get("country", "").strip().upper()
    if country and geography.country(country) is None:
        bad("country", _("%(value)s is not an ISO 3166 country code.") % {"value": country})
    website = cells.get("website", "").strip()
    if website:
        try:
            URLValidator()(website)
        except ValidationError:
            bad("website", _("Enter a full web address starting with https://."))
    flags = dict.fromkeys(_ROLE_FLAGS.values(), False)
    for role in _split(cells.get("roles", "").lower()):
        if role not in _ROLE_FLAGS:
            bad(
                "roles",
                _("%(value)s is not a role; use sending, hosting or coordinating.")
                % {"value": role},
            )
        else:
            flags[_ROLE_FLAGS[role]] = True
    memberships: list[tuple[str, str]] = []
    for entry in _split(cells.get("networks", "")):
        network_code, _sep, kind = entry.partition(":")
        network_code, kind = network_code.strip().lower(), (kind.strip().lower() or "full")
        if network_code not in networks:
            bad("networks", _("No network has the code %(value)s.") % {"value": network_code})
        elif kind not in Affiliation.MembershipType.values:
            bad(
                "networks",
                _("%(value)s is not a membership type.") % {"value": kind},
            )
        else:
            memberships.append((network_code, kind))
    if errors:
        return None, errors
    values = {
        "name": cells["name"].strip(),
        "acronym": cells.get("acronym", "").strip()[:30],
        "country": country,
        "city": cells.get("city", "").strip()[:120],
        "website": website,
        **flags,
    }
    return (
        ImportRow(
            row=number,
            code=code,
            values=values,
            networks=tuple(memberships),
            is_new=code not in existing,
        ),
        [],
    )


def directory_import_check(*, data: bytes, filename: str) -> ImportPreview:
    """Read a member list and say, row by row, what is wrong or what would be written.

    Writes nothing. Whole-file problems raise :class:`~peaceworks.core.tabular.TableError`.
    """
    table = read_table(filename=filename, data=data)
    preview = ImportPreview()
    headers = {header.lower() for header in table.headers}
    missing = [column for column in REQUIRED_COLUMNS if column not in headers]
    for column in missing:
        preview.errors.append(RowError(row=1, column=column, message=_("This column is missing.")))
    if missing:
        return preview
    networks = {network.code: network for network in Network.objects.all()}
    codes = [row.get("code", "").strip().lower() for row in _lowered_rows(table.rows)]
    existing = set(Organisation.objects.filter(code__in=codes).values_list("code", flat=True))
    seen: dict[str, int] = {}
    for number, cells in zip(table.row_numbers, _lowered_rows(table.rows), strict=True):
        checked, errors = _check_row(number, cells, networks=networks, existing=existing, seen=seen)
        preview.errors.extend(errors)
        if checked is not None:
            preview.rows.append(checked)
    return preview


def _lowered_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{key.lower(): value for key, value in row.items()} for row in rows]


@transaction.atomic
def directory_import_upload(*, actor: Any, filename: str, data: bytes) -> DirectoryImport:
    """Keep an uploaded member list until it is confirmed (network staff only).

    Raises TableError, before storing anything, when the file cannot be read as a table."""
    viewer_for(actor).require_network_staff()
    read_table(filename=filename, data=data)
    pending = DirectoryImport(
        filename=filename[-200:],
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by=actor,
    )
    save_validated(pending, changed=[])
    audit_record(actor=actor, action="directory_import.upload", target=pending)
    return pending


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


@transaction.atomic
def directory_import_confirm(*, actor: Any, pending: DirectoryImport) -> ImportResult:
    """Write every row of a checked upload, or none when any row is wrong.

    Re-reads the stored bytes (after checking their hash), matches organisations by code
    (so importing the same file again changes nothing) and records affiliations.
    """
    viewer_for(actor).require_network_staff()
    locked = DirectoryImport.objects.select_for_update().get(pk=pending.pk)
    if locked.applied_at is not None:
        raise DomainError(_("This file has already been imported."))
    data = bytes(locked.data)
    if hashlib.sha256(data).hexdigest() != locked.sha256:
        raise DomainError(_("The stored file has changed since it was checked; upload it again."))
    preview = directory_import_check(data=data, filename=locked.filename)
    if not preview.is_valid:
        raise DomainError(_("The file has errors; nothing was imported."))
    networks = {network.code: network for network in Network.objects.all()}
    created = updated = 0
    for row in preview.rows:
        organisation = Organisation.objects.filter(code=row.code).first()
        if organisation is None:
            organisation = organisation_create(actor=actor, values={**row.values, "code": row.code})
            created += 1
        else:
            organisation_update(actor=actor, organisation=organisation, values=row.values)
            updated += 1
        for network_code, kind in row.networks:
            current = Affiliation.objects.filter(
                organisation=organisation, network=networks[network_code]
            ).first()
            affiliation_set(
                actor=actor,
                organisation=organisation,
                network=networks[network_code],
                membership_type=kind,
                status=current.status if current else Affiliation.Status.ACTIVE,
            )
    locked.applied_at = timezone.now()
    locked.save(update_fields=["applied_at", "updated_at"])
    audit_record(
        actor=actor,
        action="directory_import.confirm",
        target=locked,
        changes={"created": created, "updated": updated},
    )
    return ImportResult(created=created, updated=updated)

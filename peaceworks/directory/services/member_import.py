"""Importing a member list (CSV or XLSX): check every row, then write all rows or none."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.urls import reverse
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, viewer_for
from peaceworks.core.errors import NotFound
from peaceworks.core.models import PendingUpload
from peaceworks.core.tabular import RowError, read_table
from peaceworks.core.uploads import ImportRefused, Preview
from peaceworks.directory import geography
from peaceworks.directory.models import Affiliation, Network, Organisation
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
    #: data rows in the file
    total: int = 0

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
    preview = ImportPreview(total=len(table.cells))
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


class MemberListImporter:
    """The member list (``directory.members``): network staff only, each upload its
    uploader's alone."""

    kind = "directory.members"

    def authorize(self, *, actor: Actor, upload: PendingUpload, write: bool) -> None:
        viewer_for(actor).require_network_staff()
        if upload.uploaded_by_id != getattr(actor, "pk", None):
            raise NotFound

    def check(self, *, actor: Actor, upload: PendingUpload) -> Preview:
        checked = directory_import_check(data=bytes(upload.data), filename=upload.filename)
        return Preview(
            rows=checked.total,
            errors=checked.errors,
            counts={"created": len(checked.creates), "updated": len(checked.updates)},
            columns=(_("Code"), _("Name"), _("Country"), _("Change")),
            items=[
                (
                    str(row.row),
                    row.code,
                    row.values["name"],
                    row.values["country"],
                    _("Add") if row.is_new else _("Update"),
                )
                for row in checked.rows
            ],
        )

    def apply(self, *, actor: Actor, upload: PendingUpload) -> dict[str, int]:
        """Match organisations by code (importing the same file again changes nothing) and
        record affiliations; every row or none."""
        preview = directory_import_check(data=bytes(upload.data), filename=upload.filename)
        if not preview.is_valid:
            raise ImportRefused(preview.errors)
        networks = {network.code: network for network in Network.objects.all()}
        created = updated = 0
        for row in preview.rows:
            organisation = Organisation.objects.filter(code=row.code).first()
            if organisation is None:
                organisation = organisation_create(
                    actor=actor, values={**row.values, "code": row.code}
                )
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
        return {"created": created, "updated": updated}

    def done_url(self, upload: PendingUpload) -> str:
        return reverse("directory:index")

    def upload_url(self, upload: PendingUpload) -> str:
        return reverse("directory:import")

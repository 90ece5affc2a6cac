"""Bulk import of activities from CSV/XLSX: preview every bad row, then write all or nothing.

The upload mechanism is ``core.uploads`` (the kind ``campaigns.activities``, the target
``{"campaign": pk}``): it keeps the file with its SHA-256 between the preview and the
confirmation, so what is written is exactly what was previewed. Rows are
matched by activity ``code``: a known code updates that activity, a new code creates one, so
importing the same file twice changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.urls import reverse
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, viewer_for
from peaceworks.campaigns.models import FEWER_OPPORTUNITY_FIELDS, Activity, Campaign
from peaceworks.campaigns.services import (
    ActivityData,
    activity_create,
    activity_update,
    activity_validate,
)
from peaceworks.core.errors import DomainError, Forbidden, NotFound
from peaceworks.core.models import PendingUpload
from peaceworks.core.tabular import RowError, Table, read_table
from peaceworks.core.uploads import ImportRefused, Preview
from peaceworks.directory.models import Organisation

MAX_ROWS = 5_000

REQUIRED_COLUMNS = (
    "code",
    "title",
    "type",
    "host_organisation",
    "start_date",
    "end_date",
    "country",
    "themes",
)
_COUNT_COLUMNS = (
    "international_volunteers",
    "local_volunteers",
    "local_participants",
    "fewer_opportunities_total",
    *FEWER_OPPORTUNITY_FIELDS,
)
OPTIONAL_COLUMNS = (
    "status",
    "place",
    "language",
    "co_organisers",
    "hours_per_day",
    *_COUNT_COLUMNS,
)


@dataclass(frozen=True)
class ImportRow:
    row: int
    host_organisation: Organisation
    data: ActivityData
    is_new: bool


@dataclass(frozen=True)
class ImportPreview:
    rows: tuple[ImportRow, ...]
    errors: tuple[RowError, ...]
    #: data rows in the file
    total: int

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def created(self) -> int:
        return sum(1 for row in self.rows if row.is_new)

    @property
    def updated(self) -> int:
        return sum(1 for row in self.rows if not row.is_new)


def _int(value: str, column: str, row: int, errors: list[RowError]) -> int:
    if value == "":
        return 0
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        errors.append(RowError(row, column, _("Give a whole number, 0 or more.")))
        return 0
    return number


def _date(value: str, column: str, row: int, errors: list[RowError]) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(RowError(row, column, _("Give a date as YYYY-MM-DD.")))
        return None


def _parse_row(
    *,
    actor: Actor,
    campaign: Campaign,
    values: dict[str, str],
    row: int,
    organisations: dict[str, Organisation],
    themes: dict[str, int],
    existing: dict[str, Activity],
) -> tuple[ImportRow | None, list[RowError]]:
    errors: list[RowError] = []
    viewer = viewer_for(actor)
    for column in REQUIRED_COLUMNS:
        if not values.get(column, ""):
            errors.append(RowError(row, column, _("This column is required.")))
    code = values.get("code", "")
    host = organisations.get(values.get("host_organisation", "").lower())
    if values.get("host_organisation") and host is None:
        errors.append(RowError(row, "host_organisation", _("No organisation has this code.")))
    elif host is not None and not viewer.can_write_org(host.pk):
        errors.append(
            RowError(
                row,
                "host_organisation",
                _("You may only register activities of your own organisation."),
            )
        )
    current = existing.get(code)
    if current is not None and current.campaign_id != campaign.pk:
        errors.append(
            RowError(row, "code", _("This code belongs to an activity of another campaign."))
        )
    if current is not None and not viewer.can_write_org(current.host_organisation_id):
        errors.append(RowError(row, "code", _("This code belongs to another organisation.")))
    activity_type = values.get("type", "")
    if activity_type and activity_type not in Activity.Type.values:
        errors.append(
            RowError(
                row,
                "type",
                _("Unknown type; use one of: %(types)s.")
                % {"types": ", ".join(Activity.Type.values)},
            )
        )
    status = values.get("status", "") or Activity.Status.PLANNED
    if status not in Activity.Status.values:
        errors.append(RowError(row, "status", _("Unknown status.")))
    theme_ids: list[int] = []
    for token in filter(
        None,
        (part.strip().lower() for part in values.get("themes", "").replace(",", ";").split(";")),
    ):
        if token not in themes:
            errors.append(
                RowError(
                    row,
                    "themes",
                    _("“%(theme)s” is not a theme of this campaign.") % {"theme": token},
                )
            )
        else:
            theme_ids.append(themes[token])
    co_ids: list[int] = []
    for token in filter(
        None,
        (
            part.strip().lower()
            for part in values.get("co_organisers", "").replace(",", ";").split(";")
        ),
    ):
        organisation = organisations.get(token)
        if organisation is None:
            errors.append(
                RowError(
                    row,
                    "co_organisers",
                    _("No organisation has the code “%(code)s”.") % {"code": token},
                )
            )
        else:
            co_ids.append(organisation.pk)
    hours: Decimal | None = None
    if values.get("hours_per_day"):
        try:
            hours = Decimal(values["hours_per_day"])
        except InvalidOperation:
            errors.append(RowError(row, "hours_per_day", _("Give a number of hours.")))
        else:
            if not Decimal(0) < hours <= Decimal(24):
                errors.append(RowError(row, "hours_per_day", _("Give between 0 and 24 hours.")))
                hours = None
    counts = {
        column: _int(values.get(column, ""), column, row, errors) for column in _COUNT_COLUMNS
    }
    start = (
        _date(values.get("start_date", ""), "start_date", row, errors)
        if values.get("start_date")
        else None
    )
    end = (
        _date(values.get("end_date", ""), "end_date", row, errors)
        if values.get("end_date")
        else None
    )
    if errors or host is None or start is None or end is None:
        return None, errors
    data = ActivityData(
        code=code,
        title=values["title"],
        activity_type=activity_type,
        start_date=start,
        end_date=end,
        country=values["country"].upper(),
        theme_ids=tuple(theme_ids),
        status=status,
        place=values.get("place", ""),
        language=values.get("language", "") or "en",
        co_organiser_ids=tuple(co_ids),
        hours_per_day=hours,
        **counts,
    )
    # Model rules (dates, counts, lengths, 1-5 themes) come from the same validation the
    # service runs, without saving.
    probe = (
        Activity.objects.get(pk=current.pk)
        if current is not None
        else Activity(campaign=campaign, host_organisation=host)
    )
    try:
        activity_validate(activity=probe, data=data)
    except DomainError as error:
        column = {"activity_type": "type", "host_organisation": "host_organisation"}.get(
            error.field or "", error.field or "code"
        )
        errors.append(RowError(row, column, error.message))
        return None, errors
    return ImportRow(row=row, host_organisation=host, data=data, is_new=current is None), errors


def activity_import_check(
    *, actor: Actor, campaign: Campaign, upload: PendingUpload
) -> ImportPreview:
    """Read and check every row; nothing is written. Whole-file problems raise TableError."""
    data = bytes(upload.data)
    table: Table = read_table(filename=upload.filename, data=data, max_rows=MAX_ROWS)
    errors: list[RowError] = []
    headers = {header.lower() for header in table.headers}
    for column in REQUIRED_COLUMNS:
        if column not in headers:
            errors.append(RowError(1, column, _("This column is missing.")))
    unknown = headers - set(REQUIRED_COLUMNS) - set(OPTIONAL_COLUMNS)
    for column in sorted(unknown):
        errors.append(RowError(1, column, _("This column is not known.")))
    if errors:
        return ImportPreview(rows=(), errors=tuple(errors), total=len(table.cells))
    organisations = {
        organisation.code.lower(): organisation for organisation in Organisation.objects.all()
    }
    themes: dict[str, int] = {}
    for theme in campaign.themes.all():
        themes[theme.code.lower()] = theme.pk
        themes[str(theme.number)] = theme.pk
    codes = [row.get("code", "") for row in table.rows]
    existing = {activity.code: activity for activity in Activity.objects.filter(code__in=codes)}
    rows: list[ImportRow] = []
    seen: set[str] = set()
    for number, raw in zip(table.row_numbers, table.rows, strict=True):
        values = {key.lower(): value for key, value in raw.items()}
        if values.get("code") and values["code"] in seen:
            errors.append(RowError(number, "code", _("This code appears twice in the file.")))
            continue
        seen.add(values.get("code", ""))
        parsed, row_errors = _parse_row(
            actor=actor,
            campaign=campaign,
            values=values,
            row=number,
            organisations=organisations,
            themes=themes,
            existing=existing,
        )
        errors.extend(row_errors)
        if parsed is not None:
            rows.append(parsed)
    return ImportPreview(rows=tuple(rows), errors=tuple(errors), total=len(table.cells))


class ActivityImporter:
    """Activities of one campaign (``campaigns.activities``): anyone who may register
    activities may upload; each upload is its uploader's alone."""

    kind = "campaigns.activities"

    def authorize(self, *, actor: Actor, upload: PendingUpload, write: bool) -> None:
        if upload.uploaded_by_id != getattr(actor, "pk", None):
            raise NotFound
        viewer = viewer_for(actor)
        if not (viewer.is_network_staff or viewer.writable_org_ids):
            # Read-only members learn they may not; people outside the network learn nothing.
            raise Forbidden if viewer.readable_org_ids else NotFound

    def _check(self, *, actor: Actor, upload: PendingUpload) -> tuple[Campaign, ImportPreview]:
        campaign = Campaign.objects.get(pk=upload.target["campaign"])
        return campaign, activity_import_check(actor=actor, campaign=campaign, upload=upload)

    def check(self, *, actor: Actor, upload: PendingUpload) -> Preview:
        _campaign, checked = self._check(actor=actor, upload=upload)
        return Preview(
            rows=checked.total,
            errors=checked.errors,
            counts={"created": checked.created, "updated": checked.updated},
            columns=(_("Code"), _("Title"), _("Hosting organisation"), _("Change")),
            items=[
                (
                    str(row.row),
                    row.data.code,
                    row.data.title,
                    row.host_organisation.name,
                    _("Add") if row.is_new else _("Update"),
                )
                for row in checked.rows
            ],
        )

    def apply(self, *, actor: Actor, upload: PendingUpload) -> dict[str, int]:
        """Write every row, or raise ImportRefused when any row is bad."""
        campaign, preview = self._check(actor=actor, upload=upload)
        if not preview.is_valid:
            raise ImportRefused(preview.errors)
        for row in preview.rows:
            if row.is_new:
                activity_create(
                    actor=actor,
                    campaign=campaign,
                    host_organisation=row.host_organisation,
                    data=row.data,
                )
            else:
                activity = Activity.objects.select_for_update().get(code=row.data.code)
                activity_update(actor=actor, activity=activity, changes=asdict(row.data))
        return {"created": preview.created, "updated": preview.updated}

    def _url(self, name: str, upload: PendingUpload) -> str:
        code = Campaign.objects.values_list("code", flat=True).get(pk=upload.target["campaign"])
        return reverse(name, kwargs={"code": code})

    def done_url(self, upload: PendingUpload) -> str:
        return self._url("campaigns:detail", upload)

    def upload_url(self, upload: PendingUpload) -> str:
        return self._url("campaigns:activity_import", upload)

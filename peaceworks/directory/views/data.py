"""The world map, the member-list import and the exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peaceworks.accounts.access import viewer_for
from peaceworks.core.exports import csv_bytes, xlsx_bytes
from peaceworks.core.upload_pages import store_posted
from peaceworks.directory import selectors
from peaceworks.directory.forms import ImportUploadForm, MapForm, OrganisationFilterForm
from peaceworks.directory.maps import choropleth_svg
from peaceworks.directory.services.member_import import MemberListImporter
from peaceworks.directory.views.organisations import filters_from


@login_required
def world_map(request: HttpRequest) -> HttpResponse:
    """Members and activities per country: two choropleths and the same figures as a table."""
    form = MapForm(request.GET or None)
    network = form.cleaned_data.get("network") if form.is_valid() else None
    rows = selectors.country_counts(
        user=request.user, network=network.pk if network is not None else None
    )
    members_map = choropleth_svg(
        {row.country: row.members for row in rows if row.members},
        title=_("Member organisations per country"),
        value_label=_("Members"),
    )
    activities_map = choropleth_svg(
        {row.country: row.activities for row in rows if row.activities},
        title=_("Activities per hosting country"),
        value_label=_("Activities"),
    )
    return render(
        request,
        "directory/map.html",
        {
            "form": form,
            "rows": rows,
            "members_map": members_map,
            "activities_map": activities_map,
            "total_members": sum(row.members for row in rows),
            "total_activities": sum(row.activities for row in rows),
        },
    )


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    viewer_for(request.user).require_network_staff()
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    upload, status = store_posted(request, form, importer=MemberListImporter.kind)
    if upload is not None:
        return redirect("directory:import_preview", pk=upload.pk)
    return render(request, "directory/import_upload.html", {"form": form}, status=status)


EXPORT_HEADERS = (
    "code",
    "name",
    "acronym",
    "country",
    "region",
    "city",
    "website",
    "roles",
    "networks",
)


@login_required
def export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The filtered directory as CSV or XLSX, in the import's columns (cells neutralised)."""
    if file_format not in {"csv", "xlsx"}:
        raise Http404
    form = OrganisationFilterForm(request.GET or None)
    organisations = selectors.organisation_directory(user=request.user, filters=filters_from(form))
    rows = [
        (
            organisation.code,
            organisation.name,
            organisation.acronym,
            organisation.country,
            organisation.region_name,
            organisation.city,
            organisation.website,
            "; ".join(
                role
                for role, is_set in (
                    ("sending", organisation.is_sending),
                    ("hosting", organisation.is_hosting),
                    ("coordinating", organisation.is_coordinating),
                )
                if is_set
            ),
            "; ".join(
                f"{affiliation.network.code}:{affiliation.membership_type}"
                for affiliation in organisation.affiliations.all()
            ),
        )
        for organisation in organisations
    ]
    if file_format == "xlsx":
        response = HttpResponse(
            xlsx_bytes(EXPORT_HEADERS, rows, title="organisations"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            csv_bytes(EXPORT_HEADERS, rows), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="organisations.{file_format}"'
    return response

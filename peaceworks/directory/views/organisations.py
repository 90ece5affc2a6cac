"""Directory list, organisation pages and forms."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peaceworks.accounts.access import viewer_for
from peaceworks.core.forms import form_page
from peaceworks.core.paging import list_page
from peaceworks.directory import hooks, selectors, services
from peaceworks.directory.forms import AffiliationForm, OrganisationFilterForm, OrganisationForm
from peaceworks.directory.models import Organisation

PAGE_SIZE = 50
ORGANISATION_SORTS = {
    "name": ("name", "pk"),
    "country": ("country", "name", "pk"),
    "recent": ("-created_at", "-pk"),
}


def filters_from(form: OrganisationFilterForm) -> selectors.OrganisationFilter:
    """The filter the form describes (invalid values are ignored)."""
    data = form.cleaned_data if form.is_valid() else {}
    network = data.get("network")
    return selectors.OrganisationFilter(
        q=data.get("q") or "",
        country=data.get("country") or "",
        region=data.get("region") or "",
        network=network.pk if network is not None else None,
        membership_type=data.get("membership_type") or "",
        role=data.get("role") or "",
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The directory with search and filters; htmx requests get the results partial only."""
    form = OrganisationFilterForm(request.GET or None)
    organisations = selectors.organisation_directory(user=request.user, filters=filters_from(form))
    listing = list_page(
        request, organisations, per_page=PAGE_SIZE, sorts=ORGANISATION_SORTS, default_sort="name"
    )
    context = {
        "form": form,
        "organisations": listing.page,
        "listing": listing,
        "viewer": viewer_for(request.user),
        "query": listing.query,
    }
    if request.headers.get("HX-Request"):
        return render(request, "directory/_organisation_results.html", context)
    return render(request, "directory/index.html", context)


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_directory(user=request.user, pk=pk)
    viewer = viewer_for(request.user)
    context = {
        "organisation": organisation,
        "viewer": viewer,
        "can_edit": viewer.can_write_org(organisation.pk),
        "history": selectors.affiliation_history(organisation=organisation),
        "activities": hooks.activities_hosted_by(user=request.user, organisation=organisation),
        "shows_activities": viewer.can_read_org(organisation.pk),
    }
    if viewer.is_network_staff:
        context["partnerships"] = selectors.partnership_list(
            user=request.user, organisation=organisation
        )
        context["engagements"] = selectors.engagement_timeline(
            user=request.user, organisation=organisation
        )
        context["affiliation_form"] = AffiliationForm()
        context["engagement_query"] = f"organisation={organisation.pk}"
    return render(request, "directory/organisation_detail.html", context)


FORM_TEMPLATE = "core/form_page.html"

_R = TypeVar("_R", bound=Model)


@dataclass(frozen=True)
class RecordTexts:
    """What a directory record's create/edit page says."""

    add_title: str
    added: str
    saved: str
    detail_route: str  # the record's page, where a saved form goes


def record_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    record: _R | None,
    name: str,
    create: Callable[[dict[str, Any]], _R],
    update: Callable[[_R, dict[str, Any]], _R],
    texts: RecordTexts,
) -> HttpResponse:
    """The one page that adds (``record`` is None) or edits (``name``) a directory record,
    through ``core.forms.form_page``: one service call, its error on the field."""
    return form_page(
        request,
        form,
        save=lambda values: (
            create(dict(values)) if record is None else update(record, dict(values))
        ),
        success_url=lambda saved: reverse(texts.detail_route, kwargs={"pk": saved.pk}),
        saved_message=texts.added if record is None else texts.saved,
        template=FORM_TEMPLATE,
        context={
            "title": texts.add_title if record is None else _("Edit %(name)s") % {"name": name}
        },
    )


@login_required
def organisation_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add an organisation (network staff), or edit the organisation ``pk``: network staff
    edit any, an organisation coordinator their own (only staff change its code)."""
    viewer = viewer_for(request.user)
    organisation = None
    if pk is None:
        viewer.require_network_staff()
    else:
        organisation = selectors.organisation_get_for_user(user=request.user, pk=pk, write=True)
    # The form validates a copy, so the service still sees what changed.
    form = OrganisationForm(
        request.POST or None,
        instance=copy.copy(organisation),
        can_change_code=viewer.is_network_staff,
    )
    return record_page(
        request,
        form,
        record=organisation,
        name=organisation.name if organisation else "",
        create=lambda values: services.organisation_create(actor=request.user, values=values),
        update=lambda record, values: services.organisation_update(
            actor=request.user, organisation=record, values=values
        ),
        texts=RecordTexts(
            add_title=_("Add an organisation"),
            added=_("The organisation has been added."),
            saved=_("The organisation has been saved."),
            detail_route="directory:organisation",
        ),
    )


def _organisation_url(organisation: Organisation) -> str:
    return reverse("directory:organisation", kwargs={"pk": organisation.pk})


@login_required
@require_POST
def affiliation_set(request: HttpRequest, pk: int) -> HttpResponse:
    viewer_for(request.user).require_network_staff()
    organisation: Organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    return form_page(
        request,
        AffiliationForm(request.POST),
        save=lambda values: services.affiliation_set(
            actor=request.user, organisation=organisation, **values
        ),
        success_url=lambda _result: _organisation_url(organisation),
        saved_message=_("The membership has been recorded."),
        template=FORM_TEMPLATE,
        context={"title": _("Record a membership")},
    )

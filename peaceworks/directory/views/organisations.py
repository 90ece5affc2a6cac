"""Directory list, organisation pages and forms."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peaceworks.accounts.access import viewer_for
from peaceworks.core.errors import DomainError
from peaceworks.directory import hooks, selectors, services
from peaceworks.directory.forms import AffiliationForm, OrganisationFilterForm, OrganisationForm
from peaceworks.directory.models import Organisation

PAGE_SIZE = 100


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
    rows = list(organisations[: PAGE_SIZE + 1])
    context = {
        "form": form,
        "organisations": rows[:PAGE_SIZE],
        "is_truncated": len(rows) > PAGE_SIZE,
        "page_size": PAGE_SIZE,
        "viewer": viewer_for(request.user),
        "query": request.GET.urlencode(),
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


def form_page(
    request: HttpRequest, form: object, *, title: str, status: int = 200, multipart: bool = False
) -> HttpResponse:
    return render(
        request,
        "directory/form.html",
        {"form": form, "title": title, "multipart": multipart},
        status=status,
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    viewer_for(request.user).require_network_staff()
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                actor=request.user, values=form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The organisation has been added."))
            return redirect("directory:organisation", pk=organisation.pk)
    status = 400 if request.method == "POST" else 200
    return form_page(request, form, title=_("Add an organisation"), status=status)


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Network staff edit any organisation; an organisation coordinator edits their own."""
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk, write=True)
    can_change_code = viewer_for(request.user).is_network_staff
    # The form validates a copy, so the service still sees what changed.
    form = OrganisationForm(
        request.POST or None, instance=copy.copy(organisation), can_change_code=can_change_code
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user, organisation=organisation, values=form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The organisation has been saved."))
            return redirect("directory:organisation", pk=organisation.pk)
    status = 400 if request.method == "POST" else 200
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": organisation.name},
        status=status,
    )


@login_required
@require_POST
def affiliation_set(request: HttpRequest, pk: int) -> HttpResponse:
    viewer_for(request.user).require_network_staff()
    organisation: Organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    form = AffiliationForm(request.POST)
    if form.is_valid():
        try:
            services.affiliation_set(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The membership has been recorded."))
            return redirect("directory:organisation", pk=organisation.pk)
    return form_page(request, form, title=_("Record a membership"), status=400)

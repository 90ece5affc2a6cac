"""Stakeholders, partnerships, the engagement log and the follow-ups (network staff data;
a follow-up's owner also sees and updates it on their to-do list)."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peaceworks.accounts.access import viewer_for
from peaceworks.core.errors import DomainError
from peaceworks.directory import selectors, services
from peaceworks.directory.forms import (
    ContactForm,
    DocumentForm,
    EngagementForm,
    FollowUpForm,
    FollowUpStatusForm,
    PartnershipForm,
    StakeholderForm,
)
from peaceworks.directory.models import (
    Engagement,
    Organisation,
    Partnership,
    PartnershipDocument,
    Stakeholder,
)
from peaceworks.directory.views.organisations import form_page


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


@login_required
def stakeholder_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    kind = request.GET.get("type", "")
    stakeholders = selectors.stakeholder_list(
        user=request.user,
        q=query,
        stakeholder_type=kind if kind in Stakeholder.Type.values else "",
    )
    return render(
        request,
        "directory/stakeholder_list.html",
        {
            "stakeholders": stakeholders,
            "types": Stakeholder.Type.choices,
            "query": query,
            "kind": kind,
        },
    )


@login_required
def stakeholder_detail(request: HttpRequest, pk: int) -> HttpResponse:
    stakeholder = selectors.stakeholder_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "directory/stakeholder_detail.html",
        {
            "stakeholder": stakeholder,
            "partnerships": selectors.partnership_list(user=request.user, stakeholder=stakeholder),
            "engagements": selectors.engagement_timeline(
                user=request.user, stakeholder=stakeholder
            ),
            "contact_form": ContactForm(),
            "engagement_query": f"stakeholder={stakeholder.pk}",
        },
    )


@login_required
def stakeholder_create(request: HttpRequest) -> HttpResponse:
    viewer_for(request.user).require_network_staff()
    form = StakeholderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            stakeholder = services.stakeholder_create(actor=request.user, values=form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The stakeholder has been added."))
            return redirect("directory:stakeholder", pk=stakeholder.pk)
    return form_page(request, form, title=_("Add a stakeholder"), status=_status(request))


@login_required
def stakeholder_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stakeholder = selectors.stakeholder_get_for_user(user=request.user, pk=pk)
    form = StakeholderForm(request.POST or None, instance=copy.copy(stakeholder))
    if request.method == "POST" and form.is_valid():
        try:
            services.stakeholder_update(
                actor=request.user, stakeholder=stakeholder, values=form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The stakeholder has been saved."))
            return redirect("directory:stakeholder", pk=stakeholder.pk)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": stakeholder.name},
        status=_status(request),
    )


@login_required
@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    stakeholder = selectors.stakeholder_get_for_user(user=request.user, pk=pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.stakeholder_contact_add(
                actor=request.user, stakeholder=stakeholder, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The contact has been added."))
            return redirect("directory:stakeholder", pk=stakeholder.pk)
    return form_page(request, form, title=_("Add a contact"), status=400)


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/partnership_list.html",
        {"partnerships": selectors.partnership_list(user=request.user)},
    )


@login_required
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "directory/partnership_detail.html",
        {
            "partnership": partnership,
            "engagements": selectors.engagement_timeline(
                user=request.user, partnership=partnership
            ),
            "document_form": DocumentForm(),
            "engagement_query": f"partnership={partnership.pk}",
        },
    )


def _partnership_values(form: PartnershipForm) -> dict[str, object]:
    return {
        name: value
        for name, value in form.cleaned_data.items()
        if name not in {"organisations", "stakeholders", "campaigns"}
    }


@login_required
def partnership_create(request: HttpRequest) -> HttpResponse:
    viewer_for(request.user).require_network_staff()
    form = PartnershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_create(
                actor=request.user,
                values=_partnership_values(form),
                organisations=form.cleaned_data["organisations"],
                stakeholders=form.cleaned_data["stakeholders"],
                campaigns=form.cleaned_data["campaigns"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The partnership has been added."))
            return redirect("directory:partnership", pk=partnership.pk)
    return form_page(request, form, title=_("Add a partnership"), status=_status(request))


@login_required
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get_for_user(user=request.user, pk=pk)
    form = PartnershipForm(request.POST or None, instance=copy.copy(partnership))
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_update(
                actor=request.user,
                partnership=partnership,
                values=_partnership_values(form),
                organisations=form.cleaned_data["organisations"],
                stakeholders=form.cleaned_data["stakeholders"],
                campaigns=form.cleaned_data["campaigns"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The partnership has been saved."))
            return redirect("directory:partnership", pk=partnership.pk)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": partnership.title},
        status=_status(request),
    )


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get_for_user(user=request.user, pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.partnership_document_add(
                actor=request.user,
                partnership=partnership,
                title=form.cleaned_data["title"],
                filename=upload.name or "document",
                content_type=upload.content_type or "",
                data=upload.read(),
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, _("The document has been attached."))
            return redirect("directory:partnership", pk=partnership.pk)
    return form_page(request, form, title=_("Attach a document"), status=400, multipart=True)


@login_required
def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """The only way to a partnership document: network staff, sent as an attachment."""
    document = selectors.partnership_document_get_for_user(
        user=request.user, partnership_pk=pk, pk=document_pk
    )
    return document_response(document)


def document_response(document: PartnershipDocument) -> HttpResponse:
    """A partnership document's bytes as an attachment no cache keeps (pages and API)."""
    response = HttpResponse(bytes(document.content), content_type="application/octet-stream")
    safe_name = "".join(char for char in document.filename if char.isalnum() or char in "._- ")
    response["Content-Disposition"] = f'attachment; filename="{safe_name or "document"}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def engagement_create(request: HttpRequest) -> HttpResponse:
    """Log an engagement with the stakeholder, organisation or partnership named in the URL."""
    viewer_for(request.user).require_network_staff()
    stakeholder, organisation, partnership = _engagement_parties(request)
    # The instance carries the parties so that the model's own check sees them.
    form = EngagementForm(
        request.POST or None,
        instance=Engagement(
            stakeholder=stakeholder, organisation=organisation, partnership=partnership
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            engagement = services.engagement_record(
                actor=request.user,
                values=form.cleaned_data,
                stakeholder=stakeholder,
                organisation=organisation,
                partnership=partnership,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The engagement has been logged."))
            return redirect(reverse("directory:follow_up_create", args=[engagement.pk]))
    return form_page(request, form, title=_("Log an engagement"), status=_status(request))


def _engagement_parties(
    request: HttpRequest,
) -> tuple[Stakeholder | None, Organisation | None, Partnership | None]:
    source = request.GET
    user = request.user
    return (
        selectors.stakeholder_get_for_user(user=user, pk=int(source["stakeholder"]))
        if source.get("stakeholder", "").isdigit()
        else None,
        selectors.organisation_get_for_directory(user=user, pk=int(source["organisation"]))
        if source.get("organisation", "").isdigit()
        else None,
        selectors.partnership_get_for_user(user=user, pk=int(source["partnership"]))
        if source.get("partnership", "").isdigit()
        else None,
    )


@login_required
def follow_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = selectors.engagement_get_for_user(user=request.user, pk=pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_create(
                actor=request.user, engagement=engagement, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The follow-up has been added to its owner's list."))
            return redirect("directory:follow_up_create", pk=engagement.pk)
    return render(
        request,
        "directory/follow_up_form.html",
        {"form": form, "engagement": engagement},
        status=_status(request),
    )


@login_required
def my_follow_ups(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "directory/my_follow_ups.html",
        {
            "follow_ups": selectors.follow_up_list_for_owner(
                user=request.user, include_closed=show_all
            ),
            "show_all": show_all,
            "statuses": FollowUpStatusForm.base_fields["status"].choices,  # type: ignore[attr-defined]  # a ChoiceField
        },
    )


@login_required
@require_POST
def follow_up_status(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = selectors.follow_up_get_for_user(user=request.user, pk=pk)
    form = FollowUpStatusForm(request.POST)
    if not form.is_valid():
        return form_page(request, form, title=_("Update a follow-up"), status=400)
    services.follow_up_set_status(
        actor=request.user, follow_up=follow_up, status=form.cleaned_data["status"]
    )
    messages.success(request, _("The follow-up has been updated."))
    return redirect("directory:my_follow_ups")

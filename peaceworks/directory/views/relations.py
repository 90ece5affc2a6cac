"""Stakeholders, partnerships, the engagement log and the follow-ups (network staff data;
a follow-up's owner also sees and updates it on their to-do list)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peaceworks.accounts.access import viewer_for
from peaceworks.core import uploads
from peaceworks.core.forms import form_page
from peaceworks.core.paging import list_page
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
from peaceworks.directory.views.organisations import FORM_TEMPLATE, RecordTexts, record_page

STAKEHOLDER_PAGE_SIZE = 50
STAKEHOLDER_SORTS = {"name": ("name", "pk"), "recent": ("-created_at", "-pk")}


@login_required
def stakeholder_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    kind = request.GET.get("type", "")
    stakeholders = selectors.stakeholder_list(
        user=request.user,
        q=query,
        stakeholder_type=kind if kind in Stakeholder.Type.values else "",
    )
    listing = list_page(
        request,
        stakeholders,
        per_page=STAKEHOLDER_PAGE_SIZE,
        sorts=STAKEHOLDER_SORTS,
        default_sort="name",
    )
    return render(
        request,
        "directory/stakeholder_list.html",
        {
            "stakeholders": listing.page,
            "listing": listing,
            "sort_choices": [("name", _("Name")), ("recent", _("Most recently added"))],
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
def stakeholder_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a stakeholder, or edit the stakeholder ``pk`` (network staff)."""
    stakeholder = None
    if pk is None:
        viewer_for(request.user).require_network_staff()
    else:
        stakeholder = selectors.stakeholder_get_for_user(user=request.user, pk=pk)
    return record_page(
        request,
        StakeholderForm(request.POST or None, instance=copy.copy(stakeholder)),
        record=stakeholder,
        name=stakeholder.name if stakeholder else "",
        create=lambda values: services.stakeholder_create(actor=request.user, values=values),
        update=lambda record, values: services.stakeholder_update(
            actor=request.user, stakeholder=record, values=values
        ),
        texts=RecordTexts(
            add_title=_("Add a stakeholder"),
            added=_("The stakeholder has been added."),
            saved=_("The stakeholder has been saved."),
            detail_route="directory:stakeholder",
        ),
    )


def _stakeholder_url(stakeholder: Stakeholder) -> str:
    return reverse("directory:stakeholder", kwargs={"pk": stakeholder.pk})


@login_required
@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    stakeholder = selectors.stakeholder_get_for_user(user=request.user, pk=pk)
    return form_page(
        request,
        ContactForm(request.POST),
        save=lambda values: services.stakeholder_contact_add(
            actor=request.user, stakeholder=stakeholder, **values
        ),
        success_url=lambda _contact: _stakeholder_url(stakeholder),
        saved_message=_("The contact has been added."),
        template=FORM_TEMPLATE,
        context={"title": _("Add a contact")},
    )


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


def _partnership_parts(values: Mapping[str, Any]) -> dict[str, Any]:
    """The service's arguments from the form: the record's values and its parties."""
    parties = {"organisations", "stakeholders", "campaigns"}
    return {
        "values": {name: value for name, value in values.items() if name not in parties},
        **{name: values[name] for name in parties},
    }


@login_required
def partnership_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a partnership, or edit the partnership ``pk`` (network staff)."""
    partnership = None
    if pk is None:
        viewer_for(request.user).require_network_staff()
    else:
        partnership = selectors.partnership_get_for_user(user=request.user, pk=pk)
    return record_page(
        request,
        PartnershipForm(request.POST or None, instance=copy.copy(partnership)),
        record=partnership,
        name=partnership.title if partnership else "",
        create=lambda values: services.partnership_create(
            actor=request.user, **_partnership_parts(values)
        ),
        update=lambda record, values: services.partnership_update(
            actor=request.user, partnership=record, **_partnership_parts(values)
        ),
        texts=RecordTexts(
            add_title=_("Add a partnership"),
            added=_("The partnership has been added."),
            saved=_("The partnership has been saved."),
            detail_route="directory:partnership",
        ),
    )


def _partnership_url(partnership: Partnership) -> str:
    return reverse("directory:partnership", kwargs={"pk": partnership.pk})


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get_for_user(user=request.user, pk=pk)

    def attach(values: Mapping[str, Any]) -> object:
        upload = values["file"]
        return services.partnership_document_add(
            actor=request.user,
            partnership=partnership,
            title=values["title"],
            filename=upload.name or "document",
            content_type=upload.content_type or "",
            data=upload.read(),
        )

    return form_page(
        request,
        DocumentForm(request.POST, request.FILES),
        save=attach,
        success_url=lambda _document: _partnership_url(partnership),
        saved_message=_("The document has been attached."),
        template=FORM_TEMPLATE,
        context={"title": _("Attach a document"), "multipart": True},
    )


@login_required
def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """The only way to a partnership document: network staff, sent as an attachment."""
    document = selectors.partnership_document_get_for_user(
        user=request.user, partnership_pk=pk, pk=document_pk
    )
    return document_response(document)


def document_response(document: PartnershipDocument) -> HttpResponse:
    """A partnership document's bytes as an attachment no cache keeps (pages and API)."""
    return uploads.document_response(data=bytes(document.content), filename=document.filename)


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
    return form_page(
        request,
        form,
        save=lambda values: services.engagement_record(
            actor=request.user,
            values=dict(values),
            stakeholder=stakeholder,
            organisation=organisation,
            partnership=partnership,
        ),
        success_url=lambda engagement: reverse("directory:follow_up_create", args=[engagement.pk]),
        saved_message=_("The engagement has been logged."),
        template=FORM_TEMPLATE,
        context={"title": _("Log an engagement")},
    )


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
    return form_page(
        request,
        FollowUpForm(request.POST or None),
        save=lambda values: services.follow_up_create(
            actor=request.user, engagement=engagement, **values
        ),
        success_url=lambda _follow_up: reverse("directory:follow_up_create", args=[engagement.pk]),
        saved_message=_("The follow-up has been added to its owner's list."),
        template="directory/follow_up_form.html",
        context={"engagement": engagement},
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
    return form_page(
        request,
        FollowUpStatusForm(request.POST),
        save=lambda values: services.follow_up_set_status(
            actor=request.user, follow_up=follow_up, status=values["status"]
        ),
        success_url=lambda _follow_up: reverse("directory:my_follow_ups"),
        saved_message=_("The follow-up has been updated."),
        template=FORM_TEMPLATE,
        context={"title": _("Update a follow-up")},
    )

"""Coordinators' pages: activities and their rounds with rates, QR codes, frameworks."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peaceworks.accounts.access import viewer_for
from peaceworks.campaigns.models import Campaign
from peaceworks.campaigns.selectors import Purpose, activity_get_for_user, activity_list_visible_to
from peaceworks.core.errors import DomainError
from peaceworks.core.paging import list_page
from peaceworks.directory.models import Organisation
from peaceworks.impact.default_framework import SWITCHABLE_QUESTIONS
from peaceworks.impact.forms import HarmFilterForm, HarmReviewForm, RoundOpenForm
from peaceworks.impact.qr import public_link, qr_bytes
from peaceworks.impact.selectors import (
    framework_list_visible_to,
    harm_answers_visible_to,
    harm_filter_choices,
    harm_queue_visible_to,
    response_get_for_harm_review,
    round_get_for_user,
    round_stats_for_activity,
)
from peaceworks.impact.services import (
    framework_install_default,
    harm_review,
    round_open,
    rounds_open_default,
)

INDEX_PAGE_SIZE = 25
INDEX_SORTS = {
    "recent": ("-start_date", "title", "pk"),
    "oldest": ("start_date", "title", "pk"),
    "title": ("title", "pk"),
}


@login_required
def index(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    query = request.GET.get("q", "").strip()[:100]
    activities = activity_list_visible_to(
        user=request.user, purpose=Purpose.ANALYSE, title_contains=query
    ).annotate(round_count=Count("survey_rounds"))
    listing = list_page(
        request, activities, per_page=INDEX_PAGE_SIZE, sorts=INDEX_SORTS, default_sort="recent"
    )
    frameworks = list(framework_list_visible_to(user=request.user))
    campaigns_without = (
        Campaign.objects.filter(impact_framework__isnull=True) if viewer.is_network_staff else []
    )
    return render(
        request,
        "impact/index.html",
        {
            "listing": listing,
            "query": query,
            "sort_choices": [
                ("recent", _("Most recent first")),
                ("oldest", _("Oldest first")),
                ("title", _("Title")),
            ],
            "sections": [
                ("dashboards", _("Dashboards")),
                ("frameworks", _("Indicator frameworks")),
                ("activities", _("Activities and their survey rounds")),
            ],
            "frameworks": frameworks,
            "campaigns_without": campaigns_without,
            "harm_pending": harm_queue_visible_to(user=request.user).count(),
            "own_organisations": Organisation.objects.filter(
                pk__in=viewer.readable_org_ids
            ).order_by("name"),
        },
    )


@login_required
@require_POST
def framework_install(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    viewer_for(request.user).require_network_staff()
    campaign = get_object_or_404(Campaign, pk=campaign_pk)
    framework_install_default(actor=request.user, campaign=campaign)
    messages.success(request, _("The default framework was installed."))
    return redirect("impact:index")


@login_required
def activity_rounds(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_get_for_user(user=request.user, pk=pk, purpose=Purpose.ANALYSE)
    form = RoundOpenForm()
    status = 200
    if request.method == "POST":
        activity = activity_get_for_user(user=request.user, pk=pk, purpose=Purpose.WRITE)
        form = RoundOpenForm(request.POST)
        try:
            if request.POST.get("action") == "default":
                opened = rounds_open_default(actor=request.user, activity=activity)
                messages.success(request, _("%(count)s rounds opened.") % {"count": len(opened)})
                return redirect("impact:activity_rounds", pk=activity.pk)
            if form.is_valid():
                round_open(
                    actor=request.user,
                    activity=activity,
                    kind=form.cleaned_data["kind"],
                    opens_at=form.cleaned_data["opens_at"],
                    closes_at=form.cleaned_data["closes_at"],
                    omitted_questions=list(SWITCHABLE_QUESTIONS)
                    if form.cleaned_data["omit_sensitive"]
                    else None,
                )
                messages.success(request, _("The round was opened."))
                return redirect("impact:activity_rounds", pk=activity.pk)
        except DomainError as error:
            form.add_error(None, error.message)
        status = 400
    stats = round_stats_for_activity(activity=activity)
    return render(
        request,
        "impact/activity_rounds.html",
        {
            "activity": activity,
            "stats": [(item, public_link(item.round)) for item in stats],
            "form": form,
            "can_write": viewer_for(request.user).can_write_org(activity.host_organisation_id),
        },
        status=status,
    )


@login_required
def round_qr(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in {"png", "svg"}:
        raise Http404
    survey_round = round_get_for_user(user=request.user, pk=pk)
    content_type = "image/svg+xml" if kind == "svg" else "image/png"
    response = HttpResponse(qr_bytes(survey_round, kind=kind), content_type=content_type)
    filename = f"round-{survey_round.activity.code}-{survey_round.kind}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


HARM_PAGE_SIZE = 20
HARM_SORTS = {"oldest": ("submitted_at", "pk"), "newest": ("-submitted_at", "-pk")}


def _harm_queue_page(
    request: HttpRequest, form: HarmReviewForm, *, invalid_pk: int | None = None
) -> HttpResponse:
    """The harm queue filtered, sorted and paged by the GET parameters."""
    activities, themes = harm_filter_choices(user=request.user)
    filters_form = HarmFilterForm(
        request.GET, activities=[(a.pk, a.title) for a in activities], themes=themes
    )
    filters = filters_form.filters()
    answers = harm_answers_visible_to(
        user=request.user,
        status="" if filters["status"] == "all" else filters["status"],
        activity_id=filters["activity"],
        theme_id=filters["theme"],
    )
    listing = list_page(
        request, answers, per_page=HARM_PAGE_SIZE, sorts=HARM_SORTS, default_sort="oldest"
    )
    return render(
        request,
        "impact/harm_queue.html",
        {
            "listing": listing,
            "filters_form": filters_form,
            "form": form,
            "invalid_pk": invalid_pk,
        },
        status=200 if invalid_pk is None else 400,
    )


@login_required
def harm_queue(request: HttpRequest) -> HttpResponse:
    return _harm_queue_page(request, HarmReviewForm())


@login_required
@require_POST
def harm_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    response = response_get_for_harm_review(user=request.user, pk=pk)
    form = HarmReviewForm(request.POST)
    if not form.is_valid():
        return _harm_queue_page(request, form, invalid_pk=pk)
    harm_review(actor=request.user, response=response, note=form.cleaned_data["note"])
    messages.success(request, _("The answer was marked as reviewed."))
    back = request.POST.get("back", "")
    # Back to the same filtered page: only a plain query string, never another address.
    if re.fullmatch(r"\?[\w=&%+.\-]{0,500}", back):
        return redirect(reverse("impact:harm_queue") + back)
    return redirect("impact:harm_queue")

"""Coordinators' pages: activities and their rounds with rates, QR codes, frameworks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peaceworks.accounts.access import viewer_for
from peaceworks.campaigns.models import Campaign
from peaceworks.campaigns.selectors import Purpose, activity_get_for_user, activity_list_visible_to
from peaceworks.core.errors import DomainError
from peaceworks.directory.models import Organisation
from peaceworks.impact.default_framework import SWITCHABLE_QUESTIONS
from peaceworks.impact.forms import HarmReviewForm, QuotableForm, RoundOpenForm
from peaceworks.impact.qr import public_link, qr_bytes
from peaceworks.impact.selectors import (
    can_mark_quotes,
    framework_list_visible_to,
    free_text_answers_visible_to,
    harm_queue_visible_to,
    response_get_for_harm_review,
    response_get_for_quote,
    round_get_for_user,
    round_stats_for_activity,
)
from peaceworks.impact.services import (
    answer_quotable_set,
    framework_install_default,
    harm_review,
    round_open,
    rounds_open_default,
)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    activities = activity_list_visible_to(user=request.user, purpose=Purpose.ANALYSE).annotate(
        round_count=Count("survey_rounds")
    )[:200]
    frameworks = list(framework_list_visible_to(user=request.user))
    campaigns_without = (
        Campaign.objects.filter(impact_framework__isnull=True) if viewer.is_network_staff else []
    )
    return render(
        request,
        "impact/index.html",
        {
            "activities": activities,
            "frameworks": frameworks,
            "campaigns_without": campaigns_without,
            "harm_pending": harm_queue_visible_to(user=request.user).count(),
            "can_mark_quotes": can_mark_quotes(viewer),
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


@login_required
def harm_queue(request: HttpRequest) -> HttpResponse:
    pending = harm_queue_visible_to(user=request.user).order_by("submitted_at")[:100]
    return render(request, "impact/harm_queue.html", {"pending": pending, "form": HarmReviewForm()})


@login_required
@require_POST
def harm_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    response = response_get_for_harm_review(user=request.user, pk=pk)
    form = HarmReviewForm(request.POST)
    if not form.is_valid():
        pending = harm_queue_visible_to(user=request.user).order_by("submitted_at")[:100]
        return render(
            request,
            "impact/harm_queue.html",
            {"pending": pending, "form": form, "invalid_pk": pk},
            status=400,
        )
    harm_review(actor=request.user, response=response, note=form.cleaned_data["note"])
    messages.success(request, _("The answer was marked as reviewed."))
    return redirect("impact:harm_queue")


@login_required
def free_text_answers(request: HttpRequest, status: int = 200, error: str = "") -> HttpResponse:
    """Written answers with a "quotable" toggle where the respondent agreed to being quoted."""
    answers = free_text_answers_visible_to(user=request.user)
    return render(
        request, "impact/free_text.html", {"answers": answers, "error": error}, status=status
    )


@login_required
@require_POST
def answer_quotable_view(request: HttpRequest, pk: int) -> HttpResponse:
    response = response_get_for_quote(user=request.user, pk=pk)
    form = QuotableForm(request.POST)
    if not form.is_valid():
        return free_text_answers(request, status=400, error=_("The answer could not be changed."))
    try:
        quotable = answer_quotable_set(
            actor=request.user,
            response=response,
            question_code=form.cleaned_data["question"],
            is_quotable=form.cleaned_data["is_quotable"],
        )
    except DomainError as error:
        return free_text_answers(request, status=400, error=error.message)
    messages.success(
        request,
        _("The answer was marked as quotable.")
        if quotable
        else _("The answer is no longer quotable."),
    )
    return redirect("impact:free_text")

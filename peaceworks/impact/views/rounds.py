"""A round's operations page for its coordinators: the submissions (pseudonymous), the
survey's preview in each language, the import template, the follow-up reminders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peaceworks.accounts.access import viewer_for
from peaceworks.core.errors import DomainError
from peaceworks.core.exports import csv_bytes, xlsx_bytes
from peaceworks.core.paging import list_page
from peaceworks.impact.respondent import survey_preview_screens
from peaceworks.impact.selectors import (
    follow_up_reminder_counts,
    round_get_for_user,
    round_submissions,
    submission_rows,
)
from peaceworks.impact.services.imports import responses_template_columns
from peaceworks.impact.services.reminders import REMINDED_KINDS, follow_up_reminders_request
from peaceworks.impact.views.public import LANGUAGE_NAMES, step_context

SUBMISSIONS_PAGE_SIZE = 50


def _language_label(code: str) -> str:
    """The language's name in the viewer's language; the code itself if Django knows none."""
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = round_get_for_user(user=request.user, pk=pk)
    listing = list_page(
        request, round_submissions(survey_round=survey_round), per_page=SUBMISSIONS_PAGE_SIZE
    )
    languages = list(survey_round.instrument.languages or ["en"])
    reminds = survey_round.kind in REMINDED_KINDS
    return render(
        request,
        "impact/round_detail.html",
        {
            "round": survey_round,
            "activity": survey_round.activity,
            "listing": listing,
            "rows": [
                (row, _language_label(row.response.language))
                for row in submission_rows(survey_round=survey_round, responses=list(listing.page))
            ],
            "survey_languages": [(code, LANGUAGE_NAMES.get(code, code)) for code in languages],
            "reminders": follow_up_reminder_counts(survey_round=survey_round) if reminds else None,
            "can_write": viewer_for(request.user).can_write_org(
                survey_round.activity.host_organisation_id
            ),
            "sections": [
                ("submissions", _("Submissions")),
                ("preview", _("Preview")),
                ("template", _("Import template")),
                *([("reminders", _("Reminders"))] if reminds else []),
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_preview(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """The respondent's screens, one at a time, read-only: a POST only moves to the next or
    previous screen (the same buttons as the survey); nothing typed is read or stored."""
    survey_round = round_get_for_user(user=request.user, pk=pk)
    if language not in (survey_round.instrument.languages or ["en"]):
        raise Http404
    with translation.override(language):
        screens = survey_preview_screens(survey_round, language)
    try:
        index = int(request.GET.get("screen", "0"))
    except ValueError:
        index = 0
    index = min(max(index, 0), len(screens) - 1)
    url = reverse("impact:round_preview", args=[survey_round.pk, language])
    if request.method == "POST":
        index += -1 if request.POST.get("action") == "back" else 1
        index = min(max(index, 0), len(screens) - 1)
        return redirect(f"{url}?screen={index}")
    viewer_language = translation.get_language()
    languages = survey_round.instrument.languages or ["en"]
    with translation.override(language):
        context = step_context(survey_round, language, screens[index])
        context |= {
            "state_token": "",
            "viewer_language": viewer_language,
            "language_name": LANGUAGE_NAMES.get(language, language),
            "preview_languages": [(code, LANGUAGE_NAMES.get(code, code)) for code in languages],
            "preview_number": index + 1,
            "preview_count": len(screens),
            "preview_url": url,
            "previous_screen": index - 1 if index > 0 else None,
            "next_screen": index + 1 if index + 1 < len(screens) else None,
        }
        return render(request, "impact/round_preview.html", context)


@login_required
def round_import_template(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The header the round's responses importer reads, as CSV or XLSX, without sample rows."""
    if kind not in {"csv", "xlsx"}:
        raise Http404
    survey_round = round_get_for_user(user=request.user, pk=pk)
    columns = responses_template_columns(survey_round)
    name = f"responses-{survey_round.activity.code}-{survey_round.kind}.{kind}"
    if kind == "csv":
        response = HttpResponse(csv_bytes(columns, []), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            xlsx_bytes(columns, [], title=_("Responses")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def round_reminders(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = round_get_for_user(user=request.user, pk=pk, write=True)
    try:
        due = follow_up_reminders_request(actor=request.user, survey_round=survey_round)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if due:
            messages.success(
                request,
                _("Reminders are on their way to %(count)s people.") % {"count": due},
            )
        else:
            messages.info(request, _("Nobody is waiting for a reminder of this survey."))
    return redirect(reverse("impact:round_detail", args=[survey_round.pk]) + "#reminders")

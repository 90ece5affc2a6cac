"""OpenRosa endpoints for ODK Collect / KoboCollect, and the coordinators' collection buttons.

The OpenRosa endpoints are authenticated by the collection token in the URL (no cookie, so
no CSRF token): an unknown or revoked token is answered 401. Every answer carries
``X-OpenRosa-Version: 1.0``; refusals carry an OpenRosa response message, never a 500.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peaceworks.core.errors import Conflict, DomainError, NotFound
from peaceworks.impact.models import Round
from peaceworks.impact.openrosa import (
    XForm,
    active_token,
    collection_open,
    collection_revoke,
    form_list_xml,
    response_xml,
    round_for_token,
    round_xforms,
    setup_qr_svg,
    submission_store,
)
from peaceworks.impact.selectors import round_get_for_user

XML = "text/xml; charset=utf-8"


def _max_bytes() -> int:
    return int(settings.MAX_UPLOAD_MB) * 1024 * 1024


def _openrosa(body: bytes, *, status: int = 200, content_type: str = XML) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    response["X-OpenRosa-Version"] = "1.0"
    response["X-OpenRosa-Accept-Content-Length"] = str(_max_bytes())
    return response


def _message(message: str, *, status: int) -> HttpResponse:
    return _openrosa(response_xml(message), status=status)


def _unauthorised() -> HttpResponse:
    response = _message(
        _("This collection link is not valid or was revoked. Ask the coordinator for a new one."),
        status=401,
    )
    response["WWW-Authenticate"] = 'Token realm="peaceworks-openrosa"'
    return response


@csrf_exempt
@require_GET
def form_list(request: HttpRequest, token: str) -> HttpResponse:
    survey_round = round_for_token(token)
    if survey_round is None:
        return _unauthorised()
    wanted = request.GET.get("formID")
    try:
        forms = [f for f in round_xforms(survey_round) if not wanted or f.form_id == wanted]
    except DomainError as error:
        return _message(error.message, status=409)

    def download_url(xform: XForm) -> str:
        return request.build_absolute_uri(
            reverse("impact:openrosa_form", args=[token, xform.form_id])
        )

    return _openrosa(form_list_xml(forms, download_url))


@csrf_exempt
@require_GET
def form_download(request: HttpRequest, token: str, form_id: str) -> HttpResponse:
    survey_round = round_for_token(token)
    if survey_round is None:
        return _unauthorised()
    try:
        forms = round_xforms(survey_round)
    except DomainError as error:
        return _message(error.message, status=409)
    for xform in forms:
        if xform.form_id == form_id:
            return _openrosa(xform.xml)
    return _message(_("There is no such form."), status=404)


@csrf_exempt
@require_http_methods(["HEAD", "POST"])
def submission(request: HttpRequest, token: str) -> HttpResponse:
    survey_round = round_for_token(token)
    if survey_round is None:
        return _unauthorised()
    if request.method == "HEAD":
        return _openrosa(b"", status=204)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > _max_bytes():
        return _message(
            _("The submission is larger than %(size)s MB.") % {"size": settings.MAX_UPLOAD_MB},
            status=413,
        )
    try:
        upload = request.FILES.get("xml_submission_file")
    except Exception:  # noqa: BLE001 -- a malformed multipart body is the client's error
        return _message(_("The submission is not a valid multipart form."), status=400)
    if upload is None:
        return _message(_("The submission has no xml_submission_file."), status=400)
    # the files the answers name (photos, recordings…) are kept with the response
    files = {name: item for name, item in request.FILES.items() if name != "xml_submission_file"}
    try:
        stored = submission_store(
            survey_round=survey_round, xml=upload.read(1024 * 1024 + 1), files=files
        )
    except Conflict as error:
        return _message(error.message, status=409)
    except DomainError as error:
        return _message(error.message, status=error.status_code)
    if not stored.created and not stored.replaced:
        return _message(_("This form was already received."), status=202)
    return _message(_("Thank you: the answers were received."), status=201)


@login_required
@require_POST
def collection_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = round_get_for_user(user=request.user, pk=pk, write=True)
    try:
        collection_open(actor=request.user, survey_round=survey_round)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The round is open for ODK Collect: scan the setup QR code with the app.")
        )
    return redirect("impact:activity_rounds", pk=survey_round.activity_id)


@login_required
@require_POST
def collection_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = round_get_for_user(user=request.user, pk=pk, write=True)
    collection_revoke(actor=request.user, survey_round=survey_round)
    messages.success(request, _("The collection link was revoked: the apps set up with it stop."))
    return redirect("impact:activity_rounds", pk=survey_round.activity_id)


@login_required
@require_GET
def collection_qr(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round: Round = round_get_for_user(user=request.user, pk=pk, write=True)
    item = active_token(survey_round)
    if item is None:
        raise NotFound
    response = HttpResponse(setup_qr_svg(item), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response

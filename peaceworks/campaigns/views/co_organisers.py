"""Co-organising: an organisation's coordinators accept, decline or stop co-organising."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peaceworks.campaigns.services.co_organisers import (
    co_organiser_accept,
    co_organiser_withdraw,
    co_organising_for_user,
)


@login_required
@require_GET
def co_organising(request: HttpRequest) -> HttpResponse:
    """Requests to co-organise and current co-organisings of the organisations one runs."""
    return render(
        request,
        "campaigns/co_organising.html",
        {"co_organising": co_organising_for_user(user=request.user)},
    )


@login_required
@require_POST
def co_organiser_accept_view(request: HttpRequest, pk: int, organisation_id: int) -> HttpResponse:
    activity = co_organiser_accept(
        actor=request.user, activity_id=pk, organisation_id=organisation_id
    )
    messages.success(
        request,
        _("You now co-organise %(activity)s; its record is open to your organisation.")
        % {"activity": activity.title},
    )
    return redirect("campaigns:co_organising")


@login_required
@require_POST
def co_organiser_withdraw_view(request: HttpRequest, pk: int, organisation_id: int) -> HttpResponse:
    co_organiser_withdraw(actor=request.user, activity_id=pk, organisation_id=organisation_id)
    messages.success(request, _("Your organisation is not a co-organiser of this activity."))
    return redirect("campaigns:co_organising")

"""An organisation's team: its members and pending invitations; coordinators invite from here.

The pages belong to the organisation (the directory); the memberships and invitations they
show and make are the accounts app's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peaceworks.accounts import selectors as account_selectors
from peaceworks.accounts import services as account_services
from peaceworks.accounts.access import viewer_for
from peaceworks.accounts.forms import InvitationForm
from peaceworks.directory.models import Organisation
from peaceworks.directory.selectors import organisation_get_for_user


def _team_page(
    request: HttpRequest,
    organisation: Organisation,
    form: InvitationForm,
    *,
    can_invite: bool,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "directory/team.html",
        {
            "organisation": organisation,
            "memberships": account_selectors.membership_list_for_organisation(
                organisation_id=organisation.pk
            ),
            "invitations": account_selectors.invitation_list_pending(
                organisation_id=organisation.pk
            )
            if can_invite
            else [],
            "can_invite": can_invite,
            "form": form,
        },
        status=status,
    )


@login_required
def team(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = organisation_get_for_user(user=request.user, pk=organisation_id)
    viewer = viewer_for(request.user)
    form = InvitationForm(allow_network_roles=viewer.is_network_admin)
    return _team_page(request, organisation, form, can_invite=viewer.can_write_org(organisation.pk))


@login_required
@require_POST
def invitation_create(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = organisation_get_for_user(user=request.user, pk=organisation_id, write=True)
    viewer = viewer_for(request.user)
    form = InvitationForm(request.POST, allow_network_roles=viewer.is_network_admin)
    if not form.is_valid():
        return _team_page(request, organisation, form, can_invite=True, status=400)
    account_services.invitation_create(
        actor=request.user,  # type: ignore[arg-type]  # login_required guarantees a User
        organisation=organisation,
        email=form.cleaned_data["email"],
        role=form.cleaned_data["role"],
    )
    messages.success(
        request,
        _("The invitation has been sent to %(email)s.") % {"email": form.cleaned_data["email"]},
    )
    return redirect("directory:team", organisation_id=organisation.pk)

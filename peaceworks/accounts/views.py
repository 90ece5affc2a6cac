from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peaceworks.accounts import notifications, selectors, services
from peaceworks.accounts.access import user_of, viewer_for
from peaceworks.accounts.forms import (
    AcceptInvitationForm,
    AccountEraseForm,
    ApiTokenForm,
    DigestForm,
    SignInForm,
)
from peaceworks.accounts.hooks import attention_label
from peaceworks.accounts.models import Invitation, User
from peaceworks.core.context import client_ip
from peaceworks.core.errors import DomainError
from peaceworks.core.forms import form_page


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        result = services.session_authenticate(
            request=request,
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            ip_address=client_ip.get(),  # REMOTE_ADDR, or X-Forwarded-For behind a proxy
        )
        if result.user is not None:
            login(request, result.user)
            target = request.POST.get("next") or request.GET.get("next") or ""
            if not url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                target = ""
            return redirect(target or "web:dashboard")
        if result.locked:
            form.add_error(
                None,
                _(
                    "Too many failed attempts for this address from here. Try again later, or "
                    "reset your password: a completed reset lifts the lock."
                ),
            )
            status = 429
        else:
            form.add_error(None, _("The e-mail address or the password is not right."))
            status = 401
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset page; a completed reset also lifts the sign-in locks of the address."""

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        services.login_failures_clear(user=form.user)
        return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:home")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    memberships = list(selectors.membership_list_for_user(user=request.user))
    viewer = viewer_for(request.user)
    # the team page answers those who may read the organisation (a stakeholder may not)
    team_links = {m.organisation_id for m in memberships if viewer.can_read_org(m.organisation_id)}
    return render(
        request, "accounts/profile.html", {"memberships": memberships, "team_links": team_links}
    )


# The secret of a token just made, kept in the session for the one page that shows it.
_NEW_TOKEN_SESSION_KEY = "accounts.new_api_token"  # noqa: S105  # a session key


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The person's API tokens: make one (its secret shown once, on the page after saving),
    see when each was last used, revoke one."""
    memberships = selectors.membership_list_for_user(user=request.user)
    form = ApiTokenForm(request.POST or None, memberships=memberships)

    def save(values: Mapping[str, Any]) -> services.IssuedToken:
        days = values["expires_in_days"]
        issued = services.api_token_create(
            actor=request.user,
            name=values["name"],
            scope=values["scope"],
            organisation_id=values["organisation"],
            expires_at=timezone.now() + timedelta(days=int(days)) if days else None,
        )
        request.session[_NEW_TOKEN_SESSION_KEY] = issued.secret
        return issued

    return form_page(
        request,
        form,
        save=save,
        success_url=lambda _issued: reverse("accounts:api_tokens"),
        saved_message=_("Token made. Copy it now: it will not be shown again."),
        template="accounts/api_tokens.html",
        context={
            "tokens": selectors.api_token_list_for_user(user=request.user),
            "new_secret": request.session.pop(_NEW_TOKEN_SESSION_KEY, None)
            if request.method == "GET"
            else None,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = services.api_token_revoke(actor=request.user, token_id=token_id)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """A new address chooses its password here; an existing account's owner accepts only
    once signed in with their own password (the link alone never signs anyone in)."""
    invitation = services.invitation_get_by_token(token=token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    account = services.user_get_by_email(email=invitation.email)
    if account is None:
        return _invitation_accept_new(request, invitation)
    is_owner = request.user.is_authenticated and request.user.pk == account.pk
    status = 200
    if request.method == "POST":
        if not is_owner:
            status = 403
        else:
            try:
                accepted = services.invitation_accept_existing(invitation=invitation, user=account)
            except DomainError as error:
                messages.error(request, error.message)
                return redirect("accounts:profile")
            names = {
                "organisation": invitation.organisation.name,
                "role": accepted.membership.get_role_display(),
            }
            if accepted.kept_role:
                messages.info(
                    request,
                    _(
                        "You already are %(role)s in %(organisation)s; you keep this role, "
                        "since an invitation never lowers one."
                    )
                    % names,
                )
            else:
                messages.success(request, _("You are now %(role)s in %(organisation)s.") % names)
            return redirect("accounts:profile")
    current = (
        selectors.membership_get(user_id=account.pk, organisation_id=invitation.organisation_id)
        if is_owner
        else None
    )
    return render(
        request,
        "accounts/invitation_existing.html",
        {
            "invitation": invitation,
            "is_owner": is_owner,
            "current": current,
            "keeps_role": current is not None
            and services.role_covers(held=current.role, invited=invitation.role),
            "sign_in_url": reverse("accounts:login") + "?" + urlencode({"next": request.path}),
        },
        status=status,
    )


def _invitation_accept_new(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    form = AcceptInvitationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                user = services.invitation_accept_new(
                    invitation=invitation,
                    password=form.cleaned_data["password1"],
                    full_name=form.cleaned_data["full_name"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                # the person has just chosen this account's password on the form
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome to Peaceworks."))
                return redirect("web:dashboard")
        status = 400
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitation": invitation},
        status=status,
    )


@login_required
@require_GET
def data_export(request: HttpRequest) -> HttpResponse:
    """Download everything stored about the signed-in user, as JSON."""
    document = services.account_export(actor=request.user)  # type: ignore[arg-type]  # login_required
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="peaceworks-account.json"'
    return response


@login_required
def erase(request: HttpRequest) -> HttpResponse:
    """Confirm, then anonymise the signed-in user's account and sign them out."""
    user = request.user
    form = AccountEraseForm(request.POST or None, expected_email=str(getattr(user, "email", "")))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.account_erase(actor=user)  # type: ignore[arg-type]  # login_required
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                logout(request)
                messages.success(request, _("Your account has been erased."))
                return redirect("web:home")
        status = 400
    return render(request, "accounts/erase.html", {"form": form}, status=status)


@login_required
def digest(request: HttpRequest) -> HttpResponse:
    """How often the person's notifications are e-mailed (daily, weekly, never)."""
    person = user_of(request.user)
    form = DigestForm(
        request.POST or None,
        initial={"digest_frequency": person.digest_frequency if person else ""},
    )
    return form_page(
        request,
        form,
        save=lambda values: notifications.digest_frequency_set(
            actor=request.user, frequency=values["digest_frequency"]
        ),
        success_url=lambda _user: reverse("accounts:profile"),
        saved_message=_("Your e-mail digest is saved."),
        template="accounts/digest.html",
        context={},
    )


NOTIFICATIONS_PAGE_SIZE = 30


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(
        notifications.notification_list_for_user(user=request.user), NOTIFICATIONS_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = [(item, attention_label(item.kind)) for item in page.object_list]
    return render(request, "accounts/notifications.html", {"page": page, "rows": rows})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Mark one notification (or all) as read; back to the list, or on to the item when the
    person followed its link."""
    notifications.notifications_mark_read(actor=request.user, notification_id=pk)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("accounts:notifications")

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from peaceworks.accounts.models import NETWORK_ROLES, ApiToken, DigestFrequency, Membership, Role


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, allow_network_roles: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not allow_network_roles:
            role_field = self.fields["role"]
            assert isinstance(role_field, forms.ChoiceField)  # noqa: S101  # declared above
            role_field.choices = [
                (value, label) for value, label in Role.choices if value not in NETWORK_ROLES
            ]


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            try:
                validate_password(first)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class AccountEraseForm(forms.Form):
    email = forms.EmailField(
        label=_("Type your e-mail address to confirm"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, expected_email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected_email = expected_email

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        if email != self.expected_email.lower():
            raise forms.ValidationError(_("This is not the e-mail address of your account."))
        return email


class ApiTokenForm(forms.Form):
    """A new personal API token: its name, what it may do, an optional organisation to limit
    it to (one of the person's own) and how long it lives."""

    EXPIRY_DAYS = (
        ("30", _("30 days")),
        ("90", _("90 days")),
        ("365", _("One year")),
        ("", _("Never (revoke it yourself)")),
    )

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “placement database sync”."),
    )
    scope = forms.ChoiceField(
        label=_("It may"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
    )
    organisation = forms.TypedChoiceField(
        label=_("Limited to"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Limited to one organisation, the token acts with your role there only."),
    )
    expires_in_days = forms.ChoiceField(
        label=_("Expires after"), choices=EXPIRY_DAYS, initial="90", required=False
    )

    def __init__(self, *args: Any, memberships: Iterable[Membership] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_field = self.fields["organisation"]
        assert isinstance(organisation_field, forms.ChoiceField)  # noqa: S101  # declared above
        organisation_field.choices = [("", _("All my organisations"))] + [
            (str(membership.organisation_id), membership.organisation.name)
            for membership in memberships
        ]


class DigestForm(forms.Form):
    digest_frequency = forms.ChoiceField(
        label=_("E-mail digest of your notifications"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "What needs you (overdue actions, survey rounds opening and closing, answers "
            "waiting for review, follow-ups and action items due) is always listed on the "
            "site; choose how often it is also e-mailed to you."
        ),
    )

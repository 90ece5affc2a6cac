"""Forms of the directory pages. They validate input; the services write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from peaceworks.directory import geography
from peaceworks.directory.models import (
    Affiliation,
    Engagement,
    FollowUp,
    Network,
    Organisation,
    Partnership,
    Stakeholder,
    StakeholderContact,
    WebhookEvent,
)
from peaceworks.directory.selectors import follow_up_owner_candidates
from peaceworks.directory.services import ENGAGEMENT_FIELDS, PARTNERSHIP_FIELDS

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _with_blank(choices: Sequence[tuple[str, Any]], label: str) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    network = forms.ModelChoiceField(
        label=_("Network"), required=False, queryset=Network.objects.all(), empty_label=_("All")
    )
    membership_type = forms.ChoiceField(label=_("Membership"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    # A select, but an unknown value falls back to the default instead of refusing the filters.
    sort = forms.CharField(
        label=_("Order"),
        widget=forms.Select(
            choices=[
                ("name", _("Name")),
                ("country", _("Country")),
                ("recent", _("Most recently added")),
            ]
        ),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = str(_("All"))
        self.fields["country"].choices = _with_blank(geography.country_choices(), everything)  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["region"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            ("", everything),
            (str(_("Regions")), geography.region_choices()),
            (str(_("Sub-regions")), geography.subregion_choices()),
        ]
        self.fields["membership_type"].choices = _with_blank(  # type: ignore[attr-defined]  # a ChoiceField
            list(Affiliation.MembershipType.choices), everything
        )
        self.fields["role"].choices = _with_blank(  # type: ignore[attr-defined]  # a ChoiceField
            list(Organisation.RoleChoice.choices), everything
        )


class OrganisationForm(forms.ModelForm[Organisation]):
    country = forms.ChoiceField(label=_("Country"))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "acronym",
            "code",
            "country",
            "city",
            "website",
            "is_sending",
            "is_hosting",
            "is_coordinating",
        ]

    def __init__(self, *args: Any, can_change_code: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = geography.country_choices()  # type: ignore[attr-defined]  # a ChoiceField
        if not can_change_code:
            self.fields["code"].disabled = True


class AffiliationForm(forms.Form):
    network = forms.ModelChoiceField(label=_("Network"), queryset=Network.objects.all())
    membership_type = forms.ChoiceField(
        label=_("Membership type"), choices=Affiliation.MembershipType.choices
    )
    status = forms.ChoiceField(label=_("Status"), choices=Affiliation.Status.choices)
    valid_from = forms.DateField(label=_("From"), widget=_DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class StakeholderForm(forms.ModelForm[Stakeholder]):
    country = forms.ChoiceField(label=_("Country"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Stakeholder
        fields = [
            "name",
            "acronym",
            "code",
            "stakeholder_type",
            "country",
            "city",
            "website",
            "description",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _with_blank(geography.country_choices(), "—")  # type: ignore[attr-defined]  # a ChoiceField


class ContactForm(forms.ModelForm[StakeholderContact]):
    class Meta:
        model = StakeholderContact
        fields = ["name", "position", "email", "phone"]


class PartnershipForm(forms.ModelForm[Partnership]):
    # The link to campaigns is declared by campaigns (``Campaign.partnerships``); the directory
    # reaches it through the reverse relation, without importing campaigns.
    campaigns = forms.ModelMultipleChoiceField(
        label=_("Campaigns and projects"),
        help_text=_("The campaigns or projects this partnership serves."),
        queryset=Partnership.objects.none(),
        required=False,
    )

    class Meta:
        model = Partnership
        fields = [*PARTNERSHIP_FIELDS, "organisations", "stakeholders"]
        widgets = {"signed_on": _DATE, "start_date": _DATE, "end_date": _DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField[Any], self.fields["campaigns"])
        # A model class once the apps are loaded (a string only while they load).
        campaign_model = cast(type[Model], Partnership.campaigns.rel.related_model)
        field.queryset = campaign_model._default_manager.all()
        if self.instance.pk is not None and "campaigns" not in self.initial:
            self.initial["campaigns"] = list(self.instance.campaigns.values_list("pk", flat=True))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("organisations") and not data.get("stakeholders"):
            raise forms.ValidationError(
                _("A partnership needs at least one organisation or stakeholder.")
            )
        return data


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))


class EngagementForm(forms.ModelForm[Engagement]):
    class Meta:
        model = Engagement
        fields = list(ENGAGEMENT_FIELDS)
        widgets = {"occurred_on": _DATE}


class FollowUpForm(forms.Form):
    description = forms.CharField(label=_("What is to be done"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=get_user_model().objects.none())
    due_date = forms.DateField(label=_("Due date"), required=False, widget=_DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (  # type: ignore[attr-defined]  # a ModelChoiceField
            follow_up_owner_candidates()
        )


class FollowUpStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUp.Status.choices)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Member list (.csv or .xlsx)"),
        help_text=_(
            "Columns: code, name, country (required), acronym, city, website, roles "
            "(sending; hosting; coordinating), networks (network codes, optionally with a "
            "membership type: ccivs:full; nvda:candidate)."
        ),
    )


class MapForm(forms.Form):
    network = forms.ModelChoiceField(
        label=_("Network"), required=False, queryset=Network.objects.all(), empty_label=_("All")
    )


class WebhookSubscriptionForm(forms.Form):
    url = forms.URLField(
        label=_("Address (HTTPS)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The HTTPS endpoint of your system, reachable from the internet."),
    )
    events = forms.MultipleChoiceField(
        label=_("Tell it when"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
    )

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from peaceworks.accounts.access import Viewer
from peaceworks.campaigns.models import Campaign, Theme
from peaceworks.directory.models import Organisation
from peaceworks.reports.models import Report


class ThemeChoiceField(forms.ModelChoiceField[Theme]):
    def label_from_instance(self, obj: Theme) -> str:
        return f"{obj.campaign.name} · {obj}"


class ReportForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign or project"), queryset=Campaign.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    scope = forms.ChoiceField(label=_("What the report covers"), choices=Report.Scope.choices)
    theme = ThemeChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.none(),
        required=False,
        help_text=_("Only for a report on one theme."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Only for a report on one organisation."),
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("Only for a report on one year."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Report.Language.choices)
    audience = forms.ChoiceField(
        label=_("Published to"),
        choices=Report.Audience.choices,
        initial=Report.Audience.STAKEHOLDERS,
    )

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campaign_field = cast(forms.ModelChoiceField[Campaign], self.fields["campaign"])
        campaign_field.queryset = Campaign.objects.order_by("name")
        theme_field = cast(forms.ModelChoiceField[Theme], self.fields["theme"])
        theme_field.queryset = Theme.objects.select_related("campaign").order_by(
            "campaign__name", "number"
        )
        organisation_field = cast(forms.ModelChoiceField[Organisation], self.fields["organisation"])
        # every organisation: the service refuses one the user may not report on (404/403)
        organisation_field.queryset = Organisation.objects.order_by("name")


class RequestForm(forms.Form):
    change_note = forms.CharField(
        label=_("What changed since the previous version"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label=_("What changed since the previous version"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown in the report and beside the version."),
    )

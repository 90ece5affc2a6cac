"""Forms of the impact pages: respondent steps, withdrawal, coordinators' rounds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peaceworks.impact.models import Round


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_("I have read this text and agree to take part."),
        error_messages={"required": _("Please agree to take part, or close this page.")},
    )
    sensitive_consent = forms.BooleanField(
        label=_("I also agree to answer the optional questions about disability and health."),
        required=False,
    )


class MatchingCodeForm(forms.Form):
    parent_letters = forms.CharField(
        label=_("The first two letters of your mother's (or another parent's) first name"),
        min_length=2,
        max_length=20,
    )
    birth_day = forms.IntegerField(
        label=_("The day of the month you were born (1 to 31)"), min_value=1, max_value=31
    )
    place_letters = forms.CharField(
        label=_("The first two letters of the town where you were born"),
        min_length=2,
        max_length=40,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("parent_letters", "place_letters"):
            value = cleaned.get(name)
            if value and sum(1 for ch in value if ch.isalpha()) < 2:
                self.add_error(name, _("Give at least two letters."))
        return cleaned


class WithdrawForm(MatchingCodeForm):
    activity_code = forms.SlugField(
        label=_("The code of the activity (on the survey poster or link)"), max_length=60
    )

    field_order = ["activity_code", "parent_letters", "birth_day", "place_letters"]


class RoundOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of round"), choices=Round.Kind.choices)
    opens_at = forms.DateTimeField(
        label=_("Opens at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty to use the default dates around the activity."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class HarmReviewForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ResponsesImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of file"),
        choices=[
            ("responses", _("Responses (CSV/XLSX)")),
            ("kobo", _("KoboToolbox/ODK submissions export")),
        ],
    )
    file = forms.FileField(label=_("File (.csv or .xlsx)"))


class XLSFormImportForm(forms.Form):
    file = forms.FileField(label=_("XLSForm (.xlsx)"))

"""Forms of the impact pages: respondent steps, withdrawal, coordinators' rounds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peaceworks.core.errors import DomainError
from peaceworks.impact.models import Indicator, Question, Round
from peaceworks.impact.pseudonyms import build_code, check_code, code_part_problem


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_("I have read this text and agree to take part."),
        error_messages={"required": _("Please agree to take part, or close this page.")},
    )
    sensitive_consent = forms.BooleanField(
        label=_("I also agree to answer the optional questions about disability and health."),
        required=False,
    )


class FollowUpContactForm(forms.Form):
    """The optional address for one reminder of the next survey (thanks page of a pre survey)."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that this address is kept, apart from my answers, only to send me one "
            "reminder of the next survey of this activity. It is deleted when that survey "
            "closes, or as soon as I withdraw my answers."
        ),
        error_messages={"required": _("Tick this box to get the reminder, or leave the page.")},
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
        """Refuses exactly what a submission with the code would refuse (letters in any script)."""
        cleaned = super().clean() or {}
        for name in ("parent_letters", "place_letters"):
            value = cleaned.get(name)
            problem = code_part_problem(value) if value else ""
            if problem:
                self.add_error(name, problem)
        if not self.errors:
            try:
                check_code(self.code())
            except DomainError as error:
                self.add_error(None, error.message)
        return cleaned

    def code(self) -> str:
        """The matching code of the three facts (call once the form is valid)."""
        data = self.cleaned_data
        return build_code(
            parent_letters=data["parent_letters"],
            birth_day=str(data["birth_day"]),
            place_letters=data["place_letters"],
        )


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
    omit_sensitive = forms.BooleanField(
        label=_(
            "Leave out the items on bodily autonomy, disability and health "
            "(where law or safety requires it)"
        ),
        required=False,
    )


class HarmReviewForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class HarmFilterForm(forms.Form):
    """The harm queue's filters and sort (GET); an unknown value is dropped, not refused."""

    status = forms.ChoiceField(
        label=_("Review"),
        choices=[
            ("pending", _("Waiting for review")),
            ("reviewed", _("Reviewed")),
            ("all", _("All")),
        ],
        required=False,
    )
    activity = forms.TypedChoiceField(label=_("Activity"), coerce=int, required=False)
    theme = forms.TypedChoiceField(label=_("Theme"), coerce=int, required=False)
    sort = forms.ChoiceField(
        label=_("Order"),
        choices=[("oldest", _("Oldest first")), ("newest", _("Newest first"))],
        required=False,
    )

    def __init__(
        self,
        data: Any,
        *,
        activities: list[tuple[int, str]],
        themes: list[tuple[int, str]],
    ) -> None:
        super().__init__(data)
        # Both are TypedChoiceFields (declared above); the stubs type fields as Field.
        self.fields["activity"].choices = [("", _("Any")), *activities]  # type: ignore[attr-defined]
        self.fields["theme"].choices = [("", _("Any")), *themes]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The valid filters, each unknown or malformed value replaced by its default."""
        values: dict[str, Any] = {"status": "pending", "activity": None, "theme": None}
        for name in values:
            field = self.fields[name]
            raw = self.data.get(name, "")
            try:
                cleaned = field.clean(raw)
            except forms.ValidationError:
                continue
            if cleaned not in ("", None):
                values[name] = cleaned
        return values


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
    file = forms.FileField(label=_("XLSForm (.xlsx, .xlsm or .xls)"))


class IndicatorForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200, required=False)
    name_es = forms.CharField(label=_("Name (Spanish)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Indicator.Kind.choices)
    aggregation = forms.ChoiceField(label=_("Aggregation"), choices=Indicator.Aggregation.choices)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    direction = forms.ChoiceField(label=_("Direction"), choices=Indicator.Direction.choices)
    source_questions = forms.CharField(
        label=_("Source questions"),
        required=False,
        help_text=_("Question codes separated by spaces; several make a scale."),
    )
    output_key = forms.CharField(label=_("Output key"), max_length=60, required=False)
    baseline = forms.DecimalField(label=_("Baseline"), required=False, max_digits=12)
    target_period = forms.CharField(label=_("Target period"), max_length=20, required=False)
    target_value = forms.DecimalField(label=_("Target value"), required=False, max_digits=12)


class QuestionForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    block = forms.ChoiceField(label=_("Block"), choices=Question.Block.choices)
    text_en = forms.CharField(label=_("Text (English)"), max_length=500)
    text_fr = forms.CharField(label=_("Text (French)"), max_length=500, required=False)
    text_es = forms.CharField(label=_("Text (Spanish)"), max_length=500, required=False)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line: value | English | French | Spanish."),
    )
    is_sensitive = forms.BooleanField(label=_("Needs its own consent"), required=False)
    in_retrospective = forms.BooleanField(
        label=_("Also asked in the retrospective block"), required=False
    )

    def clean_choices(self) -> list[dict[str, Any]]:
        parsed = []
        for number, line in enumerate(self.cleaned_data.get("choices", "").splitlines(), 1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise forms.ValidationError(
                    _("Line %(line)s needs at least a value and an English label.")
                    % {"line": number}
                )
            labels = dict(zip(["en", "fr", "es"], parts[1:4], strict=False))
            parsed.append({"value": parts[0], "label": {k: v for k, v in labels.items() if v}})
        return parsed

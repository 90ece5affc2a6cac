"""Forms for pages. They validate shapes; the services enforce the rules and raise
DomainErrors that views attach to the field concerned."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, fields
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import (
    NOTE_MAX_LENGTH,
    Action,
    Activity,
    Campaign,
    OutputIndicator,
    Reflection,
    Theme,
)
from peaceworks.campaigns.outputs import DIMENSIONS
from peaceworks.campaigns.services import ActivityData
from peaceworks.core.forms import FieldsetsForm, TranslationsForm
from peaceworks.core.languages import language_choices, reader_language
from peaceworks.directory import geography
from peaceworks.directory.models import Organisation

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # ISO in every language


class ActivityForm(FieldsetsForm):
    fieldsets = [
        (_("The activity"), ["title", "code", "activity_type", "status", "themes", "language"]),
        (
            _("When and where"),
            ["start_date", "end_date", "hours_per_day", "country", "place"],
        ),
        (
            _("Who takes part"),
            [
                "host_organisation",
                "international_volunteers",
                "local_volunteers",
                "local_participants",
                "co_organisers",
            ],
        ),
        (
            _("Fewer opportunities"),
            [
                "fewer_opportunities_total",
                *(spec.name for spec in fields(ActivityData) if spec.name.startswith("fo_")),
            ],
        ),
    ]

    title = forms.CharField(label=_("Title"), max_length=200)
    code = forms.SlugField(
        label=_("Code (optional)"),
        max_length=60,
        required=False,
        help_text=_(
            "A short name for web addresses and imports: letters, digits and hyphens. "
            "Left empty, it is made from the title, e.g. workcamp-in-lyon."
        ),
    )
    activity_type = forms.ChoiceField(label=_("Type"), choices=Activity.Type.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Activity.Status.choices)
    host_organisation = forms.ModelChoiceField(
        label=_("Hosting organisation"), queryset=Organisation.objects.none()
    )
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("Co-organisers"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Other organisations that organise the activity; one you do not coordinate is "
            "asked to confirm."
        ),
    )
    start_date = forms.DateField(label=_("Start date"), widget=_DATE)
    end_date = forms.DateField(label=_("End date"), widget=_DATE)
    country = forms.ChoiceField(label=_("Country"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language"))
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Between one and five themes of the campaign."),
    )
    international_volunteers = forms.IntegerField(
        label=_("International volunteers"), min_value=0, initial=0
    )
    local_volunteers = forms.IntegerField(label=_("Local volunteers"), min_value=0, initial=0)
    local_participants = forms.IntegerField(label=_("Local participants"), min_value=0, initial=0)
    hours_per_day = forms.DecimalField(
        label=_("Hours per day"),
        min_value=0,
        max_value=24,
        decimal_places=1,
        required=False,
        help_text=_("Left empty for a workcamp, 6 hours a day are assumed and flagged."),
    )
    fewer_opportunities_total = forms.IntegerField(
        label=_("Participants with fewer opportunities"), min_value=0, initial=0
    )
    fo_disability = forms.IntegerField(label=_("… with a disability"), min_value=0, initial=0)
    fo_health = forms.IntegerField(label=_("… with health problems"), min_value=0, initial=0)
    fo_education = forms.IntegerField(
        label=_("… facing education and training barriers"), min_value=0, initial=0
    )
    fo_cultural = forms.IntegerField(
        label=_("… facing cultural differences"), min_value=0, initial=0
    )
    fo_social = forms.IntegerField(label=_("… facing social barriers"), min_value=0, initial=0)
    fo_economic = forms.IntegerField(label=_("… facing economic barriers"), min_value=0, initial=0)
    fo_discrimination = forms.IntegerField(
        label=_("… facing discrimination"), min_value=0, initial=0
    )
    fo_geographical = forms.IntegerField(
        label=_("… facing geographical barriers"), min_value=0, initial=0
    )

    def __init__(
        self,
        *args: Any,
        campaign: Campaign,
        host_choices: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField[Organisation], self.fields["host_organisation"]
        ).queryset = host_choices
        cast(
            forms.ModelChoiceField[Organisation], self.fields["co_organisers"]
        ).queryset = Organisation.objects.order_by("name")
        cast(forms.ModelChoiceField[Theme], self.fields["themes"]).queryset = Theme.objects.filter(
            campaign=campaign
        ).order_by("number")
        # set here, not at import, so that the names are in the request's language
        self.fields["country"].choices = [("", "—"), *geography.country_choices()]  # type: ignore[attr-defined]  # a ChoiceField
        languages = language_choices()
        stored = self.initial.get("language")
        if stored and all(stored != code for _group, codes in languages for code, _name in codes):
            languages[-1][1].append((stored, stored))  # an imported code Babel does not name
        self.fields["language"].choices = languages  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["language"].initial = reader_language()
        if self.initial.get("code"):  # a registered activity keeps a code
            self.fields["code"].required = True
            self.fields["code"].label = _("Code")

    @staticmethod
    def initial_for(activity: Activity) -> dict[str, Any]:
        data = ActivityData.from_activity(activity)
        initial: dict[str, Any] = {
            name: getattr(data, name)
            for name in ActivityForm.base_fields
            if hasattr(data, name) and name not in {"themes", "co_organisers"}
        }
        initial["host_organisation"] = activity.host_organisation_id
        initial["themes"] = list(data.theme_ids)
        initial["co_organisers"] = list(data.co_organiser_ids)
        if activity.hours_per_day_defaulted:
            initial["hours_per_day"] = None
        return initial

    def to_data(self) -> ActivityData:
        values = dict(self.cleaned_data)
        values.pop("host_organisation")
        themes = values.pop("themes")
        co_organisers = values.pop("co_organisers")
        return ActivityData(
            **values,
            theme_ids=tuple(theme.pk for theme in themes),
            co_organiser_ids=tuple(organisation.pk for organisation in co_organisers),
        )

    def changes(self, names: Iterable[str]) -> dict[str, Any]:
        """The cleaned values of the fields ``names`` (the form's changed data) as the
        activity's changes; the host is fixed once registered."""
        values = asdict(self.to_data())
        renamed = {"themes": "theme_ids", "co_organisers": "co_organiser_ids"}
        return {
            renamed.get(name, name): values[renamed.get(name, name)]
            for name in names
            if name != "host_organisation"
        }


class ActivityFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    activity_type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Any")), *Activity.Type.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Activity.Status.choices], required=False
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    # A select, but an unknown value falls back to the default instead of refusing the filters.
    sort = forms.CharField(
        label=_("Order"),
        widget=forms.Select(
            choices=[
                ("recent", _("Most recent first")),
                ("oldest", _("Oldest first")),
                ("title", _("Title")),
            ]
        ),
        required=False,
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        if data is not None and data.get("country"):  # a typed address may say "ke"
            data = data.copy()
            data["country"] = data["country"].strip().upper()
        super().__init__(data, **kwargs)
        # countries by name in the reader's language
        self.fields["country"].choices = [("", _("Any")), *geography.country_choices()]  # type: ignore[attr-defined]  # a ChoiceField


class OutputDimensionForm(forms.Form):
    by = forms.ChoiceField(
        label=_("Group by"),
        choices=[
            ("campaign", _("Campaign")),
            ("theme", _("Theme")),
            ("country", _("Country")),
            ("region", _("Region")),
            ("organisation", _("Organisation")),
            ("year", _("Year")),
        ],
        initial="year",
        required=False,
    )

    def dimension(self) -> str:
        value = self.cleaned_data.get("by") if self.is_valid() else None
        return value if value in DIMENSIONS else "year"


class ActivityUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: code, title, type, host_organisation, start_date, end_date, country, "
            "themes (codes or numbers separated by ;), and optionally status, place, language, "
            "co_organisers, hours_per_day and the counts."
        ),
    )


class PublishForm(forms.Form):
    is_published = forms.BooleanField(label=_("Publish the public campaign page"), required=False)
    published_summary = forms.CharField(
        label=_("Published summary"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )


class ActionProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    note = forms.CharField(
        label=_("Note (optional)"),
        help_text=_("What changed, what blocks the action, or what comes next."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )


# Programmes, campaigns and projects, themes (network staff) -------------------------------


class _DatesForm(TranslationsForm):
    """A record with a name, a code, a description and an optional period."""

    translated_fields = ("name", "description")

    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "A short name for web addresses: letters, digits and hyphens, e.g. rights-2027."
        ),
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    start_date = forms.DateField(label=_("Start date"), widget=_DATE, required=False)
    end_date = forms.DateField(label=_("End date"), widget=_DATE, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start is not None and end is not None and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return cleaned


class ProgrammeForm(_DatesForm):
    pass


class CampaignForm(_DatesForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Campaign.Kind.choices)
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead organisation"), queryset=Organisation.objects.none(), required=False
    )
    field_order = ("name", "kind", "code", "description", "start_date", "end_date")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField[Organisation], self.fields["lead_organisation"]
        ).queryset = Organisation.objects.order_by("name")


class ThemeForm(TranslationsForm):
    translated_fields = ("name", "description")

    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=99)
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("A short name for imports: letters, digits and hyphens, e.g. right-to-water."),
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


# Strategy ----------------------------------------------------------------------------------


class PlanForm(TranslationsForm):
    translated_fields = ("title",)

    title = forms.CharField(label=_("Title"), max_length=200)
    start_year = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("Last year"), min_value=2000, max_value=2100)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start is not None and end is not None and end < start:
            self.add_error("end_year", _("The last year is before the first year."))
        return cleaned


class PlanEditForm(PlanForm):
    is_published = forms.BooleanField(
        label=_("Show this plan's progress on the public campaign page"), required=False
    )


class ReflectionForm(TranslationsForm):
    translated_fields = ("text",)

    kind = forms.ChoiceField(label=_("Kind"), choices=Reflection.Kind.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}))
    source_reference = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_("A meeting decision or a consultation result this reflection draws on."),
    )


class GoalForm(TranslationsForm):
    translated_fields = ("title", "description")

    number = forms.IntegerField(
        label=_("Number"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("Left empty, the goal comes after the last one."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class GoalEditForm(GoalForm):
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=999)


class ObjectiveForm(TranslationsForm):
    translated_fields = ("title",)

    number = forms.IntegerField(
        label=_("Number"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("Left empty, the objective comes after the last one of its goal."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)


class ObjectiveEditForm(ObjectiveForm):
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=999)


class ActionForm(TranslationsForm):
    translated_fields = ("title",)

    title = forms.CharField(label=_("Title"), max_length=300)
    owner_organisation = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organisation.objects.none(), required=False
    )
    owner_user = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("A member of the owner organisation, when both are given."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=_DATE)
    due_date = forms.DateField(label=_("Due date"), widget=_DATE)
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        initial=0,
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("Progress is a percentage between 0 and 100."),
            "max_value": _("Progress is a percentage between 0 and 100."),
        },
    )
    indicator = forms.ChoiceField(
        label=_("Linked output indicator"),
        choices=[("", _("None")), *OutputIndicator.choices],
        required=False,
    )
    target = forms.DecimalField(
        label=_("Target for the period"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
    )

    def __init__(self, *args: Any, owner_users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField[Organisation], self.fields["owner_organisation"]
        ).queryset = Organisation.objects.order_by("name")
        cast(forms.ModelChoiceField[User], self.fields["owner_user"]).queryset = owner_users

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start is not None and due is not None and due < start:
            self.add_error("due_date", _("The due date is before the start date."))
        if not cleaned.get("owner_organisation") and not cleaned.get("owner_user"):
            self.add_error(
                "owner_organisation", _("Give the action an owner organisation or an owner.")
            )
        if cleaned.get("target") is not None and not cleaned.get("indicator"):
            self.add_error("target", _("Choose the output indicator this target is for."))
        return cleaned

"""Forms of the consultation pages (rendered by the shared form template)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peaceworks.consultations.models import LANGUAGES, Consultation, ThemeEdit
from peaceworks.directory.geography import region_choices
from peaceworks.directory.models import Network


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name"), max_length=80, help_text=_("Used in the page's address.")
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    audience = forms.ChoiceField(label=_("Audience"), choices=Consultation.Audience.choices)
    networks = forms.ModelMultipleChoiceField(
        label=_("Networks (for a chosen-networks audience)"),
        queryset=Network.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions (for a chosen-regions audience)"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    allows_anonymous = forms.BooleanField(label=_("Allow anonymous contributions"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGES,
        initial=["en", "fr", "es"],
        widget=forms.CheckboxSelectMultiple,
    )
    opens_on = forms.DateField(
        label=_("Opens on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    deliberation_on = forms.DateField(
        label=_("Deliberation from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    synthesis_on = forms.DateField(
        label=_("Synthesis from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label=_("Closes on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = region_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("audience") == Consultation.Audience.NETWORKS and not cleaned.get(
            "networks"
        ):
            self.add_error("networks", _("Choose at least one network."))
        if cleaned.get("audience") == Consultation.Audience.REGIONS and not cleaned.get("regions"):
            self.add_error("regions", _("Choose at least one region."))
        return cleaned


class PromptForm(forms.Form):
    en = forms.CharField(label=_("Question in English"), required=False, max_length=1000)
    fr = forms.CharField(label=_("Question in French"), required=False, max_length=1000)
    es = forms.CharField(label=_("Question in Spanish"), required=False, max_length=1000)


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=Consultation.Phase.choices)


class ContributionForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 8}))
    quote_consent = forms.BooleanField(
        label=_("The synthesis may quote my answer (without my name)"), required=False
    )
    anonymous = forms.BooleanField(
        label=_("Contribute anonymously (your name and organisation are not kept)"),
        required=False,
    )

    def __init__(self, *args: Any, allow_anonymous: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not allow_anonymous:
            del self.fields["anonymous"]


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}))


class ContributionEditForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Statement"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One short sentence others can agree or disagree with."),
    )


class ThemeEditForm(forms.Form):
    kind = forms.ChoiceField(label=_("Edit"), choices=ThemeEdit.Kind.choices)
    theme_keys = forms.MultipleChoiceField(
        label=_("Themes"), choices=(), widget=forms.CheckboxSelectMultiple
    )
    label = forms.CharField(label=_("New label"), required=False, max_length=200)
    concept_groups = forms.CharField(
        label=_("Concept groups (to split: one group a line, concepts separated by commas)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, themes: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["theme_keys"].choices = themes  # type: ignore[attr-defined]


class ConceptTermForm(forms.Form):
    concept = forms.SlugField(label=_("Concept"), max_length=60)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    term = forms.CharField(label=_("Word"), max_length=100)


class DraftForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text (Markdown)"), required=False, widget=forms.Textarea(attrs={"rows": 24})
    )


class PolisUploadForm(forms.Form):
    slug = forms.SlugField(label=_("Short name of the new consultation"), max_length=80)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Pol.is export (.zip)"),
        help_text=_("A .zip of comments.csv with votes.csv or participants-votes.csv."),
    )


class StrategyLinkForm(forms.Form):
    source = forms.ChoiceField(label=_("Statement or theme"), choices=())
    target = forms.ChoiceField(label=_("Becomes this item of the strategy"), choices=())

    def __init__(
        self,
        *args: Any,
        sources: list[tuple[str, Any]] = (),  # type: ignore[assignment]
        targets: list[tuple[str, Any]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = sources  # type: ignore[attr-defined]
        self.fields["target"].choices = targets  # type: ignore[attr-defined]

"""One form design for the whole product: every ``{{ form }}`` renders through the project's
renderer (an error summary linking to each field, labels above fields, help text, the error
at its field, per-language groups)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import TemplatesSetting, get_default_renderer
from django.template import TemplateDoesNotExist
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from peaceworks.core.forms import FieldsetsForm, TranslationsForm
from peaceworks.web.forms import FormRenderer


class _Named(TranslationsForm):
    translated_fields = ("name",)

    name = forms.CharField(label="Name", help_text="As people say it.")
    kind = forms.ChoiceField(
        label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )


class _Grouped(FieldsetsForm):
    fieldsets = [("Where", ["place", "country"])]

    note = forms.CharField(label="Note", required=False)
    country = forms.CharField(label="Country")
    place = forms.CharField(label="Place", required=False)


def test_a_form_with_fieldsets_groups_its_fields_after_the_loose_ones() -> None:
    html = str(_Grouped(data={}))
    section = html[html.index('<fieldset class="form-section"><legend>Where</legend>') :]
    assert section.index('name="place"') < section.index('name="country"')
    assert html.index('name="note"') < html.index('class="form-section"')
    assert html.count('name="country"') == 1
    # the error summary still links to a field inside a fieldset
    assert '<a href="#id_country">Country: This field is required.</a>' in html
    assert "form-section" not in str(_Named())


def test_the_project_renderer_is_every_forms_renderer() -> None:
    assert settings.FORM_RENDERER == "peaceworks.web.forms.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)


def test_an_invalid_form_starts_with_a_summary_linking_to_each_field() -> None:
    html = str(_Named(data={}))
    summary = html.split('<div class="form-errors" role="alert">')[1].split("</div>")[0]
    assert "Correct 2 problems before saving:" in summary
    assert '<a href="#id_name">Name: This field is required.</a>' in summary
    # a group of radio buttons has no element with the field's id: its error is the target
    assert '<a href="#id_kind_error">Kind: This field is required.</a>' in summary
    assert 'id="id_kind_error"' in html


def test_labels_come_above_their_field_with_the_help_text_and_error_between() -> None:
    html = str(_Named(data={"kind": "a"}))
    name = html[html.index('<label for="id_name"') : html.index('name="name"')]
    assert name.index("As people say it.") < name.index("This field is required.")
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert html.count('id="id_name_error"') == 1
    assert html.count('<div class="field">') == 4  # name, kind, name_fr, name_es
    assert "<legend>Kind" in html


def test_translated_fields_are_grouped_by_language_after_the_forms_own() -> None:
    html = str(_Named())
    assert html.count('class="language-group"') == 2
    assert html.index('name="kind"') < html.index('name="name_fr"')
    assert "form-errors" not in html


def test_a_page_form_renders_through_the_one_design(client, network_admin) -> None:
    client.force_login(network_admin)
    html = client.get(reverse("campaigns:programme_create")).content.decode()
    form = html[html.index('<form method="post" class="form"') :]
    assert re.search(r'<div class="field">\s*<label for="id_name"', form)
    assert 'class="language-group"' in form
    refused = client.post(reverse("campaigns:programme_create"), {"name": "x"}).content.decode()
    assert '<a href="#id_code">Code: This field is required.</a>' in refused


class _Option(forms.Select):
    option_template_name = "web/tests/no_such_option.html"


_CHOICES: list[tuple[Any, Any]] = [
    ("", "—"),
    ("a&b", 'Tom & "Jerry" <script>'),
    ("safe", mark_safe("<b>bold</b>")),
    ("lazy", gettext_lazy("Name")),
    (3, 3),
    (Decimal("1.5"), Decimal("1.5")),
    (date(2026, 5, 10), date(2026, 5, 10)),
    (
        "Group <1>",
        [("g1", "First"), ("g2", mark_safe("Second &amp; last"))],
    ),
]


def _widgets() -> list[tuple[forms.Widget, object]]:
    return [
        (forms.Select(choices=_CHOICES), "a&b"),
        (forms.Select({"class": "wide", "required": True, "hidden": False}, _CHOICES), 3),
        (forms.Select(choices=[]), None),
        (forms.SelectMultiple(choices=_CHOICES), ["g2", "lazy"]),
        (forms.NullBooleanSelect(), True),
        (forms.CheckboxSelectMultiple(choices=_CHOICES), ["g1", "safe"]),
        (forms.CheckboxSelectMultiple({"class": "list", "id": "x<y"}, _CHOICES), []),
        (forms.RadioSelect(choices=_CHOICES), "g2"),
        (forms.RadioSelect({"id": ""}, _CHOICES), Decimal("1.5")),
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_option_widgets_written_in_python_give_djangos_markup(language: str) -> None:
    renderer = FormRenderer()
    with translation.override(language):
        for widget, value in _widgets():
            context = widget.get_context("field", value, {"id": "id_field", "data-x": "<>"})
            stock = TemplatesSetting.render(renderer, widget.template_name, context)
            assert renderer.render(widget.template_name, context) == stock, widget
    # the engine found Django's own templates, so the Python versions were the ones compared
    assert renderer._stock_names == {
        "select.html",
        "select_option.html",
        "checkbox_select.html",
        "radio.html",
        "multiple_input.html",
        "checkbox_option.html",
        "radio_option.html",
        "input_option.html",
        "input.html",
        "attrs.html",
    }


def test_a_widget_with_its_own_option_template_renders_through_the_templates() -> None:
    widget = _Option(choices=[("a", "A")])
    context = widget.get_context("field", "a", {})
    with pytest.raises(TemplateDoesNotExist, match="no_such_option"):
        FormRenderer().render(widget.template_name, context)

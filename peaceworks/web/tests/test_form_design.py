"""One form design for the whole product: every ``{{ form }}`` renders through the project's
renderer (an error summary linking to each field, labels above fields, help text, the error
at its field, per-language groups)."""

from __future__ import annotations

import copy
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
from peaceworks.web.forms import _INPUTS, FormRenderer


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
        *(
            f"django/forms/widgets/{name}"
            for name in (
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
                *(f"{name}.html" for name in _INPUTS),
            )
        ),
        "django/forms/label.html",
        "django/forms/attrs.html",
        "django/forms/errors/list/default.html",
        "django/forms/errors/list/ul.html",
    }


#: a value of each kind a one-line input shows (None: no value attribute)
_VALUES: list[object] = [
    None,
    "",
    'Tom & "Jerry" <script>',
    mark_safe("<b>bold</b>"),
    gettext_lazy("Name"),
    0,
    3,
    Decimal("1.5"),
    date(2026, 5, 10),
    True,
    False,
]


def _inputs() -> list[forms.Widget]:
    return [
        forms.TextInput(),
        forms.TextInput({"class": "wide", "required": True, "hidden": False, "maxlength": 80}),
        forms.EmailInput(),
        forms.NumberInput({"step": Decimal("0.5"), "min": 0}),
        forms.DateInput({"type": "date"}),
        forms.DateTimeInput(),
        forms.TimeInput(),
        forms.URLInput(),
        forms.PasswordInput(render_value=True),
        forms.HiddenInput(),
        forms.CheckboxInput(),
        forms.FileInput(),
        forms.SearchInput(),
        forms.TelInput(),
        forms.ColorInput(),
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_inputs_written_in_python_give_djangos_markup(language: str) -> None:
    renderer = FormRenderer()
    seen = set()
    with translation.override(language):
        for widget in _inputs():
            seen.add(widget.template_name.rpartition("/")[2].removesuffix(".html"))
            for value in _VALUES:
                for attrs in ({}, {"id": "id_field", "data-x": "<>", "disabled": True}):
                    context = widget.get_context("field", value, attrs)
                    stock = TemplatesSetting.render(renderer, widget.template_name, context)
                    assert renderer.render(widget.template_name, context) == stock, widget
    assert seen == set(_INPUTS)


class _Labelled(forms.Form):
    required_css_class = "required"

    plain = forms.CharField(label="Plain")
    optional = forms.CharField(label='Tom & "Jerry" <script>', required=False)
    safe = forms.CharField(label=mark_safe("<b>Bold</b>"), help_text="Help.")
    lazy = forms.IntegerField(label=gettext_lazy("Name"))
    choice = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect, label="Pick?")
    no_id = forms.CharField(label="No id", widget=forms.TextInput({"id": ""}))

    def clean(self) -> dict[str, Any]:
        raise forms.ValidationError(["Two <problems> & more.", mark_safe("<i>Safe</i>")])


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("auto_id", ["id_%s", False, "x<y>_%s"])
def test_labels_and_error_lists_written_in_python_give_djangos_markup(
    language: str, auto_id: str | bool
) -> None:
    renderer = FormRenderer()
    stock = TemplatesSetting()
    with translation.override(language):
        for data in (None, {"optional": "x", "lazy": "not a number", "choice": "z"}):
            form = _Labelled(data, auto_id=auto_id, renderer=renderer)
            django_form = _Labelled(data, auto_id=auto_id, renderer=stock)
            for name in form.fields:
                for kwargs in ({}, {"attrs": {"class": "c", "data-x": '"'}}, {"tag": "legend"}):
                    # fresh attributes for each call: Django adds the required class to them
                    ours = form[name].label_tag(**copy.deepcopy(kwargs))
                    assert ours == django_form[name].label_tag(**copy.deepcopy(kwargs))
                assert str(form[name].errors) == str(django_form[name].errors)
                assert form[name].legend_tag() == django_form[name].legend_tag()
            assert str(form.non_field_errors()) == str(django_form.non_field_errors())
            if data is not None:
                assert any(str(form[name].errors) for name in form.fields)
                assert str(form.non_field_errors()).startswith('<ul class="errorlist nonfield">')


def test_a_widget_with_its_own_option_template_renders_through_the_templates() -> None:
    widget = _Option(choices=[("a", "A")])
    context = widget.get_context("field", "a", {})
    with pytest.raises(TemplateDoesNotExist, match="no_such_option"):
        FormRenderer().render(widget.template_name, context)

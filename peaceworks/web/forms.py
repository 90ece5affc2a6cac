"""The form renderer (every form renders through the same accessible markup) and the
forms of the shared pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import Any

import django.forms
from django import forms
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

#: Django's own widget templates (the ``django.forms`` app's)
_STOCK_TEMPLATES = Path(django.forms.__file__).resolve().parent / "templates"
_WIDGETS = "django/forms/widgets/"
# A context as a template rendered by the renderer gets one: autoescaped, the active
# language's formats, the time zone setting.
_CONTEXT = Context(autoescape=True)


def _shown(value: Any) -> str:
    """``{{ value }}``."""
    return render_value_in_context(value, _CONTEXT)


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` (a safe string stays unescaped, as in a template)."""
    text = stringformat(value, "s")
    # the filter is marked is_safe: its output of a safe value stays safe
    return _shown(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _select(widget: dict[str, Any]) -> str | None:
    """``select.html`` with its ``select_option.html``s; None for an option of another
    template (a widget's own ``option_template_name``)."""
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            if option["template_name"] != f"{_WIDGETS}select_option.html":
                return None
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_shown(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _input_option(option: dict[str, Any]) -> str:
    """``input_option.html`` around ``input.html``."""
    field = _input(option)
    if not option["wrap_label"]:
        return field + "\n"
    id_ = option["attrs"].get("id")
    label_for = f' for="{_shown(id_)}"' if id_ else ""
    return f"<label{label_for}>{field} {_shown(option['label'])}</label>\n"


def _input(widget: dict[str, Any]) -> str:
    """``input.html``: the one-line inputs (text, e-mail, number, date, check box…)."""
    value = widget["value"]
    shown_value = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711  # as the template compares
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"'
        f"{shown_value}{_attrs(widget['attrs'])}>\n"
    )


def _label(context: dict[str, Any]) -> str:
    """``django/forms/label.html`` (a field's ``label_tag``)."""
    if not context["use_tag"]:
        return f"{_shown(context['label'])}\n"
    tag = _shown(context["tag"])
    attrs = _attrs(context["attrs"] or {})
    return f"<{tag}{attrs}>{_shown(context['label'])}</{tag}>\n"


def _error_list(context: dict[str, Any]) -> str:
    """``django/forms/errors/list/default.html``: ``ul.html``, nothing for no errors."""
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    shown_id = f' id="{_shown(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{_shown(error)}</li>" for error in errors)
    return f'<ul class="{_shown(context["error_class"])}"{shown_id}>{items}</ul>'


def _multiple_input(option_template: str) -> Callable[[dict[str, Any]], str | None]:
    """``multiple_input.html`` (check boxes, radio buttons) with its options."""

    def render(widget: dict[str, Any]) -> str | None:
        id_ = widget["attrs"].get("id")
        css = widget["attrs"].get("class")
        parts = [
            "<div",
            f' id="{_shown(id_)}"' if id_ else "",
            f' class="{_shown(css)}"' if css else "",
            ">",
        ]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f"\n  <div><label>{_shown(group)}</label>")
            for option in options:
                if option["template_name"] != option_template:
                    return None
                # checkbox_option.html and radio_option.html add a line after input_option.html
                parts.append(f"<div>\n    {_input_option(option)}\n</div>")
            if group:
                parts.append("\n  </div>")
        parts.append("\n</div>")
        return "".join(parts)

    return render


_checkboxes = _multiple_input(f"{_WIDGETS}checkbox_option.html")
_radios = _multiple_input(f"{_WIDGETS}radio_option.html")
_FORMS = "django/forms/"
#: the widgets whose template is only ``input.html`` (and a line break)
_INPUTS = (
    "checkbox", "color", "date", "datetime", "email", "file", "hidden", "number", "password",
    "search", "tel", "text", "time", "url",
)  # fmt: skip

# Django's form templates written in Python. The country and language selects of a form hold
# hundreds of options, and an ``{% include %}`` per option (twice, with its attributes) was
# most of such a page's rendering; every field renders its label, its (mostly empty) error
# list and its widget, three to five templates each, on every form page. Each gives exactly
# the template's markup (``web/tests/test_form_design.py`` compares them), and is used only
# while the engine finds Django's own templates for every name it stands for.
_IN_PYTHON: dict[str, tuple[Callable[[dict[str, Any]], str | None], tuple[str, ...]]] = {
    f"{_WIDGETS}select.html": (
        lambda context: _select(context["widget"]),
        tuple(f"{_WIDGETS}{name}" for name in ("select.html", "select_option.html", "attrs.html")),
    ),
    f"{_WIDGETS}checkbox_select.html": (
        lambda context: _checkboxes(context["widget"]),
        tuple(
            f"{_WIDGETS}{name}"
            for name in (
                "checkbox_select.html",
                "multiple_input.html",
                "checkbox_option.html",
                "input_option.html",
                "input.html",
                "attrs.html",
            )
        ),
    ),
    f"{_WIDGETS}radio.html": (
        lambda context: _radios(context["widget"]),
        tuple(
            f"{_WIDGETS}{name}"
            for name in (
                "radio.html",
                "multiple_input.html",
                "radio_option.html",
                "input_option.html",
                "input.html",
                "attrs.html",
            )
        ),
    ),
    **{
        f"{_WIDGETS}{name}.html": (
            lambda context: _input(context["widget"]) + "\n",
            tuple(f"{_WIDGETS}{file}" for file in (f"{name}.html", "input.html", "attrs.html")),
        )
        for name in _INPUTS
    },
    f"{_FORMS}label.html": (_label, (f"{_FORMS}label.html", f"{_FORMS}attrs.html")),
    f"{_FORMS}errors/list/default.html": (
        _error_list,
        (f"{_FORMS}errors/list/default.html", f"{_FORMS}errors/list/ul.html"),
    ),
}


class FormRenderer(TemplatesSetting):
    form_template_name = "web/form.html"
    field_template_name = "web/field.html"

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> SafeString | str:
        in_python = _IN_PYTHON.get(template_name)
        if in_python is not None and self._stock(in_python[1]):
            html = in_python[0](context)
            if html is not None:
                # stripped as Django's renderers strip a template's output
                return mark_safe(html.strip())  # noqa: S308  # every value went through escaping
        return super().render(template_name, context, request)

    @cached_property
    def _stock_names(self) -> frozenset[str]:
        """The form templates the engine finds in Django itself (none overridden)."""
        names = {name for _render, needed in _IN_PYTHON.values() for name in needed}
        return frozenset(name for name in names if self._is_stock(name))

    def _is_stock(self, template_name: str) -> bool:
        template = self.get_template(template_name)
        if template is None:
            return False
        origin = Path(template.origin.name).resolve()
        return origin.is_relative_to(_STOCK_TEMPLATES)

    def _stock(self, names: Iterable[str]) -> bool:
        return all(name in self._stock_names for name in names)


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, max_length=80)
    actor = forms.CharField(label=_("Who"), required=False, max_length=254)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned

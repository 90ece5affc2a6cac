"""The one way a page creates or edits a record: a form, one service call, a redirect.

Every app's create/edit page is one view that builds its form (empty, or filled from the
record) and hands it to :func:`form_page`; the service decides, and its DomainError is shown on
the field it names.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peaceworks.core.errors import DomainError
from peaceworks.core.models import original_language

_T = TypeVar("_T")


def attach_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's DomainError on its field (or on the whole form)."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[Mapping[str, Any]], _T],
    success_url: Callable[[_T], str],
    saved_message: str,
    template: str,
    context: Mapping[str, Any],
) -> HttpResponse:
    """On a valid POST call ``save(form.cleaned_data)`` (one service) and redirect to
    ``success_url(result)`` with ``saved_message``; otherwise render ``template`` with the
    form, the service's error on its field, and status 400 after a refused POST."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except DomainError as error:
            attach_error(form, error)
        else:
            messages.success(request, saved_message)
            return redirect(success_url(result))
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form, **context}, status=status)


def other_languages() -> list[tuple[str, str]]:
    """The languages network-authored texts are translated into: all but the original's."""
    return [(code, str(name)) for code, name in settings.LANGUAGES if code != original_language()]


class FieldsetsForm(forms.Form):
    """A form whose fields are shown in groups: ``fieldsets = [(legend, [field names])]``,
    each a ``<fieldset>`` with its legend after the fields in no group (the form renderer
    draws them from ``fieldsets`` in the context). The error summary still lists every field.
    """

    fieldsets: ClassVar[list[tuple[Any, list[str]]]] = []

    def get_context(self) -> dict[str, Any]:
        context = super().get_context()
        grouped = {name for _legend, names in self.fieldsets for name in names}
        by_name = {field.name: (field, errors) for field, errors in context["fields"]}
        context["fields"] = [item for item in context["fields"] if item[0].name not in grouped]
        context["fieldsets"] = [
            {"legend": legend, "fields": [by_name[name] for name in names if name in by_name]}
            for legend, names in self.fieldsets
        ]
        return context


class TranslationsForm(forms.Form):
    """A form whose ``translated_fields`` get one optional copy per other language, shown in
    a group per language below the form's own fields; ``cleaned_data["translations"]`` holds
    them as ``{"fr": {"title": "…"}}`` (what :class:`~peaceworks.core.models.Translatable`
    stores). Initial versions come from ``initial["translations"]``. The form renderer
    (``FORM_RENDERER``) draws the groups from ``language_groups`` in the context."""

    translated_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = self.initial.get("translations") or {}
        for language, _name in other_languages():
            for name in self.translated_fields:
                field = copy.deepcopy(self.fields[name])
                field.required = False
                field.help_text = ""
                field.widget.attrs["lang"] = language
                field.initial = stored.get(language, {}).get(name, "")
                self.fields[f"{name}_{language}"] = field

    def language_groups(self) -> list[dict[str, Any]]:
        """One group per other language: its legend and its bound fields."""
        return [
            {
                "code": language,
                "legend": _("%(language)s translation") % {"language": name},
                "fields": [self[f"{field}_{language}"] for field in self.translated_fields],
            }
            for language, name in other_languages()
        ]

    def get_context(self) -> dict[str, Any]:
        context = super().get_context()
        languages = {code for code, _name in other_languages()}
        context["fields"] = [
            (field, errors)
            for field, errors in context["fields"]
            if field.name.rpartition("_")[2] not in languages
            or field.name.rpartition("_")[0] not in self.translated_fields
        ]
        context["language_groups"] = self.language_groups()
        return context

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        versions: dict[str, dict[str, str]] = {}
        for language, _name in other_languages():
            for name in self.translated_fields:
                text = str(cleaned.pop(f"{name}_{language}", "") or "").strip()
                if text:
                    versions.setdefault(language, {})[name] = text
        cleaned["translations"] = versions
        return cleaned

"""The one way a page creates or edits a record: a form, one service call, a redirect.

Every app's create/edit page is one view that builds its form (empty, or filled from the
record) and hands it to :func:`form_page`; the service decides, and its DomainError is shown on
the field it names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from peaceworks.core.errors import DomainError

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

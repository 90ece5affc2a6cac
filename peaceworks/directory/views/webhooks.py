"""An organisation's webhooks: subscriptions, their deliveries with every attempt, replay."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peaceworks.core.forms import form_page
from peaceworks.directory import selectors
from peaceworks.directory.forms import WebhookSubscriptionForm
from peaceworks.directory.models import WebhookEvent, WebhookSubscription
from peaceworks.directory.services import webhooks as services


@login_required
def webhooks(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's subscriptions and recent deliveries; coordinators add one here."""
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk, write=True)
    form = WebhookSubscriptionForm(request.POST or None)

    def save(values: Mapping[str, Any]) -> WebhookSubscription:
        return services.webhook_subscribe(
            actor=request.user,
            organisation=organisation,
            url=values["url"],
            events=values["events"],
        )

    return form_page(
        request,
        form,
        save=save,
        success_url=lambda _subscription: reverse("directory:webhooks", args=[organisation.pk]),
        saved_message=_("Subscribed. Deliveries are signed with the secret shown below."),
        template="directory/webhooks.html",
        context={
            "organisation": organisation,
            "subscriptions": selectors.webhook_subscription_list(organisation=organisation),
            "deliveries": selectors.webhook_delivery_list(organisation=organisation),
            "event_labels": WebhookEvent.choices,
        },
    )


@login_required
@require_POST
def webhook_unsubscribe(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = selectors.webhook_subscription_get_for_user(user=request.user, pk=pk)
    organisation_id = subscription.organisation_id
    services.webhook_unsubscribe(actor=request.user, subscription=subscription)
    messages.success(request, _("Unsubscribed."))
    return redirect("directory:webhooks", organisation_id)


@login_required
@require_POST
def webhook_replay(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = selectors.webhook_delivery_get_for_user(user=request.user, pk=pk)
    services.webhook_replay(actor=request.user, delivery=delivery)
    messages.success(request, _("The delivery is being sent again."))
    return redirect("directory:webhooks", delivery.subscription.organisation_id)

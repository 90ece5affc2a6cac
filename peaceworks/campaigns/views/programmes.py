"""Pages where network staff name and describe programmes, campaigns and projects, and their
themes, in every language (thin views: a form, one service, a redirect). Members of the
network who read these records get 403; others (stakeholders) 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peaceworks.accounts.access import viewer_for
from peaceworks.campaigns import selectors
from peaceworks.campaigns.forms import CampaignForm, ProgrammeForm, ThemeForm
from peaceworks.campaigns.models import Campaign
from peaceworks.campaigns.services import (
    campaign_create,
    campaign_update,
    programme_create,
    programme_update,
    theme_create,
    theme_update,
)
from peaceworks.campaigns.views.strategy import form_initial
from peaceworks.core.errors import Forbidden
from peaceworks.core.forms import form_page

_TEMPLATE = "campaigns/strategy_form.html"


def _index_url(anchor: str = "") -> str:
    return reverse("campaigns:index") + (f"#{anchor}" if anchor else "")


def _detail_url(campaign: Campaign, anchor: str = "") -> str:
    url = reverse("campaigns:detail", kwargs={"code": campaign.code})
    return url + (f"#{anchor}" if anchor else "")


@login_required
@require_http_methods(["GET", "POST"])
def programme_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Set up a programme, or edit the programme ``pk``."""
    viewer = viewer_for(request.user)
    viewer.require_network_member()
    if pk is None:
        if not viewer.is_network_staff:
            raise Forbidden
        return form_page(
            request,
            ProgrammeForm(request.POST or None),
            save=lambda data: programme_create(actor=request.user, **data),
            success_url=lambda programme: _index_url(f"programme-{programme.pk}"),
            saved_message=_("The programme was created. Add its campaigns and projects."),
            template=_TEMPLATE,
            context={"heading": _("New programme"), "cancel_url": _index_url()},
        )
    programme = selectors.programme_get_for_user(user=request.user, pk=pk, write=True)
    return form_page(
        request,
        ProgrammeForm(request.POST or None, initial=form_initial(programme, ProgrammeForm)),
        save=lambda data: programme_update(actor=request.user, programme=programme, changes=data),
        success_url=lambda _result: _index_url(f"programme-{programme.pk}"),
        saved_message=_("The programme was saved."),
        template=_TEMPLATE,
        context={"heading": _("Edit the programme"), "cancel_url": _index_url()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_form(request: HttpRequest, pk: int | None = None, code: str = "") -> HttpResponse:
    """Add a campaign or project to the programme ``pk``, or edit the campaign ``code``."""
    viewer_for(request.user).require_network_member()
    if pk is not None:
        programme = selectors.programme_get_for_user(user=request.user, pk=pk, write=True)
        return form_page(
            request,
            CampaignForm(request.POST or None, initial={"kind": Campaign.Kind.CAMPAIGN}),
            save=lambda data: campaign_create(actor=request.user, programme=programme, **data),
            success_url=_detail_url,
            saved_message=_("The campaign was created. Add its themes."),
            template=_TEMPLATE,
            context={
                "heading": _("New campaign or project"),
                "parent": programme,
                "cancel_url": _index_url(f"programme-{programme.pk}"),
            },
        )
    campaign = selectors.campaign_get_by_code(user=request.user, code=code)
    campaign = selectors.campaign_get_for_user(user=request.user, pk=campaign.pk, write=True)
    return form_page(
        request,
        CampaignForm(request.POST or None, initial=form_initial(campaign, CampaignForm)),
        save=lambda data: campaign_update(actor=request.user, campaign=campaign, changes=data),
        success_url=_detail_url,
        saved_message=_("The campaign was saved."),
        template=_TEMPLATE,
        context={
            "heading": _("Edit the campaign or project"),
            "parent": campaign.programme,
            "cancel_url": _detail_url(campaign),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def theme_form(request: HttpRequest, pk: int | None = None, code: str = "") -> HttpResponse:
    """Add a theme to the campaign ``code``, or edit the theme ``pk``."""
    viewer_for(request.user).require_network_member()
    if pk is None:
        campaign = selectors.campaign_get_by_code(user=request.user, code=code)
        campaign = selectors.campaign_get_for_user(user=request.user, pk=campaign.pk, write=True)
        following = (
            max((theme.number for theme in selectors.theme_list(campaign=campaign)), default=0) + 1
        )
        return form_page(
            request,
            ThemeForm(request.POST or None, initial={"number": following}),
            save=lambda data: theme_create(actor=request.user, campaign=campaign, **data),
            success_url=lambda _theme: _detail_url(campaign, "themes"),
            saved_message=_("The theme was added."),
            template=_TEMPLATE,
            context={
                "heading": _("Add a theme"),
                "parent": campaign,
                "cancel_url": _detail_url(campaign, "themes"),
            },
        )
    theme = selectors.theme_get_for_user(user=request.user, pk=pk, write=True)
    return form_page(
        request,
        ThemeForm(request.POST or None, initial=form_initial(theme, ThemeForm)),
        save=lambda data: theme_update(actor=request.user, theme=theme, changes=data),
        success_url=lambda _theme: _detail_url(theme.campaign, "themes"),
        saved_message=_("The theme was saved."),
        template=_TEMPLATE,
        context={
            "heading": _("Edit the theme"),
            "parent": theme.campaign,
            "cancel_url": _detail_url(theme.campaign, "themes"),
        },
    )

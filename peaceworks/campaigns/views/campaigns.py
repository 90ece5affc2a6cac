"""Campaign pages: thin views that validate a form, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peaceworks.accounts.access import viewer_for
from peaceworks.campaigns import selectors
from peaceworks.campaigns.forms import (
    ActionProgressForm,
    ActivityFilterForm,
    ActivityForm,
    ActivityUploadForm,
    OutputDimensionForm,
    PublishForm,
)
from peaceworks.campaigns.hooks import public_results_url
from peaceworks.campaigns.imports import ActivityImporter
from peaceworks.campaigns.services import (
    action_progress_update,
    activity_create,
    activity_update,
    campaign_publish,
)
from peaceworks.core.charts import render_svg
from peaceworks.core.errors import DomainError, Forbidden
from peaceworks.core.forms import attach_error
from peaceworks.core.paging import list_page
from peaceworks.core.upload_pages import store_posted
from peaceworks.directory.maps import choropleth_svg
from peaceworks.directory.models import Organisation
from peaceworks.directory.selectors import partnership_list

PAGE_SIZE = 50
ACTIVITY_SORTS = {
    "recent": ("-start_date", "title", "pk"),
    "oldest": ("start_date", "title", "pk"),
    "title": ("title", "pk"),
}


def _host_choices(request: HttpRequest) -> QuerySet[Organisation]:
    viewer = viewer_for(request.user)
    organisations = Organisation.objects.order_by("name")
    if viewer.is_network_staff:
        return organisations
    return organisations.filter(pk__in=viewer.writable_org_ids)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    campaigns = selectors.campaign_list_visible_to(user=request.user)
    # the campaign page is the network's; others (stakeholders) read the published page
    viewer = viewer_for(request.user)
    is_member = viewer.is_network_member
    # network staff name the programmes and their campaigns here, in every language
    programmes = (
        selectors.programme_list_visible_to(user=request.user).order_by("name")
        if viewer.is_network_staff
        else []
    )
    # the strategy plans one may read, one click from the menu's "Campaigns"
    plans = selectors.plan_list_visible_to(user=request.user).order_by("-start_year", "title")
    return render(
        request,
        "campaigns/index.html",
        {
            "campaigns": campaigns,
            "is_member": is_member,
            "plans": plans[:20],
            "programmes": programmes,
            "is_staff": viewer.is_network_staff,
        },
    )


CALENDAR_MONTHS_PER_PAGE = 6


@login_required
def campaign_detail(request: HttpRequest, code: str) -> HttpResponse:
    viewer_for(request.user).require_network_member()
    campaign = selectors.campaign_get_by_code(user=request.user, code=code)
    overview = selectors.campaign_overview(
        user=request.user, campaign=campaign, today=timezone.localdate()
    )
    viewer = viewer_for(request.user)
    # The calendar is the part that grows with the network: a few months at a time.
    calendar = list_page(request, overview.months, per_page=CALENDAR_MONTHS_PER_PAGE)
    partnerships = (
        partnership_list(user=request.user, campaign_id=campaign.pk)
        if viewer.is_network_staff
        else []
    )
    sections = [
        ("themes", _("Themes")),
        *([("inclusion", _("Inclusion targets"))] if overview.inclusion else []),
        ("outputs", _("Output indicators")),
        ("where", _("Where activities take place")),
        *([("partnerships", _("Partnerships"))] if partnerships else []),
        ("strategy", _("Strategy progress")),
        ("calendar", _("Activities calendar")),
    ]
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "overview": overview,
            "calendar": calendar,
            "sections": sections,
            "map_svg": _activity_map(overview.country_counts),
            "partnerships": partnerships,
            "campaign": campaign,
            "can_register": viewer.is_network_staff or bool(viewer.writable_org_ids),
            "is_staff": viewer.is_network_staff,
        },
    )


def campaign_public(request: HttpRequest, code: str) -> HttpResponse:
    campaign = selectors.campaign_get_published(code=code)
    overview = selectors.campaign_public_overview(campaign=campaign, today=timezone.localdate())
    return render(
        request,
        "campaigns/campaign_public.html",
        {
            "overview": overview,
            "map_svg": _activity_map(overview.country_counts),
            "results_url": public_results_url(campaign=campaign),
        },
    )


def _activity_map(country_counts: list[tuple[str, int]]) -> str:
    return choropleth_svg(
        {country: float(count) for country, count in country_counts},
        title=_("Activities per hosting country"),
        value_label=_("Activities"),
    )


@login_required
def campaign_outputs(request: HttpRequest, code: str) -> HttpResponse:
    viewer_for(request.user).require_network_member()
    campaign = selectors.campaign_get_by_code(user=request.user, code=code)
    form = OutputDimensionForm(request.GET or None)
    dimension = form.dimension()
    table = selectors.campaign_outputs_by(campaign=campaign, dimension=dimension)
    labels = selectors.dimension_labels(campaign=campaign, dimension=dimension, table=table)
    return render(
        request,
        "campaigns/campaign_outputs.html",
        {
            "campaign": campaign,
            "form": form,
            "rows": [(labels.get(group.key, group.key), group.outputs) for group in table.groups],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_publish_view(request: HttpRequest, code: str) -> HttpResponse:
    campaign = selectors.campaign_get_by_code(user=request.user, code=code)
    campaign = selectors.campaign_get_for_user(user=request.user, pk=campaign.pk, write=True)
    form = PublishForm(
        request.POST or None,
        initial={
            "is_published": campaign.is_published,
            "published_summary": campaign.published_summary,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign_publish(actor=request.user, campaign=campaign, **form.cleaned_data)
        except DomainError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The public campaign page was updated."))
            return redirect("campaigns:detail", code=campaign.code)
    return render(request, "campaigns/campaign_publish.html", {"campaign": campaign, "form": form})


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    viewer_for(request.user).require_network_member()
    form = ActivityFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    activities = selectors.activity_list_visible_to(
        user=request.user,
        year=filters.get("year"),
        activity_type=filters.get("activity_type") or None,
        status=filters.get("status") or None,
        country=filters.get("country") or None,
    )
    listing = list_page(
        request, activities, per_page=PAGE_SIZE, sorts=ACTIVITY_SORTS, default_sort="recent"
    )
    return render(
        request,
        "campaigns/activity_list.html",
        {"form": form, "page": listing.page, "filter_query": listing.query},
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(user=request.user, pk=pk)
    viewer = viewer_for(request.user)
    return render(
        request,
        "campaigns/activity_detail.html",
        {"activity": activity, "can_edit": viewer.can_write_org(activity.host_organisation_id)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create_view(request: HttpRequest, code: str) -> HttpResponse:
    viewer_for(request.user).require_network_member()
    campaign = selectors.campaign_get_by_code(user=request.user, code=code)
    hosts = _host_choices(request)
    if not hosts.exists():
        raise Forbidden
    form = ActivityForm(request.POST or None, campaign=campaign, host_choices=hosts)
    if request.method == "POST" and form.is_valid():
        try:
            activity = activity_create(
                actor=request.user,
                campaign=campaign,
                host_organisation=form.cleaned_data["host_organisation"],
                data=form.to_data(),
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The activity was registered."))
            return redirect("campaigns:activity_detail", pk=activity.pk)
    return render(
        request,
        "campaigns/activity_form.html",
        {"form": form, "campaign": campaign, "activity": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(
        user=request.user, pk=pk, purpose=selectors.Purpose.WRITE
    )
    hosts = Organisation.objects.filter(pk=activity.host_organisation_id)
    form = ActivityForm(
        request.POST or None,
        campaign=activity.campaign,
        host_choices=hosts,
        initial=ActivityForm.initial_for(activity),
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity_update(
                actor=request.user, activity=activity, changes=form.changes(form.changed_data)
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("campaigns:activity_detail", pk=activity.pk)
    return render(
        request,
        "campaigns/activity_form.html",
        {"form": form, "campaign": activity.campaign, "activity": activity},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_import(request: HttpRequest, code: str) -> HttpResponse:
    viewer_for(request.user).require_network_member()
    campaign = selectors.campaign_get_by_code(user=request.user, code=code)
    if not _host_choices(request).exists():
        raise Forbidden
    form = ActivityUploadForm(request.POST or None, request.FILES or None)
    upload, status = store_posted(
        request, form, importer=ActivityImporter.kind, target={"campaign": campaign.pk}
    )
    if upload is not None:
        return redirect("campaigns:import_preview", pk=upload.pk)
    return render(
        request,
        "campaigns/activity_import.html",
        {"form": form, "campaign": campaign},
        status=status,
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    progress = selectors.plan_progress(plan=plan, today=timezone.localdate())
    chart = render_svg(selectors.plan_timeline_spec(progress)) if progress.actions else ""
    reflections = list(plan.reflections.all())
    sections = [
        *([("reflections", _("Reflections"))] if reflections else []),
        *((f"goal-{row.goal.pk}", str(row.goal)) for row in progress.goals),
        ("timeline", _("Timeline")),
    ]
    return render(
        request,
        "campaigns/plan_detail.html",
        {
            "progress": progress,
            "plan": plan,
            "chart": chart,
            "sections": sections,
            "reflections": reflections,
            "updatable": selectors.updatable_action_ids(user=request.user, progress=progress),
            # stakeholders read published plans; the campaign's page for them is the public one
            "is_member": viewer_for(request.user).is_network_member,
            "can_plan": viewer_for(request.user).is_network_staff,
        },
    )


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    rows = selectors.my_action_rows(user=request.user, today=timezone.localdate())
    return render(request, "campaigns/my_actions.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def action_progress(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get_for_user(user=request.user, pk=pk, write=True)
    form = ActionProgressForm(
        request.POST or None, initial={"progress": action.progress, "status": action.status}
    )
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            action_progress_update(actor=request.user, action=action, **form.cleaned_data)
        except DomainError as error:
            attach_error(form, error)
        else:
            saved = True
            if not request.headers.get("HX-Request"):
                messages.success(request, _("The progress was saved."))
                return redirect("campaigns:plan_detail", pk=action.objective.goal.plan_id)
    is_htmx = bool(request.headers.get("HX-Request"))
    template = (
        "campaigns/_action_progress_form.html" if is_htmx else "campaigns/action_progress.html"
    )
    # htmx swaps only 2xx responses, so it gets the form with its errors as a 200.
    status = 400 if request.method == "POST" and not saved and not is_htmx else 200
    context = {"action": action, "form": form, "saved": saved}
    if not is_htmx:
        context["history"] = selectors.action_progress_history(action=action)
    return render(request, template, context, status=status)

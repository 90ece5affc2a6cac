from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from peaceworks.accounts.access import viewer_for
from peaceworks.accounts.hooks import attention_for
from peaceworks.accounts.selectors import membership_list_for_user
from peaceworks.core.exports import csv_bytes
from peaceworks.core.models import AuditEvent
from peaceworks.core.search import normalise_query
from peaceworks.core.selectors import audit_action_list, audit_event_list
from peaceworks.impact.selectors import home_figures
from peaceworks.meetings.selectors import action_items_of
from peaceworks.reports.selectors import public_campaigns, published_versions_for
from peaceworks.web.forms import AuditFilterForm
from peaceworks.web.selectors import (
    SEARCH_KIND_KEYS,
    search_kind,
    site_search,
    task_queue_health,
)


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: the SVG icon answers."""
    response = redirect(static("core/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:dashboard")
    return render(request, "web/home.html")


#: how many items of each group the home page lists (the count says how many there are)
HOME_ITEMS_PER_GROUP = 5


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Each role's home: what needs the person now (from every app, through
    ``accounts.hooks``), the few figures they care about, and the ways into their areas."""
    viewer = viewer_for(request.user)
    today = timezone.localdate()
    return render(
        request,
        "web/dashboard.html",
        {
            "viewer": viewer,
            "attention": attention_for(user=request.user, today=today),
            "items_per_group": HOME_ITEMS_PER_GROUP,
            "figures": (
                home_figures(user=request.user, year=today.year)
                if viewer.is_network_member
                else None
            ),
            "memberships": membership_list_for_user(user=request.user),
            # what has been published to the user: reports and public results pages
            "published_reports": published_versions_for(user=request.user, limit=20),
            "public_campaigns": public_campaigns(),
            "meeting_items": list(action_items_of(user=request.user)[:10]),
            "today": today,
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database reachability and whether the task worker keeps up (503 when not healthy)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001  # any database failure means "down"
        return JsonResponse(
            {"status": "error", "database": f"unreachable: {type(error).__name__}"}, status=503
        )
    tasks = task_queue_health(stall_after=timedelta(minutes=5))
    healthy = tasks["worker"] != "stalled"
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", "database": "ok", "tasks": tasks},
        status=200 if healthy else 503,
    )


AUDIT_PAGE_SIZE = 50


def _audit_events(request: HttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent] | None]:
    """The filter form and the matching events (``None`` when the filters are not valid).
    Network administrators only: anyone else gets 404."""
    viewer_for(request.user).require_network_staff(admin=True)
    form = AuditFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None
    filters = form.cleaned_data if request.GET else {}
    events = audit_event_list(
        action=filters.get("action") or "",
        actor=filters.get("actor") or "",
        since=filters.get("since"),
        until=filters.get("until"),
    )
    return form, events


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form, events = _audit_events(request)
    page = None
    if events is not None:
        page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode(), "actions": audit_action_list()},
        status=200 if events is not None else 400,
    )


@login_required
@require_GET
def audit_log_export(request: HttpRequest) -> HttpResponse:
    form, events = _audit_events(request)
    if events is None:
        return render(
            request,
            "web/audit_log.html",
            {"form": form, "page": None, "query": "", "actions": audit_action_list()},
            status=400,
        )
    headers = ["at", "actor", "action", "target_type", "target_id", "target", "ip_address"]
    rows = (
        [
            event.at.isoformat(),
            event.actor_label,
            event.action,
            event.target_type,
            event.target_id,
            event.target_label,
            event.ip_address or "",
        ]
        for event in events.iterator()
    )
    response = HttpResponse(csv_bytes(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="peaceworks-audit-log.csv"'
    return response


SEARCH_PER_GROUP = 5
SEARCH_PAGE_SIZE = 20


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """One search across the product, as the person may open things: every kind's best
    results with its count, or one kind's results page by page (``kind``)."""
    query = normalise_query(request.GET.get("q", ""))
    kind_key = request.GET.get("kind", "")
    context: dict[str, object] = {"search_query": query, "groups": [], "page": None}
    if query and kind_key in SEARCH_KIND_KEYS:
        kind = search_kind(kind_key)
        page = Paginator(kind.find(user=request.user, query=query), SEARCH_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context.update(
            kind=kind,
            page=page,
            results=[kind.result(row) for row in page.object_list],
            query_string=urlencode({"q": query, "kind": kind_key}),
        )
    elif query:
        context["groups"] = site_search(user=request.user, query=query, per_group=SEARCH_PER_GROUP)
    return render(request, "web/search.html", context)

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from peaceworks.accounts.access import viewer_for
from peaceworks.accounts.selectors import membership_list_for_user
from peaceworks.web.selectors import task_queue_health


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:dashboard")
    return render(request, "web/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/dashboard.html",
        {
            "viewer": viewer_for(request.user),
            "memberships": membership_list_for_user(user=request.user),
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

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from peaceworks.directory.selectors import organisation_list_visible_to


@login_required
def index(request: HttpRequest) -> HttpResponse:
    organisations = organisation_list_visible_to(user=request.user)
    return render(request, "directory/index.html", {"organisations": organisations})

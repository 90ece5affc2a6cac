from django.urls import path

from peaceworks.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
]

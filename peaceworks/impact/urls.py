from django.urls import path

from peaceworks.impact import views

app_name = "impact"

urlpatterns = [
    path("", views.index, name="index"),
]

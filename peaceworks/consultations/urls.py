from django.urls import path

from peaceworks.consultations import views

app_name = "consultations"

urlpatterns = [
    path("", views.index, name="index"),
]

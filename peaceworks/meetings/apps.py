from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "peaceworks.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

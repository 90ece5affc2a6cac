from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "peaceworks.directory"
    label = "directory"
    verbose_name = _("Network directory")

    def ready(self) -> None:
        from peaceworks.core import uploads
        from peaceworks.directory.services.member_import import MemberListImporter

        uploads.register(MemberListImporter())

        from peaceworks.accounts.hooks import register_attention
        from peaceworks.directory.selectors import ATTENTION_LABELS, attention_follow_ups

        register_attention("directory", attention_follow_ups, labels=ATTENTION_LABELS)

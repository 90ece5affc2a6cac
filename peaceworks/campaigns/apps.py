from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "peaceworks.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        # The directory comes before campaigns in the app order: campaigns lends it the
        # readers of activities its organisation page and world map show.
        from peaceworks.campaigns.selectors import (
            activity_counts_per_country,
            activity_list_hosted_by,
        )
        from peaceworks.directory.hooks import ActivityReaders, register_activity_readers

        register_activity_readers(
            ActivityReaders(
                hosted_by=activity_list_hosted_by, per_country=activity_counts_per_country
            )
        )

        from peaceworks.campaigns.imports import ActivityImporter
        from peaceworks.core import uploads

        uploads.register(ActivityImporter())

        from peaceworks.accounts.hooks import register_attention
        from peaceworks.campaigns.selectors import ATTENTION_LABELS, attention_overdue_actions

        register_attention("campaigns", attention_overdue_actions, labels=ATTENTION_LABELS)

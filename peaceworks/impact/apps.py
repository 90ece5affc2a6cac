from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "peaceworks.impact"
    label = "impact"
    verbose_name = _("Impact")

    def ready(self) -> None:
        from peaceworks.core import retention, uploads
        from peaceworks.impact import retention as impact_retention
        from peaceworks.impact.services.imports import IMPORTERS

        retention.register(
            "impact.withdrawn_respondents", impact_retention.purge_withdrawn_respondents
        )
        retention.register("impact.follow_up_contacts", impact_retention.purge_follow_up_contacts)
        for importer in IMPORTERS:
            uploads.register(importer)

        from peaceworks.accounts.hooks import register_attention
        from peaceworks.impact.selectors import ATTENTION_LABELS, attention_rounds_and_harm

        register_attention("impact", attention_rounds_and_harm, labels=ATTENTION_LABELS)

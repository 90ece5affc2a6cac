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

        from django.db.models.signals import m2m_changed, post_delete, post_save

        from peaceworks.campaigns.models import Activity
        from peaceworks.impact.models import Instrument, Round
        from peaceworks.impact.selectors import forget_recent_rounds

        # the public rounds a process keeps for a second (round_get_public_recent)
        for model in (Round, Instrument, Activity):
            post_save.connect(forget_recent_rounds, sender=model, dispatch_uid="recent-rounds")
            post_delete.connect(forget_recent_rounds, sender=model, dispatch_uid="recent-rounds")
        m2m_changed.connect(
            forget_recent_rounds, sender=Activity.themes.through, dispatch_uid="recent-rounds"
        )

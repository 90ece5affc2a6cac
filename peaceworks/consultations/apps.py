from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "peaceworks.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from peaceworks.campaigns.hooks import register_strategy_links
        from peaceworks.consultations.hooks import strategy_links_for
        from peaceworks.consultations.polis import PolisImporter
        from peaceworks.core import uploads

        uploads.register(PolisImporter())
        register_strategy_links("consultations", strategy_links_for)

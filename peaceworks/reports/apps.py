from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "peaceworks.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from peaceworks.campaigns.hooks import register_public_results
        from peaceworks.reports.selectors import public_results_url

        register_public_results("reports", public_results_url)

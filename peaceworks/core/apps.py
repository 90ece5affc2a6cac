from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "peaceworks.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from peaceworks.core import idempotency, ratelimit, retention, uploads

        retention.register("core.uploads", uploads.purge_uploads)
        retention.register("core.idempotency_keys", idempotency.purge_idempotency_keys)
        retention.register("core.rate_counts", ratelimit.purge_rate_counts)

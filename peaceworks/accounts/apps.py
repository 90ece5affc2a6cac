from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "peaceworks.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from peaceworks.accounts import retention as accounts_retention
        from peaceworks.core import retention

        retention.register(
            "accounts.expired_invitations", accounts_retention.purge_expired_invitations
        )
        retention.register("accounts.login_failures", accounts_retention.purge_login_failures)

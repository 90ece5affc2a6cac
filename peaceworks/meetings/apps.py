from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "peaceworks.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from peaceworks.campaigns.hooks import register_strategy_links
        from peaceworks.consultations.hooks import register_discussions
        from peaceworks.meetings.hooks import consultation_sessions, decision_links

        register_strategy_links("meetings", decision_links)
        register_discussions("meetings", consultation_sessions)

        from peaceworks.accounts.hooks import register_attention
        from peaceworks.meetings.selectors import ATTENTION_LABELS, attention_action_items

        register_attention("meetings", attention_action_items, labels=ATTENTION_LABELS)

"""Every write of the impact app (frameworks, instruments, rounds, responses, imports)."""

from peaceworks.impact.services.analytics import (
    analytics_rebuild,
    analytics_refresh_request,
    analytics_refresh_soon,
    analytics_snapshot_store,
)
from peaceworks.impact.services.frameworks import (
    framework_install_default,
    indicator_save,
    instrument_edit,
    instrument_publish,
    question_delete,
    question_save,
    target_set,
)
from peaceworks.impact.services.quotes import answer_quotable_set
from peaceworks.impact.services.responses import (
    Submission,
    harm_review,
    respondent_withdraw,
    response_submit,
)
from peaceworks.impact.services.rounds import (
    design_rule,
    round_open,
    round_update_dates,
    rounds_open_default,
)

__all__ = [
    "Submission",
    "analytics_rebuild",
    "analytics_refresh_request",
    "analytics_refresh_soon",
    "analytics_snapshot_store",
    "answer_quotable_set",
    "design_rule",
    "framework_install_default",
    "harm_review",
    "indicator_save",
    "instrument_edit",
    "instrument_publish",
    "question_delete",
    "question_save",
    "respondent_withdraw",
    "response_submit",
    "round_open",
    "round_update_dates",
    "rounds_open_default",
    "target_set",
]

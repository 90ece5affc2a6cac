"""Writes for campaigns, activities and strategy: atomic, validated, audited.

Every function checks the actor's rights itself (pages, API and imports share these rules)
and raises :class:`~peaceworks.core.errors.DomainError` with the field concerned for bad
input, so forms and the API show a clear message.
"""

from peaceworks.campaigns.services.campaigns import (
    ACTIVITY_FIELDS,
    MAX_THEMES,
    MIN_THEMES,
    ActivityData,
    activity_check_themes,
    activity_create,
    activity_update,
    activity_validate,
    campaign_create,
    campaign_publish,
    inclusion_target_set,
    programme_create,
    theme_create,
)
from peaceworks.campaigns.services.strategy import (
    action_create,
    action_delete,
    action_progress_update,
    action_update,
    goal_create,
    goal_delete,
    goal_update,
    objective_create,
    objective_delete,
    objective_update,
    plan_create,
    plan_update,
    reflection_add,
    reflection_delete,
    reflection_update,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "MAX_THEMES",
    "MIN_THEMES",
    "ActivityData",
    "action_create",
    "action_delete",
    "action_progress_update",
    "action_update",
    "activity_check_themes",
    "activity_create",
    "activity_update",
    "activity_validate",
    "campaign_create",
    "campaign_publish",
    "goal_create",
    "goal_delete",
    "goal_update",
    "inclusion_target_set",
    "objective_create",
    "objective_delete",
    "objective_update",
    "plan_create",
    "plan_update",
    "programme_create",
    "reflection_add",
    "reflection_delete",
    "reflection_update",
    "theme_create",
]

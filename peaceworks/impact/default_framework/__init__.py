"""The framework Peaceworks ships: constructs for five rights themes plus the always-asked
competence and inclusion blocks, worded for this product in English, French and Spanish.

Pure data. ``services.framework_install_default`` turns it into rows for a campaign, mapping
theme numbers 1-5 onto the campaign's own themes (a module whose theme the campaign lacks is
left out). Roles: ``pre`` V-PRE, ``post`` V-POST (items marked ``then`` are also asked in the
retrospective block), ``fu`` V-FU, ``partner`` P-POST.
"""

from peaceworks.impact.default_framework.blocks import BLOCK_QUESTIONS
from peaceworks.impact.default_framework.outcomes import (
    DISAGGREGATIONS,
    LEGACY_FEWER_OPPORTUNITIES,
    OUTCOMES,
    SWITCHABLE_QUESTIONS,
)
from peaceworks.impact.default_framework.questions import THEME_QUESTIONS
from peaceworks.impact.default_framework.texts import (
    CONSENT,
    CONSENT_VERSION,
    SENSITIVE_CONSENT,
    SOURCE,
    THEMES,
    TITLES,
)

#: every question, theme modules first, in the order instruments ask them
QUESTIONS = THEME_QUESTIONS + BLOCK_QUESTIONS

__all__ = [
    "CONSENT",
    "CONSENT_VERSION",
    "DISAGGREGATIONS",
    "LEGACY_FEWER_OPPORTUNITIES",
    "OUTCOMES",
    "QUESTIONS",
    "SENSITIVE_CONSENT",
    "SOURCE",
    "SWITCHABLE_QUESTIONS",
    "THEMES",
    "TITLES",
]

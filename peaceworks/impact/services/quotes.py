"""Marking a free-text answer as quotable: the selected stories a report may print."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, user_of
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError
from peaceworks.impact.models import Question, QuotableAnswer, Response
from peaceworks.impact.selectors import is_quotable_question, quote_check


@transaction.atomic
def answer_quotable_set(
    *, actor: Actor, response: Response, question_code: str, is_quotable: bool
) -> bool:
    """Mark (or unmark) the written answer to ``question_code`` as quotable in reports.

    Network staff and the host's coordinators only (``quote_check``: NotFound, Forbidden).
    Raises DomainError when the respondent did not consent to being quoted, withdrew, or the
    question is not a free-text question with an answer that may be quoted. Unmarking is
    always allowed. Audited; returns whether the answer is now quotable.
    """
    quote_check(user=actor, response=response)
    marks = QuotableAnswer.objects.filter(response=response, question_code=question_code)
    if not is_quotable:
        if marks.delete()[0]:
            _audit(actor, response, question_code, "impact.answer_unquotable")
        return False
    if not response.quote_consent:
        raise DomainError(
            _("The respondent did not agree to being quoted: this answer cannot be marked."),
            field="quotable",
        )
    respondent = response.respondent
    if respondent is not None and respondent.withdrawn_at is not None:
        raise DomainError(_("The respondent withdrew their consent."), field="quotable")
    question = Question.objects.filter(
        instrument_id=response.instrument_version_id, code=question_code
    ).first()
    text = response.answers.get(question_code)
    if (
        question is None
        or not is_quotable_question(question)
        or not (isinstance(text, str) and text.strip())
    ):
        raise DomainError(_("Only a written answer can be marked as quotable."), field="quotable")
    if not marks.exists():
        QuotableAnswer.objects.create(
            response=response, question_code=question_code, marked_by=user_of(actor)
        )
        _audit(actor, response, question_code, "impact.answer_quotable")
    return True


def _audit(actor: Actor, response: Response, question_code: str, action: str) -> None:
    audit_record(actor=actor, action=action, target=response, changes={"question": question_code})

"""Reminders of an activity's next survey, to respondents who gave an e-mail address for it.

A respondent may leave an address, with explicit consent, after answering (the thanks page of
a pre survey). It lives in its own table, never with the answers; withdrawing deletes it, and
``impact.retention`` deletes it once no round of the activity is still to come. Coordinators
ask for the reminders of a round from its page; the task sends each person one reminder per
round through :func:`peaceworks.core.once.send_once` (claimed before the e-mail goes, marked
sent after, a claim whose worker died taken over by a later run after the lease).
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, viewer_for
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError, NotFound
from peaceworks.core.once import Clock, send_once
from peaceworks.core.scheduling import enqueue_on_commit
from peaceworks.impact.models import FollowUpContact, FollowUpReminder, Respondent, Round
from peaceworks.impact.qr import public_link
from peaceworks.impact.selectors import follow_up_contacts_due

#: the rounds a reminder may be sent for: those that come after a first answer
REMINDED_KINDS = (Round.Kind.POST, Round.Kind.FOLLOW_UP)


@transaction.atomic
def follow_up_contact_give(
    *, survey_round: Round, respondent_id: int, email: str, language: str, consent_text: str
) -> FollowUpContact:
    """Keep ``email`` to remind the respondent (who answered ``survey_round``) of the
    activity's next survey, with the consent wording they agreed to. Giving it again
    replaces it. Raises DomainError on ``email`` for a malformed address, NotFound for a
    respondent not of the round's activity or withdrawn."""
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(_("Enter a valid e-mail address."), field="email") from None
    respondent = Respondent.objects.filter(
        pk=respondent_id, activity_id=survey_round.activity_id, withdrawn_at__isnull=True
    ).first()
    if respondent is None:
        raise NotFound
    contact, _created = FollowUpContact.objects.update_or_create(
        respondent=respondent,
        round=survey_round,
        defaults={
            "email": email,
            "language": language[:8],
            "consent_text": consent_text,
            "consented_at": timezone.now(),
        },
    )
    # the address itself stays out of the audit log
    audit_record(actor=None, action="impact.follow_up_contact_give", target=contact)
    return contact


def follow_up_reminders_request(*, actor: Actor, survey_round: Round) -> int:
    """Queue the reminders of ``survey_round`` (a post or follow-up survey, open now) for
    network staff or the host's coordinators; returns how many people will get one.

    Raises DomainError when the round is of another kind or not open, Forbidden/NotFound
    by the round's rule."""
    viewer_for(actor).require_org(survey_round.activity.host_organisation_id, write=True)
    if survey_round.kind not in REMINDED_KINDS:
        raise DomainError(_("Reminders are sent for post and follow-up surveys only."))
    if not survey_round.is_open():
        raise DomainError(_("Reminders can be sent only while the survey is open."))
    due = len(follow_up_contacts_due(survey_round=survey_round))
    if due:
        enqueue_on_commit("peaceworks.impact.tasks.follow_up_reminders", survey_round.pk)
    audit_record(
        actor=actor,
        action="impact.follow_up_reminders_request",
        target=survey_round,
        changes={"people": due},
    )
    return due


def _send(contact: FollowUpContact, survey_round: Round) -> None:
    activity = survey_round.activity
    with translation.override(contact.language):
        subject = _("Your next survey for %(activity)s") % {"activity": activity.title}
        body = _(
            "Hello,\n\nYou asked us to remind you of the next survey of %(activity)s. "
            "It is open until %(date)s:\n\n%(link)s\n\n"
            "You will need the three facts of your personal code. This is the only reminder "
            "we send; your e-mail address is deleted when the survey closes."
        ) % {
            "activity": activity.title,
            "date": date_format(timezone.localtime(survey_round.closes_at), "DATE_FORMAT"),
            "link": public_link(survey_round),
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [contact.email])


def follow_up_reminders_send(*, round_id: int, clock: Clock = timezone.now) -> int:
    """Send the reminders of the round ``round_id`` (run by the task, for the system): one
    e-mail per respondent who gave an address in an earlier round of the activity, has not
    answered this one and has not withdrawn, never twice. Returns how many went out; nothing
    once the round has closed (by ``clock``)."""
    survey_round = (
        Round.objects.select_related("activity")
        .filter(pk=round_id, kind__in=REMINDED_KINDS)
        .first()
    )
    if survey_round is None or not survey_round.is_open(clock()):
        return 0
    sent = 0
    for contact in follow_up_contacts_due(survey_round=survey_round):
        if send_once(
            FollowUpReminder,
            key={"respondent_id": contact.respondent_id, "round_id": survey_round.pk},
            clock=clock,
            send=partial(_send, contact, survey_round),
        ):
            sent += 1
    if sent:
        audit_record(
            actor=None,
            action="impact.follow_up_reminders_sent",
            target=survey_round,
            changes={"sent": sent},
        )
    return sent

"""Writes of consultations: each service checks who acts, writes in one transaction and is
audited. A refused contribution or vote raises a DomainError with the reason and stores
nothing."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, user_of, viewer_for
from peaceworks.campaigns.models import Action, Objective, Reflection
from peaceworks.consultations import analysis
from peaceworks.consultations.models import (
    LANGUAGE_CODES,
    Comment,
    ConceptTerm,
    Consultation,
    Contribution,
    ContributionRevision,
    Draft,
    Moderation,
    Participant,
    Prompt,
    Statement,
    StrategyLink,
    SynthesisRun,
    ThemeEdit,
    Vote,
)
from peaceworks.consultations.selectors import (
    audience_organisations,
    can_facilitate,
    can_take_part,
    consultation_get_for_user,
    require_facilitator,
)
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError, Forbidden, NotFound
from peaceworks.core.records import apply_changes
from peaceworks.core.scheduling import enqueue_on_commit
from peaceworks.directory.models import WebhookEvent
from peaceworks.directory.services.webhooks import webhook_emit

CONSULTATION_FIELDS = (
    "title",
    "slug",
    "description",
    "audience",
    "regions",
    "allows_anonymous",
    "languages",
    "opens_on",
    "deliberation_on",
    "synthesis_on",
    "closes_on",
)
PHASE_ORDER = [phase.value for phase in Consultation.Phase]
MAX_TEXT = 10_000
MAX_STATEMENT = 500


def _clean_text(text: str, *, field: str, limit: int) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write something first."), field=field)
    if len(text) > limit:
        raise DomainError(_("Keep it under %(limit)d characters.") % {"limit": limit}, field=field)
    return text


# --- consultations -------------------------------------------------------------------------


@transaction.atomic
def consultation_create(
    *, actor: Actor, changes: Mapping[str, Any], prompts: Sequence[Mapping[str, str]] = ()
) -> Consultation:
    require_facilitator(actor)
    consultation = Consultation(created_by=user_of(actor))
    apply_changes(consultation, dict(changes), allowed=CONSULTATION_FIELDS)
    for number, texts in enumerate(prompts, start=1):
        prompt_create(actor=actor, consultation=consultation, texts=texts, number=number)
    audit_record(
        actor=actor, action="consultation.create", target=consultation, changes=dict(changes)
    )
    return consultation


@transaction.atomic
def consultation_update(
    *, actor: Actor, consultation: Consultation, changes: Mapping[str, Any]
) -> Consultation:
    require_facilitator(actor)
    changed = apply_changes(consultation, dict(changes), allowed=CONSULTATION_FIELDS)
    audit_record(
        actor=actor,
        action="consultation.update",
        target=consultation,
        changes={name: changes[name] for name in changed},
    )
    return consultation


@transaction.atomic
def consultation_set_networks(
    *, actor: Actor, consultation: Consultation, network_ids: Sequence[int]
) -> None:
    require_facilitator(actor)
    consultation.networks.set(list(network_ids))
    audit_record(
        actor=actor,
        action="consultation.networks",
        target=consultation,
        changes={"networks": list(network_ids)},
    )


@transaction.atomic
def consultation_set_phase(*, actor: Actor, consultation: Consultation, phase: str) -> Consultation:
    require_facilitator(actor)
    if phase not in PHASE_ORDER:
        raise DomainError(_("Choose a phase from the list."), field="phase")
    previous = consultation.phase
    consultation.phase = phase
    consultation.save(update_fields=["phase", "updated_at"])
    audit_record(
        actor=actor,
        action="consultation.phase",
        target=consultation,
        changes={"phase": [previous, phase]},
    )
    if phase != previous:
        webhook_emit(
            event=WebhookEvent.CONSULTATION_PHASE_CHANGED,
            organisation_ids=None,  # a consultation of the whole network
            payload={
                "consultation_id": consultation.pk,
                "slug": consultation.slug,
                "previous_phase": previous,
                "phase": phase,
            },
        )
    return consultation


@transaction.atomic
def prompt_create(
    *, actor: Actor, consultation: Consultation, texts: Mapping[str, str], number: int | None = None
) -> Prompt:
    require_facilitator(actor)
    cleaned = {code: str(texts[code]).strip() for code in LANGUAGE_CODES if texts.get(code)}
    if not cleaned:
        raise DomainError(_("Write the question in at least one language."), field="en")
    if number is None:
        number = consultation.prompts.count() + 1
    prompt = Prompt.objects.create(consultation=consultation, number=number, texts=cleaned)
    audit_record(actor=actor, action="prompt.create", target=prompt, changes={"texts": cleaned})
    return prompt


# --- contributions -------------------------------------------------------------------------


def _participation_refusal(
    actor: Actor, consultation: Consultation, *, token: str | None, what: str
) -> None:
    """Raise the reason ``actor`` may not contribute or vote now (nothing is stored)."""
    open_now = (
        consultation.takes_contributions if what == "contribute" else consultation.takes_votes
    )
    if not can_take_part(actor, consultation, token=token):
        raise DomainError(
            _("This consultation is open to a chosen audience, and you are not part of it.")
        )
    if not open_now:
        if what == "contribute":
            raise DomainError(
                _("This consultation does not take contributions now (phase: %(phase)s).")
                % {"phase": consultation.get_phase_display()}
            )
        raise DomainError(
            _("This consultation does not take votes now (phase: %(phase)s).")
            % {"phase": consultation.get_phase_display()}
        )


@transaction.atomic
def contribution_submit(
    *,
    actor: Actor,
    prompt: Prompt,
    text: str,
    anonymous: bool = False,
    quote_consent: bool = False,
    token: str | None = None,
) -> Contribution:
    consultation = prompt.consultation
    _participation_refusal(actor, consultation, token=token, what="contribute")
    text = _clean_text(text, field="text", limit=MAX_TEXT)
    user = user_of(actor)
    if user is None:
        anonymous = True
    if anonymous and user is not None and not consultation.allows_anonymous:
        raise DomainError(
            _("This consultation does not take anonymous contributions."), field="anonymous"
        )
    organisations = audience_organisations(viewer_for(actor), consultation)
    contribution = Contribution.objects.create(
        prompt=prompt,
        text=text,
        language=analysis.detect_language(text) or "",
        author=None if anonymous else user,  # an anonymous answer keeps no name
        organisation_id=None if anonymous or not organisations else organisations[0],
        anonymous=anonymous,
        quote_consent=quote_consent,
        moderation=Moderation.PENDING,
    )
    audit_record(actor=actor, action="contribution.submit", target=contribution)
    return contribution


@transaction.atomic
def contribution_edit(*, actor: Actor, contribution: Contribution, text: str) -> Contribution:
    user = user_of(actor)
    own = user is not None and contribution.author_id == user.pk
    if not (own or can_facilitate(actor)):
        raise Forbidden
    text = _clean_text(text, field="text", limit=MAX_TEXT)
    if text == contribution.text:
        return contribution
    ContributionRevision.objects.create(
        contribution=contribution, text=contribution.text, edited_by=user
    )
    contribution.text = text
    contribution.language = analysis.detect_language(text) or contribution.language
    if own and not can_facilitate(actor):
        contribution.moderation = Moderation.PENDING
    contribution.save(update_fields=["text", "language", "moderation", "updated_at"])
    audit_record(actor=actor, action="contribution.edit", target=contribution)
    return contribution


@transaction.atomic
def contribution_moderate(*, actor: Actor, contribution: Contribution, state: str) -> Contribution:
    require_facilitator(actor)
    if state not in Moderation.values:
        raise DomainError(_("Choose approved or rejected."), field="state")
    contribution.moderation = state
    contribution.save(update_fields=["moderation", "updated_at"])
    audit_record(
        actor=actor, action="contribution.moderate", target=contribution, changes={"state": state}
    )
    return contribution


@transaction.atomic
def comment_add(
    *, actor: Actor, contribution: Contribution, text: str, token: str | None = None
) -> Comment:
    consultation = contribution.prompt.consultation
    if contribution.moderation != Moderation.APPROVED and not can_facilitate(actor):
        raise NotFound
    _participation_refusal(actor, consultation, token=token, what="vote")
    comment = Comment.objects.create(
        contribution=contribution,
        text=_clean_text(text, field="text", limit=2000),
        author=user_of(actor),
    )
    audit_record(actor=actor, action="comment.add", target=comment)
    return comment


# --- statements and votes ------------------------------------------------------------------


@transaction.atomic
def statement_submit(
    *, actor: Actor, consultation: Consultation, text: str, token: str | None = None
) -> Statement:
    """A facilitator's statement is approved at once; a participant's waits for moderation."""
    facilitator = can_facilitate(actor)
    if not facilitator:
        _participation_refusal(actor, consultation, token=token, what="vote")
    text = _clean_text(text, field="text", limit=MAX_STATEMENT)
    statement = Statement.objects.create(
        consultation=consultation,
        text=text,
        language=analysis.detect_language(text) or "",
        origin=Statement.Origin.FACILITATOR if facilitator else Statement.Origin.PARTICIPANT,
        moderation=Moderation.APPROVED if facilitator else Moderation.PENDING,
        author=user_of(actor),
    )
    audit_record(actor=actor, action="statement.submit", target=statement)
    return statement


@transaction.atomic
def statement_promote(*, actor: Actor, contribution: Contribution, text: str = "") -> Statement:
    """A facilitator turns a contribution into a statement (approved at once); a contribution
    still waiting for moderation is approved with it, a rejected one cannot be promoted."""
    require_facilitator(actor)
    if contribution.moderation == Moderation.REJECTED:
        raise DomainError(
            _("A rejected contribution cannot become a statement."), field="contribution"
        )
    text = _clean_text(text or contribution.text[:MAX_STATEMENT], field="text", limit=MAX_STATEMENT)
    if contribution.moderation == Moderation.PENDING:
        contribution_moderate(actor=actor, contribution=contribution, state=Moderation.APPROVED)
    statement = Statement.objects.create(
        consultation=contribution.prompt.consultation,
        text=text,
        language=contribution.language,
        origin=Statement.Origin.PROMOTED,
        moderation=Moderation.APPROVED,
        source=contribution,
        author=user_of(actor),
    )
    audit_record(actor=actor, action="statement.promote", target=statement)
    return statement


@transaction.atomic
def statement_moderate(*, actor: Actor, statement: Statement, state: str) -> Statement:
    require_facilitator(actor)
    if state not in Moderation.values:
        raise DomainError(_("Choose approved or rejected."), field="state")
    statement.moderation = state
    statement.save(update_fields=["moderation", "updated_at"])
    audit_record(
        actor=actor, action="statement.moderate", target=statement, changes={"state": state}
    )
    return statement


def new_participant_token() -> str:
    return secrets.token_urlsafe(24)


@transaction.atomic
def vote_cast(
    *,
    actor: Actor,
    statement: Statement,
    value: int,
    token: str | None = None,
    participant_token: str | None = None,
) -> Vote:
    """Record ``actor``'s vote on one statement (a later vote replaces the earlier one).

    ``token`` is the consultation's public-link token; ``participant_token`` identifies a
    visitor without an account (the random value of their signed participant cookie, so it
    outlives the session): one participant per token, and one vote per participant and
    statement."""
    consultation = statement.consultation
    _participation_refusal(actor, consultation, token=token, what="vote")
    if statement.moderation != Moderation.APPROVED:
        raise NotFound
    if value not in Vote.Value.values:
        raise DomainError(_("Vote agree, disagree or pass."), field="value")
    user = user_of(actor)
    if user is None and not participant_token:
        raise DomainError(_("Open the consultation's link again to vote."))
    if user is None:
        participant, _new = Participant.objects.get_or_create(
            consultation=consultation, token=str(participant_token), user=None
        )
    else:
        participant, _new = Participant.objects.get_or_create(
            consultation=consultation, user=user, defaults={"token": ""}
        )
    vote, _created = Vote.objects.update_or_create(
        participant=participant, statement=statement, defaults={"value": value}
    )
    audit_record(actor=actor, action="vote.cast", target=vote, changes={"value": value})
    return vote


# --- synthesis ----------------------------------------------------------------------------


@transaction.atomic
def synthesis_request(
    *, actor: Actor, consultation: Consultation, kind: str, seed: int = 0
) -> SynthesisRun:
    require_facilitator(actor)
    if kind not in SynthesisRun.Kind.values:
        raise DomainError(_("Choose themes or opinion groups."), field="kind")
    run = SynthesisRun.objects.create(
        consultation=consultation, kind=kind, seed=seed, requested_by=user_of(actor)
    )
    audit_record(actor=actor, action="synthesis.request", target=run, changes={"kind": kind})
    enqueue_on_commit("peaceworks.consultations.tasks.synthesis_run", run.pk)
    return run


def synthesis_execute(*, run_id: int) -> SynthesisRun:
    """Run a queued synthesis (the task's work); a finished run is left as it is."""
    with transaction.atomic():
        run = SynthesisRun.objects.select_for_update().get(pk=run_id)
        if run.state in (SynthesisRun.State.DONE, SynthesisRun.State.FAILED):
            return run
        run.state, run.progress = SynthesisRun.State.RUNNING, 5
        run.save(update_fields=["state", "progress", "updated_at"])

    def progress(percent: int) -> None:
        SynthesisRun.objects.filter(pk=run.pk).update(progress=max(0, min(99, percent)))

    try:
        if run.kind == SynthesisRun.Kind.GROUPS:
            result = analysis.run_groups(run.consultation, seed=run.seed, progress=progress)
        else:
            result = analysis.run_themes(run.consultation, seed=run.seed, progress=progress)
    except Exception as error:  # noqa: BLE001 — a failed run keeps its reason for the page
        run.state, run.error = SynthesisRun.State.FAILED, str(error)[:2000]
        run.save(update_fields=["state", "error", "updated_at"])
        audit_record(actor=None, action="synthesis.fail", target=run)
        return run
    run.state, run.progress, run.result = SynthesisRun.State.DONE, 100, result
    run.save(update_fields=["state", "progress", "result", "updated_at"])
    audit_record(actor=None, action="synthesis.done", target=run)
    return run


@transaction.atomic
def theme_edit_add(
    *,
    actor: Actor,
    consultation: Consultation,
    kind: str,
    theme_keys: Sequence[str],
    label: str = "",
    concept_groups: Sequence[Sequence[str]] = (),
) -> ThemeEdit:
    require_facilitator(actor)
    if kind not in ThemeEdit.Kind.values:
        raise DomainError(_("Choose rename, merge or split."), field="kind")
    keys = [str(key) for key in theme_keys if str(key).strip()]
    if kind == ThemeEdit.Kind.MERGE and len(keys) < 2:
        raise DomainError(_("Choose at least two themes to merge."), field="theme_keys")
    if not keys:
        raise DomainError(_("Choose a theme."), field="theme_keys")
    if kind != ThemeEdit.Kind.SPLIT and not label.strip():
        raise DomainError(_("Give the theme a label."), field="label")
    groups = [[str(c) for c in group if str(c).strip()] for group in concept_groups]
    groups = [group for group in groups if group]
    if kind == ThemeEdit.Kind.SPLIT and len(groups) < 2:
        raise DomainError(
            _("Split into at least two groups of concepts (one group a line)."),
            field="concept_groups",
        )
    edit = ThemeEdit.objects.create(
        consultation=consultation,
        kind=kind,
        theme_keys=keys,
        label=label.strip()[:200],
        concept_groups=groups,
    )
    audit_record(actor=actor, action="theme.edit", target=edit)
    return edit


@transaction.atomic
def theme_edit_undo(*, actor: Actor, consultation: Consultation, edit_id: int) -> None:
    """Withdraw one facilitator edit: later runs no longer apply it (the audit log keeps what
    it was). NotFound for an edit of another consultation or one already undone."""
    require_facilitator(actor)
    edit = ThemeEdit.objects.filter(consultation=consultation, pk=edit_id).first()
    if edit is None:
        raise NotFound
    audit_record(
        actor=actor,
        action="theme.undo",
        target=edit,
        changes={
            "kind": edit.kind,
            "theme_keys": list(edit.theme_keys),
            "label": edit.label,
            "concept_groups": list(edit.concept_groups),
        },
    )
    edit.delete()


@transaction.atomic
def concept_term_add(
    *, actor: Actor, consultation: Consultation, concept: str, language: str, term: str
) -> ConceptTerm:
    require_facilitator(actor)
    if language not in LANGUAGE_CODES:
        raise DomainError(_("Choose English, French or Spanish."), field="language")
    concept = concept.strip().lower().replace(" ", "-")
    if not concept:
        raise DomainError(_("Name the concept."), field="concept")
    term_obj = ConceptTerm.objects.create(
        consultation=consultation,
        concept=concept[:60],
        language=language,
        term=_clean_text(term, field="term", limit=100).lower(),
    )
    audit_record(actor=actor, action="concept.add", target=term_obj)
    return term_obj


# --- the draft ------------------------------------------------------------------------------


@transaction.atomic
def draft_generate(*, actor: Actor, consultation: Consultation, language: str = "en") -> Draft:
    require_facilitator(actor)
    body = analysis.draft_markdown(consultation, language=language)
    draft, _created = Draft.objects.update_or_create(
        consultation=consultation,
        defaults={"title": consultation.title, "body": body, "edited_by": user_of(actor)},
    )
    audit_record(actor=actor, action="draft.generate", target=draft)
    return draft


@transaction.atomic
def draft_update(*, actor: Actor, consultation: Consultation, changes: Mapping[str, Any]) -> Draft:
    require_facilitator(actor)
    draft = Draft.objects.filter(consultation=consultation).first() or Draft(
        consultation=consultation, title=consultation.title
    )
    draft.edited_by = user_of(actor)
    changed = apply_changes(draft, dict(changes), allowed=("title", "body"))
    audit_record(actor=actor, action="draft.update", target=draft, changes={"fields": changed})
    return draft


def consultation_for_participation(
    *, user: Actor, slug: str, token: str | None = None
) -> Consultation:
    """The consultation as a participant reaches it (NotFound for outsiders)."""
    return consultation_get_for_user(user=user, slug=slug, token=token)


STRATEGY_TARGETS = ("reflection", "objective", "action")


@transaction.atomic
def strategy_link_create(
    *,
    actor: Actor,
    consultation: Consultation,
    target_kind: str,
    target_id: int,
    statement: Statement | None = None,
    theme_key: str = "",
    theme_label: str = "",
) -> StrategyLink:
    """Record that a statement or a theme became a reflection, objective or action (the
    strategy pages show the link back through ``campaigns.hooks``)."""
    require_facilitator(actor)
    if (statement is None) == (not theme_key):
        raise DomainError(_("Choose one statement or one theme."), field="source")
    if statement is not None and statement.consultation_id != consultation.pk:
        raise NotFound
    if target_kind not in STRATEGY_TARGETS:
        raise DomainError(_("Choose a reflection, an objective or an action."), field="target")
    models: dict[str, Any] = {"reflection": Reflection, "objective": Objective, "action": Action}
    target = models[target_kind].objects.filter(pk=target_id).first()
    if target is None:
        raise DomainError(_("This strategy item does not exist."), field="target")
    link = StrategyLink.objects.create(
        consultation=consultation,
        statement=statement,
        theme_key=theme_key[:60],
        theme_label=theme_label[:200],
        **{target_kind: target},
    )
    audit_record(
        actor=actor,
        action="consultation.strategy_link",
        target=link,
        changes={"target": f"{target_kind}:{target_id}"},
    )
    return link

"""The consultations API: consultations, prompts, contributions, statements, votes,
synthesis runs and the draft. Same access rules and services as the pages."""

from __future__ import annotations

import contextlib
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from peaceworks.accounts.access import viewer_for
from peaceworks.consultations import services
from peaceworks.consultations.models import (
    Consultation,
    Contribution,
    Draft,
    Moderation,
    Prompt,
    Statement,
    StrategyLink,
    SynthesisRun,
)
from peaceworks.consultations.polis import PolisImporter
from peaceworks.consultations.schemas import (
    ConsultationIn,
    ConsultationOut,
    ConsultationPatch,
    ContributionIn,
    ContributionOut,
    DraftOut,
    DraftPatch,
    ImportProblemOut,
    ModerationIn,
    PhaseIn,
    PolisImportIn,
    PolisImportOut,
    PromotionIn,
    PromptIn,
    PromptOut,
    StatementIn,
    StatementModerationIn,
    StatementOut,
    StrategyLinkIn,
    StrategyLinkOut,
    SynthesisIn,
    SynthesisRunOut,
    VoteIn,
    VoteOut,
)
from peaceworks.consultations.selectors import (
    approved_statements,
    can_facilitate,
    consultation_get_for_user,
    consultation_list_visible_to,
    groups_for_reader,
    latest_theme_labels,
    next_steps,
    participant_for,
    require_facilitator,
)
from peaceworks.core.errors import DomainError, NotFound
from peaceworks.core.models import PendingUpload
from peaceworks.core.schemas import Id
from peaceworks.core.uploads import (
    ImportRefused,
    upload_confirm,
    upload_counts,
    upload_errors,
    upload_get_for_user,
    upload_preview,
    upload_store,
)

router = Router(tags=["consultations"])


def _out(request: HttpRequest, consultation: Consultation) -> ConsultationOut:
    steps = next_steps(request.user, consultation)
    out = ConsultationOut.model_validate(consultation, from_attributes=True)
    out.can_contribute, out.can_vote = steps.can_contribute, steps.can_vote
    out.what_you_can_do = str(steps.message)
    return out


def _consultation(request: HttpRequest, slug: str, purpose: str = "read") -> Consultation:
    viewer_for(request.user).require_network_member()
    return consultation_get_for_user(user=request.user, slug=slug, purpose=purpose)


@router.get("/consultations", response=list[ConsultationOut])
def consultation_list(request: HttpRequest) -> list[ConsultationOut]:
    return [_out(request, c) for c in consultation_list_visible_to(user=request.user)]


@router.post("/consultations", response={201: ConsultationOut})
def consultation_create_endpoint(
    request: HttpRequest, payload: ConsultationIn
) -> Status[ConsultationOut]:
    require_facilitator(request.user)
    consultation = services.consultation_create(actor=request.user, changes=payload.model_dump())
    return Status(201, _out(request, consultation))


@router.get("/consultations/{slug}", response=ConsultationOut)
def consultation_detail(request: HttpRequest, slug: str) -> ConsultationOut:
    return _out(request, _consultation(request, slug))


@router.patch("/consultations/{slug}", response=ConsultationOut)
def consultation_patch(
    request: HttpRequest, slug: str, payload: ConsultationPatch
) -> ConsultationOut:
    consultation = _consultation(request, slug, "facilitate")
    services.consultation_update(
        actor=request.user,
        consultation=consultation,
        changes=payload.model_dump(exclude_unset=True),
    )
    return _out(request, consultation)


@router.post("/consultations/{slug}/phase", response=ConsultationOut)
def consultation_phase(request: HttpRequest, slug: str, payload: PhaseIn) -> ConsultationOut:
    consultation = _consultation(request, slug, "facilitate")
    services.consultation_set_phase(
        actor=request.user, consultation=consultation, phase=payload.phase
    )
    return _out(request, consultation)


@router.get("/consultations/{slug}/prompts", response=list[PromptOut])
def consultation_prompt_list(request: HttpRequest, slug: str) -> list[PromptOut]:
    consultation = _consultation(request, slug)
    return [PromptOut.model_validate(p, from_attributes=True) for p in consultation.prompts.all()]


@router.post("/consultations/{slug}/prompts", response={201: PromptOut})
def consultation_prompt_create_endpoint(
    request: HttpRequest, slug: str, payload: PromptIn
) -> Status[PromptOut]:
    consultation = _consultation(request, slug, "facilitate")
    prompt = services.prompt_create(
        actor=request.user, consultation=consultation, texts=payload.model_dump()
    )
    return Status(201, PromptOut.model_validate(prompt, from_attributes=True))


def _contributions(request: HttpRequest, consultation: Consultation) -> QuerySet[Contribution]:
    rows = Contribution.objects.filter(prompt__consultation=consultation).order_by("pk")
    if can_facilitate(request.user):
        return rows
    return rows.filter(moderation=Moderation.APPROVED)


@router.get("/consultations/{slug}/contributions", response=list[ContributionOut])
def consultation_contribution_list(request: HttpRequest, slug: str) -> list[ContributionOut]:
    """Approved contributions (facilitators: every one, with its moderation state)."""
    consultation = _consultation(request, slug)
    return [
        ContributionOut.model_validate(c, from_attributes=True)
        for c in _contributions(request, consultation)[:1000]
    ]


@router.post("/consultations/{slug}/contributions", response={201: ContributionOut})
def consultation_contribution_create_endpoint(
    request: HttpRequest, slug: str, payload: ContributionIn
) -> Status[ContributionOut]:
    consultation = _consultation(request, slug)
    prompt = Prompt.objects.filter(consultation=consultation, pk=payload.prompt_id).first()
    if prompt is None:
        raise NotFound
    contribution = services.contribution_submit(
        actor=request.user,
        prompt=prompt,
        text=payload.text,
        anonymous=payload.anonymous,
        quote_consent=payload.quote_consent,
    )
    return Status(201, ContributionOut.model_validate(contribution, from_attributes=True))


@router.post("/consultations/{slug}/contributions/{int:pk}/moderation", response=ContributionOut)
def consultation_contribution_moderate_endpoint(
    request: HttpRequest, slug: str, pk: Id, payload: ModerationIn
) -> ContributionOut:
    consultation = _consultation(request, slug, "facilitate")
    contribution = Contribution.objects.filter(prompt__consultation=consultation, pk=pk).first()
    if contribution is None:
        raise NotFound
    services.contribution_moderate(
        actor=request.user, contribution=contribution, state=payload.state
    )
    return ContributionOut.model_validate(contribution, from_attributes=True)


@router.get("/consultations/{slug}/statements", response=list[StatementOut])
def consultation_statement_list(request: HttpRequest, slug: str) -> list[StatementOut]:
    consultation = _consultation(request, slug)
    rows: Any = (
        consultation.statements.order_by("pk")
        if can_facilitate(request.user)
        else approved_statements(consultation)
    )
    return [StatementOut.model_validate(s, from_attributes=True) for s in rows[:2000]]


@router.post("/consultations/{slug}/statements", response={201: StatementOut})
def consultation_statement_create_endpoint(
    request: HttpRequest, slug: str, payload: StatementIn
) -> Status[StatementOut]:
    consultation = _consultation(request, slug)
    statement = services.statement_submit(
        actor=request.user, consultation=consultation, text=payload.text
    )
    return Status(201, StatementOut.model_validate(statement, from_attributes=True))


@router.get("/consultations/{slug}/votes", response=list[VoteOut])
def consultation_vote_list(request: HttpRequest, slug: str) -> list[VoteOut]:
    """The caller's own votes."""
    consultation = _consultation(request, slug)
    participant = participant_for(consultation, user=request.user)
    if participant is None:
        return []
    return [
        VoteOut(statement_id=v.statement_id, value=v.value)
        for v in participant.votes.order_by("statement_id")
    ]


@router.post("/consultations/{slug}/votes", response=VoteOut)
def consultation_vote_cast_endpoint(request: HttpRequest, slug: str, payload: VoteIn) -> VoteOut:
    consultation = _consultation(request, slug)
    statement = Statement.objects.filter(consultation=consultation, pk=payload.statement_id).first()
    if statement is None:
        raise NotFound
    vote = services.vote_cast(actor=request.user, statement=statement, value=payload.value)
    return VoteOut(statement_id=vote.statement_id, value=vote.value)


def _run_out(request: HttpRequest, run: SynthesisRun, *, with_result: bool) -> SynthesisRunOut:
    """A run; an opinion-groups result as the reader may see it (small groups suppressed)."""
    out = SynthesisRunOut.model_validate(run, from_attributes=True)
    if not with_result:
        out.result = None
    elif run.kind == SynthesisRun.Kind.GROUPS:
        out.result = groups_for_reader(request.user, run.result)
    return out


@router.get("/consultations/{slug}/synthesis-runs", response=list[SynthesisRunOut])
def consultation_synthesis_run_list(request: HttpRequest, slug: str) -> list[SynthesisRunOut]:
    consultation = _consultation(request, slug)
    return [_run_out(request, r, with_result=False) for r in consultation.synthesis_runs.all()[:50]]


@router.post("/consultations/{slug}/synthesis-runs", response={202: SynthesisRunOut})
def consultation_synthesis_run_request(
    request: HttpRequest, slug: str, payload: SynthesisIn
) -> Status[SynthesisRunOut]:
    consultation = _consultation(request, slug, "facilitate")
    run = services.synthesis_request(
        actor=request.user, consultation=consultation, kind=payload.kind, seed=payload.seed
    )
    return Status(202, _run_out(request, run, with_result=False))


@router.get("/consultations/{slug}/synthesis-runs/{int:pk}", response=SynthesisRunOut)
def consultation_synthesis_run_detail(request: HttpRequest, slug: str, pk: Id) -> SynthesisRunOut:
    """Progress (0-100) and, once done, the result."""
    consultation = _consultation(request, slug)
    run = consultation.synthesis_runs.filter(pk=pk).first()
    if run is None:
        raise NotFound
    return _run_out(request, run, with_result=True)


@router.get("/consultations/{slug}/draft", response=DraftOut)
def consultation_draft_detail(request: HttpRequest, slug: str) -> DraftOut:
    consultation = _consultation(request, slug, "facilitate")
    draft = Draft.objects.filter(consultation=consultation).first()
    if draft is None:
        return DraftOut(title=consultation.title, body="")
    return DraftOut.model_validate(draft, from_attributes=True)


@router.patch("/consultations/{slug}/draft", response=DraftOut)
def consultation_draft_patch(request: HttpRequest, slug: str, payload: DraftPatch) -> DraftOut:
    consultation = _consultation(request, slug, "facilitate")
    draft = services.draft_update(
        actor=request.user,
        consultation=consultation,
        changes=payload.model_dump(exclude_unset=True),
    )
    return DraftOut.model_validate(draft, from_attributes=True)


@router.post("/consultations/{slug}/draft/generate", response=DraftOut)
def consultation_draft_generate_endpoint(request: HttpRequest, slug: str) -> DraftOut:
    consultation = _consultation(request, slug, "facilitate")
    draft = services.draft_generate(actor=request.user, consultation=consultation)
    return DraftOut.model_validate(draft, from_attributes=True)


# --- moderation of statements, promotion, links into the strategy -----------------------------


def _statement(consultation: Consultation, pk: int) -> Statement:
    statement = Statement.objects.filter(consultation=consultation, pk=pk).first()
    if statement is None:
        raise NotFound
    return statement


@router.post("/consultations/{slug}/statements/{int:pk}/moderation", response=StatementOut)
def consultation_statement_moderate_endpoint(
    request: HttpRequest, slug: str, pk: Id, payload: StatementModerationIn
) -> StatementOut:
    """Approve a submitted statement (participants then vote on it) or reject it."""
    consultation = _consultation(request, slug, "facilitate")
    statement = services.statement_moderate(
        actor=request.user, statement=_statement(consultation, pk), state=payload.state
    )
    return StatementOut.model_validate(statement, from_attributes=True)


@router.post(
    "/consultations/{slug}/contributions/{int:pk}/statements", response={201: StatementOut}
)
def consultation_contribution_promote_endpoint(
    request: HttpRequest, slug: str, pk: Id, payload: PromotionIn
) -> Status[StatementOut]:
    """Promote a contribution to a statement (approved at once; a contribution waiting for
    moderation is approved with it, a rejected one is refused with 400)."""
    consultation = _consultation(request, slug, "facilitate")
    contribution = Contribution.objects.filter(prompt__consultation=consultation, pk=pk).first()
    if contribution is None:
        raise NotFound
    statement = services.statement_promote(
        actor=request.user, contribution=contribution, text=payload.text
    )
    return Status(201, StatementOut.model_validate(statement, from_attributes=True))


def _link_out(link: StrategyLink) -> StrategyLinkOut:
    target = next(name for name in services.STRATEGY_TARGETS if getattr(link, f"{name}_id"))
    return StrategyLinkOut(
        id=link.pk,
        statement_id=link.statement_id,
        theme_key=link.theme_key,
        theme_label=link.theme_label,
        target=target,
        target_id=int(getattr(link, f"{target}_id")),
        created_at=link.created_at,
    )


@router.get("/consultations/{slug}/strategy-links", response=list[StrategyLinkOut])
def consultation_strategy_link_list(request: HttpRequest, slug: str) -> list[StrategyLinkOut]:
    consultation = _consultation(request, slug, "facilitate")
    return [_link_out(link) for link in consultation.strategy_links.order_by("pk")]


@router.post("/consultations/{slug}/strategy-links", response={201: StrategyLinkOut})
def consultation_strategy_link_create_endpoint(
    request: HttpRequest, slug: str, payload: StrategyLinkIn
) -> Status[StrategyLinkOut]:
    """A statement (``statement_id``) or a theme of the latest run (``theme_key``) becomes a
    reflection, objective or action (``target``, ``target_id``); the strategy page shows the
    link back. Both or neither source, an unknown theme or target: 400 naming the field."""
    consultation = _consultation(request, slug, "facilitate")
    statement = None
    label = ""
    if payload.statement_id is not None:
        statement = _statement(consultation, payload.statement_id)
    if payload.theme_key:
        labels = latest_theme_labels(consultation, (get_language() or "en")[:2])
        if payload.theme_key not in labels:
            raise DomainError(
                _("The latest synthesis has no theme with this key."), field="theme_key"
            )
        label = labels[payload.theme_key]
    link = services.strategy_link_create(
        actor=request.user,
        consultation=consultation,
        target_kind=payload.target,
        target_id=payload.target_id,
        statement=statement,
        theme_key=payload.theme_key,
        theme_label=label,
    )
    return Status(201, _link_out(link))


# --- Pol.is import: the shared upload mechanism (preview, then confirm once) -------------------

_POLIS_KINDS = [PolisImporter.kind]
_IMPORT_STATUS: dict[str, str] = {
    PendingUpload.State.PENDING: "previewed",
    PendingUpload.State.CONFIRMED: "imported",
}


def _import_out(upload: PendingUpload) -> PolisImportOut:
    preview = upload_preview(actor=None, upload=upload)
    return PolisImportOut(
        id=upload.pk,
        status=_IMPORT_STATUS.get(upload.state, upload.state),
        filename=upload.filename,
        slug=str(upload.target.get("slug", "")),
        title=str(upload.target.get("title", "")),
        consultation=upload.target.get("consultation"),
        errors=[ImportProblemOut(**e) for e in upload_errors(upload=upload, preview=preview)],
        summary=upload_counts(upload=upload, preview=preview),
    )


@router.post("/imports", response={201: PolisImportOut})
def consultation_import_create(
    request: HttpRequest,
    form: Form[PolisImportIn],
    file: File[UploadedFile],
) -> Status[PolisImportOut]:
    """Upload a Pol.is open-data export (a .zip of ``comments.csv`` with ``votes.csv`` or
    ``participants-votes.csv``) to preview as a new consultation ``slug``: ``summary`` counts
    the comments to import, ``errors`` names each problem's file, row and column. Confirm it
    with ``POST /imports/{id}/confirm``. Over ``MAX_UPLOAD_MB`` 413, not a .zip
    400."""
    require_facilitator(request.user)
    upload = upload_store(
        actor=request.user,
        importer=PolisImporter.kind,
        filename=file.name or "polis.zip",
        data=file.read(),
        target={"slug": form.slug, "title": form.title},
    )
    return Status(201, _import_out(upload))


@router.get("/imports/{int:pk}", response=PolisImportOut)
def consultation_import_detail(request: HttpRequest, pk: Id) -> PolisImportOut:
    return _import_out(upload_get_for_user(user=request.user, pk=pk, kinds=_POLIS_KINDS))


@router.post("/imports/{int:pk}/confirm", response=PolisImportOut)
def consultation_import_confirm(request: HttpRequest, pk: Id) -> PolisImportOut:
    """Create the consultation from a previewed upload, entirely or not at all (then
    ``status`` is ``failed`` with the errors). Confirming again is 409, an expired upload 410."""
    upload = upload_get_for_user(user=request.user, pk=pk, kinds=_POLIS_KINDS, write=True)
    with contextlib.suppress(ImportRefused):
        upload_confirm(actor=request.user, upload=upload)
    upload.refresh_from_db()
    return _import_out(upload)

"""Consultation pages: no JavaScript needed, one column on a phone.

Members reach a consultation by its short name (signed in); a public-link consultation is also
reachable without an account at ``link/<token>/``, where the same pages answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peaceworks.consultations import analysis, documents, services
from peaceworks.consultations.charts import COLOURS, scatter_svg
from peaceworks.consultations.forms import (
    CommentForm,
    ConceptTermForm,
    ConsultationForm,
    ContributionEditForm,
    ContributionForm,
    DraftForm,
    PhaseForm,
    PolisUploadForm,
    PromptForm,
    StatementForm,
    StrategyLinkForm,
    ThemeEditForm,
)
from peaceworks.consultations.hooks import discussions
from peaceworks.consultations.models import (
    Consultation,
    Contribution,
    Draft,
    Moderation,
    Prompt,
    Statement,
    SynthesisRun,
    Vote,
)
from peaceworks.consultations.polis import PolisImporter
from peaceworks.consultations.selectors import (
    can_facilitate,
    consultation_counts,
    consultation_get_for_user,
    consultation_list_visible_to,
    groups_for_reader,
    latest_done_run,
    latest_run,
    moderation_queue,
    next_steps,
    next_unseen_statement,
    participant_for,
    require_facilitator,
)
from peaceworks.core.errors import DomainError, Forbidden
from peaceworks.core.forms import attach_error, form_page
from peaceworks.core.records import stored_values
from peaceworks.core.upload_pages import store_posted

#: where an earlier version kept a public-link visitor's token (read once, then the cookie)
SESSION_KEY = "consultations.participant.%d"
#: a public-link visitor's pseudonymous participant: a random token in a signed cookie of its
#: own per consultation, scoped to the link's path, so votes outlive the browser session
PARTICIPANT_COOKIE = "pw_participant_%d"
PARTICIPANT_COOKIE_SALT = "peaceworks.consultations.participant"
PARTICIPANT_COOKIE_AGE = 400 * 24 * 60 * 60  # the longest lifetime browsers keep


def _language() -> str:
    return (get_language() or "en")[:2]


def _by_token(token: str) -> Consultation:
    consultation = Consultation.objects.filter(
        public_token=token, audience=Consultation.Audience.PUBLIC_LINK
    ).first()
    if consultation is None or consultation.phase == Consultation.Phase.DRAFT:
        raise Http404
    return consultation


def _urls(consultation: Consultation, token: str | None) -> dict[str, str]:
    if token:
        return {
            "detail": reverse("consultations:public", args=[token]),
            "vote": reverse("consultations:public_vote", args=[token]),
            "contribute": reverse("consultations:public_contribute", args=[token, 0]),
        }
    return {
        "detail": reverse("consultations:detail", args=[consultation.slug]),
        "vote": reverse("consultations:vote", args=[consultation.slug]),
        "contribute": reverse("consultations:contribute", args=[consultation.slug, 0]),
    }


def _contribute_url(consultation: Consultation, token: str | None, number: int) -> str:
    if token:
        return reverse("consultations:public_contribute", args=[token, number])
    return reverse("consultations:contribute", args=[consultation.slug, number])


def _participant_token(request: HttpRequest, consultation: Consultation) -> str:
    """The visitor's participant token: from their signed cookie (a forged or expired one is
    ignored), else the one an earlier version kept in the session, else a new one."""
    token = request.get_signed_cookie(
        PARTICIPANT_COOKIE % consultation.pk,
        default=None,
        salt=PARTICIPANT_COOKIE_SALT,
        max_age=PARTICIPANT_COOKIE_AGE,
    )
    if not token:
        token = request.session.get(SESSION_KEY % consultation.pk) or ""
    return str(token) or services.new_participant_token()


def _remember_participant(
    response: HttpResponse, consultation: Consultation, token: str, participant_token: str
) -> HttpResponse:
    """(Re)set the participant cookie, for its full lifetime from this visit."""
    response.set_signed_cookie(
        PARTICIPANT_COOKIE % consultation.pk,
        participant_token,
        salt=PARTICIPANT_COOKIE_SALT,
        max_age=PARTICIPANT_COOKIE_AGE,
        path=reverse("consultations:public", args=[token]),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


# --- list, create, edit ----------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    consultations = list(consultation_list_visible_to(user=request.user))
    rows = [(c, next_steps(request.user, c)) for c in consultations]
    return render(
        request,
        "consultations/index.html",
        {"rows": rows, "can_facilitate": can_facilitate(request.user)},
    )


def _consultation_save(request: HttpRequest, consultation: Consultation | None) -> Any:
    def save(data: Mapping[str, Any]) -> Consultation:
        changes = {k: v for k, v in data.items() if k != "networks"}
        if consultation is None:
            saved = services.consultation_create(actor=request.user, changes=changes)
        else:
            saved = services.consultation_update(
                actor=request.user, consultation=consultation, changes=changes
            )
        services.consultation_set_networks(
            actor=request.user,
            consultation=saved,
            network_ids=[n.pk for n in data.get("networks") or []],
        )
        return saved

    return save


@login_required
def consultation_create(request: HttpRequest) -> HttpResponse:
    require_facilitator(request.user)
    form = ConsultationForm(request.POST or None)
    return form_page(
        request,
        form,
        save=_consultation_save(request, None),
        success_url=lambda c: reverse("consultations:detail", args=[c.slug]),
        saved_message=_("Consultation created."),
        template="consultations/form.html",
        context={"heading": _("New consultation"), "back": reverse("consultations:index")},
    )


@login_required
def consultation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_get_for_user(user=request.user, slug=slug, purpose="facilitate")
    initial = stored_values(consultation, services.CONSULTATION_FIELDS)
    initial["networks"] = list(consultation.networks.all())
    form = ConsultationForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        save=_consultation_save(request, consultation),
        success_url=lambda c: reverse("consultations:detail", args=[c.slug]),
        saved_message=_("Consultation saved."),
        template="consultations/form.html",
        context={
            "heading": _("Edit %(title)s") % {"title": consultation.title},
            "back": reverse("consultations:detail", args=[consultation.slug]),
        },
    )


# --- the consultation page -------------------------------------------------------------------


def _detail(request: HttpRequest, consultation: Consultation, token: str | None) -> HttpResponse:
    language = _language()
    steps = next_steps(request.user, consultation, token=token)
    prompts = [
        (prompt, prompt.text_in(language), _contribute_url(consultation, token, prompt.number))
        for prompt in consultation.prompts.all()
    ]
    approved = (
        Contribution.objects.filter(
            prompt__consultation=consultation, moderation=Moderation.APPROVED
        )
        .select_related("prompt")
        .order_by("-pk")[:10]
    )
    context: dict[str, Any] = {
        "consultation": consultation,
        "steps": steps,
        "prompts": prompts,
        "recent": approved if not token else [],
        "counts": consultation_counts(consultation),
        "urls": _urls(consultation, token),
        "token": token,
        "public_url": request.build_absolute_uri(
            reverse("consultations:public", args=[consultation.public_token])
        )
        if steps.can_facilitate and consultation.audience == Consultation.Audience.PUBLIC_LINK
        else "",
        "phase_form": PhaseForm(initial={"phase": consultation.phase}),
        "discussions": discussions(user=request.user, consultation=consultation)
        if not token
        else [],
        "phases": [
            (label, value == consultation.phase, date)
            for (value, label), date in zip(
                Consultation.Phase.choices,
                [
                    None,
                    consultation.opens_on,
                    consultation.deliberation_on,
                    consultation.synthesis_on,
                    consultation.closes_on,
                ],
                strict=True,
            )
        ],
    }
    return render(request, "consultations/detail.html", context)


@login_required
@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _detail(request, consultation_get_for_user(user=request.user, slug=slug), None)


@require_GET
def public(request: HttpRequest, token: str) -> HttpResponse:
    return _detail(request, _by_token(token), token)


@login_required
@require_POST
def phase(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_get_for_user(user=request.user, slug=slug, purpose="facilitate")
    form = PhaseForm(request.POST)
    if form.is_valid():
        services.consultation_set_phase(
            actor=request.user, consultation=consultation, phase=form.cleaned_data["phase"]
        )
        messages.success(request, _("Phase changed."))
    else:
        messages.error(request, _("Choose a phase from the list."))
    return redirect("consultations:detail", slug=consultation.slug)


@login_required
def prompt_create(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_get_for_user(user=request.user, slug=slug, purpose="facilitate")
    form = PromptForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.prompt_create(
            actor=request.user, consultation=consultation, texts=data
        ),
        success_url=lambda _p: reverse("consultations:detail", args=[consultation.slug]),
        saved_message=_("Question added."),
        template="consultations/form.html",
        context={
            "heading": _("New question"),
            "back": reverse("consultations:detail", args=[consultation.slug]),
        },
    )


# --- contributing ------------------------------------------------------------------------------


def _contribute(
    request: HttpRequest, consultation: Consultation, number: int, token: str | None
) -> HttpResponse:
    prompt = get_object_or_404(Prompt, consultation=consultation, number=number)
    urls = _urls(consultation, token)
    signed_in = request.user.is_authenticated
    form = ContributionForm(
        request.POST or None, allow_anonymous=consultation.allows_anonymous and signed_in
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.contribution_submit(
                    actor=request.user,
                    prompt=prompt,
                    text=form.cleaned_data["text"],
                    anonymous=bool(form.cleaned_data.get("anonymous")),
                    quote_consent=bool(form.cleaned_data.get("quote_consent")),
                    token=token,
                )
            except DomainError as error:
                attach_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: your answer is saved and will appear once a facilitator "
                        "has read it."
                    ),
                )
                return redirect(urls["detail"])
    steps = next_steps(request.user, consultation, token=token)
    return render(
        request,
        "consultations/contribute.html",
        {
            "consultation": consultation,
            "prompt": prompt,
            "question": prompt.text_in(_language()),
            "form": form,
            "urls": urls,
            "steps": steps,
        },
        status=status,
    )


@login_required
def contribute(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    consultation = consultation_get_for_user(user=request.user, slug=slug)
    return _contribute(request, consultation, number, None)


def public_contribute(request: HttpRequest, token: str, number: int) -> HttpResponse:
    return _contribute(request, _by_token(token), number, token)


def _contribution_for(request: HttpRequest, slug: str, pk: int) -> Contribution:
    consultation = consultation_get_for_user(user=request.user, slug=slug)
    contribution = get_object_or_404(
        Contribution.objects.select_related("prompt"), pk=pk, prompt__consultation=consultation
    )
    own = contribution.author_id == request.user.pk
    if contribution.moderation != Moderation.APPROVED and not (own or can_facilitate(request.user)):
        raise Http404
    return contribution


@login_required
def contribution_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    contribution = _contribution_for(request, slug, pk)
    consultation = contribution.prompt.consultation
    form = CommentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.comment_add(
                    actor=request.user, contribution=contribution, text=form.cleaned_data["text"]
                )
            except DomainError as error:
                attach_error(form, error)
            else:
                messages.success(request, _("Comment added."))
                return redirect("consultations:contribution", slug=slug, pk=pk)
    return render(
        request,
        "consultations/contribution.html",
        {
            "consultation": consultation,
            "contribution": contribution,
            "question": contribution.prompt.text_in(_language()),
            "comments": contribution.comments.all(),
            "revisions": contribution.revisions.all(),
            "form": form,
            "can_edit": contribution.author_id == request.user.pk or can_facilitate(request.user),
        },
        status=status,
    )


@login_required
def contribution_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    contribution = _contribution_for(request, slug, pk)
    if not (contribution.author_id == request.user.pk or can_facilitate(request.user)):
        raise Forbidden
    form = ContributionEditForm(request.POST or None, initial={"text": contribution.text})
    return form_page(
        request,
        form,
        save=lambda data: services.contribution_edit(
            actor=request.user, contribution=contribution, text=data["text"]
        ),
        success_url=lambda c: reverse("consultations:contribution", args=[slug, c.pk]),
        saved_message=_("Contribution saved; the earlier text is kept in its history."),
        template="consultations/form.html",
        context={
            "heading": _("Edit the contribution"),
            "back": reverse("consultations:contribution", args=[slug, pk]),
        },
    )


# --- voting -----------------------------------------------------------------------------------


def _vote(request: HttpRequest, consultation: Consultation, token: str | None) -> HttpResponse:
    urls = _urls(consultation, token)
    participant_token = (
        None if request.user.is_authenticated else _participant_token(request, consultation)
    )
    error = ""
    status = 200
    if request.method == "POST":
        value_raw = request.POST.get("value", "")
        statement = Statement.objects.filter(
            consultation=consultation, pk=request.POST.get("statement") or 0
        ).first()
        try:
            if statement is None:
                raise DomainError(_("This statement is not part of the consultation."))
            try:
                value = int(value_raw)
            except ValueError as bad:
                raise DomainError(_("Vote agree, disagree or pass.")) from bad
            services.vote_cast(
                actor=request.user,
                statement=statement,
                value=value,
                token=token,
                participant_token=participant_token,
            )
        except DomainError as refused:
            error, status = refused.message, 400
        else:
            done = redirect(urls["vote"])
            if token and participant_token:
                _remember_participant(done, consultation, token, participant_token)
            return done
    participant = participant_for(consultation, user=request.user, token=participant_token)
    statement = next_unseen_statement(consultation, participant)
    steps = next_steps(request.user, consultation, token=token)
    voted = participant.votes.count() if participant is not None else 0
    response = render(
        request,
        "consultations/vote.html",
        {
            "consultation": consultation,
            "statement": statement,
            "steps": steps,
            "urls": urls,
            "error": error,
            "voted": voted,
            "values": [
                (Vote.Value.AGREE, _("Agree"), "button"),
                (Vote.Value.DISAGREE, _("Disagree"), "button"),
                (Vote.Value.PASS, _("Pass / unsure"), "button button--secondary"),
            ],
        },
        status=status,
    )
    if token and participant_token and participant is not None:
        _remember_participant(response, consultation, token, participant_token)
    return response


@login_required
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    return _vote(request, consultation_get_for_user(user=request.user, slug=slug), None)


def public_vote(request: HttpRequest, token: str) -> HttpResponse:
    return _vote(request, _by_token(token), token)


@login_required
def statement_create(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_get_for_user(user=request.user, slug=slug)
    form = StatementForm(request.POST or None)
    facilitator = can_facilitate(request.user)
    return form_page(
        request,
        form,
        save=lambda data: services.statement_submit(
            actor=request.user, consultation=consultation, text=data["text"]
        ),
        success_url=lambda _s: reverse("consultations:detail", args=[consultation.slug]),
        saved_message=_("Statement added.")
        if facilitator
        else _("Thank you: your statement will be shown once a facilitator has read it."),
        template="consultations/form.html",
        context={
            "heading": _("New statement"),
            "back": reverse("consultations:detail", args=[consultation.slug]),
        },
    )


# --- moderation -----------------------------------------------------------------------------


@login_required
@require_GET
def moderation(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_get_for_user(user=request.user, slug=slug, purpose="facilitate")
    return render(
        request,
        "consultations/moderation.html",
        {"consultation": consultation, "queue": moderation_queue(consultation)},
    )


@login_required
@require_POST
def moderate(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    consultation = consultation_get_for_user(user=request.user, slug=slug, purpose="facilitate")
    decision = request.POST.get("decision", "")
    try:
        if kind == "contribution":
            contribution = get_object_or_404(Contribution, pk=pk, prompt__consultation=consultation)
            if decision == "promote":
                services.statement_promote(actor=request.user, contribution=contribution)
            else:
                services.contribution_moderate(
                    actor=request.user, contribution=contribution, state=decision
                )
        elif kind == "statement":
            statement = get_object_or_404(Statement, pk=pk, consultation=consultation)
            services.statement_moderate(actor=request.user, statement=statement, state=decision)
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Moderation saved."))
    return redirect("consultations:moderation", slug=consultation.slug)


# --- synthesis --------------------------------------------------------------------------------


def _theme_choices(result: Mapping[str, Any] | None, language: str) -> list[tuple[str, str]]:
    if not result:
        return []
    return [(t["key"], analysis.theme_label(t, language)) for t in result.get("themes", [])]


def _edit_rows(
    consultation: Consultation, themes: Mapping[str, Any] | None, language: str
) -> list[tuple[Any, list[str]]]:
    """Each edit with the themes it names, by their labels in the latest runs that had them
    (a merged theme is gone from the run after its merge), else by key."""
    labels: dict[str, str] = {}
    earlier = consultation.synthesis_runs.filter(
        kind=SynthesisRun.Kind.THEMES, state=SynthesisRun.State.DONE
    ).order_by("-pk")[:5]
    for run in reversed(earlier):
        labels.update(
            _theme_choices(run.result if isinstance(run.result, dict) else None, language)
        )
    labels.update(_theme_choices(themes, language))
    return [
        (edit, [labels.get(key, key) for key in edit.theme_keys])
        for edit in consultation.theme_edits.all()
    ]


@login_required
@require_GET
def synthesis(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_get_for_user(user=request.user, slug=slug)
    language = _language()
    facilitator = can_facilitate(request.user)
    themes_run = latest_done_run(consultation, SynthesisRun.Kind.THEMES)
    groups_run = latest_done_run(consultation, SynthesisRun.Kind.GROUPS)
    themes = themes_run.result if themes_run else None
    groups = groups_for_reader(request.user, groups_run.result if groups_run else None)
    texts = {}
    theme_rows = []
    if themes:
        ids = {
            int(i)
            for t in themes.get("themes", [])
            for lang_ids in t.get("representatives", {}).values()
            for i in lang_ids[:3]
        }
        ids |= {int(d[k]) for d in themes.get("near_duplicates", [])[:20] for k in ("a", "b")}
        texts = {
            str(c.pk): c
            for c in Contribution.objects.filter(
                pk__in=ids, prompt__consultation=consultation, moderation=Moderation.APPROVED
            )
        }
        for theme in themes.get("themes", []):
            reps = [
                (lang, [texts[i] for i in lang_ids[:3] if i in texts])
                for lang, lang_ids in sorted(theme.get("representatives", {}).items())
            ]
            theme_rows.append(
                (
                    theme,
                    analysis.theme_label(theme, language),
                    reps,
                    analysis.concept_names(theme, language)[:6],
                )
            )
    duplicates = [
        (texts.get(d["a"]), texts.get(d["b"]), d["similarity"])
        for d in (themes or {}).get("near_duplicates", [])[:20]
    ]
    by_consensus: list[Any] = []
    by_division: list[Any] = []
    svg = ""
    legend: list[tuple[int, str, int]] = []
    if groups:
        stats = groups.get("statements", [])
        by_consensus = sorted(stats, key=lambda s: -float(s["consensus"]))[:15]
        by_division = sorted(stats, key=lambda s: -float(s["division"]))[:15]
        svg = scatter_svg(groups.get("points", []), title=_("Participants by how they voted"))
        legend = [
            (g["group"] + 1, COLOURS[g["group"] % len(COLOURS)], g["size"])
            for g in groups.get("groups", [])
        ]
    pending_themes = latest_run(consultation, SynthesisRun.Kind.THEMES)
    pending_groups = latest_run(consultation, SynthesisRun.Kind.GROUPS)
    return render(
        request,
        "consultations/synthesis.html",
        {
            "consultation": consultation,
            "facilitator": facilitator,
            "themes_run": themes_run,
            "groups_run": groups_run,
            "pending_themes": pending_themes,
            "pending_groups": pending_groups,
            "running": any(
                run is not None
                and run.state in (SynthesisRun.State.QUEUED, SynthesisRun.State.RUNNING)
                for run in (pending_themes, pending_groups)
            ),
            "theme_rows": theme_rows,
            "semantic_themes": bool(
                themes
                and themes.get("backend", analysis.LEXICON_BACKEND) != analysis.LEXICON_BACKEND
            ),
            "duplicates": [d for d in duplicates if d[0] and d[1]],
            "groups": groups,
            "svg": svg,
            "legend": legend,
            "hidden_groups": any(g["suppressed"] for g in (groups or {}).get("groups", [])),
            "by_consensus": by_consensus,
            "by_division": by_division,
            "edit_form": ThemeEditForm(themes=_theme_choices(themes, language))
            if facilitator and themes
            else None,
            "concept_form": ConceptTermForm() if facilitator else None,
            "edits": _edit_rows(consultation, themes, language) if facilitator else [],
        },
    )


@login_required
@require_POST
def synthesis_run(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_get_for_user(user=request.user, slug=slug, purpose="facilitate")
    kinds = [request.POST.get("kind", "")]
    if kinds == ["all"]:
        kinds = [SynthesisRun.Kind.THEMES, SynthesisRun.Kind.GROUPS]
    try:
        for kind in kinds:
            services.synthesis_request(actor=request.user, consultation=consultation, kind=kind)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The synthesis has started; this page shows its progress."))
    return redirect("consultations:synthesis", slug=consultation.slug)


@login_required
@require_POST
def theme_edit(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_get_for_user(user=request.user, slug=slug, purpose="facilitate")
    run = latest_done_run(consultation, SynthesisRun.Kind.THEMES)
    form = ThemeEditForm(
        request.POST, themes=_theme_choices(run.result if run else None, _language())
    )
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = " ".join(str(error) for error in errors)
            messages.error(request, f"{label}: {text}" if label else text)
        return redirect("consultations:synthesis", slug=consultation.slug)
    data = form.cleaned_data
    groups = [
        [c.strip() for c in line.split(",") if c.strip()]
        for line in data.get("concept_groups", "").splitlines()
    ]
    try:
        services.theme_edit_add(
            actor=request.user,
            consultation=consultation,
            kind=data["kind"],
            theme_keys=data["theme_keys"],
            label=data.get("label", ""),
            concept_groups=groups,
        )
        services.synthesis_request(
            actor=request.user, consultation=consultation, kind=SynthesisRun.Kind.THEMES
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Edit saved; the themes are being worked out again with it."))
    return redirect("consultations:synthesis", slug=consultation.slug)


@login_required
@require_POST
def theme_edit_undo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Undo one edit of the themes, then work the themes out again without it."""
    consultation = consultation_get_for_user(user=request.user, slug=slug, purpose="facilitate")
    services.theme_edit_undo(actor=request.user, consultation=consultation, edit_id=pk)
    services.synthesis_request(
        actor=request.user, consultation=consultation, kind=SynthesisRun.Kind.THEMES
    )
    messages.success(request, _("Edit undone; the themes are being worked out again without it."))
    return redirect("consultations:synthesis", slug=consultation.slug)


@login_required
@require_POST
def concept_add(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_get_for_user(user=request.user, slug=slug, purpose="facilitate")
    form = ConceptTermForm(request.POST)
    if form.is_valid():
        try:
            services.concept_term_add(
                actor=request.user, consultation=consultation, **form.cleaned_data
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Word added to the concept list; run the themes again to use it.")
            )
    else:
        messages.error(request, _("Give a concept, a language and a word."))
    return redirect("consultations:synthesis", slug=consultation.slug)


# --- the draft --------------------------------------------------------------------------------


@login_required
def draft(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_get_for_user(user=request.user, slug=slug, purpose="facilitate")
    stored = Draft.objects.filter(consultation=consultation).first()
    form = DraftForm(
        request.POST or None,
        initial={
            "title": stored.title if stored else consultation.title,
            "body": stored.body if stored else "",
        },
    )
    return form_page(
        request,
        form,
        save=lambda data: services.draft_update(
            actor=request.user, consultation=consultation, changes=data
        ),
        success_url=lambda _d: reverse("consultations:draft", args=[consultation.slug]),
        saved_message=_("Draft saved."),
        template="consultations/draft.html",
        context={
            "consultation": consultation,
            "draft": stored,
            "preview": documents.to_html(stored.body) if stored else "",
        },
    )


@login_required
@require_POST
def draft_generate(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_get_for_user(user=request.user, slug=slug, purpose="facilitate")
    services.draft_generate(actor=request.user, consultation=consultation, language=_language())
    messages.success(request, _("Draft written from the latest synthesis."))
    return redirect("consultations:draft", slug=consultation.slug)


EXPORTS = {
    "md": ("text/markdown; charset=utf-8", "md"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
}


@login_required
@require_GET
def draft_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    consultation = consultation_get_for_user(user=request.user, slug=slug, purpose="facilitate")
    if fmt not in EXPORTS:
        raise Http404
    stored = Draft.objects.filter(consultation=consultation).first()
    title = stored.title if stored else consultation.title
    body = stored.body if stored else analysis.draft_markdown(consultation, language=_language())
    if fmt == "md":
        content: bytes = body.encode()
    elif fmt == "docx":
        content = documents.to_docx(title, body)
    else:
        content = documents.to_pdf(title, body, language=_language())
    content_type, extension = EXPORTS[fmt]
    response = HttpResponse(content, content_type=content_type)
    name = slugify(title) or "draft"
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


# --- Pol.is import ------------------------------------------------------------------------------


@login_required
def import_polis(request: HttpRequest) -> HttpResponse:
    require_facilitator(request.user)
    form = PolisUploadForm(request.POST or None, request.FILES or None)
    target = {}
    if request.method == "POST" and form.is_valid():
        target = {"slug": form.cleaned_data["slug"], "title": form.cleaned_data["title"]}
    upload, status = store_posted(request, form, importer=PolisImporter.kind, target=target)
    if upload is not None:
        return redirect("consultations:import_preview", pk=upload.pk)
    return render(
        request,
        "consultations/import.html",
        {"form": form},
        status=status,
    )


# --- statements and themes into the strategy ------------------------------------------------


def _link_choices(consultation: Consultation) -> tuple[list[Any], list[Any], dict[str, str]]:
    from peaceworks.campaigns.models import Action, Objective, Reflection

    language = _language()
    run = latest_done_run(consultation, SynthesisRun.Kind.THEMES)
    themes = _theme_choices(run.result if run else None, language)
    statements = [
        (f"statement:{s.pk}", s.text[:120])
        for s in consultation.statements.filter(moderation=Moderation.APPROVED).order_by("pk")
    ]
    sources = []
    if statements:
        sources.append((_("Statements"), statements))
    if themes:
        sources.append((_("Themes"), [(f"theme:{key}", label) for key, label in themes]))
    targets = [
        (
            _("Reflections"),
            [(f"reflection:{r.pk}", str(r)) for r in Reflection.objects.order_by("pk")[:200]],
        ),
        (
            _("Objectives"),
            [(f"objective:{o.pk}", str(o)) for o in Objective.objects.order_by("pk")[:200]],
        ),
        (_("Actions"), [(f"action:{a.pk}", str(a)) for a in Action.objects.order_by("pk")[:200]]),
    ]
    return sources, targets, dict(themes)


@login_required
def strategy_links(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_get_for_user(user=request.user, slug=slug, purpose="facilitate")
    sources, targets, theme_labels = _link_choices(consultation)
    form = StrategyLinkForm(request.POST or None, sources=sources, targets=targets)

    def save(data: Mapping[str, Any]) -> Any:
        source_kind, _sep, source_id = data["source"].partition(":")
        target_kind, _sep, target_id = data["target"].partition(":")
        statement = None
        if source_kind == "statement":
            statement = get_object_or_404(Statement, pk=int(source_id), consultation=consultation)
        return services.strategy_link_create(
            actor=request.user,
            consultation=consultation,
            target_kind=target_kind,
            target_id=int(target_id),
            statement=statement,
            theme_key=source_id if source_kind == "theme" else "",
            theme_label=theme_labels.get(source_id, "") if source_kind == "theme" else "",
        )

    return form_page(
        request,
        form,
        save=save,
        success_url=lambda _l: reverse("consultations:strategy_links", args=[consultation.slug]),
        saved_message=_("Link saved; the strategy item now shows where it came from."),
        template="consultations/strategy_links.html",
        context={
            "consultation": consultation,
            "links": consultation.strategy_links.select_related(
                "statement", "reflection", "objective", "action"
            ),
        },
    )

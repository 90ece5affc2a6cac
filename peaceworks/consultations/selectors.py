"""Who may see, join and run a consultation, and the reads of its pages.

- Facilitators are the network staff (administrators and coordinators): they see every
  consultation, drafts included, and run moderation, synthesis and the draft document.
- Every member of the network sees consultations past their draft phase; taking part
  (contributing, voting) is for the consultation's audience, and a member outside it is told
  so (nothing is stored).
- A public-link consultation is also open to anyone holding its token, without an account.
- Everyone else gets 404.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, Viewer, viewer_for
from peaceworks.consultations.analysis import theme_label
from peaceworks.consultations.disclosure import protect_groups
from peaceworks.consultations.models import (
    Consultation,
    Contribution,
    Moderation,
    Participant,
    Statement,
    SynthesisRun,
    Vote,
)
from peaceworks.core.errors import Forbidden, NotFound
from peaceworks.core.search import ranked_search
from peaceworks.directory.geography import countries_in_region
from peaceworks.directory.models import Organisation
from peaceworks.impact.figures.selectors import floor_for

Phase = Consultation.Phase


def can_facilitate(user: Actor) -> bool:
    return viewer_for(user).is_network_staff


def require_facilitator(user: Actor) -> None:
    """NotFound for people outside the network, Forbidden for members who are not staff."""
    viewer = viewer_for(user)
    if not viewer.is_network_staff:
        raise Forbidden if viewer.is_network_member else NotFound


def token_matches(consultation: Consultation, token: str | None) -> bool:
    return (
        consultation.audience == Consultation.Audience.PUBLIC_LINK
        and bool(token)
        and secrets.compare_digest(str(token), consultation.public_token)
    )


def audience_organisations(viewer: Viewer, consultation: Consultation) -> list[int]:
    """The viewer's organisations (where they hold a reading role) inside the audience."""
    org_ids = sorted(viewer.readable_org_ids)
    if not org_ids:
        return []
    audience = consultation.audience
    if audience in (Consultation.Audience.ALL_MEMBERS, Consultation.Audience.PUBLIC_LINK):
        return org_ids
    organisations = Organisation.objects.filter(pk__in=org_ids)
    if audience == Consultation.Audience.NETWORKS:
        network_ids = list(consultation.networks.values_list("pk", flat=True))
        organisations = organisations.filter(affiliations__network_id__in=network_ids)
    else:
        countries = {
            code for region in consultation.regions for code in countries_in_region(region)
        }
        organisations = organisations.filter(country__in=countries)
    return sorted(set(organisations.values_list("pk", flat=True)))


def can_take_part(user: Actor, consultation: Consultation, *, token: str | None = None) -> bool:
    viewer = viewer_for(user)
    if viewer.is_network_staff or token_matches(consultation, token):
        return True
    return bool(audience_organisations(viewer, consultation))


def consultation_get_for_user(
    *, user: Actor, slug: str, purpose: str = "read", token: str | None = None
) -> Consultation:
    """The consultation ``slug`` as ``user`` may use it for ``purpose`` ("read" or
    "facilitate"): NotFound for whoever may not know it exists, Forbidden for a member who
    reads it but may not facilitate."""
    consultation = Consultation.objects.filter(slug=slug).first()
    if consultation is None:
        raise NotFound
    viewer = viewer_for(user)
    if viewer.is_network_staff:
        return consultation
    if consultation.phase == Phase.DRAFT:
        raise NotFound
    if not (viewer.is_network_member or token_matches(consultation, token)):
        raise NotFound
    if purpose == "facilitate":
        raise Forbidden
    return consultation


def consultation_list_visible_to(*, user: Actor) -> QuerySet[Consultation]:
    viewer = viewer_for(user)
    if viewer.is_network_staff:
        return Consultation.objects.all()
    if not viewer.is_network_member:
        return Consultation.objects.none()
    return Consultation.objects.exclude(phase=Phase.DRAFT)


@dataclass(frozen=True)
class NextSteps:
    """What the viewer can do now on a consultation, in words."""

    can_contribute: bool
    can_vote: bool
    can_facilitate: bool
    message: str


def next_steps(user: Actor, consultation: Consultation, *, token: str | None = None) -> NextSteps:
    facilitator = can_facilitate(user)
    member = can_take_part(user, consultation, token=token)
    contribute = member and consultation.takes_contributions
    vote = member and consultation.takes_votes
    if not member:
        message = _("This consultation is open to a chosen audience; you can read it.")
    elif contribute:
        message = _("You can answer the questions and vote on statements.")
    elif vote:
        message = _("Contributions are closed; you can vote on statements.")
    elif consultation.phase == Phase.DRAFT:
        message = _("This consultation is being prepared and is not open yet.")
    elif consultation.phase == Phase.SYNTHESIS:
        message = _("Contributions and votes are closed; the synthesis is being written.")
    else:
        message = _("This consultation is closed; you can read its results.")
    return NextSteps(contribute, vote, facilitator, message)


def approved_statements(consultation: Consultation) -> QuerySet[Statement]:
    return consultation.statements.filter(moderation=Moderation.APPROVED).order_by("pk")


def participant_for(
    consultation: Consultation, *, user: Actor, token: str | None = None
) -> Participant | None:
    """The participant a signed-in user or an anonymous token already is (None: not yet)."""
    if user is not None and getattr(user, "is_authenticated", False):
        return Participant.objects.filter(consultation=consultation, user_id=user.pk).first()
    if token:
        return Participant.objects.filter(consultation=consultation, token=token).first()
    return None


def next_unseen_statement(
    consultation: Consultation, participant: Participant | None
) -> Statement | None:
    statements = approved_statements(consultation)
    if participant is not None:
        statements = statements.exclude(votes__participant=participant)
    return statements.first()


def contributions_for_synthesis(consultation: Consultation) -> QuerySet[Contribution]:
    """Only approved contributions reach synthesis and drafts."""
    return (
        Contribution.objects.filter(
            prompt__consultation=consultation, moderation=Moderation.APPROVED
        )
        .select_related("prompt")
        .order_by("pk")
    )


def moderation_queue(consultation: Consultation) -> dict[str, list[object]]:
    return {
        "contributions": list(
            Contribution.objects.filter(
                prompt__consultation=consultation, moderation=Moderation.PENDING
            )
            .select_related("prompt", "organisation")
            .order_by("pk")
        ),
        "statements": list(
            consultation.statements.filter(moderation=Moderation.PENDING).order_by("pk")
        ),
    }


def consultation_counts(consultation: Consultation) -> dict[str, int]:
    contributions = Contribution.objects.filter(prompt__consultation=consultation).aggregate(
        total=Count("pk"), approved=Count("pk", filter=Q(moderation=Moderation.APPROVED))
    )
    return {
        "contributions": contributions["approved"],
        "pending": contributions["total"] - contributions["approved"],
        "statements": approved_statements(consultation).count(),
        "participants": consultation.participants.count(),
        "votes": Vote.objects.filter(statement__consultation=consultation).count(),
    }


def latest_run(consultation: Consultation, kind: str) -> SynthesisRun | None:
    return consultation.synthesis_runs.filter(kind=kind).order_by("-pk").first()


def latest_done_run(consultation: Consultation, kind: str) -> SynthesisRun | None:
    return (
        consultation.synthesis_runs.filter(kind=kind, state=SynthesisRun.State.DONE)
        .order_by("-pk")
        .first()
    )


def groups_for_reader(
    user: Actor, result: Mapping[str, Any] | None, *, published: bool = False
) -> dict[str, Any] | None:
    """A stored opinion-groups result as ``user`` may read it: small groups suppressed at the
    floor that fits the reader (``impact``'s ``floor_for``; ``published`` for documents)."""
    if not result:
        return None
    return protect_groups(result, floor=floor_for(viewer_for(user), published=published))


def latest_theme_labels(consultation: Consultation, language: str) -> dict[str, str]:
    """The themes of the latest finished run, key → label in ``language``."""
    run = latest_done_run(consultation, SynthesisRun.Kind.THEMES)
    result = run.result if run is not None and isinstance(run.result, dict) else {}
    return {str(t["key"]): theme_label(t, language) for t in result.get("themes", [])}


# Search (combined by the web app's search page) --------------------------------------------


def consultation_search(*, user: Actor, query: str) -> QuerySet[Consultation]:
    """Consultations matching ``query`` that the user may open
    (:func:`consultation_list_visible_to`)."""
    return ranked_search(
        consultation_list_visible_to(user=user),
        query=query,
        fields=("title", "slug", "description"),
        title="title",
    )

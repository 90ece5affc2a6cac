"""Policy rows for consultations (see ``tests/security/policy.py``).

Facilitation (editing, moderation, synthesis runs, the draft, Pol.is imports) is for network
staff: members who see the consultation get 403, everyone else 404. Reading and taking part
are for every member of the network (stakeholders: 404). A public-link consultation answers
everyone at its token address, without an account.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from peaceworks.campaigns.models import Reflection
from peaceworks.campaigns.services import reflection_add
from peaceworks.campaigns.tests.policy import _plan as campaign_plan
from peaceworks.consultations import services
from peaceworks.consultations.models import (
    Consultation,
    Contribution,
    Moderation,
    Prompt,
    Statement,
)
from peaceworks.consultations.polis import PolisImporter
from peaceworks.core.models import PendingUpload
from peaceworks.core.uploads import upload_store
from tests.security.policy import Access, Route, Tenant, once
from tests.security.policy import admin as _admin
from tests.security.policy import unique as _unique

NOT_FOR_STAKEHOLDERS = {"stakeholder": 404}
MEMBERS_MAY_NOT = {"org_coordinator": 403, "org_member": 403, "analyst": 403}


def _consultation(world: Any) -> Consultation:
    def build() -> Consultation:
        consultation = services.consultation_create(
            actor=_admin(world),
            changes={"title": "Matrix consultation", "slug": "matrix-consultation"},
            prompts=[{"en": "What next?"}],
        )
        services.consultation_set_phase(
            actor=_admin(world), consultation=consultation, phase="open"
        )
        services.statement_submit(actor=_admin(world), consultation=consultation, text="We agree.")
        return consultation

    return once(world, "consultations.consultation", build)


def _public(world: Any) -> Consultation:
    def build() -> Consultation:
        consultation = services.consultation_create(
            actor=_admin(world),
            changes={"title": "Public", "slug": "matrix-public", "audience": "public_link"},
            prompts=[{"en": "Anything?"}],
        )
        services.consultation_set_phase(
            actor=_admin(world), consultation=consultation, phase="open"
        )
        return consultation

    return once(world, "consultations.public", build)


def _slug(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"slug": _consultation(world).slug}


def _token(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"token": _public(world).public_token}


def _contribution(world: Any, moderation: str) -> Contribution:
    prompt = Prompt.objects.get(consultation=_consultation(world))
    return Contribution.objects.create(prompt=prompt, text="A matrix answer", moderation=moderation)


def _approved(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    contribution = once(
        world, "consultations.approved", lambda: _contribution(world, Moderation.APPROVED)
    )
    return {"slug": _consultation(world).slug, "pk": contribution.pk}


def _pending(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "slug": _consultation(world).slug,
        "kind": "contribution",
        "pk": _contribution(world, Moderation.PENDING).pk,
    }


def _polis_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("comments.csv", "comment-id,moderated,comment-body\n1,1,Yes\n")
        archive.writestr("votes.csv", "timestamp,comment-id,voter-id,vote\n1,1,a,1\n")
    return out.getvalue()


def _upload(world: Any, key: str = "consultations.upload") -> PendingUpload:
    def build() -> PendingUpload:
        return upload_store(
            actor=_admin(world),
            importer=PolisImporter.kind,
            filename="polis.zip",
            data=_polis_zip(),
            target={"slug": _unique(world, "matrix-polis"), "title": ""},
        )

    return once(world, key, build)


def _upload_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _upload(world).pk}


def _no_body(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {}


def _staff_post(name: str, data: Any, args: Any = _slug) -> Route:
    return Route(
        name,
        Access.NETWORK_STAFF,
        method="POST",
        ok=302,
        args=args,
        data=data,
        overrides=MEMBERS_MAY_NOT,
    )


def _staff_get(name: str, args: Any = _slug) -> Route:
    return Route(name, Access.NETWORK_STAFF, args=args, overrides=MEMBERS_MAY_NOT)


def _member_get(name: str, args: Any = _slug) -> Route:
    return Route(name, Access.SIGNED_IN, args=args, overrides=NOT_FOR_STAKEHOLDERS)


ROUTES: list[Route] = [
    Route("consultations:index", Access.SIGNED_IN),
    _staff_get("consultations:create", args=lambda world, tenant: {}),
    _staff_get("consultations:import_polis", args=lambda world, tenant: {}),
    # A pending upload is only its uploader's (here the network administrator's).
    Route("consultations:import_preview", Access.NETWORK_ADMIN, args=_upload_pk),
    Route(
        "consultations:import_confirm",
        Access.NETWORK_ADMIN,
        method="POST",
        ok=302,
        args=_upload_pk,
        data=_no_body,
    ),
    Route("consultations:public", Access.PUBLIC, args=_token),
    Route(
        "consultations:public_contribute",
        Access.PUBLIC,
        args=lambda world, tenant: {"token": _public(world).public_token, "number": 1},
    ),
    Route("consultations:public_vote", Access.PUBLIC, args=_token),
    _member_get("consultations:detail"),
    _staff_get("consultations:edit"),
    _staff_post("consultations:phase", lambda world, tenant: {"phase": "open"}),
    _staff_get("consultations:prompt_create"),
    _member_get(
        "consultations:contribute",
        args=lambda world, tenant: {"slug": _consultation(world).slug, "number": 1},
    ),
    _member_get("consultations:contribution", args=_approved),
    # Only its author and facilitators edit a contribution; members who read it: 403.
    _staff_get("consultations:contribution_edit", args=_approved),
    _member_get("consultations:vote"),
    _member_get("consultations:statement_create"),
    _staff_get("consultations:moderation"),
    _staff_post("consultations:moderate", lambda world, tenant: {"decision": "approved"}, _pending),
    _member_get("consultations:synthesis"),
    _staff_post("consultations:synthesis_run", lambda world, tenant: {"kind": "groups"}),
    _staff_post("consultations:theme_edit", _no_body),
    _staff_post(
        "consultations:concept_add",
        lambda world, tenant: {"concept": "calm", "language": "en", "term": "calm"},
    ),
    _staff_get("consultations:draft"),
    _staff_post("consultations:draft_generate", _no_body),
    _staff_get(
        "consultations:draft_export",
        args=lambda world, tenant: {"slug": _consultation(world).slug, "fmt": "md"},
    ),
]


def _run(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    def build() -> Any:
        return services.synthesis_request(
            actor=_admin(world), consultation=_consultation(world), kind="groups"
        )

    return {"slug": _consultation(world).slug, "pk": once(world, "consultations.run", build).pk}


def _prompt_id(world: Any) -> int:
    return Prompt.objects.get(consultation=_consultation(world)).pk


def _statement_id(world: Any) -> int:
    return _consultation(world).statements.order_by("pk").first().pk  # type: ignore[union-attr]


def _api_staff(
    name: str, method: str = "GET", ok: int = 200, data: Any = None, args: Any = _slug
) -> Route:
    return Route(
        name,
        Access.NETWORK_STAFF,
        method=method,
        ok=ok,
        args=args,
        data=data,
        overrides=MEMBERS_MAY_NOT,
    )


def _api_member(
    name: str, method: str = "GET", ok: int = 200, data: Any = None, args: Any = _slug
) -> Route:
    return Route(
        name,
        Access.SIGNED_IN,
        method=method,
        ok=ok,
        args=args,
        data=data,
        overrides=NOT_FOR_STAKEHOLDERS,
    )


ROUTES += [
    Route("api:consultation_list", Access.SIGNED_IN),  # stakeholders get an empty list
    _api_staff(
        "api:consultation_create_endpoint",
        "POST",
        201,
        lambda world, tenant: {
            "title": "Made by the API",
            "slug": _unique(world, "api-consultation"),
        },
        args=lambda world, tenant: {},
    ),
    _api_member("api:consultation_detail"),
    _api_staff(
        "api:consultation_patch", "PATCH", data=lambda world, tenant: {"description": "New"}
    ),
    _api_staff("api:consultation_phase", "POST", data=lambda world, tenant: {"phase": "open"}),
    _api_member("api:consultation_prompt_list"),
    _api_staff(
        "api:consultation_prompt_create_endpoint", "POST", 201, lambda world, tenant: {"en": "Why?"}
    ),
    _api_member("api:consultation_contribution_list"),
    _api_member(
        "api:consultation_contribution_create_endpoint",
        "POST",
        201,
        lambda world, tenant: {"prompt_id": _prompt_id(world), "text": "From the API"},
    ),
    _api_staff(
        "api:consultation_contribution_moderate_endpoint",
        "POST",
        data=lambda world, tenant: {"state": "approved"},
        args=lambda world, tenant: {
            "slug": _consultation(world).slug,
            "pk": _pending(world, tenant)["pk"],
        },
    ),
    _api_member("api:consultation_statement_list"),
    _api_member(
        "api:consultation_statement_create_endpoint",
        "POST",
        201,
        lambda world, tenant: {"text": "A statement"},
    ),
    _api_member("api:consultation_vote_list"),
    _api_member(
        "api:consultation_vote_cast_endpoint",
        "POST",
        data=lambda world, tenant: {"statement_id": _statement_id(world), "value": 1},
    ),
    _api_member("api:consultation_synthesis_run_list"),
    _api_staff(
        "api:consultation_synthesis_run_request",
        "POST",
        202,
        lambda world, tenant: {"kind": "groups"},
    ),
    _api_member("api:consultation_synthesis_run_detail", args=_run),
    _api_staff("api:consultation_draft_detail"),
    _api_staff(
        "api:consultation_draft_patch", "PATCH", data=lambda world, tenant: {"body": "# Draft"}
    ),
    _api_staff("api:consultation_draft_generate_endpoint", "POST", data=_no_body),
]

ROUTES += [_staff_get("consultations:strategy_links")]


def _pending_statement(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    consultation = _consultation(world)
    statement = Statement.objects.create(
        consultation=consultation,
        text="Submitted by a participant",
        origin=Statement.Origin.PARTICIPANT,
        moderation=Moderation.PENDING,
    )
    return {"slug": consultation.slug, "pk": statement.pk}


def _reflection(world: Any) -> Reflection:
    return once(
        world,
        "consultations.reflection",
        lambda: reflection_add(
            actor=_admin(world), plan=campaign_plan(world), kind="future", text="Listen more"
        ),
    )


def _api_polis_upload(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "file": SimpleUploadedFile("polis.zip", _polis_zip()),
        "slug": _unique(world, "api-polis"),
        "title": "From the API",
    }


def _api_upload_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    # its own upload: the page's confirm row imports the other one
    return {"pk": _upload(world, "consultations.api_upload").pk}


ROUTES += [
    _api_staff(
        "api:consultation_statement_moderate_endpoint",
        "POST",
        data=lambda world, tenant: {"state": "approved"},
        args=_pending_statement,
    ),
    _api_staff(
        "api:consultation_contribution_promote_endpoint",
        "POST",
        201,
        data=lambda world, tenant: {"text": "Promoted by the API"},
        args=_approved,
    ),
    _api_staff("api:consultation_strategy_link_list"),
    _api_staff(
        "api:consultation_strategy_link_create_endpoint",
        "POST",
        201,
        data=lambda world, tenant: {
            "statement_id": _statement_id(world),
            "target": "reflection",
            "target_id": _reflection(world).pk,
        },
    ),
    Route(
        "api:consultation_import_create",
        Access.NETWORK_STAFF,
        method="POST",
        ok=201,
        args=lambda world, tenant: {},
        data=_api_polis_upload,
        overrides=MEMBERS_MAY_NOT,
        multipart=True,
    ),
    # A pending upload is only its uploader's (here the network administrator's).
    Route("api:consultation_import_detail", Access.NETWORK_ADMIN, args=_api_upload_pk),
    Route(
        "api:consultation_import_confirm",
        Access.NETWORK_ADMIN,
        method="POST",
        args=_api_upload_pk,
        data=_no_body,
    ),
]


def _theme_edit(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    consultation = _consultation(world)
    edit = services.theme_edit_add(
        actor=_admin(world),
        consultation=consultation,
        kind="rename",
        theme_keys=["housing"],
        label="Homes",
    )
    return {"slug": consultation.slug, "pk": edit.pk}


ROUTES += [_staff_post("consultations:theme_edit_undo", _no_body, _theme_edit)]

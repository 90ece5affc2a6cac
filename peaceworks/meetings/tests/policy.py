"""Policy rows for meetings.

The test world's meeting is planned by the network coordinator; the own organisation's
coordinator chairs it and its member takes the notes, so the own organisation's readers
(coordinator, member, analyst) see it and stakeholders do not (404). Only network staff plan
(readers who try get 403); minutes are written by the note-taker, the chair and network staff
and approved by the chair only; an action item owned by the own organisation has its status
changed by that organisation's coordinator and network staff.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from peaceworks.directory.models import Affiliation, Network
from peaceworks.meetings.models import ActionItem, Decision, Meeting, MinutesRevision, Session
from peaceworks.meetings.services import (
    action_item_create,
    calendar_feed_create,
    decision_create,
    meeting_create,
    minutes_draft,
    participant_add,
    session_create,
)
from peaceworks.meetings.services.documents import session_document_add
from tests.security.policy import Access, Route, Tenant, once, unique

# Network staff plan; the organisation's coordinator reads (403 when writing) like its other
# readers.
STAFF_WRITE: dict[str, Any] = {"access": Access.ORG_WRITE, "overrides": {"org_coordinator": 403}}
NOT_A_PARTICIPANT = {"network_admin": 403, "network_coordinator": 403, "analyst": 403}


def _staff(world: Any) -> Any:
    return world.users["network_coordinator"]


def _meeting(world: Any) -> Meeting:
    def build() -> Meeting:
        network = Network.objects.create(name="Policy network", code="policy-network")
        Affiliation.objects.create(organisation=world.own, network=network)
        meeting = meeting_create(
            actor=_staff(world),
            values={
                "title": "Policy meeting",
                "short_name": "Policy 2026",
                "meeting_type": "coordinators",
                "start_date": date(2026, 4, 13),
                "end_date": date(2026, 4, 17),
                "time_zone": "Europe/Paris",
            },
        )
        participant_add(
            actor=_staff(world),
            meeting=meeting,
            values={"user": world.users["org_coordinator"], "role": "chair"},
        )
        participant_add(
            actor=_staff(world),
            meeting=meeting,
            values={"user": world.users["org_member"], "role": "note_taker"},
        )
        return meeting

    return once(world, "meetings.meeting", build)


def _new_session(world: Any) -> Session:
    return session_create(
        actor=_staff(world),
        meeting=_meeting(world),
        values={
            "day": date(2026, 4, 14),
            "start_time": time(9),
            "end_time": time(10),
            "title": unique(world, "session"),
        },
    )


def _session(world: Any) -> Session:
    return once(world, "meetings.session", lambda: _new_session(world))


def _decision(world: Any) -> Decision:
    return once(
        world,
        "meetings.decision",
        lambda: decision_create(
            actor=_staff(world), meeting=_meeting(world), values={"text": "Adopt the plan"}
        ),
    )


def _item(world: Any) -> ActionItem:
    return once(
        world,
        "meetings.item",
        lambda: action_item_create(
            actor=_staff(world),
            meeting=_meeting(world),
            values={
                "title": "Report back",
                "owner_organisation": world.own,
                "due_date": date(2026, 5, 1),
            },
        ),
    )


def _fresh_draft(world: Any) -> MinutesRevision:
    return minutes_draft(actor=_staff(world), session=_new_session(world), body="Draft minutes")


# Arguments ---------------------------------------------------------------------------------


def meeting_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _meeting(world).pk}


def session_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _session(world).pk}


def participant_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _meeting(world).participants.order_by("pk").first().pk}  # type: ignore[union-attr]


def decision_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _decision(world).pk}


def item_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _item(world).pk}


def fresh_draft_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _fresh_draft(world).pk}


def _fresh_document_ids(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    """A document network staff attached (so only staff may remove it)."""
    session = _session(world)
    document = session_document_add(
        actor=_staff(world),
        session=session,
        title="Slides",
        file=SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides", "application/pdf"),
    )
    return {"pk": session.pk, "document_pk": document.pk}


def document_ids(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return once(world, "meetings.document", lambda: _fresh_document_ids(world, tenant))


def api_document_ids(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    ids = document_ids(world, tenant)
    return {"pk": ids["pk"], "document_id": ids["document_pk"]}


def fresh_api_document_ids(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    ids = _fresh_document_ids(world, tenant)
    return {"pk": ids["pk"], "document_id": ids["document_pk"]}


def document_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "title": "Background paper",
        "file": SimpleUploadedFile("paper.pdf", b"%PDF-1.4 paper", "application/pdf"),
    }


def feed_token(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "token": once(world, "meetings.feed", lambda: calendar_feed_create(actor=_staff(world)))
    }


# Bodies ------------------------------------------------------------------------------------


def meeting_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "title": unique(world, "meeting"),
        "short_name": "Policy",
        "meeting_type": "steering",
        "start_date": "2026-04-13",
        "end_date": "2026-04-17",
        "time_zone": "Europe/Paris",
    }


def meeting_body(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return meeting_form(world, tenant)


def session_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "day": "2026-04-15",
        "start_time": "09:00",
        "end_time": "10:00",
        "title": unique(world, "session"),
        "kind": "plenary",
    }


def participant_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"name": unique(world, "guest"), "role": "guest", "attendance": "unknown"}


def decision_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"text": "Adopt the plan", "outcome": "adopted"}


def item_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "title": "Report back",
        "owner_organisation": str(world.own.pk),
        "due_date": "2026-05-01",
        "status": "open",
    }


def item_body(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"title": "Report back", "owner_organisation_id": world.own.pk, "due_date": "2026-05-01"}


def minutes_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"body": "The draft, again."}


def revision_body(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"body": "Corrected", "reason": "Typo"}


def strategy_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"kind": "action", "title": "x"}  # no objective: refused on the field (400)


def strategy_body(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"kind": "objective", "parent_id": 2**40, "title": "x"}  # no such goal: 400


def link_body(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"kind": "goal", "item_id": 2**40}


STAFF_ONLY_READS_403 = {"org_coordinator": 403}

ROUTES: list[Route] = [
    # pages
    Route("meetings:index", Access.SIGNED_IN),
    Route("meetings:my_items", Access.SIGNED_IN),
    Route("meetings:feed", Access.SIGNED_IN),
    Route("meetings:feed", Access.SIGNED_IN, method="POST", data=lambda w, t: {"action": "create"}),
    Route("meetings:feed_ics", Access.PUBLIC, args=feed_token),
    Route("meetings:create", Access.NETWORK_STAFF),
    Route("meetings:create", Access.NETWORK_STAFF, method="POST", ok=302, data=meeting_form),
    Route("meetings:detail", Access.ORG_READ, args=meeting_pk),
    Route("meetings:agenda", Access.ORG_READ, args=meeting_pk),
    Route("meetings:ical", Access.ORG_READ, args=meeting_pk),
    Route("meetings:report_md", Access.ORG_READ, args=meeting_pk),
    Route("meetings:report_pdf", Access.ORG_READ, args=meeting_pk),
    Route("meetings:session_ical", Access.ORG_READ, args=session_pk),
    Route("meetings:minutes_history", Access.ORG_READ, args=session_pk),
    Route("meetings:edit", args=meeting_pk, **STAFF_WRITE),
    Route(
        "meetings:edit", method="POST", ok=302, args=meeting_pk, data=meeting_form, **STAFF_WRITE
    ),
    Route("meetings:engagement", args=meeting_pk, **STAFF_WRITE),
    Route(
        "meetings:engagement",
        method="POST",
        ok=302,
        args=meeting_pk,
        data=lambda w, t: {"advice_received": "", "commitments": "", "people": ""},
        **STAFF_WRITE,
    ),
    Route(
        "meetings:rsvp",
        Access.ORG_READ,
        method="POST",
        ok=302,
        args=meeting_pk,
        data=lambda w, t: {"rsvp": "accepted"},
        overrides=NOT_A_PARTICIPANT,
    ),
    Route("meetings:participant_add", args=meeting_pk, **STAFF_WRITE),
    Route(
        "meetings:participant_add",
        method="POST",
        ok=302,
        args=meeting_pk,
        data=participant_form,
        **STAFF_WRITE,
    ),
    Route("meetings:participant_edit", args=participant_pk, **STAFF_WRITE),
    Route(
        "meetings:participant_edit",
        method="POST",
        ok=302,
        args=participant_pk,
        data=lambda w, t: {
            "user": str(w.users["org_coordinator"].pk),
            "role": "chair",
            "attendance": "present",
        },
        **STAFF_WRITE,
    ),
    Route("meetings:session_add", args=meeting_pk, **STAFF_WRITE),
    Route(
        "meetings:session_add",
        method="POST",
        ok=302,
        args=meeting_pk,
        data=session_form,
        **STAFF_WRITE,
    ),
    Route("meetings:session", Access.ORG_READ, args=session_pk),
    # session documents: the note-taker (org_member), the chair (org_coordinator) and staff
    # attach; whoever reads the meeting downloads; the uploader (here staff) removes
    Route(
        "meetings:document_upload",
        Access.ORG_READ,
        method="POST",
        ok=302,
        args=session_pk,
        data=document_form,
        overrides={"analyst": 403},
    ),
    Route("meetings:document", Access.ORG_READ, args=document_ids),
    Route(
        "meetings:document_delete",
        Access.ORG_READ,
        method="POST",
        ok=302,
        args=_fresh_document_ids,
        data=lambda w, t: {},
        overrides=dict.fromkeys(["org_coordinator", "org_member", "analyst"], 403),
    ),
    Route("meetings:session_edit", args=session_pk, **STAFF_WRITE),
    Route(
        "meetings:session_edit",
        method="POST",
        ok=302,
        args=session_pk,
        data=session_form,
        **STAFF_WRITE,
    ),
    # minutes: note-taker (org_member), chair (org_coordinator) and staff write; chair approves
    Route("meetings:minutes", Access.ORG_READ, args=session_pk, overrides={"analyst": 403}),
    Route(
        "meetings:minutes",
        Access.ORG_READ,
        method="POST",
        ok=302,
        args=session_pk,
        data=minutes_form,
        overrides={"analyst": 403},
    ),
    Route(
        "meetings:minutes_approve",
        Access.ORG_READ,
        method="POST",
        ok=302,
        args=fresh_draft_pk,
        data=lambda w, t: {},
        overrides={**NOT_A_PARTICIPANT, "org_member": 403},
    ),
    Route("meetings:decision_add", args=meeting_pk, **STAFF_WRITE),
    Route(
        "meetings:decision_add",
        method="POST",
        ok=302,
        args=meeting_pk,
        data=decision_form,
        **STAFF_WRITE,
    ),
    Route("meetings:decision_edit", args=decision_pk, **STAFF_WRITE),
    Route(
        "meetings:decision_edit",
        method="POST",
        ok=302,
        args=decision_pk,
        data=decision_form,
        **STAFF_WRITE,
    ),
    Route("meetings:decision_strategy", args=decision_pk, **STAFF_WRITE),
    Route(
        "meetings:decision_strategy",
        method="POST",
        ok=400,
        args=decision_pk,
        data=strategy_form,
        **STAFF_WRITE,
    ),
    Route("meetings:decision_link", args=decision_pk, **STAFF_WRITE),
    Route(
        "meetings:decision_link",
        method="POST",
        ok=400,
        args=decision_pk,
        data=lambda w, t: {},
        **STAFF_WRITE,
    ),
    Route("meetings:item_add", args=meeting_pk, **STAFF_WRITE),
    Route(
        "meetings:item_add", method="POST", ok=302, args=meeting_pk, data=item_form, **STAFF_WRITE
    ),
    Route("meetings:item_edit", args=item_pk, **STAFF_WRITE),
    Route("meetings:item_edit", method="POST", ok=302, args=item_pk, data=item_form, **STAFF_WRITE),
    # the owner organisation's coordinator and staff change the status; readers get 403
    Route(
        "meetings:item_status",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=item_pk,
        data=lambda w, t: {"status": "in_progress"},
    ),
    # API
    Route("api:meeting_list", Access.SIGNED_IN),
    Route("api:my_action_items", Access.SIGNED_IN),
    Route(
        "api:meeting_create_endpoint",
        Access.NETWORK_STAFF,
        method="POST",
        ok=201,
        data=meeting_body,
    ),
    Route("api:meeting_detail", Access.ORG_READ, args=meeting_pk),
    Route(
        "api:meeting_patch",
        method="PATCH",
        args=meeting_pk,
        data=lambda w, t: {"place": "Paris"},
        **STAFF_WRITE,
    ),
    Route("api:participant_list", Access.ORG_READ, args=meeting_pk),
    Route(
        "api:participant_add_endpoint",
        method="POST",
        ok=201,
        args=meeting_pk,
        data=participant_form,
        **STAFF_WRITE,
    ),
    Route(
        "api:participant_patch",
        method="PATCH",
        args=participant_pk,
        data=lambda w, t: {"attendance": "present"},
        **STAFF_WRITE,
    ),
    Route("api:session_list", Access.ORG_READ, args=meeting_pk),
    Route(
        "api:session_create_endpoint",
        method="POST",
        ok=201,
        args=meeting_pk,
        data=session_form,
        **STAFF_WRITE,
    ),
    Route(
        "api:session_patch",
        method="PATCH",
        args=session_pk,
        data=lambda w, t: {"facilitator": "A. Facilitator"},
        **STAFF_WRITE,
    ),
    Route("api:session_document_list", Access.ORG_READ, args=session_pk),
    Route(
        "api:session_document_create",
        Access.ORG_READ,
        method="POST",
        ok=201,
        args=session_pk,
        data=document_form,
        multipart=True,
        overrides={"analyst": 403},
    ),
    Route("api:session_document_content", Access.ORG_READ, args=api_document_ids),
    Route(
        "api:session_document_remove",
        Access.ORG_READ,
        method="DELETE",
        ok=204,
        args=fresh_api_document_ids,
        overrides=dict.fromkeys(["org_coordinator", "org_member", "analyst"], 403),
    ),
    Route("api:minutes_list", Access.ORG_READ, args=session_pk),
    Route(
        "api:minutes_draft_endpoint",
        Access.ORG_READ,
        method="POST",
        ok=201,
        args=session_pk,
        data=minutes_form,
        overrides={"analyst": 403},
    ),
    Route("api:minutes_detail", Access.ORG_READ, args=fresh_draft_pk),
    Route(
        "api:minutes_patch",
        Access.ORG_READ,
        method="PATCH",
        args=fresh_draft_pk,
        data=minutes_form,
        overrides={"analyst": 403},
    ),
    # a revision needs approved minutes: on a draft it is a conflict (409) for those who write
    Route(
        "api:minutes_revise_endpoint",
        Access.ORG_READ,
        method="POST",
        ok=409,
        args=lambda w, t: {"pk": _fresh_draft(w).session_id},
        data=revision_body,
        overrides={"analyst": 403},
    ),
    Route(
        "api:minutes_approve_endpoint",
        Access.ORG_READ,
        method="POST",
        ok=200,
        args=fresh_draft_pk,
        data=lambda w, t: {},
        overrides={**NOT_A_PARTICIPANT, "org_member": 403},
    ),
    Route("api:decision_list", Access.ORG_READ, args=meeting_pk),
    Route(
        "api:decision_create_endpoint",
        method="POST",
        ok=201,
        args=meeting_pk,
        data=decision_form,
        **STAFF_WRITE,
    ),
    Route(
        "api:decision_patch",
        method="PATCH",
        args=decision_pk,
        data=lambda w, t: {"proposed_by": "The chair"},
        **STAFF_WRITE,
    ),
    Route(
        "api:decision_strategy_create",
        method="POST",
        ok=400,
        args=decision_pk,
        data=strategy_body,
        **STAFF_WRITE,
    ),
    Route(
        "api:decision_strategy_link",
        method="POST",
        ok=400,
        args=decision_pk,
        data=link_body,
        **STAFF_WRITE,
    ),
    Route("api:action_item_list", Access.ORG_READ, args=meeting_pk),
    Route("api:previous_open_items", Access.ORG_READ, args=meeting_pk),
    Route(
        "api:action_item_create_endpoint",
        method="POST",
        ok=201,
        args=meeting_pk,
        data=item_body,
        **STAFF_WRITE,
    ),
    Route(
        "api:action_item_patch",
        Access.ORG_WRITE,
        method="PATCH",
        args=item_pk,
        data=lambda w, t: {"status": "in_progress"},
    ),
]

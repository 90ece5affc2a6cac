"""The impact app's rows of the policy table (see ``tests/security/policy.py``).

Who may do what here (``peaceworks.impact.selectors``): frameworks and instruments are
network-wide, read by every network member and changed by network staff (a member who may
not change them is refused with 403; stakeholders get 404). An activity's rounds, imports
and responses are its host organisation's: read by its coordinators, members and analysts
(analysts never get raw responses), written by its coordinators, and by network staff.
The respondent's pages and the public submission API are open to anyone holding the round's
link: the ``respondent`` role and anonymous visitors (signed-in people get the same pages).

Objects are built through the services by the network administrator, once per test and
tenant in ``world.extras``, before the database is fingerprinted; an object a successful
write uses up (a flagged answer once reviewed, an import once confirmed) is replaced by a
fresh one for the next request.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from peaceworks.campaigns.models import Activity, Campaign
from peaceworks.campaigns.services import (
    ActivityData,
    activity_create,
    campaign_create,
    programme_create,
    theme_create,
)
from peaceworks.core.models import PendingUpload
from peaceworks.core.uploads import upload_store
from peaceworks.impact.models import (
    CollectionToken,
    Framework,
    Instrument,
    Response,
    ResponseAttachment,
    Round,
)
from peaceworks.impact.openrosa import collection_open, collection_token, form_id
from peaceworks.impact.pseudonyms import build_code
from peaceworks.impact.respondent import SurveyState
from peaceworks.impact.services import (
    framework_install_default,
    response_submit,
    round_open,
)
from peaceworks.impact.views.public import REMINDER_SALT
from peaceworks.impact.xlsform import export_xlsform
from tests.security.policy import Access, Route, Tenant
from tests.security.policy import admin as _admin
from tests.security.policy import once as _once

# Stakeholders (the role) are not network members: frameworks and instruments answer them
# 404, as for anything that does not exist.
NOT_FOR_STAKEHOLDERS = {"stakeholder": 404}
# Frameworks are network-wide: members see them, so a member who may not change one is
# refused (403) rather than told it does not exist.
MEMBERS_MAY_NOT_CHANGE = {"org_coordinator": 403, "org_member": 403, "analyst": 403}
# Analysts work with aggregates: raw (even pseudonymous) answers are as absent for them as
# for an outsider (404).
NO_RAW_ANSWERS_FOR_ANALYSTS = {"analyst": 404}
# The three facts a respondent builds their matching code from.
FACTS = {"parent_letters": "Maria", "birth_day": "7", "place_letters": "Lima"}


def _programme(world: Any) -> Any:
    return _once(
        world,
        "impact.programme",
        lambda: programme_create(actor=_admin(world), name="Impact matrix", code="impact-prog"),
    )


def _campaign(world: Any, code: str = "impact-matrix") -> Campaign:
    """A campaign with the five themes of the shipped framework."""

    def build() -> Campaign:
        admin = _admin(world)
        campaign = campaign_create(actor=admin, programme=_programme(world), name=code, code=code)
        for number in range(1, 6):
            theme_create(
                actor=admin,
                campaign=campaign,
                number=number,
                code=f"{code}-t{number}",
                name=f"Theme {number}",
            )
        return campaign

    return _once(world, f"impact.campaign.{code}", build)


def _framework(world: Any) -> Framework:
    return _once(
        world,
        "impact.framework",
        lambda: framework_install_default(actor=_admin(world), campaign=_campaign(world)),
    )


def _instrument(world: Any) -> Instrument:
    """The published volunteer post survey of the framework."""
    return _framework(world).instruments.get(role=Instrument.Role.V_POST, version=1)


def _activity(world: Any, tenant: Tenant) -> Activity:
    """A fortnight's workcamp hosted by the addressed organisation, ending today."""

    def build() -> Activity:
        campaign = _campaign(world)
        _framework(world)
        start = timezone.localdate() - timedelta(days=13)
        return activity_create(
            actor=_admin(world),
            campaign=campaign,
            host_organisation=world.org(tenant),
            data=ActivityData(
                code=f"impact-act-{tenant}",
                title="Workcamp",
                activity_type=Activity.Type.WORKCAMP,
                start_date=start,
                end_date=start + timedelta(days=13),
                country="KE",
                theme_ids=tuple(
                    campaign.themes.filter(number__in=(1, 4)).values_list("pk", flat=True)
                ),
                international_volunteers=10,
                local_volunteers=5,
            ),
        )

    return _once(world, f"impact.activity.{tenant}", build)


def _round(world: Any, tenant: Tenant) -> Round:
    """An open post round of the addressed organisation's activity."""
    now = timezone.now()
    return _once(
        world,
        f"impact.round.{tenant}",
        lambda: round_open(
            actor=_admin(world),
            activity=_activity(world, tenant),
            kind=Round.Kind.POST,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=5),
        ),
    )


def _pre_round(world: Any) -> Round:
    """An open pre round of the own organisation's activity (its thanks page offers a reminder)."""
    now = timezone.now()
    return _once(
        world,
        "impact.pre_round",
        lambda: round_open(
            actor=_admin(world),
            activity=_activity(world, Tenant.OWN),
            kind=Round.Kind.PRE,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=5),
        ),
    )


def _reminder_address(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    """An address for a reminder, with consent, on the thanks page of a pre survey answered
    just now (the signed token the survey's last page hands on)."""

    def build() -> str:
        survey_round = _pre_round(world)
        response = _submit(survey_round, {"t1_knowledge": 3})
        return signing.dumps(
            {"respondent": response.respondent_id, "round": survey_round.pk}, salt=REMINDER_SALT
        )

    token = _once(world, "impact.reminder_token", build)
    return {"r": token, "email": "volunteer@example.org", "consent": "on"}


def _pre_token_and_language(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"token": _pre_round(world).token, "language": "en"}


def _round_and_language(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {**_round_pk(world, tenant), "language": "en"}


def _submit(survey_round: Round, answers: dict[str, Any]) -> Response:
    return response_submit(
        survey_round=survey_round,
        submission_id=uuid.uuid4(),
        language="en",
        answers=answers,
        matching_code=build_code(
            parent_letters=FACTS["parent_letters"],
            birth_day=FACTS["birth_day"],
            place_letters=FACTS["place_letters"],
        ),
        consent_version=survey_round.instrument.consent_version,
    ).response


def _flagged_response(world: Any, tenant: Tenant) -> Response:
    """An answer reporting harm, waiting for review (a fresh one once reviewed)."""
    key = f"impact.flagged.{tenant}"
    response: Response | None = world.extras.get(key)
    if response is not None:
        response.refresh_from_db(fields=["harm_status"])
    if response is None or response.harm_status != Response.HarmStatus.PENDING:
        response = _submit(
            _round(world, tenant), {"i_harm": "yes", "i_harm_text": "A volunteer was mocked."}
        )
        world.extras[key] = response
    return response


def _responses_file(world: Any, tenant: Tenant) -> bytes:
    return (
        "submission_id,matching_code,t1_knowledge\n"
        f"{uuid.uuid5(uuid.NAMESPACE_URL, f'impact-matrix-{tenant}')},AB01CD,4\n"
    ).encode()


def _import_job(world: Any, tenant: Tenant) -> PendingUpload:
    """A previewed responses import of the addressed organisation's round (fresh once used)."""
    key = f"impact.import.{tenant}"
    job: PendingUpload | None = world.extras.get(key)
    if job is not None:
        job.refresh_from_db(fields=["state"])
    if job is None or job.state != PendingUpload.State.PENDING:
        job = upload_store(
            actor=_admin(world),
            importer="impact.responses",
            filename="responses.csv",
            data=_responses_file(world, tenant),
            target={"round": _round(world, tenant).pk},
        )
        world.extras[key] = job
    return job


def _withdrawable(world: Any) -> Activity:
    """The own organisation's activity, with answers given with :data:`FACTS`."""

    def build() -> Activity:
        survey_round = _round(world, Tenant.OWN)
        _submit(survey_round, {"t1_knowledge": 4})
        return survey_round.activity

    return _once(world, "impact.withdrawable", build)


def _attachment(world: Any, tenant: Tenant) -> ResponseAttachment:
    """A photo sent with an answer of the addressed organisation's round."""

    def build() -> ResponseAttachment:
        response = _submit(_round(world, tenant), {"t1_knowledge": 3})
        return ResponseAttachment.objects.create(
            response=response,
            name="photo.jpg",
            content_type="image/jpeg",
            size=4,
            sha256="0" * 64,
            data=b"\xff\xd8\xff\xe0",
        )

    return _once(world, f"impact.attachment.{tenant}", build)


def _collection(world: Any, tenant: Tenant) -> CollectionToken:
    """The addressed organisation's round, open for ODK Collect."""
    return _once(
        world,
        f"impact.collection.{tenant}",
        lambda: collection_open(actor=_admin(world), survey_round=_round(world, tenant)),
    )


# --- arguments and bodies ----------------------------------------------------------------------


def _framework_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _framework(world).pk}


def _instrument_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _instrument(world).pk}


def _activity_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _activity(world, tenant).pk}


def _round_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _round(world, tenant).pk}


def _import_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _import_job(world, tenant).pk}


def _flagged_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _flagged_response(world, tenant).pk}


def _token(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"token": _round(world, tenant).token}


def _token_and_language(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {**_token(world, tenant), "language": "en"}


def _consent_step(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    state = SurveyState.fresh(_round(world, tenant))
    return {"state": state.dump(), "consent": "on"}


def _withdrawal(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"activity_code": _withdrawable(world).code, **FACTS}


def _collection_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _collection(world, tenant).round_id}


def _collection_token(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"token": collection_token(_collection(world, tenant))}


def _collection_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    item = _collection(world, tenant)
    return {"token": collection_token(item), "form_id": form_id(item.round, "en")}


def _app_submission(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    """A filled form as ODK Collect sends it (a new instance each time)."""
    survey_round = _collection(world, tenant).round
    facts = "".join(f"<{name}>{value}</{name}>" for name, value in FACTS.items())
    xml = (
        f'<data id="{form_id(survey_round, "en")}"><consent>yes</consent>'
        f"<consent_version>{survey_round.instrument.consent_version}</consent_version>{facts}"
        f"<t1_knowledge>4</t1_knowledge><meta><instanceID>uuid:{uuid.uuid4()}</instanceID>"
        "</meta></data>"
    )
    return {"xml_submission_file": SimpleUploadedFile("submission.xml", xml.encode())}


def _bare_campaign_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"campaign_pk": _campaign(world, "impact-bare").pk}


def _indicator_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "code": "matrix-volunteers",
        "name_en": "Volunteers reached",
        "kind": "output",
        "aggregation": "sum",
        "direction": "increase",
        "output_key": "volunteers",
    }


def _question_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"code": "matrix_q", "kind": "text", "block": "inclusion", "text_en": "Anything else?"}


def _round_open_default(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"action": "default"}


def _responses_upload(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    data = _responses_file(world, tenant)
    return {
        "kind": "responses",
        "file": SimpleUploadedFile("responses.csv", data, content_type="text/csv"),
    }


def _xlsform_upload(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"file": SimpleUploadedFile("form.xlsx", export_xlsform(_instrument(world)))}


def _api_framework_id(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"framework_id": _framework(world).pk}


def _api_instrument_id(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"instrument_id": _instrument(world).pk}


def _api_activity_id(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"activity_id": _activity(world, tenant).pk}


def _api_round_id(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"round_id": _round(world, tenant).pk}


def _api_import_id(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"import_id": _import_job(world, tenant).pk}


def _api_attachment_id(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"attachment_id": _attachment(world, tenant).pk}


def _api_indicator(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "code": "matrix-hours",
        "name": {"en": "Volunteer hours"},
        "kind": "output",
        "aggregation": "sum",
        "output_key": "volunteer_hours",
    }


def _api_next_round(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    """A kind of round the activity does not have yet (each success opens one)."""
    taken = set(_activity(world, tenant).survey_rounds.values_list("kind", flat=True))
    kind = next(kind for kind in Round.Kind.values if kind not in taken)
    return {"kind": kind}


def _api_submission(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    survey_round = _round(world, tenant)
    return {
        "submission_id": str(uuid.uuid4()),
        "language": "en",
        "consent_version": survey_round.instrument.consent_version,
        # a new respondent each time: a second submission of one code replaces the first (200)
        "matching_code": "RO12" + uuid.uuid4().hex[:6].upper(),
        "answers": {"t1_knowledge": 3},
    }


def _api_responses_upload(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return _responses_upload(world, tenant)


ROUTES: list[Route] = [
    # --- coordinators' pages -----------------------------------------------------------------
    # Everyone signed in gets the overview (of what they may see: nothing, for stakeholders).
    Route("impact:index", Access.SIGNED_IN),
    Route(
        "impact:framework_install",
        Access.NETWORK_STAFF,
        method="POST",
        ok=302,
        args=_bare_campaign_pk,
        data=lambda world, tenant: {},
    ),
    Route("impact:activity_rounds", Access.ORG_READ, args=_activity_pk, tenant_scoped=True),
    Route(
        "impact:activity_rounds",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_activity_pk,
        data=_round_open_default,
        tenant_scoped=True,
    ),
    Route(
        "impact:round_qr",
        Access.ORG_READ,
        args=lambda world, tenant: {**_round_pk(world, tenant), "kind": "svg"},
        tenant_scoped=True,
    ),
    # A round's page (its submissions, preview and import template) follows its activity;
    # asking for its reminders is for those who write it.
    Route("impact:round_detail", Access.ORG_READ, args=_round_pk, tenant_scoped=True),
    Route("impact:round_preview", Access.ORG_READ, args=_round_and_language, tenant_scoped=True),
    # Moving through the preview stores nothing.
    Route(
        "impact:round_preview",
        Access.ORG_READ,
        method="POST",
        ok=302,
        args=_round_and_language,
        data=lambda world, tenant: {"consent": "on"},
        tenant_scoped=True,
    ),
    Route(
        "impact:round_import_template",
        Access.ORG_READ,
        args=lambda world, tenant: {**_round_pk(world, tenant), "kind": "csv"},
        tenant_scoped=True,
    ),
    Route(
        "impact:round_reminders",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_round_pk,
        data=lambda world, tenant: {},
        tenant_scoped=True,
    ),
    # Everyone's queue holds what they may review (nothing, for read-only roles).
    Route("impact:harm_queue", Access.SIGNED_IN),
    Route(
        "impact:harm_review",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_flagged_pk,
        data=lambda world, tenant: {"note": "Spoke with the camp leader."},
        tenant_scoped=True,
    ),
    # --- framework and instrument editors ------------------------------------------------
    Route(
        "impact:framework_detail",
        Access.SIGNED_IN,
        args=_framework_pk,
        overrides=NOT_FOR_STAKEHOLDERS,
    ),
    Route(
        "impact:framework_detail",
        Access.NETWORK_STAFF,
        method="POST",
        ok=302,
        args=_framework_pk,
        data=_indicator_form,
        overrides=MEMBERS_MAY_NOT_CHANGE,
    ),
    Route(
        "impact:instrument_detail",
        Access.SIGNED_IN,
        args=_instrument_pk,
        overrides=NOT_FOR_STAKEHOLDERS,
    ),
    Route(
        "impact:instrument_detail",
        Access.NETWORK_STAFF,
        method="POST",
        ok=302,
        args=_instrument_pk,
        data=_question_form,
        overrides=MEMBERS_MAY_NOT_CHANGE,
    ),
    # The live preview writes nothing: every member may use it.
    Route(
        "impact:question_preview",
        Access.SIGNED_IN,
        method="POST",
        args=_instrument_pk,
        data=_question_form,
        overrides=NOT_FOR_STAKEHOLDERS,
    ),
    Route(
        "impact:instrument_publish",
        Access.NETWORK_STAFF,
        method="POST",
        ok=302,
        args=_instrument_pk,
        data=lambda world, tenant: {},
        overrides=MEMBERS_MAY_NOT_CHANGE,
    ),
    Route(
        "impact:instrument_new_version",
        Access.NETWORK_STAFF,
        method="POST",
        ok=302,
        args=_instrument_pk,
        data=lambda world, tenant: {},
        overrides=MEMBERS_MAY_NOT_CHANGE,
    ),
    Route(
        "impact:instrument_xlsform",
        Access.SIGNED_IN,
        args=_instrument_pk,
        overrides=NOT_FOR_STAKEHOLDERS,
    ),
    # --- imports -------------------------------------------------------------------------
    # The upload form itself is for those who may import (read-only members: 403).
    Route("impact:round_import", Access.ORG_WRITE, args=_round_pk, tenant_scoped=True),
    Route(
        "impact:round_import",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_round_pk,
        data=_responses_upload,
        tenant_scoped=True,
    ),
    Route(
        "impact:instrument_import",
        Access.NETWORK_STAFF,
        args=_instrument_pk,
        overrides=MEMBERS_MAY_NOT_CHANGE,
    ),
    Route(
        "impact:instrument_import",
        Access.NETWORK_STAFF,
        method="POST",
        ok=302,
        args=_instrument_pk,
        data=_xlsform_upload,
        overrides=MEMBERS_MAY_NOT_CHANGE,
    ),
    Route("impact:import_preview", Access.ORG_READ, args=_import_pk, tenant_scoped=True),
    Route(
        "impact:import_confirm",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_import_pk,
        data=lambda world, tenant: {},
        tenant_scoped=True,
    ),
    # --- app collection (ODK Collect): its coordinators open and revoke it ------------------
    Route(
        "impact:round_collection_open",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_round_pk,
        data=lambda world, tenant: {},
        tenant_scoped=True,
    ),
    Route(
        "impact:round_collection_revoke",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_collection_pk,
        data=lambda world, tenant: {},
        tenant_scoped=True,
    ),
    # The setup QR carries the token: for those who may open and revoke it.
    Route("impact:round_collection_qr", Access.ORG_WRITE, args=_collection_pk, tenant_scoped=True),
    # The OpenRosa endpoints: anyone holding the collection token (no account, no cookie).
    Route("impact:openrosa_form_list", Access.PUBLIC, args=_collection_token),
    Route("impact:openrosa_form", Access.PUBLIC, args=_collection_form),
    # Each request is a new instance; the same code's latest answers win (201 each time).
    Route(
        "impact:openrosa_submission",
        Access.PUBLIC,
        method="POST",
        ok=201,
        args=_collection_token,
        data=_app_submission,
    ),
    # --- the respondent's pages: anyone with the link ------------------------------------
    Route("impact:survey_start", Access.PUBLIC, args=_token),
    Route("impact:survey_step", Access.PUBLIC, args=_token_and_language),
    # Consenting leads to the next step; nothing is stored before the last page.
    Route(
        "impact:survey_step",
        Access.PUBLIC,
        method="POST",
        args=_token_and_language,
        data=_consent_step,
    ),
    Route("impact:survey_thanks", Access.PUBLIC, args=_token_and_language),
    # The optional address for a reminder: whoever holds the signed token of the answers.
    Route(
        "impact:survey_thanks",
        Access.PUBLIC,
        method="POST",
        args=_pre_token_and_language,
        data=_reminder_address,
    ),
    Route("impact:withdraw", Access.PUBLIC),
    # Withdrawing is idempotent: every visitor naming the same facts gets the confirmation.
    Route("impact:withdraw", Access.PUBLIC, method="POST", data=_withdrawal),
    # --- API -------------------------------------------------------------------------------
    Route("api:framework_list", Access.SIGNED_IN),
    Route(
        "api:indicator_list",
        Access.SIGNED_IN,
        args=_api_framework_id,
        overrides=NOT_FOR_STAKEHOLDERS,
    ),
    Route(
        "api:indicator_create",
        Access.NETWORK_STAFF,
        method="POST",
        ok=201,
        args=_api_framework_id,
        data=_api_indicator,
        overrides=MEMBERS_MAY_NOT_CHANGE,
    ),
    Route(
        "api:instrument_list",
        Access.SIGNED_IN,
        args=_api_framework_id,
        overrides=NOT_FOR_STAKEHOLDERS,
    ),
    Route(
        "api:instrument_detail",
        Access.SIGNED_IN,
        args=_api_instrument_id,
        overrides=NOT_FOR_STAKEHOLDERS,
    ),
    # Everyone's list holds the rounds they may see.
    Route("api:round_list", Access.SIGNED_IN),
    Route(
        "api:round_create",
        Access.ORG_WRITE,
        method="POST",
        ok=201,
        args=_api_activity_id,
        data=_api_next_round,
        tenant_scoped=True,
    ),
    # The public submission: no account needed; each request is a new submission.
    Route(
        "api:response_create",
        Access.PUBLIC,
        method="POST",
        ok=201,
        args=_token,
        data=_api_submission,
    ),
    Route(
        "api:response_list",
        Access.ORG_READ,
        args=_api_round_id,
        tenant_scoped=True,
        overrides=NO_RAW_ANSWERS_FOR_ANALYSTS,
    ),
    # The files of app submissions: for those who read the round's raw answers.
    Route(
        "api:attachment_download",
        Access.ORG_READ,
        args=_api_attachment_id,
        tenant_scoped=True,
        overrides=NO_RAW_ANSWERS_FOR_ANALYSTS,
    ),
    Route(
        "api:import_create",
        Access.ORG_WRITE,
        method="POST",
        ok=201,
        args=_api_round_id,
        data=_api_responses_upload,
        tenant_scoped=True,
        multipart=True,
    ),
    Route("api:import_detail", Access.ORG_READ, args=_api_import_id, tenant_scoped=True),
    # XLSForms: every member may download an instrument's; only network staff import one.
    Route(
        "api:instrument_xlsform_export",
        Access.SIGNED_IN,
        args=_api_instrument_id,
        overrides=NOT_FOR_STAKEHOLDERS,
    ),
    Route(
        "api:instrument_import_create",
        Access.NETWORK_STAFF,
        method="POST",
        ok=201,
        args=_api_instrument_id,
        data=_xlsform_upload,
        overrides=MEMBERS_MAY_NOT_CHANGE,
        multipart=True,
    ),
    Route(
        "api:import_confirm_endpoint",
        Access.ORG_WRITE,
        method="POST",
        args=_api_import_id,
        data=lambda world, tenant: {},
        tenant_scoped=True,
    ),
]

"""Permission checks live in the services (docs/architecture.md, "Who checks permissions"):
every public function of a ``services`` module takes the ``actor`` as a keyword argument and
asks an access function — itself or through a private helper of its module — so a page, the
API, a task or a command calling it is checked the same way.

``UNCHECKED`` lists what does not (yet) hold, each with its reason; it may only shrink.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Names that are access functions: the Viewer's and every <entity>_get_for_user / _check.
ACCESS_CALLS = {"viewer_for", "require_staff", "can_update_action", "activity_check"}


def _is_access_call(name: str) -> bool:
    return (
        name in ACCESS_CALLS
        or name.startswith(("require_", "can_"))
        or name.endswith(("_get_for_user", "_check"))
    )


NOT_WRITES = {
    # Pure helpers that live beside the writes they serve; they change nothing.
    "campaigns/services/base.py::require_staff",
    "campaigns/services/campaigns.py::activity_check_themes",
    "campaigns/services/campaigns.py::activity_validate",
    "directory/services/member_import.py::directory_import_check",
    "impact/services/response_batches.py::parse_answer",
    # an import's checks and what its preview keeps of them for the confirmation (the
    # writes, responses_submit_columns, check the round)
    "impact/services/response_batches.py::responses_check_columns",
    "impact/services/response_batches.py::checked_fingerprint",
    "impact/services/response_batches.py::checked_rows_dump",
    "impact/services/response_batches.py::checked_rows_load",
    "impact/services/responses.py::clean_answers",
    "impact/services/responses.py::asks_retrospective",
    "impact/services/responses.py::round_routing",
    "impact/services/rounds.py::design_rule",
    "impact/services/rounds.py::default_window",
    "impact/services/responses.py::answered_already",
    "impact/services/responses.py::clean_value",
    "accounts/services.py::role_covers",
    "accounts/services.py::user_get_by_email",
    "consultations/services.py::new_participant_token",
    # a read beside the writes: the consultation as a participant reaches it (through
    # consultation_get_for_user)
    "consultations/services.py::consultation_for_participation",
    "accounts/services.py::api_token_allows",
    "directory/services/webhooks.py::retry_delay",
    # reads beside the co-organiser writes (the pending list on the activity page and API)
    "campaigns/services/co_organisers.py::co_organiser_ids_named",
    "campaigns/services/co_organisers.py::co_organiser_ids_pending",
    "campaigns/services/co_organisers.py::co_organising_for_user",
    # the header of a round's import template (the page checked the round)
    "impact/services/imports.py::responses_template_columns",
}
UNCHECKED = {
    # The person acts on their own account or is signing in or accepting an invitation: the
    # actor is the subject, there is nobody else to check (accounts, being reworked for the
    # invitations of issue 13.2).
    "accounts/services.py::user_create",
    "accounts/services.py::membership_grant",
    "accounts/services.py::invitation_get_by_token",
    "accounts/services.py::invitation_accept_new",
    # the invited account's owner, signed in with their own password (the service compares
    # the actor with the invited account; nobody else may accept)
    "accounts/services.py::invitation_accept_existing",
    # a completed password reset or a successful sign-in clears the failures it proves wrong
    "accounts/services.py::login_failures_clear",
    "accounts/services.py::session_authenticate",
    "accounts/services.py::account_export",
    "accounts/services.py::account_erase",
    "accounts/services.py::invitation_email_send",
    # the secret is the credential: nobody is signed in yet (the token it finds is the actor)
    "accounts/services.py::api_token_authenticate",
    # The system's own work (tasks, after-commit scheduling), never called for a person.
    "impact/services/analytics.py::analytics_refresh_soon",
    "impact/services/analytics.py::analytics_rebuild",
    "impact/services/analytics.py::analytics_snapshot_store",
    # The synthesis task's own work, for no one (the request was checked).
    "consultations/services.py::synthesis_execute",
    # Webhook events are emitted by the services where they happen (already checked there)
    # and delivered by the task worker, for no one.
    "directory/services/webhooks.py::webhook_emit",
    "directory/services/webhooks.py::webhook_attempt",
    # The periodic sweep queues stuck deliveries again, for no one (a command, no caller).
    "directory/services/webhooks.py::webhook_requeue_stuck",
    # Respondents are anonymous: the round's token is their right (issue 13.4-13.6 rework).
    "impact/services/responses.py::response_submit",
    "impact/services/responses.py::respondent_withdraw",
    # the respondent leaves their own address after answering (the service checks that they
    # answered the round); the reminders are the task's own work, for no one
    "impact/services/reminders.py::follow_up_contact_give",
    "impact/services/reminders.py::follow_up_reminders_send",
    # the one audited write path the campaigns services share: each caller (programme,
    # campaign, theme and strategy services) asks require_staff before handing it a record
    "campaigns/services/base.py::write_record",
}


def _calls(node: ast.AST) -> set[str]:
    names = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            func = inner.func
            if isinstance(func, ast.Attribute):
                names.add(func.attr)
            elif isinstance(func, ast.Name):
                names.add(func.id)
    return names


def _offenders(source: str, label: str) -> list[str]:
    tree = ast.parse(source)
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}

    def checks(name: str, seen: frozenset[str] = frozenset()) -> bool:
        calls = _calls(functions[name])
        if any(_is_access_call(call) for call in calls):
            return True
        helpers = {call for call in calls if call in functions and call not in seen}
        return any(checks(helper, seen | {name}) for helper in helpers)

    found = []
    for name, node in functions.items():
        if name.startswith("_"):
            continue
        takes_actor = "actor" in [argument.arg for argument in node.args.kwonlyargs]
        if not (takes_actor and checks(name)):
            found.append(f"{label}::{name}")
    return found


def _service_modules() -> list[tuple[str, Path]]:
    modules = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        if parts[1:2] == ("services",) or (len(parts) == 2 and path.stem == "services"):
            modules.append(("/".join(parts), path))
    return modules


def test_every_public_service_takes_the_actor_and_asks_an_access_function() -> None:
    found = {
        offender
        for label, path in _service_modules()
        for offender in _offenders(path.read_text(), label)
    }
    assert found - NOT_WRITES - UNCHECKED == set()


def test_the_unchecked_list_only_names_services_that_exist_and_still_fail() -> None:
    found = {
        offender
        for label, path in _service_modules()
        for offender in _offenders(path.read_text(), label)
    }
    assert (NOT_WRITES | UNCHECKED) - found == set()


def test_a_service_without_a_check_is_found() -> None:
    source = """
def _helper(actor):
    return viewer_for(actor)

def thing_update(*, actor, thing):
    thing.save()

def thing_delete(*, actor, thing):
    _helper(actor)

def thing_publish(thing):
    require_staff(None)
"""
    assert _offenders(source, "x.py") == ["x.py::thing_update", "x.py::thing_publish"]

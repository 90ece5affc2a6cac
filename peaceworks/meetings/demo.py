"""The demo's meetings: the five-day Network Coordinators Meeting in Paris (April 2026) with
its workshops, the #IVS4Peace partnership meeting and the meeting with an agency adviser;
approved minutes (one corrected by a revision, one still a draft), eight decisions linked to
the 2027-2028 plan, and action items in every state. Fixed dates; built through the services;
running it again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.core.files.uploadedfile import SimpleUploadedFile

from peaceworks.accounts.models import Membership, User
from peaceworks.campaigns.models import Action, Campaign, Goal, Objective, Plan, Reflection
from peaceworks.consultations.demo import SLUG as CONSULTATION_SLUG
from peaceworks.consultations.models import Consultation
from peaceworks.directory.models import Organisation, Stakeholder
from peaceworks.impact.models import Framework
from peaceworks.meetings.models import Decision, Meeting, Participant, Session
from peaceworks.meetings.services import (
    StrategyItemSpec,
    action_item_create,
    decision_create,
    decision_create_strategy_item,
    decision_link_strategy,
    meeting_create,
    meeting_engagement_update,
    minutes_approve,
    minutes_draft,
    minutes_revise,
    participant_add,
    session_create,
)
from peaceworks.meetings.services.documents import session_document_add

SHORT_NAME = "Paris 2026"


@dataclass(frozen=True)
class MeetingsDemo:
    meeting: Meeting | None
    stakeholder_meeting: Meeting | None


# (day, start, end, title, kind, facilitator, opens)
SESSIONS = [
    (
        13,
        time(9, 30),
        time(12, 30),
        "Opening plenary and the year in review",
        "plenary",
        "Network secretariat",
        "",
    ),
    (13, time(19, 0), time(22, 0), "Welcome dinner with the host organisation", "social", "", ""),
    (
        14,
        time(9, 0),
        time(17, 0),
        "Strategy workshop: the 2027-2028 campaign plan",
        "workshop",
        "Campaign team",
        "plan",
    ),
    (
        15,
        time(9, 0),
        time(13, 0),
        "Impact-measurement workshop",
        "workshop",
        "Impact working group",
        "framework",
    ),
    (
        16,
        time(9, 0),
        time(12, 30),
        "#IVS4Peace partnership meeting",
        "partnership",
        "Project coordinator",
        "",
    ),
    (
        16,
        time(14, 0),
        time(15, 30),
        "Meeting with an agency adviser",
        "stakeholder",
        "Network secretariat",
        "",
    ),
    (
        17,
        time(9, 30),
        time(12, 0),
        "Closing plenary: decisions and next steps",
        "plenary",
        "Network secretariat",
        "",
    ),
]

MINUTES = {
    "Opening plenary and the year in review": (
        "Twenty-three coordinators from fourteen countries attended.\n\n"
        "- The secretariat presented the activity figures of 2025.\n"
        "- Members asked for **shorter surveys** on phones.\n"
        "- The host organisation presented the local workcamps on housing rights."
    ),
    "Strategy workshop: the 2027-2028 campaign plan": (
        "The workshop reviewed the three goals of the draft plan.\n\n"
        "1. Reach: more workcamps and local actions on the five rights.\n"
        "2. Inclusion: a fair share of volunteers with fewer opportunities.\n"
        "3. Evidence: pre and post surveys in every activity.\n\n"
        "Groups proposed actions and owners; see decisions D2 to D6."
    ),
    "Impact-measurement workshop": (
        "The working group walked through the indicator framework and the survey rounds.\n\n"
        "- Partner forms will be collected offline with ODK Collect.\n"
        "- Small groups stay hidden in the figures (no cell below the floor)."
    ),
    "#IVS4Peace partnership meeting": (
        "Six partners of the #IVS4Peace project agreed the calendar of the second year "
        "and the social-inclusion target."
    ),
    "Meeting with an agency adviser": (
        "The adviser recommended outcome harvesting for the long-term effects and offered "
        "to review the impact report."
    ),
}


STRATEGY_WORKSHOP = "Strategy workshop: the 2027-2028 campaign plan"
PLAN_OUTLINE = """# Outline of the 2027-2028 plan

1. What the members' consultation asked for: regional facilitators, peace education.
2. Goals for 2027-2028 and the objectives under them.
3. What each member organisation takes on.
"""


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def seed() -> MeetingsDemo:
    """Build the demo meetings once (after the directory, accounts, campaigns and impact
    demos)."""
    existing = Meeting.objects.filter(short_name=SHORT_NAME).first()
    if existing is not None:
        return MeetingsDemo(existing, Meeting.objects.filter(meeting_type="stakeholder").first())
    chair = _user("coordinator@peaceworks.test")
    note_taker = _user("org.member@peaceworks.test")
    member_coordinator = _user("org.coordinator@peaceworks.test")
    other_coordinator = _user("other.coordinator@peaceworks.test")
    campaign = Campaign.objects.filter(code="rpc").first()
    plan = Plan.objects.filter(campaign=campaign).order_by("start_year").first()
    if (
        chair is None
        or note_taker is None
        or member_coordinator is None
        or other_coordinator is None
        or plan is None
    ):
        return MeetingsDemo(None, None)
    secretariat = Organisation.objects.filter(is_secretariat=True).first()
    meeting = meeting_create(
        actor=chair,
        values={
            "title": "Network Coordinators Meeting, Paris 2026",
            "short_name": SHORT_NAME,
            "meeting_type": Meeting.Type.COORDINATORS,
            "start_date": date(2026, 4, 13),
            "end_date": date(2026, 4, 17),
            "time_zone": "Europe/Paris",
            "place": "Paris, France",
            "description": "Five days of the network's coordinators: strategy, impact "
            "measurement, partnerships and a meeting with an external adviser.",
            "host_organisation": secretariat,
            "campaign": campaign,
        },
    )
    for user, role, attendance in [
        (chair, Participant.Role.CHAIR, Participant.Attendance.PRESENT),
        (note_taker, Participant.Role.NOTE_TAKER, Participant.Attendance.PRESENT),
        (member_coordinator, Participant.Role.PARTICIPANT, Participant.Attendance.PRESENT),
        (other_coordinator, Participant.Role.PARTICIPANT, Participant.Attendance.REMOTE),
    ]:
        participant_add(
            actor=chair,
            meeting=meeting,
            values={"user": user, "role": role, "attendance": attendance, "rsvp": "accepted"},
        )
    participant_add(
        actor=chair,
        meeting=meeting,
        values={
            "name": "Amina Diallo",
            "represents": "UN System Staff College (fictional contact)",
            "role": Participant.Role.GUEST,
            "attendance": Participant.Attendance.PRESENT,
        },
    )
    framework = Framework.objects.filter(campaign=campaign).first()
    # the members' consultation the strategy workshop discussed (when its demo ran first)
    consultation = Consultation.objects.filter(slug=CONSULTATION_SLUG).first()
    sessions: dict[str, Session] = {}
    for day, start, end, title, kind, facilitator, opens in SESSIONS:
        sessions[title] = session_create(
            actor=chair,
            meeting=meeting,
            values={
                "day": date(2026, 4, day),
                "start_time": start,
                "end_time": end,
                "title": title,
                "kind": kind,
                "facilitator": facilitator,
                "plan": plan if opens == "plan" else None,
                "framework": framework if opens == "framework" else None,
                "consultation": consultation if opens == "plan" else None,
            },
        )
    session_document_add(
        actor=chair,
        session=sessions[STRATEGY_WORKSHOP],
        title="Outline of the 2027-2028 plan",
        file=SimpleUploadedFile("plan-outline.md", PLAN_OUTLINE.encode(), "text/markdown"),
    )
    for title, body in MINUTES.items():
        draft = minutes_draft(actor=note_taker, session=sessions[title], body=body)
        if title != "Meeting with an agency adviser":  # still a draft, awaiting the chair
            minutes_approve(actor=chair, revision=draft)
    opening = sessions["Opening plenary and the year in review"]
    correction = minutes_revise(
        actor=note_taker,
        session=opening,
        body=MINUTES[opening.title].replace("fourteen", "fifteen"),
        reason="Fifteen countries were represented, not fourteen.",
    )
    minutes_approve(actor=chair, revision=correction)

    _decisions(chair, meeting, sessions, plan)
    _items(chair, meeting, member_coordinator, other_coordinator)
    stakeholder_meeting = _stakeholder_meeting(chair, meeting)
    return MeetingsDemo(meeting, stakeholder_meeting)


def _decisions(chair: User, meeting: Meeting, sessions: dict[str, Session], plan: Plan) -> None:
    strategy = sessions["Strategy workshop: the 2027-2028 campaign plan"]
    goals = list(Goal.objects.filter(plan=plan).order_by("number"))
    objectives = list(Objective.objects.filter(goal__plan=plan).order_by("goal__number", "number"))
    actions = list(Action.objects.filter(objective__goal__plan=plan).order_by("id"))
    experience = Reflection.objects.filter(plan=plan, kind=Reflection.Kind.EXPERIENCE).first()
    owner = Organisation.objects.filter(is_secretariat=False).order_by("id").first()

    def decide(text: str, proposed_by: str, session: Session | None = None) -> Decision:
        return decision_create(
            actor=chair,
            meeting=meeting,
            values={"text": text, "proposed_by": proposed_by, "session": session or strategy},
        )

    challenges = Reflection.objects.filter(plan=plan, kind=Reflection.Kind.CHALLENGES).first()
    future = Reflection.objects.filter(plan=plan, kind=Reflection.Kind.FUTURE).first()
    first = decide(
        "Record that travel costs and visas keep people with fewer opportunities out of workcamps.",
        "Inclusion working group",
    )
    if challenges is not None:
        decision_link_strategy(actor=chair, decision=first, item=challenges)
    decision_link_strategy(
        actor=chair,
        decision=decide("Adopt goal 1 of the plan as drafted.", "Campaign team"),
        item=goals[0],
    )
    if experience is not None:
        decision_link_strategy(
            actor=chair,
            decision=decide(
                "Follow up every short local action with a second activity.", "Host organisation"
            ),
            item=experience,
        )
    else:
        decide("Follow up every short local action with a second activity.", "Host organisation")
    decision_link_strategy(
        actor=chair,
        decision=decide("Keep objective 1.1 and raise its ambition.", "Campaign team"),
        item=objectives[0],
    )
    decision_create_strategy_item(
        actor=chair,
        decision=decide(
            "Run a Global Human Rights Week action in every member country.", "Campaign team"
        ),
        spec=StrategyItemSpec(
            kind="action",
            parent=objectives[0],
            title="Global Human Rights Week action in every member country",
            translations={
                "fr": {
                    "title": "Une action de la Semaine mondiale des droits humains dans chaque "
                    "pays membre"
                },
                "es": {
                    "title": "Una acción de la Semana Mundial de los Derechos Humanos en cada "
                    "país miembro"
                },
            },
            start_date=date(2027, 9, 1),
            due_date=date(2027, 12, 10),
            owner_organisation=owner,
        ),
    )
    decision_link_strategy(
        actor=chair,
        decision=decide(
            "Move the volunteer-survey roll-out to the first half of 2027.",
            "Impact working group",
            sessions["Impact-measurement workshop"],
        ),
        item=actions[1],
        changes={"due_date": max(actions[1].start_date, date(2027, 6, 30))},
    )
    decision_create_strategy_item(
        actor=chair,
        decision=decide(
            "Add an objective on partner organisations' own evaluation capacity.",
            "#IVS4Peace partners",
            sessions["#IVS4Peace partnership meeting"],
        ),
        spec=StrategyItemSpec(
            kind="objective",
            parent=goals[-1],
            title="Partners evaluate their own activities",
            translations={
                "fr": {"title": "Les partenaires évaluent leurs propres activités"},
                "es": {"title": "Los socios evalúan sus propias actividades"},
            },
        ),
    )
    last = decide(
        "Plan long-term follow-up with outcome harvesting, as advised.",
        "Network secretariat",
        sessions["Meeting with an agency adviser"],
    )
    if future is not None:
        # the campaigns demo keeps one reflection of each kind: the decision updates it
        decision_link_strategy(actor=chair, decision=last, item=future)


def _items(chair: User, meeting: Meeting, member: User, other: User) -> None:
    decisions = {d.number: d for d in meeting.decisions.all()}
    action = decisions[5].action
    own = Membership.objects.filter(user=member).select_related("organisation").first()
    for title, owner_user, owner_org, due, status, decision, strategy_action in [
        (
            "Circulate the approved minutes to all members",
            chair,
            None,
            date(2026, 4, 30),
            "done",
            None,
            None,
        ),
        (
            "Send the shorter survey to the pilot organisations",
            member,
            None,
            date(2026, 5, 15),
            "in_progress",
            decisions[6],
            None,
        ),
        (
            "Name a Global Human Rights Week contact in every country",
            None,
            own.organisation if own else None,
            date(2026, 6, 30),
            "open",
            decisions[5],
            action,
        ),
        (
            "Draft the visa support letter template",
            other,
            None,
            date(2026, 5, 31),
            "open",
            decisions[1],
            None,
        ),
        ("Book the 2027 meeting venue", chair, None, date(2026, 12, 15), "open", None, None),
        (
            "Translate the facilitator guide into Arabic",
            member,
            None,
            date(2026, 5, 10),
            "cancelled",
            None,
            None,
        ),
    ]:
        action_item_create(
            actor=chair,
            meeting=meeting,
            values={
                "title": title,
                "owner_user": owner_user,
                "owner_organisation": owner_org,
                "due_date": due,
                "status": status,
                "decision": decision,
                "strategy_action": strategy_action,
            },
        )


def _stakeholder_meeting(chair: User, coordinators: Meeting) -> Meeting | None:
    adviser = Stakeholder.objects.filter(code="un-staff-college").first()
    if adviser is None:
        return None
    meeting = meeting_create(
        actor=chair,
        values={
            "title": "Meeting with the UN System Staff College adviser",
            "short_name": "UNSSC 2026",
            "meeting_type": Meeting.Type.STAKEHOLDER,
            "start_date": date(2026, 4, 16),
            "end_date": date(2026, 4, 16),
            "time_zone": "Europe/Paris",
            "place": "Paris, France",
            "previous_meeting": coordinators,
        },
        stakeholders=[adviser],
    )
    meeting_engagement_update(
        actor=chair,
        meeting=meeting,
        people="Amina Diallo (adviser); the network secretariat",
        advice_received="Use outcome harvesting for long-term effects; keep surveys short.",
        commitments="The adviser reviews the draft impact report in September.",
    )
    return meeting

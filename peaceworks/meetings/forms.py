"""Forms of the meeting pages; the services decide, the forms only read the input."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Action, Campaign, Goal, Objective, Plan, Reflection
from peaceworks.consultations.models import Consultation
from peaceworks.directory.models import Organisation, Stakeholder
from peaceworks.impact.models import Framework
from peaceworks.meetings.models import ActionItem, Decision, Meeting, Participant, Session

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # ISO in every language
_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _choices(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    cast(forms.ModelChoiceField[Any], form.fields[name]).queryset = queryset


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    short_name = forms.CharField(
        label=_("Short name"),
        max_length=60,
        help_text=_('Used to number decisions, for example "Paris 2026".'),
    )
    meeting_type = forms.ChoiceField(label=_("Type"), choices=Meeting.Type.choices)
    start_date = forms.DateField(label=_("First day"), widget=_DATE)
    end_date = forms.DateField(label=_("Last day"), widget=_DATE)
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        initial="Europe/Paris",
        help_text=_("IANA name, for example Europe/Paris."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    host_organisation = forms.ModelChoiceField(
        label=_("Host organisation"), queryset=Organisation.objects.none(), required=False
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign or project"), queryset=Campaign.objects.none(), required=False
    )
    stakeholders = forms.ModelMultipleChoiceField(
        label=_("Stakeholders"),
        queryset=Stakeholder.objects.none(),
        required=False,
        help_text=_("A stakeholder meeting is written in each one's engagement log."),
    )
    previous_meeting = forms.ModelChoiceField(
        label=_("Previous meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("Its open action items are shown on this meeting's agenda."),
    )

    def __init__(self, *args: Any, exclude_pk: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "host_organisation", Organisation.objects.order_by("name"))
        _choices(self, "campaign", Campaign.objects.order_by("name"))
        _choices(self, "stakeholders", Stakeholder.objects.order_by("name"))
        meetings = Meeting.objects.all()
        if exclude_pk is not None:
            meetings = meetings.exclude(pk=exclude_pk)
        _choices(self, "previous_meeting", meetings)


class ParticipantForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person with an account"), queryset=User.objects.none(), required=False
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        help_text=_("For a person without an account."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation represented"), queryset=Organisation.objects.none(), required=False
    )
    represents = forms.CharField(label=_("Other body represented"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Participant.Role.choices)
    attendance = forms.ChoiceField(label=_("Attendance"), choices=Participant.Attendance.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "user", User.objects.filter(is_active=True).order_by("email"))
        _choices(self, "organisation", Organisation.objects.order_by("name"))


class SessionForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=_DATE)
    start_time = forms.TimeField(label=_("Starts"), widget=_TIME)
    end_time = forms.TimeField(label=_("Ends"), widget=_TIME)
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Session.Kind.choices)
    facilitator = forms.CharField(label=_("Facilitator"), max_length=150, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    plan = forms.ModelChoiceField(
        label=_("Strategy plan worked on"), queryset=Plan.objects.none(), required=False
    )
    framework = forms.ModelChoiceField(
        label=_("Indicator framework worked on"),
        queryset=Framework.objects.none(),
        required=False,
    )
    consultation = forms.ModelChoiceField(
        label=_("Consultation discussed"),
        queryset=Consultation.objects.none(),
        required=False,
        help_text=_("The consultation's page lists the sessions that discussed it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "plan", Plan.objects.select_related("campaign"))
        _choices(self, "framework", Framework.objects.all())
        _choices(self, "consultation", Consultation.objects.order_by("title"))


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the file name."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, office document, text, CSV or picture."),
    )


class MinutesForm(forms.Form):
    body = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown: **bold**, *italic*, lists with -, links."),
        max_length=100_000,
    )


class RevisionForm(MinutesForm):
    reason = forms.CharField(label=_("What the revision corrects"), max_length=300)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 4}))
    proposed_by = forms.CharField(label=_("Proposed by"), max_length=200, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Decision.Outcome.choices)
    session = forms.ModelChoiceField(
        label=_("Session"), queryset=Session.objects.none(), required=False
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "session", meeting.sessions.all())


class StrategyItemForm(forms.Form):
    """What a decision creates in the strategy."""

    KINDS = [
        ("action", _("Action")),
        ("objective", _("Objective")),
        ("goal", _("Goal")),
        ("reflection", _("Reflection")),
    ]
    kind = forms.ChoiceField(label=_("Create"), choices=KINDS)
    title = forms.CharField(label=_("Title or text"), max_length=300)
    objective = forms.ModelChoiceField(
        label=_("Under the objective (an action)"),
        queryset=Objective.objects.none(),
        required=False,
    )
    goal = forms.ModelChoiceField(
        label=_("Under the goal (an objective)"), queryset=Goal.objects.none(), required=False
    )
    plan = forms.ModelChoiceField(
        label=_("In the plan (a goal or a reflection)"),
        queryset=Plan.objects.none(),
        required=False,
    )
    reflection_kind = forms.ChoiceField(
        label=_("Kind of reflection"), choices=Reflection.Kind.choices, required=False
    )
    owner_organisation = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organisation.objects.none(), required=False
    )
    owner_user = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False
    )
    start_date = forms.DateField(label=_("Start date"), widget=_DATE, required=False)
    due_date = forms.DateField(label=_("Due date"), widget=_DATE, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "objective", Objective.objects.select_related("goal__plan"))
        _choices(self, "goal", Goal.objects.select_related("plan"))
        _choices(self, "plan", Plan.objects.all())
        _choices(self, "owner_organisation", Organisation.objects.order_by("name"))
        _choices(self, "owner_user", User.objects.filter(is_active=True).order_by("email"))


class StrategyLinkForm(forms.Form):
    """An existing strategy item the decision updated."""

    action = forms.ModelChoiceField(
        label=_("Action"), queryset=Action.objects.none(), required=False
    )
    objective = forms.ModelChoiceField(
        label=_("Objective"), queryset=Objective.objects.none(), required=False
    )
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none(), required=False)
    reflection = forms.ModelChoiceField(
        label=_("Reflection"), queryset=Reflection.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "action", Action.objects.all())
        _choices(self, "objective", Objective.objects.all())
        _choices(self, "goal", Goal.objects.all())
        _choices(self, "reflection", Reflection.objects.all())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [name for name in ("action", "objective", "goal", "reflection") if data.get(name)]
        if len(chosen) != 1:
            raise forms.ValidationError(_("Choose exactly one item of the strategy."))
        return data


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("What is to be done"), max_length=300)
    owner_user = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False
    )
    owner_organisation = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organisation.objects.none(), required=False
    )
    due_date = forms.DateField(label=_("Due date"), widget=_DATE)
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    decision = forms.ModelChoiceField(
        label=_("Decision"), queryset=Decision.objects.none(), required=False
    )
    strategy_action = forms.ModelChoiceField(
        label=_("Strategy action"), queryset=Action.objects.none(), required=False
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "owner_user", User.objects.filter(is_active=True).order_by("email"))
        _choices(self, "owner_organisation", Organisation.objects.order_by("name"))
        _choices(self, "decision", meeting.decisions.select_related("meeting"))
        _choices(self, "strategy_action", Action.objects.all())


class ItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)


class EngagementForm(forms.Form):
    people = forms.CharField(label=_("Who took part"), widget=forms.Textarea, required=False)
    advice_received = forms.CharField(
        label=_("Advice received"), widget=forms.Textarea, required=False
    )
    commitments = forms.CharField(
        label=_("Commitments made"), widget=forms.Textarea, required=False
    )

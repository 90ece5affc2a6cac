"""Strategy progress: pure roll-up from actions to objectives, goals and the plan.

Progress is the mean progress of the actions underneath, weighted by action: a goal with one
objective of three actions and one of a single action averages the four actions, not the two
objective means. Cancelled actions are left out. An item without actions has no progress
(``None``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from peaceworks.campaigns.models import Action

#: an open action is at risk when the share of its time already used exceeds its progress by
#: more than this many percentage points
AT_RISK_GAP = 25
_CLOSED = frozenset({Action.Status.DONE, Action.Status.CANCELLED})


@dataclass(frozen=True)
class ActionState:
    id: int
    progress: int
    status: str
    start_date: date
    due_date: date

    def is_overdue(self, today: date) -> bool:
        return self.status not in _CLOSED and self.due_date < today

    def is_at_risk(self, today: date) -> bool:
        """Blocked, or behind schedule by more than :data:`AT_RISK_GAP` points (not overdue)."""
        if self.status in _CLOSED or self.is_overdue(today):
            return False
        if self.status == Action.Status.BLOCKED:
            return True
        span = (self.due_date - self.start_date).days or 1
        used = min(max((today - self.start_date).days, 0), span) * 100 / span
        return used - self.progress > AT_RISK_GAP


@dataclass(frozen=True)
class Rollup:
    progress: Decimal | None
    actions: int
    overdue: int
    at_risk: int


def rollup(actions: Iterable[ActionState], *, today: date) -> Rollup:
    """Mean progress over the (not cancelled) actions, with overdue and at-risk counts."""
    counted: Sequence[ActionState] = [
        action for action in actions if action.status != Action.Status.CANCELLED
    ]
    progress = (
        (Decimal(sum(action.progress for action in counted)) / len(counted)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        if counted
        else None
    )
    return Rollup(
        progress=progress,
        actions=len(counted),
        overdue=sum(1 for action in counted if action.is_overdue(today)),
        at_risk=sum(1 for action in counted if action.is_at_risk(today)),
    )


def action_state(action: Action) -> ActionState:
    return ActionState(
        id=action.pk,
        progress=action.progress,
        status=action.status,
        start_date=action.start_date,
        due_date=action.due_date,
    )

"""What a reader may see of a stored opinion-groups result: the product's small-cell rule.

Opinion groups are cells of people, so their sizes follow the rule of every other figure
(``peaceworks.impact.analytics.suppression``, floors in code): a group of fewer than the floor
is shown as "fewer than N" (``floor_for``: coordinators' views inside the network, the published
floor in anything published, such as the draft). Complementary suppression hides the smallest
other group too when one group alone would be hidden, so a hidden size never follows from the
total of participants placed in groups minus the sizes shown.

A hidden group also loses every number that would count its members: the agree rates of its
representative statements, and its participants' points on the scatter plot (counting them
would give its size back). A visible group's agree rate on a statement that fewer than the
floor of its members voted on is hidden as well (a small cell of its own). The engine's full
output (one label per participant) never leaves the stored run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from peaceworks.impact.analytics.suppression import suppress

#: the keys of a stored groups result a reader gets (the engine's raw output is left out)
READER_KEYS = ("k", "silhouette", "min_votes", "set_aside", "statements")


def hidden_groups(sizes: list[int], *, floor: int) -> list[bool]:
    """Which groups to hide at ``floor``: primary (size under the floor) and complementary
    (never exactly one hidden among non-empty groups), by impact's ``suppress``."""
    if not sizes:
        return []
    counts = np.asarray([sizes], dtype=np.float64)
    codes = np.arange(len(sizes), dtype=np.int64)[:, None]
    mask = suppress(counts, codes, (len(sizes),), floor)
    return [bool(hidden) for hidden in mask[0]]


def protect_groups(result: Mapping[str, Any], *, floor: int) -> dict[str, Any]:
    """A copy of a stored groups ``result`` fit for a reader at ``floor``.

    Each group gets ``suppressed`` (bool) and ``size`` (None when suppressed); representatives
    keep their statement and direction, with ``agree_rate`` None where it would count fewer
    than ``floor`` people; points of suppressed groups are left out; ``floor`` says the rule.
    """
    groups = list(result.get("groups") or [])
    hidden = hidden_groups([int(g.get("size") or 0) for g in groups], floor=floor)
    protected_groups = []
    hidden_indexes = set()
    for group, is_hidden in zip(groups, hidden, strict=True):
        if is_hidden:
            hidden_indexes.add(int(group.get("group", 0)))
        representatives = []
        for rep in group.get("representatives") or []:
            votes = rep.get("votes")
            small = is_hidden or votes is None or int(votes) < floor
            representatives.append(
                {
                    "statement": rep.get("statement", ""),
                    "direction": rep.get("direction", "agree"),
                    "text": rep.get("text", ""),
                    "agree_rate": None if small else rep.get("agree_rate"),
                }
            )
        protected_groups.append(
            {
                "group": int(group.get("group", 0)),
                "size": None if is_hidden else int(group.get("size") or 0),
                "suppressed": is_hidden,
                "representatives": representatives,
            }
        )
    points = [
        {key: point[key] for key in ("label", "x", "y", "group") if key in point}
        for point in result.get("points") or []
        if int(point.get("group", 0)) not in hidden_indexes
    ]
    out = {key: result[key] for key in READER_KEYS if key in result}
    out.update({"groups": protected_groups, "points": points, "floor": floor})
    return out

"""Every published cell of a demo, recomputed from the raw export alone.

The demo is the project's own demo seeding (``impact.demo.seed``) run on a smaller, seeded
campaign than ``seed_demo`` builds (16 activities of three organisations in three networks, one
organisation in two; multi-theme activities; short activities with retrospective baselines), plus
a few edge cases written directly: "prefer not to say", a post answered twice, a withdrawal.

The reference below reads only the three export resources — the responses CSV, the activities
CSV and the data dictionary — with the csv module, numpy and scipy, following
docs/statistics.md. It never calls the engine. What the API gives a network coordinator, a
member organisation's coordinator and a stakeholder must match to 1e-9, counts exactly, hidden
cells carrying no number:

- the total and every single dimension, for every indicator, as each of the three roles;
- every pair of dimensions (every two-way grouping the API offers), as each of the three roles,
  each pair for one indicator of a deterministic sample that holds every kind (an item and a
  scale, of a theme module and asked of everyone), rotating so the roles see different kinds;
- every filtered view (one grouping and one filter, in both orders), split across the three
  roles and rotating through the indicators and the filter's labels.

Groupings a role may not request (organisations, for member coordinators and stakeholders) may
be refused (404 or 422) and are then skipped. Every pair for every indicator would multiply
the API calls by the number of indicators.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from itertools import combinations, permutations
from typing import Any

import numpy as np
import pytest
from django.utils import timezone
from scipy import stats

from peaceworks.campaigns.models import Activity, Campaign
from peaceworks.directory.models import Affiliation, Network, Organisation
from peaceworks.impact import demo
from peaceworks.impact.analytics import DIMENSIONS
from peaceworks.impact.models import Respondent, Response, Round
from peaceworks.impact.services import analytics_rebuild

API = "/api/v1/impact"
TOL = 1e-9
FO_CATEGORIES = (
    "disability",
    "health",
    "education",
    "cultural",
    "social",
    "economic",
    "discrimination",
    "geographical",
)
RESPONDENT_DIMENSIONS = (
    "gender",
    "age_band",
    "role",
    "residence_country",
    "first_experience",
)


# The demo --------------------------------------------------------------------------------------


def register_activities(
    make_activity: Callable[..., Activity],
    count: int,
    hosts: Sequence[Organisation],
    countries: Sequence[str],
) -> None:
    """``count`` activities of one or two themes in two years, every third a short one (its
    baseline asked after the activity), hosts and countries taken in turn."""
    today = timezone.localdate()
    for number in range(count):
        days = 14 if number % 3 else 4  # short ones: retrospective baselines
        start = today - timedelta(days=400 * (number % 2) + 60 + number)
        make_activity(
            days=days,
            themes=tuple({1 + number % 5, 1 + (number + 2) % 5})[: 1 + number % 2],
            start_date=start,
            end_date=start + timedelta(days=days - 1),
            country=countries[number % len(countries)],
            host_organisation=hosts[number % len(hosts)],
            international_volunteers=14,
            local_volunteers=4,
        )


@pytest.fixture
def world(
    campaign: Campaign,
    make_activity: Callable[..., Activity],
    organisation: Organisation,
    other_organisation: Organisation,
    make_organisation: Callable[..., Organisation],
) -> Campaign:
    third = make_organisation(name="Third", code="third", country="BR")
    networks = [
        Network.objects.create(name=name, acronym=name, code=name.lower())
        for name in ("SCI", "ALLI", "CCIVS")
    ]
    for org, nets in ((organisation, (0, 1)), (other_organisation, (1,)), (third, (2,))):
        for n in nets:
            Affiliation.objects.create(organisation=org, network=networks[n])
    register_activities(
        make_activity,
        16,
        (organisation, other_organisation, third),
        ("KE", "BE", "PE", "DE", "GH", "IN"),
    )
    demo.seed(random.Random(11))
    posts = list(Response.objects.filter(round__kind=Round.Kind.POST).order_by("pk"))
    for response in posts[:7]:  # "prefer not to say", sometimes beside a category
        response.answers = {**response.answers, "fewer_opportunities": ["prefer_not", "health"]}
        response.save(update_fields=["answers", "scores", "profile"])
    late = posts[8]  # the same post answered again later: the later one counts
    Response.objects.create(
        round=late.round,
        respondent=late.respondent,
        instrument_version=late.instrument_version,
        language="en",
        answers={**late.answers, "c_teamwork": 1},
        then_answers=late.then_answers,
        payload_hash=uuid.uuid4().hex,
        consent_version=late.consent_version,
        source=Response.Source.IMPORT,
        submitted_at=late.submitted_at + timedelta(hours=1),
    )
    # a withdrawal (the service needs the person's code, which the demo does not keep)
    Respondent.objects.filter(pk=int(posts[9].respondent_id or 0)).update(
        withdrawn_at=timezone.now()
    )
    campaign.is_published = True
    campaign.save(update_fields=["is_published"])
    analytics_rebuild(campaign_id=campaign.pk)
    return campaign


# The export, read back -------------------------------------------------------------------------


def _csv(client: Any, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _value(text: str) -> str:
    """The export neutralises cells a spreadsheet would run as formulas with a leading "'"."""
    return text[1:] if text[:2] in ("'=", "'+", "'-", "'@") else text


def _score(text: str | None) -> int | None:
    return int(text) if text in ("1", "2", "3", "4", "5") else None


class Reference:
    """Respondents as the export describes them, and every statistic of docs/statistics.md."""

    def __init__(
        self,
        responses: list[dict[str, str]],
        activities: list[dict[str, str]],
        package: Mapping[str, Any],
    ) -> None:
        self.package = package
        self.activities = {row["activity"]: row for row in activities}
        self.indicators = {row["code"]: row for row in package["indicators"]}
        lines: dict[tuple[str, str, str], dict[str, dict[str, str]]] = defaultdict(
            lambda: {"answer": {}, "then": {}}
        )
        activity_of: dict[str, str] = {}
        for row in responses:
            key = (row["respondent"], row["round"], row["submitted_at"])
            lines[key][row["part"]][row["question"]] = _value(row["answer"])
            activity_of[row["respondent"]] = row["activity"]
        latest: dict[tuple[str, str], tuple[str, dict[str, dict[str, str]]]] = {}
        for (respondent, kind, submitted), parts in lines.items():
            if kind not in ("pre", "post"):
                continue
            seen = latest.get((respondent, kind))
            if seen is None or submitted >= seen[0]:
                latest[(respondent, kind)] = (submitted, parts)
        self.people = []
        for respondent in sorted(activity_of):
            pre = latest.get((respondent, "pre"), ("", {"answer": {}, "then": {}}))[1]
            post = latest.get((respondent, "post"), ("", {"answer": {}, "then": {}}))[1]
            if not (pre["answer"] or post["answer"] or post["then"]):
                continue
            self.people.append(self._person(activity_of[respondent], pre, post))

    def _person(
        self, activity: str, pre: Mapping[str, Any], post: Mapping[str, Any]
    ) -> dict[str, Any]:
        row = self.activities[activity]
        labels: dict[str, set[str | None]] = {
            "campaign": {row["campaign"]},
            "year": {row["year"] or None},
            "region": {row["region"] or None},
            "country": {row["country"] or None},
            "organisation": {row["organisation"]},
            "activity_type": {row["activity_type"]},
            "duration_band": {row["duration_band"] or None},
            "theme": set(filter(None, row["themes"].split(";"))) or {None},
            "network": set(filter(None, row["networks"].split(";"))) or {None},
        }
        said = {
            code: (pre["answer"].get(code) or post["answer"].get(code) or None)
            for code in (*RESPONDENT_DIMENSIONS, "fewer_opportunities")
        }
        for name in RESPONDENT_DIMENSIONS:
            labels[name] = {said[name]}
        chosen = said["fewer_opportunities"].split(";") if said["fewer_opportunities"] else []
        categories = [c for c in chosen if c in FO_CATEGORIES]
        if not chosen or "prefer_not" in chosen:
            any_label = None
        elif categories:
            any_label = "yes"
        else:
            any_label = "no" if "none" in chosen else None
        labels["fewer_opportunities"] = {any_label}
        for category in FO_CATEGORIES:
            flag = None if any_label is None else ("yes" if category in categories else "no")
            labels[f"fewer_opportunities:{category}"] = {flag}
        return {
            "activity": activity,
            "labels": labels,
            "pre": {k: _score(v) for k, v in pre["answer"].items()},
            "then": {k: _score(v) for k, v in post["then"].items()},
            "post": {k: _score(v) for k, v in post["answer"].items()},
            "attribution": _score(post["answer"].get("attribution")),
        }

    def members(self, by: Sequence[str], key: Sequence[str | None]) -> list[dict[str, Any]]:
        if not hasattr(self, "_index"):
            self._index: dict[tuple[str, str | None], set[int]] = defaultdict(set)
            for number, p in enumerate(self.people):
                for name, labels in p["labels"].items():
                    for label in labels:
                        self._index[(name, label)].add(number)
        chosen = set(range(len(self.people)))
        for name, label in zip(by, key, strict=True):
            chosen &= self._index.get((name, label), set())
        return [self.people[number] for number in sorted(chosen)]

    def values(self, indicator: str, people: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
        """(baseline, post, retrospective) per person: an item's answers or a scale's scores
        (worked out once per person and indicator: every cell of the indicator reads them)."""
        if not hasattr(self, "_values"):
            self._values: dict[str, dict[int, tuple[Any, ...]]] = {}
        if indicator not in self._values:
            self._values[indicator] = {
                id(p): row
                for p, row in zip(self.people, self._values_of(indicator, self.people), strict=True)
            }
        of_people = self._values[indicator]
        return [of_people[id(p)] for p in people]

    def _values_of(self, indicator: str, people: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
        spec = self.indicators[indicator]
        items = spec["items"]
        out = []
        for p in people:
            if not spec["scale"]:
                (item,) = items
                before = p["pre"].get(item)
                retro = before is None and p["then"].get(item) is not None
                out.append((before if not retro else p["then"][item], p["post"].get(item), retro))
                continue
            from_pre = [p["pre"].get(i) for i in items]
            retro = not any(v is not None for v in from_pre)
            base = [p["then"].get(i) for i in items] if retro else from_pre
            has_then = any(v is not None for v in base)
            out.append(
                (
                    _scale(base),
                    _scale([p["post"].get(i) for i in items]),
                    retro and has_then,
                )
            )
        return out

    def registered(self, by: Sequence[str], key: Sequence[str | None]) -> int | None:
        activity_dims = {
            "campaign",
            "theme",
            "year",
            "region",
            "country",
            "organisation",
            "activity_type",
            "duration_band",
            "network",
        }
        if any(name not in activity_dims for name in by):
            return None
        if not hasattr(self, "_activity_labels"):  # an activity's labels, worked out once
            self._activity_labels = [
                (self._person(row["activity"], _EMPTY, _EMPTY)["labels"], row)
                for row in self.activities.values()
            ]
        total = 0
        for labels, row in self._activity_labels:
            if all(label in labels[n] for n, label in zip(by, key, strict=True)):
                total += int(row["volunteers_registered"])
        return total

    def expected(
        self, indicator: str, by: Sequence[str], key: Sequence[str | None]
    ) -> dict[str, Any]:
        """``expected`` once per cell: the three roles and the filtered views share cells."""
        if not hasattr(self, "_memo"):
            self._memo: dict[tuple[Any, ...], dict[str, Any]] = {}
        memo = (indicator, tuple(by), tuple(key))
        if memo not in self._memo:
            self._memo[memo] = expected(self, indicator, by, key)
        return self._memo[memo]


_EMPTY: dict[str, dict[str, str]] = {"answer": {}, "then": {}}


def _scale(values: Sequence[int | None]) -> float | None:
    answered = [v for v in values if v is not None]
    if 3 * len(answered) < 2 * len(values):
        return None
    return sum(answered) / len(answered)


@functools.cache
def _t975(df: int) -> float:
    """The t quantile of a 95 % interval (asked for again and again with the same pairs)."""
    return float(stats.t.ppf(0.975, df))


def expected(
    ref: Reference, indicator: str, by: Sequence[str], key: Sequence[Any]
) -> dict[str, Any]:
    people = ref.members(by, key)
    rows = ref.values(indicator, people)
    spec = ref.indicators[indicator]
    pre_all = [a for a, _, _ in rows if a is not None]
    post_all = [b for _, b, _ in rows if b is not None]
    pairs = [(a, b, r) for a, b, r in rows if a is not None and b is not None]
    n = len(pairs)
    attribution = [p["attribution"] for p in people if p["attribution"] is not None]
    registered = ref.registered(by, key)
    out: dict[str, Any] = {
        "n": n,
        "n_pre": len(pre_all),
        "n_post": len(post_all),
        "pairing_rate": n / len(post_all) if post_all else None,
        "response_rate": len(post_all) / registered if registered else None,
        "pct_top2_post": 100 * np.mean([b >= 4 for b in post_all]) if post_all else None,
        "ceiling": bool(np.mean([a == 5 for a in pre_all]) > 0.4) if pre_all else None,
        "mean_attribution": float(np.mean(attribution)) if attribution else None,
        "uses_retrospective": any(r for *_, r in pairs) if (pre_all or post_all) else None,
        "method": None,
        "alpha": None,
    }
    if spec["scale"]:
        complete = []
        for p in people:
            answers = [p["post"].get(i) for i in spec["items"]]
            if all(v is not None for v in answers):
                complete.append(answers)
        if len(complete) >= 30:
            x = np.array(complete, dtype=float)
            total_var = x.sum(axis=1).var(ddof=1)
            k = x.shape[1]
            if total_var > 1e-12:
                out["alpha"] = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total_var)
    if n == 0:
        if pre_all or post_all:
            out["method"] = "unpaired (weaker)"
        out["mean_baseline"] = float(np.mean(pre_all)) if pre_all else None
        out["mean_post"] = float(np.mean(post_all)) if post_all else None
        both = pre_all and post_all
        out["mean_change"] = out["mean_post"] - out["mean_baseline"] if both else None
        out.update(
            ci_low=None, ci_high=None, d_z=None, d_av=None, wilcoxon_r=None, pct_improved=None
        )
        return out
    before = np.array([a for a, _, _ in pairs], dtype=float)
    after = np.array([b for _, b, _ in pairs], dtype=float)
    d = after - before
    mean = float(d.mean())
    sd = float(d.std(ddof=1)) if n > 1 else 0.0
    half = _t975(n - 1) * sd / math.sqrt(n) if n >= 10 else None
    sd_av = (before.std(ddof=1) + after.std(ddof=1)) / 2 if n > 1 else 0.0
    # scale scores are fractions: equal differences must tie whatever their float rounding
    rounded = np.round(d, 9)
    nonzero = rounded[rounded != 0]
    r = None
    if nonzero.size:
        z = stats.wilcoxon(nonzero, correction=False, method="approx").zstatistic
        r = abs(float(z)) / math.sqrt(n)
    out.update(
        method="paired",
        mean_baseline=float(before.mean()),
        mean_post=float(after.mean()),
        mean_change=mean,
        ci_low=mean - half if half is not None else None,
        ci_high=mean + half if half is not None else None,
        d_z=mean / sd if n > 1 and sd > 1e-6 else None,
        d_av=mean / sd_av if n > 1 and sd_av > 1e-6 else None,
        wilcoxon_r=r,
        pct_improved=100 * float(np.mean(np.round(d, 9) > 0)),
    )
    return out


NUMBERS = (
    "pairing_rate",
    "response_rate",
    "pct_top2_post",
    "mean_attribution",
    "alpha",
    "mean_baseline",
    "mean_post",
    "mean_change",
    "ci_low",
    "ci_high",
    "d_z",
    "d_av",
    "wilcoxon_r",
    "pct_improved",
)
EXACT = ("n", "n_pre", "n_post", "method", "ceiling", "uses_retrospective")


def _same(actual: Any, wanted: Any) -> bool:
    if wanted is None or actual is None:
        return actual is None and wanted is None
    return math.isclose(actual, wanted, rel_tol=TOL, abs_tol=TOL)


def _groupings() -> list[tuple[str, ...]]:
    return [(), *((name,) for name in DIMENSIONS)]


def _sample(ref: Reference) -> list[str]:
    """The first indicator (by code) of every kind the export shows: single item or scale,
    asked of everyone (no theme) or in a theme's module."""
    kinds: dict[tuple[bool, bool], str] = {}
    for code in sorted(ref.indicators):
        spec = ref.indicators[code]
        kinds.setdefault((bool(spec["scale"]), spec["theme"] is None), code)
    return [kinds[kind] for kind in sorted(kinds)]


def _filter_labels(ref: Reference) -> dict[str, list[str]]:
    """Per dimension, the labels someone in the export carries (a filter names a label)."""
    seen: dict[str, set[str]] = defaultdict(set)
    for p in ref.people:
        for name, labels in p["labels"].items():
            seen[name].update(label for label in labels if label is not None)
    return {name: sorted(seen[name]) for name in DIMENSIONS if seen[name]}


def _check(
    client: Any,
    ref: Reference,
    campaign: Campaign,
    indicator: str,
    by: tuple[str, ...],
    filters: Mapping[str, str] | None = None,
    *,
    staff: bool = True,
) -> tuple[int, int]:
    """(cells checked, of which with a mean attribution shown). The attribution answers of a
    cell are a row of the suppression family of their own: hidden (None) though the cell is
    shown when they are few, or as a complement; when shown, they are exact. A filtered view
    is the slice of the two-way table: its cell is the respondents with both labels."""
    filters = dict(filters or {})
    query = f"campaign={campaign.code}&by={','.join(by)}"
    query += "".join(f"&{name}={label}" for name, label in filters.items())
    response = client.get(f"{API}/indicators/{indicator}/values?{query}")
    if not staff and response.status_code in (404, 422) and "organisation" in (*by, *filters):
        return 0, 0  # outside network staff, no comparison of organisations
    assert response.status_code == 200, (indicator, by, filters, response.content)
    checked = attributed = 0
    for cell in response.json()["cells"]:
        if cell["suppressed"]:
            assert cell["n"] is None
            assert cell["mean_change"] is None
            continue
        key = (*cell["key"], *filters.values())
        wanted = ref.expected(indicator, (*by, *filters), key)
        for name in EXACT:
            assert cell[name] == wanted[name], (indicator, by, key, name, cell[name], wanted)
        for name in NUMBERS:
            if name == "mean_attribution" and cell[name] is None:
                continue  # hidden on its own (see the docstring)
            assert _same(cell[name], wanted[name]), (indicator, by, key, name, cell, wanted)
        checked += 1
        attributed += cell["mean_attribution"] is not None
    return checked, attributed


def test_every_published_cell_is_recomputed_from_the_export_alone(
    world: Campaign,
    network_coordinator: Any,
    org_coordinator: Any,
    stakeholder: Any,
    client_for: Any,
) -> None:
    exporter = client_for(network_coordinator)
    package = exporter.get(f"{API}/responses/export/datapackage?campaign={world.code}").json()
    ref = Reference(
        _csv(exporter, f"{API}/responses/export?campaign={world.code}"),
        _csv(exporter, f"{API}/responses/export/activities?campaign={world.code}"),
        package,
    )
    assert any(p["then"] for p in ref.people)  # retrospective baselines are in the export
    assert any(len(p["labels"]["theme"]) > 1 for p in ref.people)
    assert any(len(p["labels"]["network"]) > 1 for p in ref.people)
    indicators = sorted(ref.indicators)
    item = next(c for c in indicators if not ref.indicators[c]["scale"])
    scale = next(c for c in indicators if ref.indicators[c]["scale"])

    sample = _sample(ref)
    assert item in sample
    assert scale in sample
    assert len(sample) >= 3, sample
    labels = _filter_labels(ref)
    checked = attributed = 0

    def check(
        client: Any, indicator: str, by: tuple[str, ...], filters: Mapping[str, str] | None = None
    ) -> None:
        nonlocal checked, attributed
        staff = client is staff_client
        cells, shown = _check(client, ref, world, indicator, by, filters, staff=staff)
        checked, attributed = checked + cells, attributed + shown

    staff_client = client_for(network_coordinator)
    roles = (staff_client, client_for(org_coordinator), client_for(stakeholder))
    for turn, client in enumerate(roles):
        for indicator in indicators:
            for by in _groupings():
                check(client, indicator, by)
        # every pair of dimensions, for one indicator of the sample in turn (each role its own)
        for number, by in enumerate(combinations(DIMENSIONS, 2)):
            check(client, sample[(number + turn) % len(sample)], by)
        # filtered views: every third ordered pair (one grouping, one filter), the three roles
        # together every one, the filter's label taken in turn among those the export shows
        for number, (grouped, filtered) in enumerate(permutations(DIMENSIONS, 2)):
            if filtered not in labels or number % len(roles) != turn:
                continue
            choices = labels[filtered]
            indicator = sample[number % len(sample)]
            check(client, indicator, (grouped,), {filtered: choices[number % len(choices)]})
    assert checked > 1000
    # about half of the shown cells show their mean attribution (2172 of 3491): not none
    assert attributed > checked // 4

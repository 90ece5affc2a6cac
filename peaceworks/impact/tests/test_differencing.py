"""A differencing attacker: every figure a role can fetch from the values API, solved for the
hidden cells by linear algebra.

The unknowns are the counts of the finest cells (atoms: respondents alike on every dimension)
that hold at least one person of the kind counted — the strongest attacker, who even knows which
atoms are empty. Every visible cell of every view (each grouping and each filter up to two
dimensions, at each floor the role can ask for) is one linear equation over them. A hidden cell is
determined exactly when its indicator vector lies in the row space of those equations; then its
count follows, and so does its sum of change (mean change times pairs is the same equation over the
atoms that hold pairs). No hidden count under the floor may be determined.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from django.urls import reverse

from peaceworks.campaigns.models import Campaign
from peaceworks.directory.models import Affiliation, Network, Organisation
from peaceworks.impact.analytics import COORDINATOR_MIN_N, DIMENSIONS, PUBLISHED_MIN_N
from peaceworks.impact.analytics.frame import MISSING, MULTI_VALUED_DIMENSIONS
from peaceworks.impact.figures.selectors import snapshot_view
from peaceworks.impact.models import Round
from peaceworks.impact.services import analytics_rebuild, response_submit
from peaceworks.impact.tests.shared import (
    SharedRows,
    network_admin,
    organisation,
    other_organisation,
    secretariat,
    shared_rows,
)
from peaceworks.impact.tests.test_analytics import _rounds

# the rows shared by the module's tests: the small groups are built once (they only read them)
__all__ = ["network_admin", "organisation", "other_organisation", "secretariat", "shared_rows"]

API = "/api/v1/impact/indicators/ic_teamwork/values"
Constraint = frozenset[tuple[str, str | None]]
KINDS = ("n", "n_pre", "n_post")


@pytest.fixture(scope="module")
def shared(shared_rows: SharedRows, module_transaction: Any) -> int:
    """Four activities in four countries (three organisations, mixed themes and durations),
    41 respondents of three genders and four age bands, some without a pre answer: many
    groups of 1 to 9 people. Two activities have several themes and one organisation belongs
    to two networks: theme and network are multi-valued (overlapping cells).

    Built once for the module (every test only reads them); the campaign's primary key."""
    with module_transaction.unblock():
        organisation = Organisation.objects.get(pk=shared_rows.organisation)
        other_organisation = Organisation.objects.get(pk=shared_rows.other_organisation)
        campaign = Campaign.objects.get(pk=shared_rows.campaign)
        make_activity = shared_rows.activity_maker()
        third = Organisation.objects.create(name="Third Organisation", code="third", country="BE")
        networks = [
            Network.objects.create(name=name, acronym=name, code=name.lower())
            for name in ("SCI", "ALLI")
        ]
        for member, joined in ((organisation, (0, 1)), (other_organisation, (1,)), (third, (0,))):
            for n in joined:
                Affiliation.objects.create(organisation=member, network=networks[n])
        activities = [
            (make_activity(country="KE", themes=(1, 4)), 12),
            (make_activity(country="GH", themes=(2,), host_organisation=other_organisation), 9),
            (make_activity(country="BE", themes=(1,), host_organisation=third), 13),
            (
                make_activity(
                    country="PE", days=5, themes=(1, 5), host_organisation=other_organisation
                ),
                7,
            ),
        ]
        rng = np.random.default_rng(14)
        genders = ("woman", "man", "non_binary")
        ages = ("under_18", "18_25", "26_30", "31_plus")
        for number, (activity, size) in enumerate(activities):
            pre, post = _rounds(activity)
            for person in range(size):
                gender = genders[int(rng.choice(3, p=[0.55, 0.35, 0.10]))]
                answers = {"gender": gender, "age_band": ages[int(rng.integers(0, 4))]}
                before, after = int(rng.integers(1, 4)), int(rng.integers(2, 6))
                rounds = (pre, post) if rng.random() < 0.8 else (post,)
                for survey_round in rounds:
                    value = before if survey_round.kind == Round.Kind.PRE else after
                    response_submit(
                        survey_round=survey_round,
                        submission_id=uuid.uuid4(),
                        language="en",
                        answers={**answers, "c_teamwork": value},
                        matching_code=f"D{number}{person:02d}XY",
                        consent_version=survey_round.instrument.consent_version,
                    )
        campaign.is_published = True
        campaign.save(update_fields=["is_published"])
        analytics_rebuild(campaign_id=campaign.pk)
        return campaign.pk


@pytest.fixture
def small_groups(shared: int, organisation: Organisation) -> dict[str, Any]:
    return {"campaign": Campaign.objects.get(pk=shared), "own": organisation.code}


class Attacker:
    """Every figure one client can fetch, as (constraint, counts or None when hidden)."""

    def __init__(self, client: Any, campaign: str, floors: tuple[bool, ...]) -> None:
        self.client, self.campaign, self.floors = client, campaign, floors
        self.visible: dict[Constraint, dict[str, float]] = {}
        self.hidden: set[Constraint] = set()
        self.refused = 0

    def fetch(self, by: tuple[str, ...], filters: dict[str, str]) -> list[dict[str, Any]]:
        cells: list[dict[str, Any]] = []
        for published in self.floors:
            query = {"campaign": self.campaign, "by": ",".join(by), **filters}
            if published:
                query["published"] = "true"
            response = self.client.get(API, query)
            if response.status_code != 200:
                self.refused += 1
                continue
            for cell in response.json()["cells"]:
                constraint = frozenset({*zip(by, cell["key"], strict=True), *filters.items()})
                if cell["suppressed"]:
                    self.hidden.add(constraint)
                else:
                    self.visible[constraint] = {kind: cell[kind] for kind in KINDS}
                cells.append(cell)
        return cells

    def collect(self, dimensions: list[str], own: str | None) -> None:
        """All groupings and filters up to two dimensions (a filter counts as one)."""
        labels: dict[str, list[str]] = {}
        self.fetch((), {})
        for name in dimensions:
            labels[name] = sorted({c["key"][0] for c in self.fetch((name,), {})} - {None})
        if own is not None:
            labels["organisation"] = [own]
        for pair in combinations(dimensions, 2):
            self.fetch(pair, {})
        filters = [(name, label) for name in labels for label in labels[name]]
        for name, label in filters:
            self.fetch((), {name: label})
            for by in dimensions:
                self.fetch((by,), {name: label})
        for (a, x), (b, y) in combinations(filters, 2):
            if a != b:
                self.fetch((), {a: x, b: y})


Atom = dict[str, frozenset[str | None]]


def _atoms(campaign: Any) -> tuple[list[Atom], npt.NDArray[np.float64]]:
    """The atoms of the snapshot (per dimension, the set of labels its respondents carry: one
    label, or several for a multi-valued dimension) and their true counts (atoms, kinds) of
    ``ic_teamwork``."""
    view = snapshot_view(campaign=campaign)
    frame = view.frame
    assert frame is not None
    assert "ic_teamwork" not in frame.item_themes  # counted under every theme of its activity
    item = frame.items.index(view.engine_name["ic_teamwork"])
    labels = {
        name: [
            frozenset(
                label
                for code, label in enumerate(frame.labels_of(name))
                if frame.has_label(name, code)[person]
            )
            for person in range(frame.size)
        ]
        for name in DIMENSIONS
    }
    assert any(len(labels["theme"][p]) > 1 for p in range(frame.size))
    assert any(len(labels["network"][p]) > 1 for p in range(frame.size))
    pre = frame.baseline[item] != MISSING
    post = frame.post[item] != MISSING
    per_person = np.stack([pre & post, pre, post], axis=1).astype(np.float64)
    found: dict[tuple[frozenset[str | None], ...], int] = {}
    rows: list[Atom] = []
    counts: list[npt.NDArray[np.float64]] = []
    for person in range(frame.size):
        key = tuple(labels[name][person] for name in DIMENSIONS)
        if key not in found:
            found[key] = len(rows)
            rows.append(dict(zip(DIMENSIONS, key, strict=True)))
            counts.append(np.zeros(len(KINDS)))
        counts[found[key]] += per_person[person]
    return rows, np.array(counts)


def _vector(constraint: Constraint, atoms: list[Atom]) -> list[float]:
    """The atoms a cell counts: those carrying each label of the cell (a respondent of several
    themes counts in each of their cells)."""
    return [float(all(label in atom[name] for name, label in constraint)) for atom in atoms]


def determined_small_cells(attacker: Attacker, campaign: Any, floor: int) -> Iterator[str]:
    """The hidden cells whose count of some kind is 1..floor-1 and follows from the figures."""
    atoms, truth = _atoms(campaign)
    visible = list(attacker.visible)
    hidden = sorted(attacker.hidden - set(visible), key=sorted)
    equations = np.array([_vector(c, atoms) for c in visible])
    targets = np.array([_vector(c, atoms) for c in hidden])
    for k, kind in enumerate(KINDS):
        keep = truth[:, k] > 0  # the attacker knows which atoms hold nobody of this kind
        system, wanted = equations[:, keep], targets[:, keep]
        # the published figures are exact: the system is consistent with the true counts
        published = np.array([attacker.visible[c][kind] for c in visible])
        assert np.allclose(system @ truth[keep, k], published)
        _, singular, basis = np.linalg.svd(system, full_matrices=False)
        rank = int((singular > 1e-9 * max(singular.max(initial=0), 1)).sum())
        row_space = basis[:rank]
        residual = wanted - (wanted @ row_space.T) @ row_space
        for c, constraint in enumerate(hidden):
            count = float(wanted[c] @ truth[keep, k])
            if 0 < count < floor and np.abs(residual[c]).max() < 1e-6:
                yield f"{kind}={count:g} of {dict(sorted(constraint, key=str))}"


def _varying(client: Any, campaign: str) -> list[str]:
    """Dimensions with two labels or more: a single-label dimension only copies tables."""
    out = []
    for name in DIMENSIONS:
        response = client.get(API, {"campaign": campaign, "by": name})
        if response.status_code == 200 and len(response.json()["cells"]) > 1:
            out.append(name)
    return out


@pytest.mark.parametrize(
    ("persona", "floors", "floor"),
    [
        ("network_coordinator", (False, True), COORDINATOR_MIN_N),
        ("org_coordinator", (False, True), COORDINATOR_MIN_N),
        ("analyst", (False, True), COORDINATOR_MIN_N),
        ("stakeholder", (False,), PUBLISHED_MIN_N),
    ],
)
def test_no_hidden_count_under_the_floor_follows_from_the_figures_a_role_can_fetch(
    small_groups: dict[str, Any],
    client_for: Any,
    request: pytest.FixtureRequest,
    persona: str,
    floors: tuple[bool, ...],
    floor: int,
) -> None:
    client = client_for(request.getfixturevalue(persona))
    campaign = small_groups["campaign"]
    dimensions = _varying(client, campaign.code)
    assert {"country", "gender", "age_band", *MULTI_VALUED_DIMENSIONS} <= set(dimensions)
    attacker = Attacker(client, campaign.code, floors)
    own = small_groups["own"] if persona == "org_coordinator" else None
    attacker.collect(dimensions, own)
    assert attacker.hidden, "the data must have small groups for the attack to mean anything"
    leaks = list(determined_small_cells(attacker, campaign, floor))
    assert leaks == []


def test_a_filtered_view_is_the_slice_of_its_two_way_table_with_the_same_hidden_cells(
    small_groups: dict[str, Any], network_coordinator: Any, client_for: Any
) -> None:
    client = client_for(network_coordinator)
    campaign = small_groups["campaign"].code
    both = client.get(API, {"campaign": campaign, "by": "country,gender"}).json()["cells"]
    assert any(cell["suppressed"] for cell in both)
    for gender in ("woman", "man", "non_binary"):
        sliced = client.get(API, {"campaign": campaign, "by": "country", "gender": gender})
        expected = {
            cell["key"][0]: (cell["suppressed"], cell["n"])
            for cell in both
            if cell["key"][1] == gender
        }
        assert {c["key"][0]: (c["suppressed"], c["n"]) for c in sliced.json()["cells"]} == expected


@pytest.mark.parametrize("persona", ["network_coordinator", "org_coordinator", "outsider"])
def test_a_view_of_three_dimensions_is_refused_as_problem_json(
    small_groups: dict[str, Any], client_for: Any, request: pytest.FixtureRequest, persona: str
) -> None:
    client = client_for(request.getfixturevalue(persona))
    query = {"campaign": small_groups["campaign"].code, "by": "country,gender", "age_band": "18_25"}
    response = client.get(API, query)
    # the campaign is published: an outsider reads its aggregates at the published floor
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "at most 2 dimensions" in response.json()["detail"]
    assert client.get(API, {**query, "by": "country,gender,age_band"}).status_code == 422


def test_the_indicator_page_explains_a_refused_view(
    small_groups: dict[str, Any], org_coordinator: Any, client_for: Any
) -> None:
    url = reverse("impact:dashboard_indicator", args=[small_groups["campaign"].pk, "ic_teamwork"])
    page = client_for(org_coordinator).get(url, {"by": "country,age_band", "gender": "woman"})
    assert page.status_code == 200
    assert "at most 2 dimensions" in page.content.decode()
    two = client_for(org_coordinator).get(url, {"by": "country", "gender": "woman"})
    assert "at most 2 dimensions" not in two.content.decode()

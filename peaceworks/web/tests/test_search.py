"""One search across the product, as each person may open things (SQLite here; the CI runs
the suite again on PostgreSQL, where the full-text path answers)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from peaceworks.web.selectors import site_search


def found(user, query: str) -> dict[str, list[str]]:
    return {
        group.key: [result.title for result in group.results]
        for group in site_search(user=user, query=query, per_group=50)
    }


def test_nobody_finds_another_organisation_s_activity(
    needs, org_coordinator, org_member, outsider, network_coordinator
):
    query = "planned camp"
    assert "activities" not in found(org_coordinator, query)
    assert "activities" not in found(org_member, query)
    assert found(outsider, query)["activities"] == ["Planned camp of another organisation"]
    assert found(network_coordinator, query)["activities"] == [
        "Planned camp of another organisation"
    ]


def test_stakeholders_and_their_engagements_are_found_by_network_staff_only(
    needs, network_coordinator, org_coordinator, outsider
):
    assert found(network_coordinator, "peace desk")["stakeholders"] == ["Unesco Peace Desk"]
    assert found(org_coordinator, "peace desk") == {}
    assert found(outsider, "peace desk") == {}
    # the engagement log (private notes on a stakeholder) is searched by nobody
    for user in (network_coordinator, org_coordinator):
        assert found(user, "Confidential budget") == {}


def test_people_are_found_only_within_the_organisations_one_reads(
    needs, network_coordinator, org_coordinator, org_member, outsider
):
    assert found(org_coordinator, "org_member")["people"] == [str(org_member)]
    assert found(org_coordinator, "other@example.org") == {}
    assert found(outsider, "own@example.org") == {}
    assert str(outsider) in found(network_coordinator, "other@example.org")["people"]


def test_strategy_actions_meetings_and_organisations_are_found_with_links(
    needs, client_for, org_coordinator
):
    page = client_for(org_coordinator).get(reverse("web:search"), {"q": "train"}).content.decode()
    assert "Train the camp leaders" in page
    assert f"#action-{needs.action.pk}" in page
    page = client_for(org_coordinator).get(reverse("web:search"), {"q": "Lima"}).content.decode()
    assert reverse("meetings:detail", args=[needs.item.meeting_id]) in page
    page = client_for(org_coordinator).get(reverse("web:search"), {"q": "Other Organisation"})
    assert (
        reverse("directory:organisation", args=[needs.other_round.activity.host_organisation_id])
        in page.content.decode()
    )


def test_exact_title_comes_first(make_activity, network_coordinator):
    make_activity(title="Camp by the river")
    make_activity(title="River camp")
    make_activity(title="River")
    assert found(network_coordinator, "river")["activities"] == [
        "River",
        "River camp",
        "Camp by the river",
    ]


def test_results_are_grouped_with_a_count_and_each_kind_pages(
    client_for, network_coordinator, make_activity
):
    for number in range(25):
        make_activity(title=f"Peace camp {number:02d}")
    client = client_for(network_coordinator)
    page = client.get(reverse("web:search"), {"q": "peace camp"}).content.decode()
    assert "See all 25 results" in page
    assert page.count("Peace camp ") == 5
    second = client.get(
        reverse("web:search"), {"q": "peace camp", "kind": "activities", "page": 2}
    ).content.decode()
    assert "Page 2 of 2" in second
    assert second.count("Peace camp ") == 5


def test_an_empty_or_unknown_search_answers_plainly(client_for, org_member):
    client = client_for(org_member)
    assert "Type a name" in client.get(reverse("web:search")).content.decode()
    page = client.get(reverse("web:search"), {"q": "zzzz-nothing", "kind": "nonsense"})
    assert page.status_code == 200
    assert "Nothing you may open matches" in page.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get(reverse("web:search"), {"q": "camp"}).status_code == 302


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full text is PostgreSQL's")
def test_postgresql_ranks_by_full_text_and_still_finds_part_of_a_word(
    make_activity, network_coordinator
):
    make_activity(title="Youth exchange on peace education")
    make_activity(title="Peace")
    make_activity(title="Workcamp")
    assert found(network_coordinator, "peace education")["activities"] == [
        "Youth exchange on peace education"
    ]
    assert found(network_coordinator, "peace")["activities"][0] == "Peace"
    assert found(network_coordinator, "workc")["activities"] == ["Workcamp"]


def test_the_search_page_s_queries_do_not_grow_with_the_results(
    client_for, network_coordinator, make_activity, django_assert_max_num_queries
):
    client = client_for(network_coordinator)
    make_activity(title="Peace camp")
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("web:search"), {"q": "peace camp"})
    for number in range(20):
        make_activity(title=f"Peace camp {number:02d}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("web:search"), {"q": "peace camp"})


@pytest.mark.parametrize(
    "persona", ["network_coordinator", "org_coordinator", "org_member", "outsider", "stakeholder"]
)
def test_every_result_opens_for_the_person_who_found_it(request, needs, client_for, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    urls = {
        result.url
        for query in ("camp", "organisation", "example.org", "lima", "peace", "strategy")
        for group in site_search(user=user, query=query, per_group=50)
        for result in group.results
    }
    if persona != "stakeholder":
        assert urls
    for url in urls:
        assert client.get(url).status_code == 200, url

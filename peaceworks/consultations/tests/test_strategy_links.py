from __future__ import annotations

import pytest
from django.urls import reverse

from peaceworks.campaigns.hooks import strategy_links
from peaceworks.consultations.models import StrategyLink

pytestmark = pytest.mark.django_db


def test_a_statement_becomes_a_reflection_with_a_link_both_ways(
    make_consultation, network_coordinator, org_member, org_coordinator, client_for, reflection
):
    consultation = make_consultation()
    statement = consultation.statements.first()
    client = client_for(network_coordinator)
    url = reverse("consultations:strategy_links", args=[consultation.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"source": f"statement:{statement.pk}", "target": f"reflection:{reflection.pk}"}
    )
    assert response.status_code == 302
    assert StrategyLink.objects.get().reflection == reflection
    assert statement.text[:20] in client.get(url).content.decode()
    links = strategy_links(user=org_member, item=reflection)
    assert len(links) == 1
    assert links[0].url == reverse("consultations:detail", args=[consultation.slug])
    assert statement.text[:20] in links[0].label
    assert (
        client_for(org_coordinator)
        .post(url, {"source": f"statement:{statement.pk}", "target": f"reflection:{reflection.pk}"})
        .status_code
        == 403
    )
    assert StrategyLink.objects.count() == 1

"""The register-an-activity form as people expect it: countries and languages named in the
reader's language, a code made from the title, fields grouped in fieldsets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Activity, Campaign, Theme
from peaceworks.campaigns.services import ActivityData, activity_create, campaigns
from peaceworks.campaigns.tests.test_pages import _form_data
from peaceworks.directory.models import Organisation

Clients = Callable[[User | None], Client]
CREATE = reverse("campaigns:activity_create", args=["pc"])


def _page(client: Client, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(CREATE)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<form method="post" class="form"') :]  # not the language menu


def _workcamp(theme: Theme, *, code: str, title: str) -> ActivityData:
    """A workcamp in Kenya in August 2026 on ``theme``, registered through the service."""
    return ActivityData(
        code=code,
        title=title,
        activity_type=Activity.Type.WORKCAMP,
        start_date=date(2026, 8, 1),
        end_date=date(2026, 8, 10),
        country="KE",
        theme_ids=(theme.pk,),
    )


@pytest.mark.parametrize(
    ("language", "france", "own_language"),
    [("en", "France", "English"), ("fr", "France", "Français"), ("es", "Francia", "Español")],
)
def test_country_and_language_are_selects_named_in_the_readers_language(
    client_for: Clients,
    org_coordinator: User,
    themes: list[Theme],
    language: str,
    france: str,
    own_language: str,
) -> None:
    html = _page(client_for(org_coordinator), language)
    country = html[html.index('<select name="country"') :]
    country = country[: country.index("</select>")]
    assert f'<option value="FR">{france}</option>' in country
    assert 'name="country" type="text"' not in html
    languages = html[html.index('<select name="language"') :]
    languages = languages[: languages.index("</select>")]
    # the reader's language is the default; the product's languages come first
    assert f'<option value="{language}" selected>{own_language}</option>' in languages
    positions = [languages.index(f'value="{code}"') for code in ("en", "fr", "es", "sw")]
    assert positions == sorted(positions)
    assert languages.count("<optgroup") == 2


def test_a_country_chosen_by_its_name_is_stored_as_its_code(
    client_for: Clients, org_coordinator: User, organisation: Organisation, themes: list[Theme]
) -> None:
    client = client_for(org_coordinator)
    response = client.post(CREATE, _form_data(themes[0], organisation, country="FR", language="sw"))
    assert response.status_code == 302
    activity = Activity.objects.get(code="new-camp")
    assert (activity.country, activity.language) == ("FR", "sw")
    # a name typed instead of a choice is refused at the field
    refused = client.post(CREATE, _form_data(themes[0], organisation, code="b", country="France"))
    assert refused.status_code == 200
    assert '<a href="#id_country">Country: Select a valid choice.' in refused.content.decode()
    assert not Activity.objects.filter(code="b").exists()


def test_an_empty_code_is_made_from_the_title_and_unique(
    client_for: Clients, org_coordinator: User, organisation: Organisation, themes: list[Theme]
) -> None:
    client = client_for(org_coordinator)
    data = _form_data(themes[0], organisation, code="", title="Été à Lyon: workcamp")
    assert client.post(CREATE, data).status_code == 302
    assert client.post(CREATE, data).status_code == 302
    codes = list(Activity.objects.order_by("pk").values_list("code", flat=True))
    assert codes == ["ete-a-lyon-workcamp", "ete-a-lyon-workcamp-2"]


def test_a_generated_code_taken_at_the_same_instant_is_made_again(
    client_for: Clients,
    org_coordinator: User,
    organisation: Organisation,
    themes: list[Theme],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A registration with the same title stored the code between this one's check and its
    insert, so the unique index refuses the insert (simulated: the first insert raises as the
    database does, and the rival row exists when the code is made again): the code is made
    again, the coordinator sees no error."""
    save = Activity.save
    attempts: list[str] = []

    def save_after_a_rival(activity: Activity, *args: Any, **kwargs: Any) -> None:
        attempts.append(activity.code)
        if len(attempts) == 1:
            raise IntegrityError("UNIQUE constraint failed: campaigns_activity.code")
        save(activity, *args, **kwargs)

    def code_with_a_rival(title: str) -> str:
        return ["peace-walk", "peace-walk-2"][len(attempts)]

    monkeypatch.setattr(Activity, "save", save_after_a_rival)
    monkeypatch.setattr(campaigns, "_activity_code_from_title", code_with_a_rival)
    data = _form_data(themes[0], organisation, code="", title="Peace walk")
    assert client_for(org_coordinator).post(CREATE, data).status_code == 302
    assert attempts == ["peace-walk", "peace-walk-2"]
    assert list(Activity.objects.values_list("code", flat=True)) == ["peace-walk-2"]


def test_a_given_code_taken_at_the_same_instant_is_not_changed(
    org_coordinator: User,
    organisation: Organisation,
    campaign: Campaign,
    themes: list[Theme],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A code the coordinator typed is never changed behind their back: the refusal stands."""

    def refused(activity: Activity, *args: object, **kwargs: object) -> None:
        raise IntegrityError("UNIQUE constraint failed: campaigns_activity.code")

    monkeypatch.setattr(Activity, "save", refused)
    data = _workcamp(themes[0], code="typed-code", title="Peace walk")
    with pytest.raises(IntegrityError):
        activity_create(
            actor=org_coordinator, campaign=campaign, host_organisation=organisation, data=data
        )


def test_a_generated_code_fits_the_field_and_a_title_without_latin_letters_gets_one(
    network_coordinator: User,
    campaign: Campaign,
    organisation: Organisation,
    themes: list[Theme],
) -> None:
    def register(title: str) -> str:
        data = _workcamp(themes[0], code="", title=title)
        return activity_create(
            actor=network_coordinator, campaign=campaign, host_organisation=organisation, data=data
        ).code

    long = "A very long title for a workcamp " * 4
    first, second = register(long), register(long)
    assert len(first) == len(second) == 60
    assert second == first[:58] + "-2"
    assert [register("معسكر عمل"), register("معسكر عمل")] == ["activity", "activity-2"]


def test_a_given_code_is_kept_and_a_taken_one_refused_at_the_field(
    client_for: Clients, org_coordinator: User, organisation: Organisation, themes: list[Theme]
) -> None:
    client = client_for(org_coordinator)
    given = client.post(CREATE, _form_data(themes[0], organisation, code="my-camp"))
    assert given.status_code == 302
    assert Activity.objects.filter(code="my-camp").exists()
    again = client.post(CREATE, _form_data(themes[0], organisation, code="my-camp"))
    html = again.content.decode()
    assert again.status_code == 200
    assert '<a href="#id_code">' in html
    assert Activity.objects.count() == 1


def test_editing_keeps_a_code(
    client_for: Clients, org_coordinator: User, own_activity: Activity, themes: list[Theme]
) -> None:
    url = reverse("campaigns:activity_edit", args=[own_activity.pk])
    data = _form_data(themes[0], own_activity.host_organisation, code="")
    response = client_for(org_coordinator).post(url, data)
    assert response.status_code == 200
    assert '<a href="#id_code">Code: This field is required.</a>' in response.content.decode()


def test_the_form_is_grouped_in_fieldsets_with_co_organisers_as_checkboxes(
    client_for: Clients,
    org_coordinator: User,
    other_organisation: Organisation,
    themes: list[Theme],
) -> None:
    form = _page(client_for(org_coordinator), "fr")
    legends = [
        "<legend>L\u2019activité</legend>",
        "<legend>Quand et où</legend>",
        "<legend>Qui participe</legend>",
        "<legend>Moins d\u2019opportunités</legend>",
    ]
    assert [form.index(legend) for legend in legends] == sorted(
        form.index(legend) for legend in legends
    )
    assert form.index('name="title"') < form.index('name="code"') < form.index(legends[1])
    # every field is in a fieldset: none comes before the first one
    assert form.index('class="form-section"') < form.index('<div class="field">')
    assert form.index(legends[3]) < form.index('name="fo_geographical"')
    assert f'type="checkbox" name="co_organisers" value="{other_organisation.pk}"' in form
    assert '<select name="co_organisers"' not in form

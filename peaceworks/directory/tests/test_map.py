"""The world map: all local (no network access), and the geography table is complete."""

import json
import re
import socket

import pytest
from django.conf import settings
from django.core.cache import caches
from django.urls import reverse

from peaceworks.accounts.models import User
from peaceworks.core.charts import draw_svg
from peaceworks.directory import geography
from peaceworks.directory.maps import choropleth_spec, choropleth_svg, spec_text, world_topology


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the map tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    caches["charts"].clear()  # drawn here, not read back from an earlier test


def test_map_renders_for_the_demo_network_offline(demo_database, client, no_network):
    client.force_login(User.objects.get(email="coordinator@peaceworks.test"))
    response = client.get(reverse("directory:map"))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("<svg") >= 2
    assert "Kenya" in text  # the data-table alternative
    assert "<script" not in text.split("<main", 1)[1]


def test_map_page_for_a_stakeholder_role_is_404(stakeholder, client_for):
    assert client_for(stakeholder).get(reverse("directory:map")).status_code == 404


def test_map_filter_by_network_ignores_bad_input(org_member, client_for):
    response = client_for(org_member).get(reverse("directory:map"), {"network": "abc"})
    assert response.status_code == 200


def test_choropleth_svg_is_an_svg_with_a_title(no_network):
    svg = choropleth_svg({"FR": 3, "KE": 1, "XX": 5}, title="Members", value_label="Members")
    assert svg.startswith("<svg")
    assert "Members" in svg


def test_every_world_atlas_country_with_an_id_is_in_the_table():
    ids = {
        shape.get("id")
        for shape in world_topology()["objects"]["countries"]["geometries"]
        if shape.get("id")
    }
    numerics = {country.numeric for country in geography.COUNTRIES.values()}
    assert ids <= numerics
    assert (settings.NODE_MODULES / "world-atlas" / "countries-110m.json").exists()


def test_geography_covers_iso_3166_with_regions():
    assert len(geography.COUNTRIES) == 249
    assert geography.country("ke").region == "002"
    assert geography.subregion_name(geography.country("PE").subregion) == "South America"
    assert set(geography.countries_in_region("155")) >= {"FR", "DE", "BE"}
    assert len({country.numeric for country in geography.COUNTRIES.values()}) == 249
    json.dumps(geography.country_choices())


def test_choropleth_without_values_draws_no_legend(no_network):
    svg = choropleth_svg({}, title="Activities", value_label="Activities")
    assert "NaN" not in svg


def test_choropleth_background_is_hidden_from_screen_readers(no_network):
    """The grey countries (no value) say nothing: hidden, without a role; the coloured ones
    are read with their value."""
    svg = choropleth_svg({"FR": 3}, title="Activities", value_label="Activities")
    shapes = re.findall(r'<path (?![^>]*class="(?:back|fore)ground")[^>]*>', svg)
    grey = [shape for shape in shapes if 'fill="#e3e7eb"' in shape]
    coloured = [shape for shape in shapes if shape not in grey and "url(#" not in shape]
    assert len(grey) > 100
    for shape in grey:
        assert 'aria-hidden="true"' in shape
        assert "role=" not in shape
        assert "aria-label" not in shape
    assert len(coloured) == 1
    assert 'role="graphics-symbol"' in coloured[0]
    assert 'aria-label="Activities: 3"' in coloured[0]
    assert "aria-hidden" not in coloured[0]


def test_a_map_without_values_is_hidden_from_screen_readers(no_network):
    svg = choropleth_svg({}, title="Activities", value_label="Activities")
    marks = re.search(r'<g class="mark-shape[^>]*>', svg)
    assert marks is not None
    assert 'aria-hidden="true"' in marks.group(0)
    assert "graphics-symbol" not in svg.split("mark-shape", 1)[1].split("</g>", 1)[0]


def test_each_country_is_drawn_once_in_its_colour_or_grey(no_network):
    """One shape per country: the coloured ones in their colour, the others in grey."""
    values = {"FR": 3, "KE": 1, "BR": 7}
    svg = choropleth_svg(values, title="Members", value_label="Members")
    outlines = re.findall(r'<path [^>]*d="([^"]*)"[^>]*fill="(#e3e7eb|rgb[^"]*)"', svg)
    assert len(outlines) == len({outline for outline, _fill in outlines}) == 177
    fills = [fill for _outline, fill in outlines if fill != "#e3e7eb"]
    assert len(fills) == len(set(fills)) == 3


def _outlines(svg: str) -> list[list[object]]:
    """Every path's points in absolute tenths of a pixel (repeated points dropped)."""
    shapes = []
    for path in re.findall(r' d="([^"]*)"', svg):
        points: list[object] = []
        x = y = start_x = start_y = 0
        for command, args in re.findall(r"([MLZhvl])([-\d.,]*)", path):
            numbers = [round(float(n) * 10) for n in re.findall(r"-?(?:\d+\.?\d*|\.\d+)", args)]
            if command == "M":
                x, y = start_x, start_y = numbers
            elif command == "L":
                x, y = numbers
            elif command == "l":
                x, y = x + numbers[0], y + numbers[1]
            elif command == "h":
                x += numbers[0]
            elif command == "v":
                y += numbers[0]
            else:
                x, y = start_x, start_y
            point = "Z" if command == "Z" else (x, y)
            if not points or points[-1] != point:
                points.append(point)
        shapes.append(points)
    return shapes


def test_a_map_is_lighter_and_draws_the_same_outlines(no_network):
    values = {"FR": 3, "KE": 1, "BR": 7}
    svg = choropleth_svg(values, title="Members", value_label="Members")
    engine = draw_svg(choropleth_spec(values, title="Members", value_label="Members"))
    assert len(svg) < 0.6 * len(engine)
    assert _outlines(svg) == _outlines(engine)
    assert svg.count("<path") == engine.count("<path")


@pytest.mark.parametrize("values", [{}, {"FR": 3, "KE": 1.5, "XX": 2}])
def test_a_spec_as_text_is_the_same_spec_and_draws_the_same_map(values, no_network):
    spec = choropleth_spec(values, title='Members "all" \\ é', value_label="Members")
    text = spec_text(spec)
    assert json.loads(text) == spec

    def drawn(chart: dict[str, object] | str) -> str:  # gradients are numbered per process
        return re.sub(r"gradient_\d+", "gradient", draw_svg(chart))

    assert drawn(text) == drawn(spec)


@pytest.mark.parametrize("values", [{}, {"FR": 3, "KE": 1.5, "BR": 7, "FJ": 2}])
def test_the_projection_worked_out_once_draws_the_fitted_map(values, no_network):
    """The scale and translation worked out once draw the map the engine's own fitting draws,
    to the byte."""
    spec = choropleth_spec(values, title="Members", value_label="Members")
    assert set(spec["projection"]) == {"type", "scale", "translate"}
    fitted = {**spec, "projection": {"type": "equalEarth"}, "mark": {**spec["mark"]}}
    del fitted["mark"]["clip"]

    def drawn(chart: dict[str, object]) -> str:  # gradients are numbered per process
        return re.sub(r"gradient_\d+", "gradient", draw_svg(chart))

    assert drawn(spec) == drawn(fitted)


def test_the_stored_country_names_are_babels() -> None:
    """``country_names.json`` is Babel's CLDR data for the site's languages (after upgrading
    Babel: ``geography.country_names_write()``)."""
    stored = json.loads(geography.COUNTRY_NAMES_FILE.read_text(encoding="utf-8"))["languages"]
    assert set(stored) == {code for code, _name in settings.LANGUAGES}
    for language, names in stored.items():
        assert names == geography.babel_territories(language), language

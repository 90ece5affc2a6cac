"""The order the API's URL patterns are tried in answers no request differently."""

from __future__ import annotations

import re

from django.urls import URLPattern

from config.api import TRIED_FIRST, api


def test_the_routes_tried_first_match_no_other_pattern():
    patterns = [pattern for pattern in api.urls[0] if isinstance(pattern, URLPattern)]
    assert {str(pattern.pattern) for pattern in patterns[: len(TRIED_FIRST)]} == TRIED_FIRST
    for route in TRIED_FIRST:
        # a path of the route with each parameter filled in, as a client would send it
        path = re.sub(r"<(?:\w+:)?\w+>", "1", route)
        matching = [str(p.pattern) for p in patterns if p.pattern.match(path) is not None]
        assert matching == [route]


def test_every_other_route_keeps_its_place():
    names = [str(pattern.pattern) for pattern in api.urls[0]]
    ninja_order = [str(pattern.pattern) for pattern in super(type(api), api).urls[0]]
    assert names == [
        *(n for n in ninja_order if n in TRIED_FIRST),
        *(n for n in ninja_order if n not in TRIED_FIRST),
    ]

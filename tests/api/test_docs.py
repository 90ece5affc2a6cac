"""Issue 13.11: the API docs page loads Swagger UI from our own static files (npm package
``swagger-ui-dist``) with no inline script, so the site's CSP lets it run, also offline."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders


def test_the_docs_page_uses_only_our_own_static_scripts(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts, html
    for attributes, body in scripts:
        assert body.strip() == "", "inline script"
        source = re.search(r'src="([^"]+)"', attributes)
        assert source, attributes
        assert source.group(1).startswith("/static/"), attributes
    assert "cdn" not in html.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert 'data-openapi-url="/api/v1/openapi.json"' in html


def test_the_swagger_ui_assets_are_served_from_the_npm_package(client, db):
    html = client.get("/api/v1/docs").content.decode()
    for url in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        path = url.removeprefix("/static/")
        assert finders.find(path), f"{path} is not a static file"
    assert finders.find("vendor/swagger-ui/swagger-ui-bundle.js").endswith(
        "swagger-ui-dist/swagger-ui-bundle.js"
    )

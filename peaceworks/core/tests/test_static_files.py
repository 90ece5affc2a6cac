"""Only the front-end packages' files the pages load are static files."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders

from peaceworks.core.static_files import NpmFilesFinder


def test_the_listed_package_files_are_found() -> None:
    for path in settings.NPM_STATIC_FILES:
        assert finders.find(path), path


def test_a_package_file_the_pages_do_not_load_is_neither_found_nor_collected() -> None:
    unlisted = "vendor/swagger-ui/swagger-ui-bundle.js.map"
    assert (
        settings.BASE_DIR / "node_modules" / "swagger-ui-dist" / unlisted.rsplit("/")[-1]
    ).is_file()
    assert finders.find(unlisted) is None
    assert finders.find(unlisted, find_all=True) == []
    listed = {
        f"{getattr(storage, 'prefix', '')}/{path}"  # FileSystemFinder sets the attribute
        for path, storage in NpmFilesFinder().list(ignore_patterns=[])
    }
    assert listed == settings.NPM_STATIC_FILES

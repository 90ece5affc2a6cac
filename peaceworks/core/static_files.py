"""The static files finder of the front-end packages (npm, ``node_modules``)."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import FileSystemFinder
from django.core.files.storage import Storage


class NpmFilesFinder(FileSystemFinder):
    """``STATICFILES_DIRS`` as Django's own finder reads it, narrowed to the files named in
    ``NPM_STATIC_FILES`` (their static paths): a package's other files are neither served nor
    collected. ``collectstatic`` hashes and compresses (gzip and Brotli) every file it
    collects, and the packages' source maps and other builds (36 MB in ``swagger-ui-dist``)
    took most of its minute of CPU."""

    def find(self, path: str, find_all: bool = False) -> Any:
        if path not in settings.NPM_STATIC_FILES:
            return []  # what Django's finder answers when it finds nothing
        return super().find(path, find_all=True) if find_all else super().find(path)

    def list(self, ignore_patterns: Iterable[str] | None) -> Iterator[tuple[str, Storage]]:
        for path, storage in super().list(ignore_patterns):
            prefix = getattr(storage, "prefix", None) or ""
            if posixpath.join(prefix, path) in settings.NPM_STATIC_FILES:
                yield path, storage

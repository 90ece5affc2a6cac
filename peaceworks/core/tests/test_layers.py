"""Imports point downwards, for every module of the product (no file is skipped):

- between apps, in the app order core < accounts < directory < campaigns < impact <
  consultations < meetings < reports < web — an app imports only itself and apps before it;
- inside the code, by layer: data (models, migrations, pure computation) < domain (services,
  selectors, access functions, imports, analytics loading) < entry (views, api, urls, forms,
  schemas, tasks, admin, commands, demo data) — a module imports only its layer and below;
- no module imports another app's views, api or urls.

Every module is classified below; a new file whose name is not classified fails
``test_every_module_is_classified`` until it is given its layer here (and in
docs/architecture.md).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

APP_ORDER = {
    "core": 0,
    "accounts": 1,
    "directory": 2,
    "campaigns": 3,
    "impact": 4,
    "consultations": 5,
    "meetings": 6,
    "reports": 7,
    "web": 8,
}

DATA, DOMAIN, ENTRY = 0, 1, 2
LAYER_NAMES = {DATA: "data", DOMAIN: "domain", ENTRY: "entry"}

# A module's layer by its file (or package) name inside its app.
LAYERS = {
    # data: tables and pure computation on values (no ORM writes, no requests)
    "models": DATA,
    "migrations": DATA,
    "errors": DATA,
    "env": DATA,
    "json": DATA,
    "html": DATA,
    "tabular": DATA,
    "charts": DATA,
    "geography": DATA,
    "maps": DATA,
    "outputs": DATA,
    "strategy": DATA,
    "analytics": DATA,
    "default_framework": DATA,
    "routing": DATA,
    "pseudonyms": DATA,
    "typed_answers": DATA,  # impact: what a refresh reads of a response, beside its JSON
    "qr": DATA,
    "xlsform": DATA,
    "relevance": DATA,
    "text": DATA,
    "languages": DATA,
    "synthesis": DATA,  # consultations: opinion groups, themes, near-duplicates (pure)
    "disclosure": DATA,  # consultations: small opinion groups suppressed (impact's rule)
    "upload_carry_over": DATA,  # the data migrations moving older upload tables
    # domain: reads and writes with the viewer's rights
    "access": DOMAIN,
    "services": DOMAIN,
    "selectors": DOMAIN,
    "audit": DOMAIN,
    "records": DOMAIN,
    "bulk": DOMAIN,
    "rows": DOMAIN,  # model instances from a hand-written statement (hot reads)
    "sessions": DOMAIN,  # accounts: the session engine, its row read by a written statement
    "submission_rows": DOMAIN,  # the statements that store one public submission
    "scheduling": DOMAIN,
    "writers": DOMAIN,
    "retention": DOMAIN,
    "backup": DOMAIN,
    "exports": DATA,
    "context": DOMAIN,
    "imports": DOMAIN,
    "figures": DOMAIN,  # the impact figures: frames from the ORM, snapshot reads, the export
    "warmup": DOMAIN,
    "hooks": DOMAIN,
    "search": DOMAIN,  # core: ranked text search (PostgreSQL full text, SQLite fallback)
    "notifications": DOMAIN,  # accounts: notifications and e-mail digests over the hooks
    "uploads": DOMAIN,
    "once": DOMAIN,  # core: send once (claim, send, mark sent; a lease for dead workers)
    "idempotency": ENTRY,
    "pagination": ENTRY,  # the API's pages, orderings and change filters
    "openapi_examples": ENTRY,  # examples in the API's OpenAPI document
    "ratelimit": DOMAIN,  # the API's request counts, shared in the database
    "webhooks": DOMAIN,
    "openrosa": DOMAIN,
    "analysis": DOMAIN,  # consultations: rows in, synthesis engine called, plain JSON out
    "polis": DOMAIN,  # consultations: Pol.is exports read, checked and imported
    "documents": DOMAIN,  # consultation drafts (Markdown, DOCX, PDF), report versions (PDF, XLSX)
    # entry: what a request, a task or a command calls
    "views": ENTRY,
    "api": ENTRY,
    "urls": ENTRY,
    "forms": ENTRY,
    "schemas": ENTRY,
    "problems": ENTRY,
    "tasks": ENTRY,
    "admin": ENTRY,
    "management": ENTRY,
    "demo": ENTRY,
    "middleware": ENTRY,
    "templatetags": ENTRY,
    "context_processors": ENTRY,
    "upload_pages": ENTRY,
    "static_files": ENTRY,  # core: the finder collectstatic and the server read npm files with
    "paging": ENTRY,  # a page of a list, its filters and sort kept across pages
    # the no-JavaScript survey's page state machine: forms in, a screen out (the view renders)
    "respondent": ENTRY,
    "apps": ENTRY,  # ready(): the wiring of an app into those before it (hooks, retention)
}
# Modules another app may never import.
PRIVATE_ENTRY = {"views", "api", "urls"}

# Imports that still go against the app order, each with the reason and the way out. The list
# may only shrink: a new violation fails the test.
KNOWN_EXCEPTIONS: set[tuple[str, str]] = set()

# Model relations that point up the app order, each with its reason. A relation names its
# model by a string (Django resolves it when the models are loaded), so it is no import: the
# app declaring it never imports the other's code and reaches the rows only through the
# relation. A membership (and an invitation to one) joins a user (accounts) to an
# organisation (directory) and lives with the user, as sign-in, the Viewer and every access
# check read it; the organisation's team pages and the demo people live in the directory.
# A personal API token may be limited to one organisation in the same way.
UPWARD_RELATIONS = {
    "ApiToken.organisation → directory",
    "Invitation.organisation → directory",
    "Membership.organisation → directory",
}


def module_of(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def place(module: str) -> tuple[str, str | None]:
    """``peaceworks.<app>.<name>...`` → (app, layer name) — the name classifies it."""
    segments = module.split(".")
    app = segments[1]
    name = segments[2] if len(segments) > 2 else None
    return app, name


def imported_modules(source: str, module: str, *, is_package: bool = False) -> list[str]:
    tree = ast.parse(source)
    package = module if is_package else module.rsplit(".", 1)[0]
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            names.append(base)
            # ``from peaceworks.x import services`` imports the module ``services``
            names.extend(f"{base}.{alias.name}" for alias in node.names)
    return [name for name in names if name.startswith("peaceworks.") and name.count(".") >= 1]


def violations(module: str, source: str, *, is_package: bool = False) -> list[str]:
    """Every import of ``module`` (whose text is ``source``) that breaks a rule."""
    app, name = place(module)
    layer = LAYERS.get(name) if name else DATA
    found = []
    for target in imported_modules(source, module, is_package=is_package):
        segments = target.split(".")
        if len(segments) < 2 or segments[1] not in APP_ORDER:
            continue
        target_app = segments[1]
        target_name = segments[2] if len(segments) > 2 else None
        if APP_ORDER[target_app] > APP_ORDER[app] and (module, target_app) not in KNOWN_EXCEPTIONS:
            found.append(f"{module} imports {target}: {app} comes before {target_app}")
        if target_app != app and target_name in PRIVATE_ENTRY:
            found.append(f"{module} imports {target}: another app's {target_name}")
        target_layer = LAYERS.get(target_name) if target_name else None
        if layer is not None and target_layer is not None and target_layer > layer:
            found.append(
                f"{module} imports {target}: {LAYER_NAMES[layer]} below {LAYER_NAMES[target_layer]}"
            )
    return found


def product_modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2 or "tests" in parts or parts[0] not in APP_ORDER:
            continue
        yield module_of(path), path


def test_every_module_is_classified() -> None:
    unclassified = [
        module
        for module, _path in product_modules()
        if (name := place(module)[1]) is not None and name not in LAYERS
    ]
    assert unclassified == []


def test_every_app_is_in_the_order() -> None:
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= set(APP_ORDER)


def test_every_module_imports_downwards_only() -> None:
    found = [
        problem
        for module, path in product_modules()
        for problem in violations(module, path.read_text(), is_package=path.name == "__init__.py")
    ]
    assert found == []


def test_model_relations_point_to_the_same_or_an_earlier_app() -> None:
    """A foreign key or many-to-many names its model as a string, so no import shows it: the
    relations themselves follow the app order (the link from a partnership to the campaigns
    it serves is declared by campaigns, and the directory reads it backwards)."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    found = []
    for model in apps.get_models():
        app = model._meta.app_label
        if app not in APP_ORDER:
            continue
        for field in model._meta.get_fields(include_hidden=False):
            target = field.related_model
            if not field.concrete or target is None or isinstance(target, str):
                continue
            if target is get_user_model():
                continue  # named by settings.AUTH_USER_MODEL, as Django's swappable user is
            target_app = target._meta.app_label
            if target_app in APP_ORDER and APP_ORDER[target_app] > APP_ORDER[app]:
                found.append(f"{model.__name__}.{field.name} → {target_app}")
    assert set(found) == UPWARD_RELATIONS  # a new one fails; a removed one is struck off


def test_the_checker_finds_each_kind_of_violation() -> None:
    """A deliberate violation of each rule, fed to the checker as a synthetic module."""
    assert violations(
        "peaceworks.directory.selectors", "from peaceworks.campaigns.models import Activity\n"
    ) == [
        "peaceworks.directory.selectors imports peaceworks.campaigns.models: "
        "directory comes before campaigns",
        "peaceworks.directory.selectors imports peaceworks.campaigns.models.Activity: "
        "directory comes before campaigns",
    ]
    assert violations("peaceworks.impact.tasks", "from peaceworks.campaigns import views\n") == [
        "peaceworks.impact.tasks imports peaceworks.campaigns.views: another app's views"
    ]
    assert violations(
        "peaceworks.campaigns.services.strategy", "from peaceworks.campaigns.forms import X\n"
    ) == [
        "peaceworks.campaigns.services.strategy imports peaceworks.campaigns.forms: "
        "domain below entry",
        "peaceworks.campaigns.services.strategy imports peaceworks.campaigns.forms.X: "
        "domain below entry",
    ]
    assert violations(
        "peaceworks.campaigns.imports", "from . import views\nfrom .models import Activity\n"
    ) == ["peaceworks.campaigns.imports imports peaceworks.campaigns.views: domain below entry"]


def test_an_unclassified_module_is_reported() -> None:
    assert place("peaceworks.campaigns.helpers")[1] not in LAYERS

"""A real Peaceworks server process on 127.0.0.1 for the fault and load scripts and tests:
a fresh database (a SQLite file or a new PostgreSQL database), migrated, with one open survey
round; gunicorn in front of it; small HTTP helpers that never raise on a refused request."""

from __future__ import annotations

import fcntl
import hashlib
import http.client
import json
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Survey:
    token: str
    consent_version: str
    round_id: int


@dataclass
class Server:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    env: dict[str, str]
    log: Path


def server_env(database_url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "PEACEWORKS_DATA_DIR": str(data_dir),
            "DEBUG": "false",
            "SECRET_KEY": "fault-and-load-scripts-" + "k" * 40,
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # DEBUG off refuses a loopback public address; these scripts print no links
            "SITE_URL": "https://peaceworks.invalid",
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "INFO",  # the workers log the end of their warm-up: see running()
        }
    )
    return env


def fresh_postgres_url(base: str = "postgres://postgres@127.0.0.1:5432/postgres") -> str:
    """Create a new, empty PostgreSQL database and return its URL."""
    name = f"pw_fault_{secrets.token_hex(4)}"
    parts = urlsplit(base)
    _psql(parts, f"CREATE DATABASE {name}", check=True)
    return f"{parts.scheme}://{parts.netloc}/{name}"


def drop_postgres(url: str) -> None:
    parts = urlsplit(url)
    _psql(parts, f"DROP DATABASE IF EXISTS {parts.path.lstrip('/')} WITH (FORCE)", check=False)


def _psql(parts: SplitResult, statement: str, *, check: bool) -> None:
    host, port = parts.hostname or "127.0.0.1", str(parts.port or 5432)
    user = parts.username or "postgres"
    command = ["psql", "-h", host, "-p", port, "-U", user, "-d", "postgres", "-qc", statement]
    subprocess.run(command, check=check, capture_output=True)  # noqa: S603 -- the local client


def prepare(env: dict[str, str], *, migrated: Path | None = None, static: bool = True) -> Survey:
    """Migrate the database and open one survey round; returns what a client needs.

    ``migrated``: a SQLite file migrated to the same migrations (the test suite's template),
    copied instead of migrating when the server's database is a SQLite file.
    ``static``: run ``collectstatic`` (when a source changed) for servers that render pages;
    a server that only answers the API needs no static files. On a fresh checkout it
    compresses every file with Brotli and gzip: about 11 s of CPU.
    """
    url = env["DATABASE_URL"]
    if migrated is not None and url.startswith("sqlite:///"):
        shutil.copyfile(migrated, url.removeprefix("sqlite:///"))
    else:
        _migrate(env)
    if static:
        _collect_static(env)
    out = subprocess.run(
        [sys.executable, "-c", "from scripts.liveserver import _seed; _seed()"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    values = json.loads(out.strip().splitlines()[-1])
    return Survey(**values)


#: migrated SQLite files (by a digest of the migrations) and the lock of ``collectstatic``,
#: shared by every process on the machine that starts a server
TEMPLATES = Path(tempfile.gettempdir()) / "peaceworks-test-templates"


def _manage(env: dict[str, str], *command: str) -> None:
    subprocess.run(  # noqa: S603 -- our own command
        [str(BIN / "peaceworks"), *command, "-v", "0"], env=env, check=True, cwd=ROOT
    )


@contextmanager
def _locked(name: str) -> Iterator[None]:
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    with (TEMPLATES / name).open("wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _migrations_digest() -> str:
    digest = hashlib.sha256(metadata.version("django").encode())
    for path in sorted(ROOT.glob("peaceworks/*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _migrate(env: dict[str, str]) -> None:
    """``migrate``; on SQLite a copy of a file migrated once for these migrations (a fresh
    migration costs seconds of CPU, and the fault tests and scripts start several servers)."""
    url = env["DATABASE_URL"]
    if not url.startswith("sqlite:///"):
        _manage(env, "migrate", "--noinput")
        return
    template = TEMPLATES / f"liveserver-{_migrations_digest()}.sqlite3"
    with _locked(f"{template.name}.lock"):
        if not template.is_file():
            partial = template.with_suffix(f".{os.getpid()}.partial")
            _manage({**env, "DATABASE_URL": f"sqlite:///{partial}"}, "migrate", "--noinput")
            with sqlite3.connect(partial) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                connection.execute("PRAGMA journal_mode=DELETE")  # one file to copy
            connection.close()
            os.replace(partial, template)
    shutil.copyfile(template, url.removeprefix("sqlite:///"))


def _collect_static(env: dict[str, str]) -> None:
    """``collectstatic`` into the checkout's ``staticfiles/``, one process at a time, and only
    when a static source is newer than the manifest it wrote last."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    sources = [*ROOT.glob("peaceworks/*/static"), ROOT / "node_modules" / ".installed"]
    with _locked("collectstatic.lock"):
        if manifest.is_file():
            written = manifest.stat().st_mtime
            newest = max(
                (
                    path.stat().st_mtime
                    for source in sources
                    for path in ([source] if source.is_file() else source.rglob("*"))
                    if path.is_file()
                ),
                default=0.0,
            )
            if newest <= written:
                return
        _manage(env, "collectstatic", "--noinput")


def _seed() -> None:
    """Run in a subprocess with the server's environment: one open post-activity round."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from datetime import timedelta

    from django.utils import timezone

    from peaceworks.campaigns.models import Activity, Campaign, Programme, Theme
    from peaceworks.directory.models import Organisation
    from peaceworks.impact.models import Round
    from peaceworks.impact.services import framework_install_default, round_open

    programme = Programme.objects.create(name="Load", code="load")
    campaign = Campaign.objects.create(programme=programme, name="Load", code="load")
    for number, code in enumerate(("migrants", "dignity", "gender", "peace", "participation"), 1):
        Theme.objects.create(campaign=campaign, number=number, code=code, name=code.title())
    framework_install_default(actor=None, campaign=campaign)
    host = Organisation.objects.create(name="Host", code="host", country="KE")
    start = timezone.localdate() - timedelta(days=13)
    activity = Activity.objects.create(
        campaign=campaign,
        host_organisation=host,
        code="load-1",
        title="Load activity",
        activity_type=Activity.Type.WORKCAMP,
        start_date=start,
        end_date=start + timedelta(days=13),
        country="KE",
        international_volunteers=10,
        local_volunteers=5,
    )
    activity.themes.set(Theme.objects.filter(campaign=campaign, number__in=(1, 4)))
    now = timezone.now()
    survey_round = round_open(
        actor=None,
        activity=activity,
        kind=Round.Kind.POST,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=5),
    )
    print(
        json.dumps(
            {
                "token": survey_round.token,
                "consent_version": survey_round.instrument.consent_version,
                "round_id": survey_round.pk,
            }
        )
    )


def stored_submission_ids(env: dict[str, str]) -> set[str]:
    """The submission ids the database holds, read on a connection of their own: a SQLite file
    directly (a child process would spend seconds of CPU starting Django to run one query),
    any other database by a separate process."""
    url = env["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            rows = connection.execute("SELECT submission_id FROM impact_response").fetchall()
        finally:
            connection.close()
        return {str(uuid.UUID(value)) for (value,) in rows}  # Django's UUIDs: 32 hex digits
    out = subprocess.run(
        [sys.executable, "-c", "from scripts.liveserver import _stored; _stored()"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def _stored() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from peaceworks.impact.models import Response

    ids = [str(value) for value in Response.objects.values_list("submission_id", flat=True)]
    print(json.dumps(ids))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running(
    env: dict[str, str], *, workers: int = 2, threads: int = 1, keep_alive: float | None = None
) -> Iterator[Server]:
    """gunicorn on 127.0.0.1 with ``workers`` processes; stopped (and waited for) on exit.
    ``keep_alive``: seconds an idle kept-alive connection stays open (gunicorn's default, 2 s,
    when None; only threaded workers keep connections alive)."""
    port = free_port()
    log = Path(env["PEACEWORKS_DATA_DIR"]) / f"gunicorn-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as sink:
        command = [
            *(str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}"),
            *("--workers", str(workers), "--threads", str(threads)),
            *("--timeout", "60", "--graceful-timeout", "5"),
            *("--config", f"python:{__name__}"),  # worker_exit below
            *(("--keep-alive", f"{keep_alive:g}") if keep_alive is not None else ()),
        ]
        process = subprocess.Popen(  # noqa: S603 -- our own server
            command,
            env=env,
            cwd=ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    server = Server(url=f"http://127.0.0.1:{port}", port=port, process=process, env=env, log=log)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {log.read_text(errors='replace')[-2000:]}")
            if request(server, "GET", "/healthz").status == 200:
                break
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not become ready in 180 s")
        _wait_for_warm_up(log, workers, deadline=time.monotonic() + 60)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


#: what a worker logs when its warm-up thread is done (peaceworks/web/warmup.py ``FINISHED``;
#: this module does not import Django)
WARM_UP_FINISHED = b"Server warm-up finished"


def _wait_for_warm_up(log: Path, workers: int, *, deadline: float) -> None:
    """Until each worker has logged the end of its warm-up (the chart engine, the snapshots:
    about 0.2 s of CPU a worker, more than a second of wall time on a busy machine), so that
    neither a test nor the load script's CPU figures count it; at most until ``deadline``."""
    while time.monotonic() < deadline:
        if log.read_bytes().count(WARM_UP_FINISHED) >= workers:
            return
        time.sleep(0.1)


def worker_exit(server: Any, worker: Any) -> None:
    """gunicorn's hook in a worker that has stopped serving (``--config`` names this module):
    leave at once. A worker whose requests are all answered would spend 2 to 4 s more of wall
    time (and about a second of CPU) on its interpreter's finalisation, and every stop of a
    server waits for its workers; what they wrote is committed, and the log is flushed."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


@dataclass(frozen=True)
class Reply:
    status: int  # 0 when no HTTP answer came (connection refused or reset)
    headers: dict[str, str]
    body: bytes
    seconds: float


def request(
    server: Server, method: str, path: str, body: bytes | None = None, timeout: float = 30
) -> Reply:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        data = answer.read()
        return Reply(
            answer.status,
            {k.lower(): v for k, v in answer.getheaders()},
            data,
            time.perf_counter() - started,
        )
    except OSError:
        return Reply(0, {}, b"", time.perf_counter() - started)
    finally:
        connection.close()


def submission(survey: Survey, *, submission_id: str | None = None, code: str = "") -> bytes:
    """A valid public submission body (a new respondent code unless one is given)."""
    body: dict[str, Any] = {
        "submission_id": submission_id or str(uuid.uuid4()),
        "language": "en",
        "consent_version": survey.consent_version,
        "matching_code": code or secrets.token_hex(4).upper(),
        "answers": {"t4_conflict": 4},
    }
    return json.dumps(body).encode()


def submit(server: Server, survey: Survey, body: bytes) -> Reply:
    return request(server, "POST", f"/api/v1/impact/public/rounds/{survey.token}/responses", body)

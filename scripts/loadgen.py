"""A light HTTP load generator for ``scripts/load.py``: asyncio streams, keep-alive
connections, one process. Open loop (requests sent at a fixed offered rate, each timed from
the moment it was due, so a slow server cannot slow the generator down and hide its own
latency) and closed loop (a fixed number of virtual users, for mixed traffic). Also reads
the CPU time that server processes spent, from ``/proc``."""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

#: a 503 is sent again after its Retry-After (capped here), as a client would
RETRIES = 5
RETRY_CAP_SECONDS = 1.0
#: the longest a request may take before it counts as an error (and is not acknowledged)
REQUEST_TIMEOUT = 30.0


@dataclass(frozen=True)
class Answer:
    status: int  # 0 when no HTTP answer came (refused, reset, timed out)
    headers: dict[str, str]
    body: bytes
    #: 1 when the request was sent again on a new connection because the kept-alive one had
    #: been closed by the server while idle (see :class:`Connection`); never an error
    reconnects: int = 0


class StaleConnection(Exception):
    """The server had closed a kept-alive connection while it was idle: the request found it
    closed (end of stream or reset) before any byte of an answer came back."""


class Connection:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1; reopened when the server closes it.

    A server closes keep-alive connections that stay idle too long (gunicorn: ``--keep-alive``,
    2 s by default). A request sent into such a connection meets the end of the stream, or a
    reset, before any byte of an answer: the server never read it. As HTTP clients do, it is
    sent once more on a new connection and counted in ``Answer.reconnects``, not as an error.
    A failure on a new connection, or after the first byte of an answer, stays an error.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.answered = 0  # answers read on the current connection

    async def request(
        self, method: str, path: str, body: bytes | None = None, extra: tuple[str, ...] = ()
    ) -> Answer:
        """``extra``: more header lines (``"Cookie: ..."``, a form's ``"Content-Type: ..."``)."""
        deadline = asyncio.get_running_loop().time() + REQUEST_TIMEOUT
        reconnects = 0
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            try:
                answer = await asyncio.wait_for(
                    self._request(method, path, body, extra), max(remaining, 0.001)
                )
            except StaleConnection:
                await self.close()
                if reconnects:
                    return Answer(0, {}, b"", reconnects)
                reconnects += 1
                continue
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                await self.close()
                return Answer(0, {}, b"", reconnects)
            return Answer(answer.status, answer.headers, answer.body, reconnects)

    async def _request(
        self, method: str, path: str, body: bytes | None, extra: tuple[str, ...]
    ) -> Answer:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            self.answered = 0
        assert self.reader is not None  # noqa: S101 -- opened together with the writer
        reused = self.answered > 0
        head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", *extra]
        if body is not None:
            if not any(line.lower().startswith("content-type:") for line in extra):
                head.append("Content-Type: application/json")
            head.append(f"Content-Length: {len(body)}")
        try:
            self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + (body or b""))
            await self.writer.drain()
            first = await self.reader.read(1)  # b"" at the end of the stream
        except (ConnectionResetError, BrokenPipeError) as error:
            if reused:
                raise StaleConnection from error
            raise
        if not first:
            if reused:
                raise StaleConnection
            raise asyncio.IncompleteReadError(b"", None)
        status_line, *lines = (
            (first + await self.reader.readuntil(b"\r\n\r\n")).decode().split("\r\n")
        )
        status = int(status_line.split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in lines:
            if ":" in line:
                name, value = line.split(":", 1)
                key = name.strip().lower()  # repeated headers (Set-Cookie) are joined
                headers[key] = (
                    f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
                )
        if "content-length" in headers:
            data = await self.reader.readexactly(int(headers["content-length"]))
        else:  # no length: the body runs to the end of the connection
            data = await self.reader.read()
            headers["connection"] = "close"
        self.answered += 1
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Answer(status, headers, data)

    async def close(self) -> None:
        writer, self.reader, self.writer = self.writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


class Pool:
    """At most ``size`` connections; a request waits for a free one (that wait is timed)."""

    def __init__(self, port: int, size: int) -> None:
        self.free: asyncio.Queue[Connection] = asyncio.Queue()
        for _ in range(size):
            self.free.put_nowait(Connection(port))

    async def request(
        self, method: str, path: str, body: bytes | None = None, extra: tuple[str, ...] = ()
    ) -> Answer:
        connection = await self.free.get()
        try:
            return await connection.request(method, path, body, extra)
        finally:
            self.free.put_nowait(connection)

    async def close(self) -> None:
        while not self.free.empty():
            await self.free.get_nowait().close()


@dataclass
class Tally:
    """What one run saw. ``acknowledged`` holds the submission ids answered 200/201."""

    latency_ms: list[float] = field(default_factory=list)
    acknowledged: set[str] = field(default_factory=set)
    requests: int = 0
    errors: int = 0
    busy: int = 0
    reconnects: int = 0  # requests sent again after a stale keep-alive connection (not errors)

    def answered(self, answer: Answer) -> None:
        self.requests += 1
        self.reconnects += answer.reconnects
        self.busy += answer.status == 503
        self.errors += answer.status != 503 and not 200 <= answer.status < 400


def p95(values: list[float]) -> float:
    if not values:
        return 0.0
    if len(values) < 20:
        return max(values)
    return statistics.quantiles(values, n=20)[-1]


async def submit(pool: Pool, path: str, body: bytes, submission_id: str, tally: Tally) -> None:
    """One submission, sent again after a 503 as its Retry-After says; acknowledged on 2xx."""
    for _attempt in range(RETRIES):
        answer = await pool.request("POST", path, body)
        tally.answered(answer)
        if answer.status != 503:
            break
        await asyncio.sleep(min(float(answer.headers.get("retry-after", "1")), RETRY_CAP_SECONDS))
    if answer.status in (200, 201):
        tally.acknowledged.add(submission_id)
    elif answer.status == 503:
        tally.errors += 1  # still refused after every retry: not acknowledged


async def _open_loop(
    port: int,
    path: str,
    bodies: Iterable[tuple[str, bytes]],
    rate: float,
    seconds: float,
    connections: int,
) -> Tally:
    tally = Tally()
    pool = Pool(port, connections)
    loop = asyncio.get_running_loop()
    started = loop.time()

    async def one(due: float, submission_id: str, body: bytes) -> None:
        await submit(pool, path, body, submission_id, tally)
        tally.latency_ms.append((loop.time() - due) * 1000)

    tasks = []
    for index, (submission_id, body) in zip(range(int(rate * seconds)), bodies, strict=False):
        due = started + index / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(due, submission_id, body)))
    await asyncio.gather(*tasks)
    await pool.close()
    return tally


def open_loop(
    port: int,
    path: str,
    bodies: Iterable[tuple[str, bytes]],
    *,
    rate: float,
    seconds: float,
    connections: int = 64,
) -> Tally:
    """Send ``rate * seconds`` submissions at a fixed rate, whatever the answers take; each
    latency runs from the moment its request was due (queueing for a connection included)."""
    return asyncio.run(_open_loop(port, path, bodies, rate, seconds, connections))


def closed_loop(
    port: int,
    visit: Callable[[Pool, Tally, Tally], Awaitable[None]],
    *,
    users: int,
    visits: int,
    max_seconds: float,
) -> tuple[Tally, Tally, float]:
    """``users`` virtual users each run ``visit(pool, submissions, reads)`` again and again
    until ``visits`` are done or ``max_seconds`` have passed."""
    submissions, reads = Tally(), Tally()
    remaining = iter(range(visits))

    async def run() -> float:
        pool = Pool(port, users)
        loop = asyncio.get_running_loop()
        started = loop.time()

        async def user() -> None:
            for _visit in remaining:
                if loop.time() - started > max_seconds:
                    return
                await visit(pool, submissions, reads)

        await asyncio.gather(*(user() for _ in range(users)))
        await pool.close()
        return loop.time() - started

    seconds = asyncio.run(run())
    return submissions, reads, seconds


async def timed_get(pool: Pool, path: str, tally: Tally) -> None:
    started = time.perf_counter()
    answer = await pool.request("GET", path)
    tally.latency_ms.append((time.perf_counter() - started) * 1000)
    tally.answered(answer)


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process (0 once it has gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _processes() -> Iterable[tuple[int, int, str]]:
    """(pid, parent pid, command line) of every process we can see."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError, IndexError):
            continue
        yield int(entry.name), parent, command


def server_pids(master: int, database: str = "") -> tuple[list[int], list[int]]:
    """The gunicorn master and its workers; the PostgreSQL backends serving ``database``
    (their process title names the database)."""
    application, backends = [master], []
    for pid, parent, command in _processes():
        if parent == master:
            application.append(pid)
        elif database and command.startswith("postgres: ") and f" {database} " in command:
            backends.append(pid)
    return application, backends


class CpuMeter:
    """CPU seconds the server's processes spend between :meth:`start` and :meth:`stop`:
    ``application`` (gunicorn) and ``database`` (PostgreSQL backends; 0 on SQLite, whose work
    runs inside the workers). Processes are looked up again at each reading."""

    def __init__(self, master: int, database: str = "") -> None:
        self.master, self.database = master, database
        self.before: dict[int, float] = {}
        self.application = self.database_seconds = 0.0

    def _read(self) -> tuple[dict[int, float], set[int]]:
        application, backends = server_pids(self.master, self.database)
        seconds = {pid: _cpu_seconds(pid) for pid in application + backends}
        return seconds, set(backends)

    def start(self) -> None:
        self.before, _backends = self._read()

    def stop(self) -> float:
        """The total; the split is left in ``application`` and ``database_seconds``."""
        after, backends = self._read()
        spent = {pid: seconds - self.before.get(pid, 0.0) for pid, seconds in after.items()}
        self.database_seconds = sum(spent[pid] for pid in backends)
        self.application = sum(spent.values()) - self.database_seconds
        return self.application + self.database_seconds

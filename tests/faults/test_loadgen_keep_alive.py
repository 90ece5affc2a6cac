"""The load generator against a server that closes idle keep-alive connections quickly.

gunicorn (threaded workers) closes a kept-alive connection idle longer than ``--keep-alive``
(its workers look every second, so a connection goes after 1-2 s idle at ``--keep-alive 1``).
At 8 submissions a second over a pool of 24 connections each connection idles 3 s between
requests, so with a 1 s keep-alive every request after the first 24 goes out on a connection
the server has already closed. ``scripts/loadgen.py`` sends such a request again on a new
connection and counts it as a reconnect: the run has no error, and every submission is
acknowledged and stored once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from scripts import liveserver, load, loadgen

# 4 s of sending (6 s before, over 32 connections idle for 4 s): 32 requests, of which 8 reuse
# a connection idle for 3 s less the time of its last answer, half as long again as the longest
# a closed one may stay open (2 s).
RATE, SECONDS, CONNECTIONS = 8.0, 4.0, 24

T = TypeVar("T")


def in_own_thread(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``function`` in a thread of its own: a browser journey run earlier in the same
    test process (Playwright's synchronous API) leaves an event loop set on the main thread,
    where ``asyncio.run`` refuses to start another."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def test_requests_on_connections_closed_while_idle_are_sent_again_not_errors(
    prepared: tuple[dict[str, str], liveserver.Survey],
) -> None:
    env, survey = prepared
    with liveserver.running(env, workers=1, threads=2, keep_alive=1) as server:
        tally = in_own_thread(
            loadgen.open_loop,
            server.port,
            load.submission_path(survey),
            load.bodies(survey, "5000"),
            rate=RATE,
            seconds=SECONDS,
            connections=CONNECTIONS,
        )
    stored = liveserver.stored_submission_ids(env)

    offered = int(RATE * SECONDS)
    assert tally.errors == 0
    assert tally.busy == 0
    assert tally.requests == offered
    # every request after the pool's first round found its connection closed by the server
    assert tally.reconnects >= offered - CONNECTIONS - 2
    assert len(tally.acknowledged) == offered
    assert tally.acknowledged <= stored


# The same rule against a tiny in-process server, for the cases gunicorn does not show on cue.

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter, int], Awaitable[None]]


def exchange(handler: Handler, requests: int) -> list[loadgen.Answer]:
    """``requests`` GETs one after the other on one ``loadgen.Connection``; ``handler`` gets
    each accepted connection with its number (0, 1, ...)."""

    async def run() -> list[loadgen.Answer]:
        accepted = 0

        async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            nonlocal accepted
            number, accepted = accepted, accepted + 1
            try:
                await handler(reader, writer, number)
            finally:
                writer.close()

        server = await asyncio.start_server(accept, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        connection = loadgen.Connection(port)
        answers = []
        for _ in range(requests):
            answers.append(await connection.request("GET", "/"))
            await asyncio.sleep(0.05)  # idle: the server may close the connection meanwhile
        await connection.close()
        server.close()
        await server.wait_closed()
        return answers

    return in_own_thread(asyncio.run, run())


async def answer_once_then_close(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, number: int
) -> None:
    """Keep-alive by the headers, but the connection is closed once idle after one answer."""
    await reader.readuntil(b"\r\n\r\n")
    writer.write(OK)
    await writer.drain()


def test_a_request_on_a_connection_closed_while_idle_is_sent_again_once() -> None:
    first, second, third = exchange(answer_once_then_close, 3)
    assert (first.status, first.reconnects) == (200, 0)
    assert (second.status, second.reconnects) == (200, 1)
    assert (third.status, third.reconnects) == (200, 1)


async def never_answer(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, number: int
) -> None:
    await reader.readuntil(b"\r\n\r\n")


def test_a_new_connection_closed_without_an_answer_is_an_error_not_resent() -> None:
    (answer,) = exchange(never_answer, 1)
    assert (answer.status, answer.reconnects) == (0, 0)


async def answer_only_the_first(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, number: int
) -> None:
    if number == 0:
        await answer_once_then_close(reader, writer, number)
    else:
        await never_answer(reader, writer, number)


def test_a_resent_request_that_fails_again_is_an_error() -> None:
    first, second = exchange(answer_only_the_first, 2)
    assert first.status == 200
    assert (second.status, second.reconnects) == (0, 1)


async def cut_mid_answer(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, number: int
) -> None:
    await answer_once_then_close(reader, writer, number)
    await reader.readuntil(b"\r\n\r\n")
    writer.write(OK[:10])  # part of an answer: the server read the request
    await writer.drain()


def test_a_connection_cut_after_part_of_an_answer_is_an_error_not_resent() -> None:
    first, second = exchange(cut_mid_answer, 2)
    assert first.status == 200
    assert (second.status, second.reconnects) == (0, 0)

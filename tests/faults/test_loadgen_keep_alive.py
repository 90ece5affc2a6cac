"""The load generator against a server that closes idle keep-alive connections quickly.

gunicorn (threaded workers) closes a kept-alive connection idle longer than ``--keep-alive``.
At 5 submissions a second over a pool of 64 connections each connection idles about 13 s
between requests, so with a 1 s keep-alive nearly every request after the first 64 goes out on
a connection the server has already closed. ``scripts/loadgen.py`` sends such a request again
on a new connection and counts it as a reconnect: the run has no error, and every submission is
acknowledged and stored once.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from scripts import liveserver, load, loadgen

RATE, SECONDS, CONNECTIONS = 5.0, 16.0, 64


def test_requests_on_connections_closed_while_idle_are_sent_again_not_errors() -> None:
    with tempfile.TemporaryDirectory(prefix="pw-keepalive-") as directory:
        data = Path(directory)
        env = liveserver.server_env(f"sqlite:///{data / 'keepalive.sqlite3'}", data)
        survey = liveserver.prepare(env)
        with liveserver.running(env, workers=1, threads=2, keep_alive=1) as server:
            tally = loadgen.open_loop(
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

"""A throw-away redis-server for the tests that stop or freeze Redis, and Celery pointed at it."""

import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager

import kombu.pools

from observatoire.celery import app
from observatoire.core import publish


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own, that it can stop, start, pause (SIGSTOP) and resume."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def pause(self):
        """Frozen, not dead: the kernel still accepts connections, nothing ever answers."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self):
        if self.process.poll() is None:
            self.resume()  # a stopped process would not act on SIGTERM before SIGCONT
            self.process.terminate()
            self.process.wait(timeout=10)


def reconnect():
    """Close and drop Celery's cached connections so the next call uses the current broker URL."""
    backend = vars(app._local).get("backend")
    if backend is not None:
        consumer = getattr(backend, "result_consumer", None)
        if consumer is not None:
            consumer.stop()
        client = getattr(backend, "client", None)
        if client is not None:
            client.connection_pool.disconnect()
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    vars(app._local).pop("backend", None)


@contextmanager
def celery_on(server):
    """Celery's broker and result backend on ``server`` for the duration of the block."""
    previous = (app.conf.broker_url, app.conf.result_backend)
    app.conf.broker_url = app.conf.result_backend = server.url
    app.conf.broker_connection_retry = False
    reconnect()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.result_backend = previous
        app.conf.broker_connection_retry = True
        reconnect()
        publish.reset_backoff()

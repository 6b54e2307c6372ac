"""The portal's console log lines carry the client's address from client_ip, not from a forged header."""

import io
import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from observatoire.core.request_log import ClientIPFilter, ClientIPMiddleware


@pytest.fixture
def console():
    """The console handler configured in settings.LOGGING, writing to a buffer for the test."""
    handler = next(
        h for h in logging.getLogger().handlers if any(isinstance(f, ClientIPFilter) for f in h.filters)
    )
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def serve(**headers):
    def view(request):
        logging.getLogger("observatoire.test").warning("page servie")
        return HttpResponse()

    ClientIPMiddleware(view)(RequestFactory().get("/", **headers))


def test_log_lines_name_the_client_behind_a_trusted_proxy(console, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    serve(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert "[client 203.0.113.9] page servie" in console.getvalue()


def test_log_lines_ignore_a_spoofed_header(console, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    serve(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert "[client 198.51.100.7] page servie" in console.getvalue()


def test_outside_a_request_the_address_is_a_dash(console):
    serve(REMOTE_ADDR="198.51.100.7")
    logging.getLogger("observatoire.test").warning("tâche de fond")
    assert "[client -] tâche de fond" in console.getvalue()

"""The client's address on every log line written while a request is served.

The middleware notes the address given by ``client_ip`` (the same one the audit and the limits
use, so a log line and an audit row about one request agree); the filter copies it onto each
record for the console formatter. Outside a request (Celery, commands) the address is "-".
"""

import logging
from contextvars import ContextVar

from .client import client_ip

_current_client_ip = ContextVar("client_ip", default="-")


class ClientIPMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_client_ip.set(client_ip(request) or "-")
        try:
            return self.get_response(request)
        finally:
            _current_client_ip.reset(token)


class ClientIPFilter(logging.Filter):
    def filter(self, record):
        record.client_ip = _current_client_ip.get()
        return True

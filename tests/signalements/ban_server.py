"""A stand-in for the national address API (an internet service) on loopback, for the tests.

It is the only thing mocked in the Open311 address tests: a real HTTP server in a thread, which
answers ``GET /search/`` with the hand-written BAN answers of ``fixtures/ban/`` — the file whose
``query`` is the ``q`` asked (or an empty collection), its features filtered by ``citycode`` and
cut at ``limit`` as the API does. ``mode`` makes it fail as a real service may: ``"down"``
answers 502, ``"slow"`` answers after ``delay`` seconds. Every query it received is in ``queries``.
"""

import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ANSWERS = Path(__file__).resolve().parents[2] / "fixtures" / "ban"


def _answers():
    answers = {}
    for path in ANSWERS.glob("*.json"):
        answer = json.loads(path.read_text(encoding="utf-8"))
        answers[answer["query"]] = answer
    return answers


class FakeBan:
    def __init__(self):
        self.answers = _answers()
        self.queries = []
        self.mode = "ok"
        self.delay = 1.0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}/search/"

    def answer(self, params):
        q = " ".join(params.get("q", "").lower().split())
        answer = dict(self.answers.get(q) or {"type": "FeatureCollection", "features": [], "query": q})
        features = answer["features"]
        if params.get("citycode"):
            features = [f for f in features if f["properties"]["citycode"] == params["citycode"]]
            answer["citycode"] = params["citycode"]
        limit = int(params.get("limit", 5))
        answer["features"] = features[:limit]
        answer["limit"] = limit
        return answer

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                params = {name: values[-1] for name, values in parse_qs(url.query).items()}
                fake.queries.append(params)
                if fake.mode == "slow":
                    time.sleep(fake.delay)
                if fake.mode == "down" or url.path != "/search/":
                    self.send_response(502 if fake.mode == "down" else 404)
                    self.end_headers()
                    return
                body = json.dumps(fake.answer(params), ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler


@contextmanager
def serving():
    fake = FakeBan()
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()

"""An HTTP receiver on 127.0.0.1 standing in for a webhook or a group robot."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    completed: bool = False

    def json(self):
        return json.loads(self.body)


class Receiver:
    """A local HTTP endpoint recording what it receives. `hold_first` keeps the first request
    waiting (as a slow receiver would) until `release()`; `status`, `headers` and `body` make
    it answer something else than 200 with `answer` as JSON."""

    def __init__(
        self,
        *,
        answer: dict | None = None,
        hold_first: bool = False,
        status: int = 200,
        headers: dict | None = None,
        body: bytes | None = None,
    ) -> None:
        self.requests: list[Received] = []
        self.answer = answer or {"errcode": 0, "errmsg": "ok"}
        self.hold_first = hold_first
        self.status, self.headers, self.body = status, headers or {}, body
        self._release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                item = Received(self.path, dict(self.headers), body)
                receiver.requests.append(item)
                if receiver.hold_first and len(receiver.requests) == 1:
                    receiver._release.wait(60)
                    return  # never answers: the sender is gone by now
                payload = receiver.body or json.dumps(receiver.answer).encode()
                self.send_response(receiver.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in receiver.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
                item.completed = True

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hook"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._release.set()
        self.server.shutdown()
        self.server.server_close()

    def release(self) -> None:
        self._release.set()

    @property
    def completed(self) -> list[Received]:
        return [r for r in self.requests if r.completed]

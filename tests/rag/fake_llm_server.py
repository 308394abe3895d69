"""A tiny OpenAI-compatible chat endpoint on 127.0.0.1 for tests: POST /v1/chat/completions, plain or SSE."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeLLMServer:
    """Replies with `reply`; or with HTTP `status`; after `delay_s`; streams fail after `fail_after` chunks if set.

    Every request body it received is kept in `requests`. Use as a context manager.
    """

    def __init__(
        self,
        reply: str = "",
        status: int = 200,
        delay_s: float = 0.0,
        chunk_chars: int = 4,
        fail_after: int | None = None,
    ) -> None:
        self.reply, self.status, self.delay_s = reply, status, delay_s
        self.chunk_chars, self.fail_after = chunk_chars, fail_after
        self.requests: list[dict[str, Any]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def prompt(self, index: int = -1) -> str:
        """The text of the last message of a received request."""
        return self.requests[index]["messages"][-1]["content"]

    def __enter__(self) -> FakeLLMServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _chunk(model: str, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _handler_for(fake: FakeLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def _send_json(self, status: int, payload: dict[str, Any]) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._send_json(404, {"error": {"message": f"no route {self.path}"}})
                return
            request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            fake.requests.append(request)
            try:
                if fake.delay_s:
                    time.sleep(fake.delay_s)
                if fake.status != 200:
                    self._send_json(fake.status, {"error": {"message": "fake server error", "type": "server_error"}})
                elif request.get("stream"):
                    self._stream(request["model"])
                else:
                    message = {"role": "assistant", "content": fake.reply}
                    self._send_json(
                        200,
                        {
                            "id": "chatcmpl-fake",
                            "object": "chat.completion",
                            "created": 0,
                            "model": request["model"],
                            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                        },
                    )
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout): nothing to do
                pass

        def _stream(self, model: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()  # HTTP/1.0: the body ends when the connection closes
            step = fake.chunk_chars
            pieces = [fake.reply[i : i + step] for i in range(0, len(fake.reply), step)]
            events = [_chunk(model, {"role": "assistant", "content": ""})]
            events += [_chunk(model, {"content": piece}) for piece in pieces]
            if fake.fail_after is not None:
                events = events[: fake.fail_after + 1] + [{"error": {"message": "fake failure mid-stream"}}]
            else:
                events.append(_chunk(model, {}, finish="stop"))
            for event in events:
                self.wfile.write(f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()
            if fake.fail_after is None:
                self.wfile.write(b"data: [DONE]\n\n")

    return Handler

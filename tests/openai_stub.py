"""A real local HTTP server speaking the OpenAI chat-completions API, with scripted behaviours.

Tests queue behaviours (`reply`, `status`, `sleep`, `malformed`, `garbage_text`, `disconnect`); each incoming
request takes the next one, and when the script runs out the server's default answers (an echo of the last
message unless told otherwise; `by_prompt` picks a behaviour by the prompt). Every request payload is recorded, as is the largest number of requests
handled at once, so tests can assert request counts, payloads and concurrency.

    with OpenAIStub() as stub:
        stub.script(status(429, retry_after=0.1), reply("hi"))
        ...  # point a client at stub.base_url

`python tests/openai_stub.py --latency 0.2` serves until killed and prints its base URL on the first line
(the benchmark runs it in its own process that way).
"""

from __future__ import annotations

import argparse
import json
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

CHAT_PATHS = ("/v1/chat/completions", "/chat/completions")


@dataclass
class StubResponse:
    """What the server sends for one request."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    disconnect: bool = False  # close the connection without answering


Behaviour = Callable[[dict[str, Any]], StubResponse]
"""Turns a request payload into the response to send."""


def count_words(text: str) -> int:
    """The stub's token count: whitespace-separated words."""
    return len(text.split())


def _message_text(message: dict[str, Any]) -> str:
    content = message.get("content") or ""
    if isinstance(content, list):  # content parts: keep the text ones
        return " ".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def completion_body(payload: dict[str, Any], texts: list[str], finish_reason: str = "stop") -> bytes:
    """A chat-completion response body with one choice per text and word-count usage."""
    prompt_tokens = sum(count_words(_message_text(m)) for m in payload.get("messages", []))
    completion_tokens = sum(count_words(t) for t in texts)
    return json.dumps(
        {
            "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": payload.get("model", "stub"),
            "choices": [
                {
                    "index": i,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": finish_reason,
                }
                for i, text in enumerate(texts)
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
    ).encode()


def echo_text(payload: dict[str, Any]) -> str:
    """The content of the request's last message."""
    messages = payload.get("messages") or [{}]
    return _message_text(messages[-1])


# -- behaviours --------------------------------------------------------------------------------------------
def reply(texts: str | list[str] | None = None, *, finish_reason: str = "stop") -> Behaviour:
    """Answer 200. A string is repeated for each of the request's `n` choices; a list is sent as exactly those
    choices (fewer than `n` simulates a server that ignores `n`); None echoes the last message."""

    def respond(payload: dict[str, Any]) -> StubResponse:
        if isinstance(texts, list):
            choices = texts
        else:
            text = echo_text(payload) if texts is None else texts
            choices = [text] * int(payload.get("n") or 1)
        return StubResponse(body=completion_body(payload, choices, finish_reason))

    return respond


def status(code: int, *, retry_after: float | None = None, message: str | None = None) -> Behaviour:
    """Answer with an HTTP error in OpenAI's error shape, optionally with a `Retry-After` header (seconds)."""
    headers = {} if retry_after is None else {"Retry-After": f"{retry_after:g}"}
    error = {"message": message or f"stub error {code}", "type": "stub_error", "code": code}
    body = json.dumps({"error": error}).encode()
    return lambda payload: StubResponse(status=code, body=body, headers=headers)


def sleep(seconds: float, then: Behaviour | None = None) -> Behaviour:
    """Wait `seconds` before answering as `then` does (an echo by default): a slow server, for timeouts."""
    answer = then or reply()

    def respond(payload: dict[str, Any]) -> StubResponse:
        response = answer(payload)
        response.delay_s += seconds
        return response

    return respond


def malformed() -> Behaviour:
    """A 200 whose JSON body is cut short."""
    return lambda payload: StubResponse(body=b'{"id": "chatcmpl-x", "choices": [{"index": 0, "mess')


def garbage_text(text: str = "<html><body>502 Bad Gateway</body></html>") -> Behaviour:
    """A 200 with a non-JSON body, as a misconfigured proxy might send."""
    return lambda payload: StubResponse(body=text.encode(), content_type="text/html")


def disconnect() -> Behaviour:
    """Close the connection without answering (a connection error on the client's side)."""
    return lambda payload: StubResponse(disconnect=True)


def by_prompt(behaviours: dict[str, Behaviour], otherwise: Behaviour | None = None) -> Behaviour:
    """Answer as the behaviour named by the request's last message, else as `otherwise` (an echo): lets one
    row of a concurrent batch misbehave whatever the order in which requests arrive."""
    fallback = otherwise or reply()
    return lambda payload: behaviours.get(echo_text(payload), fallback)(payload)


# -- server ------------------------------------------------------------------------------------------------
class OpenAIStub:
    """The scripted server, bound to 127.0.0.1 on a free port, serving from a background thread.

    `latency_s` delays every answer (for benchmarks); `max_choices` caps the choices returned whatever `n`
    asks for; `reject_n` answers 400 to any request with `n` > 1, as servers without `n` support do.
    """

    def __init__(
        self,
        *,
        latency_s: float = 0.0,
        max_choices: int | None = None,
        reject_n: bool = False,
        default: Behaviour | None = None,
        port: int = 0,
    ):
        self.latency_s = latency_s
        self.max_choices = max_choices
        self.reject_n = reject_n
        self.default: Behaviour = default or reply()
        self.requests: list[dict[str, Any]] = []
        # called with (payload, response) once a response has gone out whole (benchmarks count answers)
        self.on_delivered: Callable[[dict[str, Any], StubResponse], None] | None = None
        self.max_in_flight = 0
        self._queue: deque[Behaviour] = deque()
        self._in_flight = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.stub = self
        # A short poll interval keeps `stop()` (which waits for the next poll) quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), name="openai-stub", daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def request_count(self) -> int:
        return len(self.requests)

    def script(self, *behaviours: Behaviour) -> None:
        """Queue behaviours for the next requests, in arrival order."""
        with self._lock:
            self._queue.extend(behaviours)

    def start(self) -> OpenAIStub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers that are sleeping
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> OpenAIStub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- called from handler threads ---------------------------------------------------------------------
    def _begin(self, payload: dict[str, Any]) -> Behaviour:
        with self._lock:
            self.requests.append(payload)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            if self._queue:
                return self._queue.popleft()
        n = int(payload.get("n") or 1)
        if self.reject_n and n > 1:
            return status(400, message=f"n must be 1 on this server (got n={n})")
        return self.default

    def _end(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _respond(self, payload: dict[str, Any]) -> StubResponse:
        response = self._begin(payload)(payload)
        if self.max_choices is not None and response.status == 200:
            response = _cap_choices(response, self.max_choices)
        return response

    def _wait(self, seconds: float) -> bool:
        """Sleep unless the server stops first; True when it did."""
        return seconds > 0 and self._stopping.wait(seconds)


def _cap_choices(response: StubResponse, max_choices: int) -> StubResponse:
    try:
        body = json.loads(response.body)
    except ValueError:
        return response
    body["choices"] = body.get("choices", [])[:max_choices]
    response.body = json.dumps(body).encode()
    return response


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # many clients connect at once at the start of a batch
    stub: OpenAIStub


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real endpoints do
    # Headers and body go out in two writes; with Nagle's algorithm the second waits for the client's
    # delayed ACK (~40 ms), which would swamp any latency measured against the stub.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request access log."""

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.split("?")[0] not in CHAT_PATHS:
            self._send(status(404, message=f"no route {self.path}")({}))
            return
        try:
            payload = json.loads(raw)
        except ValueError:
            self._send(status(400, message="request body is not JSON")({}))
            return
        stub = self.server.stub
        try:
            response = stub._respond(payload)
            if stub._wait(stub.latency_s + response.delay_s):
                return
            if self._send(response) and stub.on_delivered is not None:
                stub.on_delivered(payload, response)
        finally:
            stub._end()

    def _send(self, response: StubResponse) -> bool:
        """Send `response`; False when the client was gone before it all went out."""
        try:
            if response.disconnect:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return False
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(response.body)
            self.wfile.flush()
            return True
        except OSError:
            # The client gave up (its timeout fired) and closed the socket: nothing left to tell it.
            self.close_connection = True
            return False


@pytest.fixture(name="openai_stub")
def openai_stub_fixture() -> Iterator[OpenAIStub]:
    """A running stub for one test; its script and records start empty."""
    with OpenAIStub() as stub:
        yield stub


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args()
    stub = OpenAIStub(latency_s=args.latency, port=args.port).start()
    print(stub.base_url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        stub.stop()


if __name__ == "__main__":
    main()

"""An HTTP reward server for RL frameworks that ask a remote service for rewards (OpenRLHF's `--remote_rm_url`).

    POST /get_reward  {"query": [prompt + response, ...], "prompts": [...], "labels": [...]}  (the last two
                      optional, sent by newer OpenRLHF)  ->  {"rewards": [float, ...]}
    GET  /health      ->  {"status": "ok", "problems": N, "reward": name}

Each query is matched to its problem (see `lookup`), the responses of a request are run against their
problems' tests in one sandbox batch, and the reward is one of the rewards of `rewards`. A request naming a
problem the server does not know is refused with 422 and the indices of the unknown queries, rather than
scored as a failure. Requests are handled one at a time (the sandbox pool is what does the work in parallel).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from acecoder.rl.lookup import ProblemIndex
from acecoder.rl.rewards import RewardFunc

MAX_REQUEST_BYTES = 256 * 2**20


class RequestError(ValueError):
    def __init__(self, status: HTTPStatus, message: str, **details: Any):
        super().__init__(message)
        self.status = status
        self.details = details


class RewardService:
    """Rewards for batches of OpenRLHF queries."""

    def __init__(self, index: ProblemIndex, reward: RewardFunc):
        self.index = index
        self.reward = reward
        self._lock = threading.Lock()

    def rewards(
        self,
        queries: Sequence[str],
        prompts: Sequence[str] | None = None,
        labels: Sequence[Any] | None = None,
    ) -> list[float]:
        prompts = prompts or [None] * len(queries)
        labels = labels or [None] * len(queries)
        if len(prompts) != len(queries) or len(labels) != len(queries):
            raise RequestError(HTTPStatus.BAD_REQUEST, "prompts and labels must be as long as query")
        samples = [self.index.find(q, p, label) for q, p, label in zip(queries, prompts, labels, strict=True)]
        unknown = [i for i, sample in enumerate(samples) if sample is None]
        if unknown:
            raise RequestError(
                HTTPStatus.UNPROCESSABLE_ENTITY, "queries of unknown problems", unknown=unknown
            )
        with self._lock:
            values = self.reward(
                prompts=[s.problem.question for s in samples],
                completions=[s.response for s in samples],
                tests=[list(s.problem.tests) for s in samples],
                entry_point=[s.problem.entry_point or None for s in samples],
                question=[s.problem.question for s in samples],
            )
        # a problem without tests has no reward; frameworks need a number, and 0 is "not passed"
        return [0.0 if value is None else float(value) for value in values]


def _string_list(payload: dict[str, Any], key: str, required: bool) -> list[str] | None:
    value = payload.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RequestError(HTTPStatus.BAD_REQUEST, f"`{key}` must be a list of strings")
    return value


class _Handler(BaseHTTPRequestHandler):
    service: RewardService  # set on the subclass `make_server` builds

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path.rstrip("/") != "/health":
            self._send(HTTPStatus.NOT_FOUND, {"error": f"no route {self.path}"})
            return
        self._send(
            HTTPStatus.OK,
            {"status": "ok", "problems": len(self.service.index), "reward": self.service.reward.__name__},
        )

    def do_POST(self) -> None:  # noqa: N802
        if self.path.rstrip("/") != "/get_reward":
            self._send(HTTPStatus.NOT_FOUND, {"error": f"no route {self.path}"})
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_REQUEST_BYTES:
                raise RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "request too large")
            try:
                payload = json.loads(self.rfile.read(length) or b"{}")
            except json.JSONDecodeError as exc:
                raise RequestError(HTTPStatus.BAD_REQUEST, f"not JSON: {exc}") from None
            if not isinstance(payload, dict):
                raise RequestError(HTTPStatus.BAD_REQUEST, "the body must be a JSON object")
            labels = payload.get("labels")
            if labels is not None and not isinstance(labels, list):
                raise RequestError(HTTPStatus.BAD_REQUEST, "`labels` must be a list")
            rewards = self.service.rewards(
                _string_list(payload, "query", True), _string_list(payload, "prompts", False), labels
            )
        except RequestError as exc:
            self._send(exc.status, {"error": str(exc), **exc.details})
            return
        self._send(HTTPStatus.OK, {"rewards": rewards})

    def _send(self, status: HTTPStatus, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's signature)
        """Quiet: one line per request would drown a training log."""


def make_server(service: RewardService, host: str = "127.0.0.1", port: int = 5000) -> ThreadingHTTPServer:
    """A server bound to (host, port) and not yet serving; port 0 picks a free port (see `server_address`)."""
    handler = type("RewardHandler", (_Handler,), {"service": service})
    return ThreadingHTTPServer((host, port), handler)

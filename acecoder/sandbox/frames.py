"""Authenticated frames from a job process to its worker: `[length][JSON payload][MAC]`.

The MAC is keyed BLAKE2b (a MAC by design, and CPython's own C code: unlike OpenSSL's HMAC its first call in
a freshly forked process touches few memory pages, which is most of what a call costs there).

The worker makes a fresh random key for every attempt at a job and checks every frame; the first bytes
that are not a well-formed frame under that key (garbage, a truncated frame, a frame copied from this
format without the key) make the worker stop reading and give every unit still without a verdict
status `killed`. Nothing else the job writes, anywhere, is read as a verdict.

The writer runs after untrusted code in the job process, so it keeps its own builtins and calls only
functions captured when this module was imported (C functions where possible), so that patching `json`,
`hmac`, `os` or `builtins` does not change what it writes.
"""

from __future__ import annotations

import builtins
import hmac
import json
import os
import struct
from _blake2 import blake2b
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

__builtins__ = dict(vars(builtins))

MAC_SIZE = 32
MAX_PAYLOAD = 8 * 2**20
_HEADER = struct.Struct(">I")


def _mac(key: bytes, data: bytes) -> bytes:
    return blake2b(data, key=key, digest_size=MAC_SIZE).digest()


_pack = _HEADER.pack
_unpack_from = _HEADER.unpack_from
_write = os.write
_compare_digest = hmac.compare_digest


def _refuse(value: object) -> None:
    raise TypeError(f"not JSON: {type(value).__name__}")


try:
    from _json import encode_basestring_ascii as _escape
    from _json import make_encoder as _make_encoder

    _json_chunks = _make_encoder(None, _refuse, _escape, None, ":", ",", False, False, True)

    def _dumps(message: Any) -> str:
        return "".join(_json_chunks(message, 0))
except ImportError:  # Python built without the _json accelerator
    _dumps = json.JSONEncoder(separators=(",", ":"), default=_refuse).encode


class CorruptChannel(Exception):
    """The job wrote something to its result channel that is not a frame under this attempt's key."""


class FrameWriter:
    """Sends frames on one file descriptor under one key."""

    def __init__(self, fd: int, key: bytes) -> None:
        self._fd = fd
        self._key = key

    def send(self, message: dict[str, Any]) -> None:
        payload = _dumps(message).encode("utf-8", "surrogatepass")
        if len(payload) > MAX_PAYLOAD:
            payload = _dumps(
                {
                    **message,
                    "values": None,
                    "status": "error",
                    "error_type": "ValueTooLarge",
                    "message": f"report larger than {MAX_PAYLOAD} bytes",
                }
            ).encode()
        signed = _pack(len(payload)) + payload
        frame = memoryview(signed + _mac(self._key, signed))
        while frame:
            frame = frame[_write(self._fd, frame) :]


class FrameReader:
    """Turns the bytes read from a job's result channel into messages, checking each frame's MAC."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._buffer = bytearray()

    def feed(self, data: bytes) -> Iterator[dict[str, Any]]:
        """Messages completed by `data`, each yielded as soon as it is checked; raises CorruptChannel at the
        first bad frame, after the good frames before it (a job's verdicts written before it spoiled its
        channel stand, and frames of tests that share a process often arrive in one read)."""
        self._buffer += data
        while len(self._buffer) >= _HEADER.size:
            (length,) = _unpack_from(self._buffer)
            if length > MAX_PAYLOAD:
                raise CorruptChannel(f"frame length {length} exceeds {MAX_PAYLOAD}")
            end = _HEADER.size + length
            if len(self._buffer) < end + MAC_SIZE:
                return
            signed = bytes(self._buffer[:end])
            if not _compare_digest(_mac(self._key, signed), bytes(self._buffer[end : end + MAC_SIZE])):
                raise CorruptChannel("frame with a wrong MAC")
            del self._buffer[: end + MAC_SIZE]
            try:
                message = json.loads(signed[_HEADER.size :].decode("utf-8", "surrogatepass"))
            except (ValueError, RecursionError) as exc:
                raise CorruptChannel(f"frame is not JSON: {exc}") from None
            if type(message) is not dict:
                raise CorruptChannel("frame is not a JSON object")
            yield message

    @property
    def pending(self) -> int:
        """Bytes received that do not yet form a whole frame."""
        return len(self._buffer)

"""The zygote: a worker's fork server, pid 1 of its jobs' PID namespace, which starts and ends job processes.

A freshly forked process pays a page fault for every page either side writes afterwards, so the worker
(worker.py) never forks once its zygote runs: parsing, compiling, reading frames and timing happen in the
worker, whose pages then stay its own, and the zygote, which does little between forks, forks. The two
talk over a Unix socket, in length-prefixed `marshal` messages (both are trusted: neither runs program
code), the result and output pipes of a job process passed along with "run":

    worker -> zygote   ("run", attempt, new_job, rlimits, job) + 2 fds; `job` is the marshalled (program
                       code, defined names, units, start, key, fork_per_test), which only the job process
                       unpacks: objects made in the zygote between forks would cost it page faults
    zygote -> worker   ("exited", attempt, wait status)    the job process ended by itself
                       ("failed", attempt, message)        it could not be started
    worker -> zygote   ("end",)                            the attempt is over
    zygote -> worker   ("ended", attempt, wait status | None)   every process of the job killed, reaped

Messages name their attempt: the worker does not wait for "ended" when every verdict is in, and skips
what comes late about an attempt it has left.

With a PID namespace, ending a job is `kill(-1, SIGKILL)`: from pid 1 it reaches every process of the
namespace but the zygote itself. Without one, the zygote kills the job's process group, then every
process left under it (a subreaper, orphans of the job come back to it) until none is left.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import select
import shutil
import signal
import socket
import struct
import traceback
from typing import Any

from acecoder.sandbox import child, linux, namespaces

_HEADER = struct.Struct(">I")


def send(sock: socket.socket, message: tuple, fds: list[int] | None = None) -> None:
    payload = marshal.dumps(message)
    header = _HEADER.pack(len(payload))
    if fds:
        socket.send_fds(sock, [header], fds)
    else:
        sock.sendall(header)
    sock.sendall(payload)


def receive(sock: socket.socket) -> tuple[tuple, list[int]] | None:
    """The next message and the descriptors that came with it; None when the other side is gone."""
    try:
        header, fds, _, _ = socket.recv_fds(sock, _HEADER.size, 2)
    except ConnectionResetError:
        return None
    if len(header) < _HEADER.size:
        if not header:
            return None
        header += _receive_exactly(sock, _HEADER.size - len(header))
    (length,) = _HEADER.unpack(header)
    return marshal.loads(_receive_exactly(sock, length)), fds


def _receive_exactly(sock: socket.socket, count: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < count:
        chunk = sock.recv(count - len(chunks))
        if not chunk:
            raise ConnectionError("the other end of the worker's socket is gone")
        chunks += chunk
    return bytes(chunks)


def start(setup: namespaces.Setup, scratch_mb: int) -> tuple[socket.socket, int]:
    """Fork the zygote; returns the worker's end of their socket and the zygote's pid."""
    worker_end, zygote_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    pid = os.fork()
    if pid:
        zygote_end.close()
        return worker_end, pid
    try:
        worker_end.close()
        keep = zygote_end.fileno()  # and stderr: nothing of the worker's, its pipes to the pool least of all
        os.closerange(3, keep)
        os.closerange(keep + 1, 1 << 20)
        namespaces.confine_zygote(setup, scratch_mb)
        namespaces.drop_privileges(setup)
        linux.prctl(linux.PR_SET_PDEATHSIG, signal.SIGKILL)  # after any uid change, which clears it
        send(zygote_end, ("ready", setup.steps, setup.warnings, setup.host_uid))
        _Zygote(zygote_end, setup).serve()
    except BaseException:
        traceback.print_exc()  # a fault of the sandbox's own: say where, then the worker reports it lost
    finally:
        os._exit(0)


class _Zygote:
    def __init__(self, sock: socket.socket, setup: namespaces.Setup) -> None:
        self.sock = sock
        self.pid_namespace = bool(setup.steps.get("pid_namespace"))
        self.private_tmp = bool(setup.steps.get("minimal_root"))  # a tmpfs at /tmp for this worker alone
        self.null_fd = os.open(os.devnull, os.O_RDONLY)
        self.scratch: str | None = None
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # inherited: a job's oversized write fails, not kills

    def serve(self) -> None:
        try:
            while (received := receive(self.sock)) is not None:
                message, fds = received
                if message[0] == "run":
                    self._run(message, fds)
        except ConnectionError:
            # The worker left while this zygote still had news for it (it does not wait for "ended" once
            # every verdict is in, and may end right after): nobody is left to serve.
            pass
        finally:
            if not self.private_tmp and self.scratch is not None:  # a directory of its own in the host's /tmp
                # best effort: a job still running when its worker left may be writing there until it dies too
                with contextlib.suppress(OSError):
                    shutil.rmtree(self.scratch, onerror=_retry_writable)

    def _run(self, message: tuple, fds: list[int]) -> None:
        _, attempt, new_job, rlimits, job = message
        if new_job or self.scratch is None:
            self._new_scratch()
        confinement = child.Confinement(self.null_fd, rlimits, die_with_zygote=not self.pid_namespace)
        try:
            pid = os.fork()
        except OSError as exc:
            pid = None
            send(self.sock, ("failed", attempt, f"could not start the job process: {exc}"))
        if pid == 0:
            code, defined, units, start, key, fork_per_test = marshal.loads(job)
            program = child.Program(code, defined)
            units = [child.Unit(*unit) for unit in units]
            child.run(program, units, start, key, fds[0], fds[1], confinement, fork_per_test)
        for fd in fds:
            os.close(fd)
        status = self._wait_for_end(attempt, pid)
        send(self.sock, ("ended", attempt, status))

    def _wait_for_end(self, attempt: int, pid: int | None) -> int | None:
        """Report the job process's end if it comes first; on "end", kill and reap the whole job."""
        status = None
        if pid is not None:
            pidfd = os.pidfd_open(pid)
            poller = select.poll()
            poller.register(pidfd, select.POLLIN)
            poller.register(self.sock, select.POLLIN)
            while not any(fd == self.sock.fileno() for fd, _ in poller.poll()):
                _, status = os.waitpid(pid, 0)
                send(self.sock, ("exited", attempt, status))
                poller.unregister(pidfd)
            os.close(pidfd)
        message = receive(self.sock)
        if message is None:
            os._exit(0)
        return self._kill_job(pid, status)

    def _kill_job(self, pid: int | None, status: int | None) -> int | None:
        if self.pid_namespace:
            with contextlib.suppress(ProcessLookupError):  # nothing left to kill
                os.kill(-1, signal.SIGKILL)  # as pid 1 of its namespace, this spares only the zygote itself
        elif pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        while True:
            if not self.pid_namespace:
                _kill_children()
            try:
                reaped, wait_status = os.waitpid(-1, 0)
            except ChildProcessError:
                return status
            if reaped == pid:
                status = wait_status

    def _new_scratch(self) -> None:
        """Empty the shared scratch tmpfs, or replace the last job's own scratch directory."""
        if self.private_tmp:
            self.scratch = "/tmp"
            os.chdir(self.scratch)
            os.chmod(self.scratch, 0o1777)
            for entry in os.scandir(self.scratch):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, onerror=_retry_writable)
                else:
                    os.unlink(entry.path)
            return
        # Made by hand, not with `tempfile`, which imports `random`, whose fork hook every job would pay for.
        previous, self.scratch = (
            self.scratch,
            os.path.join(os.environ.get("TMPDIR", "/tmp"), f"acecoder-job-{os.urandom(8).hex()}"),
        )
        os.mkdir(self.scratch, 0o700)  # fails rather than reuse anything already there
        os.chdir(self.scratch)
        if previous is not None:
            shutil.rmtree(previous, onerror=_retry_writable)


def _retry_writable(function: Any, path: str, _: Any) -> None:
    """rmtree's error handler: a job may leave directories without write or search permission."""
    os.chmod(os.path.dirname(path), 0o700)
    if os.path.isdir(path) and not os.path.islink(path):
        os.chmod(path, 0o700)
    with contextlib.suppress(FileNotFoundError):
        function(path)


def _kill_children() -> None:
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/children") as handle:
                children = [int(pid) for pid in handle.read().split()]
        except OSError:
            continue
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

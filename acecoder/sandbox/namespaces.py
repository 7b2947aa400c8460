"""Confine a worker process when it starts: Linux namespaces, a minimal read-only root, a private /proc.

Steps, in order; each is recorded in `Isolation`, and a step the kernel refuses is reported in its
warnings (the pool prints them), never skipped silently:

1. Started as root: a private mount namespace and the minimal root are made while still root (the Python
   install may live under /root), then the process drops to nobody (65534) for good, so that jobs never run
   as host uid 0 (for which the kernel ignores RLIMIT_NPROC) and cannot read root-only files.
2. A user namespace in which the process is uid 1000, mapped to its own host uid: the worker holds
   capabilities only inside it, where they reach nothing of the host's.
3. Mount (again inside the user namespace: mounts made as root become locked read-only), network (only a
   loopback device, down: no connection to anything, 127.0.0.1 included), IPC, UTS and PID namespaces.
   Started unprivileged, the minimal root is built here.
4. A fork (zygote.py): the zygote, which forks every job process, is pid 1 of the new PID namespace, which
   jobs can neither signal (the kernel shields a namespace's init) nor see past: the worker itself stays
   outside it, out of the jobs' sight.
5. In the zygote: a fresh /proc that shows only it and its jobs, a scratch tmpfs at /tmp, nested user
   namespaces refused (user.max_user_namespaces = 0).
6. Last, for good, in both: no capabilities, no_new_privs, non-dumpable (no ptrace or /proc/1/mem for
   jobs) and the seccomp filter (seccomp.py). Job processes inherit all four; none costs a job anything.

The minimal root holds read-only binds of /usr, /bin, /sbin, /lib*, /etc and the Python installation
(prefixes and the standard library), a few device nodes, /proc and /tmp, where a scratch tmpfs, emptied
between jobs, is the jobs' only writable place. Home directories, the project (its .env included) and
everything else of the host's are absent.
"""

from __future__ import annotations

import contextlib
import os
import sys
import sysconfig
from dataclasses import dataclass, field, fields

from acecoder.sandbox import linux, seccomp

NOBODY = 65534
SANDBOX_ID = 1000  # uid and gid of jobs inside their user namespace
_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
_DEVICES = ("null", "zero", "full", "random", "urandom")
_NEW_ROOT = "/tmp"  # in the worker's own mount namespace, where the host's /tmp is out of sight anyway
SCRATCH_INODES = 10_000


@dataclass(frozen=True)
class Isolation:
    """The protections a pool's workers run under; `warnings` says what is missing and why."""

    user_namespace: bool = False
    mount_namespace: bool = False
    network_namespace: bool = False
    pid_namespace: bool = False
    ipc_namespace: bool = False
    uts_namespace: bool = False
    minimal_root: bool = False
    read_only_root: bool = False
    private_proc: bool = False
    nested_userns_blocked: bool = False
    seccomp: bool = False
    host_uid: int = -1  # the host uid job processes run as (never 0)
    warnings: tuple[str, ...] = field(default=())

    @property
    def enabled(self) -> list[str]:
        return [f.name for f in fields(self) if f.type == "bool" and getattr(self, f.name)]

    @property
    def complete(self) -> bool:
        return not self.warnings

    def __str__(self) -> str:
        text = f"on: {', '.join(self.enabled) or 'nothing'}; jobs run as host uid {self.host_uid}"
        return text + (f"; missing: {'; '.join(self.warnings)}" if self.warnings else "")


@dataclass
class Setup:
    """How far confinement got: steps done (Isolation's flags), warnings, the jobs' host uid."""

    steps: dict[str, bool] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    host_uid: int | None = None

    def isolation(self) -> Isolation:
        host_uid = os.getuid() if self.host_uid is None else self.host_uid
        return Isolation(**self.steps, host_uid=host_uid, warnings=tuple(self.warnings))


def enter_namespaces(use_namespaces: bool) -> Setup:
    """Steps 1 to 3, in the worker before it starts its zygote (see zygote.py), which takes step 4."""
    os.umask(0o022)
    _raise_oom_score()
    setup = Setup()
    if use_namespaces:
        setup.host_uid = _make_namespaces(setup.steps, setup.warnings)
    else:
        setup.warnings.append(
            "namespaces turned off by the caller: programs can reach the network, write wherever "
            "this user can and signal this user's processes"
        )
    return setup


def confine_zygote(setup: Setup, scratch_mb: int) -> None:
    """Steps 4 and 5, in the zygote: pid 1 of the new PID namespace when there is one."""
    steps, warnings = setup.steps, setup.warnings
    if not steps.get("pid_namespace"):
        linux.prctl(linux.PR_SET_CHILD_SUBREAPER, 1)  # orphans of a job come back to the zygote to be killed
    elif steps.get("mount_namespace"):
        flags = linux.MS_NOSUID | linux.MS_NODEV | linux.MS_NOEXEC
        steps["private_proc"] = _try(warnings, "private /proc", linux.mount, "proc", "/proc", "proc", flags)
    if steps.get("minimal_root"):
        options = f"size={scratch_mb}m,nr_inodes={SCRATCH_INODES},mode=1777"
        linux.mount("tmpfs", "/tmp", "tmpfs", linux.MS_NOSUID | linux.MS_NODEV, options)
    if steps.get("user_namespace"):
        steps["nested_userns_blocked"] = _try(
            warnings, "refusing nested user namespaces", _write, "/proc/sys/user/max_user_namespaces", "0"
        )


def drop_privileges(setup: Setup) -> None:
    """Step 6, in the worker and in its zygote alike (job processes inherit the zygote's state)."""
    if os.geteuid() == 0:  # no user namespace: leave root now that the namespaces are made
        _become(NOBODY)
        setup.host_uid = NOBODY
    linux.prctl(linux.PR_SET_DUMPABLE, 0)
    linux.drop_capabilities()
    linux.prctl(linux.PR_SET_NO_NEW_PRIVS, 1)
    if seccomp.FILTER is None:
        setup.steps["seccomp"] = False
        setup.warnings.append(f"seccomp filter unavailable on {linux.MACHINE}")
    else:
        setup.steps["seccomp"] = _try(
            setup.warnings, "seccomp filter", linux.install_seccomp_filter, seccomp.FILTER
        )


def _make_namespaces(steps: dict[str, bool], warnings: list[str]) -> int | None:
    """Make every namespace the kernel allows; returns the host uid mapped into the user namespace."""
    host_uid = None
    if os.geteuid() == 0:
        steps["mount_namespace"] = _try(warnings, "mount namespace", linux.unshare, linux.CLONE_NEWNS)
        steps["minimal_root"] = steps["mount_namespace"] and _try(
            warnings, "minimal root", _build_minimal_root
        )
        if steps["minimal_root"]:
            _become(NOBODY)
    if os.geteuid() != 0:
        host_uid = os.getuid()
        steps["user_namespace"] = _try(warnings, "user namespace", _enter_user_namespace)
        if not steps["user_namespace"]:
            warnings.append(
                "without a user namespace no other namespace can be made: programs can reach the "
                "network, write wherever this user can and signal this user's processes"
            )
            return None
    for name, flag in (
        ("mount_namespace", linux.CLONE_NEWNS),
        ("network_namespace", linux.CLONE_NEWNET),
        ("ipc_namespace", linux.CLONE_NEWIPC),
        ("uts_namespace", linux.CLONE_NEWUTS),
        ("pid_namespace", linux.CLONE_NEWPID),
    ):
        made = _try(warnings, name.replace("_", " "), linux.unshare, flag)
        steps[name] = steps.get(name, False) or made
        if name == "mount_namespace" and made and not steps.get("minimal_root"):
            steps["minimal_root"] = _try(warnings, "minimal root", _build_minimal_root)
    steps["read_only_root"] = steps.get("minimal_root", False)
    return host_uid


def _try(warnings: list[str], what: str, action, *args) -> bool:
    try:
        action(*args)
    except OSError as exc:
        warnings.append(f"{what} refused ({exc.strerror or exc})")
        return False
    return True


def _write(path: str, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


def _raise_oom_score() -> None:
    """Make the kernel's out-of-memory killer pick sandbox processes before anything else."""
    with contextlib.suppress(OSError):
        _write("/proc/self/oom_score_adj", "1000")


def _become(uid: int) -> None:
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    linux.prctl(linux.PR_SET_DUMPABLE, 1)  # a uid change made /proc/self root's; the next step writes there


def _enter_user_namespace() -> None:
    uid, gid = os.getuid(), os.getgid()
    linux.unshare(linux.CLONE_NEWUSER)
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{SANDBOX_ID} {uid} 1")
    _write("/proc/self/gid_map", f"{SANDBOX_ID} {gid} 1")
    os.setresgid(SANDBOX_ID, SANDBOX_ID, SANDBOX_ID)
    os.setresuid(SANDBOX_ID, SANDBOX_ID, SANDBOX_ID)


def _python_dirs() -> list[str]:
    paths = sysconfig.get_paths()
    candidates = {
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        sys.base_exec_prefix,
        os.path.dirname(os.path.realpath(sys.executable)),
        *(paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")),
    }
    found = sorted({os.path.realpath(path) for path in candidates} | candidates)
    kept: list[str] = []
    for path in found:  # parents first: a child of a bound directory comes with it
        inside = any(path == top or path.startswith(top + "/") for top in [*kept, *_SYSTEM_DIRS])
        if os.path.isdir(path) and not inside:
            kept.append(path)
    return kept


def _build_minimal_root() -> None:
    """Pivot into a tmpfs holding read-only binds of what Python programs need (see the module doc)."""
    linux.mount(None, "/", None, linux.MS_REC | linux.MS_PRIVATE)
    linux.mount("tmpfs", _NEW_ROOT, "tmpfs", linux.MS_NOSUID | linux.MS_NODEV, "mode=0755,size=1m")
    read_only = ["/"]
    for path in [*_SYSTEM_DIRS, *_python_dirs()]:
        target = _NEW_ROOT + path
        if os.path.islink(path):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.symlink(os.readlink(path), target)
        elif os.path.isdir(path):
            os.makedirs(target, exist_ok=True)
            linux.mount(path, target, None, linux.MS_BIND | linux.MS_REC)
            read_only.append(path)
    os.makedirs(_NEW_ROOT + "/dev")
    for device in _DEVICES:
        target = f"{_NEW_ROOT}/dev/{device}"
        open(target, "w").close()
        linux.mount(f"/dev/{device}", target, None, linux.MS_BIND)
        read_only.append(f"/dev/{device}")
    for name, target in (
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
        ("shm", "/tmp"),
    ):
        os.symlink(target, f"{_NEW_ROOT}/dev/{name}")
    os.makedirs(_NEW_ROOT + "/proc")
    # The host's /proc, until the worker mounts its own over it: the kernel lets a user namespace mount a
    # proc only where one is already fully visible.
    linux.mount("/proc", _NEW_ROOT + "/proc", None, linux.MS_BIND | linux.MS_REC)
    os.makedirs(_NEW_ROOT + "/tmp")
    os.chmod(_NEW_ROOT + "/tmp", 0o1777)
    os.chdir(_NEW_ROOT)
    linux.pivot_root(".", ".")
    linux.umount(".")
    os.chdir("/")
    for path in read_only:
        linux.set_mount_attributes(
            path, linux.MOUNT_ATTR_RDONLY | linux.MOUNT_ATTR_NOSUID, recursive=path != "/"
        )

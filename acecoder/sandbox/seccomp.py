"""A seccomp filter for job processes: refuse the system calls a Python program has no business making.

It is a second wall behind the namespaces, not the first: it refuses (EPERM) calls that reach kernel
code rarely exercised by ordinary programs and often by exploits (ptrace, bpf, perf, io_uring, keyrings,
module loading, mounts and new namespaces, user faults), makes `clone3` look absent (ENOSYS: glibc then
falls back to `clone`, whose flags the filter can read) and kills a process that switches to another
system call ABI. Only x86_64 is covered; elsewhere `FILTER` is None and the pool says seccomp is off.
"""

from __future__ import annotations

import errno
import struct

from acecoder.sandbox.linux import MACHINE, NAMESPACE_FLAGS

_AUDIT_ARCH_X86_64 = 0xC000003E
_X32_SYSCALL_BIT = 0x40000000

_DENIED_X86_64 = {
    "ptrace": 101,
    "syslog": 103,
    "acct": 163,
    "mount": 165,
    "umount2": 166,
    "swapon": 167,
    "swapoff": 168,
    "reboot": 169,
    "pivot_root": 155,
    "init_module": 175,
    "delete_module": 176,
    "quotactl": 179,
    "kexec_load": 246,
    "add_key": 248,
    "request_key": 249,
    "keyctl": 250,
    "unshare": 272,
    "perf_event_open": 298,
    "name_to_handle_at": 303,
    "open_by_handle_at": 304,
    "setns": 308,
    "process_vm_readv": 310,
    "process_vm_writev": 311,
    "finit_module": 313,
    "kexec_file_load": 320,
    "bpf": 321,
    "userfaultfd": 323,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "mount_setattr": 442,
}
_CLONE_X86_64 = 56
_CLONE3 = 435

# Classic BPF opcodes and seccomp return values (linux/filter.h, linux/seccomp.h).
_LOAD_WORD = 0x20
_JUMP_EQUAL = 0x15
_JUMP_GREATER_EQUAL = 0x35
_JUMP_SET = 0x45
_RETURN = 0x06
_ALLOW = 0x7FFF0000
_KILL_PROCESS = 0x80000000
_ERRNO = 0x00050000
# Offsets in struct seccomp_data.
_NR, _ARCH, _ARG0 = 0, 4, 16


def _assemble(program: list[tuple[int, int | str, int | str, int]]) -> bytes:
    """Pack (code, jump-if-true, jump-if-false, k) tuples; jumps name a label (a `str`) or are 0."""
    instructions = []
    positions = {}  # label -> index of the instruction that follows it
    for item in program:
        if isinstance(item, str):
            positions[item] = len(instructions)
        else:
            instructions.append(item)
    packed = []
    for index, (code, if_true, if_false, k) in enumerate(instructions):
        jumps = [positions[j] - index - 1 if isinstance(j, str) else j for j in (if_true, if_false)]
        packed.append(struct.pack("HBBI", code, jumps[0], jumps[1], k))
    return b"".join(packed)


def _x86_64_filter() -> bytes:
    program: list = [
        (_LOAD_WORD, 0, 0, _ARCH),
        (_JUMP_EQUAL, "native", 0, _AUDIT_ARCH_X86_64),
        (_RETURN, 0, 0, _KILL_PROCESS),
        "native",
        (_LOAD_WORD, 0, 0, _NR),
        (_JUMP_GREATER_EQUAL, "deny", 0, _X32_SYSCALL_BIT),
        *[(_JUMP_EQUAL, "deny", 0, number) for number in sorted(_DENIED_X86_64.values())],
        (_JUMP_EQUAL, "absent", 0, _CLONE3),
        (_JUMP_EQUAL, 0, "allow", _CLONE_X86_64),
        (_LOAD_WORD, 0, 0, _ARG0),
        (_JUMP_SET, "deny", "allow", NAMESPACE_FLAGS),
        "allow",
        (_RETURN, 0, 0, _ALLOW),
        "deny",
        (_RETURN, 0, 0, _ERRNO | errno.EPERM),
        "absent",
        (_RETURN, 0, 0, _ERRNO | errno.ENOSYS),
    ]
    return _assemble(program)


FILTER: bytes | None = _x86_64_filter() if MACHINE == "x86_64" else None

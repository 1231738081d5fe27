"""Step 3: a seccomp filter, raw BPF built with struct (no dependency, <1 ms to install).

Refuses with EPERM the calls that would escape the kill or the box (setsid/setpgid,
ptrace, namespaces, mounts, io_uring, bpf, kernel keys and modules), clone with any
CLONE_NEW* flag, socket(AF_UNIX) (pathname unix sockets are outside Landlock's reach)
and AF_PACKET; clone3 gets ENOSYS so that libc falls back to clone, whose flags a filter
can read. With the network denied, socket() of every family is refused: TCP, UDP, raw,
netlink and packet sockets alike (socketpair() stays allowed for asyncio and pipes).
"""

from __future__ import annotations

import errno
import struct

from . import _native

# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6];
_NR = 0
_ARCH = 4
_ARG0_LOW = 16  # low 32 bits of args[0] on a little-endian machine

_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_JSET_K = 0x45
_RET_K = 0x06

RET_ALLOW = 0x7FFF0000
RET_KILL_PROCESS = 0x80000000
RET_ERRNO = 0x00050000

AF_UNIX = 1
AF_PACKET = 17
# CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET
CLONE_NEW_MASK = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000
CLONE_NEW_MASK |= 0x20000000 | 0x40000000


def _stmt(code: int, k: int) -> tuple[int, int, int, int]:
    return (code, 0, 0, k)


def _jump(code: int, k: int, jt: int, jf: int) -> tuple[int, int, int, int]:
    return (code, jt, jf, k)


def _deny(errno_value: int) -> tuple[int, int, int, int]:
    return _stmt(_RET_K, RET_ERRNO | errno_value)


def build_filter(arch: _native.Arch, *, syscalls: bool, network: bool) -> bytes:
    """The BPF program: `syscalls` adds the escape list, `network=False` refuses sockets."""
    table = arch.syscalls
    program = [
        _stmt(_LD_W_ABS, _ARCH),
        _jump(_JEQ_K, arch.audit, 1, 0),
        # Another ABI (32-bit int 0x80 calls on x86_64) would bypass every number below.
        _stmt(_RET_K, RET_KILL_PROCESS),
        _stmt(_LD_W_ABS, _NR),
    ]
    if arch.x32_bit:
        program += [_jump(_JGE_K, arch.x32_bit, 0, 1), _deny(errno.ENOSYS)]
    denied = list(_native.DENIED) if syscalls else ["io_uring_setup", "io_uring_enter"]
    for name in denied:
        program += [_jump(_JEQ_K, table[name], 0, 1), _deny(errno.EPERM)]
    if syscalls:
        program += [
            _jump(_JEQ_K, table["clone3"], 0, 1),
            _deny(errno.ENOSYS),
            _jump(_JEQ_K, table["clone"], 0, 4),
            _stmt(_LD_W_ABS, _ARG0_LOW),
            _jump(_JSET_K, CLONE_NEW_MASK, 0, 1),
            _deny(errno.EPERM),
            _stmt(_RET_K, RET_ALLOW),
        ]
    if not network:
        program += [_jump(_JEQ_K, table["socket"], 0, 1), _deny(errno.EPERM)]
    elif syscalls:
        program += [
            _jump(_JEQ_K, table["socket"], 0, 6),
            _stmt(_LD_W_ABS, _ARG0_LOW),
            _jump(_JEQ_K, AF_UNIX, 0, 1),
            _deny(errno.EPERM),
            _jump(_JEQ_K, AF_PACKET, 0, 1),
            _deny(errno.EPERM),
            _stmt(_RET_K, RET_ALLOW),
        ]
    program.append(_stmt(_RET_K, RET_ALLOW))
    return b"".join(struct.pack("=HBBI", *insn) for insn in program)


def install(libc: _native.Libc, program: bytes) -> None:
    """Install the filter on this thread (the bootstrap has no other) and its children."""
    address, keep_alive = libc.address_of(program)
    # struct sock_fprog { unsigned short len; struct sock_filter *filter; } on a 64-bit ABI
    fprog = struct.pack("=H6xQ", len(program) // 8, address)
    libc.prctl(_native.PR_SET_SECCOMP, _native.SECCOMP_MODE_FILTER, fprog)
    del keep_alive

"""Step 3: a seccomp filter, raw BPF packed by hand (no dependency, <1 ms to install).

Refuses with EPERM the calls that would escape the kill or the box (setsid/setpgid,
ptrace, namespaces, mounts, io_uring, bpf, kernel keys and modules), clone with any
CLONE_NEW* flag, socket(AF_UNIX) (pathname unix sockets are outside Landlock's reach)
and AF_PACKET, the limits, priority and scheduling of any process but the script's own
(prlimit, setpriority, ioprio_set, sched_set*: none of them is a signal or ptrace, so
neither Landlock nor its scopes see them), the mode and times of a file named by path
(chmod, fchmodat, utime, utimensat with a path: Landlock does not check them; those of an
open file stay allowed), and setuid or setgid bits in any mode it sets (fchmod, open,
creat, mknod). clone3 and openat2 get ENOSYS, so that libc falls back to clone and
openat, whose arguments a filter can read. With the network denied, socket()
of every family is refused: TCP, UDP, raw, netlink and packet sockets alike (socketpair()
stays allowed for asyncio and pipes).

The program of a policy is the same for every run but for the script's pid: it is built
once per process (the warm runner builds it before it forks) and the pid filled in.
"""

from __future__ import annotations

import array
import os

from . import _native, _syscalls

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds at start-up; only the type checker needs it
    from typing import List, Optional

    # One instruction, struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }, as the
    # little-endian 64-bit word it packs into; None: the jump on the script's own pid.
    Program = List[Optional[int]]

# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6];
_NR = 0
_ARCH = 4
_ARG0_LOW = 16  # low 32 bits of args[0] on a little-endian machine

_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGT_K = 0x25
_JGE_K = 0x35
_JSET_K = 0x45
_RET_K = 0x06
_ALU_AND_K = 0x54

RET_ALLOW = 0x7FFF0000
RET_KILL_PROCESS = 0x80000000
RET_ERRNO = 0x00050000

O_CREAT = 0o100
O_TMPFILE_BIT = 0o20000000  # __O_TMPFILE (with O_DIRECTORY it is O_TMPFILE); same on arm64
S_ISUID_ISGID = 0o6000
S_IFMT, S_IFREG = 0o170000, 0o100000


def _stmt(code: int, k: int) -> int:
    return code | k << 32


def _jump(code: int, k: int, jt: int, jf: int) -> int:
    return code | jt << 16 | jf << 24 | k << 32


def _deny(errno_value: int) -> int:
    return _stmt(_RET_K, RET_ERRNO | errno_value)


def _low_word(index: int) -> int:
    """Load the low 32 bits of argument `index`: where an int or pid_t argument lives."""
    return _stmt(_LD_W_ABS, _ARG0_LOW + 8 * index)


# The one instruction that differs between runs: "argument == the script's pid?" (k = pid).
_OWN_PID_JUMP = _jump(_JEQ_K, 0, 1, 0)


def _only_own_process(number: int, rule: tuple[int, int, int]) -> Program:
    """Syscall `number` may name only pid 0 (the caller) or the script's own pid; else EPERM.

    `rule` is (pid argument, "which" argument or -1, largest allowed "which").
    """
    pid_index, which_index, which_max = rule
    body: Program = []
    if which_index >= 0:
        # A larger "which" names a whole user (or nothing valid): refused outright.
        body += [_low_word(which_index), _jump(_JGT_K, which_max, 3, 0)]
    body += [
        _low_word(pid_index),
        _jump(_JEQ_K, 0, 2, 0),
        None,  # _OWN_PID_JUMP: jump 1 ahead when the pid is the script's own
        _deny(_native.EPERM),
        _stmt(_RET_K, RET_ALLOW),
    ]
    return [_jump(_JEQ_K, number, 0, len(body)), *body]


def _no_setuid_mode(number: int, rule: tuple[int, int], *, regular_only: bool = False) -> Program:
    """Syscall `number` may not set S_ISUID or S_ISGID (nor, `regular_only`, make anything
    but a regular file); else EPERM.

    `rule` is (mode argument, flags argument or -1): with flags, the mode counts only when
    they ask to create (otherwise the mode argument is unused and may hold anything).
    """
    mode_index, flags_index = rule
    body: Program = []
    if regular_only:
        body += [
            _low_word(mode_index),
            _stmt(_ALU_AND_K, S_IFMT),
            _jump(_JEQ_K, 0, 2, 0),  # no type: a regular file
            _jump(_JEQ_K, S_IFREG, 1, 0),
            _deny(_native.EPERM),
        ]
    if flags_index >= 0:
        body += [_low_word(flags_index), _jump(_JSET_K, O_CREAT | O_TMPFILE_BIT, 0, 3)]
    body += [
        _low_word(mode_index),
        _jump(_JSET_K, S_ISUID_ISGID, 0, 1),
        _deny(_native.EPERM),
        _stmt(_RET_K, RET_ALLOW),
    ]
    return [_jump(_JEQ_K, number, 0, len(body)), *body]


def _null_only(number: int, index: int) -> Program:
    """Syscall `number` only with a NULL pointer as argument `index` (all 64 bits); else EPERM."""
    body: Program = [
        _stmt(_LD_W_ABS, _ARG0_LOW + 8 * index + 4),  # the high word first
        _jump(_JEQ_K, 0, 0, 2),
        _low_word(index),
        _jump(_JEQ_K, 0, 1, 0),
        _deny(_native.EPERM),
        _stmt(_RET_K, RET_ALLOW),
    ]
    return [_jump(_JEQ_K, number, 0, len(body)), *body]


def build_filter(arch: _native.Arch, *, syscalls: bool, network: bool, own_pid: int = 0) -> bytes:
    """The packed BPF program: `syscalls` adds the escape list, `network=False` refuses sockets.

    `own_pid` is the script's own pid, which prlimit and the like may name besides 0. A run
    as root (its effective uid, which no run can change) gets `REFUSED_AS_ROOT` refused too.
    """
    as_root = os.geteuid() == 0
    key = (arch.name, syscalls, network, as_root)
    parts = _packed.get(key)
    if parts is None:
        program = _program(arch, syscalls=syscalls, network=network, as_root=as_root)
        parts = _packed[key] = _pack_around_pid_jumps(program)
    return (_OWN_PID_JUMP | own_pid << 32).to_bytes(8, "little").join(parts)


# Per (architecture, syscalls, network, as root): the packed program cut at its pid jumps.
_packed: dict[tuple[str, bool, bool, bool], list[bytes]] = {}


def _pack_around_pid_jumps(program: Program) -> list[bytes]:
    parts: list[bytes] = []
    start = 0
    for index, word in enumerate(program):
        if word is None:
            parts.append(_pack(program[start:index]))
            start = index + 1
    parts.append(_pack(program[start:]))
    return parts


def _pack(words: Program) -> bytes:
    # The machine's own order: little-endian, as on every architecture with a table here.
    # The words between pid jumps hold no None.
    return array.array("Q", words).tobytes()  # type: ignore[type-var]


def _program(arch: _native.Arch, *, syscalls: bool, network: bool, as_root: bool) -> Program:
    table = arch.syscalls
    program: Program = [
        _stmt(_LD_W_ABS, _ARCH),
        _jump(_JEQ_K, arch.audit, 1, 0),
        # Another ABI (32-bit int 0x80 calls on x86_64) would bypass every number below.
        _stmt(_RET_K, RET_KILL_PROCESS),
        _stmt(_LD_W_ABS, _NR),
    ]
    if arch.x32_bit:
        program += [_jump(_JGE_K, arch.x32_bit, 0, 1), _deny(_native.ENOSYS)]
    if not syscalls:
        # Only what the network setting needs, and io_uring, which would go past it.
        for name in ("io_uring_setup", "io_uring_enter"):
            program += [_jump(_JEQ_K, table[name], 0, 1), _deny(_native.EPERM)]
        if not network:
            program += [_jump(_JEQ_K, table["socket"], 0, 1), _deny(_native.EPERM)]
        program.append(_stmt(_RET_K, RET_ALLOW))
        return program
    if as_root:
        # Before the checks that would allow them for other arguments.
        for names in _syscalls.REFUSED_AS_ROOT.values():
            for name in names:
                program += [_jump(_JEQ_K, table[name], 0, 1), _deny(_native.EPERM)]
    # The checked calls first (openat is the most frequent of all), then the plain ones.
    for name, mode_rule in _syscalls.MODE_SETTING.items():
        if name in table:
            regular = name in _syscalls.NODE_MAKING
            program += _no_setuid_mode(table[name], mode_rule, regular_only=regular)
    program += _socket_checks(table, network)
    program += _clone_check(table["clone"])
    program += _ioctl_check(table["ioctl"])
    program += _one_of(table["fcntl"], 1, _syscalls.FCNTL_ALLOWED, allow=True)
    program += _one_of(table["prctl"], 0, _syscalls.PRCTL_ALLOWED, allow=True)
    program += _one_of(table["personality"], 0, (0xFFFFFFFF, 0), allow=True)
    for name, pid_rule in _syscalls.PID_TARGETED.items():
        program += _only_own_process(table[name], pid_rule)
    for name, pointer_index in _syscalls.NULL_ONLY.items():
        program += _null_only(table[name], pointer_index)
    # Some 300 plain verdicts, built in bulk: this runs in every cold run.
    next_unless = _jump(_JEQ_K, 0, 0, 1)  # "nr == k? then the next instruction, else skip it"
    for groups, verdict in (
        (_syscalls.ALLOWED, _stmt(_RET_K, RET_ALLOW)),
        (_syscalls.REFUSED, _deny(_native.EPERM)),
    ):
        numbers = {table[n] for names in groups.values() for n in names if n in table}
        for number in sorted(numbers):
            program += (next_unless | number << 32, verdict)
    # Everything else, known or added to the kernel later: as on a kernel without it.
    program.append(_deny(_native.ENOSYS))
    return program


def _one_of(number: int, index: int, values: tuple[int, ...], *, allow: bool) -> Program:
    """Syscall `number`: allowed when argument `index` is one of `values` (`allow`), or
    when it is none of them (not `allow`); EPERM otherwise."""
    body: Program = [_low_word(index)]
    for offset, value in enumerate(values):
        # Jump to the matching verdict: past the other comparisons.
        body.append(_jump(_JEQ_K, value, len(values) - offset, 0))
    if allow:
        body += [_deny(_native.EPERM), _stmt(_RET_K, RET_ALLOW)]
    else:
        body += [_stmt(_RET_K, RET_ALLOW), _deny(_native.EPERM)]
    return [_jump(_JEQ_K, number, 0, len(body)), *body]


def _ioctl_check(number: int) -> Program:
    """ioctl: not typing into a terminal, nor the families that change a file's attributes
    (FICLONE and its kin excepted)."""
    s = _syscalls
    refused, allowed, types = s.IOCTL_REFUSED, s.IOCTL_ALLOWED, s.IOCTL_REFUSED_TYPES
    body: Program = [_low_word(1)]
    # Each request jumps to its verdict: allow is the second-to-last instruction, deny the last.
    checks = len(refused) + len(allowed) + 1 + len(types)
    for offset, value in enumerate(refused):
        body.append(_jump(_JEQ_K, value, checks - offset, 0))
    for offset, value in enumerate(allowed, len(refused)):
        body.append(_jump(_JEQ_K, value, checks - offset - 1, 0))
    body.append(_stmt(_ALU_AND_K, 0xFF00))  # the request's type
    for offset, value in enumerate(types, len(refused) + len(allowed) + 1):
        body.append(_jump(_JEQ_K, value, checks - offset, 0))
    body += [_stmt(_RET_K, RET_ALLOW), _deny(_native.EPERM)]
    return [_jump(_JEQ_K, number, 0, len(body)), *body]


def _clone_check(number: int) -> Program:
    """clone: threads, fork, vfork and posix_spawn; not CLONE_PARENT, CLONE_NEW* and such."""
    body: Program = [
        _low_word(0),
        _jump(_JSET_K, ~_syscalls.CLONE_ALLOWED & 0xFFFFFFFF, 0, 1),
        _deny(_native.EPERM),
        _stmt(_RET_K, RET_ALLOW),
    ]
    return [_jump(_JEQ_K, number, 0, len(body)), *body]


def _socket_checks(table: dict[str, int], network: bool) -> Program:
    """socketpair: AF_UNIX stream or seqpacket. socket: none without the network; with it,
    TCP and UDP over IPv4 and IPv6, and netlink route sockets (for getaddrinfo)."""
    s = _syscalls
    pair: Program = [
        _low_word(0),
        _jump(_JEQ_K, s.AF_UNIX, 0, 4),
        _low_word(1),
        _stmt(_ALU_AND_K, 0xF),  # the type, without SOCK_NONBLOCK and SOCK_CLOEXEC
        _jump(_JEQ_K, s.SOCK_STREAM, 1, 0),
        _jump(_JEQ_K, s.SOCK_SEQPACKET, 0, 1),
        _stmt(_RET_K, RET_ALLOW),
        _deny(_native.EPERM),
    ]
    program = [_jump(_JEQ_K, table["socketpair"], 0, len(pair)), *pair]
    if not network:
        return [*program, _jump(_JEQ_K, table["socket"], 0, 1), _deny(_native.EPERM)]
    body: Program = [
        _low_word(0),
        _jump(_JEQ_K, s.AF_INET, 2, 0),
        _jump(_JEQ_K, s.AF_INET6, 1, 0),
        _jump(_JEQ_K, s.AF_NETLINK, 9, 12),
        # inet: a stream or datagram socket, of the default protocol, TCP or UDP
        _low_word(1),
        _stmt(_ALU_AND_K, 0xF),
        _jump(_JEQ_K, s.SOCK_STREAM, 1, 0),
        _jump(_JEQ_K, s.SOCK_DGRAM, 0, 8),
        _low_word(2),
        _jump(_JEQ_K, 0, 2, 0),
        _jump(_JEQ_K, s.IPPROTO_TCP, 1, 0),
        _jump(_JEQ_K, s.IPPROTO_UDP, 0, 4),
        _stmt(_RET_K, RET_ALLOW),
        # netlink: the route protocol only
        _low_word(2),
        _jump(_JEQ_K, s.NETLINK_ROUTE, 0, 1),
        _stmt(_RET_K, RET_ALLOW),
        _deny(_native.EPERM),
    ]
    return [*program, _jump(_JEQ_K, table["socket"], 0, len(body)), *body]


def warm_up() -> None:
    """Pack the programs of the usual policies, before the warm runner forks its children."""
    if _native.ARCH is not None:
        for network in (True, False):
            build_filter(_native.ARCH, syscalls=True, network=network)


def install(libc: _native.Libc, program: bytes) -> None:
    """Install the filter on this thread (the bootstrap has no other) and its children."""
    address, keep_alive = libc.address_of(program)
    # struct sock_fprog { unsigned short len; struct sock_filter *filter; } on a 64-bit ABI
    fprog = _native.pack((len(program) // 8, 2), (0, 6), (address, 8))
    libc.prctl(_native.PR_SET_SECCOMP, _native.SECCOMP_MODE_FILTER, fprog)
    del keep_alive

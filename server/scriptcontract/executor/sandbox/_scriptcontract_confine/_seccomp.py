"""Step 3: a seccomp filter, raw BPF packed by hand (no dependency, <1 ms to install).

Refuses with EPERM the calls that would escape the kill or the box (setsid/setpgid,
ptrace, namespaces, mounts, io_uring, bpf, kernel keys and modules), clone with any
CLONE_NEW* flag, socket(AF_UNIX) (pathname unix sockets are outside Landlock's reach)
and AF_PACKET, the limits, priority and scheduling of any process but the script's own
(prlimit, setpriority, ioprio_set, sched_set*: none of them is a signal or ptrace, so
neither Landlock nor its scopes see them), and setuid or setgid bits in any mode it sets
(chmod, fchmod, open, creat, mknod). clone3 and openat2 get ENOSYS, so that libc falls back
to clone and openat, whose arguments a filter can read. With the network denied, socket()
of every family is refused: TCP, UDP, raw, netlink and packet sockets alike (socketpair()
stays allowed for asyncio and pipes).

The program of a policy is the same for every run but for the script's pid: it is built
once per process (the warm runner builds it before it forks) and the pid filled in.
"""

from __future__ import annotations

from . import _native

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

RET_ALLOW = 0x7FFF0000
RET_KILL_PROCESS = 0x80000000
RET_ERRNO = 0x00050000

AF_UNIX = 1
AF_PACKET = 17
O_CREAT = 0o100
O_TMPFILE_BIT = 0o20000000  # __O_TMPFILE (with O_DIRECTORY it is O_TMPFILE); same on arm64
S_ISUID_ISGID = 0o6000
# CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET
CLONE_NEW_MASK = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000
CLONE_NEW_MASK |= 0x20000000 | 0x40000000


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


def _no_setuid_mode(number: int, rule: tuple[int, int]) -> Program:
    """Syscall `number` may not set S_ISUID or S_ISGID; else EPERM.

    `rule` is (mode argument, flags argument or -1): with flags, the mode counts only when
    they ask to create (otherwise the mode argument is unused and may hold anything).
    """
    mode_index, flags_index = rule
    body: Program = []
    if flags_index >= 0:
        body += [_low_word(flags_index), _jump(_JSET_K, O_CREAT | O_TMPFILE_BIT, 0, 3)]
    body += [
        _low_word(mode_index),
        _jump(_JSET_K, S_ISUID_ISGID, 0, 1),
        _deny(_native.EPERM),
        _stmt(_RET_K, RET_ALLOW),
    ]
    return [_jump(_JEQ_K, number, 0, len(body)), *body]


def build_filter(arch: _native.Arch, *, syscalls: bool, network: bool, own_pid: int = 0) -> bytes:
    """The packed BPF program: `syscalls` adds the escape list, `network=False` refuses sockets.

    `own_pid` is the script's own pid, which prlimit and the like may name besides 0.
    """
    key = (arch.name, syscalls, network)
    parts = _packed.get(key)
    if parts is None:
        program = _program(arch, syscalls=syscalls, network=network)
        parts = _packed[key] = _pack_around_pid_jumps(program)
    return (_OWN_PID_JUMP | own_pid << 32).to_bytes(8, "little").join(parts)


# Per (architecture, syscalls, network): the packed program cut at its pid jumps.
_packed: dict[tuple[str, bool, bool], list[bytes]] = {}


def _pack_around_pid_jumps(program: Program) -> list[bytes]:
    parts: list[bytes] = []
    words: list[bytes] = []
    for word in program:
        if word is None:
            parts.append(b"".join(words))
            words = []
        else:
            words.append(word.to_bytes(8, "little"))
    parts.append(b"".join(words))
    return parts


def _program(arch: _native.Arch, *, syscalls: bool, network: bool) -> Program:
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
    denied = list(_native.DENIED) if syscalls else ["io_uring_setup", "io_uring_enter"]
    for name in denied:
        program += [_jump(_JEQ_K, table[name], 0, 1), _deny(_native.EPERM)]
    if syscalls:
        for name, pid_rule in _native.PID_TARGETED.items():
            program += _only_own_process(table[name], pid_rule)
        for name, mode_rule in _native.MODE_SETTING.items():
            if name in table:  # aarch64 has only the *at forms
                program += _no_setuid_mode(table[name], mode_rule)
        program += [
            _jump(_JEQ_K, table["openat2"], 0, 1),
            _deny(_native.ENOSYS),
            _jump(_JEQ_K, table["clone3"], 0, 1),
            _deny(_native.ENOSYS),
            _jump(_JEQ_K, table["clone"], 0, 4),
            _stmt(_LD_W_ABS, _ARG0_LOW),
            _jump(_JSET_K, CLONE_NEW_MASK, 0, 1),
            _deny(_native.EPERM),
            _stmt(_RET_K, RET_ALLOW),
        ]
    if not network:
        program += [_jump(_JEQ_K, table["socket"], 0, 1), _deny(_native.EPERM)]
    elif syscalls:
        program += [
            _jump(_JEQ_K, table["socket"], 0, 6),
            _stmt(_LD_W_ABS, _ARG0_LOW),
            _jump(_JEQ_K, AF_UNIX, 0, 1),
            _deny(_native.EPERM),
            _jump(_JEQ_K, AF_PACKET, 0, 1),
            _deny(_native.EPERM),
            _stmt(_RET_K, RET_ALLOW),
        ]
    program.append(_stmt(_RET_K, RET_ALLOW))
    return program


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

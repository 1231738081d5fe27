"""Step 2: Landlock — the files the script may touch, TCP denial, and signal scoping.

Read and execute: the interpreter and its libraries, the system's shared libraries and
a few device and time-zone files (plus DNS and TLS files when the network is allowed).
Read and write with every right: the project root, the private temp dir and the
policy's write paths. Everything else, including listing `/` and reading $HOME, is
refused by the kernel whatever path the script builds or follows.
"""

from __future__ import annotations

import os
import stat
import sys

from . import _native
from ._report import Policy, Report
from ._site_paths import site_read_paths

# Filesystem access rights, by the ABI that introduced them.
FS_EXECUTE = 1 << 0
FS_WRITE_FILE = 1 << 1
FS_READ_FILE = 1 << 2
FS_READ_DIR = 1 << 3
FS_REFER = 1 << 13  # ABI 2
FS_TRUNCATE = 1 << 14  # ABI 3
FS_IOCTL_DEV = 1 << 15  # ABI 5
NET_BIND_TCP = 1 << 0  # ABI 4
NET_CONNECT_TCP = 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
SCOPE_SIGNAL = 1 << 1

# Rights a rule on a file (not a directory) may carry; others make add_rule fail.
FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV
READ = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR
DEVICE_RW = FS_READ_FILE | FS_WRITE_FILE | FS_TRUNCATE | FS_IOCTL_DEV

RULE_PATH_BENEATH = 1
# Every right Landlock has or will have, and a bit of ours above them: open the rule's
# path without following a symlink.
EVERYTHING = (1 << 62) - 1
NOFOLLOW = 1 << 62
CREATE_RULESET_VERSION = 1

SYSTEM_READ = (
    "/usr",
    "/lib",
    "/lib64",
    "/lib32",
    "/libx32",
    "/bin",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/ld.so.preload",
    "/etc/localtime",
    "/usr/share/zoneinfo",
    "/dev/urandom",
    "/dev/random",
)
DEVICES_RW = ("/dev/null", "/dev/zero", "/dev/full")
# What name resolution and TLS read. Not all of /etc/ssl or /etc/pki: private keys live there.
NETWORK_READ = (
    "/etc/resolv.conf",
    "/etc/hosts",
    "/etc/nsswitch.conf",
    "/etc/gai.conf",
    "/etc/host.conf",
    "/etc/services",
    "/etc/protocols",
    "/etc/ssl/certs",
    "/etc/ssl/cert.pem",
    "/etc/ssl/openssl.cnf",
    "/etc/ca-certificates",
    "/etc/ca-certificates.conf",
    "/usr/share/ca-certificates",
    "/etc/pki/tls/certs",
    "/etc/pki/tls/cert.pem",
    "/etc/pki/tls/openssl.cnf",
    "/etc/pki/ca-trust",
)


def abi_version(libc: _native.Libc) -> int:
    """The Landlock ABI of the running kernel; OSError when Landlock is off or absent."""
    return libc.syscall(_native.LANDLOCK_CREATE_RULESET, None, 0, CREATE_RULESET_VERSION)


def fs_rights(abi: int) -> int:
    if abi >= 5:
        return (1 << 16) - 1
    if abi >= 3:
        return (1 << 15) - 1
    if abi >= 2:
        return (1 << 14) - 1
    return (1 << 13) - 1


def interpreter_paths(bootstrap_dir: str) -> list[str]:
    """Where this interpreter loads code from: prefixes, sys.path, the binary, this package,
    and what its site-packages will add once processed (see _site_paths.py)."""
    paths = [
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        sys.base_exec_prefix,
        os.path.dirname(os.path.realpath(sys.executable)),
        bootstrap_dir,
    ]
    paths.extend(entry for entry in sys.path if entry)
    paths.extend(site_read_paths())
    return paths


def apply_landlock(spec: dict[str, object], policy: Policy, report: Report) -> bool:
    """Confine this process; True when the filesystem rules are in force."""
    filesystem = policy.flag("filesystem")
    network = policy.flag("network")
    if _native.ARCH is None:
        # Landlock's numbers differ on some architectures (alpha, mips): do not guess.
        reason = "no syscall table for " + _native.machine()
        _all_missing(report, filesystem, reason)
        return False
    libc = _native.libc()
    try:
        abi = abi_version(libc)
    except OSError as exc:
        reason = "Landlock unavailable (%s)" % (exc.strerror or exc)
        _all_missing(report, filesystem, reason)
        report.detail("landlock_abi", "none")
        return False
    report.detail("landlock_abi", str(abi))
    handled_fs, handled_net, scoped = _handled(abi, filesystem, network)
    if not (handled_fs or handled_net or scoped):
        _all_missing(report, filesystem, f"Landlock ABI {abi} has nothing to add")
        return False
    usual = filesystem and not policy.paths("read_paths")
    ahead = _built_ahead.pop(network, None) if usual else None
    discard_built_ahead()
    if ahead is not None:  # a warm child: only the run's own paths are left to add
        ruleset, failed = ahead
        rules = _run_rules(spec, policy)
    else:
        try:
            ruleset = _create_ruleset(libc, abi, handled_fs, handled_net, scoped)
        except OSError as exc:
            _all_missing(report, filesystem, f"Landlock ruleset refused: {exc.strerror}")
            return False
        failed = []
        rules = rules_for(spec, policy) if handled_fs else []
    try:
        failed += _add_path_rules(libc, ruleset, handled_fs, rules)
        if failed:
            report.detail("landlock_rules_failed", ", ".join(failed))
        libc.syscall(_native.LANDLOCK_RESTRICT_SELF, ruleset, 0)
    except OSError as exc:
        _all_missing(report, filesystem, f"Landlock not applied: {exc.strerror}")
        return False
    finally:
        os.close(ruleset)
    if filesystem:
        report.enforced("filesystem", f"Landlock ABI {abi}")
    else:
        report.missing("filesystem", "off in the policy")
    if scoped:
        report.enforced("signals", "Landlock scope: signals and abstract sockets stay in the run")
    else:
        report.missing("signals", f"needs Landlock ABI 6 (Linux 6.12), have {abi}")
    if handled_net:
        report.detail("landlock_tcp", "bind and connect refused")
    return True


def _handled(abi: int, filesystem: bool, network: bool) -> tuple[int, int, int]:
    """What the ruleset handles: filesystem rights, TCP rights, scopes."""
    handled_fs = fs_rights(abi) if filesystem else 0
    handled_net = NET_BIND_TCP | NET_CONNECT_TCP if not network and abi >= 4 else 0
    scoped = SCOPE_SIGNAL | SCOPE_ABSTRACT_UNIX_SOCKET if abi >= 6 else 0
    return handled_fs, handled_net, scoped


def _create_ruleset(libc: _native.Libc, abi: int, fs: int, net: int, scoped: int) -> int:
    # struct landlock_ruleset_attr, as long as this ABI knows it.
    if abi >= 6:
        attr = _native.pack((fs, 8), (net, 8), (scoped, 8))
    elif abi >= 4:
        attr = _native.pack((fs, 8), (net, 8))
    else:
        attr = _native.pack((fs, 8))
    return libc.syscall(_native.LANDLOCK_CREATE_RULESET, attr, len(attr), 0)


# Rulesets a warm child builds while it waits for its run, by the policy's network flag:
# (ruleset fd, the rules that could not be added).
_built_ahead: dict[bool, tuple[int, list[str]]] = {}


def build_ahead() -> None:
    """In a warm child waiting for its run: create the rulesets of the usual policies (files
    confined, no extra read paths; the network allowed or not) with every rule that does not
    depend on the run, so that the run adds only its own paths (~0.25 ms less per run).

    Whatever happens, `apply_landlock()` or `discard_built_ahead()` closes them before the
    script starts.
    """
    if _native.ARCH is None or _built_ahead:
        return
    libc = _native.libc()
    try:
        abi = abi_version(libc)
        for network in (True, False):
            handled_fs, handled_net, scoped = _handled(abi, True, network)
            ruleset = _create_ruleset(libc, abi, handled_fs, handled_net, scoped)
            failed: list[str] = []
            _built_ahead[network] = (ruleset, failed)
            failed += _add_path_rules(libc, ruleset, handled_fs, _fixed_rules(network, ()))
    except OSError:
        discard_built_ahead()  # the run builds its own


def discard_built_ahead() -> None:
    for ruleset, _failed in _built_ahead.values():
        os.close(ruleset)
    _built_ahead.clear()


def _all_missing(report: Report, filesystem: bool, reason: str) -> None:
    report.missing("filesystem", reason if filesystem else "off in the policy")
    report.missing("signals", reason)


def rules_for(spec: dict[str, object], policy: Policy) -> list[tuple[str, int]]:
    """(path, rights) pairs; rights are masked to the handled set later."""
    extra = tuple(policy.paths("read_paths"))
    return _fixed_rules(policy.flag("network"), extra) + _run_rules(spec, policy)


def _fixed_rules(network: bool, extra: tuple[str, ...]) -> list[tuple[str, int]]:
    """The rules every run of this process would add: read-only paths, its /proc entry."""
    rules = list(_read_rules(network, extra))
    # This process's own /proc entry (not its children's, not anyone else's).
    rules.append((f"/proc/{os.getpid()}", FS_READ_FILE | FS_READ_DIR))
    return rules


def _run_rules(spec: dict[str, object], policy: Policy) -> list[tuple[str, int]]:
    """The rules of this run: its project (readable; writable entry by entry, all but the
    protected paths: see the executor's project_layout.py), its private temp dir and the
    policy's write paths."""
    rules = []
    root = spec.get("project_root")
    if isinstance(root, str) and root:
        rules.append((root, READ))
    writable = spec.get("project_writable")
    if isinstance(writable, list):
        # Never through a symlink: what one names is not the project's to grant.
        project = EVERYTHING | NOFOLLOW
        rules.extend((path, project) for path in writable if isinstance(path, str))
    everything = EVERYTHING
    tmp_dir = spec.get("tmp_dir")
    if isinstance(tmp_dir, str) and tmp_dir:
        rules.append((tmp_dir, everything))
    rules.extend((path, everything) for path in policy.paths("write_paths"))
    return rules


_read_rules_cache: dict[tuple[bool, tuple[str, ...]], list[tuple[str, int]]] = {}


def _read_rules(network: bool, extra: tuple[str, ...]) -> list[tuple[str, int]]:
    """The read-only rules, the same for every run of this interpreter: computed once (the
    warm runner computes them before it forks, so that its children skip the work)."""
    key = (network, extra)
    cached = _read_rules_cache.get(key)
    if cached is None:
        bootstrap_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        read = interpreter_paths(bootstrap_dir) + list(SYSTEM_READ)
        if network:
            read.extend(NETWORK_READ)
        read.extend(extra)
        cached = [(path, READ) for path in outermost(read)]
        cached.extend((path, DEVICE_RW) for path in DEVICES_RW)
        _read_rules_cache[key] = cached
    return cached


def warm_up() -> None:
    """Compute what every run needs, before the warm runner forks its children."""
    for network in (True, False):
        _read_rules(network, ())


def outermost(paths: list[str]) -> list[str]:
    """The paths without those inside another one (by name): fewer rules, same access."""
    kept: list[str] = []
    for path in sorted({os.path.abspath(p) for p in paths if p}):
        if kept and (path + "/").startswith(kept[-1].rstrip("/") + "/"):
            continue
        kept.append(path)
    return kept


def _add_path_rules(
    libc: _native.Libc, ruleset: int, handled: int, rules: list[tuple[str, int]]
) -> list[str]:
    """Add one rule per path; a path that cannot be added stays refused (the safe side)."""
    flags = os.O_PATH | os.O_CLOEXEC
    seen: set[tuple[int, int, int]] = set()
    failed: list[str] = []
    for path, rights in rules:
        try:
            fd = os.open(path, flags | (os.O_NOFOLLOW if rights & NOFOLLOW else 0))
        except OSError:
            continue  # not on this machine; nothing to allow
        try:
            info = os.fstat(fd)
            allowed = rights & handled
            if stat.S_ISLNK(info.st_mode):
                continue  # swapped for a symlink since it was listed: not granted
            if not stat.S_ISDIR(info.st_mode):
                allowed &= FILE_RIGHTS
            key = (info.st_dev, info.st_ino, allowed)
            if not allowed or key in seen:
                continue
            seen.add(key)
            attr = _native.pack((allowed, 8), (fd, 4))  # landlock_path_beneath_attr is packed
            libc.syscall(_native.LANDLOCK_ADD_RULE, ruleset, RULE_PATH_BENEATH, attr, 0)
        except OSError as exc:
            failed.append(f"{path} ({exc.strerror})")
        finally:
            os.close(fd)
    return failed

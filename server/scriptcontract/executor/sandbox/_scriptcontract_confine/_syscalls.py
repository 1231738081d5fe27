"""The system-call policy of a confined run: what a Python workflow script may call.

Default deny. A call is allowed only if it is in one of the `ALLOWED` groups below (each
says what needs it), or passes the argument checks of `CHECKED`. The calls in `REFUSED`
get EPERM, so that a script learns plainly that it is not allowed; every other call, known
or added to the kernel later, gets ENOSYS, as on a kernel without it, so that the C
library and the interpreter fall back as they do there (clone3 -> clone, openat2 ->
openat, faccessat2 -> faccessat).

Names are looked up in the architecture's table (`_numbers_<arch>.py`); a name that an
architecture lacks (fork, open and the other legacy calls on aarch64) is skipped there.
"""

from __future__ import annotations

ALLOWED = {
    # Reading and writing what the script has open: files (Landlock checked the open),
    # pipes, its socketpairs.
    "io": (
        "read",
        "write",
        "readv",
        "writev",
        "pread64",
        "pwrite64",
        "preadv",
        "pwritev",
        "preadv2",
        "pwritev2",
        "lseek",
        "close",
        "close_range",
        "dup",
        "dup2",
        "dup3",
        "flock",
        "fsync",
        "fdatasync",
        "syncfs",
        "sync",
        "sync_file_range",
        "sendfile",
        "copy_file_range",
        "splice",
        "tee",
        "vmsplice",
        "fadvise64",
        "readahead",
        "fallocate",
        "ftruncate",
        "fstat",
        "fstatfs",
        "getdents",
        "getdents64",
        "fchdir",
        # Not Linux AIO (io_setup and the rest): its contexts are counted machine-wide
        # (fs.aio-max-nr), and one run could take them all from every other program for its
        # whole life. No Python script needs it; they get ENOSYS, as on a kernel without AIO.
    ),
    # Calls that name a path: Landlock decides what they may reach (reading metadata is
    # open to every path, see the known gaps). Not the mode and times: see REFUSED.
    "paths": (
        "stat",
        "lstat",
        "newfstatat",
        "statx",
        "statfs",
        "access",
        "faccessat",
        "faccessat2",
        "readlink",
        "readlinkat",
        "getcwd",
        "chdir",
        "mkdir",
        "mkdirat",
        "rmdir",
        "unlink",
        "unlinkat",
        "rename",
        "renameat",
        "renameat2",
        "link",
        "linkat",
        "symlink",
        "symlinkat",
        "truncate",
        "umask",
        "getxattr",
        "lgetxattr",
        "fgetxattr",
        "listxattr",
        "llistxattr",
        "flistxattr",
        "getxattrat",
        "listxattrat",
        "execve",
        "execveat",
    ),
    "memory": (
        "brk",
        "mmap",
        "munmap",
        "mremap",
        "mprotect",
        "madvise",
        "mincore",
        "msync",
        "mlock",
        "mlock2",
        "munlock",
        "mlockall",
        "munlockall",
        "membarrier",
        "pkey_alloc",
        "pkey_free",
        "pkey_mprotect",
        "get_mempolicy",
        "set_mempolicy",
        "mbind",
        "set_mempolicy_home_node",
        "remap_file_pages",
        "map_shadow_stack",
        "mseal",
        "cachestat",
    ),
    # Processes and threads of the run itself (clone is checked below).
    "processes": (
        "fork",
        "vfork",
        "exit",
        "exit_group",
        "wait4",
        "waitid",
        "set_tid_address",
        "set_robust_list",
        "rseq",
        "futex",
        "futex_waitv",
        "futex_wake",
        "futex_wait",
        "futex_requeue",
        "sched_yield",
        "arch_prctl",
        "getrlimit",
        "setrlimit",
        "getrusage",
        "pidfd_open",
        "getpid",
        "getppid",
        "gettid",
        "getpgid",
        "getpgrp",
        "getsid",
        "getuid",
        "geteuid",
        "getgid",
        "getegid",
        "getgroups",
        "getresuid",
        "getresgid",
        "capget",
        "getpriority",
        "ioprio_get",
        "sched_getaffinity",
        "sched_getparam",
        "sched_getscheduler",
        "sched_getattr",
        "sched_get_priority_max",
        "sched_get_priority_min",
        "sched_rr_get_interval",
        # Restrictions a script adds to itself: they can only narrow what it may do.
        "seccomp",
        "landlock_create_ruleset",
        "landlock_add_rule",
        "landlock_restrict_self",
    ),
    # Signals: Landlock's scope keeps them inside the run (ABI 6).
    "signals": (
        "rt_sigaction",
        "rt_sigprocmask",
        "rt_sigreturn",
        "rt_sigpending",
        "rt_sigtimedwait",
        "rt_sigsuspend",
        "rt_sigqueueinfo",
        "rt_tgsigqueueinfo",
        "sigaltstack",
        "signalfd",
        "signalfd4",
        "kill",
        "tkill",
        "tgkill",
        "pidfd_send_signal",
        "pause",
        "restart_syscall",
    ),
    "time": (
        "clock_gettime",
        "clock_getres",
        "clock_nanosleep",
        "nanosleep",
        "gettimeofday",
        "time",
        "times",
        "alarm",
        "getitimer",
        "setitimer",
        "timer_create",
        "timer_settime",
        "timer_gettime",
        "timer_getoverrun",
        "timer_delete",
        "timerfd_create",
        "timerfd_settime",
        "timerfd_gettime",
    ),
    "events": (
        "pipe",
        "pipe2",
        "eventfd",
        "eventfd2",
        "epoll_create",
        "epoll_create1",
        "epoll_ctl",
        "epoll_wait",
        "epoll_pwait",
        "epoll_pwait2",
        "poll",
        "ppoll",
        "select",
        "pselect6",
    ),
    # Operations on sockets the script may have: its socketpairs, and with the network
    # allowed the sockets `socket` lets it make (checked below).
    "sockets": (
        "connect",
        "bind",
        "listen",
        "accept",
        "accept4",
        "sendto",
        "recvfrom",
        "sendmsg",
        "recvmsg",
        "sendmmsg",
        "recvmmsg",
        "shutdown",
        "getsockname",
        "getpeername",
        "setsockopt",
        "getsockopt",
    ),
    "system": ("uname", "sysinfo", "getcpu", "getrandom"),
}

# Refused with EPERM, by what they would let a script do.
REFUSED = {
    # Leaving the process group would escape the timeout kill.
    "process group": ("setsid", "setpgid"),
    # Reaching into other processes.
    "other processes": (
        "ptrace",
        "process_vm_readv",
        "process_vm_writev",
        "kcmp",
        "pidfd_getfd",
        "process_madvise",
        "process_mrelease",
        "migrate_pages",
        "move_pages",
        "get_robust_list",
    ),
    # The kernel's other doors.
    "kernel": (
        "bpf",
        "perf_event_open",
        "userfaultfd",
        "keyctl",
        "add_key",
        "request_key",
        "kexec_load",
        "kexec_file_load",
        "init_module",
        "finit_module",
        "delete_module",
        "syslog",
        "lookup_dcookie",
        "uselib",
        "ustat",
        "sysfs",
        "vhangup",
        "acct",
        "swapon",
        "swapoff",
        "reboot",
        "sethostname",
        "setdomainname",
        "iopl",
        "ioperm",
        "modify_ldt",
        "settimeofday",
        "clock_settime",
        "clock_adjtime",
        "adjtimex",
        "quotactl",
        "quotactl_fd",
    ),
    # io_uring performs socket and file operations past this filter.
    "io_uring": ("io_uring_setup", "io_uring_enter", "io_uring_register"),
    "namespaces and mounts": (
        "unshare",
        "setns",
        "mount",
        "umount2",
        "pivot_root",
        "chroot",
        "open_tree",
        "move_mount",
        "fsopen",
        "fsconfig",
        "fsmount",
        "fspick",
        "mount_setattr",
        "open_tree_attr",
        "statmount",
        "listmount",
    ),
    # Opens a file by handle, without a path for Landlock to check.
    "file handles": ("name_to_handle_at", "open_by_handle_at"),
    # Objects outside Landlock's reach that outlive the run or bypass its limits: SysV
    # shared memory, semaphores and message queues, POSIX message queues, memory files
    # (not counted against the memory limit), watches on any file.
    "ipc": (
        "shmget",
        "shmat",
        "shmdt",
        "shmctl",
        "semget",
        "semop",
        "semtimedop",
        "semctl",
        "msgget",
        "msgsnd",
        "msgrcv",
        "msgctl",
        "mq_open",
        "mq_unlink",
        "mq_timedsend",
        "mq_timedreceive",
        "mq_notify",
        "mq_getsetattr",
        "memfd_create",
        "memfd_secret",
        "inotify_init",
        "inotify_init1",
        "inotify_add_watch",
        "inotify_rm_watch",
        "fanotify_init",
        "fanotify_mark",
    ),
    # Identity: without capabilities these could only shuffle ids; nothing needs them.
    "identity": (
        "setuid",
        "setgid",
        "setreuid",
        "setregid",
        "setresuid",
        "setresgid",
        "setgroups",
        "setfsuid",
        "setfsgid",
        "capset",
    ),
    # Metadata of files anywhere (Landlock has no right for it): owners and extended
    # attributes. shutil's copies take EPERM here as "not supported". fchown too: on a
    # file the run may only read (opened read-only), even a change to the same owner
    # clears its setuid and setgid bits and its file capabilities.
    "metadata": (
        "chown",
        "lchown",
        "fchown",
        "fchownat",
        "setxattr",
        "lsetxattr",
        "fsetxattr",
        "removexattr",
        "lremovexattr",
        "fremovexattr",
        "setxattrat",
        "removexattrat",
    ),
    # The mode and times of a file named by path, which Landlock does not check (it has no
    # right for them): through these a script could make any file its user owns (a private
    # key) readable by all. A script changes the mode and times of what it can open, through
    # the descriptor (fchmod, futimens: utimensat with no path, checked below), and the
    # sandbox's bootstrap has os.chmod and os.utime do that for a path. Path-based with an
    # empty path and AT_EMPTY_PATH, fchmodat2 and utimensat would act on an O_PATH
    # descriptor, which Landlock lets a script open on any file: refused as well.
    "mode and times by path": (
        "chmod",
        "fchmodat",
        "fchmodat2",
        "utime",
        "utimes",
        "futimesat",
    ),
}

# Refused with EPERM in a run as root, on top of REFUSED: the mode and times of an open file.
# Root keeps no capability in a run, but it owns the system's files, and Landlock lets a run
# open many of them for reading (the C library, the interpreter, /etc/ld.so.cache; /dev/null
# for writing): through that descriptor, fchmod(fd, 0) of the C library would break the
# machine, 0o777 on the interpreter would let any local user plant what root runs next, and
# seccomp cannot tell a descriptor of a system file from one of the project. A user's run
# keeps them: the kernel refuses a user the system's files, and everyday copies need them.
REFUSED_AS_ROOT = {"mode and times through a descriptor": ("fchmod", "utimensat")}

# Calls allowed for some arguments only: name -> what is checked (the checks are built in
# _seccomp.py). Mode-setting calls refuse setuid/setgid bits; pid-targeted calls may name
# only the script itself.
CHECKED = {
    "openat": "no setuid/setgid mode when creating",
    "open": "no setuid/setgid mode when creating",
    "creat": "no setuid/setgid mode",
    "fchmod": "no setuid/setgid mode",
    "utimensat": "no path: the times of an open file (futimens) only",
    "mknod": "regular files only (no FIFO, socket or device), no setuid/setgid mode",
    "mknodat": "regular files only (no FIFO, socket or device), no setuid/setgid mode",
    "ioctl": "not TIOCSTI or TIOCLINUX (typing into a terminal), nor a file's attributes",
    "fcntl": "not leases (F_SETLEASE) or directory notifications (F_NOTIFY)",
    "clone": "threads and plain children only: no CLONE_NEW*, CLONE_PARENT, CLONE_PTRACE",
    "socket": "inet TCP/UDP and netlink route, only with the network allowed",
    "socketpair": "AF_UNIX stream or seqpacket (a datagram one could send to any socket path)",
    "prctl": "options that act on the script itself",
    "personality": "queries and the default (PER_LINUX) only",
    "prlimit64": "the script itself",
    "sched_setaffinity": "the script itself",
    "sched_setscheduler": "the script itself",
    "sched_setparam": "the script itself",
    "sched_setattr": "the script itself",
    "setpriority": "the script itself",
    "ioprio_set": "the script itself",
}

# Calls that act on another process by pid without a signal or ptrace, so neither Landlock
# nor a signal scope sees them: name -> (index of the pid argument, index of the "which"
# argument or -1, largest "which" that names a process or its group). Allowed only for pid
# 0 or the script's own pid: a script may not lower the editor's limits (prlimit RLIMIT_CPU
# would kill it), renice it, or pin it to one CPU.
PID_TARGETED = {
    "prlimit64": (0, -1, 0),
    "sched_setaffinity": (0, -1, 0),
    "sched_setscheduler": (0, -1, 0),
    "sched_setparam": (0, -1, 0),
    "sched_setattr": (0, -1, 0),
    "setpriority": (1, 0, 1),  # which: PRIO_PROCESS 0, PRIO_PGRP 1 (PRIO_USER 2: refused)
    "ioprio_set": (1, 0, 2),  # which: IOPRIO_WHO_PROCESS 1, _PGRP 2 (_USER 3: refused)
}

# Calls that set a file's mode: name -> (index of the mode argument, index of the flags
# argument that must hold O_CREAT or O_TMPFILE for the mode to count, or -1). A setuid or
# setgid bit is refused: such a file would run as this user for anyone who can reach it.
MODE_SETTING = {
    "fchmod": (1, -1),
    "creat": (1, -1),
    "mknod": (1, -1),
    "mknodat": (2, -1),
    "open": (2, 1),
    "openat": (3, 2),
}

# Of the mode-setting calls, those that make a file of the type in their mode. Only a
# regular file: a FIFO left in the project blocks whoever opens it for good (a FIFO named
# .gitignore in any folder a run may write hangs every `git status`, an editor's included);
# a socket or device node is no file a script needs to leave.
NODE_MAKING = ("mknod", "mknodat")

# Calls allowed only with a NULL pointer in one argument: name -> its index. utimensat with
# a path (even an empty one, with AT_EMPTY_PATH) reaches files Landlock never checked.
NULL_ONLY = {"utimensat": 1}

# prctl options a script may use: they act on itself.
PRCTL_ALLOWED = (
    1,  # PR_SET_PDEATHSIG
    2,  # PR_GET_PDEATHSIG
    3,  # PR_GET_DUMPABLE
    4,  # PR_SET_DUMPABLE
    7,  # PR_GET_KEEPCAPS
    15,  # PR_SET_NAME
    16,  # PR_GET_NAME
    21,  # PR_GET_SECCOMP
    22,  # PR_SET_SECCOMP (another filter only narrows)
    23,  # PR_CAPBSET_READ
    27,  # PR_GET_SECUREBITS
    29,  # PR_SET_TIMERSLACK
    30,  # PR_GET_TIMERSLACK
    36,  # PR_SET_CHILD_SUBREAPER (of its own descendants)
    37,  # PR_GET_CHILD_SUBREAPER
    38,  # PR_SET_NO_NEW_PRIVS
    39,  # PR_GET_NO_NEW_PRIVS
    40,  # PR_GET_TID_ADDRESS
    41,  # PR_SET_THP_DISABLE
    42,  # PR_GET_THP_DISABLE
    52,  # PR_GET_SPECULATION_CTRL
    53,  # PR_SET_SPECULATION_CTRL
    0x53564D41,  # PR_SET_VMA (glibc names its anonymous mappings)
    0x41555856,  # PR_GET_AUXV
)
# ioctl requests refused: typing into a terminal the script may hold.
IOCTL_REFUSED = (0x5412, 0x541C)  # TIOCSTI, TIOCLINUX
# ioctl families refused whole, by their type (bits 8-15 of the request): those that change
# a file's attributes through any descriptor, a read-only one included, which Landlock
# grants on files the run may only read (the protected paths, read-paths, the interpreter's
# folders; as root, the system's): flags (chattr: noatime, nodump, sync...), fs-verity
# (a file made read-only for good), fsxattr and project ids, generation numbers, encryption
# policies, ext4's and XFS's own ('f', 'X', 'v'), and btrfs's (0x94: subvolumes made in
# any folder the user may write).
IOCTL_REFUSED_TYPES = (0x6600, 0x5800, 0x7600, 0x9400)
# ...but for the copies of btrfs's type that the VFS defines for every file system, which
# write only into a file open for writing, or (dedupe) only where the contents are equal.
IOCTL_ALLOWED = (
    0x40049409,  # FICLONE
    0x4020940D,  # FICLONERANGE
    0xC0189436,  # FIDEDUPERANGE
)
# fcntl commands a script may use, on what it has open; not F_SETLEASE (1024: a lease on a
# file it may only read blocks every other process that opens it, the executor, the server
# and git reading the project's configuration, or as root every program loading
# /etc/ld.so.cache, for 45 s each) nor F_NOTIFY (1026: watches on folders, as inotify).
FCNTL_ALLOWED = (
    0,  # F_DUPFD
    1,  # F_GETFD
    2,  # F_SETFD
    3,  # F_GETFL
    4,  # F_SETFL
    5,  # F_GETLK
    6,  # F_SETLK
    7,  # F_SETLKW
    8,  # F_SETOWN (a signal it sends is scoped as kill's)
    9,  # F_GETOWN
    10,  # F_SETSIG
    11,  # F_GETSIG
    15,  # F_SETOWN_EX
    16,  # F_GETOWN_EX
    17,  # F_GETOWNER_UIDS
    36,  # F_OFD_GETLK
    37,  # F_OFD_SETLK
    38,  # F_OFD_SETLKW
    1025,  # F_GETLEASE
    1027,  # F_DUPFD_QUERY
    1028,  # F_CREATED_QUERY
    1030,  # F_DUPFD_CLOEXEC
    1031,  # F_SETPIPE_SZ
    1032,  # F_GETPIPE_SZ
    1034,  # F_GET_SEALS
)
# clone flags a script may use: the exit signal, and what threads, fork, vfork and
# posix_spawn pass. Not CLONE_PARENT (its children would be the executor's, left as
# zombies in a long-lived caller), CLONE_PTRACE, CLONE_UNTRACED, CLONE_IO or any CLONE_NEW*.
CLONE_ALLOWED = (
    0xFF  # CSIGNAL
    | 0x100  # CLONE_VM
    | 0x200  # CLONE_FS
    | 0x400  # CLONE_FILES
    | 0x800  # CLONE_SIGHAND
    | 0x1000  # CLONE_PIDFD
    | 0x4000  # CLONE_VFORK
    | 0x10000  # CLONE_THREAD
    | 0x40000  # CLONE_SYSVSEM
    | 0x80000  # CLONE_SETTLS
    | 0x100000  # CLONE_PARENT_SETTID
    | 0x200000  # CLONE_CHILD_CLEARTID
    | 0x400000  # CLONE_DETACHED
    | 0x1000000  # CLONE_CHILD_SETTID
)
AF_UNIX, AF_INET, AF_INET6, AF_NETLINK = 1, 2, 10, 16
SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET = 1, 2, 3, 5
IPPROTO_TCP, IPPROTO_UDP = 6, 17
NETLINK_ROUTE = 0

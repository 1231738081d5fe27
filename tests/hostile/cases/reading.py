"""Reading what is not the project's: system files, /proc, the home, devices."""

from __future__ import annotations

from tests.hostile.cases.model import REFUSED, Expect, HostileCase

CASES: tuple[HostileCase, ...] = (
    # Reading what is not the project's
    HostileCase(
        "reads_system_secrets",
        "opens /etc/passwd (its path built at run time), /etc/shadow, the host name, private "
        "TLS keys, and asks the user database",
        """
        import pwd
        attempt("/etc/passwd", lambda: open("/".join(["", "etc", "pass" + "wd"])).read())
        attempt("/etc/shadow", lambda: open("/etc/shadow").read())
        attempt("/etc/hostname", lambda: open("/etc/hostname").read())
        attempt("list /etc/ssl/private", lambda: os.listdir("/etc/ssl/private"))
        # Not uid 0: nss-systemd makes up root's entry without reading any file.
        attempt("pwd lookup", lambda: pwd.getpwnam("daemon"))
        report()
        """,
        Expect(attempts_at_least=5, refused_with=REFUSED | {"KeyError"}),
        needs=("landlock:1",),
        outside=("/etc/passwd", "/etc/shadow"),
    ),
    HostileCase(
        "reads_proc_of_others",
        "reads /proc/1/environ, its parent's and the test process's environment and command "
        "line, and escapes through /proc/*/root",
        """
        parent, test_pid = os.getppid(), INPUTS["test_pid"]
        for pid, who in ((1, "init"), (parent, "parent"), (test_pid, "test")):
            for entry in ("environ", "cmdline", "maps"):
                attempt(f"{who} {entry}",
                        lambda pid=pid, entry=entry: open(f"/proc/{pid}/{entry}", "rb").read())
        attempt("/proc/1/root", lambda: open("/proc/1/root/etc/hostname").read())
        attempt("/proc/self/root", lambda: open("/proc/self/root/etc/hostname").read())
        attempt("list /proc", lambda: os.listdir("/proc"))
        attempt("own status", lambda: open("/proc/self/status").read())
        report()
        """,
        Expect(attempts_at_least=13, allowed=("own status",)),
        needs=("landlock:1",),
    ),
    HostileCase(
        "reads_home_and_ssh_keys",
        "reads the user's ssh keys, cloud credentials, .netrc and shell history, and lists the "
        "home directory and /root",
        """
        home = INPUTS["home"]
        for relative in (".ssh/id_ed25519", ".ssh/authorized_keys", ".aws/credentials",
                         ".netrc", ".bash_history"):
            attempt(relative, lambda relative=relative: open(os.path.join(home, relative)).read())
        attempt("list home", lambda: os.listdir(home))
        attempt("list ~/.ssh", lambda: os.listdir(os.path.join(home, ".ssh")))
        attempt("list /root", lambda: os.listdir("/root"))
        report(tilde_is_the_real_home=os.path.expanduser("~") == home)
        """,
        Expect(attempts_at_least=8, output={"tilde_is_the_real_home": False}),
        needs=("landlock:1",),
    ),
    HostileCase(
        "lists_root_and_system_dirs",
        "lists /, /etc, /home, /root, /var, /tmp, /run, /proc, /sys and /dev",
        """
        for path in ("/", "/etc", "/home", "/root", "/var", "/tmp", "/run", "/proc", "/sys",
                     "/dev"):
            attempt(path, lambda path=path: os.listdir(path))
        attempt("scandir /", lambda: list(os.scandir("/")))
        report()
        """,
        Expect(attempts_at_least=11),
        needs=("landlock:1",),
    ),
    HostileCase(
        "reads_proc_sys_and_sys",
        "reads kernel settings, symbols and hardware details in /proc and /sys",
        """
        for path in ("/proc/sys/kernel/hostname", "/proc/kallsyms", "/proc/cpuinfo",
                     "/proc/mounts", "/sys/kernel/mm/transparent_hugepage/enabled"):
            attempt(path, lambda path=path: open(path).read())
        attempt("list /sys/class", lambda: os.listdir("/sys/class"))
        report(cpus=os.cpu_count())
        """,
        # /proc/mounts is /proc/self/mounts: its own entry, readable by design.
        Expect(attempts_at_least=6, allowed=("/proc/mounts",), refused_with=REFUSED | {"ENOENT"}),
        needs=("landlock:1",),
    ),
    HostileCase(
        "opens_devices_and_tty",
        "opens the terminal, the console, the kernel log and other devices; /dev/null works",
        """
        for path in ("/dev/tty", "/dev/console", "/dev/kmsg", "/dev/ptmx", "/dev/mem",
                     "/dev/kvm", "/dev/fuse"):
            if os.path.exists(path):
                attempt(path, lambda path=path: os.close(os.open(path, os.O_RDWR | os.O_NOCTTY)))
        attempt("/dev/null", lambda: open("/dev/null", "w").write("x"))
        report()
        """,
        Expect(attempts_at_least=2, allowed=("/dev/null",), refused_with=REFUSED | {"ENXIO"}),
        needs=("landlock:1",),
    ),
    HostileCase(
        "writes_dev_shm",
        "creates a file in /dev/shm, shared memory that outlives the run",
        """
        path = "/dev/shm/scriptcontract-hostile-" + INPUTS["token"]
        attempt("create in /dev/shm", lambda: open(path, "w").write("x"))
        attempt("shared_memory", lambda: __import__(
            "multiprocessing.shared_memory").shared_memory.SharedMemory(
                name="scriptcontract-hostile-" + INPUTS["token"] + "-mp", create=True, size=64))
        report()
        """,
        Expect(attempts_at_least=2),
        needs=("landlock:1",),
        outside=(
            "/dev/shm/scriptcontract-hostile-{token}",
            "/dev/shm/scriptcontract-hostile-{token}-mp",
        ),
    ),
)

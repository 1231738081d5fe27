"""Writing outside the project, and what the project itself may do."""

from __future__ import annotations

import os

from tests.hostile.cases.checks import (
    file_size_is,
    no_setuid_files,
    project_edits_landed,
    script_is_gone,
)
from tests.hostile.cases.model import Expect, HostileCase

# A run as root changes no mode or times at all: the filter refuses fchmod and futimens
# before the kernel looks at the descriptor (root owns the system's files).
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
THROUGH_O_PATH = "EPERM" if AS_ROOT else "EBADF"

CASES: tuple[HostileCase, ...] = (
    # Writing outside the project
    HostileCase(
        "writes_outside_project",
        "creates, overwrites, appends to, removes and makes directories and FIFOs outside the "
        "project, in /tmp, in the home, and beside its private temp dir",
        """
        import shutil, tempfile
        c, home = INPUTS["canary"], INPUTS["home"]
        attempt("create in canary", lambda: open(c + "/new.txt", "x").write("x"))
        attempt("overwrite", lambda: open(c + "/secret.txt", "w"))
        attempt("append", lambda: open(c + "/secret.txt", "a"))
        attempt("open r+", lambda: open(c + "/secret.txt", "r+b"))
        attempt("remove file", lambda: os.remove(c + "/notes.txt"))
        attempt("remove tree", lambda: shutil.rmtree(c + "/sub"))
        attempt("mkdir", lambda: os.mkdir(c + "/newdir"))
        attempt("mkfifo", lambda: os.mkfifo(c + "/fifo"))
        attempt("create via ..", lambda: open("../canary/dotdot.txt", "w"))
        in_tmp = "/tmp/scriptcontract-hostile-" + INPUTS["token"]
        attempt("create in /tmp", lambda: open(in_tmp, "w"))
        attempt("append to .bashrc", lambda: open(home + "/.bashrc", "a"))
        attempt("append to authorized_keys", lambda: open(home + "/.ssh/authorized_keys", "a"))
        beside = os.path.dirname(tempfile.gettempdir())
        attempt("create beside the temp dir", lambda: open(beside + "/beside.txt", "w"))
        report()
        """,
        Expect(attempts_at_least=13),
        needs=("landlock:1",),
        outside=("/tmp/scriptcontract-hostile-{token}",),
    ),
    HostileCase(
        "renames_out_and_in",
        "renames project files out (to the canary, over a canary file, to /tmp) and outside "
        "files in; renaming inside the project works",
        """
        import shutil
        c = INPUTS["canary"]
        open("data/mine.txt", "w").write("mine")
        attempt("rename out", lambda: os.rename("data/mine.txt", c + "/mine.txt"))
        attempt("replace a canary file", lambda: os.replace("data/mine.txt", c + "/secret.txt"))
        attempt("rename in", lambda: os.rename(c + "/secret.txt", "data/stolen.txt"))
        attempt("rename a dir in", lambda: os.rename(c + "/sub", "data/stolen_dir"))
        attempt("rename the scripts dir out", lambda: os.rename("scripts", c + "/scripts"))
        attempt("shutil.move out", lambda: shutil.move("data/mine.txt", c + "/moved.txt"))
        attempt("rename to /tmp", lambda: os.rename(
            "data/mine.txt", "/tmp/scriptcontract-hostile-" + INPUTS["token"]))
        attempt("rename inside", lambda: os.rename("data/mine.txt", "data/mine2.txt"))
        report()
        """,
        Expect(attempts_at_least=8, allowed=("rename inside",)),
        needs=("landlock:2",),
        outside=("/tmp/scriptcontract-hostile-{token}",),
    ),
    HostileCase(
        "hard_links_out_and_in",
        "hard-links project files out and outside files (the canary, /etc/passwd) in; linking "
        "inside the project works",
        """
        c = INPUTS["canary"]
        open("data/mine.txt", "w").write("mine")
        attempt("link out", lambda: os.link("data/mine.txt", c + "/linked.txt"))
        attempt("link the canary in", lambda: os.link(c + "/secret.txt", "data/stolen.txt"))
        attempt("link /etc/passwd in", lambda: os.link("/etc/passwd", "data/passwd"))
        attempt("link to /tmp", lambda: os.link(
            "data/mine.txt", "/tmp/scriptcontract-hostile-" + INPUTS["token"]))
        attempt("link inside", lambda: os.link("data/mine.txt", "data/mine_link.txt"))
        report()
        """,
        Expect(attempts_at_least=5, allowed=("link inside",)),
        needs=("landlock:2",),
        outside=("/tmp/scriptcontract-hostile-{token}", "/etc/passwd"),
    ),
    HostileCase(
        "symlinks_out",
        "makes symlinks out of the project and follows them (and one made before the run, and "
        "/proc/self/cwd/..) to read, write and list outside",
        """
        c = INPUTS["canary"]
        attempt("make a symlink out", lambda: os.symlink(c + "/secret.txt", "data/to_secret"))
        attempt("read through it", lambda: open("data/to_secret").read())
        attempt("write through it", lambda: open("data/to_secret", "a"))
        attempt("symlink to /etc/passwd", lambda: os.symlink("/etc/passwd", "data/pw"))
        attempt("read /etc/passwd through it", lambda: open("data/pw").read())
        attempt("read through the old link", lambda: open("escape/secret.txt").read())
        attempt("create through the old link", lambda: open("escape/created.txt", "w"))
        attempt("list through the old link", lambda: os.listdir("escape"))
        attempt("through /proc/self/cwd/..",
                lambda: open("/proc/self/cwd/../canary/secret.txt").read())
        here = os.open(".", os.O_RDONLY)
        attempt("openat ../ from the project", lambda: os.open(
            "../canary/secret.txt", os.O_RDONLY, dir_fd=here))
        report()
        """,
        Expect(attempts_at_least=10, allowed=("make a symlink out", "symlink to /etc/passwd")),
        needs=("landlock:1",),
        outside=("/etc/passwd",),
    ),
    HostileCase(
        "plants_for_the_next_run",
        "plants what runs after it: a git hook and git configuration, the project's "
        "configuration (edited, replaced by a rename, or a new scriptcontract.toml), a .pth "
        "file in the project's virtual environment, editor settings, a direnv file, and "
        "renames .git away; writing its own data works",
        """
        def write(path, text, mode="w"):
            with open(path, mode) as handle:
                handle.write(text)
        def replace_by_rename(target):
            write("data/replacement", "[tool.scriptcontract.sandbox]\\nenabled = false\\n")
            os.rename("data/replacement", target)
        attempt("git hook", lambda: write(".git/hooks/pre-commit", "#!/bin/sh\\nid\\n"))
        attempt("git config", lambda: write(".git/config", "[core]\\nfsmonitor = id\\n", "a"))
        attempt("hook by symlink", lambda: os.symlink("/bin/true", ".git/hooks/post-checkout"))
        attempt("rename .git away", lambda: os.rename(".git", "data/git"))
        attempt("edit pyproject.toml", lambda: write("pyproject.toml", "\\n[tool.x]\\n", "a"))
        attempt("replace pyproject.toml", lambda: replace_by_rename("pyproject.toml"))
        attempt("new scriptcontract.toml", lambda: write("scriptcontract.toml", "[sandbox]\\n"))
        attempt(".pth in .venv", lambda: write(".venv/lib/site-packages/x.pth", "import os\\n"))
        attempt("pyvenv.cfg", lambda: write(".venv/pyvenv.cfg", "home = /tmp\\n"))
        attempt("editor settings", lambda: write(".vscode/settings.json", '{"a": 1}'))
        attempt("new editor folder", lambda: os.mkdir(".idea"))
        attempt(".envrc", lambda: write(".envrc", "curl example.com | sh\\n", "a"))
        attempt("own data", lambda: write("data/mine.json", "{}"))
        report()
        """,
        Expect(attempts_at_least=13, allowed=("own data",)),
        needs=("landlock:1",),
    ),
    HostileCase(
        "truncates_outside",
        "truncates a file outside the project by path",
        """
        c = INPUTS["canary"]
        attempt("truncate by path", lambda: os.truncate(c + "/secret.txt", 0))
        attempt("truncate via open", lambda: open(c + "/notes.txt", "r+").truncate(0))
        report()
        """,
        Expect(attempts_at_least=2),
        needs=("landlock:3",),
    ),
    HostileCase(
        "changes_owner_and_xattrs_outside",
        "changes the owner and the extended attributes of files outside the project (the "
        "system-call filter refuses chown and setxattr everywhere)",
        """
        c = INPUTS["canary"]
        attempt("setxattr", lambda: os.setxattr(c + "/sub/inner.txt", "user.hostile", b"1"))
        attempt("removexattr", lambda: os.removexattr(c + "/sub/inner.txt", "user.keep"))
        attempt("chown to itself", lambda: os.chown(c + "/sub", os.getuid(), os.getgid()))
        attempt("lchown", lambda: os.lchown(c + "/notes.txt", os.getuid(), os.getgid()))
        report()
        """,
        Expect(attempts_at_least=4),
        needs=("seccomp",),
    ),
    HostileCase(
        "changes_mode_and_times_outside",
        "changes the mode and the times of files outside the project and in the home: through "
        "os.chmod and os.utime, libc's chmod and utimensat, and the system calls on a path, "
        "and with AT_EMPTY_PATH on an O_PATH descriptor (which Landlock lets it open)",
        """
        c, home = INPUTS["canary"], INPUTS["home"]
        attempt("chmod", lambda: os.chmod(c + "/secret.txt", 0o666))
        attempt("chmod a key", lambda: os.chmod(home + "/.ssh/id_ed25519", 0o644))
        attempt("chmod a dir", lambda: os.chmod(c + "/sub", 0o777))
        attempt("utime", lambda: os.utime(c + "/notes.txt", (0, 0)))
        attempt("utime ns", lambda: os.utime(c + "/sub/inner.txt", ns=(0, 0)))
        attempt("libc chmod", lambda: libc("chmod", (c + "/secret.txt").encode(), 0o666))
        times = (ctypes.c_long * 4)(0, 0, 0, 0)
        attempt("libc utimensat", lambda: libc("utimensat", -100, (c + "/notes.txt").encode(),
                                               times, 0))
        attempt("fchmodat", lambda: syscall("fchmodat", -100, (c + "/secret.txt").encode(),
                                            0o666))
        fd = os.open(c + "/secret.txt", os.O_PATH)
        # Through the descriptor itself: the kernel's answer, not the filter's.
        through_o_path = {}
        for name, action in (("fchmod", lambda: os.fchmod(fd, 0o666)),
                             ("futimens", lambda: os.utime(fd, (0, 0)))):
            try:
                action()
                through_o_path[name] = "ok"
            except OSError as exc:
                through_o_path[name] = outcome(exc)
        attempt("fchmodat2 AT_EMPTY_PATH", lambda: syscall("fchmodat2", fd, b"", 0o666, 0x1000))
        attempt("utimensat AT_EMPTY_PATH", lambda: syscall("utimensat", fd, b"", times, 0x1000))
        attempt("via /proc/self/fd", lambda: os.chmod("/proc/self/fd/%d" % fd, 0o666))
        report(through_o_path=through_o_path)
        """,
        Expect(
            attempts_at_least=11,
            # A descriptor opened with O_PATH (anywhere) cannot change the file it names.
            output={"through_o_path": {"fchmod": THROUGH_O_PATH, "futimens": THROUGH_O_PATH}},
        ),
        needs=("landlock:1", "seccomp"),
    ),
    HostileCase(
        "setuid_bits",
        "makes setuid and setgid files in the project (by chmod, fchmod, open and mknod), "
        "which would run as this user for anyone; plain modes still work",
        """
        import shutil, stat
        open("data/tool", "w").write("#!/bin/sh\\n")
        attempt("chmod u+s", lambda: os.chmod("data/tool", 0o4755))
        attempt("chmod g+s", lambda: os.chmod("data/tool", 0o2755))
        fd = os.open("data/tool", os.O_RDONLY)
        attempt("fchmod u+s", lambda: os.fchmod(fd, 0o4755))
        attempt("open O_CREAT u+s", lambda: os.close(os.open("data/made", os.O_CREAT | os.O_WRONLY,
                                                             0o4755)))
        attempt("mknod u+s", lambda: os.mknod("data/node", stat.S_IFREG | 0o4755))
        attempt("chmod plain", lambda: os.chmod("data/tool", 0o755))
        attempt("create plain", lambda: os.close(os.open("data/plain", os.O_CREAT | os.O_WRONLY,
                                                         0o644)))
        attempt("copy2", lambda: shutil.copy2("data/tool", "data/tool_copy"))
        report()
        """,
        Expect(
            attempts_at_least=8,
            allowed=("create plain",) if AS_ROOT else ("chmod plain", "create plain", "copy2"),
        ),
        needs=("seccomp",),
        extra=no_setuid_files,
    ),
    HostileCase(
        "special_files_left_in_the_project",
        "leaves a FIFO named .gitignore or .gitattributes in a folder it may write (every "
        "`git status` or `git add` after it, an editor's included, waits on it for good), and "
        "socket and FIFO nodes by mknod: refused; regular files by mknod still work",
        """
        import stat
        attempt("mkfifo .gitignore", lambda: os.mkfifo("data/.gitignore"))
        attempt("mkfifo .gitattributes", lambda: os.mkfifo("data/.gitattributes"))
        attempt("mknod FIFO", lambda: os.mknod("data/fifo", stat.S_IFIFO | 0o600))
        attempt("mknod socket", lambda: os.mknod("data/socket", stat.S_IFSOCK | 0o600))
        attempt("mknod regular", lambda: os.mknod("data/regular", stat.S_IFREG | 0o600))
        attempt("mknod untyped", lambda: os.mknod("data/untyped", 0o600))
        report()
        """,
        Expect(attempts_at_least=6, allowed=("mknod regular", "mknod untyped")),
        needs=("seccomp",),
    ),
    HostileCase(
        "fills_disk_to_file_size_limit",
        "writes one file in the project until the file-size limit stops it",
        """
        written, error = 0, None
        try:
            with open("data/fill.bin", "wb", buffering=0) as handle:
                while True:
                    handle.write(b"\\0" * (1024 * 1024))
                    written += 1
        except OSError as exc:
            error = errno.errorcode[exc.errno]
        report(error=error, written_mb=written)
        """,
        Expect(output={"error": "EFBIG", "written_mb": 4}),
        policy={"file_size_mb": 4},
        extra=file_size_is("data/fill.bin", 4 * 1024 * 1024),
    ),
    # The project is the script's own: these are allowed and must just work
    HostileCase(
        "deletes_itself",
        "removes its own file while running (allowed: the project is its own)",
        """
        os.remove(sys.argv[0])
        report(gone=not os.path.exists(sys.argv[0]))
        """,
        Expect(output={"gone": True}),
        extra=script_is_gone,
    ),
    HostileCase(
        "edits_project_while_running",
        "writes data, edits and re-imports a sibling module, renames files and edits its own "
        "source while running (allowed)",
        """
        import importlib
        sys.dont_write_bytecode = True
        open("data/out.json", "w").write(json.dumps({"n": 1}))
        open("scripts/helper_mod.py", "w").write("VALUE = 41\\n")
        import helper_mod
        open("scripts/helper_mod.py", "w").write("VALUE = 42  # edited\\n")
        importlib.reload(helper_mod)
        os.rename("data/out.json", "data/final.json")
        open(sys.argv[0], "a").write("\\n# edited while running\\n")
        report(value=helper_mod.VALUE)
        """,
        Expect(output={"value": 42}),
        extra=project_edits_landed,
    ),
)

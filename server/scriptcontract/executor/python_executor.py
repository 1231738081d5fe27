"""`PythonExecutor`: validate, spawn in the sandbox, and report one workflow-script run."""

from __future__ import annotations

import asyncio
import json
import math
import os
import socket
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any, Literal

from scriptcontract.contract.key_patterns import UnsupportedPattern
from scriptcontract.contract.path_keys import PathKeys
from scriptcontract.contract.settings import DEFAULT_INPUT_PATH_KEYS, LintSettings
from scriptcontract.executor.cgroups import RunGroups
from scriptcontract.executor.child_process import run_child
from scriptcontract.executor.debugger import (
    DEBUG_TIMEOUT_MS,
    Debugger,
    DebuggerError,
    debugpy_package,
    explain_no_debugger,
)
from scriptcontract.executor.debugger import connect as connect_debugger
from scriptcontract.executor.group_watch import Caps, group_watch
from scriptcontract.executor.interpreter import (
    Interpreter,
    InterpreterError,
    resolve_interpreter,
)
from scriptcontract.executor.json_depth import MAX_JSON_DEPTH, nested_deeper_than
from scriptcontract.executor.launch import ColdLauncher
from scriptcontract.executor.outcome import build_result, printable
from scriptcontract.executor.paths import (
    PathValidationError,
    validate_input_paths,
    validate_script_path,
)
from scriptcontract.executor.policy import PROCESSES, SandboxPolicy
from scriptcontract.executor.project_layout import (
    Layout,
    LayoutError,
    ProjectLayout,
    explain_denied,
)
from scriptcontract.executor.result import ErrorKind, ExecutionResult, SandboxReport
from scriptcontract.executor.run_keeper import NoKeeper
from scriptcontract.executor.settings import (
    DEFAULT_STDERR_LIMIT,
    DEFAULT_STDOUT_LIMIT,
    DEFAULT_TIMEOUT_MS,
    RUN_FOLDER_PREFIX,
    ExecutorMode,
)
from scriptcontract.executor.temp_dirs import remove_temp_dir
from scriptcontract.executor.warm_runner import WarmLauncher, WarmRunner, warm_runner
from scriptcontract.project_files import ProjectFileError, read_project_text

MIB = 1024 * 1024
# Variables of the caller that a script may see; everything else (tokens, keys) stays out.
ENV_ALLOW = ("PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ", "USER", "LOGNAME")
# The largest script `validate_script_contract` reads (the analyser's time grows with it).
MAX_SCRIPT_BYTES = 5 * 1024 * 1024


class PythonInfo:
    """What `python_info()` found: usable or not, and why."""

    def __init__(self, interpreter: Interpreter | None, error: str | None) -> None:
        self.interpreter = interpreter
        self.error = error

    @property
    def available(self) -> bool:
        return self.interpreter is not None

    @property
    def version(self) -> str | None:
        return self.interpreter.version_text if self.interpreter else None


class PythonExecutor:
    """Runs workflow scripts of one project: JSON inputs in, one JSON object out.

    Never raises for anything a script or its inputs do: every failure comes back as an
    `ExecutionResult` with `success=False` and a message in `error`.
    """

    def __init__(
        self,
        project_root: str | os.PathLike[str],
        *,
        default_timeout_ms: int = DEFAULT_TIMEOUT_MS,
        python_path: str = "python3",
        sandbox: SandboxPolicy | None = None,
        input_path_keys: str = DEFAULT_INPUT_PATH_KEYS,
        stdout_limit: int = DEFAULT_STDOUT_LIMIT,
        stderr_limit: int = DEFAULT_STDERR_LIMIT,
        env: dict[str, str] | None = None,
        pass_env: list[str] | None = None,
        mode: ExecutorMode = "cold",
    ) -> None:
        root = Path(project_root)
        if not root.is_dir():
            raise ValueError(f"Project root is not a directory: {os.fspath(project_root)}")
        if default_timeout_ms <= 0:
            raise ValueError("default_timeout_ms must be positive")
        self.project_root = Path(os.path.realpath(root))
        too_wide = _too_wide(self.project_root)
        if too_wide:
            raise ValueError(
                f"Refusing {self.project_root} as the project root: it is {too_wide}, and runs "
                "may write everything under their project root. Use the project's own folder."
            )
        self.default_timeout_ms = default_timeout_ms
        self.python_path = python_path
        self.sandbox = sandbox if sandbox is not None else SandboxPolicy()
        self._layout = ProjectLayout(str(self.project_root), self.sandbox.protected_paths)
        try:
            self.input_path_keys = PathKeys(input_path_keys)
        except UnsupportedPattern as exc:
            raise ValueError(f"input_path_keys {input_path_keys!r}: {exc}") from None
        self.stdout_limit = stdout_limit
        self.stderr_limit = stderr_limit
        self.env = dict(env or {})
        self.pass_env = list(pass_env or [])
        # "auto": warm where a warm runner can work (Linux), cold elsewhere.
        self.mode: Literal["cold", "warm"] = (
            ("warm" if sys.platform.startswith("linux") else "cold") if mode == "auto" else mode
        )

    async def check_python_available(self, python_path: str | None = None) -> bool:
        """True when the interpreter exists and is Python 3.8 or newer."""
        return (await self.python_info(python_path)).available

    async def python_info(self, python_path: str | None = None) -> PythonInfo:
        """The interpreter's real path and version, or the reason it cannot run scripts."""
        try:
            return PythonInfo(
                await resolve_interpreter(
                    python_path or self.python_path,
                    writable=self._writable(),
                    root=self.project_root,
                ),
                None,
            )
        except InterpreterError as exc:
            return PythonInfo(None, str(exc))

    async def validate_script_contract(self, script_path: str | os.PathLike[str]) -> bool:
        """True when the script appears to follow the contract (no error-level findings),
        under its project's lint settings (a configuration nested below the executor's root
        only once vouched for: a run could have planted one that ignores every rule)."""
        from scriptcontract.contract.validate import script_follows_contract

        try:
            real = validate_script_path(self.project_root, script_path)
            # Read as a project file: the run before may have swapped it for a symlink to a
            # secret or a FIFO since the check above.
            source = read_project_text(self.project_root, real, max_bytes=MAX_SCRIPT_BYTES)
        except (PathValidationError, ProjectFileError):
            return False
        return script_follows_contract(source, str(real), self._lint_settings(real))

    def _lint_settings(self, script: Path) -> LintSettings | None:
        """The lint settings of the script's project: the nearest configuration at or above
        it. One below the executor's root counts only once vouched for (check's rule: a run
        could have planted one that ignores every rule); passed over, the nearest at or
        above the root decides, out of any run's reach. None: the defaults."""
        from scriptcontract.config import find_project_root, load_project_config
        from scriptcontract.nested_configs import vouched_config
        from scriptcontract.trust import is_inside

        top = self.project_root
        root = find_project_root(script.parent)
        if root is not None and root != top and is_inside(root, top):
            config, problem = vouched_config(root, top, "the executor's project root")
            if problem is None:
                return config.lint
            root = find_project_root(top)
        return load_project_config(root).lint if root is not None else None

    async def execute_script(
        self,
        script_path: str | os.PathLike[str],
        inputs: Any = None,
        *,
        timeout_ms: int | None = None,
        python_path: str | None = None,
        args: list[str] | None = None,
        env: dict[str, str] | None = None,
        debugger: Debugger | None = None,
    ) -> ExecutionResult:
        """Run the script with `inputs` on its stdin. With `debugger`, a debug run: debugpy
        in the script's process, connected to that adapter (see debugger.py)."""
        if timeout_ms is None:
            timeout_ms = self.default_timeout_ms if debugger is None else DEBUG_TIMEOUT_MS
        timeout = timeout_ms
        shown_path = _shown_path(script_path)
        problem = _timeout_problem(timeout) or _env_problem({**self.env, **(env or {})})
        if problem:
            return _refused(problem, "validation")
        too_deep = f"Inputs are nested more than {MAX_JSON_DEPTH} levels deep"
        try:
            script = validate_script_path(self.project_root, script_path)
            # Serialised before anything walks them: a value that holds itself stops here.
            # NaN and Infinity are not JSON: a strict parser in the script would refuse them.
            stdin_data = json.dumps({} if inputs is None else inputs, allow_nan=False).encode()
            if nested_deeper_than(stdin_data):
                return _refused(too_deep, "validation", shown_path)
            validate_input_paths(self.project_root, inputs, self.input_path_keys)
        except PathValidationError as exc:
            return _refused(str(exc), "validation", shown_path)
        except RecursionError:
            return _refused(too_deep, "validation", shown_path)
        except (TypeError, ValueError) as exc:
            return _refused(f"Inputs are not JSON-serialisable: {exc}", "validation", shown_path)
        bad_args = [a for a in (args or []) if not isinstance(a, str) or "\0" in a]
        if bad_args:
            return _refused(f"Script arguments must be strings: {bad_args[0]!r}", "validation")
        try:
            interpreter = await resolve_interpreter(
                python_path or self.python_path, writable=self._writable(), root=self.project_root
            )
        except InterpreterError as exc:
            return _refused(str(exc), "setup", shown_path, error_type="InterpreterNotFound")

        try:
            layout = self._layout_for(interpreter)
        except LayoutError as exc:
            return _refused(f"Cannot lay out the project for the sandbox: {exc}", "setup")
        connection: socket.socket | None = None
        debug: dict[str, Any] | None = None
        if debugger is not None:
            try:
                debug = {
                    "debugpy": str(debugpy_package()),
                    # Each side proves itself to the other (the port is anyone's to reach).
                    "server_token": debugger.server_token,
                    "client_token": debugger.client_token,
                }
                connection = await connect_debugger(debugger)
            except DebuggerError as exc:
                return _refused(f"Not debugged: {exc}", "setup", shown_path)
        tmp_dir = tempfile.mkdtemp(prefix=RUN_FOLDER_PREFIX)
        groups: RunGroups | None = None
        try:
            child_env = self._child_env(interpreter, tmp_dir, env)
            groups = (
                RunGroups.create(self.sandbox.memory_mb * MIB, self.sandbox.max_threads)
                if self.sandbox.enabled and self.sandbox.cgroup
                else None
            )
            watchdog = group_watch().available and self.sandbox.enabled
            caps = self._caps(groups) if watchdog else None
            spec: dict[str, Any] = {
                "script": str(script),
                "args": list(args or []),
                "project_root": str(self.project_root),
                "project_writable": list(layout.writable) if layout else [],
                "tmp_dir": tmp_dir,
                "policy": asdict(self.sandbox),
                "cpu_seconds": -(-timeout // 1000) + self.sandbox.cpu_margin_s,
                "parent_enforced": [PROCESSES] if watchdog else [],
                "cgroup_procs": groups.procs_files if groups else [],
                "cgroup": groups.describe() if groups else "",
            }
            launcher: ColdLauncher | WarmLauncher = (
                WarmLauncher(
                    warm_runner(interpreter.executable, site_first=self._site_first(interpreter)),
                    interpreter.executable,
                )
                if self.mode == "warm" and connection is None
                else ColdLauncher(interpreter.executable)
            )
            if debug is not None and connection is not None:
                fd = connection.fileno()
                spec["debug"] = {**debug, "fd": fd}
                # The script imports debugpy from scriptcontract's environment: readable.
                spec["policy"]["read_paths"] = [*spec["policy"]["read_paths"], debug["debugpy"]]
                launcher = ColdLauncher(interpreter.executable, pass_fds=(fd,))
            outcome = await run_child(
                launcher,
                spec,
                cwd=str(self.project_root),
                env=child_env,
                stdin_data=stdin_data,
                timeout_s=timeout / 1000,
                stdout_limit=self.stdout_limit,
                stderr_limit=self.stderr_limit,
                caps=caps,
            )
        finally:
            if connection is not None:
                connection.close()
            if groups is not None:
                await groups.close()
            cleanup_error = await _remove_temp_dir(tmp_dir)
        if isinstance(outcome.spawn_error, NoKeeper):
            return _refused(f"Refused to run: {outcome.spawn_error}", "setup", shown_path)
        if outcome.spawn_error is not None:
            return _refused(
                f"Could not start {interpreter.executable}: {outcome.spawn_error}",
                "setup",
                shown_path,
            )
        result = build_result(
            outcome,
            timeout_ms=timeout,
            stdout_limit=self.stdout_limit,
            stderr_limit=self.stderr_limit,
            caps=caps,
        )
        result.script_path = shown_path
        result.python = interpreter.executable
        result.mode = launcher.used if isinstance(launcher, WarmLauncher) else "cold"
        if groups is not None and not result.success and groups.oom_kills():
            result.error = (
                f"Script was killed by the kernel: its processes used more than "
                f"{self.sandbox.memory_mb} MiB of memory together (sandbox.memory-mb)"
            )
            result.error_kind, result.error_type = "limits", "MemoryLimitExceeded"
        if layout is not None and not result.success and "filesystem" in result.sandbox.enforced:
            hint = explain_denied(
                f"{result.error}\n{result.stderr[-2000:]}", str(self.project_root), layout
            )
            if hint:
                result.error = f"{result.error} ({hint})"
        if connection is not None:
            explain_no_debugger(result)
        result.cleanup_error = cleanup_error
        return result

    async def warm_runner(self, python_path: str | None = None) -> WarmRunner:
        """The warm runner this executor's warm runs go through (with `python_path`)."""
        interpreter = await resolve_interpreter(
            python_path or self.python_path, writable=self._writable(), root=self.project_root
        )
        return warm_runner(interpreter.executable, site_first=self._site_first(interpreter))

    def _writable(self) -> list[str]:
        """The folders runs may write, where no interpreter is looked for on PATH."""
        return [str(self.project_root), *self.sandbox.write_paths]

    def _site_first(self, interpreter: Interpreter) -> bool:
        """Whether the warm runner may process the interpreter's site-packages before the
        sandbox, once for every run: only where this user can write none of what they read
        (a system interpreter, for a user other than root). A run is this user, confined to
        its project, but the runner serves every project's runs, and another project's run
        could have written there (its folder named in a .pth file of an environment both
        use): what it planted would run unconfined when a runner next starts (see
        docs/security.md). Otherwise each run processes them once confined (1 to 3 ms a run)."""
        paths = (*interpreter.site_paths, interpreter.venv, interpreter.base_prefix)
        return not any(_writable_by_this_user(path) for path in paths if path)

    def _caps(self, groups: RunGroups | None) -> Caps:
        """What the watchdog holds the run's process group to. Where a cgroup counts the
        run's tasks, the kernel holds the thread cap itself."""
        tasks = self.sandbox.max_threads
        if groups is not None and "pids" in groups.limits:
            tasks = 1 << 30
        return Caps(self.sandbox.max_processes, tasks)

    def _layout_for(self, interpreter: Interpreter) -> Layout | None:
        """What of the project the run may write (see project_layout.py); the interpreter's
        own environment and standard library, when they lie inside the project, stay
        read-only like the others, and so does the file named to start it (a shim of the
        project's, and what a link of the project's leads to): the next process starts it
        again, outside the sandbox, to probe it."""
        if not (self.sandbox.enabled and self.sandbox.filesystem):
            return None
        started = [interpreter.started, os.path.realpath(interpreter.started)]
        inside = [
            os.path.relpath(path, self.project_root)
            for path in (
                interpreter.executable,
                interpreter.venv,
                interpreter.base_prefix,
                *(started if interpreter.started else ()),
                *OWN_ENVIRONMENT,
            )
            if _is_inside(path, self.project_root)
        ]
        return self._layout.layout(inside)

    def _child_env(
        self, interpreter: Interpreter, tmp_dir: str, extra: dict[str, str] | None
    ) -> dict[str, str]:
        allowed = (*ENV_ALLOW, *self.pass_env)
        env = {name: os.environ[name] for name in allowed if name in os.environ}
        # The interpreter's own bin dir first: `python3` in a subprocess of the script is the
        # same interpreter, not a shim that reads outside the sandbox.
        bin_dir = os.path.dirname(interpreter.executable)
        env["PATH"] = os.pathsep.join(
            [bin_dir, *(p for p in env.get("PATH", os.defpath).split(os.pathsep) if p)]
        )
        env.setdefault("LANG", "C.UTF-8")
        env.update(
            HOME=tmp_dir,
            TMPDIR=tmp_dir,
            TEMP=tmp_dir,
            TMP=tmp_dir,
            PYTHONIOENCODING="utf-8",
            # A Python the script starts keeps its bytecode in the run's own temp dir, not in
            # the project's __pycache__, where an earlier run could have planted what it runs
            # (the script's own process never reads them: see the bootstrap's _imports.py).
            PYTHONPYCACHEPREFIX=os.path.join(tmp_dir, "pycache"),
            SCRIPTCONTRACT_PROJECT_ROOT=str(self.project_root),
        )
        if sys.platform == "win32":  # pragma: no cover - Windows needs these to start at all
            for name in ("SYSTEMROOT", "COMSPEC", "PATHEXT"):
                if name in os.environ:
                    env[name] = os.environ[name]
        env.update(self.env)
        env.update(extra or {})
        return env


def _shown_path(script_path: Any) -> str:
    """The script path as the result shows it, whatever the caller passed."""
    try:
        shown = os.fspath(script_path)
    except TypeError:
        return repr(script_path)
    return printable(shown) if isinstance(shown, str) else repr(shown)


def _timeout_problem(timeout: Any) -> str | None:
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        return f"timeout_ms must be a number of milliseconds, got {timeout!r}"
    if not math.isfinite(timeout) or timeout <= 0:
        return f"timeout_ms must be positive, got {timeout}"
    return None


def _env_problem(env: dict[Any, Any]) -> str | None:
    """Why these variables cannot be given to a process (the spawn would raise), or None."""
    for name, value in env.items():
        if not isinstance(name, str) or not isinstance(value, str):
            return f"Environment variables must be strings: {name!r} = {value!r}"
        if not name or "=" in name or "\0" in name or "\0" in value:
            return f"Environment variable {name!r} cannot be passed (empty, '=' or NUL)"
        try:
            os.fsencode(name)
            os.fsencode(value)
        except UnicodeError:
            return f"Environment variable {name!r} cannot be passed (a lone surrogate)"
    return None


def _too_wide(root: Path) -> str | None:
    """Why `root` holds far more than a project (None: it does not): the file system's
    root, the user's home folder or a folder above it, the shared temp folder."""
    if root == root.parent:
        return "the root of the file system"
    home = Path(os.path.realpath(os.path.expanduser("~")))
    if root == home or root in home.parents:
        return "the home folder" if root == home else "a folder above the home folder"
    if root == Path(os.path.realpath(tempfile.gettempdir())):
        return "the shared temp folder"
    return None


# The environment this process runs from (the editor's language server, `scriptcontract` on
# the command line) and the folder it imports scriptcontract from (an editable install's):
# where they lie inside the project (a venv below its top level, `tools/venv`), a `.pth` a run
# planted there ran, unconfined, at the next start of the server or of the command.
OWN_ENVIRONMENT = tuple(
    dict.fromkeys(
        (
            sys.prefix,
            sys.exec_prefix,
            sys.base_prefix,
            str(Path(__file__).resolve().parents[2]),
        )
    )
)


async def _remove_temp_dir(path: str) -> str | None:
    """`remove_temp_dir`, off the event loop unless the run left its temp dir empty: a run
    can leave a hundred thousand files there, whose removal held the loop (the language
    server answered nothing) for seconds."""
    try:
        os.rmdir(path)  # what most runs leave: one call, no thread
        return None
    except FileNotFoundError:
        return None
    except OSError:
        pass
    return await asyncio.to_thread(remove_temp_dir, path)


def _writable_by_this_user(path: str) -> bool:
    """Whether this user could change what is at `path`, or create it: its nearest
    existing folder (or itself) is writable, or what is there cannot be told."""
    current = os.path.abspath(path)
    while not os.path.lexists(current):
        parent = os.path.dirname(current)
        if parent == current:
            return True
        current = parent
    try:
        return os.access(current, os.W_OK)
    except (OSError, ValueError):
        return True


def _is_inside(path: str, root: Path) -> bool:
    """Whether `path` lies in `root`, its folders' symlinks resolved (not its own: a venv's
    interpreter is a symlink to one outside, and it is the link a run could replace)."""
    if not path:
        return False
    folder, name = os.path.split(os.path.abspath(path))
    real = os.path.join(os.path.realpath(folder), name)
    return real == str(root) or real.startswith(str(root) + os.sep)


def _refused(
    message: str,
    kind: ErrorKind,
    script_path: str | None = None,
    *,
    error_type: str | None = None,
) -> ExecutionResult:
    """A result for a run that never started."""
    return ExecutionResult(
        success=False,
        error=printable(message),
        error_kind=kind,
        error_type=error_type or ("PathValidationError" if kind == "validation" else None),
        script_path=None if script_path is None else printable(script_path),
        sandbox=SandboxReport(platform=sys.platform),
    )

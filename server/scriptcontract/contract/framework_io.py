"""Libraries that own a script's stdin or stdout: what they read and write for it.

A call into a module outside the project proves nothing about the script's I/O (assuming
it did hid most of the first survey's real violations). A few host frameworks are the
exception, and are known by name: the script hands its whole run to them, and they read
the inputs or print the JSON result inside the library. They are listed here, as data,
with what each does; a script that uses one of them (calls it, makes one, or subclasses it
in code that runs) is taken to read or write through it, and nothing else is assumed.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from scriptcontract.contract.facts import Facts
    from scriptcontract.contract.model import ScriptModel


class FrameworkIO(NamedTuple):
    reads: bool  # reads the script's inputs from stdin
    writes: bool  # prints the script's JSON result on stdout
    why: str
    # A base class whose name is too plain to trust alone counts only through a subclass
    # that defines this method (the hook the framework calls); a call of it proves nothing.
    subclass_defines: str = ""


# By the qualified name a script imports them under.
FRAMEWORKS: dict[str, FrameworkIO] = {
    "ansible.module_utils.basic.AnsibleModule": FrameworkIO(
        reads=True,
        writes=True,
        why="reads the module's arguments (JSON) from stdin; exit_json() and fail_json() "
        "print the JSON result and exit",
    ),
    "pyflowlauncher.Plugin": FrameworkIO(
        reads=False,
        writes=True,
        why="Flow Launcher plugins: run() takes the request from the command line and "
        "prints the JSON-RPC answer",
    ),
    **{
        f"singer.{name}": FrameworkIO(
            reads=False,
            writes=True,
            why="Singer taps and targets: each write_* call prints one JSON message "
            "(SCHEMA, RECORD, STATE) on stdout",
        )
        for name in (
            "write_message",
            "write_record",
            "write_records",
            "write_schema",
            "write_state",
        )
    },
    "flowlauncher.FlowLauncher": FrameworkIO(
        reads=False,
        writes=True,
        why="Flow Launcher plugins: making the object takes the request from the command "
        "line and prints the JSON-RPC answer",
    ),
    **{
        name: FrameworkIO(
            reads=True,
            writes=True,
            why="TheHive Cortex analyzers and responders: making the object reads the job "
            "(JSON) from stdin when no job folder is given; report() and error() print the "
            "JSON result",
        )
        for name in (
            "cortexutils.analyzer.Analyzer",
            "cortexutils.responder.Responder",
            "cortexutils.worker.Worker",
        )
    },
    "task_helper.TaskHelper": FrameworkIO(
        reads=True,
        writes=True,
        why="Puppet Bolt tasks written with python_task_helper: run() reads the task's "
        "parameters (JSON) from stdin, calls the subclass's task() and prints what it returns, "
        "or an `_error` object and exit code 1",
        subclass_defines="task",
    ),
}


# Frameworks whose decorated functions, called at module level, declare work rather than
# do it: the host imports the file to read the declaration and runs the body later, in
# its own process, with its own inputs. By the package the decorator is imported from.
DECLARING_DECORATORS: dict[str, str] = {
    "airflow": "Airflow DAG files: calling a @task or @dag function (inside `with DAG(...)` or "
    "a @dag function) adds a task to the graph; the scheduler imports the file and runs "
    "the task later",
}


def declares_only(model: ScriptModel, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether calling the script's own function `node` only declares work for a host
    framework (an Airflow `@task`), so that a call of it at module level runs nothing."""
    for decorator in node.decorator_list:
        expr = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = model.resolve(expr)
        if name is not None and name.partition(".")[0] in DECLARING_DECORATORS:
            return True
    return False


def declares_graph(model: ScriptModel, call: ast.Call) -> bool:
    """Whether a module-level call is one of a declaring framework's own (`chain(a, b)` of
    Airflow), wiring the declaration rather than running anything."""
    name = model.resolve(call.func)
    return name is not None and name.partition(".")[0] in DECLARING_DECORATORS


def framework_does(facts: Facts, need: str) -> bool:
    """Whether a framework of the table, used by code that runs, reads ("reads") or
    writes ("writes") for the script."""
    model = facts.model
    wanted = {
        name
        for name, does in FRAMEWORKS.items()
        if (does.reads if need == "reads" else does.writes)
    }
    imported = set(model.aliases.values())
    starred = _star_imports(model.tree)
    if not any(n == q or n.startswith(q + ".") for q in (*imported, *starred) for n in wanted):
        return False  # the common case: no framework imported, nothing walked
    # `from ansible.module_utils.basic import *` (the old modules' way) brings the bare name.
    spellings = set(wanted)
    for name in wanted:
        module, _, short = name.rpartition(".")
        if module in starred and short not in model.aliases:
            spellings.add(short)
    run_path = facts.run_path
    hooks = {name: FRAMEWORKS[name].subclass_defines for name in wanted}
    for name in spellings:
        if hooks.get(_qualified(name, wanted)):
            continue  # known only through a subclass, below
        for site in model.calls.get(name, ()):
            function = site.ctx.function
            if function is None or id(function) in run_path:
                return True
    named = {site.name for group in model.calls.values() for site in group}
    for stmt in model.tree.body:
        if not isinstance(stmt, ast.ClassDef) or stmt.name not in named:
            continue
        for base in stmt.bases:
            base_name = model.resolve(base)
            if base_name in spellings and _defines(
                stmt, hooks.get(_qualified(base_name, wanted), "")
            ):
                return True
    return False


def _qualified(spelling: str, wanted: set[str]) -> str:
    """The table's name for `spelling` (a bare name brought by a star import)."""
    if spelling in wanted:
        return spelling
    return next((name for name in wanted if name.rpartition(".")[2] == spelling), spelling)


def _defines(cls: ast.ClassDef, method: str) -> bool:
    return not method or any(
        isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt.name == method
        for stmt in cls.body
    )


def _star_imports(tree: ast.Module) -> set[str]:
    return {
        stmt.module
        for stmt in tree.body
        if isinstance(stmt, ast.ImportFrom)
        and stmt.module
        and not stmt.level
        and any(alias.name == "*" for alias in stmt.names)
    }

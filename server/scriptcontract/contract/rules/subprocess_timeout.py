"""SCR401 subprocess-without-timeout: a child process that may outlive the script's timeout."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract import names as N
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.model import (
    FunctionInfo,
    is_constant_true,
    loop_statements,
)
from scriptcontract.contract.rules._helpers import argument, has_star_kwargs
from scriptcontract.contract.rules._timeouts import add_timeout_fix, names_bound_to
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR401",
    name="subprocess-without-timeout",
    severity=Severity.WARNING,
    summary="A subprocess is started without a timeout.",
    explanation="""
A command that hangs keeps the script waiting until the executor kills the whole run at its
timeout, and the caller gets no JSON at all. Give `subprocess.run()` (and `call`,
`check_call`, `check_output`, `Popen.communicate()`, `Popen.wait()`) a `timeout=` well inside
the script's own, and report `subprocess.TimeoutExpired` as an error. `os.system()` and
`os.popen()` cannot time out at all: use `subprocess.run(..., timeout=...)`. A loop that
waits for a `Popen` child by polling it (`while proc.poll() is None: time.sleep(1)`, or
`while True:` left only when `proc.poll()` says the child ended) is the same wait without a
limit: the rule reports it unless the loop kills or signals the child, can end by `return`,
`raise` or an exit, or acts on a clock (`if time.monotonic() - started > limit:` doing more
than logging). A clock read only for a heartbeat line (`if now - last > 60: print(...)`)
limits nothing and does not count, nor does a limit that holds only when the caller gives
one (`if timeout and elapsed > timeout: proc.kill()` with `timeout=None` by default, and a
call of the function that leaves it out or passes None): without it the loop waits as long
as the child runs. A loop in a function handed to a thread (`Thread(target=watch)`) holds
no one and is not reported.
""",
    bad_example="""
import subprocess

listing = subprocess.run(["ls", "-l"], capture_output=True, text=True)
""",
    good_example="""
import subprocess

listing = subprocess.run(["ls", "-l"], capture_output=True, text=True, timeout=10)
""",
    fix="Add a timeout. The automatic fix adds `timeout=N` with N half the run timeout.",
    fixable=True,
)


def check(ctx: RuleContext) -> Iterator[Report]:
    model = ctx.model
    for site in model.calls_to(*N.SUBPROCESS_WITH_TIMEOUT):
        if has_star_kwargs(site.node) or argument(site.node, None, "timeout") is not None:
            continue
        yield Report(
            ctx.range(site.node),
            f"{site.name}() without a timeout can hang until the run is killed",
            fixes=add_timeout_fix(ctx, site),
        )
    for site in model.calls_to(*N.SHELL_NO_TIMEOUT):
        command = site.node.args[0] if site.node.args else None
        if isinstance(command, ast.Constant) and command.value == "":
            continue  # os.system(""): runs no command (it switches Windows consoles to ANSI)
        yield Report(
            ctx.range(site.node),
            f"{site.name}() cannot time out: use subprocess.run(..., timeout=...)",
        )
    popens = names_bound_to(ctx.model.calls.get(N.SUBPROCESS_POPEN, ()))
    if popens:
        for site in model.method_calls("communicate", "wait"):
            func = site.node.func
            if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
                continue
            if func.value.id not in popens or has_star_kwargs(site.node):
                continue
            position = 1 if func.attr == "communicate" else 0
            if argument(site.node, position, "timeout") is None:
                yield Report(
                    ctx.range(site.node),
                    f"Popen.{func.attr}() without a timeout can hang until the run is killed",
                    fixes=add_timeout_fix(ctx, site),
                )
        yield from _poll_loops(ctx, popens)


# Reading one of these in a polling loop is how a deadline is kept.
CLOCKS = frozenset(
    {
        "time.time",
        "time.monotonic",
        "time.perf_counter",
        "time.time_ns",
        "time.monotonic_ns",
        "time.perf_counter_ns",
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
    }
)
# Methods that end or signal the child: the loop decides when to stop waiting.
STOPPERS = frozenset({"kill", "killpg", "terminate", "send_signal"})


def _poll_loops(ctx: RuleContext, popens: set[str]) -> Iterator[Report]:
    """`while proc.poll() is None: ...` (or `while True:` left only on `proc.poll()`) with
    no clock, no kill and no other way out: waiting as long as the child runs."""
    seen: set[int] = set()
    for site in ctx.model.method_calls("poll"):
        func = site.node.func
        if not (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in popens
            and not site.node.args
        ):
            continue
        waiting = site.stmt if isinstance(site.stmt, ast.While) else site.ctx.loop
        gated = _gated_on_optional_limit(ctx, site.ctx.function, waiting)
        loop = _polling_loop(ctx, site.node, site.stmt, site.ctx.loop, gated)
        if loop is None or id(loop) in seen or _in_thread_target(ctx, site.ctx.function):
            continue
        seen.add(id(loop))
        if _may_stop_waiting(ctx, loop, set(gated)):
            continue
        if gated and _may_stop_waiting(ctx, loop, set()):
            limit = next(iter(gated.values()))
            yield Report(
                ctx.lines.first_line_of(loop),
                f"this loop waits on {func.value.id}.poll() with a time limit only when "
                f"{limit} is given, and it defaults to None: without it the loop runs as long "
                "as the child does, until the run is killed; give the limit a default",
            )
            continue
        yield Report(
            ctx.lines.first_line_of(loop),
            f"this loop waits on {func.value.id}.poll() with no time limit: it runs as long as "
            "the child does, until the run is killed; stop after a deadline "
            "(time.monotonic()) and kill the child",
        )


def _gated_on_optional_limit(
    ctx: RuleContext, function: FunctionInfo | None, loop: ast.stmt | None
) -> dict[int, str]:
    """The `if`s of the loop whose test holds only when a parameter defaulting to None is
    given (`if timeout and elapsed > timeout:`, `if limit is not None and ...:`), by id, with
    the parameter's name, when some call of the function may leave it out."""
    if function is None or not isinstance(loop, ast.While):
        return {}
    optional = {
        name: position
        for name, position in _optional_parameters(function.node).items()
        # `timeout = timeout or 60` gives it a value after all
        if not any(a.ctx.function is function for a in ctx.model.assignments.get(name, ()))
    }
    if not optional:
        return {}
    gated: dict[int, str] = {}
    for node in ast.walk(loop):
        if isinstance(node, ast.If) and isinstance(node.test, ast.BoolOp):
            if not isinstance(node.test.op, ast.And):
                continue
            name = _given(node.test.values[0])
            if name in optional and _may_be_left_out(ctx, function, name, optional[name]):
                gated[id(node)] = name
    return gated


def _optional_parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, int | None]:
    """The parameters defaulting to None, with their position (None: keyword-only)."""
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    found: dict[str, int | None] = {}
    first = len(positional) - len(args.defaults)
    for index, default in enumerate(args.defaults, start=first):
        if isinstance(default, ast.Constant) and default.value is None:
            found[positional[index].arg] = index
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if isinstance(kw_default, ast.Constant) and kw_default.value is None:
            found[arg.arg] = None
    return found


def _given(test: ast.expr) -> str | None:
    """`timeout` in `timeout and ...`, `timeout is not None and ...`."""
    if isinstance(test, ast.Name):
        return test.id
    if (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.IsNot)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        return test.left.id
    return None


def _may_be_left_out(
    ctx: RuleContext, function: FunctionInfo, name: str, position: int | None
) -> bool:
    """Some call of the function passes no value (or None) for the parameter; a function the
    script never calls may be called without it by anyone."""
    sites = (
        ctx.model.method_calls(function.name)
        if function.is_method
        else ctx.model.calls.get(function.name, [])
    )
    if not sites:
        return True
    shift = 1 if function.is_method and function.params[:1] in (["self"], ["cls"]) else 0
    for site in sites:
        if has_star_kwargs(site.node) or any(isinstance(a, ast.Starred) for a in site.node.args):
            continue
        index = None if position is None else position - shift
        value = argument(site.node, index, name)
        if value is None or (isinstance(value, ast.Constant) and value.value is None):
            return True
    return False


def _polling_loop(
    ctx: RuleContext,
    call: ast.Call,
    stmt: ast.stmt,
    loop: ast.stmt | None,
    gated: dict[int, str],
) -> ast.While | None:
    """The loop that waits on `call`: the `while` it is the test of, or the `while True:`
    whose only `break`s sit under an `if` on it. A `break` under an `if` that holds only
    when an optional limit is given does not count."""
    if isinstance(stmt, ast.While) and _is_none_test(stmt.test, call, running=True):
        breaks = [b for b in _breaks(stmt.body) if not _under_gate(ctx, b, stmt, gated)]
        return None if breaks else stmt
    if not (isinstance(stmt, ast.If) and _is_none_test(stmt.test, call, running=False)):
        return None
    if not (isinstance(loop, ast.While) and is_constant_true(loop.test)):
        return None
    parent = ctx.model.parent_of(stmt)
    if parent is None or parent.stmt is not loop or not _breaks(stmt.body):
        return None
    others = [
        b
        for other in loop.body
        if other is not stmt
        for b in _breaks([other])
        if not _under_gate(ctx, b, loop, gated)
    ]
    return None if others or _breaks(stmt.orelse) else loop


def _is_none_test(test: ast.expr, call: ast.Call, *, running: bool) -> bool:
    """`call is None` (the child still runs) or, with running False, `call is not None`."""
    if not (
        isinstance(test, ast.Compare)
        and test.left is call
        and len(test.ops) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        return False
    op = test.ops[0]
    return isinstance(op, (ast.Is, ast.Eq)) if running else isinstance(op, (ast.IsNot, ast.NotEq))


def _breaks(block: list[ast.stmt]) -> list[ast.Break]:
    """The `break`s of `block` that leave the loop holding it (not those of inner loops)."""
    return [stmt for stmt, own in loop_statements(block) if own and isinstance(stmt, ast.Break)]


def _under_gate(ctx: RuleContext, stmt: ast.stmt, loop: ast.stmt, gated: dict[int, str]) -> bool:
    """`stmt` sits in the body of one of the `gated` `if`s, inside `loop`."""
    parent = ctx.model.parent_of(stmt)
    while parent is not None and parent.stmt is not None and parent.stmt is not loop:
        owner = parent.stmt
        if id(owner) in gated and parent.block is owner.body:  # type: ignore[attr-defined]
            return True
        parent = ctx.model.parent_of(owner)
    return False


def _walk(node: ast.AST, skip: set[int]) -> Iterator[ast.AST]:
    """`ast.walk`, without the test and body of the `if`s in `skip` (their `else` stays)."""
    todo = [node]
    while todo:
        current = todo.pop()
        yield current
        if id(current) in skip and isinstance(current, ast.If):
            todo.extend(current.orelse)
            continue
        todo.extend(ast.iter_child_nodes(current))


def _may_stop_waiting(ctx: RuleContext, loop: ast.While, skip: set[int]) -> bool:
    if _clock_limits(ctx, loop, skip):
        return True
    for node in _walk(loop, skip):
        if isinstance(node, (ast.Return, ast.Raise, ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(node, ast.Call):
            continue
        name = ctx.model.resolve(node.func)
        if ctx.facts.ends_path(node):
            return True
        if isinstance(node.func, ast.Attribute) and node.func.attr in STOPPERS:
            return True
        local = ctx.model.local_function(name)
        if local is not None and (
            ctx.facts.summary(local).exit_calls
            or any(isinstance(n, ast.Raise) for n in ast.walk(local.node))
        ):
            return True
    return False


def _clock_limits(ctx: RuleContext, loop: ast.While, skip: set[int]) -> bool:
    """An `if` of the loop tests a clock (`time.monotonic() - started > limit`, or a name the
    loop binds to one) and does more than report when it holds: the clock keeps a limit. A
    clock read only to log a heartbeat (`if now - last > 60: print(...); last = now`), or
    only in `time.sleep(...)`, limits nothing."""
    timed = {
        target.id
        for node in ast.walk(loop)
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr))
        and node.value is not None
        and _reads_clock(ctx, node.value)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    for node in _walk(loop, skip):
        if not isinstance(node, ast.If) or id(node) in skip:
            continue
        tested = _reads_clock(ctx, node.test) or any(
            isinstance(name, ast.Name) and name.id in timed for name in ast.walk(node.test)
        )
        if tested and not all(_only_reports(ctx, stmt) for stmt in node.body):
            return True
    return False


def _reads_clock(ctx: RuleContext, expr: ast.expr) -> bool:
    return any(
        isinstance(node, ast.Call) and ctx.model.resolve(node.func) in CLOCKS
        for node in ast.walk(expr)
    )


# What a heartbeat does when its clock says so: write a line, note the time.
REPORTING_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "write", "flush"}
)


def _only_reports(ctx: RuleContext, stmt: ast.stmt) -> bool:
    if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Pass, ast.Continue)):
        return True
    if not isinstance(stmt, ast.Expr):
        return False
    call = stmt.value
    if isinstance(call, ast.Constant):
        return True
    if not isinstance(call, ast.Call):
        return False
    if ctx.model.resolve(call.func) == "print":
        return True
    return isinstance(call.func, ast.Attribute) and call.func.attr in REPORTING_METHODS


def _in_thread_target(ctx: RuleContext, function: FunctionInfo | None) -> bool:
    """The loop's function is handed to a thread (`Thread(target=watch)`): it holds no one."""
    if function is None:
        return False
    for site in ctx.model.calls_to("threading.Thread"):
        target = argument(site.node, None, "target")
        if isinstance(target, ast.Name) and target.id == function.name:
            return True
        if isinstance(target, ast.Attribute) and target.attr == function.name:
            return True
    return False


RULE = Rule(META, check)

"""SCR304 home-directory-state: state kept under `~` does not survive from one run to the next."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scriptcontract.contract.finding import Severity
from scriptcontract.contract.rules.base import Report, Rule, RuleContext
from scriptcontract.contract.rules.meta import RuleMeta

META = RuleMeta(
    code="SCR304",
    name="home-directory-state",
    severity=Severity.HINT,
    summary="A path under the home directory (`~`, `Path.home()`, `$HOME`): runs get a "
    "private one.",
    explanation="""
Each run of a workflow script gets a private, throw-away `HOME` inside its sandbox: a cache,
a marker file or a log written under `~` is gone at the next run, and files the user keeps in
their real home directory are not there to read. Keep state in the project (a path relative
to the project root) or take the path from the inputs. The rule points at
`os.path.expanduser("~/...")`, `Path.home()` and `$HOME` read from the environment; a literal
`~/...` handed straight to a file access is SCR301's. The home directory used only as a
landmark in a comparison (`while folder != Path.home():` walking up the parents, or a name
bound to it and only compared) keeps and reads nothing there, and is not reported; nor is
the text of it used to shorten or test a path for display (`path.replace(home, "~")`,
`path.startswith(home)`).
""",
    bad_example="""
import os

STATE = os.path.expanduser("~/.cache/report-state.json")
""",
    good_example="""
import os

STATE = os.path.join("state", "report-state.json")
""",
    fix="Keep the file inside the project, relative to its root.",
)

HOME_CALLS = frozenset({"pathlib.Path.home", "os.path.expanduser", "posixpath.expanduser"})
ENV_READS = frozenset({"os.environ.get", "os.getenv"})


# Methods that give the same folder (or one of its parents) again, still only a place.
SAME_PLACE = frozenset({"resolve", "absolute", "expanduser"})

# Text methods whose first argument is a prefix to find in another path, not a place used,
# with how many arguments they take: `subtitle = path.replace(home, "~")` shortens a path
# for display. `Path.replace(target)`, with one argument, moves a file there.
TEXT_LANDMARK = {"replace": (2, 3), "startswith": (1,), "removeprefix": (1,)}


def check(ctx: RuleContext) -> Iterator[Report]:
    model = ctx.model
    compared: dict[int, set[int]] = {}
    for site in model.calls_to(*HOME_CALLS, *ENV_READS):
        first = site.node.args[0] if site.node.args else None
        if site.name in ENV_READS and not _is_home(first):
            continue
        if site.name in ("os.path.expanduser", "posixpath.expanduser") and not _starts_home(first):
            continue
        root: ast.AST = site.ctx.function.node if site.ctx.function is not None else model.tree
        if id(root) not in compared:
            compared[id(root)] = _compared(root)
        if _only_compared(site.node, site.stmt, root, compared[id(root)]):
            continue
        yield _report(ctx, site.node)
    # `Path("~/.cache").expanduser()` and `open("~/...")`: the literal reaches a file
    # access, and SCR301 reports it already.


def _compared(root: ast.AST) -> set[int]:
    """The nodes that are only a place being compared: an operand of `==`, `!=`, `in`...,
    followed through attributes (`.parent`), `/` joins, `.resolve()` and the items of a
    literal tuple; and the prefix a text method looks for (`path.replace(home, "~")`)."""
    found: set[int] = set()
    for node in ast.walk(root):
        if not isinstance(node, ast.Compare):
            if isinstance(node, ast.Call) and _text_landmark(node):
                found.add(id(node.args[0]))
            continue
        stack: list[ast.expr] = [node.left, *node.comparators]
        while stack:
            operand = stack.pop()
            found.add(id(operand))
            if isinstance(operand, ast.Attribute):
                stack.append(operand.value)
            elif isinstance(operand, ast.BinOp) and isinstance(operand.op, ast.Div):
                stack.extend((operand.left, operand.right))
            elif isinstance(operand, (ast.Tuple, ast.List, ast.Set)):
                stack.extend(operand.elts)  # `folder in (home, home.parent)`
            elif (
                isinstance(operand, ast.Call)
                and isinstance(operand.func, ast.Attribute)
                and operand.func.attr in SAME_PLACE
            ):
                stack.append(operand.func.value)
    return found


def _text_landmark(call: ast.Call) -> bool:
    func = call.func
    return (
        type(func) is ast.Attribute
        and func.attr in TEXT_LANDMARK
        and len(call.args) in TEXT_LANDMARK[func.attr]
        and not call.keywords
    )


def _only_compared(call: ast.Call, stmt: ast.stmt, root: ast.AST, compared: set[int]) -> bool:
    """The home directory is a landmark here: compared where it is written, or bound to a
    name (`home = Path.home()`) whose every use is compared."""
    if id(call) in compared:
        return True
    if not (
        isinstance(stmt, ast.Assign)
        and stmt.value is call
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
    ):
        return False
    name = stmt.targets[0].id
    uses = [
        node
        for node in ast.walk(root)
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
    ]
    return bool(uses) and all(id(use) in compared for use in uses)


def _report(ctx: RuleContext, node: ast.AST) -> Report:
    return Report(
        ctx.range(node),
        "a path under the home directory: each run gets a private, throw-away HOME, so "
        "what is kept there is lost; keep it in the project",
    )


def _is_home(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value == "HOME"


def _starts_home(node: ast.AST | None) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.startswith("~")
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        return isinstance(first, ast.Constant) and str(first.value).startswith("~")
    return False


RULE = Rule(META, check)
